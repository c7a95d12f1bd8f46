"""Child executions: `arn:aws:states:::states:startExecution[.sync[:2]]` and OSML's
StartExecution state, run in-process by the Express runner.

To the interpreter a child execution is a task like any other; this backend starts
the child (another Express run, with its own journal), and answers the task with
what AWS's integration returns: the execution ARN and start date, or, for `.sync`,
the child's description once it ends (`.sync:2` with Input/Output as JSON values,
`.sync` as JSON text). A failed child fails the task with States.TaskFailed and the
description as cause. OSML's own StartExecution state (resource
`statum:startExecution[.sync]`) returns the child's output directly and fails with
the child's own error and cause: a sub-workflow call, not an API call.
"""

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import msgspec

from statum.core.engine.handlers import TaskFailure
from statum.core.interpreter import events as ev
from statum.core.interpreter.commands import (
    ASL_START_EXECUTION as ASL_START,
)
from statum.core.interpreter.commands import (
    OSML_START_EXECUTION as OSML_START,
)
from statum.core.interpreter.commands import StartChild
from statum.core.interpreter.decide import MAP_ITERATION_RESOURCE
from statum.core.interpreter.program import Program

if TYPE_CHECKING:
    from statum.core.engine.engine import Shared
    from statum.core.engine.express import ExecutionResult, ExpressRunner

Record = Callable[[ev.Event], None]


def _text(value: Any) -> str:
    return msgspec.json.encode(value).decode()


class ChildExecutions:
    """Starts the children of one execution and keeps their results."""

    def __init__(
        self,
        runner: "ExpressRunner",
        depth: int,
        program: Program,
        shared: "Shared",
        parent_id: str,
    ) -> None:
        self.runner = runner
        self.depth = depth
        self.program = program
        self.shared = shared
        self.parent_id = parent_id
        self.results: list[ExecutionResult] = []

    async def __call__(self, command: StartChild, report: Record) -> Any:
        if self.depth >= self.runner.max_nesting:
            raise TaskFailure(
                "States.TaskFailed",
                f"Child executions nest deeper than {self.runner.max_nesting} levels; "
                "a state machine probably starts itself without end.",
            )
        parameters = command.parameters if isinstance(command.parameters, dict) else {}
        if command.resource == MAP_ITERATION_RESOURCE:
            return await self._map_iteration(parameters)
        most = self.runner.limits.max_child_executions
        if self.shared.children_started >= most:
            # AWS's StartExecution answers this when too many executions run.
            raise TaskFailure(
                "StepFunctions.ExecutionLimitExceededException",
                f"This execution tree has started {most:,} child executions, the "
                "most it may (Limits.max_child_executions); a state machine that "
                "starts itself with fan-out grows exponentially. Raise the limit "
                "if the fan-out is meant.",
            )
        self.shared.children_started += 1
        if command.resource.startswith(OSML_START):
            return await self._osml(command, parameters)
        return await self._asl(command, parameters, report)

    def _program(self, reference: Any) -> tuple[str, Program]:
        from statum.core.engine.loading import load_program

        if isinstance(reference, dict):
            return "inline", load_program(reference)
        if not isinstance(reference, str):
            raise TaskFailure(
                "States.Runtime",
                "StartExecution needs a state machine name or ARN (a string), or an "
                "inline definition (an object).",
            )
        machines = self.runner.state_machines
        name = reference.rsplit(":stateMachine:", 1)[-1]
        program = machines.get(reference) or machines.get(name)
        if program is None:
            known = ", ".join(sorted(machines)) or "none"
            raise TaskFailure(
                "StepFunctions.StateMachineDoesNotExistException",
                f"State Machine Does Not Exist: '{reference}' (registered: {known})",
            )
        return name, program

    async def _run(
        self, name: str, program: Program, payload: Any, run_name: Any
    ) -> "ExecutionResult":
        result = await self.runner.execute(
            program,
            payload,
            name=run_name if isinstance(run_name, str) else None,
            state_machine=name,
            depth=self.depth + 1,
            shared=self.shared,
            parent_id=self.parent_id,
        )
        self.results.append(result)
        return result

    async def _map_iteration(self, parameters: dict[str, Any]) -> Any:
        """One distributed Map iteration, as a child execution of the map run."""
        program = self.program.subprogram(str(parameters["Processor"]))
        map_run = str(parameters["MapRun"])
        # arn:...:mapRun:MACHINE/LABEL:RUN -> the children are named MACHINE/LABEL.
        run_name = map_run.rsplit(":mapRun:", 1)[-1].rsplit(":", 1)[0]
        result = await self._run(run_name, program, parameters.get("Input"), None)
        if result.status != "SUCCEEDED":
            raise TaskFailure(result.error or "States.TaskFailed", result.cause)
        return result.output

    async def _osml(self, command: StartChild, parameters: dict[str, Any]) -> Any:
        name, program = self._program(parameters.get("StateMachine"))
        result = await self._run(
            name, program, parameters.get("Input", {}), parameters.get("Name")
        )
        if not command.resource.endswith(".sync"):
            return {
                "ExecutionArn": result.execution_id,
                "StartDate": result.state.started_ms,
            }
        if result.status != "SUCCEEDED":
            raise TaskFailure(result.error or "States.TaskFailed", result.cause)
        return result.output

    async def _asl(
        self, command: StartChild, parameters: dict[str, Any], record: Record
    ) -> Any:
        name, program = self._program(parameters.get("StateMachineArn"))
        payload = parameters.get("Input")
        if isinstance(payload, str):
            try:
                payload = msgspec.json.decode(payload)
            except msgspec.DecodeError:
                raise TaskFailure(
                    "States.Runtime", "The StartExecution Input is not valid JSON text."
                ) from None
        result = await self._run(
            name,
            program,
            payload if payload is not None else {},
            parameters.get("Name"),
        )
        started: dict[str, Any] = {
            "ExecutionArn": result.execution_id,
            "StartDate": result.state.started_ms,
        }
        resource = command.resource
        if not resource.startswith(f"{ASL_START}.sync"):
            return started
        clock = self.runner.clock
        record(
            ev.TaskSubmitted(
                at_ms=result.state.started_ms, task=command.key, output=started
            )
        )
        as_json = resource.endswith(":2")
        described: dict[str, Any] = {
            "ExecutionArn": result.execution_id,
            "Input": result.state.input if as_json else _text(result.state.input),
            "InputDetails": {"Included": True},
            "Name": result.state.name,
            "StartDate": result.state.started_ms,
            "StateMachineArn": result.state.state_machine_id,
            "Status": result.status,
            "StopDate": clock.now_ms(),
        }
        if result.status == "SUCCEEDED":
            described["Output"] = result.output if as_json else _text(result.output)
            described["OutputDetails"] = {"Included": True}
            return described
        if result.error is not None:
            described["Error"] = result.error
        if result.cause is not None:
            described["Cause"] = result.cause
        raise TaskFailure("States.TaskFailed", _text(described))
