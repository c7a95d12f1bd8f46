"""The published JSON Schema (schema/osml.schema.json)."""

import json
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft202012Validator

from statum.core.definition.validation import validate_definition
from tests.definition.cases import (
    execution_definitions,
    validation_cases,
)

SCHEMA_PATH = Path(__file__).resolve().parents[2] / "schema" / "osml.schema.json"
SCHEMA = json.loads(SCHEMA_PATH.read_text())
VALIDATOR = Draft202012Validator(SCHEMA)
EXECUTIONS = execution_definitions()

PASS = {"Type": "Pass", "End": True}
PROCESSOR = {"StartAt": "P", "States": {"P": PASS}}


def one(state: dict[str, Any], **top: Any) -> dict[str, Any]:
    return {"StartAt": "S", "States": {"S": state}, **top}


def test_the_schema_is_valid_draft_2020_12() -> None:
    Draft202012Validator.check_schema(SCHEMA)
    assert SCHEMA["$schema"] == "https://json-schema.org/draft/2020-12/schema"


@pytest.mark.parametrize(
    "definition", [d for _, d in EXECUTIONS], ids=[i for i, _ in EXECUTIONS]
)
def test_every_definition_aws_ran_matches_the_schema(definition: Any) -> None:
    errors = [f"{e.json_path}: {e.message}" for e in VALIDATOR.iter_errors(definition)]
    assert not errors, "\n".join(errors[:5])


VALID = [
    one(PASS),
    one(
        {"Type": "Pass", "Output": "{% $states.input %}", "End": True},
        QueryLanguage="JSONata",
    ),
    one(
        {"Type": "StartExecution", "StateMachine": one(PASS), "Sync": True, "End": True}
    ),
    one(
        {
            "Type": "Choice",
            "Choices": [
                {"Variable": "$.x", "NumericEquals": 1, "Next": "S"},
                {
                    "And": [
                        {"Variable": "$.a", "IsNull": False},
                        {"Not": {"Variable": "$.b", "IsPresent": True}},
                    ],
                    "Next": "S",
                },
            ],
        }
    ),
]

INVALID = {
    "not an object": [],
    "no StartAt": {"States": {"S": PASS}},
    "no States": {"StartAt": "S"},
    "empty States": {"StartAt": "S", "States": {}},
    "unknown top-level field": one(PASS, Foo=1),
    "name over 80 characters": {"StartAt": "x", "States": {"x" * 81: PASS}},
    "unknown Type": one({"Type": "Sleep", "End": True}),
    "no Type": one({"End": True}),
    "Next and End": one({"Type": "Pass", "Next": "S", "End": True}),
    "neither Next nor End": one({"Type": "Pass"}),
    "End false only": one({"Type": "Pass", "End": False}),
    "Succeed with Next": one({"Type": "Succeed", "Next": "S"}),
    "Fail with End": one({"Type": "Fail", "End": True}),
    "Catch on Pass": one(PASS | {"Catch": [{"ErrorEquals": ["X"], "Next": "S"}]}),
    "Task without Resource": one({"Type": "Task", "End": True}),
    "Resource not a string": one(
        {"Type": "Task", "Resource": {"Ref": "x"}, "End": True}
    ),
    "Timeout and its path": one(
        {
            "Type": "Task",
            "Resource": "r",
            "TimeoutSeconds": 1,
            "TimeoutSecondsPath": "$.t",
            "End": True,
        }
    ),
    "TimeoutSeconds 0": one(
        {"Type": "Task", "Resource": "r", "TimeoutSeconds": 0, "End": True}
    ),
    "empty ErrorEquals": one(
        {"Type": "Task", "Resource": "r", "Retry": [{"ErrorEquals": []}], "End": True}
    ),
    "States.ALL not alone": one(
        {
            "Type": "Task",
            "Resource": "r",
            "Retry": [{"ErrorEquals": ["States.ALL", "X"]}],
            "End": True,
        }
    ),
    "BackoffRate below 1": one(
        {
            "Type": "Task",
            "Resource": "r",
            "Retry": [{"ErrorEquals": ["X"], "BackoffRate": 0.5}],
            "End": True,
        }
    ),
    "bad JitterStrategy": one(
        {
            "Type": "Task",
            "Resource": "r",
            "Retry": [{"ErrorEquals": ["X"], "JitterStrategy": "SOME"}],
            "End": True,
        }
    ),
    "Catch without Next": one(
        {
            "Type": "Task",
            "Resource": "r",
            "Catch": [{"ErrorEquals": ["X"]}],
            "End": True,
        }
    ),
    "Credentials without RoleArn": one(
        {"Type": "Task", "Resource": "r", "Credentials": {}, "End": True}
    ),
    "Choice without Choices": one({"Type": "Choice", "Default": "S"}),
    "empty Choices": one({"Type": "Choice", "Choices": []}),
    "rule without Next": one(
        {"Type": "Choice", "Choices": [{"Variable": "$.x", "IsPresent": True}]}
    ),
    "rule without operator": one(
        {"Type": "Choice", "Choices": [{"Variable": "$.x", "Next": "S"}]}
    ),
    "rule with two operators": one(
        {
            "Type": "Choice",
            "Choices": [
                {"Variable": "$.x", "IsPresent": True, "IsNull": True, "Next": "S"}
            ],
        }
    ),
    "NumericEquals a string": one(
        {
            "Type": "Choice",
            "Choices": [{"Variable": "$.x", "NumericEquals": "1", "Next": "S"}],
        }
    ),
    "nested rule with Next": one(
        {
            "Type": "Choice",
            "Choices": [
                {
                    "Not": {"Variable": "$.x", "IsPresent": True, "Next": "S"},
                    "Next": "S",
                }
            ],
        }
    ),
    "empty And": one({"Type": "Choice", "Choices": [{"And": [], "Next": "S"}]}),
    "Wait with two durations": one(
        {"Type": "Wait", "Seconds": 1, "SecondsPath": "$.s", "End": True}
    ),
    "Wait without duration": one({"Type": "Wait", "End": True}),
    "Wait negative Seconds": one({"Type": "Wait", "Seconds": -1, "End": True}),
    "Wait bad Timestamp": one(
        {"Type": "Wait", "Timestamp": "2016-12-05 21:29:29Z", "End": True}
    ),
    "Fail Error and ErrorPath": one({"Type": "Fail", "Error": "E", "ErrorPath": "$.e"}),
    "Parallel without Branches": one({"Type": "Parallel", "End": True}),
    "empty Branches": one({"Type": "Parallel", "Branches": [], "End": True}),
    "branch with QueryLanguage": one(
        {
            "Type": "Parallel",
            "Branches": [PROCESSOR | {"QueryLanguage": "JSONata"}],
            "End": True,
        }
    ),
    "Map without processor": one({"Type": "Map", "End": True}),
    "Map with both processors": one(
        {"Type": "Map", "ItemProcessor": PROCESSOR, "Iterator": PROCESSOR, "End": True}
    ),
    "bad Mode": one(
        {
            "Type": "Map",
            "ItemProcessor": PROCESSOR | {"ProcessorConfig": {"Mode": "X"}},
            "End": True,
        }
    ),
    "MaxConcurrency and its path": one(
        {
            "Type": "Map",
            "ItemProcessor": PROCESSOR,
            "MaxConcurrency": 1,
            "MaxConcurrencyPath": "$.m",
            "End": True,
        }
    ),
    "ToleratedFailurePercentage over 100": one(
        {
            "Type": "Map",
            "ItemProcessor": PROCESSOR,
            "ToleratedFailurePercentage": 101,
            "End": True,
        }
    ),
    "Label too long": one(
        {"Type": "Map", "ItemProcessor": PROCESSOR, "Label": "x" * 41, "End": True}
    ),
    "empty ItemBatcher": one(
        {"Type": "Map", "ItemProcessor": PROCESSOR, "ItemBatcher": {}, "End": True}
    ),
    "JSONPath field in JSONata state": one(
        PASS | {"QueryLanguage": "JSONata", "InputPath": "$.a"}
    ),
    "JSONata field in JSONPath state": one(PASS | {"Output": {"a": 1}}),
    "JSONPath state in JSONata machine": one(
        PASS | {"QueryLanguage": "JSONPath"}, QueryLanguage="JSONata"
    ),
    "bad QueryLanguage": one(PASS, QueryLanguage="jsonata"),
    "dynamic key not a path": one(PASS | {"Parameters": {"a.$": "nope"}}),
    "ResultPath into the context": one(PASS | {"ResultPath": "$$.x"}),
    "StartExecution without StateMachine": one({"Type": "StartExecution", "End": True}),
    "inline child without States": one(
        {"Type": "StartExecution", "StateMachine": {"StartAt": "X"}, "End": True}
    ),
}


@pytest.mark.parametrize("definition", VALID)
def test_valid_definitions_match(definition: Any) -> None:
    assert VALIDATOR.is_valid(definition)


@pytest.mark.parametrize("definition", list(INVALID.values()), ids=list(INVALID))
def test_structurally_invalid_definitions_do_not_match(definition: Any) -> None:
    assert not VALIDATOR.is_valid(definition)
    # The validator agrees: the schema is never stricter than it.
    assert validate_definition(definition)


LINTER_AND_AWS = [
    case
    for folder in ("localstack_aws", "asl-validator", "statelint")
    for case in validation_cases(folder)
    if "definition" in case
]


@pytest.mark.parametrize("case", LINTER_AND_AWS, ids=[c["id"] for c in LINTER_AND_AWS])
def test_the_schema_accepts_whatever_the_validator_accepts(
    case: dict[str, Any],
) -> None:
    machine_type = case.get("state_machine_type", "STANDARD")
    if not validate_definition(case["definition"], state_machine_type=machine_type):
        assert VALIDATOR.is_valid(case["definition"])
