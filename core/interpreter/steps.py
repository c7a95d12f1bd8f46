"""What each state type does when it runs, resumes, or runs child frames.

Each method turns the frame's current situation into decision events through
`emit`; evaluation failures are raised as StatesError and recorded by decide.py.
"""

from collections.abc import Callable
from typing import Any

from msgspec import UNSET

from statum.core.interpreter import events as ev
from statum.core.interpreter import fanout, waits
from statum.core.interpreter.dataflow import (
    LazyScope,
    apply_result_path,
    assign_variables,
    evaluate_jsonata,
    select_path,
    visible_variables,
)
from statum.core.interpreter.errors import InterpreterError
from statum.core.interpreter.kinds import TimerPurpose
from statum.core.interpreter.limits import Limits
from statum.core.interpreter.payload import (
    PayloadMeter,
    input_too_large,
    output_too_large,
    task_result_name,
)
from statum.core.interpreter.program import CompiledState, Program
from statum.core.interpreter.state import ExecutionState, Frame
from statum.core.interpreter.tokens import task_token, waits_for_token
from statum.core.interpreter.variables import check_assigned
from statum.core.language import errors as names
from statum.core.language.errors import StatesError
from statum.core.language.json import json_type_name
from statum.core.language.jsonata_templates import JsonataValue
from statum.core.language.templates import Template

Emit = Callable[[ev.Event], None]
Retry = Callable[[Frame, CompiledState, str], bool]

# AWS's resource for starting an execution, `arn:aws:states:::states:startExecution`.
_STATES = "arn:aws:states:::states:startExecution"


class StepRunner:
    """Runs the steps of every state type against one working state."""

    __slots__ = ("emit", "limits", "meter", "program", "work")

    def __init__(
        self, program: Program, work: ExecutionState, emit: Emit, limits: Limits
    ) -> None:
        self.program = program
        self.work = work
        self.emit = emit
        self.limits = limits
        self.meter = PayloadMeter(limits.max_payload_bytes, limits.max_data_depth)
        self.meter.admit(work.input)

    # --- helpers -------------------------------------------------------------

    def scope(
        self, frame: Frame, value: Any, extra: dict[str, Any] | None = None
    ) -> LazyScope:
        return LazyScope(
            self.work,
            frame,
            value,
            visible_variables(self.work, frame),
            extra,
            self.limits.max_state_expression_steps,
        )

    def _check_size(self, state: CompiledState, value: Any) -> None:
        """A state's output over the payload quota fails the state."""
        if self.meter.over(value, state.name, state.references):
            raise output_too_large(state.name)

    def _check_input_size(self, state: CompiledState, value: Any) -> None:
        if self.meter.over(value, state.name, state.references):
            raise input_too_large(state.name)

    def _check_result_size(self, state: CompiledState, result: Any) -> None:
        """A task's result over the quota: AWS names the task by its resource."""
        # A handler's result reaches here decoded from its JSON: nothing shared.
        if self.meter.over(result, state.name, 0):
            resource = state.spec.resource if state.kind == "Task" else _STATES
            raise output_too_large(task_result_name(resource))

    def exit(
        self,
        frame: Frame,
        state: CompiledState,
        output: Any,
        assigned: dict[str, Any] | None,
        next_state: str | None = None,
    ) -> None:
        self._check_size(state, output)
        if assigned:
            check_assigned(self.work, frame, assigned, self.limits)
        target = next_state if next_state is not None else state.next
        meter = self.meter
        counted = meter.counted
        if counted:  # a large payload was measured: the journal grows by it
            if target is not None:
                meter.recount(output)  # the next StateEntered carries it too
            counted = meter.take_counted()
        self.emit(
            ev.StateExited(
                at_ms=self.work.now_ms,
                frame=frame.id,
                name=state.name,
                kind=state.kind,
                output=output,
                next=target,
                assigned=assigned,
                payload_bytes=counted,
            )
        )

    def effective_input(
        self, frame: Frame, state: CompiledState, scope: LazyScope
    ) -> Any:
        """InputPath then Parameters (JSONPath), or Arguments (JSONata)."""
        if state.jsonata:
            if state.arguments is None:
                return frame.input
            return evaluate_jsonata(state.arguments, scope, "Arguments", {})
        value = select_path(state.input_path, frame.input, scope)
        if state.parameters is None:
            return value
        scope.input = value
        try:
            return state.parameters.evaluate(scope, "Parameters")
        finally:
            scope.input = frame.input

    def finish(self, frame: Frame, state: CompiledState, result: Any) -> None:
        """Leave a state that produced `result` (Task, Map, Parallel)."""
        scope = self.scope(frame, frame.input)
        if state.jsonata:
            states = {"input": frame.input, "result": result}
            self.jsonata_exit(
                frame,
                state,
                scope,
                states,
                result,
                assign=state.assign,
                output=state.output,
            )
            return
        if state.result_selector is not None:
            scope.input = result
            result = state.result_selector.evaluate(scope, "ResultSelector")
            scope.input = frame.input
        self.jsonpath_exit(frame, state, scope, result)

    def jsonpath_exit(
        self, frame: Frame, state: CompiledState, scope: LazyScope, result: Any
    ) -> None:
        """Leave a JSONPath state with `result`: Assign, ResultPath, OutputPath."""
        assigned = assign_variables(state, scope, result)
        output = apply_result_path(state, frame.input, result)
        scope.input = output
        output = select_path(state.output_path, output, scope)
        self.exit(frame, state, output, assigned)

    def jsonata_pass_on(
        self,
        frame: Frame,
        state: CompiledState,
        scope: LazyScope,
        target: str | None = None,
    ) -> None:
        """Leave a JSONata state that produces no result: the state's Assign, then
        its Output or the input unchanged."""
        self.jsonata_exit(
            frame,
            state,
            scope,
            {"input": frame.input},
            frame.input,
            assign=state.assign,
            output=state.output,
            target=target,
        )

    # --- RUN -------------------------------------------------------------------

    def run(self, frame: Frame, state: CompiledState) -> None:
        kind = state.kind
        if kind == "Pass":
            self._pass(frame, state)
        elif kind == "Choice":
            self._choice(frame, state)
        elif kind in ("Task", "StartExecution"):
            self._task(frame, state)
        elif kind == "Wait":
            waits.start(self, frame, state)
        elif kind == "Succeed":
            self._succeed(frame, state)
        elif kind == "Fail":
            self._fail(frame, state)
        elif kind == "Parallel":
            fanout.run_parallel(self, frame, state)
        elif kind == "Map":
            fanout.run_map(self, frame, state)
        else:
            raise InterpreterError(f"unknown state type {kind}")

    def _pass(self, frame: Frame, state: CompiledState) -> None:
        scope = self.scope(frame, frame.input)
        if state.jsonata:
            self.jsonata_pass_on(frame, state, scope)
            return
        spec = state.spec
        if spec.result is not UNSET:
            result = spec.result
        else:
            result = self.effective_input(frame, state, scope)
        self.jsonpath_exit(frame, state, scope, result)

    def _succeed(self, frame: Frame, state: CompiledState) -> None:
        scope = self.scope(frame, frame.input)
        if state.jsonata:
            states = {"input": frame.input}
            self.jsonata_exit(
                frame, state, scope, states, frame.input, output=state.output
            )
            return
        value = select_path(state.input_path, frame.input, scope)
        scope.input = value
        output = select_path(state.output_path, value, scope)
        self.exit(frame, state, output, None)

    def _choice(self, frame: Frame, state: CompiledState) -> None:
        scope = self.scope(frame, frame.input)
        spec = state.spec
        if state.jsonata:
            states = {"input": frame.input}
            for rule in state.choices:
                assert rule.condition is not None
                verdict = evaluate_jsonata(rule.condition, scope, "Condition", states)
                if not isinstance(verdict, bool):
                    raise StatesError(
                        names.QUERY_EVALUATION_ERROR,
                        "The JSONata expression specified for the field 'Condition' "
                        f"returned an unexpected result type. Expected 'boolean', but was "
                        f"'{json_type_name(verdict)}'.",
                    )
                if verdict:
                    # A matched rule brings its own Assign and Output; the state's
                    # own are the Default's.
                    self.jsonata_exit(
                        frame,
                        state,
                        scope,
                        states,
                        frame.input,
                        assign=rule.assign,
                        output=rule.output,
                        target=rule.next,
                    )
                    return
            self._choice_default(frame, state, scope)
            return
        value = select_path(state.input_path, frame.input, scope)
        scope.input = value
        for rule in state.choices:
            if rule.test(scope):
                assigned = (
                    assign_variables(state, scope, value, None, rule.assign)
                    if rule.assign
                    else None
                )
                output = select_path(state.output_path, value, scope)
                self.exit(frame, state, output, assigned, rule.next)
                return
        if not isinstance(spec.default, str):
            raise StatesError(names.NO_CHOICE_MATCHED, "No Matches!")
        assigned = assign_variables(state, scope, value)
        output = select_path(state.output_path, value, scope)
        self.exit(frame, state, output, assigned, spec.default)

    def _choice_default(
        self, frame: Frame, state: CompiledState, scope: LazyScope
    ) -> None:
        default = state.spec.default
        if not isinstance(default, str):
            raise StatesError(names.NO_CHOICE_MATCHED, "No Matches!")
        self.jsonata_pass_on(frame, state, scope, target=default)

    def jsonata_exit(
        self,
        frame: Frame,
        state: CompiledState,
        scope: LazyScope,
        states: dict[str, Any],
        default: Any,
        *,
        assign: Template | JsonataValue | None = None,
        output: JsonataValue | None = None,
        target: str | None = None,
    ) -> None:
        """Leave a JSONata state: Assign, then Output (or `default` without one).

        Both see the variables from before the state; `states` is `$states`.
        """
        assigned = (
            assign_variables(state, scope, default, states, assign) if assign else None
        )
        value = (
            default
            if output is None
            else evaluate_jsonata(output, scope, "Output", states)
        )
        self.exit(frame, state, value, assigned, target)

    def _fail(self, frame: Frame, state: CompiledState) -> None:
        error, cause = waits.fail_fields(self, frame, state)
        self.emit(
            ev.StateFailed(
                at_ms=self.work.now_ms,
                frame=frame.id,
                name=state.name,
                error=error,
                cause=cause,
            )
        )

    def _task(self, frame: Frame, state: CompiledState) -> None:
        spec = state.spec
        if state.kind == "Task":
            resource = spec.resource
        else:
            resource = _start_execution_resource(spec)
        task = f"{frame.id}.{self.work.work_serial}"
        token = task_token(self.work, task) if waits_for_token(resource) else None
        extra = None if token is None else {"Task": {"Token": token}}
        scope = self.scope(frame, frame.input, extra)
        parameters = self.effective_input(frame, state, scope)
        self._check_input_size(state, parameters)
        timeout, heartbeat = waits.task_timeouts(self, frame, state, scope)
        if state.kind != "Task":
            parameters = {"StateMachine": spec.state_machine, "Input": parameters}
        now = self.work.now_ms
        self.emit(
            ev.TaskScheduled(
                at_ms=now,
                frame=frame.id,
                task=task,
                resource=resource,
                parameters=parameters,
                timeout_seconds=timeout,
                heartbeat_seconds=heartbeat,
                state=state.name,
                attempt=frame.attempts,
                token=token,
            )
        )
        timers: tuple[tuple[TimerPurpose, int | None], ...] = (
            ("timeout", timeout),
            ("heartbeat", heartbeat),
        )
        for purpose, seconds in timers:
            if seconds is not None:
                self.emit(
                    ev.TimerStarted(
                        at_ms=now,
                        frame=frame.id,
                        timer=f"{purpose}:{task}",
                        due_ms=now + seconds * 1000,
                        purpose=purpose,
                    )
                )

    # --- RESUME ----------------------------------------------------------------

    def resume(self, frame: Frame, state: CompiledState) -> None:
        if state.kind == "Wait":
            waits.finish(self, frame, state)
            return
        if state.kind == "Map" and fanout.resume_map(self, frame, state):
            return
        result = frame.value
        if state.kind in ("Task", "StartExecution"):
            self._check_result_size(state, result)
        self.finish(frame, state, result)


def _start_execution_resource(spec: Any) -> str:
    return "statum:startExecution.sync" if spec.sync else "statum:startExecution"
