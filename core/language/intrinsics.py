"""Compile intrinsic calls (`States.Format('{} x', $.a)`) once, evaluate them fast.

Arguments are string literals (`'it\\'s'`; the only escapes are `\\'`, `\\{`, `\\}`
and `\\\\`, AWS rejects any other, such as `\\"`), numbers, `true`/`false`/`null`,
paths (`$.a`, `$$.Execution.Id`, `$variable`) and nested calls. Names and argument
counts are checked at compile time; argument values at evaluation time.
"""

import functools
import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeAlias

from statum.core.language.errors import LanguageSyntaxError
from statum.core.language.intrinsic_functions import FUNCTIONS, FunctionSpec, run_format
from statum.core.language.json import Json
from statum.core.language.jsonpath_parser import PathSyntaxError
from statum.core.language.paths import JsonPath, compile_path
from statum.core.language.scope import Scope

__all__ = ["Intrinsic", "IntrinsicSyntaxError", "compile_intrinsic"]


class IntrinsicSyntaxError(LanguageSyntaxError):
    """An intrinsic function call that cannot be compiled."""


@dataclass(frozen=True, slots=True)
class _Literal:
    value: Json

    def evaluate(self, scope: Scope) -> Json:
        return self.value


Argument: TypeAlias = "_Literal | JsonPath | Intrinsic"


@dataclass(frozen=True, slots=True, eq=False)
class Intrinsic:
    """A compiled call; immutable and safe to share."""

    text: str
    name: str
    arguments: tuple[Argument, ...]
    spec: FunctionSpec
    # A States.Format whose template is a literal, split into text and
    # placeholders at compile time (escaped braces are text, not placeholders).
    format_parts: tuple[str | None, ...] | None = None
    # The arguments' bound `evaluate` methods, so a call does no dispatching.
    _evaluators: tuple[Callable[[Scope], Json], ...] = ()

    def evaluate(self, scope: Scope) -> Json:
        """Call the function; raises `StatesError` or `PathNotFound`."""
        values = [evaluate(scope) for evaluate in self._evaluators]
        if self.format_parts is not None:
            return run_format(self.name, self.format_parts, values[1:])
        return self.spec.run(self.name, values, scope)


@functools.lru_cache(maxsize=2048)
def compile_intrinsic(text: str) -> Intrinsic:
    """Compile a `States.X(...)` call; raises `IntrinsicSyntaxError`."""
    parser = _Parser(text)
    call = parser.call()
    parser.skip_spaces()
    if parser.position != len(text):
        raise parser.fail("Unexpected text after the call")
    return call


_NAME = re.compile(r"States\.[A-Za-z0-9]+")
_NUMBER = re.compile(r"-?\d+(\.\d+)?([eE][+-]?\d+)?")
_WORD_END = re.compile(r"[\s,)]|$")
_ESCAPABLE = "'{}\\"


class _Parser:
    def __init__(self, text: str) -> None:
        self.text, self.position = text, 0

    def fail(self, message: str) -> IntrinsicSyntaxError:
        return IntrinsicSyntaxError(
            f"{message} at position {self.position} in '{self.text}'"
        )

    def skip_spaces(self) -> None:
        while self.position < len(self.text) and self.text[self.position].isspace():
            self.position += 1

    def call(self) -> Intrinsic:
        start = self.position
        match = _NAME.match(self.text, self.position)
        if match is None:
            raise self.fail("Expected an intrinsic function name such as States.Format")
        name = match.group(0)
        spec = FUNCTIONS.get(name)
        if spec is None:
            raise self.fail(f"Unknown intrinsic function {name}")
        self.position = match.end()
        self.skip_spaces()
        if not self.text.startswith("(", self.position):
            raise self.fail("Expected '('")
        self.position += 1
        arguments: list[Argument] = []
        raw_template: str | None = None
        self.skip_spaces()
        if self.text.startswith(")", self.position):
            self.position += 1
        else:
            while True:
                self.skip_spaces()
                if not arguments and self.text.startswith("'", self.position):
                    raw_template = self.raw_string()
                    arguments.append(_Literal(_unescape(raw_template)))
                else:
                    arguments.append(self.argument())
                self.skip_spaces()
                if self.text.startswith(",", self.position):
                    self.position += 1
                elif self.text.startswith(")", self.position):
                    self.position += 1
                    break
                else:
                    raise self.fail("Expected ',' or ')'")
        if len(arguments) < spec.min_args or (
            spec.max_args is not None and len(arguments) > spec.max_args
        ):
            raise self.fail(f"Wrong number of arguments for {name}")
        parts = None
        if name == "States.Format" and raw_template is not None:
            parts = tuple(_template_parts(raw_template))
        return Intrinsic(
            self.text[start : self.position],
            name,
            tuple(arguments),
            spec,
            parts,
            tuple(argument.evaluate for argument in arguments),
        )

    def argument(self) -> Argument:
        text, start = self.text, self.position
        if text.startswith("'", start):
            return _Literal(_unescape(self.raw_string()))
        if text.startswith("$", start):
            return self.path()
        if text.startswith("States.", start):
            return self.call()
        for word, value in (("true", True), ("false", False), ("null", None)):
            if text.startswith(word, start) and _WORD_END.match(
                text, start + len(word)
            ):
                self.position += len(word)
                return _Literal(value)
        number = _NUMBER.match(text, start)
        if number and _WORD_END.match(text, number.end()):
            self.position = number.end()
            return _Literal(json.loads(number.group(0)))
        raise self.fail("Expected an argument")

    def raw_string(self) -> str:
        """Read a quoted literal and return its text with escapes still in it."""
        index = self.position + 1
        while index < len(self.text):
            char = self.text[index]
            if char == "\\":
                if (
                    index + 1 >= len(self.text)
                    or self.text[index + 1] not in _ESCAPABLE
                ):
                    self.position = index
                    raise self.fail("Illegal escape sequence in a string literal")
                index += 2
            elif char == "'":
                raw = self.text[self.position + 1 : index]
                self.position = index + 1
                return raw
            else:
                index += 1
        raise self.fail("Unclosed string literal")

    def path(self) -> JsonPath:
        # A path runs to the next top-level ',' or ')'; brackets, parentheses and
        # quotes inside it (filters, quoted names) are skipped over.
        index, depth, quote = self.position, 0, ""
        while index < len(self.text):
            char = self.text[index]
            if quote:
                if char == "\\":
                    index += 1
                elif char == quote:
                    quote = ""
            elif char in "'\"" and depth:
                quote = char
            elif char in "[(":
                depth += 1
            elif char in "])":
                if depth == 0:
                    break
                depth -= 1
            elif char == "," and depth == 0:
                break
            index += 1
        source = self.text[self.position : index].rstrip()
        try:
            compiled = compile_path(source)
        except PathSyntaxError as error:
            raise self.fail(str(error)) from None
        self.position = index
        return compiled


def _unescape(raw: str) -> str:
    return re.sub(r"\\(.)", r"\1", raw)


def _template_parts(raw: str) -> list[str | None]:
    parts: list[str | None] = []
    text: list[str] = []
    index = 0
    while index < len(raw):
        if raw[index] == "\\":
            text.append(raw[index + 1])
            index += 2
        elif raw.startswith("{}", index):
            if text:
                parts.append("".join(text))
                text = []
            parts.append(None)
            index += 2
        else:
            text.append(raw[index])
            index += 1
    if text:
        parts.append("".join(text))
    return parts
