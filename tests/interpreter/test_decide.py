"""Given events, then decide: the exact decisions of the pure interpreter.

Each test plays a journal prefix (facts from tests/factories.py), asks the
interpreter for its decisions, and asserts on them and on `commands_for`. No clock,
no I/O, no engine.
"""

import typing
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from statum.core.engine.clock import VirtualClock
from statum.core.engine.express import ExpressRunner
from statum.core.engine.handlers import HandlerRegistry, TaskFailure
from statum.core.engine.loading import load_program
from statum.core.interpreter import events as ev
from statum.core.interpreter.commands import (
    RunTask,
    StartChild,
    StartTimer,
    commands_for,
)
from statum.core.interpreter.decide import decide
from statum.core.interpreter.evolve import fold
from statum.core.interpreter.interpret import interpret
from statum.core.interpreter.limits import Limits
from statum.core.interpreter.state import INITIAL_STATE, Status
from tests.factories import (
    EXECUTION_ID,
    T0,
    branches_ended,
    branches_started,
    builtins,
    catch_matched,
    execution_failed,
    execution_succeeded,
    frame_ended,
    iteration_started,
    kinds,
    map_ended,
    map_started,
    retry_scheduled,
    scenario,
    state_entered,
    state_exited,
    state_failed,
    stop_requested,
    task_failed,
    task_heartbeat,
    task_scheduled,
    task_started,
    task_succeeded,
    timer_fired,
    timer_started,
)
from tests.strategies import workflow_inputs, workflows

FACTS = typing.get_args(ev.Fact)


def machine(states: dict[str, Any], **top: Any) -> dict[str, Any]:
    return {"StartAt": next(iter(states)), "States": states, **top}


def task(resource: str = "python:work", **fields: Any) -> dict[str, Any]:
    return {"Type": "Task", "Resource": resource, "End": True, **fields}


def branch(name: str, state: dict[str, Any]) -> dict[str, Any]:
    return {"StartAt": name, "States": {name: state}}


def key(state: str, task: str, attempt: int = 0) -> str:
    """The idempotency key a handler sees for one attempt of one task."""
    return f"{EXECUTION_ID}/{state}/{task}/{attempt}"


# --- Pass, Succeed, Fail, Choice ------------------------------------------------


def test_pass_state_decides_to_enter_exit_and_succeed_at_once() -> None:
    s = scenario(
        machine(
            {
                "P": {
                    "Type": "Pass",
                    "Result": {"x": 1},
                    "ResultPath": "$.r",
                    "Next": "S",
                },
                "S": {"Type": "Succeed", "OutputPath": "$.r"},
            }
        ),
        {"a": 1},
    )
    assert s.decide() == (
        state_entered("P", "Pass", {"a": 1}),
        state_exited("P", "Pass", {"a": 1, "r": {"x": 1}}, "S"),
        state_entered("S", "Succeed", {"a": 1, "r": {"x": 1}}),
        state_exited("S", "Succeed", {"x": 1}),
        execution_succeeded({"x": 1}),
    )
    assert s.state.status == Status.SUCCEEDED
    assert s.commands == ()


def test_fail_state_fails_the_execution_with_its_error_and_cause() -> None:
    s = scenario(machine({"F": {"Type": "Fail", "Error": "Oops", "Cause": "why"}}))
    assert s.decide() == (
        state_entered("F", "Fail", {}),
        state_failed("F", "Oops", "why"),
        execution_failed("Oops", "why"),
    )


def test_a_fail_state_in_a_branch_is_caught_by_the_parallel() -> None:
    # A Fail inside a Parallel branch ends the branch; the Parallel's Catch sees it.
    s = scenario(
        machine(
            {
                "P": {
                    "Type": "Parallel",
                    "Branches": [branch("F", {"Type": "Fail", "Error": "Inner"})],
                    "Catch": [
                        {"ErrorEquals": ["Inner"], "ResultPath": "$.e", "Next": "Done"}
                    ],
                    "End": True,
                },
                "Done": {"Type": "Succeed"},
            }
        ),
        {"k": 1},
    )
    decisions = s.decide()
    assert (
        catch_matched(
            "P", "Parallel", "Done", {"k": 1, "e": {"Error": "Inner", "Cause": ""}}
        )
        in decisions
    )
    assert s.state.output == {"k": 1, "e": {"Error": "Inner", "Cause": ""}}


@pytest.mark.parametrize(
    ("value", "target"), [(1, "One"), (5, "Other"), ("1", "Other")]
)
def test_choice_follows_the_first_matching_rule_or_the_default(
    value: Any, target: str
) -> None:
    s = scenario(
        machine(
            {
                "C": {
                    "Type": "Choice",
                    "Choices": [{"Variable": "$.v", "NumericEquals": 1, "Next": "One"}],
                    "Default": "Other",
                },
                "One": {"Type": "Succeed"},
                "Other": {"Type": "Succeed"},
            }
        ),
        {"v": value},
    )
    decisions = s.decide()
    assert decisions[1] == state_exited("C", "Choice", {"v": value}, target)
    assert decisions[2] == state_entered(target, "Succeed", {"v": value})


def test_choice_without_a_match_or_default_fails_with_no_choice_matched() -> None:
    s = scenario(
        machine(
            {
                "C": {
                    "Type": "Choice",
                    "Choices": [{"Variable": "$.v", "IsPresent": True, "Next": "Y"}],
                },
                "Y": {"Type": "Succeed"},
            }
        )
    )
    cause = (
        "An error occurred while executing the state 'C' (entered at the event id #2). "
        "No Matches!"
    )
    assert s.decide() == (
        state_entered("C", "Choice", {}),
        state_failed("C", "States.NoChoiceMatched", cause),
        execution_failed("States.NoChoiceMatched", cause),
    )


def test_jsonata_choice_condition_and_assign() -> None:
    s = scenario(
        machine(
            {
                "C": {
                    "Type": "Choice",
                    "Choices": [
                        {
                            "Condition": "{% $states.input.n > 3 %}",
                            "Assign": {"big": "{% $states.input.n %}"},
                            "Next": "Y",
                        }
                    ],
                    "Default": "Y",
                },
                "Y": {"Type": "Pass", "Output": "{% $big %}", "End": True},
            },
            QueryLanguage="JSONata",
        ),
        {"n": 7},
    )
    decisions = s.decide()
    assert decisions[1] == state_exited(
        "C", "Choice", {"n": 7}, "Y", assigned={"big": 7}
    )
    assert s.state.output == 7


# --- Wait -----------------------------------------------------------------------


def test_wait_starts_a_timer_and_resumes_when_it_fires() -> None:
    s = scenario(machine({"W": {"Type": "Wait", "Seconds": 30, "End": True}}), [1])
    assert s.decide() == (
        state_entered("W", "Wait", [1]),
        timer_started("wait:0.0", T0 + 30_000, "wait"),
    )
    assert s.commands == (
        StartTimer(timer="wait:0.0", due_ms=T0 + 30_000, purpose="wait"),
    )
    assert s.decide() == ()  # nothing to do until the timer fires
    s.given(timer_fired("wait:0.0", at_ms=T0 + 30_000))
    # Decisions carry the time of the fact that caused them.
    assert s.decide() == (
        state_exited("W", "Wait", [1], at_ms=T0 + 30_000),
        execution_succeeded([1], at_ms=T0 + 30_000),
    )


def test_wait_seconds_path_reads_the_input() -> None:
    s = scenario(
        machine({"W": {"Type": "Wait", "SecondsPath": "$.s", "End": True}}), {"s": 7}
    )
    assert s.decide()[-1] == timer_started("wait:0.0", T0 + 7_000, "wait")


def test_wait_until_a_past_timestamp_is_due_at_once() -> None:
    s = scenario(
        machine(
            {"W": {"Type": "Wait", "Timestamp": "2001-01-01T00:00:00Z", "End": True}}
        )
    )
    assert s.decide()[-1] == timer_started("wait:0.0", T0, "wait")


def test_wait_until_a_future_timestamp() -> None:
    s = scenario(
        machine(
            {"W": {"Type": "Wait", "Timestamp": "2030-01-01T00:00:00Z", "End": True}}
        )
    )
    assert s.decide()[-1] == timer_started("wait:0.0", 1_893_456_000_000, "wait")


def test_a_timer_fired_twice_is_ignored_the_second_time() -> None:
    s = scenario(machine({"W": {"Type": "Wait", "Seconds": 1, "End": True}}))
    s.decide()
    s.given(timer_fired("wait:0.0", at_ms=T0 + 1000))
    s.decide()
    assert s.state.status == Status.SUCCEEDED
    s.given(timer_fired("wait:0.0", at_ms=T0 + 2000))
    assert s.decide() == ()


# --- Task -----------------------------------------------------------------------


def test_task_is_scheduled_with_its_parameters_and_becomes_a_command() -> None:
    s = scenario(
        machine(
            {
                "T": task(
                    Parameters={"n.$": "$.n", "fixed": True},
                    ResultSelector={"value.$": "$.v"},
                    ResultPath="$.result",
                )
            }
        ),
        {"n": 3},
    )
    scheduled = task_scheduled("0.0", "python:work", {"n": 3, "fixed": True}, state="T")
    assert s.decide() == (state_entered("T", "Task", {"n": 3}), scheduled)
    assert s.commands == (RunTask(task=scheduled, idempotency_key=key("T", "0.0")),)
    assert s.state.frames[0].task == "0.0"
    assert s.state.tasks["0.0"].scheduled == scheduled
    assert (s.state.tasks["0.0"].frame, s.state.tasks["0.0"].resource) == (
        0,
        "python:work",
    )


def test_task_started_marks_the_command_started_and_decides_nothing() -> None:
    s = scenario(machine({"T": task()}))
    s.decide()
    s.given(task_started("0.0", at_ms=T0 + 5))
    assert s.decide() == ()
    (command,) = s.commands
    assert isinstance(command, RunTask)
    assert command.started is True
    assert command.task == task_scheduled("0.0", "python:work", {}, state="T")
    assert command.key == "0.0"
    assert command.idempotency_key == key("T", "0.0")


def test_a_task_started_twice_changes_nothing_the_second_time() -> None:
    # A lease expired and a second worker took the task over: one start counts.
    s = scenario(machine({"T": task()}))
    s.decide()
    s.given(task_started("0.0", at_ms=T0 + 5))
    once = s.state
    s.given(task_started("0.0", at_ms=T0 + 6))
    twice = s.state
    assert builtins(twice.tasks) == builtins(once.tasks)
    assert builtins(twice.frames) == builtins(once.frames)
    assert twice.history_len == once.history_len
    assert s.decide() == ()
    assert s.commands == (
        RunTask(
            task=task_scheduled("0.0", "python:work", {}, state="T"),
            idempotency_key=key("T", "0.0"),
            started=True,
        ),
    )


def test_task_result_goes_through_result_selector_result_path_output_path() -> None:
    s = scenario(
        machine(
            {
                "T": task(
                    ResultSelector={"value.$": "$.v"},
                    ResultPath="$.result",
                    OutputPath="$.result",
                )
            }
        ),
        {"n": 3},
    )
    s.decide()
    s.given(
        task_started("0.0", at_ms=T0 + 1),
        task_succeeded("0.0", {"v": 9, "noise": 1}, at_ms=T0 + 2),
    )
    assert s.decide() == (
        state_exited("T", "Task", {"value": 9}, at_ms=T0 + 2),
        execution_succeeded({"value": 9}, at_ms=T0 + 2),
    )
    assert s.commands == ()


def test_task_failure_without_retry_or_catch_fails_the_execution() -> None:
    s = scenario(machine({"T": task()}))
    s.decide()
    s.given(task_failed("0.0", "Boom", "it broke", at_ms=T0 + 1))
    assert s.decide() == (execution_failed("Boom", "it broke", at_ms=T0 + 1),)


def test_retry_schedules_a_backoff_timer_then_a_new_attempt() -> None:
    s = scenario(
        machine(
            {
                "T": task(
                    Retry=[
                        {
                            "ErrorEquals": ["Boom"],
                            "IntervalSeconds": 2,
                            "BackoffRate": 3,
                        }
                    ]
                )
            }
        )
    )
    s.decide()
    s.given(task_failed("0.0", "Boom", at_ms=T0 + 10))
    assert s.decide() == (
        retry_scheduled(0, 2000, at_ms=T0 + 10),
        timer_started("retry:0.1", T0 + 2010, "retry", at_ms=T0 + 10),
    )
    assert s.commands == (
        StartTimer(timer="retry:0.1", due_ms=T0 + 2010, purpose="retry"),
    )
    s.given(timer_fired("retry:0.1", at_ms=T0 + 2010))
    # The same state entry, a new attempt: no second StateEntered.
    retried = task_scheduled(
        "0.2", "python:work", {}, state="T", attempt=1, at_ms=T0 + 2010
    )
    assert s.decide() == (retried,)
    # A new attempt is a new idempotency key.
    assert commands_for(s.state) == (
        RunTask(task=retried, idempotency_key=key("T", "0.2", 1)),
    )
    s.given(task_failed("0.2", "Boom", at_ms=T0 + 2020))
    assert s.decide() == (
        retry_scheduled(0, 6000, at_ms=T0 + 2020),
        timer_started("retry:0.3", T0 + 8020, "retry", at_ms=T0 + 2020),
    )


def test_retry_does_not_apply_to_an_unmatched_error() -> None:
    s = scenario(machine({"T": task(Retry=[{"ErrorEquals": ["Other"]}])}))
    s.decide()
    s.given(task_failed("0.0", "Boom", "c"))
    assert s.decide() == (execution_failed("Boom", "c"),)


def test_catch_moves_on_with_the_error_output_at_result_path() -> None:
    s = scenario(
        machine(
            {
                "T": task(
                    Catch=[
                        {
                            "ErrorEquals": ["States.ALL"],
                            "ResultPath": "$.err",
                            "Next": "H",
                        }
                    ]
                ),
                "H": {"Type": "Succeed"},
            }
        ),
        {"keep": 1},
    )
    s.decide()
    s.given(task_failed("0.0", "Boom", None, at_ms=T0 + 1))
    error_output = {"keep": 1, "err": {"Error": "Boom", "Cause": ""}}
    assert s.decide() == (
        catch_matched("T", "Task", "H", error_output, at_ms=T0 + 1),
        state_entered("H", "Succeed", error_output, at_ms=T0 + 1),
        state_exited("H", "Succeed", error_output, at_ms=T0 + 1),
        execution_succeeded(error_output, at_ms=T0 + 1),
    )


def test_task_timeout_starts_a_timer_and_fails_with_states_timeout() -> None:
    s = scenario(machine({"T": task(TimeoutSeconds=5, HeartbeatSeconds=2)}))
    # TimeoutSeconds 5 and HeartbeatSeconds 2: a timer for each.
    scheduled = task_scheduled(
        "0.0", "python:work", {}, state="T", timeout_seconds=5, heartbeat_seconds=2
    )
    assert s.decide() == (
        state_entered("T", "Task", {}),
        scheduled,
        timer_started("timeout:0.0", T0 + 5000, "timeout"),
        timer_started("heartbeat:0.0", T0 + 2000, "heartbeat"),
    )
    # The task and its two timers took serials 0, 1 and 2.
    assert s.state.work_serial == 3
    assert s.commands == (
        RunTask(task=scheduled, idempotency_key=key("T", "0.0")),
        StartTimer(timer="timeout:0.0", due_ms=T0 + 5000, purpose="timeout"),
        StartTimer(timer="heartbeat:0.0", due_ms=T0 + 2000, purpose="heartbeat"),
    )
    s.given(task_started("0.0"), timer_fired("timeout:0.0", at_ms=T0 + 5000))
    # (AWS fails the task on whichever timer fires first; here the timeout.)
    assert s.decide() == (execution_failed("States.Timeout", None, at_ms=T0 + 5000),)
    # The late result of a timed-out task changes nothing.
    s.given(task_succeeded("0.0", "late", at_ms=T0 + 6000))
    assert s.decide() == ()
    assert s.state.status == Status.FAILED


def test_a_retry_takes_the_serials_after_the_task_timers() -> None:
    s = scenario(
        machine(
            {
                "T": task(
                    TimeoutSeconds=5,
                    HeartbeatSeconds=2,
                    Retry=[{"ErrorEquals": ["Boom"], "IntervalSeconds": 1}],
                )
            }
        )
    )
    s.decide()
    s.given(task_failed("0.0", "Boom", at_ms=T0 + 1))
    assert s.decide() == (
        retry_scheduled(0, 1000, at_ms=T0 + 1),
        timer_started("retry:0.3", T0 + 1001, "retry", at_ms=T0 + 1),
    )
    s.given(timer_fired("retry:0.3", at_ms=T0 + 1001))
    at = T0 + 1001
    assert s.decide() == (
        task_scheduled(
            "0.4",
            "python:work",
            {},
            state="T",
            attempt=1,
            timeout_seconds=5,
            heartbeat_seconds=2,
            at_ms=at,
        ),
        timer_started("timeout:0.4", at + 5000, "timeout", at_ms=at),
        timer_started("heartbeat:0.4", at + 2000, "heartbeat", at_ms=at),
    )
    assert s.state.work_serial == 7


# --- heartbeats -------------------------------------------------------------------


def test_a_heartbeat_restarts_the_heartbeat_timer() -> None:
    s = scenario(machine({"T": task(TimeoutSeconds=50, HeartbeatSeconds=10)}))
    s.decide()
    s.given(task_started("0.0", at_ms=T0 + 1), task_heartbeat("0.0", at_ms=T0 + 7000))
    state = s.state
    assert state.timers["heartbeat:0.0"].due_ms == T0 + 17_000
    assert state.timers["heartbeat:0.0"].purpose == "heartbeat"
    assert state.timers["heartbeat:0.0"].frame == 0
    # The task timeout is the whole task's: a heartbeat leaves it alone.
    assert state.timers["timeout:0.0"].due_ms == T0 + 50_000
    assert s.decide() == ()
    assert [c for c in s.commands if isinstance(c, StartTimer)] == [
        StartTimer(timer="timeout:0.0", due_ms=T0 + 50_000, purpose="timeout"),
        StartTimer(timer="heartbeat:0.0", due_ms=T0 + 17_000, purpose="heartbeat"),
    ]
    # Each heartbeat counts from its own time; none stands for a history event.
    s.given(task_heartbeat("0.0", at_ms=T0 + 12_000))
    assert s.state.timers["heartbeat:0.0"].due_ms == T0 + 22_000
    assert s.state.history_len == state.history_len


def test_a_heartbeat_does_not_change_the_work_serial_or_the_task() -> None:
    s = scenario(machine({"T": task(HeartbeatSeconds=10)}))
    s.decide()
    before = s.state
    s.given(task_heartbeat("0.0", at_ms=T0 + 3000))
    after = s.state
    assert after.work_serial == before.work_serial == 2
    assert builtins(after.tasks) == builtins(before.tasks)
    assert builtins(after.frames) == builtins(before.frames)


def test_a_late_heartbeat_for_a_finished_task_changes_nothing() -> None:
    s = scenario(
        machine(
            {
                "T": {
                    "Type": "Task",
                    "Resource": "python:work",
                    "HeartbeatSeconds": 10,
                    "Next": "W",
                },
                "W": {"Type": "Wait", "Seconds": 100, "End": True},
            }
        )
    )
    s.decide()
    s.given(task_succeeded("0.0", 1, at_ms=T0 + 1))
    s.decide()
    before = s.state
    assert "heartbeat:0.0" not in before.timers
    s.given(task_heartbeat("0.0", at_ms=T0 + 2))
    after = s.state
    assert builtins(after.timers) == builtins(before.timers)
    assert builtins(after.tasks) == builtins(before.tasks) == {}
    assert builtins(after.frames) == builtins(before.frames)
    assert after.history_len == before.history_len
    assert s.decide() == ()


def test_a_heartbeat_for_a_task_without_a_heartbeat_timeout_changes_nothing() -> None:
    s = scenario(machine({"T": task(TimeoutSeconds=5)}))
    s.decide()
    before = s.state
    s.given(task_heartbeat("0.0", at_ms=T0 + 1000))
    after = s.state
    assert builtins(after.timers) == builtins(before.timers)
    assert "heartbeat:0.0" not in after.timers


def test_a_result_ends_the_timeout_timer() -> None:
    s = scenario(machine({"T": task(TimeoutSeconds=5)}))
    s.decide()
    assert "timeout:0.0" in s.state.timers
    s.given(task_succeeded("0.0", 1, at_ms=T0 + 1))
    assert "timeout:0.0" not in s.state.timers  # before any decision
    assert s.commands == ()
    s.decide()
    assert s.state.status == Status.SUCCEEDED


# --- keys: numbered by the work serial, not by the history -------------------------


def _passes_then_task(passes: int) -> dict[str, Any]:
    states: dict[str, Any] = {
        f"P{i}": {"Type": "Pass", "Next": f"P{i + 1}" if i + 1 < passes else "T"}
        for i in range(passes)
    }
    states["T"] = task(TimeoutSeconds=5)
    return machine(states)


@pytest.mark.parametrize("passes", [0, 1, 7])
def test_task_keys_do_not_depend_on_how_many_history_events_came_before(
    passes: int,
) -> None:
    s = scenario(_passes_then_task(passes))
    decisions = s.decide()
    # Each Pass stands for two history events (entered, exited) ...
    assert s.state.history_len == 1 + 2 * passes + 2
    # ... and none of them moves the keys: the task is the first work item.
    (scheduled,) = [e for e in decisions if isinstance(e, ev.TaskScheduled)]
    assert scheduled == task_scheduled(
        "0.0", "python:work", {}, state="T", timeout_seconds=5
    )
    assert decisions[-1] == timer_started("timeout:0.0", T0 + 5000, "timeout")
    assert s.commands[0] == RunTask(task=scheduled, idempotency_key=key("T", "0.0"))


def test_a_hidden_or_doubled_fact_does_not_move_the_keys() -> None:
    # Task, then a Wait: the Wait's timer is the second work item whatever the
    # history in between (a doubled TaskStarted and a heartbeat count nothing).
    definition = machine(
        {
            "T": {"Type": "Task", "Resource": "python:work", "Next": "W"},
            "W": {"Type": "Wait", "Seconds": 1, "End": True},
        }
    )
    plain = scenario(definition)
    plain.decide()
    plain.given(task_succeeded("0.0", 1, at_ms=T0 + 1))
    noisy = scenario(definition)
    noisy.decide()
    noisy.given(
        task_started("0.0"),
        task_started("0.0"),
        task_heartbeat("0.0"),
        task_succeeded("0.0", 1, at_ms=T0 + 1),
    )
    assert noisy.state.history_len == plain.state.history_len + 1  # one TaskStarted
    expected = timer_started("wait:0.1", T0 + 1001, "wait", at_ms=T0 + 1)
    assert plain.decide()[-1] == expected
    assert noisy.decide()[-1] == expected


def test_keys_are_numbered_across_frames_in_journal_order() -> None:
    s = scenario(
        machine(
            {
                "P": {
                    "Type": "Parallel",
                    "Branches": [
                        branch("W", {"Type": "Wait", "Seconds": 2, "End": True}),
                        branch("A", task("python:a")),
                        branch("B", task("python:b")),
                    ],
                    "End": True,
                }
            }
        )
    )
    decisions = s.decide()
    work = [
        (e.frame, e.task if isinstance(e, ev.TaskScheduled) else e.timer)
        for e in decisions
        if isinstance(e, ev.TaskScheduled | ev.TimerStarted)
    ]
    assert work == [(1, "wait:1.0"), (2, "2.1"), (3, "3.2")]
    assert s.state.work_serial == 3


def test_a_start_execution_task_becomes_a_start_child_command() -> None:
    resource = "arn:aws:states:::states:startExecution.sync:2"
    parameters = {"StateMachineArn": "arn:child", "Input": {"a": 1}}
    s = scenario(machine({"T": task(resource, Parameters=parameters)}))
    scheduled = task_scheduled("0.0", resource, parameters, state="T")
    assert s.decide() == (state_entered("T", "Task", {}), scheduled)
    assert s.commands == (StartChild(task=scheduled, idempotency_key=key("T", "0.0")),)


def test_distributed_map_iterations_become_start_child_commands() -> None:
    processor = {
        "ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "STANDARD"},
        **branch("T", task()),
    }
    s = scenario(_map(ItemProcessor=processor), {"items": [1, 2]})
    s.decide()
    commands = [c for c in s.commands if isinstance(c, StartChild)]
    assert [type(c) for c in s.commands] == [StartChild, StartChild]
    assert [(c.task.frame, c.task.parameters["Index"]) for c in commands] == [
        (1, 0),
        (2, 1),
    ]
    assert len({c.idempotency_key for c in commands}) == 2


def test_a_token_task_carries_its_token_in_the_event_and_the_context() -> None:
    resource = "arn:aws:states:::sqs:sendMessage.waitForTaskToken"
    definition = machine({"T": task(resource, Parameters={"token.$": "$$.Task.Token"})})
    s = scenario(definition, seed="seed-1")
    (scheduled,) = [e for e in s.decide() if isinstance(e, ev.TaskScheduled)]
    token = scheduled.token
    assert token is not None
    assert len(token) == 64
    int(token, 16)  # hex
    assert scheduled == task_scheduled(
        "0.0", resource, {"token": token}, state="T", token=token
    )
    assert s.commands == (RunTask(task=scheduled, idempotency_key=key("T", "0.0")),)
    # Derived from the seed: the same again on replay, another with another seed.
    again = scenario(definition, seed="seed-1").decide()
    assert again[-1] == scheduled
    other = scenario(definition, seed="seed-2").decide()[-1]
    assert isinstance(other, ev.TaskScheduled)
    assert other.token not in (None, token)
    # A task without the suffix has none.
    assert scenario(machine({"T": task()}), seed="seed-1").decide()[-1] == (
        task_scheduled("0.0", "python:work", {}, state="T")
    )


# --- Parallel -------------------------------------------------------------------


PARALLEL_OF_TASKS = machine(
    {
        "P": {
            "Type": "Parallel",
            "Branches": [branch("A", task("python:a")), branch("B", task("python:b"))],
            "ResultPath": "$.out",
            "End": True,
        }
    }
)


def _scheduled(decisions: Any) -> dict[int, str]:
    return {e.frame: e.task for e in decisions if isinstance(e, ev.TaskScheduled)}


def test_parallel_starts_one_frame_per_branch_in_order() -> None:
    s = scenario(PARALLEL_OF_TASKS, {"k": 1})
    decisions = s.decide()
    assert kinds(decisions) == [
        "StateEntered",
        "BranchesStarted",
        "StateEntered",
        "TaskScheduled",
        "StateEntered",
        "TaskScheduled",
    ]
    assert decisions[1] == branches_started([1, 2], {"k": 1})
    assert decisions[2] == state_entered("A", "Task", {"k": 1}, frame=1)
    assert decisions[4] == state_entered("B", "Task", {"k": 1}, frame=2)
    tasks = _scheduled(decisions)
    assert set(tasks) == {1, 2}
    assert {c.resource for c in s.commands if isinstance(c, RunTask)} == {
        "python:a",
        "python:b",
    }


def test_parallel_waits_for_every_branch_and_keeps_branch_order() -> None:
    s = scenario(PARALLEL_OF_TASKS, {"k": 1})
    tasks = _scheduled(s.decide())
    s.given(task_succeeded(tasks[2], "second", at_ms=T0 + 1))
    assert s.decide() == (
        state_exited("B", "Task", "second", frame=2, at_ms=T0 + 1),
        frame_ended(2, "second", at_ms=T0 + 1),
    )
    s.given(task_succeeded(tasks[1], "first", at_ms=T0 + 2))
    at = T0 + 2
    output = {"k": 1, "out": ["first", "second"]}
    assert s.decide() == (
        state_exited("A", "Task", "first", frame=1, at_ms=at),
        frame_ended(1, "first", at_ms=at),
        branches_ended(False, at_ms=at),
        state_exited("P", "Parallel", output, at_ms=at),
        execution_succeeded(output, at_ms=at),
    )


def test_a_failed_branch_aborts_its_siblings_and_fails_the_parallel() -> None:
    s = scenario(PARALLEL_OF_TASKS)
    tasks = _scheduled(s.decide())
    s.given(task_failed(tasks[1], "Boom", "in A"))
    assert s.decide() == (
        frame_ended(1, failed=True, error="Boom", cause="in A"),
        frame_ended(2, failed=True, aborted=True),
        branches_ended(True),
        execution_failed("Boom", "in A"),
    )
    assert commands_for(s.state) == ()
    # The aborted branch's result arrives late and is ignored.
    s.given(task_succeeded(tasks[2], "late"))
    assert s.decide() == ()


# --- Map ------------------------------------------------------------------------


def _map(**fields: Any) -> dict[str, Any]:
    return machine(
        {
            "M": {
                "Type": "Map",
                "ItemsPath": "$.items",
                "ItemProcessor": branch("T", task()),
                "End": True,
                **fields,
            }
        }
    )


def test_map_starts_an_iteration_per_item_with_its_index() -> None:
    s = scenario(_map(), {"items": ["a", "b"]})
    decisions = s.decide()
    assert decisions[:3] == (
        state_entered("M", "Map", {"items": ["a", "b"]}),
        map_started(["a", "b"]),
        iteration_started(1, 0, "a"),
    )
    started = [e for e in decisions if isinstance(e, ev.IterationStarted)]
    assert [(e.child, e.index, e.input) for e in started] == [(1, 0, "a"), (2, 1, "b")]
    tasks = _scheduled(decisions)
    assert set(tasks) == {1, 2}
    s.given(task_succeeded(tasks[2], "B"), task_succeeded(tasks[1], "A"))
    decisions = s.decide()
    assert decisions[-3:] == (
        map_ended(False),
        state_exited("M", "Map", ["A", "B"]),
        execution_succeeded(["A", "B"]),
    )


def test_map_max_concurrency_holds_back_iterations() -> None:
    s = scenario(_map(MaxConcurrency=1), {"items": [10, 20, 30]})
    decisions = s.decide()
    assert decisions[1] == map_started([10, 20, 30], max_concurrency=1)
    assert [e.index for e in decisions if isinstance(e, ev.IterationStarted)] == [0]
    assert len(s.commands) == 1
    (first,) = _scheduled(decisions).values()
    s.given(task_succeeded(first, 11))
    decisions = s.decide()
    assert [e.index for e in decisions if isinstance(e, ev.IterationStarted)] == [1]
    assert frame_ended(1, 11) in decisions


def test_map_of_no_items_succeeds_with_an_empty_array() -> None:
    s = scenario(_map(), {"items": []})
    assert s.decide() == (
        state_entered("M", "Map", {"items": []}),
        map_started([]),
        map_ended(False),
        state_exited("M", "Map", []),
        execution_succeeded([]),
    )


def test_map_failure_beyond_tolerance_aborts_the_rest() -> None:
    s = scenario(_map(ToleratedFailureCount=0), {"items": [1, 2]})
    tasks = _scheduled(s.decide())
    s.given(task_failed(tasks[1], "Boom"))
    decisions = s.decide()
    assert decisions == (
        frame_ended(1, failed=True, error="Boom"),
        frame_ended(2, failed=True, aborted=True),
        map_ended(
            True,
            error="States.ExceedToleratedFailureThreshold",
            cause="The specified tolerated failure threshold was exceeded",
        ),
        execution_failed(
            "States.ExceedToleratedFailureThreshold",
            "The specified tolerated failure threshold was exceeded",
        ),
    )


def test_map_items_that_are_not_an_array_fail_with_states_runtime() -> None:
    s = scenario(_map(), {"items": {"not": "a list"}})
    decisions = s.decide()
    assert kinds(decisions) == ["StateEntered", "StateFailed", "ExecutionFailed"]
    failed = decisions[1]
    assert isinstance(failed, ev.StateFailed)
    assert failed.error == "States.Runtime"
    assert failed.cause is not None
    assert "must be an array" in failed.cause


# --- the execution as a whole ---------------------------------------------------


def test_decide_on_a_finished_execution_returns_nothing() -> None:
    s = scenario(machine({"P": {"Type": "Pass", "End": True}}))
    s.decide()
    assert s.state.finished
    assert decide(s.program, s.state) == ()
    assert interpret(s.program, s.journal).decisions == ()
    assert commands_for(s.state) == ()


def test_decide_before_the_execution_started_returns_nothing() -> None:
    s = scenario(machine({"P": {"Type": "Pass", "End": True}}))
    assert decide(s.program, INITIAL_STATE) == ()


def test_decide_neither_changes_its_state_nor_varies() -> None:
    s = scenario(PARALLEL_OF_TASKS, {"k": [1, 2]})
    state = s.state
    before = builtins(state)
    first = decide(s.program, state)
    assert builtins(state) == before
    assert decide(s.program, state) == first


def test_interpret_folds_the_decisions_and_derives_commands() -> None:
    s = scenario(machine({"W": {"Type": "Wait", "Seconds": 3, "End": True}}))
    result = interpret(s.program, s.journal)
    assert result.decisions == decide(s.program, fold(s.journal))
    assert builtins(result.state) == builtins(fold([*s.journal, *result.decisions]))
    assert result.commands == commands_for(result.state)
    assert result.commands == (
        StartTimer(timer="wait:0.0", due_ms=T0 + 3000, purpose="wait"),
    )


def test_stop_request_aborts_with_its_error_and_cause() -> None:
    s = scenario(machine({"T": task()}))
    s.decide()
    s.given(stop_requested("Stopped", "by an operator", at_ms=T0 + 9))
    assert s.decide() == (
        ev.ExecutionAborted(at_ms=T0 + 9, error="Stopped", cause="by an operator"),
    )
    assert s.state.status == Status.ABORTED
    assert s.commands == ()


def test_execution_timeout_timer_and_timing_out() -> None:
    s = scenario(
        machine({"W": {"Type": "Wait", "Seconds": 100, "End": True}}, TimeoutSeconds=10)
    )
    decisions = s.decide()
    assert decisions[0] == timer_started("execution-timeout", T0 + 10_000, "execution")
    # The execution timer took serial 0, so the Wait's timer has serial 1.
    assert {c.timer for c in s.commands if isinstance(c, StartTimer)} == {
        "execution-timeout",
        "wait:0.1",
    }
    s.given(timer_fired("execution-timeout", at_ms=T0 + 10_000))
    assert s.decide() == (ev.ExecutionTimedOut(at_ms=T0 + 10_000),)
    assert s.state.status == Status.TIMED_OUT


def test_the_execution_timeout_counts_from_the_start_not_from_the_decision() -> None:
    s = scenario(machine({"P": {"Type": "Pass", "End": True}}, TimeoutSeconds=10))
    # The first decision is made 3 s after the start (a slow shell): a stray fact
    # moves the journal's clock and nothing else.
    s.given(task_started("no-such-task", at_ms=T0 + 3000))
    decisions = s.decide()
    assert decisions[0] == timer_started(
        "execution-timeout", T0 + 10_000, "execution", at_ms=T0 + 3000
    )


def test_history_limit_fails_an_endless_loop() -> None:
    s = scenario(
        machine(
            {
                "Loop": {"Type": "Pass", "Next": "Check"},
                "Check": {
                    "Type": "Choice",
                    "Choices": [
                        {"Variable": "$.stop", "IsPresent": True, "Next": "End"}
                    ],
                    "Default": "Loop",
                },
                "End": {"Type": "Succeed"},
            }
        ),
        limits=Limits(max_history_events=50),
    )
    decisions = s.decide()
    assert decisions[-1] == execution_failed(
        "States.Runtime",
        "The execution reached the maximum number of history events (50).",
    )
    assert s.state.history_len <= 51


def test_payload_limit_fails_the_state_and_cannot_be_caught_by_states_all() -> None:
    definition = machine(
        {
            "W": {
                "Type": "Parallel",
                "Branches": [
                    branch("P", {"Type": "Pass", "Result": "x" * 100, "End": True})
                ],
                "Catch": [{"ErrorEquals": ["States.ALL"], "Next": "H"}],
                "End": True,
            },
            "H": {"Type": "Succeed"},
        }
    )
    s = scenario(definition, limits=Limits(max_payload_bytes=64))
    decisions = s.decide()
    failed = [e for e in decisions if isinstance(e, ev.StateFailed)]
    assert [(e.name, e.error) for e in failed] == [("P", "States.DataLimitExceeded")]
    assert not any(isinstance(e, ev.CatchMatched) for e in decisions)
    assert s.state.status == Status.FAILED
    assert s.state.error == "States.DataLimitExceeded"
    # The same definition fits the default limit.
    ok = scenario(definition)
    ok.decide()
    assert ok.state.status == Status.SUCCEEDED


def test_assign_is_recorded_on_the_exit_and_read_by_the_next_state() -> None:
    s = scenario(
        machine(
            {
                "A": {"Type": "Pass", "Assign": {"v.$": "$.n", "c": 1}, "Next": "B"},
                "B": {
                    "Type": "Pass",
                    "Parameters": {"v.$": "$v", "c.$": "$c"},
                    "End": True,
                },
            }
        ),
        {"n": 5},
    )
    decisions = s.decide()
    assert decisions[1] == state_exited(
        "A", "Pass", {"n": 5}, "B", assigned={"v": 5, "c": 1}
    )
    assert s.state.output == {"v": 5, "c": 1}


def test_a_result_for_an_unknown_task_is_ignored() -> None:
    s = scenario(machine({"T": task()}))
    s.decide()
    before = builtins(s.state)
    s.given(task_succeeded("9.9.9", "stray"))
    assert s.decide() == ()
    after = builtins(s.state)
    assert after["frames"] == before["frames"]
    assert after["tasks"] == before["tasks"]


def test_a_journal_prefix_ending_in_a_fact_redecides_byte_for_byte() -> None:
    s = scenario(PARALLEL_OF_TASKS, {"k": 1})
    tasks = _scheduled(s.decide())
    s.given(task_succeeded(tasks[1], 1, at_ms=T0 + 1))
    s.decide()
    s.given(task_succeeded(tasks[2], 2, at_ms=T0 + 2))
    s.decide()
    journal = s.journal
    for cut, event in enumerate(journal):
        if isinstance(event, ev.TaskSucceeded | ev.ExecutionStarted):
            redecided = decide(s.program, fold(journal[: cut + 1]))
            assert list(redecided) == journal[cut + 1 : cut + 1 + len(redecided)]


def test_execution_started_fields_reach_the_context_object() -> None:
    s = scenario(
        machine(
            {
                "P": {
                    "Type": "Pass",
                    "Parameters": {
                        "id.$": "$$.Execution.Id",
                        "name.$": "$$.Execution.Name",
                        "start.$": "$$.Execution.StartTime",
                        "entered.$": "$$.State.EnteredTime",
                        "state.$": "$$.State.Name",
                    },
                    "End": True,
                }
            }
        ),
        execution_id="exec-42",
        name="forty-two",
        at_ms=T0 + 5,
    )
    s.decide()
    assert s.state.output == {
        "id": "exec-42",
        "name": "forty-two",
        "start": "2023-11-14T22:13:20.005Z",
        "entered": "2023-11-14T22:13:20.005Z",
        "state": "P",
    }


# --- nested scopes ----------------------------------------------------------------


NESTED_PARALLEL = machine(
    {
        "Outer": {
            "Type": "Parallel",
            "Branches": [
                branch("Fails", task("python:fails")),
                branch(
                    "Inner",
                    {
                        "Type": "Parallel",
                        "Branches": [branch("Deep", task("python:deep"))],
                        "End": True,
                    },
                ),
            ],
            "Catch": [{"ErrorEquals": ["States.ALL"], "Next": "Later"}],
            "End": True,
        },
        "Later": {"Type": "Wait", "Seconds": 10, "End": True},
    }
)


def test_nested_parallels_get_frames_of_their_own() -> None:
    s = scenario(NESTED_PARALLEL)
    decisions = s.decide()
    started = [e for e in decisions if isinstance(e, ev.BranchesStarted)]
    assert [(e.frame, e.children) for e in started] == [(0, [1, 2]), (2, [3])]
    assert _scheduled(decisions).keys() == {1, 3}
    assert s.state.frames[3].program == "/Outer/1/Inner/0"


def test_aborting_a_branch_aborts_everything_nested_in_it() -> None:
    s = scenario(NESTED_PARALLEL)
    tasks = _scheduled(s.decide())
    s.given(task_failed(tasks[1], "Boom"))
    decisions = s.decide()
    assert (
        catch_matched("Outer", "Parallel", "Later", {"Error": "Boom", "Cause": ""})
        in decisions
    )
    state = s.state
    # No frame is left behind whose parent is gone ...
    assert all(f.parent < 0 or f.parent in state.frames for f in state.frames.values())
    # ... and nothing but the Wait of "Later" remains to be done: no task "Deep".
    assert [c for c in s.commands if isinstance(c, RunTask)] == []
    (timer,) = s.commands
    assert isinstance(timer, StartTimer)
    assert (timer.purpose, timer.due_ms) == ("wait", T0 + 10_000)


@settings(max_examples=25)
@given(workflows(), workflow_inputs, st.lists(st.booleans(), max_size=12))
def test_decide_never_changes_the_state_it_is_given(
    definition: Any, payload: Any, outcomes: list[bool]
) -> None:
    calls = iter(outcomes)

    def maybe_fail(value: Any) -> Any:
        if next(calls, True):
            return {"ok": value}
        raise TaskFailure("Custom.Error", "drawn to fail")

    handlers = HandlerRegistry()
    handlers.register("maybe-fail", maybe_fail)
    program = load_program(definition)
    runner = ExpressRunner(handlers=handlers, clock=VirtualClock(), new_id=lambda: "x")
    journal = runner.run(program, payload).journal
    for cut, event in enumerate(journal):
        if isinstance(event, FACTS):
            state = fold(journal[: cut + 1])
            before = builtins(state)
            decide(program, state)
            assert builtins(state) == before
