"""Catch: the first catcher whose ErrorEquals covers the error takes the frame on."""

from typing import TYPE_CHECKING, Any

from statum.core.interpreter import events as ev
from statum.core.interpreter.dataflow import (
    apply_result_path,
    assign_variables,
    evaluate_jsonata,
)
from statum.core.interpreter.program import CompiledState
from statum.core.interpreter.retry import error_matches
from statum.core.interpreter.state import Frame
from statum.core.interpreter.variables import check_assigned

if TYPE_CHECKING:
    from statum.core.interpreter.steps import StepRunner


def catch(runner: "StepRunner", frame: Frame, state: CompiledState, error: str) -> bool:
    for catcher in state.catchers:
        if not error_matches(catcher.error_equals, error):
            continue
        error_output: dict[str, Any] = {"Error": frame.error}
        error_output["Cause"] = frame.cause if frame.cause is not None else ""
        scope = runner.scope(frame, frame.input)
        if state.jsonata:
            states = {"input": frame.input, "errorOutput": error_output}
            assigned = (
                assign_variables(state, scope, error_output, states, catcher.assign)
                if catcher.assign is not None
                else None
            )
            output = (
                error_output
                if catcher.output is None
                else evaluate_jsonata(catcher.output, scope, "Output", states)
            )
        else:
            assigned = (
                assign_variables(state, scope, error_output, None, catcher.assign)
                if catcher.assign is not None
                else None
            )
            output = apply_result_path(catcher.result_path, frame.input, error_output)
        if assigned:
            check_assigned(runner.work, frame, assigned, runner.limits)
        runner.emit(
            ev.CatchMatched(
                at_ms=runner.work.now_ms,
                frame=frame.id,
                name=state.name,
                kind=state.kind,
                next=catcher.next,
                output=output,
                assigned=assigned,
            )
        )
        return True
    return False
