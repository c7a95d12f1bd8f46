"""Parse JSONPath text into segments, with the grammar AWS accepts (Jayway JsonPath).

A path is a root (`$`, `$$` or `$name`) followed by segments. Each segment is a
frozen dataclass; `paths.py` evaluates them and `jsonpath_filter.py` parses the
`[?(...)]` expressions. Like AWS's Jayway (2.4 line), a quoted name in brackets keeps
its backslashes: `$['a\\'b']` names the key `a\\'b`, the backslash only stops the
quote from closing the name.
"""

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, TypeAlias

from statum.core.language.errors import LanguageSyntaxError

if TYPE_CHECKING:
    from statum.core.language.jsonpath_filter import Predicate

__all__ = [
    "Child",
    "Filter",
    "Function",
    "Index",
    "ParsedPath",
    "PathSyntaxError",
    "Scan",
    "Segment",
    "Slice",
    "Wildcard",
    "parse_path",
    "segment_text",
]


class PathSyntaxError(LanguageSyntaxError):
    """A JSONPath that cannot be compiled."""


@dataclass(frozen=True, slots=True)
class Child:
    """`.name` or `['a']`; several names (`['a','b']`) select several members."""

    names: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Index:
    """`[0]`, `[-1]` or `[0,2]`."""

    indexes: tuple[int, ...]


@dataclass(frozen=True, slots=True)
class Slice:
    """`[start:end]` with either bound optional (Jayway has no step)."""

    start: int | None
    end: int | None


@dataclass(frozen=True, slots=True)
class Wildcard:
    """`.*` or `[*]`: every member of an object or element of an array."""


@dataclass(frozen=True, slots=True)
class Scan:
    """`..x`: the selector applied to the node and to all of its descendants."""

    selector: "Segment"


@dataclass(frozen=True, slots=True)
class Filter:
    """`[?(...)]`."""

    predicate: "Predicate"
    source: str


@dataclass(frozen=True, slots=True)
class Function:
    """`.length()` and friends: parsed, but AWS never returns a value for them."""

    name: str


Segment: TypeAlias = Child | Index | Slice | Wildcard | Scan | Filter | Function


@dataclass(frozen=True, slots=True)
class ParsedPath:
    """`root` is "input" (`$`), "context" (`$$`) or "variable" (`$name`)."""

    root: str
    variable: str | None
    segments: tuple[Segment, ...]


_VARIABLE = re.compile(r"[^\W\d]\w*")
_INTEGER = re.compile(r"\s*(-?\d+)\s*")
# After a dot a name runs up to the next dot, bracket or parenthesis.
_DOT_NAME = re.compile(r"[^.\[\]()\s]+")
_BLANKS = re.compile(r"\s*")


def parse_path(text: str, *, allow_variable: bool = True) -> ParsedPath:
    """Parse `text`, raising `PathSyntaxError` with a plain message."""
    if not text.startswith("$"):
        raise PathSyntaxError(f"The path '{text}' must start with '$'")
    position = 1
    root, variable = "input", None
    if text.startswith("$$"):
        root, position = "context", 2
    elif allow_variable and (match := _VARIABLE.match(text, 1)):
        root, variable, position = "variable", match.group(0), match.end()
    segments: list[Segment] = []
    while position < len(text):
        segment, position = _parse_segment(text, position)
        segments.append(segment)
    for segment in segments[:-1]:
        if isinstance(segment, Function):
            raise PathSyntaxError(f"A function must end the path '{text}'")
    return ParsedPath(root, variable, tuple(segments))


def _parse_segment(text: str, position: int) -> tuple[Segment, int]:
    char = text[position]
    if text.startswith("..", position):
        position += 2
        if position < len(text) and text[position] == "[":
            selector, position = _parse_bracket(text, position)
        else:
            selector, position = _parse_dotted(text, position)
        if isinstance(selector, Function | Scan):
            raise PathSyntaxError(f"Invalid deep scan in the path '{text}'")
        return Scan(selector), position
    if char == ".":
        if text.startswith("[", position + 1):
            # Jayway reads `$.[0]` and `$.['a']` as `$[0]` and `$['a']`, and AWS
            # users write them (for example `"InputPath": "$.[0]"`).
            return _parse_bracket(text, position + 1)
        return _parse_dotted(text, position + 1)
    if char == "[":
        return _parse_bracket(text, position)
    raise PathSyntaxError(f"Unexpected '{char}' at position {position} in '{text}'")


def _parse_dotted(text: str, position: int) -> tuple[Segment, int]:
    if text.startswith("*", position):
        return Wildcard(), position + 1
    match = _DOT_NAME.match(text, position)
    if match is None:
        raise PathSyntaxError(f"Expected a name at position {position} in '{text}'")
    name, position = match.group(0), match.end()
    if text.startswith("()", position):
        return Function(name), position + 2
    if position < len(text) and text[position] not in ".[":
        raise PathSyntaxError(
            f"Use bracket notation ['my prop'] for the property at position "
            f"{match.start()} in '{text}'"
        )
    return Child((name,)), position


def _parse_bracket(text: str, position: int) -> tuple[Segment, int]:
    inner_start = position + 1
    # Peek past blanks without copying the rest of the text (quadratic otherwise).
    blanks = _BLANKS.match(text, inner_start)
    first = blanks.end() if blanks else inner_start
    if text.startswith("?", first):
        return _parse_filter(text, inner_start)
    if text.startswith(("'", '"'), first):
        return _parse_quoted_names(text, inner_start)
    close = text.find("]", inner_start)
    if close < 0:
        raise PathSyntaxError(f"Unclosed '[' at position {position} in '{text}'")
    inner = text[inner_start:close].strip()
    if inner == "*":
        return Wildcard(), close + 1
    if ":" in inner:
        return _parse_slice(inner, text), close + 1
    indexes = [_INTEGER.fullmatch(part) for part in inner.split(",")]
    if not inner or not all(indexes):
        raise PathSyntaxError(f"Invalid array index '[{inner}]' in '{text}'")
    return Index(tuple(int(m.group(1)) for m in indexes if m)), close + 1


def _parse_slice(inner: str, text: str) -> Slice:
    parts = inner.split(":")
    if len(parts) != 2 or not any(p.strip() for p in parts):
        raise PathSyntaxError(f"Invalid array slice '[{inner}]' in '{text}'")
    bounds: list[int | None] = []
    for part in parts:
        if not part.strip():
            bounds.append(None)
        elif match := _INTEGER.fullmatch(part):
            bounds.append(int(match.group(1)))
        else:
            raise PathSyntaxError(f"Invalid array slice '[{inner}]' in '{text}'")
    return Slice(bounds[0], bounds[1])


def _parse_quoted_names(text: str, position: int) -> tuple[Segment, int]:
    names: list[str] = []
    while True:
        while position < len(text) and text[position] == " ":
            position += 1
        if position >= len(text) or text[position] not in "'\"":
            raise PathSyntaxError(f"Expected a quoted name in '{text}'")
        name, position = _read_quoted(text, position)
        names.append(name)
        while position < len(text) and text[position] == " ":
            position += 1
        if text.startswith(",", position):
            position += 1
        elif text.startswith("]", position):
            return Child(tuple(names)), position + 1
        else:
            raise PathSyntaxError(
                f"Property must be separated by comma or terminated by ']' in '{text}'"
            )


def _read_quoted(text: str, position: int) -> tuple[str, int]:
    """Read a name quoted by `text[position]`, keeping backslashes as written."""
    quote, start, escaped = text[position], position + 1, False
    for index in range(start, len(text)):
        char = text[index]
        if escaped:
            escaped = False
        elif char == "\\":
            escaped = True
        elif char == quote:
            return text[start:index], index + 1
    raise PathSyntaxError(f"Unclosed quote at position {position} in '{text}'")


def _parse_filter(text: str, position: int) -> tuple[Segment, int]:
    # Imported here: the filter grammar embeds paths, so the modules depend on
    # each other and one of the two imports has to wait until it is needed.
    from statum.core.language.jsonpath_filter import parse_filter

    start = text.index("?", position) + 1
    predicate, end = parse_filter(text, start)
    while end < len(text) and text[end] == " ":
        end += 1
    if not text.startswith("]", end):
        raise PathSyntaxError(f"Unclosed filter at position {position} in '{text}'")
    return Filter(predicate, text[start:end].strip()), end + 1


def segment_text(segment: Segment) -> str:
    """The segment as Jayway prints it in messages: `['a']`, `[0]`, `[*]`, `[?]`."""
    if isinstance(segment, Child):
        return "[" + ",".join(f"'{name}'" for name in segment.names) + "]"
    if isinstance(segment, Index):
        return "[" + ",".join(map(str, segment.indexes)) + "]"
    if isinstance(segment, Slice):
        start = "" if segment.start is None else str(segment.start)
        end = "" if segment.end is None else str(segment.end)
        return f"[{start}:{end}]"
    if isinstance(segment, Wildcard):
        return "[*]"
    if isinstance(segment, Scan):
        return ".." + segment_text(segment.selector)
    if isinstance(segment, Filter):
        return "[?]"
    return f".{segment.name}()"
