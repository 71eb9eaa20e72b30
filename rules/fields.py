"""Field-level validators shared by ``rules.parsing`` and ``rules.workdays``.

Each takes the value and its dotted path and returns the typed value or raises ``FactsError``.
"""

import re
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any, Final

from rules.facts import FactsError

_MISSING: Final = object()
#: a tuple, not ``int | float | str``: that union would be built again at every call
_NUMBER_TYPES: Final = (int, float, str)
#: the contract's only date and date-time shapes; ASCII so that no other script's digits pass
_DAY: Final = re.compile(r"\d{4}-\d{2}-\d{2}", re.ASCII)
_MINUTE: Final = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}", re.ASCII)
#: Bounds that keep the calendar arithmetic (years added, days counted) and the database's
#: integer and NUMERIC(12, 2) columns in range; no real case comes near them.
FIRST_YEAR: Final = 1900
LAST_YEAR: Final = 2100
MAX_INT: Final = 1_000_000_000
MAX_DECIMAL: Final = Decimal(10) ** 10


def type_error(path: str, expected: str, zh: str) -> FactsError:
    """Return the error for a value of the wrong type."""
    return FactsError(path, f"wrong type: expected {expected}", f"类型错误：应为{zh}")


def is_object_of(value: Any, allowed: frozenset[str]) -> bool:
    """Tell whether ``value`` is an object whose keys are all in ``allowed``, with no path built:
    only when not does the caller build one for ``as_object`` to name the error."""
    if type(value) is not dict:
        return False
    # compiled, this loop costs less than allowed.issuperset or all() over a generator
    for key in value:  # noqa: SIM110
        if key not in allowed:
            return False
    return True


def as_object(value: Any, path: str, allowed: frozenset[str]) -> dict[str, Any]:
    """Return ``value`` as an object whose keys are all in ``allowed``."""
    if not isinstance(value, dict):
        raise type_error(path, "an object", "对象")
    for key in value:
        if key not in allowed:
            sub = f"{path}.{key}" if path else str(key)
            check_text(sub, path)  # the error is to name the key: it must be writable
            raise FactsError(sub, "unknown key", "未知字段")
    return value


def required(d: dict[str, Any], key: str, path: str) -> Any:
    """Return ``d[key]``; missing or null is an error."""
    value = d.get(key, _MISSING)
    if value is _MISSING or value is None:
        raise FactsError(path, "required", "必填")
    return value


def as_bool(value: Any, path: str) -> bool:
    """Return ``value`` as a boolean (true/false only)."""
    if value is True or value is False:
        return value
    raise type_error(path, "true or false", "布尔值 true/false")


def as_int(value: Any, path: str, maximum: int = MAX_INT) -> int:
    """Return ``value`` as an integer from 0 to ``maximum`` (a bool or a float is not one)."""
    if type(value) is not int:
        raise type_error(path, "an integer", "整数")
    if value < 0:
        raise FactsError(path, "must not be negative", "不能为负数")
    if value > maximum:
        raise FactsError(path, f"must be at most {maximum}", f"不能大于 {maximum}")
    return value


def as_str(value: Any, path: str) -> str:
    """Return ``value`` as a string."""
    if not isinstance(value, str):
        raise type_error(path, "a string", "字符串")
    if not value.isascii():
        check_text(value, path)
    return value


def check_text(value: str, path: str) -> None:
    """Refuse a string holding a lone surrogate (JSON's ``"\\ud800"`` escape on its own): it is
    no character, so an assessment or error naming it could not be written out as UTF-8."""
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise FactsError(
            path,
            "must be text: it holds a lone surrogate, which is no character",
            "必须是文本：含有单独的代理码位，不是字符",
        ) from None


def as_enum(value: Any, path: str, choices: frozenset[str]) -> str:
    """Return ``value`` when it is one of ``choices``."""
    if not isinstance(value, str):
        raise type_error(path, "a string", "字符串")
    if value not in choices:
        names = ", ".join(sorted(choices))
        raise FactsError(path, f"must be one of: {names}", f"取值必须是：{names}")
    return value


def as_decimal(value: Any, path: str) -> Decimal:
    """Return ``value`` (a number or numeric text) as a non-negative Decimal."""
    if isinstance(value, bool) or not isinstance(value, _NUMBER_TYPES):
        raise type_error(path, "a number", "数字")
    try:
        result = Decimal(str(value).strip()) if not isinstance(value, int) else Decimal(value)
    except InvalidOperation:
        raise type_error(path, "a number", "数字") from None
    if not result.is_finite():
        raise type_error(path, "a finite number", "有限数字")
    if result < 0:
        raise FactsError(path, "must not be negative", "不能为负数")
    if result >= MAX_DECIMAL:
        raise FactsError(path, "must be less than 10000000000", "必须小于 10000000000")
    return result


#: the parsers, looked up once: a method looked up on the class at each call costs as much again
_DATE_FROM_TEXT: Final = date.fromisoformat
_MOMENT_FROM_TEXT: Final = datetime.fromisoformat


def quick_moment(value: Any) -> date | datetime | None:
    """Return the date or date-time of a well-formed value within the years, else None.

    The usual case without the regular expressions or a field path: with the dashes (and colon)
    where checked, ``fromisoformat`` reads only ASCII ``YYYY-MM-DD`` (``YYYY-MM-DDTHH:MM``), the
    shapes ``_DAY`` and ``_MINUTE`` check. For None the caller asks ``as_date`` or ``as_moment``,
    which name the error.
    """
    if type(value) is not str or value[4:5] != "-" or value[7:8] != "-":
        return None
    size = len(value)
    moment: date | datetime
    try:
        if size == 10:
            moment = _DATE_FROM_TEXT(value)
        elif size == 16 and value[10] == "T" and value[13] == ":":
            moment = _MOMENT_FROM_TEXT(value)
        else:
            return None
    except ValueError:
        return None
    return moment if FIRST_YEAR <= moment.year <= LAST_YEAR else None


def as_date(value: Any, path: str) -> date:
    """Return ``value`` (``YYYY-MM-DD``) as a date."""
    if not isinstance(value, str):
        raise type_error(path, "a date YYYY-MM-DD", "日期 YYYY-MM-DD")
    if len(value) == 10:
        day = quick_moment(value)
        if day is not None:
            return day
    if _DAY.fullmatch(value) is None:
        raise FactsError(path, "not a date YYYY-MM-DD", "日期格式应为 YYYY-MM-DD")
    try:
        day = date.fromisoformat(value)
    except ValueError:
        raise FactsError(path, "impossible date", "日期不存在") from None
    return _in_years(day, path)


def _in_years(day: date, path: str) -> date:
    if not FIRST_YEAR <= day.year <= LAST_YEAR:
        raise FactsError(
            path,
            f"must be a date from {FIRST_YEAR} to {LAST_YEAR}",
            f"日期应在 {FIRST_YEAR} 年到 {LAST_YEAR} 年之间",
        )
    return day


def as_moment(value: Any, path: str) -> date | datetime:
    """Parse ``YYYY-MM-DD`` or ``YYYY-MM-DDTHH:MM``."""
    if not (isinstance(value, str) and len(value) == 16 and value[10] == "T"):
        return as_date(value, path)
    moment = quick_moment(value)
    if moment is not None:
        return moment
    if _MINUTE.fullmatch(value) is None:
        as_date(value[:10], path)  # a bad date part is reported before the time
        raise FactsError(path, "not a time YYYY-MM-DDTHH:MM", "时间格式应为 YYYY-MM-DDTHH:MM")
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        as_date(value[:10], path)  # the shape is right: the date or the time is impossible
        raise FactsError(path, "impossible time", "时间不存在") from None
    _in_years(moment, path)  # a datetime is a date: its year is read, no date() built
    return moment


def optional(d: dict[str, Any], key: str) -> Any:
    """Return the value of an optional key, None when absent or null."""
    return d.get(key)


def flag_or(d: dict[str, Any], key: str, path: str, default: bool) -> bool:
    """Return the boolean ``d[key]``, or ``default`` when absent or null."""
    value = d.get(key)
    if value is None:
        return default
    if value is True or value is False:  # the path is built only for the error
        return value
    return as_bool(value, f"{path}.{key}")


def choice_or(d: dict[str, Any], key: str, path: str, choices: frozenset[str], default: str) -> str:
    """Return ``d[key]`` from ``choices``, or ``default`` when absent or null."""
    value = d.get(key)
    return default if value is None else as_enum(value, f"{path}.{key}", choices)


def as_list(value: Any, path: str) -> list[Any]:
    """Return ``value`` as a list (absent or null: empty)."""
    if value is None:
        return []
    if not isinstance(value, list):
        raise type_error(path, "a list", "列表")
    return value
