"""Time on the Express engine: Wait states, task and execution timeouts, on a
virtual clock that jumps instead of sleeping."""

from collections.abc import Callable
from typing import Any

from statum.core.interpreter import events as ev
from tests.engine.helpers import T0, Engine, branch, history, machine, of_type, task


def taking(engine: Engine, ms: int, result: Any = "done") -> Callable[[Any], Any]:
    """A handler that takes `ms` of (virtual) time."""

    def handler(payload: Any) -> Any:
        engine.clock.advance(ms)
        return result

    return handler


# --- Wait ---------------------------------------------------------------------------


def test_a_one_hour_wait_finishes_at_once_and_moves_the_clock_one_hour() -> None:
    engine = Engine()
    result = engine.run(
        machine({"W": {"Type": "Wait", "Seconds": 3600, "End": True}}), {"x": 1}
    )
    assert (result.status, result.output) == ("SUCCEEDED", {"x": 1})
    assert engine.elapsed_ms == 3_600_000
    fired = of_type(result, ev.TimerFired)
    assert [(e.timer, e.at_ms) for e in fired] == [("wait:0.0", T0 + 3_600_000)]
    assert result.journal[-1].at_ms == T0 + 3_600_000


def test_waits_add_up() -> None:
    engine = Engine()
    result = engine.run(
        machine(
            {
                "A": {"Type": "Wait", "Seconds": 10, "Next": "B"},
                "B": {"Type": "Wait", "SecondsPath": "$.s", "Next": "C"},
                "C": {"Type": "Wait", "Seconds": 0, "End": True},
            }
        ),
        {"s": 20},
    )
    assert result.status == "SUCCEEDED"
    assert engine.elapsed_ms == 30_000


def test_a_wait_until_a_timestamp_moves_the_clock_to_it() -> None:
    engine = Engine()
    result = engine.run(
        machine({"W": {"Type": "Wait", "TimestampPath": "$.at", "End": True}}),
        {"at": "2023-11-15T00:00:00Z"},
    )
    assert result.status == "SUCCEEDED"
    assert engine.clock.now_ms() == 1_700_006_400_000


def test_a_wait_until_a_past_timestamp_does_not_move_the_clock() -> None:
    engine = Engine()
    result = engine.run(
        machine(
            {"W": {"Type": "Wait", "Timestamp": "2000-01-01T00:00:00Z", "End": True}}
        )
    )
    assert result.status == "SUCCEEDED"
    assert engine.elapsed_ms == 0


def test_the_wait_history() -> None:
    engine = Engine()
    result = engine.run(machine({"W": {"Type": "Wait", "Seconds": 5, "End": True}}))
    assert [(e["id"], e["previousEventId"], e["type"]) for e in history(result)] == [
        (1, 0, "ExecutionStarted"),
        (2, 0, "WaitStateEntered"),
        (3, 2, "WaitStateExited"),
        (4, 3, "ExecutionSucceeded"),
    ]


# --- Task TimeoutSeconds / HeartbeatSeconds ---------------------------------------------


def test_a_handler_that_outlives_its_timeout_fails_with_states_timeout() -> None:
    engine = Engine()
    engine.handlers.register("slow", taking(engine, 10_000))
    result = engine.run(machine({"T": task("python:slow", TimeoutSeconds=5)}))
    assert (result.status, result.error) == ("FAILED", "States.Timeout")
    assert of_type(result, ev.TaskSucceeded) == []  # the late result is not recorded
    fired = of_type(result, ev.TimerFired)
    assert [(e.timer, e.at_ms) for e in fired] == [("timeout:0.0", T0 + 5_000)]
    timed_out = [e for e in history(result) if e["type"] == "TaskTimedOut"]
    assert len(timed_out) == 1
    assert timed_out[0]["error"] == "States.Timeout"


def test_a_handler_within_its_timeout_succeeds() -> None:
    engine = Engine()
    engine.handlers.register("quick", taking(engine, 4_999, "fast"))
    result = engine.run(machine({"T": task("python:quick", TimeoutSeconds=5)}))
    assert (result.status, result.output) == ("SUCCEEDED", "fast")
    assert engine.elapsed_ms == 4_999  # the unfired timeout timer is not waited for


def test_timeout_seconds_path_reads_the_input() -> None:
    engine = Engine()
    engine.handlers.register("slow", taking(engine, 3_000))
    definition = machine({"T": task("python:slow", TimeoutSecondsPath="$.limit")})
    assert engine.run(definition, {"limit": 2}).error == "States.Timeout"
    assert engine.run(definition, {"limit": 4}).status == "SUCCEEDED"


def test_a_timed_out_task_can_be_retried() -> None:
    engine = Engine()
    durations = iter([10_000, 100])
    calls: list[int] = []

    def sometimes_slow(payload: Any) -> Any:
        ms = next(durations)
        calls.append(ms)
        engine.clock.advance(ms)
        return ms

    engine.handlers.register("work", sometimes_slow)
    definition = machine(
        {
            "T": task(
                "python:work",
                TimeoutSeconds=5,
                Retry=[{"ErrorEquals": ["States.Timeout"], "IntervalSeconds": 1}],
            )
        }
    )
    result = engine.run(definition)
    assert (result.status, result.output) == ("SUCCEEDED", 100)
    assert calls == [10_000, 100]
    # The handler's 10 s ran past the 5 s timeout; the retry began 1 s after it.
    retry_timer = [e for e in of_type(result, ev.TimerStarted) if e.purpose == "retry"]
    assert [(e.at_ms, e.due_ms) for e in retry_timer] == [(T0 + 5_000, T0 + 6_000)]


def test_a_timed_out_task_can_be_caught() -> None:
    engine = Engine()
    engine.handlers.register("slow", taking(engine, 10_000))
    definition = machine(
        {
            "T": task(
                "python:slow",
                TimeoutSeconds=1,
                Catch=[{"ErrorEquals": ["States.Timeout"], "Next": "H"}],
            ),
            "H": {"Type": "Pass", "End": True},
        }
    )
    result = engine.run(definition)
    assert result.status == "SUCCEEDED"
    assert result.output == {"Error": "States.Timeout", "Cause": ""}


def test_a_handler_that_outlives_its_heartbeat_fails_with_heartbeat_timeout() -> None:
    engine = Engine()
    engine.handlers.register("slow", taking(engine, 10_000))
    result = engine.run(
        machine({"T": task("python:slow", TimeoutSeconds=60, HeartbeatSeconds=3)})
    )
    assert (result.status, result.error) == ("FAILED", "States.HeartbeatTimeout")


# --- execution TimeoutSeconds -------------------------------------------------------------


def test_execution_timeout_times_the_execution_out() -> None:
    engine = Engine()
    result = engine.run(
        machine({"W": {"Type": "Wait", "Seconds": 100, "End": True}}, TimeoutSeconds=10)
    )
    assert result.status == "TIMED_OUT"
    assert engine.elapsed_ms == 10_000
    assert [e["type"] for e in history(result)] == [
        "ExecutionStarted",
        "WaitStateEntered",
        "ExecutionTimedOut",
    ]
    assert result.journal[-1] == ev.ExecutionTimedOut(at_ms=T0 + 10_000)


def test_an_execution_that_ends_in_time_is_not_timed_out() -> None:
    engine = Engine()
    result = engine.run(
        machine({"W": {"Type": "Wait", "Seconds": 9, "End": True}}, TimeoutSeconds=10)
    )
    assert result.status == "SUCCEEDED"
    assert engine.elapsed_ms == 9_000


def test_execution_timeout_stops_running_branches() -> None:
    engine = Engine()
    calls: list[Any] = []
    engine.handlers.register("after", calls.append)
    definition = machine(
        {
            "P": {
                "Type": "Parallel",
                "Branches": [
                    branch(
                        {
                            "W": {"Type": "Wait", "Seconds": 30, "Next": "T"},
                            "T": task("python:after"),
                        }
                    ),
                    branch({"W2": {"Type": "Wait", "Seconds": 60, "End": True}}),
                ],
                "End": True,
            }
        },
        TimeoutSeconds=20,
    )
    result = engine.run(definition)
    assert result.status == "TIMED_OUT"
    assert engine.elapsed_ms == 20_000
    assert calls == []


def test_a_handler_that_outlives_the_execution_timeout_times_the_execution_out() -> (
    None
):
    engine = Engine()
    engine.handlers.register("slow", taking(engine, 30_000))
    result = engine.run(machine({"T": task("python:slow")}, TimeoutSeconds=10))
    assert result.status == "TIMED_OUT"
    assert result.journal[-1] == ev.ExecutionTimedOut(at_ms=T0 + 10_000)
