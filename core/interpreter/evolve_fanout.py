"""The Parallel and Map half of evolve: child frames start, end, and are counted.

Rule: like evolve.py, every change here is a function of the event alone.
"""

from statum.core.interpreter import events as ev
from statum.core.interpreter.errors import JournalMismatchError, unknown_frame
from statum.core.interpreter.frames import drop_descendants, drop_timeouts, fail
from statum.core.interpreter.state import (
    CHILDREN,
    RESUME,
    BranchProgress,
    ExecutionState,
    Frame,
    MapProgress,
)
from statum.core.interpreter.visibility import aborted_records


def branches_started(state: ExecutionState, event: ev.BranchesStarted) -> None:
    frame = state.frames.get(event.frame)
    if frame is None:
        raise unknown_frame(event, event.frame)
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
    ready = state.ready
    for child in reversed(event.children):
        ready[child] = None
    state.next_frame = max(state.next_frame, max(event.children, default=0) + 1)


def branches_ended(state: ExecutionState, event: ev.BranchesEnded) -> None:
    frame = state.frames.get(event.frame)
    if frame is None:
        raise unknown_frame(event, event.frame)
    branches = frame.branches
    if branches is None:
        raise JournalMismatchError(f"frame {frame.id} has no branches to end")
    if event.failed:
        fail(state, frame, branches.first_error, branches.first_cause)
    else:
        frame.phase = RESUME
        frame.value = branches.results
    frame.branches = None


def map_started(state: ExecutionState, event: ev.MapStarted) -> None:
    frame = state.frames.get(event.frame)
    if frame is None:
        raise unknown_frame(event, event.frame)
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
    frame.stage = 0
    frame.map_run = event.map_run


def iteration_started(state: ExecutionState, event: ev.IterationStarted) -> None:
    frame = state.frames.get(event.frame)
    if frame is None:
        raise unknown_frame(event, event.frame)
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
    state.ready[event.child] = None
    if event.child >= state.next_frame:
        state.next_frame = event.child + 1


def frame_ended(state: ExecutionState, event: ev.FrameEnded) -> None:
    if event.aborted:
        state.history_len += len(aborted_records(state, event.frame))
    child = state.frames.pop(event.frame, None)
    if child is None:
        raise unknown_frame(event, event.frame)
    if child.map is not None or child.branches is not None:
        # Cut short (a sibling failed): everything nested in it ends with it.
        drop_descendants(state, child.id)
    if child.kind == "iteration" and not child.hidden:
        state.history_len += 1
    ready = state.ready
    ready.pop(child.id, None)
    if child.task is not None:
        state.tasks.pop(child.task, None)
    if state.timers:
        if child.timer is not None:
            state.timers.pop(child.timer, None)
        drop_timeouts(state, child)
    parent = state.frames.get(child.parent)
    if parent is None:
        raise unknown_frame(event, child.parent)
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
    ready.setdefault(parent.id)


def map_ended(state: ExecutionState, event: ev.MapEnded) -> None:
    frame = state.frames.get(event.frame)
    if frame is None:
        raise unknown_frame(event, event.frame)
    progress = frame.map
    if progress is None:
        raise JournalMismatchError(f"frame {frame.id} is not running a Map")
    if not event.failed:
        frame.phase = RESUME
        frame.value = progress.results
    elif event.error is not None or event.cause is not None:
        fail(state, frame, event.error, event.cause)
    else:
        fail(state, frame, progress.first_error, progress.first_cause)
    frame.map = None
