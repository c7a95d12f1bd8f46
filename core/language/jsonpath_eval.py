"""Evaluate parsed JSONPath segments over a JSON value, as AWS's Jayway JsonPath does.

Two walks, because Jayway treats the two kinds of path differently:

* `select_one` follows a definite path (names and single indexes) and raises
  `Missing` with Jayway's message when a step cannot be taken;
* `select_all` follows any path and collects every match; a step that cannot be
  taken simply contributes nothing. AWS returns `[]` for an indefinite path that
  matches nothing, even when Jayway itself would have thrown in the definite prefix
  (`$.items[*]` over `{}` is `[]` in the corpus).

Both follow Jayway's Jackson provider (the one AWS uses): an array index out of
range selects `null` rather than nothing.
"""

from statum.core.language.json import Json
from statum.core.language.jsonpath_parser import (
    Child,
    Filter,
    Function,
    Index,
    Scan,
    Segment,
    Slice,
    Wildcard,
    segment_text,
)
from statum.core.language.jsontext import java_scalar_text, to_json_text

__all__ = ["Missing", "select_all", "select_one"]

_PROVIDER = "com.jayway.jsonpath.spi.json.JacksonJsonNodeJsonProvider"


class Missing(Exception):
    """A definite step found nothing; `message` is Jayway's text, `step` the key."""

    def __init__(self, message: str, step: str) -> None:
        super().__init__(message)
        self.message = message
        self.step = step


def _java_class(value: Json) -> str:
    # Jayway names the Java type it found; these are what Jackson decodes to.
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "java.lang.Boolean"
    if isinstance(value, int):
        if -(2**31) <= value < 2**31:
            return "java.lang.Integer"
        return "java.lang.Long" if -(2**63) <= value < 2**63 else "java.math.BigInteger"
    if isinstance(value, float):
        return "java.lang.Double"
    if isinstance(value, str):
        return "java.lang.String"
    if isinstance(value, list):
        return "com.fasterxml.jackson.databind.node.ArrayNode"
    return "com.fasterxml.jackson.databind.node.ObjectNode"


def _context_text(value: Json) -> str:
    if isinstance(value, dict | list):
        return to_json_text(value)
    return value if isinstance(value, str) else java_scalar_text(value)


def select_one(
    segments: tuple[Segment, ...], node: Json, prefixes: tuple[str, ...]
) -> Json:
    """Follow a definite path; `prefixes[i]` is Jayway's text of the first i steps."""
    last = len(segments) - 1
    for position, segment in enumerate(segments):
        if isinstance(segment, Child):
            if not isinstance(node, dict):
                raise Missing(
                    f"Expected to find an object with property {segment_text(segment)}"
                    f" in path {prefixes[position]} but found '{_java_class(node)}'. "
                    "This is not a json object according to the JsonProvider: "
                    f"'{_PROVIDER}'.",
                    segment.names[0],
                )
            if len(segment.names) > 1:
                # Only a final multi-name step is definite: it merges the members.
                return {k: node[k] for k in segment.names if k in node}
            name = segment.names[0]
            if name in node:
                node = node[name]
            elif position == last:
                raise Missing(f"No results for path: {prefixes[-1]}", name)
            else:
                raise Missing(
                    f"Missing property in path {prefixes[position + 1]}", name
                )
        elif isinstance(segment, Index):
            index = segment.indexes[0]
            if isinstance(node, list):
                node = _item(node, index)
            elif node is None:
                raise Missing(f"The path {prefixes[position]} is null", str(index))
            else:
                raise Missing(
                    f"Filter: [{index}] can only be applied to arrays. "
                    f"Current context is: {_context_text(node)}",
                    str(index),
                )
        else:
            raise Missing(f"No results for path: {prefixes[-1]}", segment_text(segment))
    return node


def _item(array: list[Json], index: int) -> Json:
    if index < 0:
        index += len(array)
    return array[index] if 0 <= index < len(array) else None


def select_all(segments: tuple[Segment, ...], node: Json, root: Json) -> list[Json]:
    """Every value the path selects, in Jayway's order."""
    current = [node]
    for segment in segments:
        following: list[Json] = []
        for value in current:
            _step(segment, value, root, following)
        current = following
    return current


def _step(segment: Segment, node: Json, root: Json, out: list[Json]) -> None:
    if isinstance(segment, Child):
        if isinstance(node, dict):
            out.extend(node[name] for name in segment.names if name in node)
    elif isinstance(segment, Index):
        if isinstance(node, list):
            out.extend(_item(node, index) for index in segment.indexes)
    elif isinstance(segment, Wildcard):
        if isinstance(node, dict):
            out.extend(node.values())
        elif isinstance(node, list):
            out.extend(node)
    elif isinstance(segment, Slice):
        if isinstance(node, list):
            out.extend(node[segment.start : segment.end])
    elif isinstance(segment, Filter):
        if isinstance(node, list):
            out.extend(item for item in node if segment.predicate.test(item, root))
        elif isinstance(node, dict) and segment.predicate.test(node, root):
            out.append(node)
    elif isinstance(segment, Scan):
        _scan(segment.selector, node, root, out)
    elif isinstance(segment, Function):
        pass  # AWS never yields a value for a path function (see paths.py).


def _scan(selector: Segment, node: Json, root: Json, out: list[Json]) -> None:
    # Pre-order, like Jayway's deep scan: the node itself, then its children.
    if isinstance(node, dict):
        _step(selector, node, root, out)
        for child in node.values():
            _scan(selector, child, root, out)
    elif isinstance(node, list):
        if not isinstance(selector, Child):
            _step(selector, node, root, out)
        for child in node:
            _scan(selector, child, root, out)
