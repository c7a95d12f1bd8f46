"""Small changes to frames that several appliers share (evolve.py, evolve_fanout.py)."""

from statum.core.interpreter.state import FAILED, WAIT, ExecutionState, Frame


def wait(state: ExecutionState, frame: Frame) -> None:
    frame.phase = WAIT
    unready(state, frame.id)


def wake(state: ExecutionState, frame_id: int) -> None:
    """Put the frame on top of the ready stack, unless it is on it already (then
    it keeps its place)."""
    state.ready.setdefault(frame_id)


def unready(state: ExecutionState, frame_id: int) -> None:
    state.ready.pop(frame_id, None)


def fail(
    state: ExecutionState, frame: Frame, error: str | None, cause: str | None
) -> None:
    frame.phase = FAILED
    frame.error = error
    frame.cause = cause
    frame.evaluation = False
    wake(state, frame.id)


def drop_timeouts(state: ExecutionState, frame: Frame) -> None:
    """Forget the timeout and heartbeat timers of the frame's tasks."""
    if frame.timeouts:
        timers = state.timers
        for key in frame.timeouts:
            timers.pop(key, None)
        frame.timeouts = ()


def drop_descendants(state: ExecutionState, frame_id: int) -> None:
    doomed = {frame_id}
    # Frames are added to `frames` as they start, so a child comes after its
    # parent in the dict's order: one pass finds every descendant, no sort.
    for frame in state.frames.values():
        if frame.parent in doomed:
            doomed.add(frame.id)
    doomed.discard(frame_id)
    ready = state.ready
    for doomed_id in doomed:
        del state.frames[doomed_id]
        ready.pop(doomed_id, None)
    for key in [k for k, t in state.tasks.items() if t.frame in doomed]:
        del state.tasks[key]
    for key in [k for k, t in state.timers.items() if t.frame in doomed]:
        del state.timers[key]
