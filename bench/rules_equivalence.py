"""Byte-for-byte equivalence of the engine's output: record digests once, check them after a change.

`python -m bench.rules_equivalence record FILE [--facts N]` writes one line per generated fact
set: the sha256 of the JSON the engine gives for it in each language and audience (or of the
error an invalid variant raises); `check FILE` recomputes them with the engine in use (compiled,
or pure with RULES_PURE=1) and lists every fact set whose output differs. A speed-up of the
engine must leave the file unchanged: the contract's output may not move by one byte.
"""

from __future__ import annotations

import argparse
import copy
import hashlib
import json
import random
import sys
from collections.abc import Iterator

import rules
from bench.factsgen import generate
from rules import FactsError, assess, parse_facts

#: the readings compared for every fact set: explanations in both languages, both audiences
VARIANTS = (("zh", "consumer"), ("en", "consumer"), ("zh", "official"), ("en", "official"))


def _broken(facts: dict, rng: random.Random) -> dict:
    """Return a copy of ``facts`` with one field made invalid, so the errors are compared too."""
    bad = copy.deepcopy(facts)
    kind = rng.randrange(4)
    if kind == 0:
        bad["purchase"]["invoice_date"] = "2020-02-30"
    elif kind == 1:
        bad["events"][0]["odometer_km"] = -1
    elif kind == 2:
        del bad["as_of"]
    else:
        bad["events"][0]["problem"] = "P9"
    return bad


def digests(n: int, seed: int = 2013) -> Iterator[str]:
    """Yield one line per fact set: its index and the digests of its outputs."""
    rng = random.Random(seed)
    for i, facts in enumerate(generate(n, seed)):
        data = _broken(facts, rng) if i % 10 == 9 else facts
        try:
            parsed = parse_facts(data)
        except FactsError as exc:
            error = {"field": exc.field, "message": exc.message, "message_zh": exc.message_zh}
            outputs = [json.dumps(error, ensure_ascii=False)]
        else:
            outputs = [
                json.dumps(
                    assess(parsed, lang=lang, audience=audience).to_dict(),
                    ensure_ascii=False,
                    indent=2,
                )
                for lang, audience in VARIANTS
            ]
        yield " ".join([str(i), *(hashlib.sha256(o.encode()).hexdigest() for o in outputs)])


def main() -> int:
    """Record or check the digests; exit 1 when any fact set's output changed."""
    parser = argparse.ArgumentParser(prog="python -m bench.rules_equivalence")
    parser.add_argument("mode", choices=("record", "check"))
    parser.add_argument("file", help="the digests file")
    parser.add_argument("--facts", type=int, default=50_000, help="generated fact sets")
    args = parser.parse_args()
    engine = "compiled" if rules.COMPILED else "pure"
    lines = list(digests(args.facts))
    if args.mode == "record":
        with open(args.file, "w", encoding="utf-8") as out:
            out.write("\n".join(lines) + "\n")
        print(f"{len(lines)} fact sets recorded ({engine} engine) in {args.file}")
        return 0
    with open(args.file, encoding="utf-8") as recorded:
        before = recorded.read().splitlines()
    if len(before) != len(lines):
        print(f"{args.file} holds {len(before)} fact sets, not {len(lines)}: use --facts")
        return 1
    changed = [old.split(" ", 1)[0] for old, new in zip(before, lines, strict=True) if old != new]
    print(f"{len(lines) - len(changed)}/{len(lines)} fact sets identical ({engine} engine)")
    if changed:
        print("changed:", " ".join(changed[:20]), "..." if len(changed) > 20 else "")
    return 1 if changed else 0


if __name__ == "__main__":
    sys.exit(main())
