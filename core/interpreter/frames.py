"""Small changes to frames that several appliers share (evolve.py, evolve_fanout.py)."""

from statum.core.interpreter.state import FAILED, WAIT, ExecutionState, Frame


def wait(state: ExecutionState, frame: Frame) -> None:
    frame.phase = WAIT
    unready(state, frame.id)


def wake(state: ExecutionState, frame_id: int) -> None:
    if frame_id not in state.ready:
        state.ready.append(frame_id)


def unready(state: ExecutionState, frame_id: int) -> None:
    if frame_id in state.ready:
        state.ready.remove(frame_id)


def fail(
    state: ExecutionState, frame: Frame, error: str | None, cause: str | None
) -> None:
    frame.phase = FAILED
    frame.error = error
    frame.cause = cause
    frame.evaluation = False
    wake(state, frame.id)


def drop_timeouts(state: ExecutionState, frame: Frame) -> None:
    if not state.timers:
        return
    for key in [
        k
        for k, t in state.timers.items()
        if t.frame == frame.id and t.purpose in ("timeout", "heartbeat")
    ]:
        del state.timers[key]


def drop_descendants(state: ExecutionState, frame_id: int) -> None:
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
