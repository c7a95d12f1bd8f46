"""The fast path for plain variable paths answers exactly what the engine answers."""

from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from statum.core.language.entropy import Entropy
from statum.core.language.expressions import Expression, compile_expression
from statum.core.language.jsonata_fastpath import variable_path
from statum.core.language.jsonata_limits import DEFAULT_LIMITS

NAMES = ["a", "b", "input", "items", "x"]

scalars = (
    st.none()
    | st.booleans()
    | st.integers(-5, 5)
    | st.floats(-3, 3)
    | st.text(max_size=3)
)
json_values = st.recursive(
    scalars,
    lambda children: (
        st.lists(children, max_size=3)
        | st.dictionaries(st.sampled_from(NAMES), children, max_size=3)
    ),
    max_leaves=12,
)
paths = st.tuples(
    st.sampled_from(["states", "v", "w", "sum"]),
    st.lists(st.sampled_from(NAMES), max_size=4),
)


def by_engine(expression: Expression, variables: Any, states: Any) -> Any:
    # The private entry point runs the engine even where the fast path applies.
    return expression._run(variables, states, 0, Entropy("e"), "Output", DEFAULT_LIMITS)


def outcome(call: Any) -> Any:
    try:
        return ("value", call())
    except Exception as error:  # compare failures too, by their text
        return ("error", str(error))


@given(paths, json_values, json_values, json_values)
def test_fast_path_matches_the_engine(path: Any, states: Any, v: Any, w: Any) -> None:
    name, steps = path
    text = "$" + ".".join([name, *steps])
    expression = compile_expression(text)
    assert expression._path is not None
    variables = {"v": v, "w": w}
    states = {"input": states}
    fast = outcome(
        lambda: expression.evaluate(
            variables, states, now_ms=0, entropy=Entropy("e"), field="Output"
        )
    )
    slow = outcome(lambda: by_engine(expression, variables, states))
    assert fast == slow
    if fast[0] == "value":
        assert type(fast[1]) is type(slow[1])


def test_only_bare_paths_qualify() -> None:
    for text in ["$states.input.a", "$v", "$v.and_more", "$states.input.`a`"]:
        expected = "`" not in text
        assert (
            variable_path(text, compile_expression(text)._engine.ast) is not None
        ) == expected
    for text in ["$v[0]", "$v.a[x=1]", "$v.a.b#$i", "$v.a@$x", "$.a", "$", "$v.and"]:
        assert compile_expression(text)._path is None, text
