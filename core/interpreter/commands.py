"""Commands: the work the shell must perform, derived from the state.

Two views of the same rule. `commands_for(state)` is everything pending, for a
shell that resumes an execution (after a crash, or on another worker).
`work_delta(state, events, running)` is what changed with one step: the work to
start and the running tasks to cancel. A shell that keeps its state between steps
uses it, so the cost of a step does not grow with the number of pending tasks.
Every command is idempotent by its key.
"""

from collections.abc import Collection, Iterable

import msgspec

from statum.core.interpreter import events as ev
from statum.core.interpreter.decide import MAP_ITERATION_RESOURCE
from statum.core.interpreter.kinds import TimerPurpose
from statum.core.interpreter.state import ExecutionState, PendingTask
from statum.core.interpreter.tokens import idempotency_key

# Resources that start a child execution rather than call a backend.
ASL_START_EXECUTION = "arn:aws:states:::states:startExecution"
OSML_START_EXECUTION = "statum:startExecution"


def starts_child(resource: str) -> bool:
    """A task that the shell performs by starting a child execution."""
    return (
        resource.startswith((ASL_START_EXECUTION, OSML_START_EXECUTION))
        or resource == MAP_ITERATION_RESOURCE
    )


class _TaskCommand(msgspec.Struct, frozen=True, kw_only=True):
    task: ev.TaskScheduled
    idempotency_key: str
    started: bool = False

    @property
    def key(self) -> str:
        return self.task.task

    @property
    def resource(self) -> str:
        return self.task.resource

    @property
    def parameters(self) -> object:
        return self.task.parameters


class RunTask(_TaskCommand, frozen=True, tag="run_task"):
    """Call the backend that serves the task's resource; report TaskStarted, then
    TaskSucceeded or TaskFailed (for a token task: the callback does)."""


class StartChild(_TaskCommand, frozen=True, tag="start_child"):
    """Start the child execution the task stands for (StartExecution, or one
    distributed Map iteration) and report its outcome as the task's."""


class StartTimer(msgspec.Struct, frozen=True, kw_only=True, tag="start_timer"):
    """Report TimerFired for `timer` once `due_ms` has come."""

    timer: str
    due_ms: int
    purpose: TimerPurpose


TaskCommand = RunTask | StartChild
Command = RunTask | StartChild | StartTimer


def task_command(state: ExecutionState, pending: PendingTask) -> TaskCommand:
    """The command that performs one pending task."""
    scheduled = pending.scheduled
    kind = StartChild if starts_child(scheduled.resource) else RunTask
    return kind(
        task=scheduled,
        idempotency_key=idempotency_key(state.execution_id, scheduled),
        started=pending.started,
    )


def commands_for(state: ExecutionState) -> tuple[Command, ...]:
    """Everything the shell must be doing for `state` to make progress."""
    if state.finished:
        return ()
    commands: list[Command] = [
        task_command(state, pending) for pending in state.tasks.values()
    ]
    commands.extend(
        StartTimer(timer=key, due_ms=timer.due_ms, purpose=timer.purpose)
        for key, timer in state.timers.items()
    )
    return tuple(commands)


class WorkDelta(msgspec.Struct, frozen=True, kw_only=True):
    """What one step changed: work to start, running tasks to cancel, and among
    those the ones whose TimeoutSeconds or HeartbeatSeconds ran out (a callback
    for them hears TaskTimedOut rather than TaskDoesNotExist)."""

    start: tuple[Command, ...] = ()
    cancel: tuple[str, ...] = ()
    timed_out: tuple[str, ...] = ()


# Events after which running tasks other than the event's own may be gone: a
# sibling failed its Parallel or Map, or the execution ended.
_SWEEPING = (
    ev.BranchesEnded,
    ev.MapEnded,
    ev.ExecutionSucceeded,
    ev.ExecutionFailed,
    ev.ExecutionTimedOut,
    ev.ExecutionAborted,
)
_TASK_TIMERS = ("timeout:", "heartbeat:")


def timed_task(timer: str) -> str | None:
    """The task a timeout or heartbeat timer watches; None for other timers."""
    return timer.partition(":")[2] if timer.startswith(_TASK_TIMERS) else None


_NOTEWORTHY = frozenset(
    {ev.TaskScheduled, ev.TimerStarted, ev.TimerFired, ev.FrameEnded, *_SWEEPING}
)


def work_delta(
    state: ExecutionState, events: Iterable[ev.Event], running: Collection[str]
) -> WorkDelta:
    """The work that `events` (just folded into `state`) started and stopped.

    `running` holds the keys of the tasks the shell is performing. Its cost is
    linear in `events`, plus one look at `running` after an event that can end
    many tasks at once.
    """
    start: list[Command] = []
    cancel: list[str] = []
    timed_out: list[str] = []
    sweep = False
    for event in events:
        kind = type(event)
        if kind not in _NOTEWORTHY:  # the hot path: most events start nothing
            continue
        if kind is ev.TaskScheduled:
            pending = state.tasks.get(event.task)  # type: ignore[union-attr]
            if pending is not None:
                start.append(task_command(state, pending))
        elif kind is ev.TimerStarted:
            timer = state.timers.get(event.timer)  # type: ignore[union-attr]
            if timer is not None:
                start.append(
                    StartTimer(
                        timer=event.timer,  # type: ignore[union-attr]
                        due_ms=timer.due_ms,
                        purpose=timer.purpose,
                    )
                )
        elif kind is ev.TimerFired:
            task = timed_task(event.timer)  # type: ignore[union-attr]
            if task is not None and task in running and task not in state.tasks:
                timed_out.append(task)
        elif kind is not ev.FrameEnded or event.aborted:  # type: ignore[union-attr]
            sweep = True
    if sweep:
        done = set(timed_out)
        cancel.extend(k for k in running if k not in state.tasks and k not in done)
    return WorkDelta(
        start=tuple(start), cancel=tuple(timed_out + cancel), timed_out=tuple(timed_out)
    )
