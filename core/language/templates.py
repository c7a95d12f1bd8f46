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

from collections.abc import Callable
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


# A compiled template node: a function of the scope, or None for a constant.
_Builder: TypeAlias = Callable[[Scope], Json]


class Template:
    """A compiled payload template; immutable and safe to share."""

    __slots__ = ("_build", "source")

    def __init__(self, source: Json, build: _Builder | None) -> None:
        self.source = source
        self._build = build

    @property
    def is_constant(self) -> bool:
        """True when no entry needs evaluating (the result is a copy of `source`)."""
        return self._build is None

    def evaluate(self, scope: Scope, field: str = "Parameters") -> Json:
        """Build the payload; `field` names the ASL field being evaluated.

        AWS's JSONPath causes name only the template key (`'value.$'`), so `field`
        does not appear in them; it is accepted so every caller reads the same.
        """
        if self._build is None:
            return _copy(self.source)
        return self._build(scope)


def compile_template(value: Json) -> Template:
    """Compile a template; raises `LanguageSyntaxError` for a bad expression."""
    return Template(value, _compile(value))


def _compile(value: Json) -> _Builder | None:
    if isinstance(value, dict):
        entries: list[tuple[str, _Builder | None, Json]] = []
        for key, item in value.items():
            if key.endswith(".$"):
                entries.append((key[:-2], _dynamic(key, item), None))
            else:
                entries.append((key, _compile(item), item))
        if all(build is None for _, build, _ in entries):
            return None
        # Constant containers are copied on each evaluation, scalars shared.
        bound = tuple(
            (key, build or _copier(item), item) for key, build, item in entries
        )

        def build_object(scope: Scope) -> Json:
            return {
                key: item if build is None else build(scope)
                for key, build, item in bound
            }

        return build_object
    if isinstance(value, list):
        items = [(_compile(item), item) for item in value]
        if all(build is None for build, _ in items):
            return None
        builders = tuple(
            build or _copier(item) or _constant(item) for build, item in items
        )
        return lambda scope: [build(scope) for build in builders]
    return None


def _copier(value: Json) -> _Builder | None:
    if isinstance(value, dict | list):
        return lambda scope: _copy(value)
    return None


def _constant(value: Json) -> _Builder:
    return lambda scope: value


def _dynamic(key: str, value: Json) -> _Builder:
    expression = _expression(key, value)
    evaluate = expression.evaluate

    def build(scope: Scope) -> Json:
        try:
            return evaluate(scope)
        except PathNotFound as missing:
            raise StatesError(
                RUNTIME,
                f"The JSONPath '{missing.path.text}' specified for the field "
                f"'{key}' could not be found in the input "
                f"'{to_json_text(scope.input)}'",
            ) from None

    return build


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


def _copy(value: Json) -> Json:
    # Constants are copied so that a caller changing its payload can never change
    # the compiled template that every later evaluation shares.
    if isinstance(value, dict):
        return {key: _copy(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_copy(item) for item in value]
    return value
