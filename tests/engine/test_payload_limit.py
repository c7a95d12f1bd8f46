"""The payload quota as AWS applies it (issue 6, item 10).

- Measured in UTF-8 bytes of the value's JSON text: AWS's quota is "256 KiB of data
  as a UTF-8 encoded string", so a non-ASCII character counts its UTF-8 bytes and an
  escaped character counts its escape.
- Cause texts as AWS writes them: "The state/task 'NAME' returned a result with a
  size exceeding the maximum number of bytes service limit.", NAME being the state
  for a state's output and the task's resource for a task's result ('lambda' for
  `arn:aws:states:::lambda:invoke` in the recorded corpus case, the function ARN for
  a Lambda ARN resource).
- States.DataLimitExceeded is terminal: "This is a terminal error that cannot be
  caught by the States.ALL error type" (AWS, error handling, Error names). Nor by
  States.TaskFailed, itself a wildcard over the same errors as States.ALL but
  States.Timeout; only a retrier or catcher that names it matches.
"""

from collections.abc import Callable
from typing import Any

import msgspec
import pytest

from statum.core.engine.context import TaskContext
from statum.core.interpreter import events as ev
from statum.core.interpreter.limits import Limits
from statum.core.interpreter.payload import PayloadMeter, task_result_name
from statum.core.interpreter.retry import error_matches
from tests.engine.helpers import Engine, branch, machine, of_type, run, task

LIMIT = 256 * 1024
DATA_LIMIT = "States.DataLimitExceeded"


def _cause(name: str) -> str:
    return (
        f"The state/task '{name}' returned a result with a size exceeding the "
        "maximum number of bytes service limit."
    )


def _returning(value: Any) -> Callable[[Any], Any]:
    return lambda event: value


def _json_size(value: Any) -> int:
    return len(msgspec.json.encode(value))


# --- how a payload is measured -------------------------------------------------


@pytest.mark.parametrize(
    ("char", "json_bytes"),
    [
        ("x", 1),
        ("é", 2),  # two UTF-8 bytes, one character
        ("€", 3),
        ("😀", 4),  # one character outside the BMP: four UTF-8 bytes
        ('"', 2),  # escaped as \"
        ("\\", 2),
        ("\n", 2),
        ("\x01", 6),  # a control character is escaped as \u0001
    ],
)
def test_a_character_counts_the_bytes_of_its_json_text(
    char: str, json_bytes: int
) -> None:
    assert _json_size(char * 10) == 2 + 10 * json_bytes
    meter = PayloadMeter(2 + 10 * json_bytes)
    assert not meter.over(char * 10, "S")
    assert meter.over(char * 11, "S")


def test_a_non_ascii_result_over_the_quota_in_bytes_fails_though_its_characters_fit() -> (
    None
):
    # 131,072 characters (half the quota), 262,144 bytes + 2 quotes: over.
    text = "é" * (LIMIT // 2)
    assert len(text) + 2 <= LIMIT < _json_size(text)
    result = run(machine({"T": task("python:big")}), {}, {"big": _returning(text)})
    assert (result.status, result.error) == ("FAILED", DATA_LIMIT)
    assert result.cause == _cause("python:big")


def test_a_non_ascii_result_of_exactly_the_quota_in_bytes_succeeds() -> None:
    text = "é" * (LIMIT // 2 - 1)  # 262,142 bytes + 2 quotes
    assert _json_size(text) == LIMIT
    result = run(machine({"T": task("python:big")}), {}, {"big": _returning(text)})
    assert result.status == "SUCCEEDED"
    assert result.output == text


def test_escapes_count_in_the_measure() -> None:
    # 43,691 control characters are 262,146 bytes of JSON, over the quota.
    text = "\x01" * (LIMIT // 6 + 1)
    result = run(machine({"T": task("python:big")}), {}, {"big": _returning(text)})
    assert (result.status, result.error) == ("FAILED", DATA_LIMIT)


def test_the_meter_remembers_large_values_and_takes_admitted_ones_as_within() -> None:
    meter = PayloadMeter(10_000)
    big = {"s": "x" * 20_000}
    assert meter.over(big, "S")
    assert meter.over(big, "S")  # remembered, still over
    small_enough = {"s": "y" * 9_000}
    assert not meter.over(small_enough, "S")
    # An admitted value is within the quota without being measured.
    meter.admit(big)
    assert not meter.over(big, "S")
    # An equal but distinct value is measured on its own.
    assert meter.over({"s": "x" * 20_000}, "S")


# --- cause texts ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("resource", "named"),
    [
        ("arn:aws:states:::lambda:invoke", "lambda"),
        ("arn:aws:states:::lambda:invoke.waitForTaskToken", "lambda"),
        (
            "arn:aws:lambda:us-east-1:123456789012:function:parse",
            "arn:aws:lambda:us-east-1:123456789012:function:parse",
        ),
        ("python:big", "python:big"),
    ],
)
def test_a_task_result_names_the_resource(resource: str, named: str) -> None:
    assert task_result_name(resource) == named
    registered = resource.removeprefix("python:")
    engine = Engine()
    if resource.endswith(".waitForTaskToken"):
        # The result comes with the callback, not from the handler.
        def answer(payload: Any, context: TaskContext) -> None:
            engine.runner.send_task_success(context.task_token or "", "x" * LIMIT)

        engine.handlers.register(registered, answer)
    else:
        engine.handlers.register(registered, _returning("x" * LIMIT))
    result = engine.run(machine({"T": task(resource)}), {})
    assert (result.status, result.error) == ("FAILED", DATA_LIMIT)
    assert result.cause == _cause(named)


def test_a_state_output_over_the_quota_names_the_state() -> None:
    # Each input fits; the state's output (the input twice over) does not.
    definition = machine(
        {
            "Double": {
                "Type": "Pass",
                "Parameters": {"a.$": "$.s", "b.$": "$.s"},
                "End": True,
            }
        }
    )
    result = run(definition, {"s": "x" * (150 * 1024)})
    assert (result.status, result.error) == ("FAILED", DATA_LIMIT)
    assert result.cause == _cause("Double")


def test_a_parallel_whose_results_together_are_over_the_quota_names_itself() -> None:
    each = {"Type": "Pass", "End": True}
    definition = machine(
        {
            "Both": {
                "Type": "Parallel",
                "Branches": [branch({"A": each}), branch({"B": each})],
                "Catch": [{"ErrorEquals": ["States.ALL"], "Next": "Caught"}],
                "End": True,
            },
            "Caught": {"Type": "Succeed"},
        }
    )
    result = run(definition, {"s": "x" * (150 * 1024)})
    assert (result.status, result.error) == ("FAILED", DATA_LIMIT)
    assert result.cause == _cause("Both")


def test_task_parameters_over_the_quota_name_the_state_as_an_input() -> None:
    definition = machine(
        {"T": task("python:h", Parameters={"a.$": "$.s", "b.$": "$.s"})}
    )
    result = run(definition, {"s": "x" * (150 * 1024)}, {"h": _returning(1)})
    assert (result.status, result.error) == ("FAILED", DATA_LIMIT)
    assert result.cause == (
        "The state/task 'T' has an input with a size exceeding the maximum number "
        "of bytes service limit."
    )


def test_a_large_input_passed_on_unchanged_through_a_chain_is_within() -> None:
    # Exactly the quota: every state passes the same object on; none fails.
    payload = {"s": "x" * (LIMIT - 8)}
    assert _json_size(payload) == LIMIT
    states: dict[str, Any] = {
        f"S{i}": {"Type": "Pass", "Next": f"S{i + 1}"} for i in range(5)
    }
    states["S5"] = {"Type": "Pass", "End": True}
    result = run(machine(states), payload)
    assert result.status == "SUCCEEDED"
    assert result.output == payload


def test_a_chain_fails_where_its_payload_grows_over_the_quota() -> None:
    payload = {"s": "x" * (LIMIT - 8)}
    definition = machine(
        {
            "Same": {"Type": "Pass", "Next": "Grow"},
            "Grow": {"Type": "Pass", "Result": "!", "ResultPath": "$.t", "End": True},
        }
    )
    result = run(definition, payload)
    assert (result.status, result.error) == ("FAILED", DATA_LIMIT)
    assert result.cause == _cause("Grow")


# --- which retriers and catchers match ----------------------------------------------


@pytest.mark.parametrize(
    ("error_equals", "matches"),
    [
        (["States.ALL"], False),
        (["States.TaskFailed"], False),
        (["States.DataLimitExceeded"], True),
        (["States.TaskFailed", "States.DataLimitExceeded"], True),
        (["States.Timeout"], False),
        (["States.Runtime"], False),
    ],
)
def test_which_error_equals_match_data_limit_exceeded(
    error_equals: list[str], matches: bool
) -> None:
    assert error_matches(tuple(error_equals), DATA_LIMIT) is matches
    # The same lists still cover an ordinary task failure (but States.Timeout's
    # and States.Runtime's, which cover neither).
    ordinary = error_matches(tuple(error_equals), "States.TaskFailed")
    assert ordinary is any(
        name in ("States.ALL", "States.TaskFailed") for name in error_equals
    )


def _over_quota_task(**fields: Any) -> dict[str, Any]:
    return machine(
        {
            "T": task("python:big", **fields),
            "Caught": {"Type": "Pass", "End": True},
        }
    )


@pytest.mark.parametrize("error", ["States.ALL", "States.TaskFailed"])
def test_a_wildcard_catcher_does_not_catch_it(error: str) -> None:
    definition = _over_quota_task(Catch=[{"ErrorEquals": [error], "Next": "Caught"}])
    result = run(definition, {}, {"big": _returning("x" * LIMIT)})
    assert (result.status, result.error) == ("FAILED", DATA_LIMIT)
    assert not of_type(result, ev.CatchMatched)


def test_a_catcher_that_names_it_catches_it_past_a_wildcard_one() -> None:
    definition = _over_quota_task(
        Catch=[
            {
                "ErrorEquals": ["States.TaskFailed"],
                "Next": "Caught",
                "ResultPath": "$.tf",
            },
            {"ErrorEquals": [DATA_LIMIT], "Next": "Caught", "ResultPath": "$.limit"},
            {"ErrorEquals": ["States.ALL"], "Next": "Caught", "ResultPath": "$.all"},
        ]
    )
    result = run(definition, {}, {"big": _returning("x" * LIMIT)})
    assert result.status == "SUCCEEDED"
    assert result.output == {
        "limit": {"Error": DATA_LIMIT, "Cause": _cause("python:big")}
    }


@pytest.mark.parametrize(
    ("error", "calls"),
    [("States.ALL", 1), ("States.TaskFailed", 1), (DATA_LIMIT, 3)],
)
def test_only_a_retrier_that_names_it_retries_it(error: str, calls: int) -> None:
    made: list[Any] = []

    def big(event: Any) -> str:
        made.append(event)
        return "x" * LIMIT

    definition = machine(
        {
            "T": task(
                "python:big",
                Retry=[
                    {"ErrorEquals": [error], "MaxAttempts": 2, "IntervalSeconds": 1}
                ],
            )
        }
    )
    result = run(definition, {}, {"big": big})
    assert (result.status, result.error) == ("FAILED", DATA_LIMIT)
    assert len(made) == calls
    assert len(of_type(result, ev.RetryScheduled)) == calls - 1


def test_a_lowered_quota_applies_to_every_check() -> None:
    limits = Limits(max_payload_bytes=100)
    fits = run(
        machine({"T": task("python:h")}), {}, {"h": _returning("x" * 98)}, limits=limits
    )
    assert fits.status == "SUCCEEDED"
    over = run(
        machine({"T": task("python:h")}), {}, {"h": _returning("x" * 99)}, limits=limits
    )
    assert (over.status, over.error) == ("FAILED", DATA_LIMIT)
