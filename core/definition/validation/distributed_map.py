"""The Distributed Map's sub-objects: ItemBatcher, ItemReader and ResultWriter."""

from collections.abc import Mapping
from typing import Final

from statum.core.definition.problems import UNSUPPORTED_FIELD
from statum.core.definition.validation.context import JSONATA, Ctx, Lang, pointer
from statum.core.definition.validation.fields import (
    as_object,
    check_enum,
    check_exclusive,
    check_int,
    check_required,
    expect,
)
from statum.core.definition.validation.query_language import wrong_language
from statum.core.definition.validation.syntax import (
    check_jsonata_template,
    check_jsonpath_template,
    check_path,
)
from statum.core.language.json import Json

_S3_READ_ACTIONS: Final = frozenset({"getObject", "listObjectsV2"})
# AWS's ceiling for one batch's input: 256 KiB.
_MAX_BATCH_BYTES: Final = 262_144


def check_batcher(ctx: Ctx, loc: str, raw: Json, language: Lang) -> None:
    if (value := as_object(ctx, loc, raw)) is None:
        return
    sizes = ("MaxItemsPerBatch", "MaxInputBytesPerBatch")
    allowed = {*sizes, *(f"{s}Path" for s in sizes), "BatchInput"}
    for key in value:
        if key not in allowed:
            ctx.report(
                pointer(loc, key), f"Field '{key}' is not supported in ItemBatcher"
            )
    if not any(key in value for key in allowed - {"BatchInput"}):
        ctx.report(
            loc, "ItemBatcher needs 'MaxItemsPerBatch' or 'MaxInputBytesPerBatch'"
        )
    for name in sizes:
        check_exclusive(ctx, loc, value, name, f"{name}Path")
        maximum = _MAX_BATCH_BYTES if name == "MaxInputBytesPerBatch" else None
        if name in value:
            check_int(
                ctx, pointer(loc, name), value[name], 1, maximum, language=language
            )
        if f"{name}Path" in value:
            if language == JSONATA:
                wrong_language(ctx, loc, f"{name}Path", language)
            else:
                path = f"{name}Path"
                check_path(ctx, pointer(loc, path), path, value[path], single=True)
    if "BatchInput" in value:
        _check_template(ctx, pointer(loc, "BatchInput"), value["BatchInput"], language)


def _check_template(ctx: Ctx, loc: str, value: Json, language: Lang) -> None:
    if language == JSONATA:
        check_jsonata_template(ctx, loc, value)
    else:
        check_jsonpath_template(ctx, loc, value)


def _check_request(
    ctx: Ctx, loc: str, node: Mapping[str, Json], language: Lang
) -> None:
    """Parameters (JSONPath) or Arguments (JSONata) of an ItemReader or ResultWriter."""
    own, other = (
        ("Arguments", "Parameters")
        if language == JSONATA
        else ("Parameters", "Arguments")
    )
    if other in node:
        wrong_language(ctx, loc, other, language)
    if own in node:
        _check_template(ctx, pointer(loc, own), node[own], language)


def _check_s3_resource(
    ctx: Ctx, loc: str, node: Mapping[str, Json], actions: frozenset[str]
) -> None:
    at = pointer(loc, "Resource")
    resource = node["Resource"]
    if not expect(ctx, at, resource, "STRING") or not isinstance(resource, str):
        return
    prefix = "arn:aws:states:::s3:"
    if resource.startswith(prefix) and resource[len(prefix) :] not in actions:
        ctx.report(
            at,
            f"The resource '{resource}' is not supported here; use one of "
            f"{', '.join(prefix + a for a in sorted(actions))}",
        )


def check_reader(ctx: Ctx, loc: str, raw: Json, language: Lang) -> None:
    if (value := as_object(ctx, loc, raw)) is None:
        return
    for key in value:
        if key not in ("Resource", "ReaderConfig", "Parameters", "Arguments"):
            ctx.report(
                pointer(loc, key), f"Field '{key}' is not supported in ItemReader"
            )
    if check_required(ctx, loc, value, "Resource"):
        _check_s3_resource(ctx, loc, value, _S3_READ_ACTIONS)
    _check_request(ctx, loc, value, language)
    if "ReaderConfig" not in value:
        return
    at = pointer(loc, "ReaderConfig")
    if (config := as_object(ctx, at, value["ReaderConfig"])) is None:
        return
    enums = {
        "InputType": ("CSV", "JSON", "JSONL", "MANIFEST", "PARQUET"),
        "CSVHeaderLocation": ("FIRST_ROW", "GIVEN"),
        "CSVDelimiter": ("COMMA", "PIPE", "SEMICOLON", "SPACE", "TAB"),
    }
    for key, item in config.items():
        if key in enums:
            if check_enum(ctx, pointer(at, key), item, enums[key]) and item in (
                "MANIFEST",
                "PARQUET",
            ):
                ctx.report(
                    pointer(at, key),
                    f"InputType {item} is not supported by Statum; read CSV, JSON or "
                    "JSONL items",
                    UNSUPPORTED_FIELD,
                )
        elif key == "MaxItems":
            check_int(ctx, pointer(at, key), item, 0, language=language)
        elif key == "MaxItemsPath":
            if language == JSONATA:
                wrong_language(ctx, at, key, language)
            else:
                check_path(ctx, pointer(at, key), key, item, single=True)
        elif key == "CSVHeaders":
            if expect(ctx, pointer(at, key), item, "ARRAY") and isinstance(item, list):
                for index, header in enumerate(item):
                    expect(ctx, pointer(at, key, index), header, "STRING")
        elif key == "ManifestType":
            ctx.report(
                pointer(at, key),
                "ManifestType (S3 inventory and Athena manifests) is not supported by "
                "Statum; remove it",
                UNSUPPORTED_FIELD,
            )
        else:
            ctx.report(
                pointer(at, key), f"Field '{key}' is not supported in ReaderConfig"
            )
    check_exclusive(ctx, at, config, "MaxItems", "MaxItemsPath")
    _check_csv_headers(ctx, at, config)


def _check_csv_headers(ctx: Ctx, loc: str, config: Mapping[str, Json]) -> None:
    headers = config.get("CSVHeaders")
    given = config.get("CSVHeaderLocation") == "GIVEN"
    if given and "CSVHeaders" not in config:
        ctx.report(
            loc,
            "The field 'CSVHeaders' is required when CSVHeaderLocation is GIVEN; list "
            "the column names",
        )
    elif given and isinstance(headers, list) and not headers:
        ctx.report(
            pointer(loc, "CSVHeaders"), "CSVHeaders must name at least one column"
        )
    elif "CSVHeaders" in config and not given:
        ctx.report(
            pointer(loc, "CSVHeaders"),
            "CSVHeaders is only read when CSVHeaderLocation is GIVEN; set it, or "
            "remove CSVHeaders",
        )
    if isinstance(headers, list) and len(set(map(str, headers))) < len(headers):
        ctx.report(pointer(loc, "CSVHeaders"), "CSV headers cannot contain duplicates.")


def check_writer(ctx: Ctx, loc: str, raw: Json, language: Lang) -> None:
    if (value := as_object(ctx, loc, raw)) is None:
        return
    for key in value:
        if key not in ("Resource", "Parameters", "Arguments", "WriterConfig"):
            ctx.report(
                pointer(loc, key), f"Field '{key}' is not supported in ResultWriter"
            )
    if "Resource" not in value and "WriterConfig" not in value:
        ctx.report(
            loc,
            "ResultWriter needs a 'Resource' (with its request) or a 'WriterConfig'",
        )
    own = "Arguments" if language == JSONATA else "Parameters"
    if "Resource" in value:
        _check_s3_resource(ctx, loc, value, frozenset({"putObject"}))
        if own not in value:
            ctx.report(
                loc,
                f"The field '{own}' is required but was missing; it says where the "
                "results go",
            )
    _check_request(ctx, loc, value, language)
    at = pointer(loc, "WriterConfig")
    if "WriterConfig" in value and (
        config := as_object(ctx, at, value["WriterConfig"])
    ):
        check_required(ctx, at, config, "Transformation", "OutputType")
        for key, item in config.items():
            if key == "Transformation":
                check_enum(ctx, pointer(at, key), item, ("NONE", "COMPACT", "FLATTEN"))
            elif key == "OutputType":
                check_enum(ctx, pointer(at, key), item, ("JSON", "JSONL"))
            else:
                ctx.report(
                    pointer(at, key), f"Field '{key}' is not supported in WriterConfig"
                )
