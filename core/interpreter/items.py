"""How a Map state finds its items, concurrency and failure tolerance."""

import contextlib
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from msgspec import UNSET

from statum.core.interpreter.dataflow import LazyScope, evaluate_jsonata, select_path
from statum.core.interpreter.program import CompiledState
from statum.core.interpreter.state import Frame
from statum.core.language import errors as names
from statum.core.language import pathvalues
from statum.core.language.entropy import Entropy
from statum.core.language.errors import StatesError
from statum.core.language.json import json_type_name
from statum.core.language.jsonata_errors import unexpected_type_error
from statum.core.language.jsonata_templates import (
    compile_jsonata_value,
    expression_text,
)
from statum.core.language.jsontext import to_json_text
from statum.core.language.paths import JsonPath, PathNotFound, compile_path
from statum.core.language.templates import compile_template

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


def resolve_map(
    runner: "StepRunner",
    frame: Frame,
    state: CompiledState,
    scope: LazyScope,
    read: list[Any] | None = None,
) -> MapPlan:
    """`read`: the items an ItemReader read, which stand for Items/ItemsPath."""
    extra = state.extra
    states = {"input": frame.input}
    if read is not None:
        items: Any = _read_items(state, frame, scope, read)
    elif state.jsonata:
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
                    f"was '{json_type_name(items)}' for value: {to_json_text(items)}",
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
    if spec.item_batcher is not UNSET:
        items = _batches(runner, frame, state, scope, list(items))
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


def _read_items(
    state: CompiledState, frame: Frame, scope: LazyScope, read: list[Any]
) -> list[Any]:
    if not state.jsonata:
        # The later *Path fields still read the state's effective input.
        scope.input = select_path(state.input_path, frame.input, scope)
    return read


def iteration_input(
    runner: "StepRunner", frame: Frame, state: CompiledState, index: int, item: Any
) -> Any:
    """What iteration `index` starts with: the item through ItemSelector.

    With an ItemBatcher the items were batched (and selected) when the Map
    started, so a batch goes in as it is.
    """
    selector = state.extra.get("item_selector")
    if selector is None or state.spec.item_batcher is not UNSET:
        return item
    return _select(runner, frame, state, index, item, selector)


def _select(
    runner: "StepRunner",
    frame: Frame,
    state: CompiledState,
    index: int,
    item: Any,
    selector: Any,
) -> Any:
    map_context = {"Map": {"Item": {"Index": index, "Value": item}}}
    scope = runner.scope(frame, frame.input, map_context)
    if state.jsonata:
        return evaluate_jsonata(selector, scope, "ItemSelector", {"input": frame.input})
    scope.input = select_path(state.input_path, frame.input, scope)
    return selector.evaluate(scope, "ItemSelector")


def _batches(
    runner: "StepRunner",
    frame: Frame,
    state: CompiledState,
    scope: LazyScope,
    items: list[Any],
) -> list[Any]:
    """ItemBatcher: group the (selected) items into batches of at most
    MaxItemsPerBatch items and MaxInputBytesPerBatch bytes, each with BatchInput."""
    batcher = state.spec.item_batcher
    states = {"input": frame.input}
    max_items = _batcher_number(state, scope, states, batcher, "MaxItemsPerBatch")
    max_bytes = _batcher_number(state, scope, states, batcher, "MaxInputBytesPerBatch")
    if max_items is None and max_bytes is None:
        max_items = 100_000_000  # AWS: at least one of the two is required
    batch_input = batcher.get("BatchInput")
    if batch_input is not None:
        if state.jsonata:
            batch_input = evaluate_jsonata(
                compile_jsonata_value(batch_input),
                scope,
                "ItemBatcher/BatchInput",
                states,
            )
        else:
            batch_input = compile_template(batch_input).evaluate(scope, "BatchInput")
    selector = state.extra.get("item_selector")
    batches: list[Any] = []
    current: list[Any] = []
    size = 0
    for index, item in enumerate(items):
        if selector is not None:
            item = _select(runner, frame, state, index, item, selector)
        item_size = len(to_json_text(item)) + 1
        full = (max_items is not None and len(current) >= max_items) or (
            max_bytes is not None and current and size + item_size > max_bytes
        )
        if full:
            batches.append(current)
            current, size = [], 0
        current.append(item)
        size += item_size
    if current:
        batches.append(current)
    if batch_input is None:
        return [{"Items": batch} for batch in batches]
    return [{"BatchInput": batch_input, "Items": batch} for batch in batches]


def _batcher_number(
    state: CompiledState,
    scope: LazyScope,
    states: dict[str, Any],
    batcher: dict[str, Any],
    name: str,
) -> int | None:
    value = batcher.get(name)
    if isinstance(value, str) and state.jsonata:
        value = evaluate_jsonata(
            compile_jsonata_value(value), scope, f"ItemBatcher/{name}", states
        )
    path = batcher.get(f"{name}Path")
    if isinstance(path, str):
        try:
            value = compile_path(path).evaluate(scope)
        except PathNotFound:
            raise StatesError(
                names.RUNTIME,
                f"The {name}Path field refers to a path that does not exist: {path}",
            ) from None
    if value is None:
        return None
    if isinstance(path, str) and (
        not isinstance(value, int) or isinstance(value, bool)
    ):
        raise pathvalues.not_integer(f"{name}Path", path, value)
    if not isinstance(value, int) or isinstance(value, bool) or value <= 0:
        raise StatesError(
            names.RUNTIME,
            f"{name} must be a positive integer, but was {to_json_text(value)}",
        )
    return value


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
) -> tuple[Any, str | None, str | None]:
    """The field's value, and where it came from: a path's text, or the JSONata
    expression's text (None for a literal)."""
    extra = state.extra
    if field in extra:
        value = extra[field]
        if state.jsonata and not isinstance(value, int | float):
            template = getattr(value, "template", value)
            text = expression_text(template) if isinstance(template, str) else ""
            return evaluate_jsonata(value, scope, label, states), None, text
        return value, None, None
    path = extra.get(f"{field}_path")
    if isinstance(path, JsonPath):
        try:
            return path.evaluate(scope), path.text, None
        except PathNotFound:
            raise StatesError(
                names.RUNTIME,
                f"The {label}Path field refers to a path that does not exist: {path.text}",
            ) from None
    return None, None, None


def _integer(
    state: CompiledState,
    scope: LazyScope,
    states: dict[str, Any],
    field: str,
    label: str,
) -> int | None:
    value, path, expression = _raw(state, scope, states, field, label)
    if value is None and path is None and expression is None:
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
        if expression is not None:
            raise unexpected_type_error(expression, label, "integer", value)
        raise pathvalues.not_integer(f"{label}Path", path or "", value)
    if value < 0:
        raise pathvalues.range_error(label, value)
    return value


def _number(
    state: CompiledState,
    scope: LazyScope,
    states: dict[str, Any],
    field: str,
    label: str,
) -> float | None:
    value, path, expression = _raw(state, scope, states, field, label)
    if value is None and path is None and expression is None:
        return None
    if path is not None and isinstance(value, str):
        with contextlib.suppress(ValueError):
            value = float(value)
    if not isinstance(value, int | float) or isinstance(value, bool):
        if expression is not None:
            raise unexpected_type_error(expression, label, "number", value)
        raise pathvalues.not_float(f"{label}Path", path or "", value)
    if not 0 <= value <= 100:
        raise pathvalues.range_error(label, value)
    return float(value)
