"""How many assessments per second one process makes, against the 20,000/s target and two floors.

`python -m bench.rules_throughput --facts N --seconds S [--json]` runs it on its own, in one
process (`make bench` starts it so, away from the load generator and the server).
"""

from __future__ import annotations

import argparse
import json
import time
from collections.abc import Callable

import rules
from bench.factsgen import generate
from rules import assess, parse_facts

#: The target: assessments per second on one core.
TARGET_PER_SECOND = 20_000


#: Each figure is the best of this many rounds: as timeit's documentation advises, the slower
#: rounds measure the other processes of the machine (this 2-core machine's load varies by a
#: quarter from one minute to the next), not the code.
ROUNDS = 5


def _rate(fn: Callable[[dict], object], items: list[dict], seconds: float) -> float:
    """Run `fn` over `items` in ROUNDS rounds of about seconds / ROUNDS each (every round at least
    once over all items); return the best round's calls per second."""
    best = 0.0
    for _round in range(ROUNDS):
        done, started = 0, time.perf_counter()
        while True:
            for item in items:
                fn(item)
            done += len(items)
            elapsed = time.perf_counter() - started
            if elapsed >= seconds / ROUNDS:
                break
        best = max(best, done / elapsed)
    return best


def run(n: int = 2_000, seconds: float = 3.0) -> list[tuple[str, float, str]]:
    """Measure the floors and the full assessment; return rows (name, per second, ratio)."""
    facts = generate(n)
    parsed = [parse_facts(d) for d in facts]
    json_floor = _rate(lambda d: json.loads(json.dumps(d)), facts, seconds)
    parse = _rate(parse_facts, facts, seconds)
    full = _rate(lambda d: assess(parse_facts(d)).to_dict(), facts, seconds)
    by_index = {id(d): p for d, p in zip(facts, parsed, strict=True)}
    engine = _rate(lambda d: assess(by_index[id(d)]), facts, seconds)
    return [
        ("json round trip of the facts (floor)", json_floor, "1.00 × floor"),
        ("parse_facts", parse, f"{parse / json_floor:.2f} × floor"),
        ("assess (parsed facts)", engine, f"{engine / TARGET_PER_SECOND:.2f} × target"),
        ("parse + assess + to_dict", full, f"{full / TARGET_PER_SECOND:.2f} × target"),
    ]


def main() -> None:
    """Measure and print the rows (or, with --json, a {name: per second} object)."""
    parser = argparse.ArgumentParser(prog="python -m bench.rules_throughput")
    parser.add_argument("--facts", type=int, default=2_000, help="generated fact sets")
    parser.add_argument("--seconds", type=float, default=3.0, help="time per measurement")
    parser.add_argument("--json", action="store_true", help="print JSON for the harness")
    args = parser.parse_args()
    rows = run(args.facts, args.seconds)
    if args.json:
        print(
            json.dumps({name: rate for name, rate, _ratio in rows} | {"target": TARGET_PER_SECOND})
        )
        return
    # The mypyc build (make native) is used only when current; say which engine was measured.
    print("engine: compiled (mypyc)" if rules.COMPILED else "engine: pure Python")
    for name, rate, ratio in rows:
        print(f"{name:40} {rate:12,.0f}/s  {ratio}")


if __name__ == "__main__":
    main()
