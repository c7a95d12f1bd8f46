"""Map states, inline and distributed."""

from typing import Any

import pytest

from tests.definition.helpers import PASS_END, at, one, only, problems

PROCESSOR = {"StartAt": "P", "States": {"P": PASS_END}}
DISTRIBUTED = {
    "ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "STANDARD"},
    **PROCESSOR,
}


def map_state(processor: dict[str, Any] = PROCESSOR, **fields: Any) -> dict[str, Any]:
    return one({"Type": "Map", "ItemProcessor": processor, "End": True, **fields})


def test_a_valid_map_in_both_spellings() -> None:
    assert problems(map_state(ItemsPath="$.items", MaxConcurrency=0)) == []
    legacy = one({"Type": "Map", "Iterator": PROCESSOR, "End": True, "Parameters": {}})
    assert problems(legacy) == []


def test_a_map_needs_exactly_one_processor() -> None:
    assert only(one({"Type": "Map", "End": True})).message == (
        "The field 'ItemProcessor' is required but was missing"
    )
    both = only(map_state(Iterator=PROCESSOR))
    assert both.location == "/States/S/Iterator"


def test_the_processor_is_its_own_scope_and_takes_no_query_language() -> None:
    processor = {
        "QueryLanguage": "JSONata",
        "StartAt": "P",
        "States": {"P": {"Type": "Pass"}},
    }
    found = problems(map_state(processor))
    assert {p.location for p in found} == {
        "/States/S/ItemProcessor/QueryLanguage",
        "/States/S/ItemProcessor/States/P",
    }


def test_processor_config() -> None:
    assert only(
        map_state({"ProcessorConfig": {"Mode": "LOCAL"}, **PROCESSOR})
    ).location == ("/States/S/ItemProcessor/ProcessorConfig/Mode")
    no_type = only(map_state({"ProcessorConfig": {"Mode": "DISTRIBUTED"}, **PROCESSOR}))
    assert no_type.message.startswith("The field 'ExecutionType' is required")
    assert problems(map_state(DISTRIBUTED, Label="batch-1")) == []


@pytest.mark.parametrize(
    ("fields", "location", "message"),
    [
        ({"MaxConcurrency": -1}, "/States/S/MaxConcurrency", "Minimum value is 0"),
        (
            {"MaxConcurrency": 1, "MaxConcurrencyPath": "$.n"},
            "/States/S/MaxConcurrencyPath",
            "Only one of 'MaxConcurrency', 'MaxConcurrencyPath' may be given",
        ),
        (
            {"MaxConcurrencyPath": "$.limits[*]"},
            "/States/S/MaxConcurrencyPath",
            "The value for the field 'MaxConcurrencyPath' must be a valid JSONPath",
        ),
        (
            {"ToleratedFailurePercentage": 105},
            "/States/S/ToleratedFailurePercentage",
            "Maximum value is 100",
        ),
        (
            {"ToleratedFailureCount": 0, "ToleratedFailureCountPath": "$.n"},
            "/States/S/ToleratedFailureCountPath",
            "Only one of",
        ),
        (
            {"ItemsPath": None},
            "/States/S/ItemsPath",
            "The value for the field 'ItemsPath'",
        ),
        (
            {"ItemSelector": {}, "Parameters": {}},
            "/States/S/Parameters",
            "Only one of 'ItemSelector', 'Parameters'",
        ),
        (
            {"Items": [1]},
            "/States/S/Items",
            "The QueryLanguage is set to 'JSONPath', but field 'Items'",
        ),
    ],
)
def test_map_fields(fields: dict[str, Any], location: str, message: str) -> None:
    problem = only(map_state(**fields))
    assert problem.location == location
    assert problem.message.startswith(message)


@pytest.mark.parametrize(
    "label", ["", "x" * 41, "label with space", "a:b", "a\x00", "a\x85"]
)
def test_labels(label: str) -> None:
    assert only(map_state(DISTRIBUTED, Label=label)).location == "/States/S/Label"


def test_distributed_features_refused_on_an_explicit_inline_map() -> None:
    inline = {"ProcessorConfig": {"Mode": "INLINE"}, **PROCESSOR}
    problem = only(map_state(inline, ToleratedFailureCount=1))
    assert problem.message.startswith(
        "Field 'ToleratedFailureCount' is only supported by a Map state in "
        "DISTRIBUTED mode"
    )


def test_distributed_features_accepted_when_no_mode_is_given() -> None:
    # AWS accepts these without a ProcessorConfig; only an explicit INLINE is refused.
    reader = {
        "Resource": "arn:aws:states:::s3:getObject",
        "ReaderConfig": {"InputType": "JSON"},
        "Parameters": {"Bucket": "b", "Key": "k"},
    }
    assert problems(map_state(ItemReader=reader, ToleratedFailureCount=1)) == []


def test_item_reader() -> None:
    reader = {"Resource": "arn:aws:states:::s3:unknownOperation", "Parameters": {}}
    assert only(map_state(DISTRIBUTED, ItemReader=reader)).location == (
        "/States/S/ItemReader/Resource"
    )
    bad_type = {
        "Resource": "arn:aws:states:::s3:getObject",
        "ReaderConfig": {"InputType": "XML", "MaxItems": 1, "MaxItemsPath": "$.n"},
    }
    found = problems(map_state(DISTRIBUTED, ItemReader=bad_type))
    assert {p.location for p in found} == {
        "/States/S/ItemReader/ReaderConfig/InputType",
        "/States/S/ItemReader/ReaderConfig/MaxItemsPath",
    }
    assert only(map_state(DISTRIBUTED, ItemReader={})).message == (
        "The field 'Resource' is required but was missing"
    )


def test_item_batcher() -> None:
    ok = {
        "MaxItemsPerBatch": 2,
        "MaxInputBytesPerBatch": 1024,
        "BatchInput": {"k.$": "$"},
    }
    assert problems(map_state(DISTRIBUTED, ItemBatcher=ok)) == []
    assert (
        only(map_state(DISTRIBUTED, ItemBatcher={})).location == "/States/S/ItemBatcher"
    )
    both = {"MaxItemsPerBatch": 2, "MaxItemsPerBatchPath": "$.n"}
    assert only(map_state(DISTRIBUTED, ItemBatcher=both)).location == (
        "/States/S/ItemBatcher/MaxItemsPerBatchPath"
    )
    too_big = {"MaxInputBytesPerBatch": 262_145}
    assert only(map_state(DISTRIBUTED, ItemBatcher=too_big)).message == (
        "Maximum value is 262144"
    )


def test_result_writer() -> None:
    ok = {
        "Resource": "arn:aws:states:::s3:putObject",
        "Parameters": {"Bucket": "b", "Prefix": "p"},
        "WriterConfig": {"Transformation": "FLATTEN", "OutputType": "JSONL"},
    }
    assert problems(map_state(DISTRIBUTED, ResultWriter=ok)) == []
    assert (
        only(map_state(DISTRIBUTED, ResultWriter={})).location
        == "/States/S/ResultWriter"
    )
    partial = {"WriterConfig": {"Transformation": "COMPACT"}}
    assert only(map_state(DISTRIBUTED, ResultWriter=partial)).message == (
        "The field 'OutputType' is required but was missing"
    )
    no_request = {"Resource": "arn:aws:states:::s3:putObject"}
    assert at(map_state(DISTRIBUTED, ResultWriter=no_request), "/States/S/ResultWriter")


def test_jsonata_map_fields() -> None:
    doc = map_state(
        Items="{% $states.input.items %}",
        ItemSelector={"v": "{% $states.context.Map.Item.Value %}"},
        MaxConcurrency="{% 2 %}",
        ToleratedFailurePercentage="{% 10 %}",
    ) | {"QueryLanguage": "JSONata"}
    assert problems(doc) == []
    bad = map_state(Items="items", ItemsPath="$.x") | {"QueryLanguage": "JSONata"}
    assert {p.location for p in problems(bad)} == {
        "/States/S/Items",
        "/States/S/ItemsPath",
    }
