"""Input and output processing of one state, in both query languages.

JSONPath: InputPath -> Parameters -> (work) -> ResultSelector -> ResultPath ->
OutputPath. JSONata: Arguments -> (work) -> Output, with `$states`. Both: Assign,
evaluated against the values from before the state.
"""

from collections.abc import Mapping
from typing import Any

from statum.core.interpreter.context import context_object
from statum.core.interpreter.program import DISCARD, IDENTITY, CompiledState
from statum.core.interpreter.state import ExecutionState, Frame
from statum.core.language.entropy import Entropy
from statum.core.language.errors import RUNTIME, StatesError
from statum.core.language.jsonata_limits import StepTally
from statum.core.language.jsonata_templates import JsonataValue
from statum.core.language.paths import JsonPath, PathNotFound, ReferencePath
from statum.core.language.scope import Scope
from statum.core.language.templates import Template

_EMPTY: Mapping[str, Any] = {}


class LazyScope(Scope):
    """A Scope whose context object, entropy and step tally are built only if
    something reads them (most states read none: this runs for every state)."""

    __slots__ = (
        "_context",
        "_entropy",
        "_extra",
        "_frame",
        "_position",
        "_state",
        "_steps",
        "_tally",
    )

    def __init__(
        self,
        state: ExecutionState,
        frame: Frame,
        value: Any,
        variables: Mapping[str, Any],
        extra: dict[str, Any] | None = None,
        expression_steps: int = 0,
    ) -> None:
        # Scope's own __init__ is not called: its fields are set here, and the
        # lazy ones are properties.
        self._state = state
        self._frame = frame
        self._extra = extra
        self._steps = expression_steps
        self._context: Any = None
        self._entropy: Entropy | None = None
        self._position = state.position  # the seed's, as of this evaluation
        self._tally: StepTally | None = None
        self.input = value
        self.variables = variables
        self.now_ms = state.now_ms

    @property
    def entropy(self) -> Entropy:
        if self._entropy is None:
            seed = f"{self._state.execution_id}:{self._position}"
            self._entropy = Entropy(seed)
        return self._entropy

    @entropy.setter
    def entropy(self, value: Entropy) -> None:
        self._entropy = value

    @property
    def context(self) -> Any:
        if self._context is None:
            self._context = context_object(self._state, self._frame, self._extra)
        return self._context

    @context.setter
    def context(self, value: Any) -> None:
        self._context = value

    def step_tally(self) -> StepTally | None:
        # Made on first use: most states evaluate no JSONata at all.
        if self._tally is None and self._steps:
            self._tally = StepTally(self._steps)
        return self._tally


def visible_variables(state: ExecutionState, frame: Frame) -> Mapping[str, Any]:
    """The variables `frame` can read: its own, then its ancestors'."""
    if frame.parent < 0:
        return frame.variables or _EMPTY
    chain = [frame.variables]
    parent = state.frames.get(frame.parent)
    while parent is not None:
        if parent.variables:
            chain.append(parent.variables)
        if parent.map is not None and parent.map.map_run:
            break  # a distributed map's iterations are child executions
        parent = state.frames.get(parent.parent)
    merged: dict[str, Any] = {}
    for scope in reversed(chain):
        merged.update(scope)
    return merged


def select_path(path: Any, value: Any, scope: Scope) -> Any:
    """Apply an InputPath or OutputPath."""
    if path is IDENTITY or path == IDENTITY:
        return value
    if path == DISCARD:
        return {}
    assert isinstance(path, JsonPath)
    try:
        return path.evaluate(scope)
    except PathNotFound as exc:
        raise StatesError(RUNTIME, exc.invalid_path_cause()) from None


def apply_result_path(state: CompiledState | Any, raw_input: Any, result: Any) -> Any:
    """Merge `result` into the state's raw input as ResultPath says."""
    path = state if isinstance(state, ReferencePath | str) else state.result_path
    if path == IDENTITY:
        return result
    if path == DISCARD:
        return raw_input
    assert isinstance(path, ReferencePath)
    return path.assign(raw_input, result)


def evaluate_jsonata(
    value: JsonataValue, scope: Scope, field: str, states: dict[str, Any]
) -> Any:
    """Evaluate a JSONata template with `$states` built from `states`."""
    states_value = dict(states)
    states_value.setdefault("input", scope.input)
    states_value["context"] = scope.context
    return value.evaluate(
        scope.variables,
        states_value,
        now_ms=scope.now_ms,
        entropy=scope.entropy,
        field=field,
        tally=scope.step_tally,
    )


def assign_variables(
    state: CompiledState,
    scope: Scope,
    result: Any,
    states: dict[str, Any] | None = None,
    assign: Template | JsonataValue | None = None,
) -> dict[str, Any] | None:
    """The variables a state assigns, evaluated against the pre-state values.

    JSONPath: `$` is the state's result. JSONata: `$states.result` is.
    """
    spec = assign if assign is not None else state.assign
    if spec is None:
        return None
    if isinstance(spec, Template):
        inner = Scope(
            input=result,
            context=scope.context,
            variables=scope.variables,
            entropy=scope.entropy,
            now_ms=scope.now_ms,
        )
        values = spec.evaluate(inner, "Assign")
    else:
        values = evaluate_jsonata(spec, scope, "Assign", states or {})
    if not isinstance(values, dict):
        raise StatesError(RUNTIME, "The Assign field must evaluate to a JSON object.")
    return values
