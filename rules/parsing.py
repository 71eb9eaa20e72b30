"""``parse_facts``: the strict parser from the contract's facts JSON to ``rules.facts.Facts``.

Unknown keys, wrong types (a bool is not a number), impossible dates, negative numbers and an
odometer going backwards raise ``FactsError`` naming the field (``events[2].start``).
"""

from datetime import date
from typing import Any, Final

from rules.facts import (
    AVAILABILITY,
    CATEGORIES,
    CLAIMS,
    CONTRACT_VERSIONS,
    DIAGNOSED_BY,
    EXCLUDED_DAY_KINDS,
    EXCLUSIONS,
    FAILURES,
    POWERTRAINS,
    REGIMES,
    REPLACED,
    REPLACEMENT_STATUSES,
    SYSTEMS,
    USES,
    AsOf,
    Event,
    ExcludedDays,
    Facts,
    FactsError,
    Problem,
    Purchase,
    Replacement,
    Term,
    Vehicle,
    WarrantyCard,
    WearPart,
    day_of,
    sort_key,
)
from rules.fields import (
    MAX_INT,
    as_date,
    as_decimal,
    as_enum,
    as_int,
    as_list,
    as_moment,
    as_object,
    as_str,
    check_text,
    choice_or,
    flag_or,
    is_object_of,
    optional,
    quick_moment,
    required,
    type_error,
)

_TOP: Final = frozenset(
    {
        "purchase", "vehicle", "warranty_card", "problems", "events", "as_of",
        "written_request_date", "claim", "replacement_available", "regime", "contract",
    }
)  # fmt: skip
_PURCHASE: Final = frozenset(
    {"invoice_date", "delivery_date", "price_yuan", "has_invoice", "has_warranty_card"}
)
_VEHICLE: Final = frozenset({"category", "use", "powertrain", "brand", "model", "vin"})
_CARD: Final = frozenset(
    {"repair_warranty", "three_guarantee", "compensation_rate", "wear_parts", "special_parts"}
)
_TERM: Final = frozenset({"years", "km"})
_WEAR: Final = frozenset({"name", "months", "km"})
_PROBLEM: Final = frozenset(
    {
        "system", "description", "quality_problem", "serious_safety", "failure",
        "wear_part", "exclusion",
    }
)  # fmt: skip
_EVENT: Final = frozenset(
    {
        "problem", "start", "end", "odometer_km", "fault_found", "replaced", "resolved",
        "excluded_days",
    }
)  # fmt: skip
#: a replaced-part item's keys: contract 1, and contract 2 with the diagnosis ("需要更换")
_REPLACED_V1: Final = frozenset({"assembly", "part", "main_part", "whole_assembly"})
_REPLACED: Final = _REPLACED_V1 | {"status", "diagnosed_date", "diagnosed_by"}
_EXCLUDED_DAYS: Final = frozenset(EXCLUDED_DAY_KINDS)
_AS_OF: Final = frozenset({"date", "odometer_km"})
#: Longest term a warranty card may state (longer ones would leave the calendar).
MAX_YEARS: Final = 100
# Absent parts parse to these shared values: they are frozen, so one instance serves every Facts.
_NO_VEHICLE, _NO_TERM, _NO_CARD = Vehicle(), Term(), WarrantyCard()
_NO_EXCLUDED_DAYS: Final = ExcludedDays()


def _purchase(value: Any) -> Purchase:
    d = as_object(value, "purchase", _PURCHASE)
    price = as_decimal(required(d, "price_yuan", "purchase.price_yuan"), "purchase.price_yuan")
    if price <= 0:
        raise FactsError("purchase.price_yuan", "must be greater than 0", "必须大于 0")
    delivery = optional(d, "delivery_date")
    return Purchase(
        invoice_date=as_date(
            required(d, "invoice_date", "purchase.invoice_date"), "purchase.invoice_date"
        ),
        price_yuan=price,
        delivery_date=None if delivery is None else as_date(delivery, "purchase.delivery_date"),
        has_invoice=flag_or(d, "has_invoice", "purchase", True),
        has_warranty_card=flag_or(d, "has_warranty_card", "purchase", True),
    )


def _vehicle(value: Any) -> Vehicle:
    if value is None:
        return _NO_VEHICLE
    d = as_object(value, "vehicle", _VEHICLE)
    return Vehicle(
        category=choice_or(d, "category", "vehicle", CATEGORIES, "passenger"),
        use=choice_or(d, "use", "vehicle", USES, "household"),
        powertrain=choice_or(d, "powertrain", "vehicle", POWERTRAINS, "ice"),
        brand=_text_or_none(d, "brand", "vehicle"),
        model=_text_or_none(d, "model", "vehicle"),
        vin=_text_or_none(d, "vin", "vehicle"),
    )


def _text_or_none(d: dict[str, Any], key: str, path: str) -> str | None:
    value = d.get(key)
    return None if value is None else as_str(value, f"{path}.{key}")


def _term(value: Any, path: str) -> Term:
    if value is None:
        return _NO_TERM
    d = as_object(value, path, _TERM)
    years, km = d.get("years"), d.get("km")
    return Term(
        years=None if years is None else as_int(years, f"{path}.years", MAX_YEARS),
        km=None if km is None else as_int(km, f"{path}.km"),
    )


def _wear_part(value: Any, path: str) -> WearPart:
    d = as_object(value, path, _WEAR)
    km = d.get("km")
    name = as_str(required(d, "name", f"{path}.name"), f"{path}.name")
    if not name.strip():
        raise FactsError(f"{path}.name", "must not be empty", "不能为空")
    return WearPart(
        name=name,
        months=as_int(required(d, "months", f"{path}.months"), f"{path}.months", 12 * MAX_YEARS),
        km=None if km is None else as_int(km, f"{path}.km"),
    )


def _card(value: Any) -> WarrantyCard:
    if value is None:
        return _NO_CARD
    d = as_object(value, "warranty_card", _CARD)
    rate = d.get("compensation_rate")
    wear = tuple(
        _wear_part(w, f"warranty_card.wear_parts[{i}]")
        for i, w in enumerate(as_list(d.get("wear_parts"), "warranty_card.wear_parts"))
    )
    names = [w.name for w in wear]
    for i, name in enumerate(names):
        if name in names[:i]:
            raise FactsError(
                f"warranty_card.wear_parts[{i}].name", "duplicate wear part", "易损件重复"
            )
    special = tuple(
        as_str(s, f"warranty_card.special_parts[{i}]")
        for i, s in enumerate(as_list(d.get("special_parts"), "warranty_card.special_parts"))
    )
    return WarrantyCard(
        repair_warranty=_term(d.get("repair_warranty"), "warranty_card.repair_warranty"),
        three_guarantee=_term(d.get("three_guarantee"), "warranty_card.three_guarantee"),
        compensation_rate=None
        if rate is None
        else as_decimal(rate, "warranty_card.compensation_rate"),
        wear_parts=wear,
        special_parts=special,
    )


def _problem(label: str, value: Any, wear_names: frozenset[str]) -> Problem:
    path = f"problems.{label}"
    d = as_object(value, path, _PROBLEM)
    failure, exclusion, wear = d.get("failure"), d.get("exclusion"), d.get("wear_part")
    if wear is not None and as_str(wear, f"{path}.wear_part") not in wear_names:
        raise FactsError(
            f"{path}.wear_part",
            "not a wear part declared on the warranty card",
            "不是三包凭证上列明的易损件",
        )
    description, system = d.get("description"), d.get("system")
    if type(system) is not str or system not in SYSTEMS:  # paths are built for errors only
        system = as_enum(required(d, "system", f"{path}.system"), f"{path}.system", SYSTEMS)
    if type(description) is not str:
        description = "" if description is None else as_str(description, f"{path}.description")
    elif not description.isascii():
        check_text(description, f"{path}.description")
    return Problem(
        label=label,
        system=system,
        description=description,
        quality_problem=flag_or(d, "quality_problem", path, True),
        serious_safety=flag_or(d, "serious_safety", path, False),
        failure=None if failure is None else as_enum(failure, f"{path}.failure", FAILURES),
        wear_part=wear,
        exclusion=(
            None if exclusion is None else as_enum(exclusion, f"{path}.exclusion", EXCLUSIONS)
        ),
    )


def _problems(value: Any, card: WarrantyCard) -> tuple[Problem, ...]:
    if value is None:
        return ()
    if not isinstance(value, dict):
        raise type_error("problems", "an object keyed by problem label", "以问题编号为键的对象")
    wear_names = frozenset(w.name for w in card.wear_parts)
    for label in value:
        if not label.strip():
            raise FactsError("problems", "a problem label must not be empty", "问题编号不能为空")
        if not label.isascii():
            check_text(label, "problems")  # the label would name the field of a later error
    return tuple(_problem(label, v, wear_names) for label, v in value.items())


def _replacement(value: Any, path: str, keys: frozenset[str]) -> Replacement:
    d = as_object(value, path, keys)
    part, diagnosed, by = d.get("part"), d.get("diagnosed_date"), d.get("diagnosed_by")
    return Replacement(
        assembly=as_enum(required(d, "assembly", f"{path}.assembly"), f"{path}.assembly", SYSTEMS),
        part=None if part is None else as_str(part, f"{path}.part"),
        main_part=flag_or(d, "main_part", path, False),
        whole_assembly=flag_or(d, "whole_assembly", path, False),
        status=choice_or(d, "status", path, REPLACEMENT_STATUSES, REPLACED),
        diagnosed_date=None if diagnosed is None else as_date(diagnosed, f"{path}.diagnosed_date"),
        diagnosed_by=None if by is None else as_enum(by, f"{path}.diagnosed_by", DIAGNOSED_BY),
    )


def _excluded_days(value: Any, event: int) -> ExcludedDays:
    if value is None:
        return _NO_EXCLUDED_DAYS
    path = f"events[{event}].excluded_days"
    d = as_object(value, path, _EXCLUDED_DAYS)
    return ExcludedDays(
        **{
            k: as_int(d[k], f"{path}.{k}", 366 * MAX_YEARS)
            for k in EXCLUDED_DAY_KINDS
            if d.get(k) is not None
        }
    )


def _event(i: int, value: Any, labels: frozenset[str], replaced_keys: frozenset[str]) -> Event:
    """Read one visit; its fields' paths (``events[2].start``) are built for an error only."""
    d = value if is_object_of(value, _EVENT) else as_object(value, f"events[{i}]", _EVENT)
    problem = d.get("problem")
    if type(problem) is not str or problem not in labels:
        where = f"events[{i}].problem"
        problem = as_str(required(d, "problem", where), where)
        if problem not in labels:
            raise FactsError(where, "unknown problem label", "问题编号不存在")
    start = quick_moment(d.get("start"))
    if start is None:
        where = f"events[{i}].start"
        start = as_moment(required(d, "start", where), where)
    end = d.get("end")
    if end is not None:
        moment = quick_moment(end)
        end = as_moment(end, f"events[{i}].end") if moment is None else moment
        # Two dates or two date-times compare as they are; a date with a date-time at midnight.
        if (end < start) if type(end) is type(start) else (sort_key(end) < sort_key(start)):
            raise FactsError(f"events[{i}].end", "end is before start", "结束时间早于开始时间")
    odometer = d.get("odometer_km")
    if odometer is not None and not (type(odometer) is int and 0 <= odometer <= MAX_INT):
        as_int(odometer, f"events[{i}].odometer_km")  # raises, naming the field
    fault_found, replaced = d.get("fault_found"), d.get("replaced")
    if fault_found is not True and fault_found is not False:
        fault_found = flag_or(d, "fault_found", f"events[{i}]", True)
    if replaced is not None:
        replaced = _replacements(replaced, f"events[{i}]", replaced_keys)
    resolved = d.get("resolved")
    if resolved is not True and resolved is not False:
        resolved = flag_or(d, "resolved", f"events[{i}]", True)
    return Event(
        problem=problem,
        start=start,
        end=end,
        odometer_km=odometer,
        fault_found=fault_found,
        replaced=() if replaced is None else replaced,
        resolved=resolved,
        excluded_days=_excluded_days(d.get("excluded_days"), i),
    )


def _replacements(value: Any, event_path: str, keys: frozenset[str]) -> tuple[Replacement, ...]:
    path = f"{event_path}.replaced"
    return tuple(_replacement(r, f"{path}[{j}]", keys) for j, r in enumerate(as_list(value, path)))


def _check_odometers(events: tuple[Event, ...], as_of: AsOf) -> None:
    """Reject an odometer that goes backwards in time (lower than a reading on an earlier day)."""
    # Reading: visits on the same day are not ordered against each other (a date-only start has no
    # time), so only readings from strictly earlier days bind.
    days = [day_of(ev.start) for ev in events]
    if not _in_step(events, days):
        _check_by_day(events, days)
    highest = 0
    for ev in events:  # a loop, not max() over a generator: mypyc compiles only the loop
        km = ev.odometer_km
        if km is not None and km > highest:
            highest = km
    if as_of.odometer_km < highest:
        raise FactsError(
            "as_of.odometer_km",
            f"odometer goes backwards: lower than a repair visit's reading ({highest})",
            f"里程倒退：低于维修记录里程 {highest}",
        )


def _in_step(events: tuple[Event, ...], days: list[date]) -> bool:
    """Tell whether days and readings both never decrease in the given order (the usual case).

    Then no reading is lower than one from an earlier day, which all come before it.
    """
    last_day, last_km = None, -1
    for ev, day in zip(events, days, strict=True):
        km = ev.odometer_km
        if (last_day is not None and day < last_day) or (km is not None and km < last_km):
            return False
        last_day = day
        if km is not None:
            last_km = km
    return True


def _check_by_day(events: tuple[Event, ...], days: list[date]) -> None:
    """Raise for the first reading lower than the best reading of a strictly earlier day."""
    best, best_at = -1, -1
    pending: list[int] = []
    previous = None
    for i in sorted(range(len(events)), key=days.__getitem__):
        ev, day = events[i], days[i]
        if day != previous:
            for j in pending:
                km = events[j].odometer_km
                if km is not None and km > best:
                    best, best_at = km, j
            pending, previous = [], day
        if ev.odometer_km is not None and ev.odometer_km < best:
            raise FactsError(
                f"events[{i}].odometer_km",
                f"odometer goes backwards: lower than events[{best_at}].odometer_km ({best})",
                f"里程倒退：低于更早的 events[{best_at}] 的里程 {best}",
            )
        pending.append(i)


def _replaced_keys(value: Any) -> frozenset[str]:
    """Return the keys a replaced-part item may have under the declared contract version.

    Without ``contract`` a document is read as the latest version; a version-1 document has no
    diagnosis keys, so each of its items is a done replacement (``status`` "replaced").
    """
    if value is None:
        return _REPLACED
    if type(value) is not int or value not in CONTRACT_VERSIONS:
        names = ", ".join(str(v) for v in sorted(CONTRACT_VERSIONS))
        raise FactsError("contract", f"must be one of: {names}", f"取值必须是：{names}")
    return _REPLACED_V1 if value == 1 else _REPLACED


def _regime(value: Any) -> str | None:
    if value is None:
        return None
    if type(value) is int:
        value = str(value)
    return as_enum(value, "regime", REGIMES)


def parse_facts(d: Any) -> Facts:
    """Parse the contract's facts JSON (already decoded) into ``Facts``; raise ``FactsError``."""
    d = as_object(d, "", _TOP)
    purchase = _purchase(required(d, "purchase", "purchase"))
    vehicle = _vehicle(d.get("vehicle"))
    card = _card(d.get("warranty_card"))
    problems = _problems(d.get("problems"), card)
    labels = frozenset(p.label for p in problems)
    keys = _replaced_keys(d.get("contract"))
    events = tuple(
        _event(i, e, labels, keys) for i, e in enumerate(as_list(d.get("events"), "events"))
    )
    as_of_d = as_object(required(d, "as_of", "as_of"), "as_of", _AS_OF)
    as_of = AsOf(
        date=as_date(required(as_of_d, "date", "as_of.date"), "as_of.date"),
        odometer_km=as_int(
            required(as_of_d, "odometer_km", "as_of.odometer_km"), "as_of.odometer_km"
        ),
    )
    _check_odometers(events, as_of)
    request = d.get("written_request_date")
    claim, available = d.get("claim"), d.get("replacement_available")
    return Facts(
        purchase=purchase,
        as_of=as_of,
        vehicle=vehicle,
        warranty_card=card,
        problems=problems,
        events=events,
        written_request_date=None if request is None else as_date(request, "written_request_date"),
        claim=None if claim is None else as_enum(claim, "claim", CLAIMS),
        replacement_available=(
            None if available is None else as_enum(available, "replacement_available", AVAILABILITY)
        ),
        regime=_regime(d.get("regime")),
    )
