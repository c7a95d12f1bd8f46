"""Fields that resolve to a number of seconds, a timestamp or an error name:
Wait's Seconds/Timestamp, Task's TimeoutSeconds/HeartbeatSeconds, Fail's Error/Cause.
"""

from typing import TYPE_CHECKING, Any

from msgspec import UNSET

from statum.core.interpreter import events as ev
from statum.core.interpreter.dataflow import (
    LazyScope,
    assign_variables,
    evaluate_jsonata,
    select_path,
)
from statum.core.interpreter.program import CompiledState
from statum.core.interpreter.state import Frame
from statum.core.language import errors as names
from statum.core.language import pathvalues
from statum.core.language.errors import StatesError, capped
from statum.core.language.intrinsics import Intrinsic
from statum.core.language.jsonata_errors import unexpected_type_error
from statum.core.language.jsonata_templates import expression_text
from statum.core.language.jsontext import to_json_text
from statum.core.language.paths import JsonPath, PathNotFound
from statum.core.language.timestamps import (
    LATEST_TIMESTAMP_MS,
    parse_offset_date_time,
)

if TYPE_CHECKING:
    from statum.core.interpreter.steps import StepRunner


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _path_value(path: JsonPath | Intrinsic, scope: LazyScope, field: str) -> Any:
    try:
        return path.evaluate(scope)
    except PathNotFound as missing:
        # For an intrinsic call, the path named is the argument that was missing.
        raise StatesError(
            names.RUNTIME,
            f"The JSONPath '{missing.path.text}' specified for the field '{field}' "
            f"could not be found in the input '{to_json_text(scope.input)}'",
        ) from None


def start(runner: "StepRunner", frame: Frame, state: CompiledState) -> None:
    """Run a Wait state: work out when it ends and start its timer."""
    scope = runner.scope(frame, frame.input)
    extra = state.extra
    now = runner.work.now_ms
    if state.jsonata:
        due = _jsonata_due(extra, scope, now)
    else:
        scope.input = select_path(state.input_path, frame.input, scope)
        due = _jsonpath_due(extra, scope, now)
    runner.emit(
        ev.TimerStarted(
            at_ms=now,
            frame=frame.id,
            timer=f"wait:{frame.id}.{runner.work.work_serial}",
            due_ms=max(due, now),
            purpose="wait",
        )
    )


def _jsonpath_due(extra: dict[str, Any], scope: LazyScope, now: int) -> int:
    if "seconds" in extra:
        return now + int(extra["seconds"] * 1000)
    if "timestamp" in extra:
        due = parse_offset_date_time(extra["timestamp"])
        if due is None:  # refused at load; kept so no value can crash a run
            raise pathvalues.not_timestamp(
                "Timestamp", extra["timestamp"], extra["timestamp"]
            )
        return due
    if "seconds_path" in extra:
        path: JsonPath = extra["seconds_path"]
        value = _path_value(path, scope, "SecondsPath")
        if not _is_int(value):
            raise pathvalues.not_integer("SecondsPath", path.text, value)
        if value < 0:
            raise pathvalues.out_of_range("SecondsPath", path.text, value)
        if now + value * 1000 > LATEST_TIMESTAMP_MS:
            raise pathvalues.past_latest_time("SecondsPath", path.text, value)
        return int(now + value * 1000)
    path = extra["timestamp_path"]
    value = _path_value(path, scope, "TimestampPath")
    due = parse_offset_date_time(value)
    if due is None:
        raise pathvalues.not_timestamp("TimestampPath", path.text, value)
    return due


def _expression(value: Any) -> str:
    template = getattr(value, "template", value)
    return expression_text(template) if isinstance(template, str) else str(template)


def _jsonata_due(extra: dict[str, Any], scope: LazyScope, now: int) -> int:
    states = {"input": scope.input}
    if "seconds" in extra:
        seconds = extra["seconds"]
        if not _is_int(seconds):
            seconds = evaluate_jsonata(seconds, scope, "Seconds", states)
            if not _is_int(seconds) or seconds < 0:
                raise unexpected_type_error(
                    _expression(extra["seconds"]), "Seconds", "integer", seconds
                )
            if now + seconds * 1000 > LATEST_TIMESTAMP_MS:
                failure = pathvalues.past_latest_time(
                    "Seconds", _expression(extra["seconds"]), seconds
                )
                raise StatesError(
                    names.QUERY_EVALUATION_ERROR, failure.cause, "Seconds"
                )
        return int(now + seconds * 1000)
    stamp = extra["timestamp"]
    if isinstance(stamp, str):
        due = parse_offset_date_time(stamp)
        if due is None:  # refused at load; kept so no value can crash a run
            raise pathvalues.not_timestamp("Timestamp", stamp, stamp)
        return due
    text = _expression(stamp)
    value = evaluate_jsonata(stamp, scope, "Timestamp", states)
    if not isinstance(value, str):
        # The documented contract: the expression "results in a string".
        raise unexpected_type_error(text, "Timestamp", "string", value)
    due = parse_offset_date_time(value)
    if due is None:
        # AWS quotes the expression where a TimestampPath quotes its path, and
        # reports it as an evaluation failure of the field.
        failure = pathvalues.not_timestamp("Timestamp", text, value)
        raise StatesError(names.QUERY_EVALUATION_ERROR, failure.cause, "Timestamp")
    return due


def finish(runner: "StepRunner", frame: Frame, state: CompiledState) -> None:
    """The Wait is over: leave the state."""
    scope = runner.scope(frame, frame.input)
    if state.jsonata:
        runner.jsonata_pass_on(frame, state, scope)
        return
    value = select_path(state.input_path, frame.input, scope)
    scope.input = value
    assigned = assign_variables(state, scope, value)
    output = select_path(state.output_path, value, scope)
    runner.exit(frame, state, output, assigned)


def fail_fields(
    runner: "StepRunner", frame: Frame, state: CompiledState
) -> tuple[str | None, str | None]:
    """A Fail state's error and cause."""
    scope = runner.scope(frame, frame.input)
    extra = state.extra
    states = {"input": frame.input}
    result: list[str | None] = []
    for field, path_field in (("error", "error_path"), ("cause", "cause_path")):
        value: Any = None
        if field in extra:
            value = extra[field]
            if not isinstance(value, str):
                label = field.capitalize()
                expression = value
                value = evaluate_jsonata(expression, scope, label, states)
                if not isinstance(value, str):
                    # An error name or cause is text; a number or an object here
                    # would be journaled as data no replay can take for a failure.
                    raise unexpected_type_error(
                        _expression(expression), label, "string", value
                    )
        elif path_field in extra:
            label = "ErrorPath" if field == "error" else "CausePath"
            value = _path_value(extra[path_field], scope, label)
            if not isinstance(value, str):
                value = to_json_text(value)
        result.append(value)
    return capped(result[0], result[1])


def task_timeouts(
    runner: "StepRunner", frame: Frame, state: CompiledState, scope: LazyScope
) -> tuple[int | None, int | None]:
    """A Task's TimeoutSeconds and HeartbeatSeconds, resolved."""
    extra = state.extra
    out: list[int | None] = []
    for field, label in (
        ("timeout_seconds", "TimeoutSeconds"),
        ("heartbeat_seconds", "HeartbeatSeconds"),
    ):
        value: Any = None
        if field in extra:
            value = extra[field]
            if not _is_int(value):
                expression = extra[field]
                value = evaluate_jsonata(value, scope, label, {"input": frame.input})
                if not _is_int(value):
                    raise unexpected_type_error(
                        _expression(expression), label, "integer", value
                    )
        elif f"{field}_path" in extra:
            path: JsonPath = extra[f"{field}_path"]
            value = _path_value(path, scope, f"{label}Path")
            if not _is_int(value):
                raise pathvalues.not_integer(f"{label}Path", path.text, value)
        if value is not None and value <= 0:
            raise StatesError(
                names.RUNTIME,
                f"The {label} value must be a positive integer, but was {to_json_text(value)}",
            )
        out.append(value)
    spec = state.spec
    if out[0] is None and getattr(spec, "timeout_seconds", UNSET) is UNSET:
        out[0] = None
    return out[0], out[1]
