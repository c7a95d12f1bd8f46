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


def nesting_depth(value: Any, limit: int) -> int:
    """How many arrays and objects `value` nests (a scalar is 0, `[[]]` is 2),
    counted without recursion and only until the count passes `limit`."""
    if not isinstance(value, dict | list):
        return 0
    deepest = 0
    stack: list[tuple[Any, int]] = [(value, 1)]
    while stack:
        node, depth = stack.pop()
        if depth > deepest:
            deepest = depth
            if deepest > limit:
                break
        items = node.values() if isinstance(node, dict) else node
        stack.extend(
            (item, depth + 1) for item in items if isinstance(item, dict | list)
        )
    return deepest
