"""Fields ASL defines that Statum does not run are refused (UNSUPPORTED_FIELD),
located like every other problem, instead of being accepted and ignored."""

from typing import Any

import pytest

from statum.core.definition.problems import (
    SCHEMA_VALIDATION_FAILED,
    UNSUPPORTED_FIELD,
)
from tests.definition.helpers import PASS_END, at, one, problems

DISTRIBUTED = {"Mode": "DISTRIBUTED", "ExecutionType": "STANDARD"}


def mapped(**fields: Any) -> dict[str, Any]:
    processor = {
        "StartAt": "P",
        "States": {"P": PASS_END},
        "ProcessorConfig": DISTRIBUTED,
    }
    return one({"Type": "Map", "ItemProcessor": processor, "End": True, **fields})


def reading(config: dict[str, Any]) -> dict[str, Any]:
    return mapped(
        ItemReader={
            "Resource": "arn:aws:states:::s3:getObject",
            "Parameters": {"Bucket": "b", "Key": "k"},
            "ReaderConfig": config,
        }
    )


def codes(doc: dict[str, Any]) -> list[tuple[str, str]]:
    return [(p.location, p.code) for p in problems(doc)]


@pytest.mark.parametrize("kind", ["MANIFEST", "PARQUET"])
def test_manifest_and_parquet_readers_are_unsupported(kind: str) -> None:
    where = "/States/S/ItemReader/ReaderConfig/InputType"
    assert codes(reading({"InputType": kind})) == [(where, UNSUPPORTED_FIELD)]
    (problem,) = at(reading({"InputType": kind}), where)
    assert f"InputType {kind} is not supported by Statum" in problem.message


def test_manifest_type_is_unsupported() -> None:
    doc = reading({"InputType": "JSON", "ManifestType": "ATHENA_DATA"})
    assert codes(doc) == [
        ("/States/S/ItemReader/ReaderConfig/ManifestType", UNSUPPORTED_FIELD)
    ]


@pytest.mark.parametrize(
    "config",
    [
        {"InputType": "JSON"},
        {"InputType": "JSONL", "MaxItems": 10},
        {"InputType": "CSV", "CSVHeaderLocation": "FIRST_ROW", "CSVDelimiter": "TAB"},
        {"InputType": "CSV", "CSVHeaderLocation": "GIVEN", "CSVHeaders": ["a", "b"]},
        {"InputType": "JSON", "MaxItemsPath": "$.n"},
    ],
)
def test_what_statum_reads_is_accepted(config: dict[str, Any]) -> None:
    assert problems(reading(config)) == []


@pytest.mark.parametrize(
    ("config", "where", "message"),
    [
        (
            {"InputType": "CSV", "CSVHeaderLocation": "GIVEN"},
            "/States/S/ItemReader/ReaderConfig",
            "The field 'CSVHeaders' is required when CSVHeaderLocation is GIVEN",
        ),
        (
            {"InputType": "CSV", "CSVHeaderLocation": "GIVEN", "CSVHeaders": []},
            "/States/S/ItemReader/ReaderConfig/CSVHeaders",
            "CSVHeaders must name at least one column",
        ),
        (
            {"InputType": "CSV", "CSVHeaders": ["a"]},
            "/States/S/ItemReader/ReaderConfig/CSVHeaders",
            "CSVHeaders is only read when CSVHeaderLocation is GIVEN",
        ),
        (
            {
                "InputType": "CSV",
                "CSVHeaderLocation": "GIVEN",
                "CSVHeaders": ["a", "a"],
            },
            "/States/S/ItemReader/ReaderConfig/CSVHeaders",
            "CSV headers cannot contain duplicates.",
        ),
    ],
)
def test_csv_header_rules(config: dict[str, Any], where: str, message: str) -> None:
    (problem,) = problems(reading(config))
    assert (problem.location, problem.code) == (where, SCHEMA_VALIDATION_FAILED)
    assert message in problem.message


def test_credentials_are_unsupported() -> None:
    doc = one(
        {
            "Type": "Task",
            "Resource": "python:work",
            "Credentials": {"RoleArn": "arn:aws:iam::1:role/r"},
            "End": True,
        }
    )
    assert codes(doc) == [("/States/S/Credentials", UNSUPPORTED_FIELD)]


def test_start_execution_timeout_path_is_accepted_because_it_runs() -> None:
    doc = one(
        {
            "Type": "StartExecution",
            "StateMachine": one(PASS_END),
            "TimeoutSecondsPath": "$.t",
            "End": True,
        }
    )
    assert problems(doc) == []


def test_items_path_beside_an_item_reader_would_never_be_read() -> None:
    doc = mapped(
        ItemsPath="$.items",
        ItemReader={"Resource": "python:items", "ReaderConfig": {"InputType": "JSON"}},
    )
    (problem,) = problems(doc)
    assert problem.location == "/States/S/ItemsPath"
    assert "Only one of 'ItemReader', 'ItemsPath'" in problem.message
