"""`python -m bench`: run the benchmarks, print the table and write bench/results/latest.md."""

from __future__ import annotations

import argparse
import platform
from datetime import UTC, datetime
from pathlib import Path

from bench import rules_throughput


def main() -> None:
    """Parse options, run each scenario once, print and save the table."""
    parser = argparse.ArgumentParser(prog="python -m bench")
    parser.add_argument("--facts", type=int, default=2_000, help="generated fact sets per scenario")
    parser.add_argument("--seconds", type=float, default=3.0, help="time per measurement")
    args = parser.parse_args()
    rows = rules_throughput.run(args.facts, args.seconds)
    stamp = f"{datetime.now(UTC):%Y-%m-%d %H:%M} UTC"
    lines = [
        f"# Benchmarks — {stamp}, Python {platform.python_version()}",
        "",
        "| scenario | per second | ratio |",
        "|---|---:|---:|",
        *(f"| {name} | {rate:,.0f} | {ratio} |" for name, rate, ratio in rows),
    ]
    text = "\n".join(lines) + "\n"
    print(text)
    out = Path(__file__).parent / "results" / "latest.md"
    out.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
