"""Journal event builders and a given-events harness for the pure interpreter.

In the style of durabletask's `helpers.new_task_completed_event`: every builder takes
only what a test cares about and fills the rest with fixed values, so a test reads as
the journal it stands for. `Scenario` is the Decider specification (Emmett's
`DeciderSpecification`): given a journal, decide, then assert on the decisions.
"""

from dataclasses import dataclass, field
from typing import Any

import msgspec

from statum.core.engine.loading import load_program
from statum.core.interpreter import events as ev
from statum.core.interpreter.commands import Command, commands_for
from statum.core.interpreter.decide import decide
from statum.core.interpreter.evolve import fold
from statum.core.interpreter.kinds import StateKind, TimerPurpose
from statum.core.interpreter.limits import DEFAULT_LIMITS, Limits
from statum.core.interpreter.program import Program
from statum.core.interpreter.state import ExecutionState

T0 = 1_700_000_000_000
"""The time of every event unless a test says otherwise (the VirtualClock's start)."""

EXECUTION_ID = "arn:aws:states:local:000000000000:execution:statemachine:test"
STATE_MACHINE_ID = "arn:aws:states:local:000000000000:stateMachine:statemachine"


# --- facts ---------------------------------------------------------------------


def execution_started(
    input: Any = None,
    *,
    at_ms: int = T0,
    execution_id: str = EXECUTION_ID,
    name: str = "test",
    state_machine_id: str = STATE_MACHINE_ID,
    definition_id: str = "",
    definition_hash: str = "",
    limits: Limits | None = None,
    seed: str = "",
) -> ev.ExecutionStarted:
    return ev.ExecutionStarted(
        at_ms=at_ms,
        execution_id=execution_id,
        name=name,
        input={} if input is None else input,
        state_machine_id=state_machine_id,
        state_machine_name="statemachine",
        role_arn="arn:aws:iam::000000000000:role/statum",
        definition_id=definition_id,
        definition_hash=definition_hash,
        limits=limits,
        seed=seed,
    )


def task_started(task: str, *, at_ms: int = T0) -> ev.TaskStarted:
    return ev.TaskStarted(at_ms=at_ms, task=task)


def task_submitted(
    task: str, output: Any = None, *, at_ms: int = T0
) -> ev.TaskSubmitted:
    return ev.TaskSubmitted(at_ms=at_ms, task=task, output=output)


def task_succeeded(task: str, output: Any, *, at_ms: int = T0) -> ev.TaskSucceeded:
    return ev.TaskSucceeded(at_ms=at_ms, task=task, output=output)


def task_failed(
    task: str,
    error: str,
    cause: str | None = None,
    *,
    traceback: str | None = None,
    at_ms: int = T0,
) -> ev.TaskFailed:
    return ev.TaskFailed(
        at_ms=at_ms, task=task, error=error, cause=cause, traceback=traceback
    )


def task_heartbeat(task: str, *, at_ms: int = T0) -> ev.TaskHeartbeat:
    return ev.TaskHeartbeat(at_ms=at_ms, task=task)


def timer_fired(timer: str, *, at_ms: int = T0) -> ev.TimerFired:
    return ev.TimerFired(at_ms=at_ms, timer=timer)


def stop_requested(
    error: str | None = None, cause: str | None = None, *, at_ms: int = T0
) -> ev.ExecutionStopRequested:
    return ev.ExecutionStopRequested(at_ms=at_ms, error=error, cause=cause)


# --- decisions (to hand-build journals and expected decisions) -------------------


def state_entered(
    name: str, kind: StateKind, input: Any, *, frame: int = 0, at_ms: int = T0
) -> ev.StateEntered:
    return ev.StateEntered(at_ms=at_ms, frame=frame, name=name, kind=kind, input=input)


def state_exited(
    name: str,
    kind: StateKind,
    output: Any,
    next: str | None = None,
    *,
    frame: int = 0,
    assigned: dict[str, Any] | None = None,
    at_ms: int = T0,
) -> ev.StateExited:
    return ev.StateExited(
        at_ms=at_ms,
        frame=frame,
        name=name,
        kind=kind,
        output=output,
        next=next,
        assigned=assigned,
    )


def task_scheduled(
    task: str,
    resource: str,
    parameters: Any,
    *,
    frame: int = 0,
    state: str = "",
    attempt: int = 0,
    token: str | None = None,
    timeout_seconds: int | None = None,
    heartbeat_seconds: int | None = None,
    at_ms: int = T0,
) -> ev.TaskScheduled:
    """`state` is the Task state's name: the interpreter always records it."""
    return ev.TaskScheduled(
        at_ms=at_ms,
        frame=frame,
        task=task,
        resource=resource,
        parameters=parameters,
        timeout_seconds=timeout_seconds,
        heartbeat_seconds=heartbeat_seconds,
        state=state,
        attempt=attempt,
        token=token,
    )


def timer_started(
    timer: str, due_ms: int, purpose: TimerPurpose, *, frame: int = 0, at_ms: int = T0
) -> ev.TimerStarted:
    return ev.TimerStarted(
        at_ms=at_ms, frame=frame, timer=timer, due_ms=due_ms, purpose=purpose
    )


def branches_started(
    children: list[int], input: Any, *, frame: int = 0, at_ms: int = T0
) -> ev.BranchesStarted:
    return ev.BranchesStarted(at_ms=at_ms, frame=frame, children=children, input=input)


def branches_ended(
    failed: bool = False, *, frame: int = 0, at_ms: int = T0
) -> ev.BranchesEnded:
    return ev.BranchesEnded(at_ms=at_ms, frame=frame, failed=failed)


def map_started(
    items: list[Any],
    *,
    frame: int = 0,
    max_concurrency: int = 0,
    tolerated_count: int = -1,
    tolerated_percentage: float = -1.0,
    map_run: str = "",
    at_ms: int = T0,
) -> ev.MapStarted:
    return ev.MapStarted(
        at_ms=at_ms,
        frame=frame,
        items=items,
        max_concurrency=max_concurrency,
        tolerated_count=tolerated_count,
        tolerated_percentage=tolerated_percentage,
        map_run=map_run,
    )


def iteration_started(
    child: int, index: int, input: Any, *, frame: int = 0, at_ms: int = T0
) -> ev.IterationStarted:
    return ev.IterationStarted(
        at_ms=at_ms, frame=frame, child=child, index=index, input=input
    )


def map_ended(
    failed: bool = False,
    *,
    frame: int = 0,
    error: str | None = None,
    cause: str | None = None,
    at_ms: int = T0,
) -> ev.MapEnded:
    return ev.MapEnded(
        at_ms=at_ms, frame=frame, failed=failed, error=error, cause=cause
    )


def state_failed(
    name: str,
    error: str | None,
    cause: str | None = None,
    *,
    frame: int = 0,
    evaluation: bool = False,
    location: str | None = None,
    at_ms: int = T0,
) -> ev.StateFailed:
    return ev.StateFailed(
        at_ms=at_ms,
        frame=frame,
        name=name,
        error=error,
        cause=cause,
        evaluation=evaluation,
        location=location,
    )


def retry_scheduled(
    retrier: int, delay_ms: int, *, frame: int = 0, at_ms: int = T0
) -> ev.RetryScheduled:
    return ev.RetryScheduled(
        at_ms=at_ms, frame=frame, retrier=retrier, delay_ms=delay_ms
    )


def catch_matched(
    name: str,
    kind: StateKind,
    next: str,
    output: Any,
    *,
    frame: int = 0,
    assigned: dict[str, Any] | None = None,
    at_ms: int = T0,
) -> ev.CatchMatched:
    return ev.CatchMatched(
        at_ms=at_ms,
        frame=frame,
        name=name,
        kind=kind,
        next=next,
        output=output,
        assigned=assigned,
    )


def frame_ended(
    frame: int,
    output: Any = None,
    *,
    failed: bool = False,
    aborted: bool = False,
    error: str | None = None,
    cause: str | None = None,
    at_ms: int = T0,
) -> ev.FrameEnded:
    return ev.FrameEnded(
        at_ms=at_ms,
        frame=frame,
        output=output,
        failed=failed,
        aborted=aborted,
        error=error,
        cause=cause,
    )


def execution_succeeded(output: Any, *, at_ms: int = T0) -> ev.ExecutionSucceeded:
    return ev.ExecutionSucceeded(at_ms=at_ms, output=output)


def execution_failed(
    error: str | None, cause: str | None = None, *, at_ms: int = T0
) -> ev.ExecutionFailed:
    return ev.ExecutionFailed(at_ms=at_ms, error=error, cause=cause)


def execution_timed_out(*, at_ms: int = T0) -> ev.ExecutionTimedOut:
    return ev.ExecutionTimedOut(at_ms=at_ms)


def execution_aborted(
    error: str | None = None, cause: str | None = None, *, at_ms: int = T0
) -> ev.ExecutionAborted:
    return ev.ExecutionAborted(at_ms=at_ms, error=error, cause=cause)


def one_of_each() -> list[ev.Event]:
    """A sample of every event type, with non-default values where there are any."""
    return [
        execution_started(
            {"a": [1, 2.5, None, True, "x"]},
            definition_id="statemachine",
            definition_hash="sha256:0123abcd",
            limits=Limits(max_payload_bytes=1024, max_history_events=100),
            seed="a-seed",
        ),
        task_started("0.0", at_ms=T0 + 1),
        task_submitted("0.0", {"ExecutionArn": "arn"}, at_ms=T0 + 2),
        task_succeeded("0.0", {"ok": 1}, at_ms=T0 + 3),
        task_failed(
            "0.0", "Custom.Error", "it broke", traceback="Traceback: ...", at_ms=T0 + 4
        ),
        task_heartbeat("0.0", at_ms=T0 + 4),
        timer_fired("wait:0.1", at_ms=T0 + 5),
        stop_requested("Stopped", "by a test", at_ms=T0 + 6),
        state_entered("A", "Pass", {"x": 1}, frame=3),
        state_exited("A", "Pass", [1], "B", frame=3, assigned={"v": {"w": 2}}),
        task_scheduled(
            "3.4",
            "python:h.waitForTaskToken",
            {"p": 1},
            frame=3,
            state="A",
            attempt=1,
            token="00ff",
            timeout_seconds=5,
            heartbeat_seconds=2,
        ),
        timer_started("retry:3.5", T0 + 1000, "retry", frame=3),
        branches_started([4, 5], {"in": 1}, frame=3),
        branches_ended(True, frame=3),
        map_started(
            [1, "two", {"three": 3}],
            frame=3,
            max_concurrency=2,
            tolerated_count=1,
            tolerated_percentage=12.5,
            map_run="arn:aws:states:local:0:mapRun:sm/M:run",
        ),
        iteration_started(6, 2, {"three": 3}, frame=3),
        map_ended(True, frame=3, error="E", cause="C"),
        state_failed(
            "A",
            "States.QueryEvaluationError",
            "bad",
            evaluation=True,
            location="Output",
        ),
        retry_scheduled(1, 2500, frame=3),
        catch_matched(
            "A", "Task", "Handler", {"Error": "E"}, frame=3, assigned={"e": 1}
        ),
        frame_ended(6, None, failed=True, aborted=True, error="E", cause="C"),
        execution_succeeded({"done": True}),
        execution_failed("E", "C"),
        execution_timed_out(),
        execution_aborted("Stopped", "by a test"),
    ]


# --- the given-events harness ------------------------------------------------------


def program(definition: dict[str, Any]) -> Program:
    """A validated, compiled definition."""
    return load_program(definition)


@dataclass
class Scenario:
    """A journal that grows as a test plays facts and lets the interpreter decide."""

    program: Program
    journal: list[ev.Event] = field(default_factory=list)
    limits: Limits = DEFAULT_LIMITS

    @property
    def state(self) -> ExecutionState:
        return fold(self.journal)

    @property
    def commands(self) -> tuple[Command, ...]:
        return commands_for(self.state)

    def given(self, *facts: ev.Event) -> "Scenario":
        self.journal.extend(facts)
        return self

    def decide(self) -> tuple[ev.Event, ...]:
        """The decisions for the journal so far; they are appended to it."""
        decisions = decide(self.program, self.state, self.limits)
        self.journal.extend(decisions)
        return decisions


def scenario(
    definition: dict[str, Any],
    input: Any = None,
    *,
    limits: Limits = DEFAULT_LIMITS,
    **started: Any,
) -> Scenario:
    """A scenario whose journal holds just the ExecutionStarted of `input`."""
    return Scenario(
        program(definition), [execution_started(input, **started)], limits=limits
    )


def kinds(events: Any) -> list[str]:
    """The type names of `events`, for a quick look at a decision's shape."""
    return [type(event).__name__ for event in events]


def builtins(value: Any) -> Any:
    """A deep, plain copy of a Struct (to compare states before and after)."""
    return msgspec.to_builtins(value)
