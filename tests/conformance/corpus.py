"""The AWS-recorded conformance corpus: which cases to run, and the known differences
(package data that `statum test` reads too: statum/adapters/cli/known_differences.json)."""

import json
import os
from pathlib import Path
from typing import Any

from statum.adapters.cli.known import of_kind

SHARED = Path(
    os.environ.get("STATUM_SHARED", Path(__file__).resolve().parents[3] / "shared")
)
CORPUS = SHARED / "conformance" / "localstack"


def load_cases(category: str = "pure") -> list[dict[str, Any]]:
    """Every case of a category, sorted by id; empty when the corpus is absent."""
    folder = CORPUS / category
    if not folder.is_dir():
        return []
    cases = [json.loads(p.read_text()) for p in sorted(folder.glob("*.json"))]
    return sorted(cases, key=lambda c: c["id"])


def skip_list() -> dict[str, str]:
    """Case id -> the reason it is skipped (every entry must give one)."""
    return of_kind("skip")


def is_jsonata(case: dict[str, Any]) -> bool:
    tags = case.get("tags", [])
    return (
        "JSONata" in tags
        or "QueryLanguage:JSONata" in tags
        or "Assign" in tags
        or "Variables" in tags
    )


def history_known() -> dict[str, str]:
    """Case id -> why its recorded history cannot match today's AWS (and Statum)."""
    return of_kind("history", "pure")
