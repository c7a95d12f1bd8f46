"""Parallel and Map states: starting child frames, and what to do as they end.

A Parallel state starts one frame per branch at once; a Map state starts one frame
per item, no more than MaxConcurrency at a time, and fails past its failure
tolerance. When a child fails, the running siblings are ended (aborted) first.
"""

from typing import TYPE_CHECKING, Any

from statum.core.interpreter import events as ev
from statum.core.interpreter import item_io
from statum.core.interpreter.items import iteration_input, resolve_map
from statum.core.interpreter.program import CompiledState
from statum.core.interpreter.state import Frame, MapProgress
from statum.core.language import errors as names
from statum.core.language.errors import StatesError

if TYPE_CHECKING:
    from statum.core.interpreter.steps import Retry, StepRunner


def run_parallel(runner: "StepRunner", frame: Frame, state: CompiledState) -> None:
    scope = runner.scope(frame, frame.input)
    value = runner.effective_input(frame, state, scope)
    runner._check_input_size(state, value)
    count = len(state.spec.branches)
    first = runner.work.next_frame
    runner.emit(
        ev.BranchesStarted(
            at_ms=runner.work.now_ms,
            frame=frame.id,
            children=list(range(first, first + count)),
            input=value,
        )
    )


def run_map(runner: "StepRunner", frame: Frame, state: CompiledState) -> None:
    if item_io.reads_items(state):
        item_io.schedule_reader(runner, frame, state)
        return
    _start_map(runner, frame, state, None)


def resume_map(runner: "StepRunner", frame: Frame, state: CompiledState) -> bool:
    """A Map state's own tasks: the items read, the results to write or written.

    False when the Map state's iterations ended and it finishes as usual.
    """
    if frame.stage == item_io.READING:
        try:
            items = item_io.read_items(runner, frame, state, frame.value)
        except StatesError as exc:
            if exc.error != names.ITEM_READER_FAILED:
                raise
            # AWS reports the reader's cause as it is, not "An error occurred
            # while executing the state ...".
            runner.emit(
                ev.StateFailed(
                    at_ms=runner.work.now_ms,
                    frame=frame.id,
                    name=state.name,
                    error=exc.error,
                    cause=exc.cause,
                )
            )
            return True
        _start_map(runner, frame, state, items)
        return True
    if frame.stage == item_io.WRITING:
        runner.finish(frame, state, item_io.written_output(runner, frame, state))
        return True
    if not item_io.writes_results(state):
        return False
    results = frame.value if isinstance(frame.value, list) else []
    if "Resource" in state.spec.result_writer:
        item_io.schedule_writer(runner, frame, state, results)
    else:
        runner.finish(frame, state, item_io.in_state_output(state, results))
    return True


def _start_map(
    runner: "StepRunner", frame: Frame, state: CompiledState, read: list[Any] | None
) -> None:
    scope = runner.scope(frame, frame.input)
    plan = resolve_map(runner, frame, state, scope, read)
    runner.emit(
        ev.MapStarted(
            at_ms=runner.work.now_ms,
            frame=frame.id,
            items=plan.items,
            max_concurrency=plan.max_concurrency,
            tolerated_count=plan.tolerated_count,
            tolerated_percentage=plan.tolerated_percentage,
            map_run=plan.map_run,
        )
    )
    if plan.tolerance_error is not None:
        raise plan.tolerance_error


def children_actionable(frame: Frame) -> bool:
    if frame.branches is not None:
        b = frame.branches
        return b.failing or b.done == len(b.children)
    progress = frame.map
    if progress is None:
        return True
    if _tolerance_exceeded(progress):
        return True
    total = len(progress.items)
    if progress.done == total:
        return True
    limit = progress.max_concurrency
    return progress.next_index < total and (limit == 0 or progress.running < limit)


def children(
    runner: "StepRunner", frame: Frame, state: CompiledState, retry: "Retry"
) -> None:
    now = runner.work.now_ms
    if frame.branches is not None:
        b = frame.branches
        if b.failing:
            if _abort_children(runner, frame):
                return
            if not retry(frame, state, b.first_error or ""):
                runner.emit(ev.BranchesEnded(at_ms=now, frame=frame.id, failed=True))
            return
        runner.emit(ev.BranchesEnded(at_ms=now, frame=frame.id, failed=False))
        return
    progress = frame.map
    assert progress is not None
    if _tolerance_exceeded(progress):
        if _abort_children(runner, frame):
            return
        error = progress.first_error
        cause = progress.first_cause
        # A distributed Map fails as its map run does: past the tolerance.
        tolerance = progress.tolerated_count >= 0 or progress.tolerated_percentage >= 0
        if tolerance or progress.map_run:
            error = names.EXCEED_TOLERATED_FAILURE_THRESHOLD
            cause = "The specified tolerated failure threshold was exceeded"
        if not retry(frame, state, error or ""):
            runner.emit(
                ev.MapEnded(
                    at_ms=now, frame=frame.id, failed=True, error=error, cause=cause
                )
            )
        return
    total = len(progress.items)
    limit = progress.max_concurrency
    if progress.next_index < total and (limit == 0 or progress.running < limit):
        index = progress.next_index
        item_input = iteration_input(runner, frame, state, index, progress.items[index])
        runner.emit(
            ev.IterationStarted(
                at_ms=now,
                frame=frame.id,
                child=runner.work.next_frame,
                index=index,
                input=item_input,
            )
        )
        return
    runner.emit(ev.MapEnded(at_ms=now, frame=frame.id, failed=False))


def _abort_children(runner: "StepRunner", frame: Frame) -> bool:
    """End one still-running child of `frame`; False when none is left."""
    for child in runner.work.frames.values():
        if child.parent == frame.id:
            runner.emit(
                ev.FrameEnded(
                    at_ms=runner.work.now_ms,
                    frame=child.id,
                    failed=True,
                    aborted=True,
                )
            )
            return True
    return False


def _tolerance_exceeded(progress: MapProgress) -> bool:
    """Past the tolerance: any failure by default; with both a count and a
    percentage, exceeding either one (AWS)."""
    if progress.failed == 0:
        return False
    count, percentage = progress.tolerated_count, progress.tolerated_percentage
    if count < 0 and percentage < 0:
        return True
    total = len(progress.items) or 1
    over_count = count >= 0 and progress.failed > count
    over_percentage = percentage >= 0 and progress.failed * 100.0 / total > percentage
    return over_count or over_percentage
