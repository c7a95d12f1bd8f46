"""A Choice state's own Assign and Output belong to its Default; a matched rule
brings its own (the corpus names them "Default Assignment", "Default Output block")."""

from typing import Any

from statum.core.engine import ExpressRunner, VirtualClock, load_program


def _choice(rule_extra: dict[str, Any]) -> dict[str, Any]:
    return {
        "QueryLanguage": "JSONata",
        "StartAt": "C",
        "States": {
            "C": {
                "Type": "Choice",
                "Choices": [
                    {
                        "Condition": "{% $states.input.go %}",
                        "Next": "Done",
                        **rule_extra,
                    }
                ],
                "Default": "Done",
                "Assign": {"picked": "default"},
                "Output": {"from": "default"},
            },
            "Done": {
                "Type": "Pass",
                "Output": "{% {'out': $states.input, 'picked': $picked} %}",
                "End": True,
            },
        },
    }


def _run(definition: dict[str, Any], payload: Any) -> Any:
    return ExpressRunner(clock=VirtualClock()).run(load_program(definition), payload)


def test_the_default_uses_the_states_own_assign_and_output() -> None:
    result = _run(_choice({}), {"go": False})
    assert result.output == {"out": {"from": "default"}, "picked": "default"}


def test_a_matched_rule_without_assign_or_output_passes_the_input_on() -> None:
    result = _run(
        {
            **_choice({}),
            "States": {**_choice({})["States"], "Done": {"Type": "Pass", "End": True}},
        },
        {"go": True},
    )
    assert result.output == {"go": True}


def test_a_matched_rule_uses_its_own_assign_and_output() -> None:
    result = _run(
        _choice({"Assign": {"picked": "rule"}, "Output": {"from": "rule"}}),
        {"go": True},
    )
    assert result.output == {"out": {"from": "rule"}, "picked": "rule"}
