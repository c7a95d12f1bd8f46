"""Checks on single field values: JSON types, integer ranges, enums, exclusive pairs.

Messages keep AWS's wording ("Expected value of type [INTEGER]", "Minimum value is 0",
"Value should be one of the following: [...]") so they read like the errors Step
Functions users already know.
"""

import re
from collections.abc import Iterable, Mapping
from typing import Final, TypeGuard

from statum.core.definition.validation.context import JSONATA, Ctx, pointer
from statum.core.definition.validation.syntax import check_jsonata_string
from statum.core.language.json import Json

# AWS caps most second and count fields at 99999999.
MAX_SECONDS: Final = 99_999_999


def is_int(value: Json) -> TypeGuard[int]:
    # bool is an int in Python but never in JSON.
    return isinstance(value, int) and not isinstance(value, bool)


def is_number(value: Json) -> TypeGuard[int | float]:
    return isinstance(value, int | float) and not isinstance(value, bool)


def json_type(value: Json) -> str:
    if value is None:
        return "NULL"
    if isinstance(value, bool):
        return "BOOLEAN"
    if isinstance(value, int):
        return "INTEGER"
    if isinstance(value, float):
        return "NUMBER"
    if isinstance(value, str):
        return "STRING"
    if isinstance(value, list):
        return "ARRAY"
    return "OBJECT"


def expect(ctx: Ctx, loc: str, value: Json, *types: str) -> bool:
    """Report unless `value`'s JSON type is one of `types`; True when it is."""
    actual = json_type(value)
    ok = actual in types or (actual == "INTEGER" and "NUMBER" in types)
    if not ok:
        ctx.report(loc, f"Expected value of type [{', '.join(types)}]")
    return ok


def as_object(ctx: Ctx, loc: str, value: Json) -> dict[str, Json] | None:
    """`value` if it is a JSON object, else None (after reporting it)."""
    if isinstance(value, dict):
        return value
    expect(ctx, loc, value, "OBJECT")
    return None


def as_array(ctx: Ctx, loc: str, value: Json) -> list[Json] | None:
    if isinstance(value, list):
        return value
    expect(ctx, loc, value, "ARRAY")
    return None


def as_string(ctx: Ctx, loc: str, value: Json) -> str | None:
    if isinstance(value, str):
        return value
    expect(ctx, loc, value, "STRING")
    return None


def check_int(
    ctx: Ctx,
    loc: str,
    value: Json,
    minimum: int,
    maximum: int | None = None,
    *,
    language: str = "",
) -> bool:
    """An integer in [minimum, maximum]; in JSONata states, or a `{% %}` string."""
    if language == JSONATA and isinstance(value, str):
        return check_jsonata_string(ctx, loc, value, whole=True)
    if not is_int(value):
        ctx.report(loc, "Expected value of type [INTEGER]")
        return False
    return check_range(ctx, loc, value, minimum, maximum)


def check_number(
    ctx: Ctx,
    loc: str,
    value: Json,
    minimum: float,
    maximum: float | None = None,
    *,
    language: str = "",
) -> bool:
    if language == JSONATA and isinstance(value, str):
        return check_jsonata_string(ctx, loc, value, whole=True)
    if not is_number(value):
        ctx.report(loc, "Expected value of type [NUMBER]")
        return False
    return check_range(ctx, loc, value, minimum, maximum)


def check_range(
    ctx: Ctx, loc: str, value: float, minimum: float, maximum: float | None
) -> bool:
    if value < minimum:
        ctx.report(loc, f"Minimum value is {_number_text(minimum)}")
        return False
    if maximum is not None and value > maximum:
        ctx.report(loc, f"Maximum value is {_number_text(maximum)}")
        return False
    return True


def _number_text(bound: float) -> str:
    return str(int(bound)) if float(bound).is_integer() else str(bound)


def check_enum(ctx: Ctx, loc: str, value: Json, allowed: Iterable[str]) -> bool:
    options = list(allowed)
    if isinstance(value, str) and value in options:
        return True
    ctx.report(loc, f"Value should be one of the following: [{', '.join(options)}]")
    return False


def check_exclusive(ctx: Ctx, loc: str, node: Mapping[str, Json], *names: str) -> None:
    """At most one of `names` may be present in `node` (located at `loc`)."""
    present = [n for n in names if n in node]
    if len(present) > 1:
        quoted = ", ".join(f"'{n}'" for n in present)
        ctx.report(
            pointer(loc, present[1]),
            f"Only one of {quoted} may be given; keep one and remove the others",
        )


def check_required(ctx: Ctx, loc: str, node: Mapping[str, Json], *names: str) -> bool:
    missing = [n for n in names if n not in node]
    if len(missing) == 1:
        ctx.report(loc, f"The field '{missing[0]}' is required but was missing")
    elif missing:
        ctx.report(loc, f"These fields are required: [{', '.join(missing)}]")
    return not missing


# RFC 3339 as AWS restricts it: an uppercase T between date and time, and either an
# uppercase Z or a numeric offset.
_TIMESTAMP = re.compile(
    r"(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(\.\d+)?(Z|[+-]\d{2}:\d{2})"
)


def is_timestamp(text: str) -> bool:
    match = _TIMESTAMP.fullmatch(text)
    if match is None:
        return False
    year, month, day, hour, minute, second = (int(g) for g in match.groups()[:6])
    offset = match.group(8)
    if offset != "Z" and (int(offset[1:3]) > 23 or int(offset[4:6]) > 59):
        return False
    return (
        1 <= month <= 12
        and 1 <= day <= _days_in_month(year, month)
        and hour <= 23
        and minute <= 59
        and second <= 59
    )


def _days_in_month(year: int, month: int) -> int:
    if month == 2:
        leap = year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)
        return 29 if leap else 28
    return 30 if month in (4, 6, 9, 11) else 31


def check_timestamp(ctx: Ctx, loc: str, value: Json) -> None:
    if not isinstance(value, str) or not is_timestamp(value):
        ctx.report(
            loc,
            "The value must be an RFC 3339 timestamp such as "
            "'2016-03-14T01:59:00Z' (uppercase T, and Z or a numeric offset)",
        )
