"""The validator never raises: arbitrary JSON in, a list of Problems out."""

from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from statum.core.definition.problems import INVALID_JSONATA_EXPRESSION, Problem
from statum.core.definition.validation import (
    validate_definition,
    validate_definition_text,
)

KEYS = [
    "StartAt", "States", "Type", "Next", "End", "Choices", "Default", "Variable",
    "StringEquals", "And", "Not", "Branches", "ItemProcessor", "Iterator",
    "ProcessorConfig", "Mode", "Retry", "Catch", "ErrorEquals", "Parameters", "x.$",
    "Output", "Arguments", "QueryLanguage", "Resource", "Seconds", "Timestamp",
    "ResultPath", "InputPath", "StateMachine", "Assign", "ItemReader", "Label",
    "A", "B",
]  # fmt: skip
STRINGS = st.one_of(
    st.sampled_from(
        [
            "Task", "Pass", "Choice", "Map", "Parallel", "Wait", "Succeed", "Fail",
            "StartExecution", "JSONata", "JSONPath", "A", "B", "$", "$.a", "$$",
            "$x", "States.ALL", "States.Format('{}', $.a)", "{% 1 %}", "{% (", "{%",
            "%}", "DISTRIBUTED", "INLINE", "arn:aws:states:::lambda:invoke",
        ]
    ),
    st.text(max_size=12),
)  # fmt: skip
SCALARS = st.one_of(
    st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False), STRINGS
)
JSON = st.recursive(
    SCALARS,
    lambda children: st.one_of(
        st.lists(children, max_size=4),
        st.dictionaries(
            st.one_of(st.sampled_from(KEYS), st.text(max_size=6)), children, max_size=5
        ),
    ),
    max_leaves=40,
)


def _assert_problems(found: Any) -> None:
    assert isinstance(found, list)
    assert all(isinstance(p, Problem) for p in found)
    assert all(p.location == "" or p.location.startswith("/") for p in found)


@given(JSON)
def test_arbitrary_json_gives_a_list_of_problems(doc: Any) -> None:
    _assert_problems(validate_definition(doc))
    _assert_problems(validate_definition(doc, state_machine_type="EXPRESS"))


@given(st.dictionaries(st.sampled_from(KEYS), JSON, max_size=6))
def test_state_shaped_json_gives_a_list_of_problems(state: dict[str, Any]) -> None:
    doc: Any = {"StartAt": "A", "States": {"A": state, "B": {"Type": "Succeed"}}}
    _assert_problems(validate_definition(doc))


@given(st.text(max_size=40) | st.binary(max_size=40))
def test_arbitrary_text_gives_a_list_of_problems(text: str | bytes) -> None:
    _assert_problems(validate_definition_text(text))


SYNTAX_TEXT = st.text(st.sampled_from(list("$.@[]()*?'\"\\{}%,:=<>!&|~ -+/09abStates")))


@given(SYNTAX_TEXT)
def test_arbitrary_paths_intrinsics_and_expressions_give_problems(text: str) -> None:
    state: Any = {
        "Type": "Pass",
        "End": True,
        "InputPath": text,
        "ResultPath": text,
        "Parameters": {"p.$": text, "i.$": f"States.{text}"},
    }
    _assert_problems(validate_definition({"StartAt": "A", "States": {"A": state}}))
    jsonata = {"Type": "Pass", "End": True, "Output": f"{{% {text} %}}"}
    doc: Any = {"QueryLanguage": "JSONata", "StartAt": "A", "States": {"A": jsonata}}
    _assert_problems(validate_definition(doc))


def test_jsonata_text_the_parser_trips_on_is_still_a_problem() -> None:
    for text in ("!", "/", "~)7", "/5\\or/"):
        state = {"Type": "Pass", "End": True, "Output": f"{{% {text} %}}"}
        doc: Any = {"QueryLanguage": "JSONata", "StartAt": "A", "States": {"A": state}}
        (problem,) = validate_definition(doc)
        assert problem.code == INVALID_JSONATA_EXPRESSION
        assert problem.location == "/States/A/Output"
