"""How a Map state finds its items, concurrency and failure tolerance."""

import contextlib
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from statum.core.interpreter.dataflow import LazyScope, evaluate_jsonata, select_path
from statum.core.interpreter.program import CompiledState
from statum.core.interpreter.state import Frame
from statum.core.language import errors as names
from statum.core.language.entropy import Entropy
from statum.core.language.errors import StatesError
from statum.core.language.jsonata_templates import expression_text
from statum.core.language.jsontext import to_json_text
from statum.core.language.paths import JsonPath, PathNotFound

if TYPE_CHECKING:
    from statum.core.interpreter.steps import StepRunner


@dataclass(slots=True)
class MapPlan:
    items: list[Any]
    max_concurrency: int
    tolerated_count: int
    tolerated_percentage: float
    map_run: str
    tolerance_error: StatesError | None = None


def _json_type(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int | float):
        return "number"
    if isinstance(value, str):
        return "string"
    return "array" if isinstance(value, list) else "object"


def resolve_map(
    runner: "StepRunner", frame: Frame, state: CompiledState, scope: LazyScope
) -> MapPlan:
    extra = state.extra
    states = {"input": frame.input}
    if state.jsonata:
        if "items" in extra:
            items = evaluate_jsonata(extra["items"], scope, "Items", states)
            if not isinstance(items, list):
                template = extra["items"].template
                text = (
                    expression_text(template) if isinstance(template, str) else template
                )
                raise StatesError(
                    names.QUERY_EVALUATION_ERROR,
                    f"The JSONata expression '{text}' specified for the "
                    "field 'Items' returned an unexpected result type. Expected 'array', but "
                    f"was '{_json_type(items)}' for value: {to_json_text(items)}",
                )
        else:
            items = frame.input
            if not isinstance(items, list):
                raise StatesError(
                    names.QUERY_EVALUATION_ERROR,
                    f"Map state input must be an array but was: {to_json_text(items)}",
                )
    else:
        value = select_path(state.input_path, frame.input, scope)
        scope.input = value
        items_path = extra.get("items_path")
        items = (
            value if not isinstance(items_path, JsonPath) else _items(items_path, scope)
        )
        if not isinstance(items, list):
            raise StatesError(
                names.RUNTIME,
                f"Map state input must be an array but was: {to_json_text(items)}",
            )
    max_concurrency = _integer(
        state, scope, states, "max_concurrency", "MaxConcurrency"
    )
    # AWS records MapStateStarted before it reads the failure tolerance, so a bad
    # tolerance fails the state after that event: it is handed back, not raised.
    count: int | None = None
    percentage: float | None = None
    tolerance_error: StatesError | None = None
    try:
        count = _integer(
            state, scope, states, "tolerated_failure_count", "ToleratedFailureCount"
        )
        percentage = _number(
            state,
            scope,
            states,
            "tolerated_failure_percentage",
            "ToleratedFailurePercentage",
        )
    except StatesError as exc:
        tolerance_error = exc
    spec = state.spec
    map_run = ""
    if spec.distributed:
        label = spec.label if isinstance(spec.label, str) else state.name
        work = runner.work
        prefix = work.state_machine_id.replace(":stateMachine:", ":mapRun:")
        # The run id is derived, not minted: replaying reproduces it.
        run_id = Entropy(f"{work.execution_id}:{work.position}:maprun").uuid4()
        map_run = f"{prefix}/{label}:{run_id}"
    return MapPlan(
        items=list(items),
        max_concurrency=max_concurrency if max_concurrency is not None else 0,
        tolerated_count=count if count is not None else -1,
        tolerated_percentage=percentage if percentage is not None else -1.0,
        map_run="" if tolerance_error is not None else map_run,
        tolerance_error=tolerance_error,
    )


def _items(path: JsonPath, scope: LazyScope) -> Any:
    try:
        return path.evaluate(scope)
    except PathNotFound:
        raise StatesError(
            names.RUNTIME,
            f"Invalid path '{path.text}' : No results for path: {path.text}",
        ) from None


def _raw(
    state: CompiledState,
    scope: LazyScope,
    states: dict[str, Any],
    field: str,
    label: str,
) -> tuple[Any, str | None]:
    extra = state.extra
    if field in extra:
        value = extra[field]
        if state.jsonata and not isinstance(value, int | float):
            value = evaluate_jsonata(value, scope, label, states)
        return value, None
    path = extra.get(f"{field}_path")
    if isinstance(path, JsonPath):
        try:
            return path.evaluate(scope), path.text
        except PathNotFound:
            raise StatesError(
                names.RUNTIME,
                f"The {label}Path field refers to a path that does not exist: {path.text}",
            ) from None
    return None, None


def _integer(
    state: CompiledState,
    scope: LazyScope,
    states: dict[str, Any],
    field: str,
    label: str,
) -> int | None:
    value, path = _raw(state, scope, states, field, label)
    if value is None and path is None:
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if (
        path is not None
        and isinstance(value, str)
        and value.strip().lstrip("-").isdigit()
    ):
        value = int(value)  # AWS reads a numeric string behind a *Path as the number
    if not isinstance(value, int) or isinstance(value, bool):
        shown = value if isinstance(value, str) else to_json_text(value)
        raise StatesError(
            names.RUNTIME,
            f'The {label}Path field refers to value "{shown}" which is not a valid '
            f"integer: {path}",
        )
    if value < 0:
        raise StatesError(names.RUNTIME, f"{label} cannot be negative.")
    return value


def _number(
    state: CompiledState,
    scope: LazyScope,
    states: dict[str, Any],
    field: str,
    label: str,
) -> float | None:
    value, path = _raw(state, scope, states, field, label)
    if value is None and path is None:
        return None
    if path is not None and isinstance(value, str):
        with contextlib.suppress(ValueError):
            value = float(value)
    if not isinstance(value, int | float) or isinstance(value, bool):
        shown = value if isinstance(value, str) else to_json_text(value)
        raise StatesError(
            names.RUNTIME,
            f'The {label}Path field refers to value "{shown}" which is not a valid '
            f"number: {path}",
        )
    if not 0 <= value <= 100:
        raise StatesError(names.RUNTIME, f"{label} must be between 0 and 100.")
    return float(value)
