"""Choice rules: compiled once, evaluated against a scope.

A rule compiles to a closure `Scope -> bool`, so evaluating a Choice state is a few
function calls with no dictionary lookups of operator names at run time.
"""

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from statum.core.language.errors import RUNTIME, LanguageSyntaxError, StatesError
from statum.core.language.jsonata_templates import JsonataValue, compile_jsonata_value
from statum.core.language.paths import PathNotFound, compile_path
from statum.core.language.scope import Scope
from statum.core.language.templates import Template, compile_template

Test = Callable[[Scope], bool]


@dataclass(slots=True)
class ChoiceRule:
    """A top-level rule: its test, where it leads, and what it assigns."""

    test: Test
    next: str
    assign: Template | JsonataValue | None
    output: JsonataValue | None
    condition: JsonataValue | None


_COMPARATORS: dict[str, Callable[[Any, Any], bool]] = {
    "Equals": lambda a, b: a == b,
    "LessThan": lambda a, b: a < b,
    "GreaterThan": lambda a, b: a > b,
    "LessThanEquals": lambda a, b: a <= b,
    "GreaterThanEquals": lambda a, b: a >= b,
}


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def parse_timestamp(value: Any) -> datetime | None:
    """An RFC 3339 timestamp (with a zone), or None when `value` is not one."""
    if not isinstance(value, str) or not _TIMESTAMP.fullmatch(value):
        return None
    text = value.replace("z", "Z").replace("t", "T")
    if text.endswith("Z"):
        text = text[:-1] + "+00:00"
    # Python accepts at most 6 fractional digits.
    text = re.sub(r"\.(\d{6})\d+", r".\1", text)
    try:
        return datetime.fromisoformat(text)
    except ValueError:
        return None


_TIMESTAMP = re.compile(
    r"\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})"
)

_KINDS: dict[str, Callable[[Any], Any]] = {
    "String": lambda v: v if isinstance(v, str) else None,
    "Numeric": lambda v: v if _is_number(v) else None,
    "Boolean": lambda v: v if isinstance(v, bool) else None,
    "Timestamp": parse_timestamp,
}


def _string_matches(pattern: str) -> Callable[[Any], bool]:
    """`*` is a wildcard; `\\*` a literal star and `\\\\` a literal backslash.

    Matched without a regular expression: the literal pieces between the stars
    are found left to right (leftmost is always right when `*` is the only
    wildcard), so the cost is linear in the value, whatever the pattern; a
    backtracking regex takes exponential time on `a*a*a*...b` against `aaaa...`.
    """
    pieces: list[str] = []
    current: list[str] = []
    i = 0
    while i < len(pattern):
        ch = pattern[i]
        if ch == "\\" and i + 1 < len(pattern):
            current.append(pattern[i + 1])
            i += 2
            continue
        if ch == "*":
            pieces.append("".join(current))
            current = []
        else:
            current.append(ch)
        i += 1
    pieces.append("".join(current))
    if len(pieces) == 1:
        literal = pieces[0]
        return lambda v: isinstance(v, str) and v == literal
    head, middle, tail = pieces[0], pieces[1:-1], pieces[-1]

    def matches(value: Any) -> bool:
        if not isinstance(value, str) or len(value) < len(head) + len(tail):
            return False
        if not (value.startswith(head) and value.endswith(tail)):
            return False
        at, end = len(head), len(value) - len(tail)
        for piece in middle:
            found = value.find(piece, at, end)
            if found < 0:
                return False
            at = found + len(piece)
        return True

    return matches


def _type_test(name: str) -> Callable[[Any], bool]:
    tests: dict[str, Callable[[Any], bool]] = {
        "IsNull": lambda v: v is None,
        "IsNumeric": _is_number,
        "IsString": lambda v: isinstance(v, str),
        "IsBoolean": lambda v: isinstance(v, bool),
        "IsTimestamp": lambda v: parse_timestamp(v) is not None,
    }
    return tests[name]


def _operator(rule: dict[str, Any]) -> tuple[str, Any]:
    for key, value in rule.items():
        if key not in ("Variable", "Next", "Comment", "Assign", "Output"):
            return key, value
    raise LanguageSyntaxError("a choice rule needs a comparison operator")


def compile_choice_rule(rule: dict[str, Any], jsonata: bool) -> ChoiceRule:
    """Compile a top-level rule (one with `Next`)."""
    condition: JsonataValue | None = None
    if jsonata:
        condition = compile_jsonata_value(rule.get("Condition"))
        test: Test = _never
        output = rule.get("Output")
        assign_raw = rule.get("Assign")
        assign: Template | JsonataValue | None = (
            None if assign_raw is None else compile_jsonata_value(assign_raw)
        )
        return ChoiceRule(
            test=test,
            next=str(rule["Next"]),
            assign=assign,
            output=None if output is None else compile_jsonata_value(output),
            condition=condition,
        )
    assign_raw = rule.get("Assign")
    return ChoiceRule(
        test=_compile_test(rule),
        next=str(rule["Next"]),
        assign=None if assign_raw is None else compile_template(assign_raw),
        output=None,
        condition=None,
    )


def _never(_: Scope) -> bool:
    return False


def _compile_test(rule: dict[str, Any]) -> Test:
    if "And" in rule:
        tests = [_compile_test(r) for r in rule["And"]]
        return lambda scope: all(t(scope) for t in tests)
    if "Or" in rule:
        tests = [_compile_test(r) for r in rule["Or"]]
        return lambda scope: any(t(scope) for t in tests)
    if "Not" in rule:
        inner = _compile_test(rule["Not"])
        return lambda scope: not inner(scope)
    variable = compile_path(str(rule.get("Variable", "$")))
    op, operand = _operator(rule)
    if op == "IsPresent":
        want = bool(operand)

        def is_present(scope: Scope) -> bool:
            try:
                variable.evaluate(scope)
            except PathNotFound:
                return not want
            return want

        return is_present
    check = _value_test(op, operand)

    def test(scope: Scope) -> bool:
        try:
            value = variable.evaluate(scope)
        except PathNotFound:
            if op.startswith("Is"):
                return False
            raise StatesError(
                RUNTIME,
                f"Invalid path '{variable.text}': The choice state's condition path "
                "references an invalid value.",
            ) from None
        return check(value, scope)

    return test


def _literal_test(
    coerce: Callable[[Any], Any], compare: Callable[[Any, Any], bool], right: Any
) -> Callable[[Any, Scope], bool]:
    def test(value: Any, _scope: Scope) -> bool:
        left = coerce(value)
        return left is not None and right is not None and compare(left, right)

    return test


def _value_test(op: str, operand: Any) -> Callable[[Any, Scope], bool]:
    if op.startswith("Is"):
        want = bool(operand)
        type_test = _type_test(op)
        return lambda value, _scope: type_test(value) == want
    if op == "StringMatches":
        matches = _string_matches(str(operand))
        return lambda value, _scope: matches(value)
    for kind, coerce in _KINDS.items():
        if not op.startswith(kind):
            continue
        rest = op[len(kind) :]
        by_path = rest.endswith("Path")
        compare = _COMPARATORS[rest[:-4] if by_path else rest]
        if by_path:
            other = compile_path(str(operand))

            def path_test(
                value: Any,
                scope: Scope,
                other: Any = other,
                coerce: Callable[[Any], Any] = coerce,
                compare: Callable[[Any, Any], bool] = compare,
            ) -> bool:
                try:
                    target = other.evaluate(scope)
                except PathNotFound:
                    raise StatesError(
                        RUNTIME,
                        f"Invalid path '{other.text}': The choice state's condition "
                        "path references an invalid value.",
                    ) from None
                left, right = coerce(value), coerce(target)
                return left is not None and right is not None and compare(left, right)

            return path_test
        right = coerce(operand)
        return lambda value, _scope: (
            (left := coerce(value)) is not None
            and right is not None
            and compare(left, right)
        )
    raise LanguageSyntaxError(f"unknown choice operator '{op}'")
