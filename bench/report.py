"""The benchmark's table as Markdown: scenarios with figures and ratios, then workers' memory."""

from __future__ import annotations

import os
import platform
import time
from datetime import UTC, datetime
from pathlib import Path

from bench.loadgen import Result
from bench.scenarios import Row


def machine() -> str:
    """Describe the machine: CPU model, cores, memory, OS and Python."""
    cpu = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory = ""
    try:
        kb = int(Path("/proc/meminfo").read_text().split()[1])
        memory = f", {kb / 1024 / 1024:.0f} GiB RAM"
    except (OSError, ValueError, IndexError):
        pass
    return (
        f"{cpu}, {os.cpu_count()} cores{memory}, {platform.system()} {platform.release()}, "
        f"Python {platform.python_version()}"
    )


def host_speed(additions: int, rounds: int) -> float:
    """Seconds this machine takes for `additions` additions in a plain Python loop, best of
    `rounds`. The same host has run the whole bench 1.5 to 4 times slower on some days, and the
    Python-heavy rows more so than the floors; a run's ratios are read against this figure."""
    best = float("inf")
    for _ in range(rounds):
        started = time.perf_counter()
        total = 0
        for i in range(additions):
            total += i
        best = min(best, time.perf_counter() - started)
    return best


def _met(met: bool | None) -> str:
    return "—" if met is None else ("met" if met else "**missed**")


def _ratio(ratio: float | None) -> str:
    return "—" if ratio is None else f"{ratio:.2f}×"


def table(rows: list[Row]) -> list[str]:
    """Return the scenario table's Markdown lines."""
    lines = [
        "| scenario | absolute | floor / baseline | ratio | target | result |",
        "|---|---|---|---:|---|---|",
    ]
    for r in rows:
        lines.append(
            f"| {r.scenario} | {r.figure} | {r.floor} | {_ratio(r.ratio)} | {r.target} "
            f"| {_met(r.met)} |"
        )
    notes = [f"- {r.scenario}: {r.note}" for r in rows if r.note]
    return lines + ([""] + notes if notes else [])


#: {pid: kB} at start, after the warm-up, after the scenarios ({} if not taken), at the end.
WorkerMemory = tuple[dict[int, int], dict[int, int], dict[int, int], dict[int, int]]
Memory = dict[str, WorkerMemory]


def memory(rss: Memory) -> list[str]:
    """Return the workers' RSS table: per server and worker, VmRSS at start, once every page
    has been served (templates compiled, lazy imports done), after every scenario and at the end.
    The app's last column is a second round of every page: a leak would grow there too."""
    lines = [
        "| server | worker pid | RSS start | warmed up | after the scenarios | RSS end | "
        "scenarios − warmed up | end − after the scenarios |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for server, (start, warm, done, end) in rss.items():
        for pid in sorted(set(start) | set(end)):
            a, w, d, b = start.get(pid), warm.get(pid), done.get(pid), end.get(pid)
            first = _change(w, d or b)
            second = _change(d, b) if d else "—"
            if not (a and b):
                first = second = "worker replaced"
            lines.append(
                f"| {server} | {pid} | {_mib(a)} | {_mib(w)} | {_mib(d)} | {_mib(b)} | {first} "
                f"| {second} |"
            )
    return lines


def calls(results: dict[str, Result], names: tuple[str, ...]) -> list[str]:
    """Return the per-call medians of the pages that rotate over several queries."""
    lines = [
        "## Per call (pages that rotate over several queries; slowest first)",
        "",
        "| page | call | requests | median | max |",
        "|---|---|---:|---:|---:|",
    ]
    for name in names:
        if name not in results:
            continue
        for call, count, median, longest in results[name].by_call:
            lines.append(f"| {name} | `{call}` | {count} | {median:.1f} ms | {longest:.1f} ms |")
    return lines


def _change(before: int | None, after: int | None) -> str:
    return f"{(after - before) / 1024:+.1f} MiB" if before and after else "—"


def _mib(kb: int | None) -> str:
    return "—" if kb is None else f"{kb / 1024:.1f} MiB"


def document(
    rows: list[Row],
    rss: Memory,
    settings: list[str],
    extra: list[str],
) -> str:
    """Return the whole results page."""
    stamp = f"{datetime.now(UTC):%Y-%m-%d %H:%M} UTC"
    parts = [
        f"# Benchmarks — {stamp}",
        "",
        f"Machine: {machine()}",
        "",
        *(f"- {s}" for s in settings),
        "",
        *table(rows),
        "",
        "## Worker memory (VmRSS from /proc/<pid>/status)",
        "",
        *memory(rss),
    ]
    if extra:
        parts += ["", *extra]
    return "\n".join(parts) + "\n"
