"""Hypothesis strategies: random but valid OSML workflows, inputs, and task outcomes."""

from typing import Any

from hypothesis import strategies as st

json_scalars = st.one_of(
    st.none(), st.booleans(), st.integers(-1000, 1000), st.text(max_size=8)
)
json_values = st.recursive(
    json_scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=3),
        st.dictionaries(st.text(max_size=5), inner, max_size=3),
    ),
    max_leaves=8,
)


@st.composite
def _state(draw: st.DrawFn, index: int, count: int) -> dict[str, Any]:
    kind = draw(st.sampled_from(["Pass", "Task", "Wait", "Choice", "Map", "Parallel"]))
    nxt = f"S{index + 1}" if index + 1 < count else None
    follow: dict[str, Any] = {"Next": nxt} if nxt else {"End": True}
    if kind == "Pass":
        return {
            "Type": "Pass",
            "Result": draw(json_values),
            "ResultPath": "$.r",
            **follow,
        }
    if kind == "Task":
        state: dict[str, Any] = {
            "Type": "Task",
            "Resource": "python:maybe-fail",
            "ResultPath": "$.t",
            **follow,
        }
        if draw(st.booleans()):
            state["Retry"] = [
                {
                    "ErrorEquals": ["States.ALL"],
                    "MaxAttempts": draw(st.integers(0, 3)),
                    "IntervalSeconds": 1,
                    "BackoffRate": 1.5,
                    "JitterStrategy": draw(st.sampled_from(["FULL", "NONE"])),
                }
            ]
        if nxt and draw(st.booleans()):
            state["Catch"] = [
                {"ErrorEquals": ["States.ALL"], "ResultPath": "$.err", "Next": nxt}
            ]
        return state
    if kind == "Wait":
        return {"Type": "Wait", "Seconds": draw(st.integers(0, 100)), **follow}
    if kind == "Choice":
        other = nxt or "Done"
        return {
            "Type": "Choice",
            "Choices": [
                {
                    "Variable": "$.n",
                    "NumericLessThan": draw(st.integers(-5, 5)),
                    "Next": other,
                }
            ],
            "Default": other,
        }

    def inner(tag: str) -> dict[str, Any]:
        name = f"In{index}{tag}"  # state names are unique across the whole machine
        task = {"Type": "Task", "Resource": "python:maybe-fail", "End": True}
        return {"StartAt": name, "States": {name: task}}

    if kind == "Map":
        return {
            "Type": "Map",
            "ItemsPath": "$.items",
            "MaxConcurrency": draw(st.integers(0, 3)),
            "ItemProcessor": {"ProcessorConfig": {"Mode": "INLINE"}, **inner("m")},
            "ResultPath": "$.m",
            **follow,
        }
    return {
        "Type": "Parallel",
        "Branches": [inner("a"), inner("b")],
        "ResultPath": "$.p",
        **follow,
    }


@st.composite
def workflows(draw: st.DrawFn) -> dict[str, Any]:
    """A definition of 1-6 states in a line, ending in End or a Succeed state."""
    count = draw(st.integers(1, 6))
    states = {f"S{i}": draw(_state(i, count)) for i in range(count)}
    if any(state.get("Default") == "Done" for state in states.values()):
        states["Done"] = {"Type": "Succeed"}
    return {"StartAt": "S0", "States": states}


workflow_inputs = st.fixed_dictionaries(
    {"n": st.integers(-10, 10), "items": st.lists(st.integers(0, 9), max_size=4)}
)
