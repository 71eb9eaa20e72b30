"""`python -m bench.routing_spread`: route generated cases over the demo panel with the pure router.

Prints per-expert counts, how often a conflict of interest moved a case away from the expert who
would otherwise have been first, and how many cases found nobody (manual routing). Cases arrive
one by one; each assignment stays open for the next OPEN_FOR arrivals (the time an opinion takes),
so capacity limits bite as they would in a busy month.
"""

from __future__ import annotations

import argparse
import random
from collections import Counter
from dataclasses import replace
from datetime import datetime, timedelta

from disputes.demo import EXPERTS
from disputes.experts.routing import CaseInput, ExpertInput, ProblemInput, rank

SYSTEMS = (
    "engine", "transmission", "steering", "brakes", "suspension", "axle", "body", "fuel",
    "electrical", "power_battery", "drive_motor", "drivetrain", "emission_control", "other",
)  # fmt: skip
#: (brand, manufacturer, dealer) of the generated cases; the first two tie some demo experts.
PARTIES = (
    ("示例品牌", "示例汽车制造有限公司", "示例市示例品牌汽车销售服务有限公司"),
    ("样板汽车", "样板汽车股份有限公司", "示例市样板汽车销售服务有限公司"),
    ("甲品牌", "甲汽车有限公司", "示例市甲品牌销售有限公司"),
    ("乙品牌", "乙汽车有限公司", "示例市乙品牌销售有限公司"),
)
#: Reason codes of a tie to a party of the case.
TIES = frozenset({"excluded.tie", "excluded.same_org"})
REPAIRERS = ("示例市某汽车维修有限公司", "示例市快修连锁", "示例市示例品牌汽车销售服务有限公司")


def panel() -> list[ExpertInput]:
    """Return the demo panel as routing inputs."""
    return [
        ExpertInput(
            id=i,
            code=f"E{i:02d}",
            name=name,
            organisation=org,
            capacity=capacity,
            specialties=systems,
            affiliations=affiliations,
        )
        for i, (name, _title, org, capacity, systems, affiliations) in enumerate(EXPERTS, start=1)
    ]


def generate(n: int, seed: int) -> list[CaseInput]:
    """Return `n` random cases (one or two problems, one of which may ground the claim, with
    random repairs and replaced parts; random parties)."""
    rng = random.Random(seed)
    cases = []
    for i in range(n):
        brand, maker, dealer = rng.choice(PARTIES)
        systems = tuple(dict.fromkeys(rng.choices(SYSTEMS, k=rng.choice((1, 1, 2)))))
        grounds = rng.choice((None, *systems))
        problems = tuple(
            ProblemInput(
                label=f"P{k}",
                system=system,
                grounds_claim=system == grounds,
                serious_safety=rng.random() < 0.1,
                replacements=rng.choice((0, 0, 1, 2)),
                repairs=rng.randint(1, 5),
            )
            for k, system in enumerate(systems, start=1)
        )
        cases.append(
            CaseInput(
                case_id=i,
                problems=problems,
                consumer_id=rng.randrange(1, 400),
                brand=brand,
                manufacturer=maker,
                dealer=dealer,
                repairers=(rng.choice(REPAIRERS),),
            )
        )
    return cases


def simulate(cases: list[CaseInput], experts: list[ExpertInput], open_for: int) -> dict:
    """Route `cases` in order; return counts, conflicts avoided and manual-routing cases."""
    by_id = {e.id: e for e in experts}
    open_until: dict[int, list[int]] = {e.id: [] for e in experts}
    counts: Counter[str] = Counter()
    conflict_reasons: Counter[str] = Counter()
    conflicts_avoided = manual = tied_exclusions = 0
    clock = datetime(2026, 1, 1)
    for i, case in enumerate(cases):
        for eid in open_until:
            open_until[eid] = [t for t in open_until[eid] if t > i]
            by_id[eid] = replace(by_id[eid], open_count=len(open_until[eid]))
        current = list(by_id.values())
        result = rank(case, current)
        tied_exclusions += sum(1 for r in result.ranking if any(x.code in TIES for x in r.reasons))
        # Would the first choice differ if conflicts of interest were ignored?
        unconflicted = [replace(e, affiliations=(), organisation="") for e in current]
        naive = rank(case, unconflicted).chosen
        if naive and (result.chosen is None or naive.expert.id != result.chosen.expert.id):
            conflicts_avoided += 1
            blocked = next(r for r in result.ranking if r.expert.id == naive.expert.id)
            conflict_reasons.update(x.text().split("（")[0] for x in blocked.reasons)
        if result.chosen is None:
            manual += 1
            continue
        chosen = result.chosen.expert
        counts[chosen.code] += 1
        open_until[chosen.id].append(i + open_for)
        clock += timedelta(hours=1)
        by_id[chosen.id] = replace(by_id[chosen.id], last_assigned_at=clock)
    return {
        "counts": counts,
        "conflicts_avoided": conflicts_avoided,
        "conflict_reasons": conflict_reasons,
        "manual": manual,
        "tied_exclusions": tied_exclusions,
    }


def main() -> None:
    """Parse options, run the simulation and print the table."""
    parser = argparse.ArgumentParser(prog="python -m bench.routing_spread")
    parser.add_argument("--cases", type=int, default=500, help="generated cases")
    parser.add_argument(
        "--open-for", type=int, default=40, help="arrivals an assignment stays open"
    )
    parser.add_argument("--seed", type=int, default=5, help="random seed")
    args = parser.parse_args()
    experts = panel()
    out = simulate(generate(args.cases, args.seed), experts, args.open_for)
    print(
        f"{args.cases} cases, each assignment open for {args.open_for} arrivals, seed {args.seed}"
    )
    print("| expert | specialties | capacity | cases |")
    print("|---|---|---:|---:|")
    for e in experts:
        systems = "/".join(e.specialties)
        print(f"| {e.code} {e.name} | {systems} | {e.capacity} | {out['counts'][e.code]} |")
    print(f"\nrouted {sum(out['counts'].values())}, manual routing {out['manual']}")
    print(f"experts excluded for a tie to a party, summed over cases: {out['tied_exclusions']}")
    print(f"conflicts avoided (first choice blocked by a tie): {out['conflicts_avoided']}")
    for reason, n in out["conflict_reasons"].most_common():
        print(f"  {reason}: {n}")


if __name__ == "__main__":
    main()
