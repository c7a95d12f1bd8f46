"""evolve(state, event) -> state and fold(events) -> state.

Rule: every change to an ExecutionState lives in this file, and is a function of the
event alone. `fold` mutates one private copy for speed (replaying a journal must
reach a million events a second); `evolve` clones first, so callers always see
values that never change under them.

Each event type has one applier in `_APPLIERS` (a dict lookup, not a chain of
isinstance tests: this is the hottest code in Statum). `tests/interpreter` checks
that the table covers every member of the `Event` union.
"""

from collections.abc import Callable, Iterable
from typing import Any

from statum.core.interpreter import events as ev
from statum.core.interpreter.errors import JournalMismatchError, unknown_frame
from statum.core.interpreter.evolve_fanout import (
    branches_ended,
    branches_started,
    frame_ended,
    iteration_started,
    map_ended,
    map_started,
)
from statum.core.interpreter.frames import (
    drop_timeouts,
    fail,
    wait,
    wake,
)
from statum.core.interpreter.item_io import failure, stage_of
from statum.core.interpreter.kinds import ExecutionStatus
from statum.core.interpreter.state import (
    END,
    ENTER,
    INITIAL_STATE,
    RESUME,
    RUN,
    ExecutionState,
    Frame,
    PendingTask,
    PendingTimer,
    Status,
)
from statum.core.interpreter.visibility import SIZES, history_size

__all__ = ["apply", "evolve", "fold", "history_size"]


def evolve(state: ExecutionState, event: ev.Event) -> ExecutionState:
    """The state after `event`; `state` itself is left untouched."""
    work = state.clone()
    apply(work, event)
    return work


def fold(
    events: Iterable[ev.Event], state: ExecutionState = INITIAL_STATE
) -> ExecutionState:
    """The state after every event of `events`, starting from `state`."""
    work = state.clone()
    # `apply`, inlined: the loop below is the replay hot path. Appliers read
    # neither `position` nor `now_ms`, so those are set once, at the end.
    table = _TABLE
    count = 0
    event: ev.Event | None = None
    for event in events:
        entry = table.get(type(event))
        if entry is None:
            raise JournalMismatchError(f"{type(event).__name__} is not a journal event")
        size, applier = entry
        if size is not None:
            work.history_len += size if size.__class__ is int else size(work, event)
        applier(work, event)
        count += 1
    if event is not None:
        work.position += count
        work.now_ms = event.at_ms
    return work


def apply(state: ExecutionState, event: ev.Event) -> None:
    """Change `state` in place to account for `event`."""
    entry = _TABLE.get(type(event))
    if entry is None:
        raise JournalMismatchError(f"{type(event).__name__} is not a journal event")
    size, applier = entry
    if size is not None:  # hot appliers count their own history events
        state.history_len += size if size.__class__ is int else size(state, event)
    state.position += 1
    state.now_ms = event.at_ms
    applier(state, event)


# --- facts -------------------------------------------------------------------


def _execution_started(state: ExecutionState, event: ev.ExecutionStarted) -> None:
    if state.status:
        raise JournalMismatchError("ExecutionStarted in a started journal")
    state.execution_id = event.execution_id
    state.name = event.name
    state.input = event.input
    state.started_ms = event.at_ms
    state.state_machine_id = event.state_machine_id
    state.state_machine_name = event.state_machine_name
    state.role_arn = event.role_arn
    state.seed = event.seed
    state.limits = event.limits
    state.status = Status.RUNNING
    state.frames[0] = Frame(id=0, parent=-1, program="", kind="root", input=event.input)
    state.ready[0] = None


def _task_started(state: ExecutionState, event: ev.TaskStarted) -> None:
    task = state.tasks.get(event.task)
    if task is not None and not task.started:
        # Replaced, not changed: an earlier snapshot may share the object.
        state.tasks[event.task] = PendingTask(scheduled=task.scheduled, started=True)


def _task_heartbeat(state: ExecutionState, event: ev.TaskHeartbeat) -> None:
    task = state.tasks.get(event.task)
    seconds = task.scheduled.heartbeat_seconds if task is not None else None
    key = f"heartbeat:{event.task}"
    timer = state.timers.get(key)
    if seconds is None or timer is None:
        return  # a late heartbeat, or a task without a heartbeat timeout
    state.timers[key] = PendingTimer(
        frame=timer.frame, due_ms=event.at_ms + seconds * 1000, purpose=timer.purpose
    )


def _no_change(state: ExecutionState, event: Any) -> None:
    """The event is recorded for the history; the state has nothing to learn."""


def _task_succeeded(state: ExecutionState, event: ev.TaskSucceeded) -> None:
    task = state.tasks.pop(event.task, None)
    if task is None:
        return  # a late or repeated result for a task that is over
    frame = state.frames.get(task.frame)
    if frame is None:
        raise unknown_frame(event, task.frame)
    frame.task = None
    drop_timeouts(state, frame)
    frame.phase = RESUME
    frame.value = event.output
    wake(state, frame.id)


def _task_failed(state: ExecutionState, event: ev.TaskFailed) -> None:
    task = state.tasks.pop(event.task, None)
    if task is None:
        return
    frame = state.frames.get(task.frame)
    if frame is None:
        raise unknown_frame(event, task.frame)
    frame.task = None
    drop_timeouts(state, frame)
    if frame.stage:
        error, cause = failure(frame.stage, task.resource, event.error, event.cause)
        fail(state, frame, error, cause)
        return
    fail(state, frame, event.error, event.cause)


def _timer_fired(state: ExecutionState, event: ev.TimerFired) -> None:
    timer = state.timers.pop(event.timer, None)
    if timer is None:
        return
    if timer.purpose == "execution":
        state.timing_out = True
        return
    frame = state.frames.get(timer.frame)
    if frame is None:
        return
    if timer.purpose == "wait":
        frame.timer = None
        frame.phase = RESUME
        wake(state, frame.id)
    elif timer.purpose == "retry":
        frame.timer = None
        frame.phase = RUN
        wake(state, frame.id)
    elif frame.task is not None:
        # A task's timeout or heartbeat timeout: its late result will be ignored.
        state.tasks.pop(frame.task, None)
        frame.task = None
        error = (
            "States.HeartbeatTimeout"
            if timer.purpose == "heartbeat"
            else "States.Timeout"
        )
        fail(state, frame, error, None)


def _stop_requested(state: ExecutionState, event: ev.ExecutionStopRequested) -> None:
    state.stopping = True
    state.error = event.error
    state.cause = event.cause


# --- decisions: states -------------------------------------------------------


def _state_entered(state: ExecutionState, event: ev.StateEntered) -> None:
    frame = state.frames.get(event.frame)
    if frame is None:
        raise unknown_frame(event, event.frame)
    if not frame.hidden:
        state.history_len += 1
    frame.state = event.name
    frame.state_kind = event.kind
    frame.input = event.input
    frame.phase = RUN
    frame.entered_id = state.history_len
    frame.entered_ms = event.at_ms
    if frame.attempts:
        frame.retry_counts = ()
        frame.attempts = 0
    if frame.stage:
        frame.stage = 0
    frame.error = frame.cause = None


def _state_exited_counted(state: ExecutionState, event: ev.StateExited) -> None:
    state.payload_bytes += event.payload_bytes
    _state_exited(state, event)


def _state_exited(
    state: ExecutionState, event: ev.StateExited | ev.CatchMatched
) -> None:
    frame = state.frames.get(event.frame)
    if frame is None:
        raise unknown_frame(event, event.frame)
    if not frame.hidden:
        state.history_len += 1
    if event.assigned:
        # A new dict, never an update in place: earlier states still hold the old one.
        frame.variables = {**frame.variables, **event.assigned}
    frame.input = event.output
    if event.next is None:
        frame.phase = END
        frame.value = event.output
    else:
        frame.state = event.next
        frame.phase = ENTER


def _task_scheduled(state: ExecutionState, event: ev.TaskScheduled) -> None:
    frame = state.frames.get(event.frame)
    if frame is None:
        raise unknown_frame(event, event.frame)
    state.tasks[event.task] = PendingTask(scheduled=event)
    state.work_serial += 1
    frame.task = event.task
    if frame.state_kind == "Map":
        frame.stage = stage_of(event.task)
    wait(state, frame)


def _timer_started(state: ExecutionState, event: ev.TimerStarted) -> None:
    if event.frame not in state.frames:
        raise JournalMismatchError(f"TimerStarted for unknown frame {event.frame}")
    state.work_serial += 1
    state.timers[event.timer] = PendingTimer(
        frame=event.frame, due_ms=event.due_ms, purpose=event.purpose
    )
    purpose = event.purpose
    if purpose in ("wait", "retry"):
        frame = state.frames.get(event.frame)
        if frame is None:
            raise unknown_frame(event, event.frame)
        frame.timer = event.timer
        wait(state, frame)
    elif purpose in ("timeout", "heartbeat"):
        frame = state.frames.get(event.frame)
        if frame is None:
            raise unknown_frame(event, event.frame)
        frame.timeouts = (*frame.timeouts, event.timer)


def _state_failed(state: ExecutionState, event: ev.StateFailed) -> None:
    frame = state.frames.get(event.frame)
    if frame is None:
        raise unknown_frame(event, event.frame)
    fail(state, frame, event.error, event.cause)
    frame.evaluation = event.evaluation or event.in_catch


def _retry_scheduled(state: ExecutionState, event: ev.RetryScheduled) -> None:
    frame = state.frames.get(event.frame)
    if frame is None:
        raise unknown_frame(event, event.frame)
    counts = list(frame.retry_counts)
    while len(counts) <= event.retrier:
        counts.append(0)
    counts[event.retrier] += 1
    frame.retry_counts = tuple(counts)
    frame.attempts += 1
    frame.phase = RUN
    frame.error = frame.cause = None
    frame.map = None
    frame.branches = None
    frame.stage = 0


# --- decisions: the end --------------------------------------------------------


def _succeeded(state: ExecutionState, event: ev.ExecutionSucceeded) -> None:
    _finish(state, Status.SUCCEEDED)
    state.output = event.output


def _ended_badly(status: ExecutionStatus) -> Callable[[ExecutionState, Any], None]:
    def end(state: ExecutionState, event: Any) -> None:
        _finish(state, status)
        state.error, state.cause = event.error, event.cause

    return end


_APPLIERS: dict[type, Callable[[ExecutionState, Any], None]] = {
    ev.ExecutionStarted: _execution_started,
    ev.TaskStarted: _task_started,
    ev.TaskSubmitted: _no_change,
    ev.TaskSucceeded: _task_succeeded,
    ev.TaskFailed: _task_failed,
    ev.TaskHeartbeat: _task_heartbeat,
    ev.TimerFired: _timer_fired,
    ev.ExecutionStopRequested: _stop_requested,
    ev.StateEntered: _state_entered,
    ev.StateExited: _state_exited_counted,
    ev.CatchMatched: _state_exited,
    ev.TaskScheduled: _task_scheduled,
    ev.TimerStarted: _timer_started,
    ev.StateFailed: _state_failed,
    ev.RetryScheduled: _retry_scheduled,
    ev.BranchesStarted: branches_started,
    ev.BranchesEnded: branches_ended,
    ev.MapStarted: map_started,
    ev.IterationStarted: iteration_started,
    ev.FrameEnded: frame_ended,
    ev.MapEnded: map_ended,
    ev.ExecutionSucceeded: _succeeded,
    ev.ExecutionFailed: _ended_badly(Status.FAILED),
    ev.ExecutionTimedOut: _ended_badly(Status.TIMED_OUT),
    ev.ExecutionAborted: _ended_badly(Status.ABORTED),
}

# Appliers that count their own history events (they hold the frame anyway).
_SELF_COUNTING = frozenset(
    {
        ev.StateEntered,
        ev.StateExited,
        ev.CatchMatched,
        ev.IterationStarted,
        ev.FrameEnded,
    }
)
_CONSTANT_SIZES: dict[type, int] = {
    ev.ExecutionStarted: 1,
    ev.ExecutionStopRequested: 0,
    ev.TaskHeartbeat: 0,
    ev.TimerStarted: 0,
    ev.RetryScheduled: 0,
    ev.ExecutionSucceeded: 1,
    ev.ExecutionFailed: 1,
    ev.ExecutionTimedOut: 1,
    ev.ExecutionAborted: 1,
}

# One lookup per event: (history size: None, an int or a function; applier).
_TABLE: dict[type, tuple[Any, Callable[[ExecutionState, Any], None]]] = {
    kind: (
        None if kind in _SELF_COUNTING else _CONSTANT_SIZES.get(kind, SIZES[kind]),
        applier,
    )
    for kind, applier in _APPLIERS.items()
}


def _finish(state: ExecutionState, status: ExecutionStatus) -> None:
    if state.status != Status.RUNNING:
        # A second end, or an end before the start: the journal was tampered with.
        raise JournalMismatchError(
            f"the execution ends {status} at a point where it is "
            f"{state.status or 'not started'}"
        )
    state.status = status
    state.frames.clear()
    state.ready.clear()
    state.tasks.clear()
    state.timers.clear()
