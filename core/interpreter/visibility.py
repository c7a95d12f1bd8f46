"""How many AWS history events each journal event stands for.

The history projection and the interpreter's "entered at the event id #N" texts
both rest on this count, so it lives in one place. Evaluated against the state
*before* the event is applied.
"""

from collections.abc import Callable
from typing import Any

from statum.core.interpreter import events as ev
from statum.core.interpreter.state import (
    CHILDREN,
    FAILED,
    RESUME,
    RUN,
    WAIT,
    ExecutionState,
    Frame,
)


def history_size(state: ExecutionState, event: ev.Event) -> int:
    """0 for internal events; 2 for events that AWS records twice (MapRun + Map)."""
    return SIZES[type(event)](state, event)


def _hidden(state: ExecutionState, frame_id: int) -> bool:
    frame = state.frames.get(frame_id)
    return frame is not None and frame.hidden


def _none(state: ExecutionState, event: Any) -> int:
    return 0


def _one(state: ExecutionState, event: Any) -> int:
    return 1


def _in_frame(state: ExecutionState, event: Any) -> int:
    frame = state.frames.get(event.frame)
    return 0 if frame is not None and frame.hidden else 1


def _task_fact(state: ExecutionState, event: Any) -> int:
    task = state.tasks.get(event.task)
    return 1 if task is not None and not _hidden(state, task.frame) else 0


def _task_started(state: ExecutionState, event: ev.TaskStarted) -> int:
    # A task started twice (a lease expired and another worker took it over) shows
    # once: the history tells what the workflow did, not how often it was tried.
    task = state.tasks.get(event.task)
    if task is None or task.started:
        return 0
    return 0 if _hidden(state, task.frame) else 1


def _timer_fired(state: ExecutionState, event: ev.TimerFired) -> int:
    # A task's timeout shows as TaskTimedOut; other timers are internal.
    timer = state.timers.get(event.timer)
    if timer is None or timer.purpose not in ("timeout", "heartbeat"):
        return 0
    frame = state.frames.get(timer.frame)
    return 1 if frame is not None and frame.task and not frame.hidden else 0


def _map_edge(state: ExecutionState, event: ev.MapStarted | ev.MapEnded) -> int:
    frame = state.frames.get(event.frame)
    if frame is not None and frame.hidden:
        return 0
    if isinstance(event, ev.MapStarted):
        distributed = bool(event.map_run)
    else:
        distributed = (
            frame is not None and frame.map is not None and bool(frame.map.map_run)
        )
    return 2 if distributed else 1


def _state_failed(state: ExecutionState, event: ev.StateFailed) -> int:
    if not event.evaluation or _hidden(state, event.frame):
        return 0
    # A Map state that fails its own evaluation also records MapStateFailed.
    frame = state.frames.get(event.frame)
    return 2 if frame is not None and frame.state_kind == "Map" else 1


_ACTIVE = frozenset({RUN, WAIT, RESUME, CHILDREN, FAILED})
# The state types with a `*StateAborted` history event (API_HistoryEvent's valid
# types); the others never outlive the step that enters them.
_ABORTABLE = frozenset({"Task", "StartExecution", "Wait", "Map", "Parallel"})


def aborted_records(state: ExecutionState, frame_id: int) -> list[tuple[str, Frame]]:
    """What AWS records when a sibling's failure cuts frame `frame_id` short.

    Every state still running in it, or in a Map or Parallel nested in it, ends
    with a `<Type>StateAborted` event, and every Map iteration nested in it with a
    `MapIterationAborted`: innermost first, since a Map or Parallel state is only
    over once its children are. ("state", frame) is the frame's running state;
    ("iteration", frame) a nested iteration; ("map_run", frame) the Map Run of a
    running distributed Map, which ends with `MapRunAborted` before its state. The frame's own MapIterationAborted,
    when it is an iteration, is not in the list. Nothing is recorded for hidden
    frames (a distributed Map's iterations are a child execution's history).
    """
    top = state.frames.get(frame_id)
    if top is None or top.hidden:
        return []
    children: dict[int, list[Frame]] = {}
    if top.map is not None or top.branches is not None:
        for frame in state.frames.values():
            children.setdefault(frame.parent, []).append(frame)
    records: list[tuple[str, Frame]] = []

    def visit(frame: Frame, nested: bool) -> None:
        for child in sorted(children.get(frame.id, ()), key=lambda f: f.id):
            if child.id != frame.id and not child.hidden:
                visit(child, True)
        if frame.state and frame.phase in _ACTIVE and frame.state_kind in _ABORTABLE:
            if frame.map is not None and frame.map.map_run:
                records.append(("map_run", frame))
            records.append(("state", frame))
        if nested and frame.kind == "iteration":
            records.append(("iteration", frame))

    visit(top, False)
    return records


def _frame_ended(state: ExecutionState, event: ev.FrameEnded) -> int:
    frame = state.frames.get(event.frame)
    visible = frame is not None and frame.kind == "iteration" and not frame.hidden
    aborted = len(aborted_records(state, event.frame)) if event.aborted else 0
    return aborted + (1 if visible else 0)


def _iteration_started(state: ExecutionState, event: ev.IterationStarted) -> int:
    parent = state.frames.get(event.frame)
    if parent is None or parent.hidden:
        return 0
    return 0 if parent.map is not None and parent.map.map_run else 1


SIZES: dict[type, Callable[[ExecutionState, Any], int]] = {
    ev.ExecutionStarted: _one,
    ev.TaskStarted: _task_started,
    ev.TaskSubmitted: _task_fact,
    ev.TaskSucceeded: _task_fact,
    ev.TaskFailed: _task_fact,
    ev.TaskHeartbeat: _none,
    ev.TimerFired: _timer_fired,
    ev.ExecutionStopRequested: _none,
    ev.StateEntered: _in_frame,
    ev.StateExited: _in_frame,
    ev.CatchMatched: _in_frame,
    ev.TaskScheduled: _in_frame,
    ev.TimerStarted: _none,
    ev.StateFailed: _state_failed,
    ev.RetryScheduled: _none,
    ev.BranchesStarted: _in_frame,
    ev.BranchesEnded: _in_frame,
    ev.MapStarted: _map_edge,
    ev.IterationStarted: _iteration_started,
    ev.FrameEnded: _frame_ended,
    ev.MapEnded: _map_edge,
    ev.ExecutionSucceeded: _one,
    ev.ExecutionFailed: _one,
    ev.ExecutionTimedOut: _one,
    ev.ExecutionAborted: _one,
}
