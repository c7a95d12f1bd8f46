"""Compiled JSONPaths (`$...`, `$$...`, `$name...`) and ResultPath reference paths.

`compile_path` parses once (cached) and returns an immutable `JsonPath`; evaluating
it never parses again, and a path made of plain names (`$.a.b`, the common case)
is a dictionary walk. The semantics are AWS's, i.e. Jayway JsonPath's:

* a definite path (names and single indexes only) yields the value, or raises
  `PathNotFound` carrying Jayway's message ("No results for path: $['a']", ...);
* an indefinite path (wildcards, slices, filters, deep scans, several indexes)
  yields the list of matches, possibly empty, and never raises;
* a path function (`$.a.length()`) is accepted but never finds anything: AWS
  reports such paths as "could not be found" at run time.
"""

import functools
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from statum.core.language.errors import StatesError
from statum.core.language.json import Json
from statum.core.language.jsonpath_eval import Missing, compile_reader
from statum.core.language.jsonpath_parser import (
    Child,
    Function,
    Index,
    PathSyntaxError,
    Segment,
    parse_path,
)
from statum.core.language.jsontext import to_json_text
from statum.core.language.scope import Scope

__all__ = [
    "REFERENCE_PATH_CONFLICT",
    "JsonPath",
    "PathNotFound",
    "PathSyntaxError",
    "ReferencePath",
    "compile_path",
    "compile_reference_path",
]

# What real executions report when a ResultPath cannot be applied (for example
# ResultPath "$.x" over the input "text"): the error name is not the
# "States.ResultPathMatchFailure" the ASL specification lists.
REFERENCE_PATH_CONFLICT = "States.ReferencePathConflict"


class PathNotFound(Exception):
    """A definite path matched nothing.

    `message` is Jayway's text, `step` the name or index that could not be
    followed; the helpers build the causes AWS reports for each field.
    """

    def __init__(self, path: "JsonPath", message: str, step: str) -> None:
        super().__init__(f"{path.text}: {message}")
        self.path = path
        self.message = message
        self.step = step

    def invalid_path_cause(self) -> str:
        """The cause for InputPath and OutputPath: `Invalid path '$.x' : ...`."""
        return f"Invalid path '{self.path.text}' : {self.message}"

    def step_cause(self, document: Json) -> str:
        """The cause for a reference path read (ItemsPath): `Unable to apply step`."""
        return f'Unable to apply step "{self.step}" to input {to_json_text(document)}'


@dataclass(frozen=True, slots=True, eq=False)
class JsonPath:
    """A compiled path; immutable and safe to share between threads and states."""

    text: str
    root_kind: str
    variable_name: str | None
    is_definite: bool
    segments: tuple[Segment, ...]
    # Bound at compile time; raises `Missing`, which `read` turns into PathNotFound.
    _reader: Callable[[Json], Json]

    def evaluate(self, scope: Scope) -> Json:
        """The value (definite path) or the list of matches (indefinite path)."""
        kind = self.root_kind
        if kind == "input":
            document = scope.input
        elif kind == "context":
            document = scope.context
        else:
            assert self.variable_name is not None
            try:
                document = scope.variables[self.variable_name]
            except KeyError:
                raise PathNotFound(
                    self,
                    f"The variable '{self.variable_name}' is not defined",
                    self.variable_name,
                ) from None
        try:
            return self._reader(document)
        except Missing as missing:
            raise PathNotFound(self, missing.message, missing.step) from None

    def read(self, document: Json) -> Json:
        """Evaluate over `document` as the root, whatever the path's root kind."""
        try:
            return self._reader(document)
        except Missing as missing:
            raise PathNotFound(self, missing.message, missing.step) from None


@functools.lru_cache(maxsize=4096)
def compile_path(text: str) -> JsonPath:
    """Compile a JSONPath; raises `PathSyntaxError` with a plain message."""
    parsed = parse_path(text)
    segments = parsed.segments
    definite = all(_is_definite(s, s is segments[-1]) for s in segments)
    return JsonPath(
        text=text,
        root_kind=parsed.root,
        variable_name=parsed.variable,
        is_definite=definite,
        segments=segments,
        _reader=compile_reader(segments, definite),
    )


def _is_definite(segment: Segment, last: bool) -> bool:
    if isinstance(segment, Child):
        # Jayway merges several names into one object only at the end of a path.
        return len(segment.names) == 1 or last
    if isinstance(segment, Index):
        return len(segment.indexes) == 1
    return isinstance(segment, Function)


@dataclass(frozen=True, slots=True, eq=False)
class ReferencePath:
    """A ResultPath: `$`, names and indexes only; `assign` writes a value there."""

    text: str
    steps: tuple[str | int, ...]

    def assign(self, data: Json, value: Json) -> Json:
        """A copy of `data` with `value` at this path; `data` is left untouched.

        Missing objects along the way are created, as AWS does; a step into a
        value of the wrong type raises `States.ReferencePathConflict`.
        """
        # Down the path, then copies back up: a loop, as a path may have more
        # steps than the interpreter's stack has frames.
        nodes: list[dict[str, Json] | list[Json]] = []
        node = data
        for position, step in enumerate(self.steps):
            if isinstance(step, str) and isinstance(node, dict):
                nodes.append(node)
                last = position == len(self.steps) - 1
                node = None if last else node.get(step, {})
            elif (
                isinstance(step, int)
                and isinstance(node, list)
                and (-len(node) <= step < len(node))
            ):
                nodes.append(node)
                node = node[step]
            else:
                raise StatesError(
                    REFERENCE_PATH_CONFLICT,
                    f"Unable to apply ReferencePath {self.text} to input "
                    f"{to_json_text(data)}",
                )
        result = value
        for parent, step in zip(reversed(nodes), reversed(self.steps), strict=True):
            copy: Any = dict(parent) if isinstance(parent, dict) else list(parent)
            copy[step] = result
            result = copy
        return result


@functools.lru_cache(maxsize=1024)
def compile_reference_path(text: str) -> ReferencePath:
    """Compile a ResultPath; anything but names and single indexes is refused."""
    parsed = parse_path(text, allow_variable=False)
    steps: list[str | int] = []
    for segment in parsed.segments:
        if isinstance(segment, Child) and len(segment.names) == 1:
            steps.append(segment.names[0])
        elif isinstance(segment, Index) and len(segment.indexes) == 1:
            steps.append(segment.indexes[0])
        else:
            raise PathSyntaxError(
                f"The path '{text}' is not a reference path: only names and "
                "single indexes are allowed"
            )
    if parsed.root != "input":
        raise PathSyntaxError(f"The reference path '{text}' must start with '$'")
    return ReferencePath(text, tuple(steps))
