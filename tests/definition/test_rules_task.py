"""Task and StartExecution states: resources, timeouts, credentials, Express limits."""

from typing import Any

import pytest

from statum.core.definition.problems import UNSUPPORTED_FIELD, Problem
from tests.definition.helpers import PASS_END, at, one, only, problems


def task(resource: Any = "python:app.work", **fields: Any) -> dict[str, Any]:
    return one({"Type": "Task", "Resource": resource, "End": True, **fields})


@pytest.mark.parametrize(
    "resource",
    [
        "python:app.work",
        "foo:bar",
        "arn:aws:states:::lambda:invoke",
        "arn:aws:states:::lambda:invoke.waitForTaskToken",
        "arn:aws:states:::states:startExecution.sync:2",
        "arn:aws:states:::aws-sdk:dynamodb:query",
        "arn:aws:states:::http:invoke",
        "arn:aws:states:::activity:approve-order",
        "arn:aws:states:us-east-1:123456789012:activity:approve",
        "arn:aws:lambda:us-east-1:123456789012:function:fn",
        "arn:aws:lambda:us-east-1:123456789012:function:fn:$LATEST",
        "arn:aws:lambda:us-east-1:123456789012:function:fn:prod_1",
    ],
)
def test_accepted_resources(resource: str) -> None:
    assert problems(task(resource)) == []


@pytest.mark.parametrize(
    ("resource", "message"),
    [
        ("", "Resource must not be empty"),
        ("${lambdaArn}", "Resource '${lambdaArn}' contains an unresolved template"),
        (
            "arn:aws:lambda:us-east-1:1:function:fn:",
            "'arn:aws:lambda:us-east-1:1:function:",
        ),
        (
            "arn:aws:states:::dynamodb:query",
            "The resource 'arn:aws:states:::dynamodb:query",
        ),
        (
            "arn:aws:states:::lambda:invoke.wait",
            "The resource 'arn:aws:states:::lambda",
        ),
        ("arn:aws:states:::", "'arn:aws:states:::' is not a valid service integration"),
    ],
)
def test_refused_resources(resource: str, message: str) -> None:
    problem = only(task(resource))
    assert problem.location == "/States/S/Resource"
    assert problem.message.startswith(message)


def test_resource_is_a_required_string() -> None:
    assert only(one({"Type": "Task", "End": True})).message == (
        "The field 'Resource' is required but was missing"
    )
    assert only(task({"Ref": "Fn"})).message == "Expected value of type [STRING]"


def test_timeouts() -> None:
    assert problems(task(TimeoutSeconds=10, HeartbeatSeconds=5)) == []
    assert only(task(TimeoutSeconds=0)).message == "Minimum value is 1"
    beat = only(task(TimeoutSeconds=5, HeartbeatSeconds=5))
    assert (beat.location, beat.message) == (
        "/States/S/HeartbeatSeconds",
        "HeartbeatSeconds (5) must be smaller than TimeoutSeconds (5)",
    )
    both = only(task(TimeoutSeconds=5, TimeoutSecondsPath="$.t"))
    assert both.location == "/States/S/TimeoutSecondsPath"
    assert problems(task(TimeoutSecondsPath="$.t", HeartbeatSecondsPath="$hb")) == []


def shape_problems(doc: Any) -> list[Problem]:
    return [p for p in problems(doc) if p.code != UNSUPPORTED_FIELD]


def test_credentials_are_refused_as_unsupported() -> None:
    found = only(task(Credentials={"RoleArn": "arn:aws:iam::1:role/r"}))
    assert (found.location, found.code) == ("/States/S/Credentials", UNSUPPORTED_FIELD)
    assert "not supported by Statum" in found.message


def test_credentials_need_a_role_arn() -> None:
    assert shape_problems(task(Credentials={"RoleArn": "arn:aws:iam::1:role/r"})) == []
    assert shape_problems(task(Credentials={"RoleArn.$": "$.role"})) == []
    (missing,) = shape_problems(task(Credentials={}))
    assert (missing.location, missing.message) == (
        "/States/S/Credentials",
        "The field 'RoleArn' is required but was missing",
    )
    assert at(task(Credentials={"roleArn": "x"}), "/States/S/Credentials/roleArn")
    (wrong,) = shape_problems(task(Credentials=None))
    assert wrong.message == "Expected value of type [OBJECT]"


@pytest.mark.parametrize(
    ("resource", "message"),
    [
        (
            "arn:aws:states:us-east-1:1:activity:a",
            "Express state machine does not support Activity ARN",
        ),
        (
            "arn:aws:states:::sns:publish.waitForTaskToken",
            "Express state machine does not support '.waitForTaskToken' service "
            "integration",
        ),
        (
            "arn:aws:states:::states:startExecution.sync",
            "Express state machine does not support '.sync' service integration",
        ),
    ],
)
def test_express_limits(resource: str, message: str) -> None:
    assert problems(task(resource)) == []
    problem = only(task(resource), state_machine_type="EXPRESS")
    assert problem.location == "/States/S/Resource"
    assert problem.message.startswith(message)


def test_start_execution_by_name_or_inline() -> None:
    by_name = one({"Type": "StartExecution", "StateMachine": "child", "End": True})
    assert problems(by_name) == []
    child = {"StartAt": "S", "States": {"S": PASS_END}}  # its own names: S is fine
    inline = one(
        {
            "Type": "StartExecution",
            "StateMachine": child,
            "Input": {"id.$": "$.id"},
            "Sync": True,
            "End": True,
        }
    )
    assert problems(inline) == []


def test_start_execution_checks_its_inline_machine() -> None:
    child = {"StartAt": "X", "States": {"X": {"Type": "Pass", "Next": "Y"}}}
    state = {"Type": "StartExecution", "StateMachine": child, "End": True}
    found = problems(one(state))
    assert [p.location for p in found] == [
        "/States/S/StateMachine/States/X/Next",
        "/States/S/StateMachine",
    ]


def test_start_execution_fields() -> None:
    missing = only(one({"Type": "StartExecution", "End": True}))
    assert missing.message == "The field 'StateMachine' is required but was missing"
    base = {"Type": "StartExecution", "StateMachine": "c", "End": True}
    assert only(one(base | {"StateMachine": 3})).location == "/States/S/StateMachine"
    assert only(one(base | {"Input": {}, "Parameters": {}})).location == (
        "/States/S/Parameters"
    )
    assert (
        only(one(base | {"Sync": "yes"})).message == "Expected value of type [BOOLEAN]"
    )
    express = only(one(base | {"Sync": True}), state_machine_type="EXPRESS")
    assert express.location == "/States/S/Sync"
    jsonata = one(base | {"Arguments": {"a": "{% 1 %}"}}, QueryLanguage="JSONata")
    assert problems(jsonata) == []
