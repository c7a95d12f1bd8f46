"""JSONPath filter expressions (`[?(...)]`) with Jayway's comparison rules.

Grammar (Jayway's): `||` over `&&` over `!`/parentheses over relations
`operand op operand`, or a lone path as an existence test (`[?(@.x)]` keeps items
that have `x`, whatever its value). Operands are `@...` (the item), `$...` (the
document root), numbers, quoted strings, `true`/`false`/`null`, `/regex/flags` and
array literals. A path operand that finds nothing is *undefined*: it equals nothing,
so `!=` holds for it, as in Jayway.
"""

import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Final, TypeAlias

from statum.core.language.json import Json
from statum.core.language.jsonequality import json_equal
from statum.core.language.jsonpath_eval import Missing, compile_reader
from statum.core.language.jsonpath_parser import (
    Child,
    Index,
    PathSyntaxError,
    parse_path,
)
from statum.core.language.jsontext import java_scalar_text

__all__ = ["Predicate", "parse_filter"]


class _Undefined:
    """What a path operand evaluates to when it selects nothing."""


UNDEFINED: Final = _Undefined()
Value: TypeAlias = Json | _Undefined | re.Pattern[str]


@dataclass(frozen=True, slots=True)
class PathOperand:
    from_root: bool
    definite: bool
    reader: Callable[[Json], Json]

    def value(self, item: Json, root: Json) -> Value:
        try:
            return self.reader(root if self.from_root else item)
        except Missing:
            return UNDEFINED

    def exists(self, item: Json, root: Json) -> bool:
        value = self.value(item, root)
        if self.definite:
            return value is not UNDEFINED
        return bool(value)


@dataclass(frozen=True, slots=True)
class Literal:
    literal: Json

    def value(self, item: Json, root: Json) -> Value:
        return self.literal


@dataclass(frozen=True, slots=True)
class RegexLiteral:
    pattern: re.Pattern[str]

    def value(self, item: Json, root: Json) -> Value:
        return self.pattern


class Predicate:
    """A compiled filter; `test(item, root)` decides whether `item` is kept."""

    __slots__ = ("_test",)

    def __init__(self, test: Callable[[Json, Json], bool]) -> None:
        self._test = test

    def test(self, item: Json, root: Json) -> bool:
        return self._test(item, root)


def _is_number(value: Value) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _equals(left: Value, right: Value) -> bool:
    if left is UNDEFINED or right is UNDEFINED:
        return False
    if _is_number(left) and _is_number(right):
        return left == right
    # Jayway coerces across number and string: a number node compares a string
    # numerically, a string node compares a number by its text.
    if _is_number(left) and isinstance(right, str):
        try:
            return Decimal(right) == Decimal(repr(left))
        except InvalidOperation:
            return False
    if isinstance(left, str) and _is_number(right):
        return left == java_scalar_text(right)  # type: ignore[arg-type]
    if isinstance(left, re.Pattern) or isinstance(right, re.Pattern):
        return False
    return json_equal(left, right)  # type: ignore[arg-type]


def _ordered(check: Callable[[int], bool]) -> Callable[[Value, Value], bool]:
    def compare(left: Value, right: Value) -> bool:
        if _is_number(left) and _is_number(right):
            diff = (left > right) - (left < right)  # type: ignore[operator]
        elif isinstance(left, str) and isinstance(right, str):
            diff = (left > right) - (left < right)
        else:
            return False
        return check(diff)

    return compare


def _member(left: Value, right: Value) -> bool:
    return isinstance(right, list) and any(_equals(left, item) for item in right)


def _matches(left: Value, right: Value) -> bool:
    # Java's Matcher.matches(): the whole string must match.
    return (
        isinstance(right, re.Pattern)
        and isinstance(left, str)
        and right.fullmatch(left) is not None
    )


def _contains(left: Value, right: Value) -> bool:
    if isinstance(left, str) and isinstance(right, str):
        return right in left
    return isinstance(left, list) and any(_equals(item, right) for item in left)


def _size(left: Value, right: Value) -> bool:
    return isinstance(left, list | str) and _is_number(right) and len(left) == right


def _empty(left: Value, right: Value) -> bool:
    return (
        isinstance(left, list | str)
        and isinstance(right, bool)
        and ((len(left) == 0) == right)
    )


def _set_relation(kind: str) -> Callable[[Value, Value], bool]:
    def relation(left: Value, right: Value) -> bool:
        if not isinstance(left, list) or not isinstance(right, list):
            return False
        hits = [any(_equals(a, b) for b in right) for a in left]
        if kind == "subsetof":
            return all(hits)
        return any(hits) if kind == "anyof" else not any(hits)

    return relation


_OPERATORS: dict[str, Callable[[Value, Value], bool]] = {
    "==": _equals,
    "!=": lambda left, right: not _equals(left, right),
    "<=": _ordered(lambda d: d <= 0),
    ">=": _ordered(lambda d: d >= 0),
    "=~": _matches,
    "<": _ordered(lambda d: d < 0),
    ">": _ordered(lambda d: d > 0),
    "nin": lambda left, right: not _member(left, right),
    "in": _member,
    "subsetof": _set_relation("subsetof"),
    "anyof": _set_relation("anyof"),
    "noneof": _set_relation("noneof"),
    "contains": _contains,
    "size": _size,
    "empty": _empty,
}
_NUMBER = re.compile(r"-?\d+(\.\d+)?([eE][+-]?\d+)?")
_PATH_STOP = set(" \t\n=!<>&|,)~")


def parse_filter(text: str, position: int) -> tuple[Predicate, int]:
    """Parse `(expression)` at `position`; return the predicate and the end."""
    parser = _Parser(text, position)
    parser.expect("(")
    test = parser.disjunction()
    parser.expect(")")
    return Predicate(test), parser.position


class _Parser:
    def __init__(self, text: str, position: int) -> None:
        self.text, self.position = text, position

    def fail(self, what: str) -> PathSyntaxError:
        return PathSyntaxError(f"{what} at position {self.position} in '{self.text}'")

    def peek(self, token: str) -> bool:
        while self.position < len(self.text) and self.text[self.position].isspace():
            self.position += 1
        return self.text.startswith(token, self.position)

    def expect(self, token: str) -> None:
        if not self.peek(token):
            raise self.fail(f"Expected '{token}'")
        self.position += len(token)

    def disjunction(self) -> Callable[[Json, Json], bool]:
        terms = [self.conjunction()]
        while self.peek("||"):
            self.position += 2
            terms.append(self.conjunction())
        return terms[0] if len(terms) == 1 else lambda i, r: any(t(i, r) for t in terms)

    def conjunction(self) -> Callable[[Json, Json], bool]:
        terms = [self.unary()]
        while self.peek("&&"):
            self.position += 2
            terms.append(self.unary())
        return terms[0] if len(terms) == 1 else lambda i, r: all(t(i, r) for t in terms)

    def unary(self) -> Callable[[Json, Json], bool]:
        if self.peek("!") and not self.peek("!="):
            self.position += 1
            inner = self.unary()
            return lambda i, r: not inner(i, r)
        if self.peek("("):
            self.position += 1
            inner = self.disjunction()
            self.expect(")")
            return inner
        return self.relation()

    def relation(self) -> Callable[[Json, Json], bool]:
        left = self.operand()
        for name, operator in _OPERATORS.items():
            if self.peek(name) and (
                not name.isalpha()
                or not self.text[
                    self.position + len(name) : self.position + len(name) + 1
                ].isalnum()
            ):
                self.position += len(name)
                right = self.operand()
                return lambda i, r: operator(left.value(i, r), right.value(i, r))
        if not isinstance(left, PathOperand):
            raise self.fail("Expected a comparison")
        return left.exists

    def operand(self) -> "PathOperand | Literal | RegexLiteral":
        if self.peek("@") or self.peek("$"):
            return self.path()
        text, start = self.text, self.position
        if self.peek("'") or self.peek('"'):
            return Literal(self.quoted())
        if self.peek("/"):
            end = text.find("/", start + 1)
            while end > 0 and text[end - 1] == "\\":
                end = text.find("/", end + 1)
            if end < 0:
                raise self.fail("Unclosed regular expression")
            flags_match = re.compile(r"[a-z]*").match(text, end + 1)
            assert flags_match is not None
            self.position = flags_match.end()
            flags = re.IGNORECASE if "i" in flags_match.group(0) else 0
            return RegexLiteral(re.compile(text[start + 1 : end], flags))
        if self.peek("["):
            return Literal(self.array())
        for word, value in (("true", True), ("false", False), ("null", None)):
            if self.peek(word):
                self.position += len(word)
                return Literal(value)
        if number := _NUMBER.match(text, start):
            self.position = number.end()
            return Literal(json.loads(number.group(0)))
        raise self.fail("Expected a value")

    def quoted(self) -> str:
        quote, start = self.text[self.position], self.position
        index = start + 1
        while index < len(self.text) and self.text[index] != quote:
            index += 2 if self.text[index] == "\\" else 1
        if index >= len(self.text):
            raise self.fail("Unclosed string")
        self.position = index + 1
        body = self.text[start + 1 : index]
        return re.sub(r"\\(.)", lambda m: {"n": "\n", "t": "\t"}.get(m[1], m[1]), body)

    def array(self) -> list[Json]:
        self.expect("[")
        items: list[Json] = []
        while not self.peek("]"):
            item = self.operand()
            if not isinstance(item, Literal):
                raise self.fail("Expected a literal")
            items.append(item.literal)
            if self.peek(","):
                self.position += 1
        self.position += 1
        return items

    def path(self) -> PathOperand:
        start, text = self.position, self.text
        index = start + 1
        while index < len(text) and text[index] not in _PATH_STOP:
            if text[index] == "[":
                index = _bracket_end(text, index)
            elif text[index] == "(":
                if not text.startswith("()", index):
                    break
                index += 2
            else:
                index += 1
        self.position = index
        raw = text[start:index]
        segments = parse_path("$" + raw[1:], allow_variable=False).segments
        definite = all(
            (isinstance(s, Child) and len(s.names) == 1)
            or (isinstance(s, Index) and len(s.indexes) == 1)
            for s in segments
        )
        return PathOperand(
            raw.startswith("$"), definite, compile_reader(segments, definite)
        )


def _bracket_end(text: str, index: int) -> int:
    depth, quote = 0, ""
    while index < len(text):
        char = text[index]
        if quote:
            if char == "\\":
                index += 1
            elif char == quote:
                quote = ""
        elif char in "'\"":
            quote = char
        elif char in "[(":
            depth += 1
        elif char in "])":
            depth -= 1
            if depth == 0:
                return index + 1
        index += 1
    raise PathSyntaxError(f"Unclosed '[' in '{text}'")
