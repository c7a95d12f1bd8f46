"""Payload templates: Parameters, ResultSelector, ItemSelector and JSONPath Assign.

Every `"key.$": expression` entry, at any depth in objects and arrays, is compiled
once into a path or an intrinsic call; evaluating the template builds a new value
where the entry becomes `"key": <value of the expression>`. Other entries are
copied as written (`"x": "$.a"` stays the string "$.a").

Failures raise `StatesError` with AWS's error name and cause, without the
"An error occurred while executing the state ..." prefix the interpreter adds. A
path that finds nothing is a `States.Runtime` error naming the path, the key and
the input, as in the corpus:
`The JSONPath '$.x' specified for the field 'value.$' could not be found in the
input '{"a":1}'`.
"""

from dataclasses import dataclass
from typing import TypeAlias

from statum.core.language.errors import RUNTIME, LanguageSyntaxError, StatesError
from statum.core.language.intrinsics import Intrinsic, compile_intrinsic
from statum.core.language.json import Json
from statum.core.language.jsontext import to_json_text
from statum.core.language.paths import JsonPath, PathNotFound, compile_path
from statum.core.language.scope import Scope

__all__ = ["Template", "TemplateSyntaxError", "compile_template"]


class TemplateSyntaxError(LanguageSyntaxError):
    """A `"key.$"` entry whose value is not a path or an intrinsic call."""


@dataclass(frozen=True, slots=True)
class _Constant:
    value: Json


@dataclass(frozen=True, slots=True)
class _Dynamic:
    expression: JsonPath | Intrinsic
    field: str  # the key as written, "name.$", for the cause text


@dataclass(frozen=True, slots=True)
class _Object:
    entries: tuple[tuple[str, "_Node"], ...]


@dataclass(frozen=True, slots=True)
class _Array:
    items: tuple["_Node", ...]


_Node: TypeAlias = _Constant | _Dynamic | _Object | _Array


class Template:
    """A compiled payload template; immutable and safe to share."""

    __slots__ = ("_root", "source")

    def __init__(self, source: Json, root: _Node) -> None:
        self.source = source
        self._root = root

    @property
    def is_constant(self) -> bool:
        """True when no entry needs evaluating (the result is a copy of `source`)."""
        return isinstance(self._root, _Constant)

    def evaluate(self, scope: Scope, field: str = "Parameters") -> Json:
        """Build the payload; `field` names the ASL field being evaluated.

        AWS's JSONPath causes name only the template key (`'value.$'`), so `field`
        does not appear in them; it is accepted so every caller reads the same.
        """
        return _build(self._root, scope)


def compile_template(value: Json) -> Template:
    """Compile a template; raises `LanguageSyntaxError` for a bad expression."""
    return Template(value, _compile(value))


def _compile(value: Json) -> _Node:
    if isinstance(value, dict):
        entries: list[tuple[str, _Node]] = []
        for key, item in value.items():
            if key.endswith(".$"):
                entries.append((key[:-2], _Dynamic(_expression(key, item), key)))
            else:
                entries.append((key, _compile(item)))
        if all(isinstance(node, _Constant) for _, node in entries):
            return _Constant(value)
        return _Object(tuple(entries))
    if isinstance(value, list):
        items = tuple(_compile(item) for item in value)
        if all(isinstance(node, _Constant) for node in items):
            return _Constant(value)
        return _Array(items)
    return _Constant(value)


def _expression(key: str, value: Json) -> JsonPath | Intrinsic:
    if isinstance(value, str):
        if value.startswith("$"):
            return compile_path(value)
        if value.startswith("States."):
            return compile_intrinsic(value)
    raise TemplateSyntaxError(
        f"The value for the field '{key}' must be a valid JSONPath or a valid "
        "intrinsic function call"
    )


def _build(node: _Node, scope: Scope) -> Json:
    if isinstance(node, _Dynamic):
        try:
            return node.expression.evaluate(scope)
        except PathNotFound as missing:
            raise StatesError(
                RUNTIME,
                f"The JSONPath '{missing.path.text}' specified for the field "
                f"'{node.field}' could not be found in the input "
                f"'{to_json_text(scope.input)}'",
            ) from None
    if isinstance(node, _Object):
        return {key: _build(child, scope) for key, child in node.entries}
    if isinstance(node, _Array):
        return [_build(child, scope) for child in node.items]
    return _copy(node.value)


def _copy(value: Json) -> Json:
    # Constants are copied so that a caller changing its payload can never change
    # the compiled template that every later evaluation shares.
    if isinstance(value, dict):
        return {key: _copy(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_copy(item) for item in value]
    return value
