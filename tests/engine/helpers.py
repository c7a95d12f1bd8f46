"""Running the Express engine in tests: a virtual clock, fixed ids, and a check of
every journal it produces (replay and the history projection agree with it)."""

import itertools
from collections.abc import Callable
from typing import Any, TypeVar

import msgspec

from statum.core.engine.clock import VirtualClock
from statum.core.engine.express import ExecutionResult, ExpressRunner
from statum.core.engine.handlers import HandlerRegistry
from statum.core.engine.loading import load_program
from statum.core.interpreter import events as ev
from statum.core.interpreter.decide import decide
from statum.core.interpreter.evolve import fold
from statum.core.interpreter.limits import DEFAULT_LIMITS, Limits
from statum.core.interpreter.program import Program
from statum.projections.history import flatten, project_history

T0 = VirtualClock().now_ms()
"""Where every VirtualClock starts."""

FACTS = (
    ev.ExecutionStarted,
    ev.TaskStarted,
    ev.TaskSubmitted,
    ev.TaskSucceeded,
    ev.TaskFailed,
    ev.TaskHeartbeat,
    ev.TimerFired,
    ev.ExecutionStopRequested,
)


def machine(states: dict[str, Any], **top: Any) -> dict[str, Any]:
    """A definition starting at the first of `states`."""
    return {"StartAt": next(iter(states)), "States": states, **top}


def branch(states: dict[str, Any]) -> dict[str, Any]:
    """A Parallel branch or a Map processor starting at the first of `states`."""
    return {"StartAt": next(iter(states)), "States": states}


def task(resource: str, **fields: Any) -> dict[str, Any]:
    """A Task state that ends its machine unless `Next` is given."""
    state: dict[str, Any] = {"Type": "Task", "Resource": resource, **fields}
    if "Next" not in state:
        state["End"] = True
    return state


class Engine:
    """An ExpressRunner on a VirtualClock with handlers registered by name."""

    def __init__(
        self,
        handlers: dict[str, Callable[..., Any]] | None = None,
        *,
        clock: VirtualClock | None = None,
        limits: Limits = DEFAULT_LIMITS,
        **runner: Any,
    ) -> None:
        self.clock = clock or VirtualClock()
        self.handlers = HandlerRegistry()
        for name, handler in (handlers or {}).items():
            self.handlers.register(name, handler)
        self.runner = ExpressRunner(
            handlers=self.handlers,
            clock=self.clock,
            new_id=_counter(),
            new_seed=runner.pop("new_seed", lambda: "test-seed"),
            # One task at a time unless a test asks for more: histories that
            # tests compare event for event must not depend on thread timing.
            max_running=runner.pop("max_running", 1),
            limits=limits,
            **runner,
        )

    @property
    def elapsed_ms(self) -> int:
        return self.clock.now_ms() - T0

    def run(
        self,
        definition: dict[str, Any] | Program,
        payload: Any = None,
        *,
        name: str = "test",
    ) -> ExecutionResult:
        program = (
            definition if isinstance(definition, Program) else load_program(definition)
        )
        result = self.runner.run(program, payload, name=name)
        check_journal(program, result, self.runner.limits)
        return result


def _counter() -> Callable[[], str]:
    """Ids that are unique within one engine and the same from run to run."""
    numbers = itertools.count(1)
    return lambda: f"id-{next(numbers)}"


def run(
    definition: dict[str, Any],
    payload: Any = None,
    handlers: dict[str, Callable[..., Any]] | None = None,
    **engine: Any,
) -> ExecutionResult:
    """One execution on a fresh Engine."""
    return Engine(handlers, **engine).run(definition, payload)


def check_journal(
    program: Program, result: ExecutionResult, limits: Limits = DEFAULT_LIMITS
) -> None:
    """What must hold for every journal the engine writes (children included)."""
    check_replay(result)
    journal = result.journal
    # Re-deciding after each fact gives back the recorded decisions.
    for position, event in enumerate(journal):
        if isinstance(event, FACTS):
            end = position + 1
            while end < len(journal) and not isinstance(journal[end], FACTS):
                end += 1
            redecided = decide(program, fold(journal[: position + 1]), limits)
            assert list(redecided) == journal[position + 1 : end]
    # Journal time never runs backwards.
    times = [event.at_ms for event in journal]
    assert times == sorted(times)


def check_replay(result: ExecutionResult) -> None:
    """Replay and the history projection agree with the engine, for a result and
    every child execution it started."""
    journal = result.journal
    assert isinstance(journal[0], ev.ExecutionStarted)
    assert result.state.finished
    # Replaying the journal gives the engine's own state back.
    folded = fold(journal)
    assert msgspec.to_builtins(folded) == msgspec.to_builtins(result.state)
    # The state's history count is the projected history's length.
    assert folded.history_len == len(project_history(journal))
    for child in result.children:
        check_replay(child)


def history(result: ExecutionResult) -> list[dict[str, Any]]:
    """The flattened AWS history of a result."""
    return flatten(project_history(result.journal))


E = TypeVar("E")


def of_type(result: ExecutionResult, kind: type[E]) -> list[E]:
    """The journal events of one type."""
    return [event for event in result.journal if isinstance(event, kind)]
