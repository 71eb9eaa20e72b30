"""Chinese and English sentences rendered from the Findings trace; nothing here decides anything.

Templates live in ``rules.wording``; each is (zh, en), filled from a Finding's ``values`` (or a
Threshold's, or a warning note's).
"""

from collections.abc import Iterable
from datetime import date
from string import Formatter
from typing import Any, Final

from rules.assessment import Finding, Remedy, Threshold, iso_date
from rules.wording import (
    ACT_NAMES,
    BECAUSE,
    CLAIM_NAMES,
    CLAIM_REMEDIES,
    CLAIM_SENTENCES,
    DELIVERY_START,
    DIFFERENCES,
    EXCLUDED,
    EXCLUSION_NAMES,
    FAILURE_NAMES,
    NEEDS,
    PART_KEY_NOTES,
    REASONS,
    REMEDY_NAMES,
    SENTENCES,
    SYSTEM_NAMES,
    TERM_NAMES,
    UNIT_NAMES,
    WARNINGS,
)


def _pick(pair: tuple[str, str], lang: str) -> str:
    return pair[1] if lang == "en" else pair[0]


def _fill(template: tuple[str, str], values: dict[str, Any], lang: str) -> str:
    return _render(_pick(template, lang), values)


#: each template's pieces (``_pieces``), split once per process: the templates are the wording's
#: constants (a few dozen), so a dict serves them without an ``lru_cache``'s bookkeeping; no
#: pieces (``()``) for a template that only ``format_map`` renders
_SPLIT: Final[dict[str, tuple[tuple[str, str | None], ...]]] = {}


def _render(template: str, values: dict[str, Any]) -> str:
    """Return ``template.format_map(values)``, from the template's pieces split once.

    ``format_map`` scans the whole template at every call, char by char (slow on Chinese text);
    joining the pieces gives the same string, each field formatted as ``format(value)`` is.
    """
    pieces = _SPLIT.get(template)
    if pieces is None:
        pieces = _SPLIT[template] = _pieces(template) or ()
    if not pieces:  # the empty template too: format_map gives it back as it is
        return template.format_map(values)
    out = []
    for literal, name in pieces:
        out.append(literal)
        if name is not None:
            value = values[name]
            # format() of a str is the str and of an int its str(); str(a date) is its isoformat,
            # which iso_date gives faster
            kind = type(value)
            if kind is str:
                out.append(value)
            elif kind is int:
                out.append(str(value))
            elif kind is date:
                out.append(iso_date(value))
            else:
                out.append(format(value))
    return "".join(out)


def _pieces(template: str) -> tuple[tuple[str, str | None], ...] | None:
    """Split ``template`` into (literal, field name) pairs; None when a field is more than a
    plain ``{name}`` (a format spec, a conversion, an index): ``format_map`` then renders it."""
    out = []
    for literal, name, spec, conversion in Formatter().parse(template):
        if name is not None and (spec or conversion or not name.isidentifier()):
            return None
        out.append((literal, name))
    return tuple(out)


def _km(values: dict[str, Any], lang: str) -> str:
    km = values.get("km_limit")
    if km is None:
        return ""
    return f"，{km} 公里以内" if lang != "en" else f", within {km} km"


def _part_names(text: str, lang: str) -> str:
    """Turn ``transmission:阀体、engine`` into ``变速器阀体、发动机总成`` (or English)."""
    out = []
    for item in text.split("、"):
        system, colon, part = item.partition(":")
        names = SYSTEM_NAMES.get(system)
        if names is None:
            out.append(item)
        elif colon:
            out.append(f"{names[1]} {part}" if lang == "en" else f"{names[0]}{part}")
        else:
            out.append(f"whole {names[1]}" if lang == "en" else f"{names[0]}总成")
    return _join(out, lang)


def _join(items: Iterable[str], lang: str) -> str:
    return ", ".join(items) if lang == "en" else "、".join(items)


def _english_lists(values: dict[str, Any]) -> None:
    """Join the lists the rules pass as ``a、b`` (problems, wear parts) with English commas."""
    for key in ("problems", "parts", "part"):
        text = values.get(key)
        if isinstance(text, str):
            values[key] = text.replace("、", ", ")


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"


def delivery_start(delivery: Any, lang: str) -> str:
    """Render the clause saying the periods run from the delivery date (2022.18)."""
    return _fill(DELIVERY_START, {"delivery": delivery}, lang)


def claim_sentence(claim: str, remedies: Iterable[Remedy], lang: str, audience: str) -> str:
    """Say whether the consumer's claim is among the remedies already decided."""
    wanted = CLAIM_REMEDIES[claim]
    bases = sorted({r.basis for r in remedies if r.remedy in wanted})
    values = {"claim": _pick(CLAIM_NAMES[claim], lang), "bases": ", ".join(bases)}
    return _fill(CLAIM_SENTENCES[audience, bool(bases)], values, lang)


def reason(
    note: tuple[str, tuple[tuple[str, Any], ...]],
    lang: str,
    regime: str | None,
    constants: tuple[tuple[str, Any], ...],
) -> str:
    """Render the regime reason: ``constants`` (the regimes' start dates) and the act's name are
    filled once per (reason, regime, language), only the invoice date per assessment."""
    code, values = note
    key = (code, regime, lang, constants)
    template = _REASON_TEMPLATES.get(key)
    if template is None:
        template = _REASON_TEMPLATES[key] = _reason_template(code, regime, lang, constants)
    return _render(template, dict(values))


#: each reason's template with all but the invoice date filled, by (code, regime, language,
#: constants): a few dozen per process, so a dict without an ``lru_cache``'s bookkeeping
_REASON_TEMPLATES: Final[dict[tuple[str, str | None, str, tuple[tuple[str, Any], ...]], str]] = {}


def _reason_template(
    code: str, regime: str | None, lang: str, constants: tuple[tuple[str, Any], ...]
) -> str:
    v = dict(constants) | {"invoice_date": "{invoice_date}"}
    if regime is not None:
        v["act"] = _pick(ACT_NAMES[regime], lang)
    return _fill(REASONS[code], v, lang)


def warning(note: tuple[str, tuple[tuple[str, Any], ...]], lang: str) -> str:
    """Render one warning note."""
    code, values = note
    v = dict(values)
    if code == "term_raised":
        v["term"] = _pick(TERM_NAMES[v["term"]], lang)
        v["unit"] = _pick(UNIT_NAMES[v["unit"]], lang)
    elif code == "transition_2022":
        what = []
        if v["which"]:
            what.append(_fill(WARNINGS["transition_visits"], v, lang))
        if v["request"] is not None:
            what.append(_fill(WARNINGS["transition_request"], v, lang))
        v["what"] = (" and " if lang == "en" else "、").join(what)
    return _fill(WARNINGS[code], v, lang)


def difference(what: str, before: Any, after: Any, lang: str) -> str:
    """Render one difference between the 2013 reading and the reading under the 2022 text."""
    return _fill(
        DIFFERENCES[what], {"before": _shown(before, lang), "after": _shown(after, lang)}, lang
    )


def _shown(value: Any, lang: str) -> Any:
    """Show a list of assemblies by name and a rate range as percentages."""
    if not isinstance(value, list):
        return value
    if value and isinstance(value[0], float):
        return "–".join(f"{x * 100:g}%" for x in value)
    return _join([_pick(SYSTEM_NAMES[name], lang) for name in value], lang)


def because(finding: Finding, lang: str) -> str:
    """Render why a remedy (or exclusion) finding holds."""
    v = dict(finding.values)
    v["km"] = _km(v, lang)
    note = finding.note
    if note in PART_KEY_NOTES and v.get("parts"):
        v["parts"] = _part_names(v["parts"], lang)
    if note == "early_failure":
        names = [_pick(FAILURE_NAMES[f], lang) for f in v["failures"].split(",")]
        v["failures"] = _join(names, lang)
    if lang == "en":
        _english_lists(v)
    if note == "time_or_count":
        parts = []
        if v["total"] > v["days_over"]:
            parts.append(_fill(BECAUSE["time_or_count_days"], v, lang))
        if v.get("problems"):
            parts.append(_fill(BECAUSE["time_or_count_repairs"], v, lang))
        paid_return = any(r == "vehicle_return" for r, _ in finding.grants)
        parts.append(
            _pick(BECAUSE["time_or_count_both" if paid_return else "time_or_count_replace"], lang)
        )
        return " ".join(parts) if lang == "en" else "".join(parts)
    if finding.kind != "remedy":
        v["problem"] = finding.problem
        if "exclusion" in v:
            v["exclusion"] = _pick(EXCLUSION_NAMES[v["exclusion"]], lang)
        return _fill(EXCLUDED[note], v, lang)
    return _fill(BECAUSE[note], v, lang)


def needs(threshold: Threshold, lang: str) -> str:
    """Render what a pending threshold still needs."""
    v = dict(threshold.values)
    if threshold.note in PART_KEY_NOTES and v.get("parts"):
        v["parts"] = _part_names(v["parts"], lang)
    if lang == "en":
        _english_lists(v)
    if threshold.note == "time_or_count_pending":
        what = []
        if v["problem"]:
            what.append(
                f"问题 {v['problem']} 再修理 {v['more_repairs']} 次"
                if lang != "en"
                else f"{_count(v['more_repairs'], 'more repair')} of problem {v['problem']}"
            )
        what.append(
            f"累计修理时间再增加 {v['more_days']} 日"
            if lang != "en"
            else f"{_count(v['more_days'], 'more repair day')}"
        )
        v["what"] = "，或".join(what) if lang != "en" else ", or ".join(what)
    return _fill(NEEDS[threshold.note], v, lang)


def remedy_name(remedy: str, lang: str) -> str:
    """Return the remedy's name in ``lang``."""
    return _pick(REMEDY_NAMES[remedy], lang)


def formula(
    price: str, km: int, rate: str | None, amount: str | None, low: str, high: str, lang: str
) -> str:
    """Render the usage-compensation formula with the case's numbers."""
    if rate is not None:
        if lang == "en":
            return f"{price} yuan × {km} km ÷ 1000 × {rate} = {amount} yuan"
        return f"车价款 {price} 元 × 行驶里程 {km} 公里 ÷ 1000 × {rate} = {amount} 元"
    if lang == "en":
        return f"{price} yuan × {km} km ÷ 1000 × n (n not declared): {low}–{high} yuan"
    return f"车价款 {price} 元 × 行驶里程 {km} 公里 ÷ 1000 × n（三包凭证未明示 n）：{low}–{high} 元"


#: each remedy's item of the list (``_item``), by (remedy, article, basis, free, lang)
_ITEMS: Final[dict[tuple[str, str, str, bool, str], str]] = {}


def _remedy_item(r: Remedy, lang: str) -> str:
    """Render one remedy of the list; kept, as only (remedy, basis) pairs of the rules occur."""
    key = (r.remedy, r.article, r.basis, r.free, lang)
    text = _ITEMS.get(key)
    if text is None:
        text = _ITEMS[key] = _item(r.remedy, r.article, r.basis, r.free, lang)
    return text


def _item(remedy: str, article: str, basis: str, free: bool, lang: str) -> str:
    cost = _pick(SENTENCES["free" if free else "paid"], lang)
    values = {"name": remedy_name(remedy, lang), "article": article, "basis": basis}
    return _fill(SENTENCES["item"], values | {"cost": cost}, lang)


def explanation(
    reason_text: str,
    remedies: Iterable[Remedy],
    exclusions: Iterable[str],
    compensation_formula: str | None,
    deadlines: tuple[str | None, str | None],
    pending: int,
    lang: str,
    claim: str | None = None,
    audience: str = "consumer",
) -> str:
    """Compose the explanation from the already-decided pieces: to the consumer (``audience``
    "consumer") or about the consumer, for staff and experts ("official")."""
    en = lang == "en"
    out = [reason_text + ("." if en else "。")]
    remedies = list(remedies)
    out.extend(exclusions)
    if remedies:
        items = ("; " if en else "；").join(_remedy_item(r, lang) for r in remedies)
        key = "remedies" if audience == "consumer" else "remedies_official"
        out.append(_fill(SENTENCES[key], {"items": items}, lang))
    else:
        out.append(_pick(SENTENCES["none"], lang))
    if claim is not None:
        out.append(claim_sentence(claim, remedies, lang, audience))
    if compensation_formula:
        out.append(_fill(SENTENCES["compensation"], {"formula": compensation_formula}, lang))
    answer, completion = deadlines
    if answer:
        out.append(_fill(SENTENCES["answer"], {"due": answer}, lang))
    if completion:
        out.append(_fill(SENTENCES["completion"], {"due": completion}, lang))
    if pending:
        key = "pending_one" if pending == 1 else "pending"
        out.append(_fill(SENTENCES[key], {"n": pending}, lang))
    return " ".join(out) if en else "".join(out)


_DIGITS: Final = "零一二三四五六七八九"


def _zh_number(n: int) -> str:
    if n < 10:
        return _DIGITS[n]
    tens, ones = divmod(n, 10)
    head = "" if tens == 1 else _DIGITS[tens]
    return head + "十" + (_DIGITS[ones] if ones else "")


def article(basis: str) -> str:
    """Return the Chinese citation of a basis id: "2013.20.3.1" → "第二十条第三款第（一）项"."""
    parts = [int(x) for x in basis.split(".")[1:]]
    text = f"第{_zh_number(parts[0])}条"
    if len(parts) > 1:
        text += f"第{_zh_number(parts[1])}款"
    if len(parts) > 2:
        text += f"第（{_zh_number(parts[2])}）项"
    return text
