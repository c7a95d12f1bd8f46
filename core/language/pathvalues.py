"""The causes AWS gives when a `*Path` field selects a value of the wrong type.

AWS words these in two families, by the age of the field rather than by the
field itself, so one table says which family a field belongs to and one function
per family builds every text:

* the Wait-era *parameters* quote the path and the value after it:
  `The SecondsPath parameter cannot be parsed as a long value: $.s == 1.5`,
  `The SecondsPath parameter references a negative value: $.s == -1`,
  `The TimestampPath parameter does not reference a valid ISO-8601 extended offset
  date-time format string: $.t == 2016-03-14`;
* the Map-era *fields* quote the value, then the path:
  `The MaxConcurrencyPath field refers to value "NoNumber" which is not a valid
  integer: $.m` (`float` for a percentage).

A value of the right type but out of range has a text of its own per field
(`ToleratedFailureCount cannot be negative.`); `RANGE_CAUSES` holds them.

In both, a string is shown as its characters and any other value as its JSON
text (the corpus shows `"NoNumber"` and `"{}"` for the same field). All are
`States.Runtime` failures.
"""

from typing import Literal

from statum.core.language.errors import RUNTIME, StatesError
from statum.core.language.json import Json
from statum.core.language.jsontext import to_json_text

__all__ = [
    "PATH_FIELD_FAMILY",
    "RANGE_CAUSES",
    "not_float",
    "not_integer",
    "not_timestamp",
    "out_of_range",
    "range_error",
    "shown",
]

Family = Literal["parameter", "field"]

PATH_FIELD_FAMILY: dict[str, Family] = {
    "SecondsPath": "parameter",
    "TimestampPath": "parameter",
    "TimeoutSecondsPath": "parameter",
    "HeartbeatSecondsPath": "parameter",
    "MaxConcurrencyPath": "field",
    "ToleratedFailureCountPath": "field",
    "ToleratedFailurePercentagePath": "field",
    "MaxItemsPerBatchPath": "field",
    "MaxInputBytesPerBatchPath": "field",
}


RANGE_CAUSES: dict[str, str] = {
    "MaxConcurrency": "Expected non-negative integer for MaxConcurrency, got '{value}' "
    "instead.",
    "ToleratedFailureCount": "ToleratedFailureCount cannot be negative.",
    "ToleratedFailurePercentage": "ToleratedFailurePercentage must be between 0 and "
    "100.",
}


def range_error(field: str, value: Json) -> StatesError:
    """A value of the right type outside what `field` allows."""
    return StatesError(RUNTIME, RANGE_CAUSES[field].format(value=shown(value)))


def shown(value: Json) -> str:
    """A selected value as AWS prints it inside these causes."""
    return value if isinstance(value, str) else to_json_text(value)


def _parameter(field: str, problem: str, path: str, value: Json) -> StatesError:
    return StatesError(
        RUNTIME, f"The {field} parameter {problem}: {path} == {shown(value)}"
    )


def _field(field: str, expected: str, path: str, value: Json) -> StatesError:
    return StatesError(
        RUNTIME,
        f'The {field} field refers to value "{shown(value)}" which is not a valid '
        f"{expected}: {path}",
    )


def _family(field: str) -> Family:
    return PATH_FIELD_FAMILY.get(field, "field")


def not_integer(field: str, path: str, value: Json) -> StatesError:
    """The path's value is not a whole number (Java: not a `long`/`int`)."""
    if _family(field) == "parameter":
        return _parameter(field, "cannot be parsed as a long value", path, value)
    return _field(field, "integer", path, value)


def not_float(field: str, path: str, value: Json) -> StatesError:
    """The path's value is not a number (a percentage)."""
    if _family(field) == "parameter":
        return _parameter(field, "cannot be parsed as a double value", path, value)
    return _field(field, "float", path, value)


def out_of_range(field: str, path: str, value: Json) -> StatesError:
    """A whole number below what the field allows (a negative wait)."""
    return _parameter(field, "references a negative value", path, value)


def past_latest_time(field: str, path: str, value: Json) -> StatesError:
    """A wait so long that its end has no timestamp (timestamps.py)."""
    return _parameter(
        field,
        "references a wait that would end after the latest representable time "
        "(the year 292278994)",
        path,
        value,
    )


def not_timestamp(field: str, path: str, value: Json) -> StatesError:
    """The path's value is not an ISO-8601 offset date-time string."""
    return _parameter(
        field,
        "does not reference a valid ISO-8601 extended offset date-time format string",
        path,
        value,
    )
