"""Retry and Catch on the Express engine: backoff arithmetic, jitter, error matching."""

from collections.abc import Callable
from typing import Any

import pytest

from statum.core.engine.handlers import TaskFailure
from statum.core.engine.loading import load_program
from statum.core.interpreter import events as ev
from tests.engine.helpers import Engine, machine, of_type, run, task


def failing(error: str = "Custom.Error", times: int = 1_000) -> Callable[[Any], Any]:
    """A handler that fails `times` times with `error`, then returns "ok"."""
    calls = {"n": 0}

    def handler(payload: Any) -> Any:
        calls["n"] += 1
        if calls["n"] <= times:
            raise TaskFailure(error, f"failure #{calls['n']}")
        return "ok"

    return handler


def retrying(*retriers: dict[str, Any], **fields: Any) -> dict[str, Any]:
    return machine({"T": task("python:work", Retry=list(retriers), **fields)})


def backoffs(result: Any) -> list[int]:
    """The delay of every retry timer, in milliseconds."""
    return [
        e.due_ms - e.at_ms
        for e in of_type(result, ev.TimerStarted)
        if e.purpose == "retry"
    ]


def attempts(result: Any) -> int:
    return len(of_type(result, ev.TaskScheduled))


# --- backoff arithmetic -----------------------------------------------------------


def test_interval_times_rate_to_the_n_capped_by_max_delay() -> None:
    engine = Engine({"work": failing()})
    result = engine.run(
        retrying(
            {
                "ErrorEquals": ["Custom.Error"],
                "IntervalSeconds": 2,
                "BackoffRate": 3,
                "MaxAttempts": 4,
                "MaxDelaySeconds": 30,
            }
        )
    )
    assert result.status == "FAILED"
    assert result.error == "Custom.Error"
    assert result.cause == "failure #5"  # the last attempt's error
    # 2 s, 6 s, 18 s, then 54 s capped at 30 s.
    assert backoffs(result) == [2000, 6000, 18000, 30000]
    assert [e.delay_ms for e in of_type(result, ev.RetryScheduled)] == backoffs(result)
    assert attempts(result) == 5
    # The virtual clock jumped over every backoff, and not a millisecond more.
    assert engine.elapsed_ms == 56_000


def test_retry_defaults_are_one_second_doubling_three_times() -> None:
    result = run(retrying({"ErrorEquals": ["States.ALL"]}), {}, {"work": failing()})
    assert backoffs(result) == [1000, 2000, 4000]
    assert attempts(result) == 4


def test_fractional_backoff_rates() -> None:
    result = run(
        retrying({"ErrorEquals": ["States.ALL"], "BackoffRate": 1.5, "MaxAttempts": 4}),
        {},
        {"work": failing()},
    )
    assert backoffs(result) == [1000, 1500, 2250, 3375]


def test_a_retry_that_succeeds_continues_normally() -> None:
    engine = Engine({"work": failing(times=2)})
    result = engine.run(
        retrying(
            {"ErrorEquals": ["Custom.Error"], "IntervalSeconds": 3}, ResultPath="$.r"
        ),
        {"in": 1},
    )
    assert result.status == "SUCCEEDED"
    assert result.output == {"in": 1, "r": "ok"}
    assert backoffs(result) == [3000, 6000]
    assert engine.elapsed_ms == 9000
    # One state entry for all attempts.
    assert len(of_type(result, ev.StateEntered)) == 1


def test_max_attempts_zero_means_never_retry() -> None:
    calls: list[Any] = []

    def work(payload: Any) -> Any:
        calls.append(payload)
        raise TaskFailure("Custom.Error", "no")

    result = run(
        retrying(
            {"ErrorEquals": ["Custom.Error"], "MaxAttempts": 0},
            {"ErrorEquals": ["States.ALL"], "MaxAttempts": 5},
        ),
        {},
        {"work": work},
    )
    # The first matching retrier decides, even with no attempts to give.
    assert result.status == "FAILED"
    assert len(calls) == 1
    assert backoffs(result) == []


def test_each_retrier_counts_its_own_attempts() -> None:
    errors = iter(["A", "B", "A", "B", "A"])

    def work(payload: Any) -> Any:
        raise TaskFailure(next(errors), None)

    result = run(
        retrying(
            {"ErrorEquals": ["A"], "MaxAttempts": 2, "IntervalSeconds": 1},
            {"ErrorEquals": ["B"], "MaxAttempts": 1, "IntervalSeconds": 10},
        ),
        {},
        {"work": work},
    )
    # A (retry 1 of A), B (retry 1 of B), A (retry 2 of A), B: B is exhausted.
    assert result.error == "B"
    assert [e.retrier for e in of_type(result, ev.RetryScheduled)] == [0, 1, 0]
    assert backoffs(result) == [1000, 10000, 2000]
    assert attempts(result) == 4


def test_retry_count_is_visible_in_the_context_object() -> None:
    seen: list[int] = []

    def work(payload: Any) -> Any:
        seen.append(payload["retry"])
        if len(seen) < 3:
            raise TaskFailure("Again")
        return seen

    result = run(
        retrying(
            {"ErrorEquals": ["Again"]}, Parameters={"retry.$": "$$.State.RetryCount"}
        ),
        {},
        {"work": work},
    )
    assert result.status == "SUCCEEDED"
    assert seen == [0, 1, 2]


def test_a_long_polling_retry_with_a_capped_delay_does_not_overflow() -> None:
    engine = Engine({"poll": failing("NotYet", times=1_100)})
    definition = retrying(
        {
            "ErrorEquals": ["NotYet"],
            "MaxAttempts": 5_000,
            "BackoffRate": 2,
            "MaxDelaySeconds": 60,
        }
    )
    definition["States"]["T"]["Resource"] = "python:poll"
    # engine.runner, not engine.run: re-deciding a 6,000-event journal after each
    # fact (check_journal) would take a while.
    result = engine.runner.run(load_program(definition), {})
    assert (result.status, result.output) == ("SUCCEEDED", "ok")
    assert max(backoffs(result)) == 60_000


# --- jitter -------------------------------------------------------------------------

JITTERED = retrying(
    {
        "ErrorEquals": ["States.ALL"],
        "IntervalSeconds": 10,
        "BackoffRate": 2,
        "MaxAttempts": 6,
        "JitterStrategy": "FULL",
    }
)
UNJITTERED_DELAYS = [10_000, 20_000, 40_000, 80_000, 160_000, 320_000]


def _jittered(name: str) -> list[int]:
    return backoffs(Engine({"work": failing()}).run(JITTERED, {}, name=name))


def test_full_jitter_stays_within_zero_and_the_backoff() -> None:
    delays = _jittered("jitter-a")
    assert len(delays) == len(UNJITTERED_DELAYS)
    for delay, ceiling in zip(delays, UNJITTERED_DELAYS, strict=True):
        assert 0 <= delay <= ceiling
    assert delays != UNJITTERED_DELAYS  # the jitter did something


def test_full_jitter_is_reproducible_for_the_same_execution() -> None:
    assert _jittered("jitter-a") == _jittered("jitter-a")
    assert _jittered("jitter-a") != _jittered("jitter-b")


def test_full_jitter_over_many_executions_is_spread_out() -> None:
    first_delays = {_jittered(f"spread-{i}")[0] for i in range(20)}
    assert len(first_delays) > 10
    assert all(0 <= d <= 10_000 for d in first_delays)
    assert min(first_delays) < 5_000 < max(first_delays)


def test_jitter_respects_max_delay() -> None:
    result = run(
        retrying(
            {
                "ErrorEquals": ["States.ALL"],
                "IntervalSeconds": 10,
                "BackoffRate": 10,
                "MaxAttempts": 4,
                "MaxDelaySeconds": 15,
                "JitterStrategy": "FULL",
            }
        ),
        {},
        {"work": failing()},
    )
    assert all(0 <= d <= 15_000 for d in backoffs(result))


# --- which errors match ----------------------------------------------------------------


def test_states_all_does_not_retry_or_catch_states_runtime() -> None:
    calls: list[Any] = []

    def work(payload: Any) -> Any:
        calls.append(payload)
        return {"no": "field"}

    definition = machine(
        {
            "T": task(
                "python:work",
                OutputPath="$.missing",
                Retry=[{"ErrorEquals": ["States.ALL"]}],
                Catch=[{"ErrorEquals": ["States.ALL"], "Next": "Caught"}],
            ),
            "Caught": {"Type": "Succeed"},
        }
    )
    result = run(definition, {}, {"work": work})
    assert result.status == "FAILED"
    assert result.error == "States.Runtime"
    assert len(calls) == 1
    assert of_type(result, ev.RetryScheduled) == []
    assert of_type(result, ev.CatchMatched) == []


def test_states_runtime_before_the_task_runs_never_calls_the_handler() -> None:
    calls: list[Any] = []
    definition = retrying({"ErrorEquals": ["States.ALL"]}, InputPath="$.missing")
    result = run(definition, {}, {"work": calls.append})
    assert (result.status, result.error) == ("FAILED", "States.Runtime")
    assert result.cause is not None
    assert "$.missing" in result.cause or "$['missing']" in result.cause
    assert calls == []


@pytest.mark.parametrize("error", ["ValueError", "Custom.Error", "States.TaskFailed"])
def test_states_task_failed_matches_handler_errors(error: str) -> None:
    def work(payload: Any) -> Any:
        if error == "ValueError":
            raise ValueError("bad value")
        raise TaskFailure(error, "c")

    definition = machine(
        {
            "T": task(
                "python:work",
                Retry=[{"ErrorEquals": ["States.TaskFailed"], "MaxAttempts": 1}],
                Catch=[
                    {
                        "ErrorEquals": ["States.TaskFailed"],
                        "ResultPath": "$.e",
                        "Next": "H",
                    }
                ],
            ),
            "H": {"Type": "Succeed"},
        }
    )
    result = run(definition, {}, {"work": work})
    assert attempts(result) == 2
    assert result.status == "SUCCEEDED"
    assert result.output["e"]["Error"] == error


def test_states_task_failed_does_not_match_states_timeout() -> None:
    engine = Engine()

    def slow(payload: Any) -> Any:
        engine.clock.advance(5_000)
        return "late"

    engine.handlers.register("slow", slow)
    definition = machine(
        {
            "T": task(
                "python:slow",
                TimeoutSeconds=1,
                Catch=[{"ErrorEquals": ["States.TaskFailed"], "Next": "H"}],
            ),
            "H": {"Type": "Succeed"},
        }
    )
    result = engine.run(definition, {})
    assert (result.status, result.error) == ("FAILED", "States.Timeout")


def test_retriers_are_tried_in_order_and_the_first_match_wins() -> None:
    result = run(
        retrying(
            {"ErrorEquals": ["Other"], "IntervalSeconds": 7},
            {"ErrorEquals": ["Custom.Error"], "IntervalSeconds": 2, "MaxAttempts": 1},
            {"ErrorEquals": ["States.ALL"], "IntervalSeconds": 5},
        ),
        {},
        {"work": failing()},
    )
    assert backoffs(result) == [2000]
    assert [e.retrier for e in of_type(result, ev.RetryScheduled)] == [1]


# --- Catch -----------------------------------------------------------------------------


def _caught(catcher: dict[str, Any], **top: Any) -> dict[str, Any]:
    return machine(
        {
            "T": task("python:work", Catch=[{"Next": "H", **catcher}]),
            "H": {"Type": "Pass", "End": True},
        },
        **top,
    )


def test_catch_result_path_keeps_the_input_beside_the_error() -> None:
    result = run(
        _caught({"ErrorEquals": ["States.ALL"], "ResultPath": "$.error"}),
        {"order": 7},
        {"work": failing("Orders.Failed")},
    )
    assert result.status == "SUCCEEDED"
    assert result.output == {
        "order": 7,
        "error": {"Error": "Orders.Failed", "Cause": "failure #1"},
    }


def test_catch_without_result_path_outputs_the_error() -> None:
    result = run(
        _caught({"ErrorEquals": ["States.ALL"]}), {"order": 7}, {"work": failing("E")}
    )
    assert result.output == {"Error": "E", "Cause": "failure #1"}


def test_catch_with_a_null_result_path_outputs_the_input() -> None:
    result = run(
        _caught({"ErrorEquals": ["States.ALL"], "ResultPath": None}),
        {"order": 7},
        {"work": failing("E")},
    )
    assert result.output == {"order": 7}


def test_catch_jsonata_output_and_assign_see_the_error_output() -> None:
    definition = machine(
        {
            "T": task(
                "python:work",
                Catch=[
                    {
                        "ErrorEquals": ["States.ALL"],
                        "Output": {
                            "failed": "{% $states.errorOutput.Error %}",
                            "was": "{% $states.input %}",
                        },
                        "Assign": {"why": "{% $states.errorOutput.Cause %}"},
                        "Next": "H",
                    }
                ],
            ),
            "H": {
                "Type": "Pass",
                "Output": {"got": "{% $states.input %}", "why": "{% $why %}"},
                "End": True,
            },
        },
        QueryLanguage="JSONata",
    )
    result = run(definition, {"order": 7}, {"work": failing("Orders.Failed")})
    assert result.status == "SUCCEEDED"
    assert result.output == {
        "got": {"failed": "Orders.Failed", "was": {"order": 7}},
        "why": "failure #1",
    }
    caught = of_type(result, ev.CatchMatched)
    assert [(c.next, c.assigned) for c in caught] == [("H", {"why": "failure #1"})]


def test_catch_jsonpath_assign_reads_the_error_output() -> None:
    definition = machine(
        {
            "T": task(
                "python:work",
                Catch=[
                    {
                        "ErrorEquals": ["States.ALL"],
                        "Assign": {"err.$": "$.Error"},
                        "ResultPath": None,
                        "Next": "H",
                    }
                ],
            ),
            "H": {"Type": "Pass", "Parameters": {"err.$": "$err"}, "End": True},
        }
    )
    result = run(definition, {}, {"work": failing("Boom")})
    assert result.output == {"err": "Boom"}


def test_the_first_matching_catcher_wins() -> None:
    definition = machine(
        {
            "T": task(
                "python:work",
                Catch=[
                    {"ErrorEquals": ["Other"], "Next": "Wrong"},
                    {"ErrorEquals": ["Boom"], "Next": "Right"},
                    {"ErrorEquals": ["States.ALL"], "Next": "Wrong"},
                ],
            ),
            "Wrong": {"Type": "Fail", "Error": "Wrong"},
            "Right": {"Type": "Succeed"},
        }
    )
    result = run(definition, {}, {"work": failing("Boom")})
    assert result.status == "SUCCEEDED"


def test_catch_after_retries_are_exhausted_sees_the_last_error() -> None:
    definition = machine(
        {
            "T": task(
                "python:work",
                Retry=[{"ErrorEquals": ["Boom"], "MaxAttempts": 2}],
                Catch=[{"ErrorEquals": ["Boom"], "Next": "H"}],
            ),
            "H": {"Type": "Pass", "End": True},
        }
    )
    result = run(definition, {}, {"work": failing("Boom")})
    assert result.output == {"Error": "Boom", "Cause": "failure #3"}
    assert attempts(result) == 3


def test_an_unmatched_error_passes_every_catcher_by() -> None:
    result = run(_caught({"ErrorEquals": ["Other"]}), {}, {"work": failing("Boom")})
    assert (result.status, result.error, result.cause) == (
        "FAILED",
        "Boom",
        "failure #1",
    )
