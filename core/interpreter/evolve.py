"""evolve(state, event) -> state and fold(events) -> state.

Rule: every change to an ExecutionState lives in this file, and is a function of the
event alone. `fold` mutates one private copy for speed (replaying a journal must
reach a million events a second); `evolve` clones first, so callers always see
values that never change under them.
"""

from collections.abc import Iterable
from typing import assert_never

from statum.core.interpreter import events as ev
from statum.core.interpreter.errors import JournalMismatchError
from statum.core.interpreter.state import (
    INITIAL_STATE,
    BranchProgress,
    ExecutionState,
    Frame,
    MapProgress,
    PendingTask,
    PendingTimer,
    Phase,
    Status,
)


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
    for event in events:
        apply(work, event)
    return work


def history_size(state: ExecutionState, event: ev.Event) -> int:
    """How many AWS history events `event` stands for (0 for internal ones).

    Evaluated against the state *before* the event. The history projection and the
    "entered at the event id #N" texts both rest on this count.
    """
    match event:
        case ev.TimerFired():
            # A task's timeout shows as TaskTimedOut; other timers are internal.
            timer = state.timers.get(event.timer)
            if timer is None or timer.purpose not in ("timeout", "heartbeat"):
                return 0
            frame = state.frames.get(timer.frame)
            return 1 if frame is not None and frame.task and not frame.hidden else 0
        case ev.TimerStarted() | ev.RetryScheduled():
            return 0
        case ev.ExecutionStopRequested():
            return 0
        case ev.MapStarted() | ev.MapEnded():
            frame = state.frames.get(event.frame)
            if frame is not None and frame.hidden:
                return 0
            distributed = isinstance(event, ev.MapStarted) and bool(event.map_run)
            if isinstance(event, ev.MapEnded) and frame is not None and frame.map:
                distributed = bool(frame.map.map_run)
            return 2 if distributed else 1
        case ev.StateFailed():
            if not event.evaluation or _hidden(state, event.frame):
                return 0
            # A Map state that fails its own evaluation also records MapStateFailed.
            frame = state.frames.get(event.frame)
            return 2 if frame is not None and frame.state_kind == "Map" else 1
        case ev.FrameEnded():
            frame = state.frames.get(event.frame)
            return (
                1
                if frame is not None and frame.kind == "iteration" and not frame.hidden
                else 0
            )
        case ev.IterationStarted():
            parent = state.frames.get(event.frame)
            hidden = (
                parent is None
                or parent.hidden
                or bool(parent.map and parent.map.map_run)
            )
            return 0 if hidden else 1
        case ev.TaskStarted() | ev.TaskSucceeded() | ev.TaskFailed():
            task = state.tasks.get(event.task)
            return 1 if task is not None and not _hidden(state, task.frame) else 0
        case (
            ev.StateEntered()
            | ev.StateExited()
            | ev.TaskScheduled()
            | ev.BranchesStarted()
            | ev.BranchesEnded()
            | ev.CatchMatched()
        ):
            return 0 if _hidden(state, event.frame) else 1
        case (
            ev.ExecutionStarted()
            | ev.ExecutionSucceeded()
            | ev.ExecutionFailed()
            | ev.ExecutionTimedOut()
            | ev.ExecutionAborted()
        ):
            return 1
        case _:
            assert_never(event)


def _hidden(state: ExecutionState, frame_id: int) -> bool:
    frame = state.frames.get(frame_id)
    return frame is not None and frame.hidden


def apply(state: ExecutionState, event: ev.Event) -> None:
    """Change `state` in place to account for `event`."""
    state.history_len += history_size(state, event)
    state.position += 1
    state.now_ms = event.at_ms
    match event:
        case ev.ExecutionStarted():
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
            state.frames[0] = Frame(
                id=0, parent=-1, program="", kind="root", input=event.input
            )
            state.ready.append(0)
        case ev.StateEntered():
            frame = _frame(state, event.frame)
            frame.state = event.name
            frame.state_kind = event.kind
            frame.input = event.input
            frame.phase = Phase.RUN
            frame.entered_id = state.history_len
            frame.entered_ms = event.at_ms
            frame.retry_counts = []
            frame.attempts = 0
            frame.error = frame.cause = None
        case ev.StateExited():
            frame = _frame(state, event.frame)
            _assign(frame, event.assigned)
            _advance(frame, event.next, event.output)
        case ev.CatchMatched():
            frame = _frame(state, event.frame)
            _assign(frame, event.assigned)
            _advance(frame, event.next, event.output)
        case ev.TaskScheduled():
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
        case ev.TaskStarted():
            task = state.tasks.get(event.task)
            if task is not None:
                state.tasks[event.task] = PendingTask(
                    frame=task.frame,
                    resource=task.resource,
                    parameters=task.parameters,
                    timeout_seconds=task.timeout_seconds,
                    heartbeat_seconds=task.heartbeat_seconds,
                    started=True,
                )
        case ev.TaskSucceeded():
            task = state.tasks.pop(event.task, None)
            if task is not None:
                frame = _frame(state, task.frame)
                frame.task = None
                _drop_timeout(state, frame)
                frame.phase = Phase.RESUME
                frame.value = event.output
                _wake(state, frame.id)
        case ev.TaskFailed():
            task = state.tasks.pop(event.task, None)
            if task is not None:
                frame = _frame(state, task.frame)
                frame.task = None
                _drop_timeout(state, frame)
                _fail(state, frame, event.error, event.cause)
        case ev.TimerStarted():
            frame = _frame(state, event.frame)
            state.timers[event.timer] = PendingTimer(
                frame=event.frame, due_ms=event.due_ms, purpose=event.purpose
            )
            if event.purpose in ("wait", "retry"):
                frame.timer = event.timer
                _wait(state, frame)
        case ev.TimerFired():
            _timer_fired(state, event)
        case ev.ExecutionStopRequested():
            state.stopping = True
            state.error = event.error
            state.cause = event.cause
        case ev.StateFailed():
            frame = _frame(state, event.frame)
            _fail(state, frame, event.error, event.cause)
            frame.evaluation = event.evaluation
        case ev.RetryScheduled():
            frame = _frame(state, event.frame)
            counts = frame.retry_counts
            while len(counts) <= event.retrier:
                counts.append(0)
            counts[event.retrier] += 1
            frame.attempts += 1
            frame.phase = Phase.RUN
            frame.error = frame.cause = None
            frame.map = None
            frame.branches = None
        case ev.BranchesStarted():
            frame = _frame(state, event.frame)
            frame.branches = BranchProgress(
                children=list(event.children), results=[None] * len(event.children)
            )
            frame.phase = Phase.CHILDREN
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
            state.ready.extend(reversed(event.children))
            state.next_frame = max(state.next_frame, max(event.children, default=0) + 1)
        case ev.BranchesEnded():
            frame = _frame(state, event.frame)
            branches = frame.branches
            assert branches is not None
            if event.failed:
                _fail(state, frame, branches.first_error, branches.first_cause)
            else:
                frame.phase = Phase.RESUME
                frame.value = branches.results
            frame.branches = None
        case ev.MapStarted():
            frame = _frame(state, event.frame)
            frame.map = MapProgress(
                items=event.items,
                max_concurrency=event.max_concurrency,
                tolerated_count=event.tolerated_count,
                tolerated_percentage=event.tolerated_percentage,
                results=[None] * len(event.items),
                map_run=event.map_run,
            )
            frame.phase = Phase.CHILDREN
        case ev.IterationStarted():
            frame = _frame(state, event.frame)
            progress = frame.map
            assert progress is not None
            progress.next_index = event.index + 1
            progress.running += 1
            state.frames[event.child] = Frame(
                id=event.child,
                parent=frame.id,
                program=f"{frame.program}/{frame.state}",
                index=event.index,
                kind="iteration",
                input=event.input,
                hidden=frame.hidden or bool(progress.map_run),
            )
            state.ready.append(event.child)
            state.next_frame = max(state.next_frame, event.child + 1)
        case ev.FrameEnded():
            _frame_ended(state, event)
        case ev.MapEnded():
            frame = _frame(state, event.frame)
            progress = frame.map
            assert progress is not None
            if event.failed:
                if event.error is not None or event.cause is not None:
                    _fail(state, frame, event.error, event.cause)
                else:
                    _fail(state, frame, progress.first_error, progress.first_cause)
            else:
                frame.phase = Phase.RESUME
                frame.value = progress.results
            frame.map = None
        case ev.ExecutionSucceeded():
            _finish(state, Status.SUCCEEDED)
            state.output = event.output
        case ev.ExecutionFailed():
            _finish(state, Status.FAILED)
            state.error, state.cause = event.error, event.cause
        case ev.ExecutionTimedOut():
            _finish(state, Status.TIMED_OUT)
            state.error, state.cause = event.error, event.cause
        case ev.ExecutionAborted():
            _finish(state, Status.ABORTED)
            state.error, state.cause = event.error, event.cause
        case _:
            assert_never(event)


def _frame(state: ExecutionState, frame_id: int) -> Frame:
    frame = state.frames.get(frame_id)
    if frame is None:
        raise JournalMismatchError(f"event for unknown frame {frame_id}")
    return frame


def _advance(frame: Frame, next_state: str | None, output: object) -> None:
    frame.input = output
    if next_state is None:
        frame.phase = Phase.END
        frame.value = output
    else:
        frame.state = next_state
        frame.phase = Phase.ENTER


def _assign(frame: Frame, assigned: dict[str, object] | None) -> None:
    if assigned:
        # A new dict, never an update in place: earlier states still hold the old one.
        frame.variables = {**frame.variables, **assigned}


def _wait(state: ExecutionState, frame: Frame) -> None:
    frame.phase = Phase.WAIT
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
    frame.phase = Phase.FAILED
    frame.error = error
    frame.cause = cause
    frame.evaluation = False
    _wake(state, frame.id)


def _drop_timeout(state: ExecutionState, frame: Frame) -> None:
    for key in [
        k
        for k, t in state.timers.items()
        if t.frame == frame.id and t.purpose != "execution"
    ]:
        del state.timers[key]


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
        frame.phase = Phase.RESUME
        _wake(state, frame.id)
    elif timer.purpose == "retry":
        frame.timer = None
        frame.phase = Phase.RUN
        _wake(state, frame.id)
    elif frame.task is not None:
        # A task timeout or heartbeat timeout: the task's late result is ignored.
        state.tasks.pop(frame.task, None)
        frame.task = None
        error = (
            "States.HeartbeatTimeout"
            if timer.purpose == "heartbeat"
            else "States.Timeout"
        )
        _fail(state, frame, error, None)


def _frame_ended(state: ExecutionState, event: ev.FrameEnded) -> None:
    child = state.frames.pop(event.frame)
    _unready(state, child.id)
    for key in [k for k, t in state.tasks.items() if t.frame == child.id]:
        del state.tasks[key]
    for key in [k for k, t in state.timers.items() if t.frame == child.id]:
        del state.timers[key]
    parent = _frame(state, child.parent)
    if child.kind == "branch":
        branches = parent.branches
        assert branches is not None
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
        assert progress is not None
        progress.running -= 1
        progress.done += 1
        if event.failed and not event.aborted:
            progress.failed += 1
            if progress.first_error is None and progress.first_cause is None:
                progress.first_error, progress.first_cause = event.error, event.cause
        elif not event.failed:
            progress.results[child.index] = event.output
    _wake(state, parent.id)


def _finish(state: ExecutionState, status: str) -> None:
    state.status = status
    state.frames.clear()
    state.ready.clear()
    state.tasks.clear()
    state.timers.clear()
