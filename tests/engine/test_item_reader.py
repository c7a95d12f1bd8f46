"""ItemReader and ResultWriter on the Express runner, over handlers and local files.

Every run goes through tests.engine.helpers.Engine, which also checks that the
journal replays to the same state and that re-deciding reproduces its decisions.
"""

import json
from pathlib import Path
from typing import Any

import pytest

from statum.core.engine import (
    ExpressRunner,
    HandlerRegistry,
    VirtualClock,
    load_program,
)
from statum.core.engine.errors import UnknownResource
from statum.core.engine.files import (
    file_lister,
    file_reader,
    file_writer,
    register_file_backend,
)
from statum.core.engine.handlers import TaskFailure
from statum.core.interpreter import events as ev
from tests.engine.helpers import Engine, branch, machine

PASS = {"Type": "Pass", "End": True}
DISTRIBUTED = {"Mode": "DISTRIBUTED", "ExecutionType": "STANDARD"}


def mapping(reader: dict[str, Any] | None = None, **fields: Any) -> dict[str, Any]:
    processor = branch({"P": PASS}) | {"ProcessorConfig": DISTRIBUTED}
    state: dict[str, Any] = {"Type": "Map", "ItemProcessor": processor, "End": True}
    if reader is not None:
        state["ItemReader"] = reader
    return machine({"M": state | fields})


def reader(config: dict[str, Any] | None = None, **fields: Any) -> dict[str, Any]:
    node: dict[str, Any] = {"Resource": "items", **fields}
    if config is not None:
        node["ReaderConfig"] = config
    return node


def read(answer: Any, config: dict[str, Any] | None = None, payload: Any = None) -> Any:
    """The Map's output when the reader's handler answers `answer`."""
    result = Engine({"items": lambda _: answer}).run(
        mapping(reader(config)), payload or {}
    )
    assert result.status == "SUCCEEDED", (result.error, result.cause)
    return result.output


# --- reading -----------------------------------------------------------------


def test_the_reader_runs_as_a_task_before_the_map_starts() -> None:
    seen: list[Any] = []

    def items(parameters: Any) -> Any:
        seen.append(parameters)
        return [1, 2]

    definition = mapping(reader(Parameters={"Bucket": "b", "Key.$": "$.key"}))
    result = Engine({"items": items}).run(definition, {"key": "k.json"})
    assert result.output == [1, 2]
    assert seen == [{"Bucket": "b", "Key": "k.json"}]
    kinds = [type(e).__name__ for e in result.journal]
    scheduled = kinds.index("TaskScheduled")
    assert scheduled < kinds.index("TaskSucceeded") < kinds.index("MapStarted")
    first = result.journal[scheduled]
    assert isinstance(first, ev.TaskScheduled)
    assert first.resource == "items"
    assert first.task.endswith(".reader")


def test_the_map_input_need_not_be_an_array_with_a_reader() -> None:
    assert read("[1, 2, 3]", {"InputType": "JSON"}, {"not": "an array"}) == [1, 2, 3]


def test_json_text_and_max_items() -> None:
    assert read('[{"a": 1}, {"a": 2}, {"a": 3}]', {"InputType": "JSON"}) == [
        {"a": 1},
        {"a": 2},
        {"a": 3},
    ]
    assert read("[1, 2, 3]", {"InputType": "JSON", "MaxItems": 2}) == [1, 2]
    # 0 is AWS's "no limit".
    assert read("[1, 2, 3]", {"InputType": "JSON", "MaxItems": 0}) == [1, 2, 3]


def test_max_items_path_reads_the_state_input() -> None:
    config = {"InputType": "JSON", "MaxItemsPath": "$.limit"}
    assert read("[1, 2, 3]", config, {"limit": 1}) == [1]


def test_jsonl_one_value_a_line() -> None:
    text = '{"a": 1}\n\n"two"\n[3]\n'
    assert read(text, {"InputType": "JSONL"}) == [{"a": 1}, "two", [3]]
    assert read(text, {"InputType": "JSONL", "MaxItems": 1}) == [{"a": 1}]


def test_csv_first_row_values_are_all_strings() -> None:
    text = 'id,price,note\n1,2.5,"a, quoted\nvalue"\n2,3\n'
    assert read(text, {"InputType": "CSV", "CSVHeaderLocation": "FIRST_ROW"}) == [
        {"id": "1", "price": "2.5", "note": "a, quoted\nvalue"},
        # A short row leaves its last columns empty.
        {"id": "2", "price": "3", "note": ""},
    ]


def test_csv_given_headers_and_delimiters() -> None:
    config = {
        "InputType": "CSV",
        "CSVHeaderLocation": "GIVEN",
        "CSVHeaders": ["user", "rating"],
        "CSVDelimiter": "SEMICOLON",
    }
    assert read("1;3.5\n2;4\n3;5\n", config | {"MaxItems": 2}) == [
        {"user": "1", "rating": "3.5"},
        {"user": "2", "rating": "4"},
    ]
    tab = config | {"CSVDelimiter": "TAB"}
    assert read("a\tb\n", tab) == [{"user": "a", "rating": "b"}]


def test_a_getobject_like_answer_is_read_from_its_body() -> None:
    assert read({"Body": "x\n1\n"}, {"InputType": "CSV"}) == [{"x": "1"}]
    assert read({"Contents": [{"Key": "a"}]}) == [{"Key": "a"}]


@pytest.mark.parametrize(
    ("answer", "config", "cause"),
    [
        (
            '{"a": 1}',
            {"InputType": "JSON"},
            "Attempting to map over non-iterable node.",
        ),
        ("a,a\n1,2\n", {"InputType": "CSV"}, "CSV headers cannot contain duplicates."),
        ("[1", {"InputType": "JSON"}, "The JSON object could not be parsed"),
        ('{"a": 1}\nnot json\n', {"InputType": "JSONL"}, "Line 2 of the JSONL"),
        (42, {"InputType": "JSON"}, "The ItemReader's resource returned 42"),
    ],
)
def test_unreadable_items_fail_with_item_reader_failed(
    answer: Any, config: dict[str, Any], cause: str
) -> None:
    result = Engine({"items": lambda _: answer}).run(mapping(reader(config)), {})
    assert result.status == "FAILED"
    assert result.error == "States.ItemReaderFailed"
    assert result.cause is not None
    assert result.cause.startswith(cause)


def test_a_negative_max_items_path_fails_the_reader() -> None:
    config = {"InputType": "JSON", "MaxItemsPath": "$.n"}
    result = Engine({"items": lambda _: "[1]"}).run(mapping(reader(config)), {"n": -1})
    assert (result.error, result.cause) == (
        "States.ItemReaderFailed",
        "field MaxItems must be positive",
    )


def test_a_failing_reader_can_be_caught_as_item_reader_failed() -> None:
    def broken(_: Any) -> Any:
        raise ConnectionError("the store is down")

    definition = mapping(
        reader(),
        Catch=[{"ErrorEquals": ["States.ItemReaderFailed"], "Next": "Caught"}],
    )
    definition["States"]["Caught"] = PASS
    del definition["States"]["M"]["End"]
    definition["States"]["M"]["Next"] = "Caught"
    result = Engine({"items": broken}).run(definition, {})
    assert result.status == "SUCCEEDED"
    assert result.output == {
        "Error": "States.ItemReaderFailed",
        "Cause": "ConnectionError: the store is down",
    }


def test_an_s3_reader_nobody_serves_says_what_to_register() -> None:
    definition = mapping(
        reader(
            {"InputType": "CSV"},
            Resource="arn:aws:states:::s3:getObject",
            Parameters={"Bucket": "b", "Key": "k.csv"},
        )
    )
    # Refused before anything runs, like any resource no handler serves.
    with pytest.raises(UnknownResource) as refused:
        Engine().run(definition, {})
    assert "arn:aws:states:::s3:getObject" in str(refused.value)
    assert "Amazon S3 is not available in Statum" in str(refused.value)
    assert "register_file_backend" in str(refused.value)


def test_the_reader_retries_with_the_map_state() -> None:
    calls: list[int] = []

    def flaky(_: Any) -> Any:
        calls.append(1)
        if len(calls) == 1:
            raise TimeoutError("once")
        return [1]

    definition = mapping(
        reader(), Retry=[{"ErrorEquals": ["States.ALL"], "IntervalSeconds": 1}]
    )
    result = Engine({"items": flaky}).run(definition, {})
    assert result.output == [1]
    assert len(calls) == 2


def test_jsonata_arguments_and_max_items_expression() -> None:
    seen: list[Any] = []

    def items(parameters: Any) -> Any:
        seen.append(parameters)
        return [1, 2, 3]

    definition = mapping(
        reader(
            {"InputType": "JSON", "MaxItems": "{% $states.input.n %}"},
            Arguments={"Key": "{% $states.input.key %}"},
        )
    )
    definition["QueryLanguage"] = "JSONata"
    result = Engine({"items": items}).run(definition, {"n": 2, "key": "k"})
    assert result.output == [1, 2]
    assert seen == [{"Key": "k"}]


# --- writing -----------------------------------------------------------------


def test_writer_config_alone_keeps_the_results_in_the_output() -> None:
    flatten = {"WriterConfig": {"Transformation": "FLATTEN", "OutputType": "JSON"}}
    result = Engine().run(mapping(None, ResultWriter=flatten), [[1, 2], 3, [4]])
    assert result.output == [1, 2, 3, 4]
    compact = {"WriterConfig": {"Transformation": "COMPACT", "OutputType": "JSONL"}}
    result = Engine().run(mapping(None, ResultWriter=compact), [{"a": 1}, 2])
    assert result.output == '{"a":1}\n2\n'


def test_the_writer_gets_the_files_and_the_map_returns_aws_shape() -> None:
    seen: list[Any] = []

    def write(parameters: Any) -> Any:
        seen.append(parameters)
        return {"ignored": True}

    writer = {
        "Resource": "results",
        "Parameters": {"Bucket": "out", "Prefix": "jobs"},
        "WriterConfig": {"Transformation": "COMPACT", "OutputType": "JSONL"},
    }
    result = Engine({"results": write}).run(
        mapping(None, ResultWriter=writer), ["a", "b"]
    )
    assert result.status == "SUCCEEDED"
    run_arn = result.output["MapRunArn"]
    run_id = run_arn.rsplit(":", 1)[-1]
    assert ":mapRun:" in run_arn
    assert result.output["ResultWriterDetails"] == {
        "Bucket": "out",
        "Key": f"jobs/{run_id}/manifest.json",
    }
    (request,) = seen
    assert request["Bucket"] == "out"
    assert request["MapRunArn"] == run_arn
    results_file, manifest_file = request["Files"]
    assert results_file == {
        "Key": f"jobs/{run_id}/SUCCEEDED_0.jsonl",
        "Body": '"a"\n"b"\n',
    }
    manifest = json.loads(manifest_file["Body"])
    assert manifest["ResultFiles"]["SUCCEEDED"] == [
        {"Key": results_file["Key"], "Size": len(results_file["Body"])}
    ]
    assert manifest_file["Key"] == f"jobs/{run_id}/manifest.json"


def test_result_selector_applies_to_the_writer_details() -> None:
    writer = {"Resource": "results", "Parameters": {"Bucket": "out"}}
    definition = mapping(
        None,
        ResultWriter=writer,
        ResultSelector={"key.$": "$.ResultWriterDetails.Key"},
    )
    result = Engine({"results": lambda _: None}).run(definition, [1])
    assert result.output["key"].endswith("/manifest.json")


def test_a_failing_writer_fails_with_result_writer_failed() -> None:
    def broken(_: Any) -> Any:
        raise PermissionError("read-only")

    writer = {"Resource": "results", "Parameters": {"Bucket": "out"}}
    result = Engine({"results": broken}).run(mapping(None, ResultWriter=writer), [1])
    assert (result.error, result.cause) == (
        "States.ResultWriterFailed",
        "PermissionError: read-only",
    )


# --- local files ---------------------------------------------------------------


def file_engine(root: Path) -> Engine:
    return Engine({"file:read": file_reader(root), "file:write": file_writer(root)})


def test_csv_from_a_file_to_results_in_files(tmp_path: Path) -> None:
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "rows.csv").write_text("n,word\n1,one\n2,two\n")
    definition = mapping(
        reader(
            {"InputType": "CSV"},
            Resource="file:read",
            Parameters={"Path": "in/rows.csv"},
        ),
        ResultWriter={
            "Resource": "file:write",
            "Parameters": {"Prefix": "out"},
            "WriterConfig": {"Transformation": "COMPACT", "OutputType": "JSON"},
        },
    )
    result = file_engine(tmp_path).run(definition, {})
    assert result.status == "SUCCEEDED", result.cause
    manifest_key = result.output["ResultWriterDetails"]["Key"]
    manifest = json.loads((tmp_path / manifest_key).read_text())
    (written,) = manifest["ResultFiles"]["SUCCEEDED"]
    assert json.loads((tmp_path / written["Key"]).read_text()) == [
        {"n": "1", "word": "one"},
        {"n": "2", "word": "two"},
    ]


def test_bucket_and_key_name_a_folder_and_file_under_the_root(tmp_path: Path) -> None:
    (tmp_path / "bucket").mkdir()
    (tmp_path / "bucket" / "items.json").write_text("[1, 2]")
    read_file = file_reader(tmp_path)
    assert read_file({"Bucket": "bucket", "Key": "items.json"}) == "[1, 2]"


@pytest.mark.parametrize(
    "parameters",
    [
        {"Path": "../secret"},
        {"Path": "/etc/passwd"},
        {"Path": "a/../../secret"},
        {"Bucket": "..", "Key": "secret"},
        {"Path": "c:\\windows"},
        {},
    ],
)
def test_files_outside_the_root_are_refused(
    tmp_path: Path, parameters: dict[str, Any]
) -> None:
    root = tmp_path / "root"
    root.mkdir()
    (tmp_path / "secret").write_text("no")
    definition = mapping(
        reader({"InputType": "JSON"}, Resource="file:read", Parameters=parameters)
    )
    result = file_engine(root).run(definition, {})
    assert result.error == "States.ItemReaderFailed"
    assert result.cause is not None
    assert result.cause.startswith("Statum.FileAccessDenied")


def test_a_symlink_out_of_the_root_is_refused(tmp_path: Path) -> None:
    root = tmp_path / "root"
    root.mkdir()
    (tmp_path / "secret").write_text("[1]")
    (root / "link").symlink_to(tmp_path / "secret")
    definition = mapping(
        reader({"InputType": "JSON"}, Resource="file:read", Parameters={"Path": "link"})
    )
    result = file_engine(root).run(definition, {})
    assert result.cause is not None
    assert "leads out of the root" in result.cause


def test_a_missing_file_fails_the_reader(tmp_path: Path) -> None:
    definition = mapping(
        reader(
            {"InputType": "JSON"}, Resource="file:read", Parameters={"Path": "no.json"}
        )
    )
    result = file_engine(tmp_path).run(definition, {})
    assert result.error == "States.ItemReaderFailed"
    assert result.cause == "Statum.FileNotFound: No file 'no.json' under the root."


def test_the_writer_refuses_keys_outside_the_root(tmp_path: Path) -> None:
    write = file_writer(tmp_path / "root")
    with pytest.raises(TaskFailure, match=r"may not contain '\.\.'"):
        write({"Files": [{"Key": "../x", "Body": "1"}]})
    assert not (tmp_path / "x").exists()


def test_start_execution_timeout_seconds_path_is_enforced() -> None:
    child = machine({"W": {"Type": "Wait", "Seconds": 10, "End": True}})
    definition = machine(
        {
            "S": {
                "Type": "StartExecution",
                "StateMachine": child,
                "TimeoutSecondsPath": "$.t",
                "End": True,
            }
        }
    )
    assert Engine().run(definition, {"t": 1}).error == "States.Timeout"
    assert Engine().run(definition, {"t": 60}).status == "SUCCEEDED"


def test_an_aws_definition_runs_unchanged_on_local_files(tmp_path: Path) -> None:
    (tmp_path / "data" / "ratings").mkdir(parents=True)
    (tmp_path / "data" / "ratings" / "a.csv").write_text("x\n")
    (tmp_path / "data" / "ratings" / "b.csv").write_text("yy\n")
    (tmp_path / "data" / "other.txt").write_text("")
    engine = Engine(
        {
            "arn:aws:states:::s3:listObjectsV2": file_lister(tmp_path),
            "arn:aws:states:::s3:putObject": file_writer(tmp_path),
        }
    )
    definition = mapping(
        {
            "Resource": "arn:aws:states:::s3:listObjectsV2",
            "Parameters": {"Bucket": "data", "Prefix": "ratings/"},
        },
        ItemSelector={
            "key.$": "$$.Map.Item.Value.Key",
            "size.$": "$$.Map.Item.Value.Size",
        },
        ResultWriter={
            "Resource": "arn:aws:states:::s3:putObject",
            "Parameters": {"Bucket": "results", "Prefix": "run"},
        },
    )
    result = engine.run(definition, {})
    assert result.status == "SUCCEEDED", result.cause
    manifest = json.loads(
        (tmp_path / "results" / result.output["ResultWriterDetails"]["Key"]).read_text()
    )
    (written,) = manifest["ResultFiles"]["SUCCEEDED"]
    records = json.loads((tmp_path / "results" / written["Key"]).read_text())
    assert [json.loads(r["Output"]) for r in records] == [
        {"key": "ratings/a.csv", "size": 2},
        {"key": "ratings/b.csv", "size": 3},
    ]
    assert {r["Status"] for r in records} == {"SUCCEEDED"}


def test_register_file_backend_serves_file_and_optionally_s3_names(
    tmp_path: Path,
) -> None:
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "k.json").write_text("[7]")
    plain = HandlerRegistry()
    register_file_backend(plain, tmp_path)
    assert plain.resolve("file:read") is not None
    assert plain.resolve("arn:aws:states:::s3:getObject") is None
    s3 = HandlerRegistry()
    register_file_backend(s3, tmp_path, as_s3=True)
    definition = mapping(
        reader(
            {"InputType": "JSON"},
            Resource="arn:aws:states:::s3:getObject",
            Parameters={"Bucket": "b", "Key": "k.json"},
        )
    )
    runner = ExpressRunner(handlers=s3, clock=VirtualClock())
    assert runner.run(load_program(definition), {}).output == [7]


def test_read_items_are_batched_and_selected_like_any_items() -> None:
    definition = mapping(
        reader({"InputType": "JSONL"}),
        ItemBatcher={"MaxItemsPerBatch": 2, "BatchInput": {"run": "r"}},
    )
    result = Engine({"items": lambda _: "1\n2\n3\n"}).run(definition, {})
    assert result.output == [
        {"BatchInput": {"run": "r"}, "Items": [1, 2]},
        {"BatchInput": {"run": "r"}, "Items": [3]},
    ]
