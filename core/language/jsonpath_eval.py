"""Evaluate parsed JSONPath segments over a JSON value, as AWS's Jayway JsonPath does.

Two walks, because Jayway treats the two kinds of path differently:

* `select_one` follows a definite path (names and single indexes) and raises
  `Missing` with Jayway's message when a step cannot be taken;
* `compile_selector` binds any path into a function collecting every match; a
  step that cannot be taken simply contributes nothing. AWS returns `[]` for an
  indefinite path that matches nothing, even when Jayway itself would have thrown
  in the definite prefix (`$.items[*]` over `{}` is `[]` in the corpus).

Both follow Jayway's Jackson provider (the one AWS uses): an array index out of
range selects `null` rather than nothing.
"""

from collections.abc import Callable, Iterator
from typing import TypeAlias

from statum.core.language.errors import RUNTIME, StatesError
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

__all__ = [
    "MAX_SELECTED_NODES",
    "Missing",
    "Prefixes",
    "Selector",
    "compile_reader",
    "compile_selector",
    "select_one",
]

_PROVIDER = "com.jayway.jsonpath.spi.json.JacksonJsonNodeJsonProvider"

# Every step of an indefinite path may multiply the nodes it selects (`$..*..*`
# over a deep document), so one evaluation may select at most this many in all,
# counted over its steps. A 256 KiB document has fewer than 200,000 nodes, so only
# repeated scans or wildcards over the same nodes come near it.
MAX_SELECTED_NODES = 1_000_000


class _TooManyNodes(Exception):
    pass


class Prefixes:
    """Jayway's text of a path's first `i` steps, for messages, built on demand.

    Building every prefix up front cost time and memory quadratic in the number
    of segments (10,000 `[0]` took 17 s to compile).
    """

    __slots__ = ("_ends", "_text")

    def __init__(self, segments: tuple[Segment, ...]) -> None:
        texts = [segment_text(s) for s in segments]
        ends = [1]
        for text in texts:
            ends.append(ends[-1] + len(text))
        self._text = "$" + "".join(texts)
        self._ends = ends

    def __getitem__(self, count: int) -> str:
        return self._text[: self._ends[count]]


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


def select_one(segments: tuple[Segment, ...], node: Json, prefixes: Prefixes) -> Json:
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


Selector: TypeAlias = Callable[[Json, Json], list[Json]]
_Step: TypeAlias = Callable[[list[Json], Json], list[Json]]


def compile_selector(segments: tuple[Segment, ...]) -> Selector:
    """A function `(node, root) -> matches`; each step is bound once, here."""
    steps = tuple(_compile_step(segment) for segment in segments)
    prefixes = Prefixes(segments)

    def select(node: Json, root: Json) -> list[Json]:
        nodes = [node]
        selected = 0
        try:
            for step in steps:
                nodes = step(nodes, root)
                selected += len(nodes)
                if selected > MAX_SELECTED_NODES:
                    raise _TooManyNodes
        except _TooManyNodes:
            raise StatesError(
                RUNTIME,
                f"The JSONPath '{prefixes[len(segments)]}' selects more than "
                f"{MAX_SELECTED_NODES:,} nodes (counted over its steps); select "
                "fewer: each '..' or '[*]' multiplies the matches",
            ) from None
        return nodes

    return select


def _compile_step(segment: Segment) -> _Step:
    if isinstance(segment, Child):
        names = segment.names
        if len(names) == 1:
            name = names[0]
            return lambda nodes, root: [
                n[name] for n in nodes if isinstance(n, dict) and name in n
            ]
        return lambda nodes, root: [
            n[k] for n in nodes if isinstance(n, dict) for k in names if k in n
        ]
    if isinstance(segment, Index):
        indexes = segment.indexes
        return lambda nodes, root: [
            _item(n, i) for n in nodes if isinstance(n, list) for i in indexes
        ]
    if isinstance(segment, Slice):
        bounds = slice(segment.start, segment.end)
        return lambda nodes, root: [
            item for n in nodes if isinstance(n, list) for item in n[bounds]
        ]
    if isinstance(segment, Wildcard):
        return _wildcard
    if isinstance(segment, Filter):
        test = segment.predicate.test

        def keep(nodes: list[Json], root: Json) -> list[Json]:
            out: list[Json] = []
            for node in nodes:
                if isinstance(node, list):
                    out.extend(item for item in node if test(item, root))
                elif isinstance(node, dict) and test(node, root):
                    out.append(node)
            return out

        return keep
    if isinstance(segment, Scan):
        selector = _compile_step(segment.selector)
        into_arrays = not isinstance(segment.selector, Child)

        def scan(nodes: list[Json], root: Json) -> list[Json]:
            visited: list[Json] = []
            for node in nodes:
                _descend(node, into_arrays, visited)
            return selector(visited, root)

        return scan
    # A path function: AWS never yields a value for it (see paths.py).
    return lambda nodes, root: []


def _wildcard(nodes: list[Json], root: Json) -> list[Json]:
    out: list[Json] = []
    for node in nodes:
        if isinstance(node, dict):
            out.extend(node.values())
        elif isinstance(node, list):
            out.extend(node)
    return out


def _descend(node: Json, into_arrays: bool, visited: list[Json]) -> None:
    # Pre-order, like Jayway's deep scan: the node itself, then its descendants.
    # A name never matches an array, so arrays are only offered to other selectors.
    # A stack of iterators rather than recursion: data may nest deeper than the
    # interpreter's stack.
    pending: list[Iterator[Json]] = [iter((node,))]
    while pending:
        child = next(pending[-1], _DONE)
        if child is _DONE:
            pending.pop()
        elif isinstance(child, dict):
            visited.append(child)
            pending.append(iter(child.values()))
        elif isinstance(child, list):
            if into_arrays:
                visited.append(child)
            pending.append(iter(child))
        if len(visited) > MAX_SELECTED_NODES:
            raise _TooManyNodes


_DONE: Json = object()  # type: ignore[assignment]


def compile_reader(
    segments: tuple[Segment, ...], definite: bool
) -> Callable[[Json], Json]:
    """A function of the root document: the value (definite) or the matches.

    It raises `Missing` when a definite path finds nothing.
    """
    prefixes = Prefixes(segments)
    if segments and isinstance(segments[-1], Function):
        # AWS accepts `$.a.length()` but reports it as not found when it runs.
        def never(document: Json) -> Json:
            if definite:
                select_one(segments, document, prefixes)
            raise Missing(f"No results for path: {prefixes[-1]}", "")

        return never
    if not definite:
        select = compile_selector(segments)
        return lambda document: select(document, document)
    steps: list[str | int] = []
    for segment in segments:
        if isinstance(segment, Child) and len(segment.names) == 1:
            steps.append(segment.names[0])
        elif isinstance(segment, Index):
            steps.append(segment.indexes[0])
        else:
            return lambda document: select_one(segments, document, prefixes)
    keys = tuple(steps)
    if not keys:
        return _identity
    if all(type(key) is str for key in keys):
        return _name_walk(keys, segments, prefixes)

    def walk(document: Json) -> Json:
        # Plain lookups; anything unusual (a missing name, a step into the wrong
        # type, an index out of range) takes the general walk, which gives
        # Jayway's result or message.
        node = document
        try:
            for key in keys:
                if type(key) is str or type(node) is list:
                    node = node[key]  # type: ignore[index]
                else:
                    raise TypeError
            return node
        except (KeyError, TypeError, IndexError):
            return select_one(segments, document, prefixes)

    return walk


def _identity(document: Json) -> Json:
    return document


def _name_walk(
    keys: tuple[str | int, ...],
    segments: tuple[Segment, ...],
    prefixes: Prefixes,
) -> Callable[[Json], Json]:
    # The common case, `$.a.b`: indexing anything but an object by a name raises
    # TypeError, so a successful walk needs no type checks.
    def walk(document: Json) -> Json:
        node = document
        try:
            for key in keys:
                node = node[key]  # type: ignore[index]
            return node
        except (KeyError, TypeError):
            return select_one(segments, document, prefixes)

    return walk
