"""The AWS-recorded conformance corpus: which cases to run, and the skip list."""

import json
import os
from pathlib import Path
from typing import Any

SHARED = Path(
    os.environ.get("STATUM_SHARED", Path(__file__).resolve().parents[3] / "shared")
)
CORPUS = SHARED / "conformance" / "localstack"
SKIP_FILE = Path(__file__).with_name("skip.json")
HISTORY_KNOWN_FILE = Path(__file__).with_name("history_known.json")


def load_cases(category: str = "pure") -> list[dict[str, Any]]:
    """Every case of a category, sorted by id; empty when the corpus is absent."""
    folder = CORPUS / category
    if not folder.is_dir():
        return []
    cases = [json.loads(p.read_text()) for p in sorted(folder.glob("*.json"))]
    return sorted(cases, key=lambda c: c["id"])


def skip_list() -> dict[str, str]:
    """Case id -> the reason it is skipped (every entry must give one)."""
    if not SKIP_FILE.exists():
        return {}
    data: dict[str, str] = json.loads(SKIP_FILE.read_text())
    return data


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
    data: dict[str, str] = json.loads(HISTORY_KNOWN_FILE.read_text())
    return data
