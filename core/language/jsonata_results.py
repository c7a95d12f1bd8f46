"""Turning what jsonata-python returns into plain JSON, the way AWS serialises it.

JSONata numbers are doubles and AWS prints them as JavaScript does: an integral
double is an integer (`1.0` in, `1` out, measured on AWS even for
`$states.input.amount`), non-finite numbers become the strings JavaScript names
them by, and an integer past a Java long becomes a double. Sequences become lists,
JSONata null becomes `None`. Functions and regexes have no JSON form.

The walk copies only what it has to change, so a result that is already plain
JSON (a slice of the input, say) comes back as the same object; callers treat
JSON values as immutable.
"""

import math
from typing import Any

from jsonata.utils import Utils

from statum.core.language.json import Json
from statum.core.language.jsonata_limits import MEMORY_LIMIT, LimitExceeded

_NULL: Any = Utils.NULL_VALUE
_LONG_LIMIT = 1 << 63
_SLOT_BYTES = 8


class UnsupportedResult(Exception):
    """The result holds a value JSON cannot carry (a function, a regex)."""


class _Walk:
    __slots__ = ("remaining",)

    def __init__(self, budget: int) -> None:
        self.remaining = budget

    def charge(self, size: int) -> None:
        self.remaining -= size
        if self.remaining < 0:
            raise LimitExceeded(MEMORY_LIMIT)

    def value(self, value: Any) -> Any:
        kind = type(value)
        if kind is str:
            self.charge(len(value))
            return value
        if kind is bool or value is None:
            return value
        if kind is int:
            return value if -_LONG_LIMIT <= value < _LONG_LIMIT else float(value)
        if kind is float:
            return _number(value)
        if value is _NULL:
            return None
        if isinstance(value, dict):
            return self.object(value)
        if isinstance(value, list):
            return self.array(value)
        raise UnsupportedResult

    def object(self, value: dict[str, Any]) -> dict[str, Any]:
        copy: dict[str, Any] | None = None
        for key, item in value.items():
            self.charge(_SLOT_BYTES + len(key))
            plain = self.value(item)
            if plain is not item and copy is None:
                copy = dict(value)
            if copy is not None:
                copy[key] = plain
        return value if copy is None else copy

    def array(self, value: list[Any]) -> list[Any]:
        if isinstance(value, Utils.RangeList):  # lazy, and len() counts one too many
            items = list(range(value.a, value.b))
            self.charge(_SLOT_BYTES * len(items))
            return items
        self.charge(_SLOT_BYTES * len(value))
        copy: list[Any] | None = None if type(value) is list else []
        for index, item in enumerate(value):
            plain = self.value(item)
            if plain is not item and copy is None:
                copy = value[:index]
            if copy is not None:
                copy.append(plain)
        return value if copy is None else copy


def _number(value: float) -> Json:
    if not math.isfinite(value):
        if math.isnan(value):
            return "NaN"
        return "Infinity" if value > 0 else "-Infinity"
    if value.is_integer() and abs(value) < _LONG_LIMIT:
        return int(value)
    return value


def to_json(value: Any, max_bytes: int) -> Json:
    """Plain JSON for a defined jsonata-python value, within `max_bytes`.

    Raises `UnsupportedResult` for functions and `LimitExceeded` past the bound.
    """
    result: Json = _Walk(max_bytes).value(value)
    return result
