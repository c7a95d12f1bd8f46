"""JSONata regular expressions run on RE2: linear in the input, whatever the
pattern; what RE2 cannot run is refused when the expression is compiled."""

import pytest

from statum.core.language.expressions import ExpressionSyntaxError, compile_expression
from tests.language.test_expressions import evaluate


def test_a_catastrophic_pattern_answers_at_once() -> None:
    # /(a+)+$/ on "aaaa...!" backtracks exponentially in Python's re.
    states = {"input": {"s": "a" * 100_000 + "!"}}
    assert evaluate("$contains($states.input.s, /(a+)+$/)", states=states) is False
    assert evaluate("$contains($states.input.s, /(a+)+!$/)", states=states) is True


def test_matches_groups_flags_replace_and_split_still_work() -> None:
    assert evaluate('$match("Ab12ab", /(a)(b)/i).match') == ["Ab", "ab"]
    assert evaluate('$match("Ab12ab", /(a)(b)/i)[0].groups') == ["A", "b"]
    assert evaluate('$replace("a1b22", /[0-9]+/, "#")') == "a#b#"
    assert evaluate('$split("a1b22c", /[0-9]+/)') == ["a", "b", "c"]
    assert (
        evaluate('$replace("ab", /(a)/, function($m) { $uppercase($m.match) })') == "Ab"
    )


@pytest.mark.parametrize("pattern", ["/a(?=b)/", r"/(a)\1/", "/(?<!x)a/"])
def test_backreferences_and_lookaround_are_refused_at_compile_time(
    pattern: str,
) -> None:
    with pytest.raises(ExpressionSyntaxError, match="cannot be run in linear time"):
        compile_expression(f'$match("aab", {pattern})')
