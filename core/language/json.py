"""The JSON value type shared by the whole core."""

from typing import Any, TypeAlias

# Decoded JSON as Python builds it: dict/list/str/int/float/bool/None.
Json: TypeAlias = dict[str, "Json"] | list["Json"] | str | int | float | bool | None


def json_type_name(value: Any) -> str:
    """The JSON type name AWS uses in its messages: 'array', 'object', 'number'..."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int | float):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "array"
    return "object"
