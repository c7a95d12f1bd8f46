"""Loading the shared conformance cases the definition tests are measured against."""

import json
import os
from pathlib import Path
from typing import Any

SHARED = Path(
    os.environ.get("STATUM_SHARED", Path(__file__).resolve().parents[3] / "shared")
)
CONFORMANCE = SHARED / "conformance"
VALIDATION = CONFORMANCE / "validation"
EXECUTION_CATEGORIES = ("pure", "lambda", "sfn_nested")

# What a recorder's opaque placeholder stands for, by the kind the case gives it.
PLACEHOLDER_VALUES = {
    "resource": "arn:aws:states:us-east-1:111111111111:activity:corpus-activity",
}


def validation_cases(folder: str) -> list[dict[str, Any]]:
    """The cases of one validation folder, sorted by id (empty without the corpus)."""
    directory = VALIDATION / folder
    if not directory.is_dir():
        return []
    cases = [json.loads(p.read_text()) for p in sorted(directory.glob("*.json"))]
    return sorted(cases, key=lambda case: case["id"])


def execution_definitions() -> list[tuple[str, Any]]:
    """(case id, definition) of every execution recorded against real AWS."""
    out = []
    for category in EXECUTION_CATEGORIES:
        directory = CONFORMANCE / "localstack" / category
        if not directory.is_dir():
            continue
        for path in sorted(directory.glob("*.json")):
            case = json.loads(path.read_text())
            if "definition" in case:
                out.append((case["id"], case["definition"]))
    return out


def resolve_placeholders(case: dict[str, Any]) -> Any:
    """The case's definition with its `unresolved` placeholders substituted."""
    replacements = {
        key: PLACEHOLDER_VALUES[spec["kind"]]
        for key, spec in case.get("unresolved", {}).items()
        if spec.get("kind") in PLACEHOLDER_VALUES
    }

    def walk(node: Any) -> Any:
        if isinstance(node, str):
            return replacements.get(node, node)
        if isinstance(node, list):
            return [walk(item) for item in node]
        if isinstance(node, dict):
            return {key: walk(value) for key, value in node.items()}
        return node

    return walk(case.get("definition"))
