"""Command line: ``python -m rules assess FILE|-`` — the only module that reads files or prints.

Exit 0 with the assessment JSON; exit 2 with ``{"error": {"field", "message"}}`` on invalid input.
``--article-text`` adds each cited article's text (``article_text``), ``--trace`` the computation
(``trace``); without them the output is exactly the contract's.
"""

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from rules import (
    FactsError,
    YearCalendar,
    article_texts,
    assess,
    parse_calendar,
    parse_facts,
    trace,
)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m rules", description="汽车三包 rules engine")
    sub = parser.add_subparsers(dest="command", required=True)
    run = sub.add_parser("assess", help="assess a facts JSON file and print the assessment")
    run.add_argument("file", help="facts JSON file, or - for standard input")
    run.add_argument(
        "--lang", choices=("zh", "en"), default="zh", help="language of the explanations"
    )
    run.add_argument(
        "--holidays", metavar="DIR", help="folder of <year>.json bureau holiday calendars"
    )
    run.add_argument(
        "--article-text", action="store_true", help="add the text of every article cited"
    )
    run.add_argument(
        "--trace", action="store_true", help="add the computation: windows, visits, thresholds"
    )
    return parser


def _print(payload: dict[str, Any]) -> None:
    sys.stdout.write(json.dumps(payload, ensure_ascii=False, indent=2) + "\n")


def _error(field: str | None, message: str) -> int:
    _print({"error": {"field": field, "message": message}})
    return 2


def _read(name: str) -> str:
    if name == "-":
        return sys.stdin.read()
    return Path(name).read_text(encoding="utf-8")


def _calendars(folder: str | None) -> dict[int, YearCalendar] | None:
    if folder is None:
        return None
    if not Path(folder).is_dir():
        raise NotADirectoryError(20, "not a folder", folder)
    calendars = {}
    for path in sorted(Path(folder).glob("*.json")):
        try:
            cal = parse_calendar(json.loads(path.read_text(encoding="utf-8")))
        except FactsError as exc:
            raise FactsError(f"{path.name}:{exc.field}", exc.message, exc.message_zh) from None
        calendars[cal.year] = cal
    return calendars


_CASE_KEYS = frozenset({"title", "name", "facts", "expect"})


def _unwrap(data: Any) -> Any:
    """Accept a shared case file ``{"title", "facts", "expect"}`` as well as bare facts."""
    if isinstance(data, dict) and isinstance(data.get("facts"), dict) and data.keys() <= _CASE_KEYS:
        return data["facts"]
    return data


def main(argv: list[str] | None = None) -> int:
    """Run the command line; return the exit status."""
    args = _parser().parse_args(argv)
    zh = args.lang == "zh"
    try:
        text = _read(args.file)
        holidays = _calendars(args.holidays)
    except OSError as exc:
        return _error(None, f"cannot read {exc.filename}: {exc.strerror or exc}")
    except json.JSONDecodeError as exc:
        return _error(None, f"holiday file is not valid JSON: {exc.msg} (line {exc.lineno})")
    except FactsError as exc:
        return _error(exc.field, exc.message_zh if zh else exc.message)
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        message = "不是有效的 JSON" if zh else "not valid JSON"
        return _error(None, f"{message}: {exc.msg} (line {exc.lineno}, column {exc.colno})")
    try:
        facts = parse_facts(_unwrap(data))
    except FactsError as exc:
        return _error(exc.field, exc.message_zh if zh else exc.message)
    payload = assess(facts, lang=args.lang, holidays=holidays).to_dict()
    if args.article_text:
        payload["article_text"] = article_texts(payload)
    if args.trace:
        payload["trace"] = trace(facts, holidays=holidays)
    _print(payload)
    return 0


if __name__ == "__main__":
    sys.exit(main())
