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
from statum.core.interpreter.errors import JournalMismatchError
from statum.core.interpreter.state import (
    CHILDREN,
    END,
    ENTER,
    FAILED,
    INITIAL_STATE,
    RESUME,
    RUN,
    WAIT,
    BranchProgress,
    ExecutionState,
    Frame,
    MapProgress,
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
    try:
        for event in events:
            size, applier = table[type(event)]
            if size is not None:
                work.history_len += size if size.__class__ is int else size(work, event)
            applier(work, event)
            count += 1
    except KeyError as exc:
        raise JournalMismatchError(f"{type(event).__name__} refers to {exc}") from None
    if event is not None:
        work.position += count
        work.now_ms = event.at_ms
    return work


def apply(state: ExecutionState, event: ev.Event) -> None:
    """Change `state` in place to account for `event`."""
    size, applier = _TABLE[type(event)]
    if size is not None:  # hot appliers count their own history events
        state.history_len += size if size.__class__ is int else size(state, event)
    state.position += 1
    state.now_ms = event.at_ms
    try:
        applier(state, event)
    except KeyError as exc:
        raise JournalMismatchError(f"{type(event).__name__} refers to {exc}") from None


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
    state.status = Status.RUNNING
    state.frames[0] = Frame(id=0, parent=-1, program="", kind="root", input=event.input)
    state.ready.append(0)


def _task_started(state: ExecutionState, event: ev.TaskStarted) -> None:
    task = state.tasks.get(event.task)
    if task is not None:
        # Replaced, not changed: an earlier snapshot may share the object.
        state.tasks[event.task] = PendingTask(
            frame=task.frame,
            resource=task.resource,
            parameters=task.parameters,
            timeout_seconds=task.timeout_seconds,
            heartbeat_seconds=task.heartbeat_seconds,
            started=True,
        )


def _no_change(state: ExecutionState, event: Any) -> None:
    """The event is recorded for the history; the state has nothing to learn."""


def _task_succeeded(state: ExecutionState, event: ev.TaskSucceeded) -> None:
    task = state.tasks.pop(event.task, None)
    if task is None:
        return  # a late or repeated result for a task that is over
    frame = _frame(state, task.frame)
    frame.task = None
    _drop_timeouts(state, frame)
    frame.phase = RESUME
    frame.value = event.output
    _wake(state, frame.id)


def _task_failed(state: ExecutionState, event: ev.TaskFailed) -> None:
    task = state.tasks.pop(event.task, None)
    if task is None:
        return
    frame = _frame(state, task.frame)
    frame.task = None
    _drop_timeouts(state, frame)
    _fail(state, frame, event.error, event.cause)


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
        _wake(state, frame.id)
    elif timer.purpose == "retry":
        frame.timer = None
        frame.phase = RUN
        _wake(state, frame.id)
    elif frame.task is not None:
        # A task's timeout or heartbeat timeout: its late result will be ignored.
        state.tasks.pop(frame.task, None)
        frame.task = None
        error = (
            "States.HeartbeatTimeout"
            if timer.purpose == "heartbeat"
            else "States.Timeout"
        )
        _fail(state, frame, error, None)


def _stop_requested(state: ExecutionState, event: ev.ExecutionStopRequested) -> None:
    state.stopping = True
    state.error = event.error
    state.cause = event.cause


# --- decisions: states -------------------------------------------------------


def _state_entered(state: ExecutionState, event: ev.StateEntered) -> None:
    frame = state.frames[event.frame]
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
    frame.error = frame.cause = None


def _state_exited(
    state: ExecutionState, event: ev.StateExited | ev.CatchMatched
) -> None:
    frame = state.frames[event.frame]
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
    frame = _frame(state, event.frame)
    state.tasks[event.task] = PendingTask(
        frame=event.frame,
        resource=event.resource,
        parameters=event.parameters,
        timeout_seconds=event.timeout_seconds,
        heartbeat_seconds=event.heartbeat_seconds,
    )
    frame.task = event.task
    _wait(state, frame)


def _timer_started(state: ExecutionState, event: ev.TimerStarted) -> None:
    if event.frame not in state.frames:
        raise JournalMismatchError(f"TimerStarted for unknown frame {event.frame}")
    state.timers[event.timer] = PendingTimer(
        frame=event.frame, due_ms=event.due_ms, purpose=event.purpose
    )
    if event.purpose in ("wait", "retry"):
        frame = _frame(state, event.frame)
        frame.timer = event.timer
        _wait(state, frame)


def _state_failed(state: ExecutionState, event: ev.StateFailed) -> None:
    frame = _frame(state, event.frame)
    _fail(state, frame, event.error, event.cause)
    frame.evaluation = event.evaluation


def _retry_scheduled(state: ExecutionState, event: ev.RetryScheduled) -> None:
    frame = _frame(state, event.frame)
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


# --- decisions: Parallel and Map ---------------------------------------------


def _branches_started(state: ExecutionState, event: ev.BranchesStarted) -> None:
    frame = _frame(state, event.frame)
    frame.branches = BranchProgress(
        children=list(event.children), results=[None] * len(event.children)
    )
    frame.phase = CHILDREN
    for index, child in enumerate(event.children):
        state.frames[child] = Frame(
            id=child,
            parent=frame.id,
            program=f"{frame.program}/{frame.state}/{index}",
            index=index,
            kind="branch",
            input=event.input,
            hidden=frame.hidden,
        )
    # Branch 0 on top of the ready stack, the Parallel frame itself below them.
    state.ready.extend(reversed(event.children))
    state.next_frame = max(state.next_frame, max(event.children, default=0) + 1)


def _branches_ended(state: ExecutionState, event: ev.BranchesEnded) -> None:
    frame = _frame(state, event.frame)
    branches = frame.branches
    if branches is None:
        raise JournalMismatchError(f"frame {frame.id} has no branches to end")
    if event.failed:
        _fail(state, frame, branches.first_error, branches.first_cause)
    else:
        frame.phase = RESUME
        frame.value = branches.results
    frame.branches = None


def _map_started(state: ExecutionState, event: ev.MapStarted) -> None:
    frame = _frame(state, event.frame)
    frame.map = MapProgress(
        items=event.items,
        max_concurrency=event.max_concurrency,
        tolerated_count=event.tolerated_count,
        tolerated_percentage=event.tolerated_percentage,
        results=[None] * len(event.items),
        map_run=event.map_run,
        child_program=f"{frame.program}/{frame.state}",
        child_hidden=frame.hidden or bool(event.map_run),
    )
    frame.phase = CHILDREN


def _iteration_started(state: ExecutionState, event: ev.IterationStarted) -> None:
    frame = state.frames[event.frame]
    progress = frame.map
    if progress is None:
        raise JournalMismatchError(f"frame {frame.id} is not running a Map")
    progress.next_index = event.index + 1
    progress.running += 1
    hidden = progress.child_hidden
    if not hidden:
        state.history_len += 1
    state.frames[event.child] = Frame(
        id=event.child,
        parent=frame.id,
        program=progress.child_program,
        index=event.index,
        # A distributed Map's iteration runs as a child execution of its own.
        kind="execution" if progress.map_run else "iteration",
        input=event.input,
        hidden=hidden,
    )
    state.ready.append(event.child)
    if event.child >= state.next_frame:
        state.next_frame = event.child + 1


def _frame_ended(state: ExecutionState, event: ev.FrameEnded) -> None:
    child = state.frames.pop(event.frame)
    if child.map is not None or child.branches is not None:
        # Cut short (a sibling failed): everything nested in it ends with it.
        _drop_descendants(state, child.id)
    if child.kind == "iteration" and not child.hidden:
        state.history_len += 1
    ready = state.ready
    if ready and ready[-1] == child.id:
        ready.pop()
    elif child.id in ready:
        ready.remove(child.id)
    if child.task is not None:
        state.tasks.pop(child.task, None)
    if state.timers:
        if child.timer is not None:
            state.timers.pop(child.timer, None)
        _drop_timeouts(state, child)
    parent = state.frames[child.parent]
    if child.kind == "branch":
        branches = parent.branches
        if branches is None:
            raise JournalMismatchError(
                f"branch {child.id} ended after its Parallel state"
            )
        branches.done += 1
        if event.aborted:
            pass
        elif event.failed:
            if not branches.failing:
                branches.failing = True
                branches.first_error, branches.first_cause = event.error, event.cause
        else:
            branches.results[child.index] = event.output
    else:
        progress = parent.map
        if progress is None:
            raise JournalMismatchError(
                f"iteration {child.id} ended after its Map state"
            )
        progress.running -= 1
        progress.done += 1
        if event.failed and not event.aborted:
            progress.failed += 1
            if progress.first_error is None and progress.first_cause is None:
                progress.first_error, progress.first_cause = event.error, event.cause
        elif not event.failed:
            progress.results[child.index] = event.output
    if parent.id not in ready:
        ready.append(parent.id)


def _map_ended(state: ExecutionState, event: ev.MapEnded) -> None:
    frame = _frame(state, event.frame)
    progress = frame.map
    if progress is None:
        raise JournalMismatchError(f"frame {frame.id} is not running a Map")
    if not event.failed:
        frame.phase = RESUME
        frame.value = progress.results
    elif event.error is not None or event.cause is not None:
        _fail(state, frame, event.error, event.cause)
    else:
        _fail(state, frame, progress.first_error, progress.first_cause)
    frame.map = None


# --- decisions: the end --------------------------------------------------------


def _succeeded(state: ExecutionState, event: ev.ExecutionSucceeded) -> None:
    _finish(state, Status.SUCCEEDED)
    state.output = event.output


def _ended_badly(status: str) -> Callable[[ExecutionState, Any], None]:
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
    ev.TimerFired: _timer_fired,
    ev.ExecutionStopRequested: _stop_requested,
    ev.StateEntered: _state_entered,
    ev.StateExited: _state_exited,
    ev.CatchMatched: _state_exited,
    ev.TaskScheduled: _task_scheduled,
    ev.TimerStarted: _timer_started,
    ev.StateFailed: _state_failed,
    ev.RetryScheduled: _retry_scheduled,
    ev.BranchesStarted: _branches_started,
    ev.BranchesEnded: _branches_ended,
    ev.MapStarted: _map_started,
    ev.IterationStarted: _iteration_started,
    ev.FrameEnded: _frame_ended,
    ev.MapEnded: _map_ended,
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


# --- helpers ---------------------------------------------------------------------


def _frame(state: ExecutionState, frame_id: int) -> Frame:
    # A missing frame raises KeyError, which `apply` reports as a journal mismatch.
    return state.frames[frame_id]


def _wait(state: ExecutionState, frame: Frame) -> None:
    frame.phase = WAIT
    _unready(state, frame.id)


def _wake(state: ExecutionState, frame_id: int) -> None:
    if frame_id not in state.ready:
        state.ready.append(frame_id)


def _unready(state: ExecutionState, frame_id: int) -> None:
    if frame_id in state.ready:
        state.ready.remove(frame_id)


def _fail(
    state: ExecutionState, frame: Frame, error: str | None, cause: str | None
) -> None:
    frame.phase = FAILED
    frame.error = error
    frame.cause = cause
    frame.evaluation = False
    _wake(state, frame.id)


def _drop_timeouts(state: ExecutionState, frame: Frame) -> None:
    if not state.timers:
        return
    for key in [
        k
        for k, t in state.timers.items()
        if t.frame == frame.id and t.purpose in ("timeout", "heartbeat")
    ]:
        del state.timers[key]


def _drop_descendants(state: ExecutionState, frame_id: int) -> None:
    doomed = {frame_id}
    for frame in sorted(state.frames.values(), key=lambda f: f.id):
        if frame.parent in doomed:  # children are numbered after their parents
            doomed.add(frame.id)
    doomed.discard(frame_id)
    for doomed_id in doomed:
        del state.frames[doomed_id]
    state.ready[:] = [f for f in state.ready if f not in doomed]
    for key in [k for k, t in state.tasks.items() if t.frame in doomed]:
        del state.tasks[key]
    for key in [k for k, t in state.timers.items() if t.frame in doomed]:
        del state.timers[key]


def _finish(state: ExecutionState, status: str) -> None:
    state.status = status
    state.frames.clear()
    state.ready.clear()
    state.tasks.clear()
    state.timers.clear()
