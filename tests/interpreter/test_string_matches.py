"""Choice `StringMatches`: AWS's wildcard rules, in time linear in the value."""

import re

from hypothesis import given
from hypothesis import strategies as st

from statum.core.interpreter.choice import _string_matches


def _reference(pattern: str) -> re.Pattern[str]:
    """The same rules as a (backtracking) regex, for small inputs only."""
    parts, i = [], 0
    while i < len(pattern):
        if pattern[i] == "\\" and i + 1 < len(pattern):
            parts.append(re.escape(pattern[i + 1]))
            i += 2
            continue
        parts.append(".*" if pattern[i] == "*" else re.escape(pattern[i]))
        i += 1
    return re.compile("".join(parts), re.DOTALL)


@given(st.text("ab*\\", max_size=8), st.text("ab*\\", max_size=10))
def test_it_agrees_with_the_wildcard_rules(pattern: str, value: str) -> None:
    expected = _reference(pattern).fullmatch(value) is not None
    assert _string_matches(pattern)(value) is expected


def test_a_pattern_that_makes_a_regex_backtrack_for_ever_is_answered_at_once() -> None:
    # 30 stars against 100,000 near-misses: exponential for a backtracking regex.
    matches = _string_matches("a*" * 30 + "b")
    assert matches("a" * 100_000) is False
    assert matches("a" * 100_000 + "b") is True


def test_only_strings_match() -> None:
    assert _string_matches("*")(42) is False
    assert _string_matches("*")("") is True
