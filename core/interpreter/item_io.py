"""A Map state's ItemReader and ResultWriter: two ordinary tasks around the map run.

With an ItemReader, the Map state first schedules the reader's Resource as a task
(its key ends in `.reader`) and parses what the handler returns per `ReaderConfig`
before MapStarted; with a ResultWriter that has a Resource, it schedules the writer
(`.writer`) after MapEnded, and the Map's result becomes AWS's
`{"MapRunArn", "ResultWriterDetails": {"Bucket", "Key"}}`. Both are recorded as
TaskScheduled/TaskSucceeded like any task, so replay is exact and any backend the
host registers can serve them.

What the reader's handler may return: a JSON array (the items), a string (the
object's text, parsed per InputType: JSON, JSONL or CSV), or an object carrying
that text as `Body` (an S3 GetObject-like answer) or the items as `Contents` (a
ListObjectsV2-like answer).

What the writer's handler receives: the evaluated Parameters/Arguments, plus
`MapRunArn`, `ManifestKey` and `Files`, the list of `{"Key", "Body"}` text files
AWS would write (the results file, then manifest.json); it writes them.
"""

import csv
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any, Final

import msgspec
from msgspec import UNSET

from statum.core.interpreter import events as ev
from statum.core.interpreter.dataflow import LazyScope, evaluate_jsonata, select_path
from statum.core.interpreter.state import Frame
from statum.core.language import errors as names
from statum.core.language.entropy import Entropy
from statum.core.language.errors import StatesError
from statum.core.language.jsonata_templates import compile_jsonata_value
from statum.core.language.jsontext import to_json_text
from statum.core.language.paths import PathNotFound, compile_path
from statum.core.language.templates import compile_template

if TYPE_CHECKING:
    from statum.core.interpreter.program import CompiledState
    from statum.core.interpreter.steps import StepRunner

READER_SUFFIX: Final = ".reader"
WRITER_SUFFIX: Final = ".writer"

# Frame.stage: which of the Map state's own tasks the frame last scheduled.
NO_STAGE: Final = 0
READING: Final = 1
WRITING: Final = 2

# AWS: MaxItems 0 means no limit; a limit is at most 100,000,000 items.
MAX_ITEMS: Final = 100_000_000
# AWS: "Step Functions supports CSV headers of up to 10 KiB."
MAX_CSV_HEADER_BYTES: Final = 10 * 1024
_DELIMITERS: Final = {
    "COMMA": ",",
    "PIPE": "|",
    "SEMICOLON": ";",
    "SPACE": " ",
    "TAB": "\t",
}
_S3_PREFIXES: Final = ("arn:aws:states:::s3:", "arn:aws-cn:states:::s3:")


def stage_of(task: str) -> int:
    """The stage a Map frame enters when it schedules the task keyed `task`."""
    if task.endswith(READER_SUFFIX):
        return READING
    if task.endswith(WRITER_SUFFIX):
        return WRITING
    return NO_STAGE


def failure(
    stage: int, resource: str, error: str, cause: str | None
) -> tuple[str, str]:
    """The Map state's error when its reader or writer task failed.

    AWS names the step, not the backend (States.ItemReaderFailed or
    States.ResultWriterFailed); the backend's own error stays in the cause.
    """
    name = names.ITEM_READER_FAILED if stage == READING else names.RESULT_WRITER_FAILED
    text = f"{error}: {cause}" if cause else error
    if resource.startswith(_S3_PREFIXES) and "handler" in (cause or "").lower():
        factory = "file_reader" if stage == READING else "file_writer"
        text += (
            f" Amazon S3 is not available in Statum: register a handler for "
            f"'{resource}' (for a local folder, statum.core.engine.files.{factory}"
            "(root), or register_file_backend(registry, root, as_s3=True)), or name "
            "a 'file:read' / 'file:write' resource the host registered."
        )
    return name, text


# --- reading -------------------------------------------------------------------


def reads_items(state: "CompiledState") -> bool:
    return state.spec.item_reader is not UNSET


def _schedule(
    runner: "StepRunner",
    frame: Frame,
    state: "CompiledState",
    suffix: str,
    resource: str,
    parameters: Any,
) -> None:
    """The reader's or the writer's task: an ordinary task, told apart by `suffix`."""
    runner.emit(
        ev.TaskScheduled(
            at_ms=runner.work.now_ms,
            frame=frame.id,
            task=f"{frame.id}.{runner.work.work_serial}{suffix}",
            state=state.name,
            attempt=frame.attempts,
            resource=resource,
            parameters=parameters,
        )
    )


def schedule_reader(runner: "StepRunner", frame: Frame, state: "CompiledState") -> None:
    reader = state.spec.item_reader
    scope = runner.scope(frame, frame.input)
    parameters = _request(runner, frame, state, scope, reader, "ItemReader")
    _schedule(runner, frame, state, READER_SUFFIX, str(reader["Resource"]), parameters)


def read_items(
    runner: "StepRunner", frame: Frame, state: "CompiledState", raw: Any
) -> list[Any]:
    """The items in the reader's answer `raw`; StatesError(ItemReaderFailed) if
    they cannot be read."""
    config = state.spec.item_reader.get("ReaderConfig") or {}
    limit = _max_items(runner, frame, state, config)
    if isinstance(raw, dict):
        if isinstance(raw.get("Contents"), list):
            raw = raw["Contents"]
        elif isinstance(raw.get("Body"), str):
            raw = raw["Body"]
    if isinstance(raw, list):
        return raw[:limit]
    if not isinstance(raw, str):
        raise _reader_failed(
            "The ItemReader's resource returned "
            f"{to_json_text(raw)[:200]}; expected a JSON array of items or the "
            "object's text."
        )
    kind = config.get("InputType", "JSON")
    if kind == "CSV":
        return _csv_items(raw, config, limit)
    if kind == "JSONL":
        return _jsonl_items(raw, limit)
    try:
        items = msgspec.json.decode(raw)
    except msgspec.DecodeError as exc:
        raise _reader_failed(f"The JSON object could not be parsed: {exc}") from None
    if not isinstance(items, list):
        raise _reader_failed("Attempting to map over non-iterable node.")
    return items[:limit]


def _reader_failed(cause: str) -> StatesError:
    return StatesError(names.ITEM_READER_FAILED, cause)


def _max_items(
    runner: "StepRunner", frame: Frame, state: "CompiledState", config: dict[str, Any]
) -> int:
    value: Any = config.get("MaxItems")
    if isinstance(value, str) and state.jsonata:
        scope = runner.scope(frame, frame.input)
        value = evaluate_jsonata(
            compile_jsonata_value(value),
            scope,
            "ItemReader/ReaderConfig/MaxItems",
            {"input": frame.input},
        )
    path = config.get("MaxItemsPath")
    if isinstance(path, str):
        scope = runner.scope(frame, frame.input)
        scope.input = select_path(state.input_path, frame.input, scope)
        try:
            value = compile_path(path).evaluate(scope)
        except PathNotFound:
            raise StatesError(
                names.RUNTIME,
                f"The MaxItemsPath field refers to a path that does not exist: {path}",
            ) from None
        if not isinstance(value, int) or isinstance(value, bool):
            shown = value if isinstance(value, str) else to_json_text(value)
            raise _reader_failed(
                f"The MaxItemsPath field refers to value '{shown}' which is not a "
                f"valid integer: {path}"
            )
    if value is None:
        return MAX_ITEMS
    if not isinstance(value, int) or isinstance(value, bool) or value < 0:
        raise _reader_failed("field MaxItems must be positive")
    return MAX_ITEMS if value == 0 else min(value, MAX_ITEMS)


def _lines(text: str) -> Iterator[str]:
    """The text's lines with their ends: csv reads quoted newlines across them.

    Only \\n ends a line here; str.splitlines would also split inside a field at
    \\x0b, \\x1c, \\u2028 and the like.
    """
    start = 0
    while start < len(text):
        end = text.find("\n", start)
        if end < 0:
            yield text[start:]
            return
        yield text[start : end + 1]
        start = end + 1


def _csv_items(text: str, config: dict[str, Any], limit: int) -> list[Any]:
    delimiter = _DELIMITERS.get(str(config.get("CSVDelimiter", "COMMA")), ",")
    try:
        rows = csv.reader(_lines(text), delimiter=delimiter, strict=True)
        if config.get("CSVHeaderLocation", "FIRST_ROW") == "GIVEN":
            headers = [str(h) for h in config.get("CSVHeaders") or []]
        else:
            first = next(rows, None)
            if first is None:
                return []
            headers = first
            if len(delimiter.join(headers).encode()) > MAX_CSV_HEADER_BYTES:
                raise _reader_failed(
                    "The CSV header row is longer than the 10 KiB Step Functions "
                    "supports."
                )
        if len(set(headers)) < len(headers):
            raise _reader_failed("CSV headers cannot contain duplicates.")
        items: list[Any] = []
        width = len(headers)
        for row in rows:
            if len(items) >= limit:
                break
            if not row:
                continue  # a blank line is no item
            # AWS reads every value as a string; a short row leaves its last
            # columns empty, a long row's extra fields have no column to go to.
            padded = row[:width] + [""] * (width - len(row))
            items.append(dict(zip(headers, padded, strict=True)))
        return items
    except csv.Error as exc:
        raise _reader_failed(f"The CSV object could not be parsed: {exc}") from None


def _jsonl_items(text: str, limit: int) -> list[Any]:
    items: list[Any] = []
    for number, line in enumerate(_lines(text), start=1):
        if len(items) >= limit:
            break
        if not line.strip():
            continue
        try:
            items.append(msgspec.json.decode(line))
        except msgspec.DecodeError as exc:
            raise _reader_failed(
                f"Line {number} of the JSONL object is not JSON: {exc}"
            ) from None
    return items


# --- writing -------------------------------------------------------------------


def writes_results(state: "CompiledState") -> bool:
    return state.spec.result_writer is not UNSET


def _writer_config(state: "CompiledState") -> tuple[str, str]:
    writer = state.spec.result_writer
    config = writer.get("WriterConfig") or {}
    # AWS: NONE is the default when exporting, COMPACT when the results stay in
    # the state output.
    default = "NONE" if "Resource" in writer else "COMPACT"
    return (
        str(config.get("Transformation", default)),
        str(config.get("OutputType", "JSON")),
    )


def transform(results: list[Any], transformation: str) -> list[Any]:
    if transformation == "COMPACT":
        return results
    if transformation == "FLATTEN":
        flat: list[Any] = []
        for result in results:
            if isinstance(result, list):
                flat.extend(result)
            else:
                flat.append(result)
        return flat
    # NONE: each result with the metadata the core knows of its child workflow.
    return [
        {
            "Output": to_json_text(result),
            "OutputDetails": {"Included": True},
            "Status": "SUCCEEDED",
        }
        for result in results
    ]


def _format(results: list[Any], output_type: str) -> str:
    if output_type == "JSONL":
        return "".join(to_json_text(r) + "\n" for r in results)
    return to_json_text(results)


def in_state_output(state: "CompiledState", results: list[Any]) -> Any:
    """A ResultWriter with only a WriterConfig: the results, transformed and
    formatted, stay in the state output."""
    transformation, output_type = _writer_config(state)
    transformed = transform(results, transformation)
    if output_type == "JSONL":
        return _format(transformed, output_type)
    return transformed


def _run_id(runner: "StepRunner", frame: Frame) -> str:
    if frame.map_run:
        return frame.map_run.rsplit(":", 1)[-1]
    # An inline Map has no map run; derive one id from where the state ran.
    seed = f"{runner.work.execution_id}:{frame.id}:{frame.entered_id}:{frame.attempts}"
    return Entropy(f"{seed}:resultwriter").uuid4()


def _locations(
    runner: "StepRunner", frame: Frame, parameters: Any
) -> tuple[str, str, str]:
    """(bucket, folder, manifest key) where AWS would put this run's results."""
    request = parameters if isinstance(parameters, dict) else {}
    bucket = request.get("Bucket")
    prefix = request.get("Prefix")
    run = _run_id(runner, frame)
    folder = (
        f"{prefix.rstrip('/')}/{run}" if isinstance(prefix, str) and prefix else run
    )
    return (
        bucket if isinstance(bucket, str) else "",
        folder,
        f"{folder}/manifest.json",
    )


def schedule_writer(
    runner: "StepRunner", frame: Frame, state: "CompiledState", results: list[Any]
) -> None:
    writer = state.spec.result_writer
    scope = runner.scope(frame, frame.input)
    parameters = _request(runner, frame, state, scope, writer, "ResultWriter")
    bucket, folder, manifest_key = _locations(runner, frame, parameters)
    transformation, output_type = _writer_config(state)
    suffix = "jsonl" if output_type == "JSONL" else "json"
    body = _format(transform(results, transformation), output_type)
    results_key = f"{folder}/SUCCEEDED_0.{suffix}"
    manifest: dict[str, Any] = {
        "DestinationBucket": bucket,
        "MapRunArn": frame.map_run,
        "ResultFiles": {
            "FAILED": [],
            "PENDING": [],
            "SUCCEEDED": [{"Key": results_key, "Size": len(body.encode())}],
        },
    }
    request = dict(parameters) if isinstance(parameters, dict) else {}
    request.update(
        MapRunArn=frame.map_run,
        ManifestKey=manifest_key,
        Files=[
            {"Key": results_key, "Body": body},
            {"Key": manifest_key, "Body": to_json_text(manifest)},
        ],
    )
    _schedule(runner, frame, state, WRITER_SUFFIX, str(writer["Resource"]), request)


def written_output(runner: "StepRunner", frame: Frame, state: "CompiledState") -> Any:
    """The Map state's result once the writer wrote the results (AWS's shape)."""
    writer = state.spec.result_writer
    scope = runner.scope(frame, frame.input)
    parameters = _request(runner, frame, state, scope, writer, "ResultWriter")
    bucket, _, manifest_key = _locations(runner, frame, parameters)
    return {
        "MapRunArn": frame.map_run,
        "ResultWriterDetails": {"Bucket": bucket, "Key": manifest_key},
    }


def _request(
    runner: "StepRunner",
    frame: Frame,
    state: "CompiledState",
    scope: LazyScope,
    node: dict[str, Any],
    label: str,
) -> Any:
    """The reader's or writer's Parameters (JSONPath, on the state's effective
    input) or Arguments (JSONata)."""
    if state.jsonata:
        arguments = node.get("Arguments")
        if arguments is None:
            return {}
        return evaluate_jsonata(
            compile_jsonata_value(arguments),
            scope,
            f"{label}/Arguments",
            {"input": frame.input},
        )
    parameters = node.get("Parameters")
    if parameters is None:
        return {}
    scope.input = select_path(state.input_path, frame.input, scope)
    return compile_template(parameters).evaluate(scope, f"{label}/Parameters")
