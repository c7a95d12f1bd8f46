"""Where Statum knowingly differs from the AWS-recorded conformance corpus.

The list is package data (`known_differences.json`), so `statum test` judges a
corpus case by the same list the conformance tests hold the engine to: a listed
difference is reported as known, with its reason, and does not fail the run.
"""

import json
from dataclasses import dataclass
from importlib import resources
from typing import Any, Literal, cast

Difference = Literal["skip", "history", "output", "engine"]
DIFFERENCES: tuple[Difference, ...] = ("skip", "history", "output", "engine")

_FILE = "known_differences.json"


@dataclass(frozen=True, slots=True)
class Known:
    """One case's known difference."""

    category: str
    difference: Difference
    reason: str


def known_differences() -> dict[str, Known]:
    """Case id -> its known difference."""
    text = resources.files(__package__ or "statum.adapters.cli").joinpath(_FILE)
    doc: dict[str, Any] = json.loads(text.read_text(encoding="utf-8"))
    known: dict[str, Known] = {}
    for case_id, entry in doc["cases"].items():
        difference = entry["difference"]
        if difference not in DIFFERENCES or not entry.get("reason"):
            # The file ships with the package: a bad entry is Statum's bug.
            raise ValueError(f"{_FILE}: {case_id}: bad entry {json.dumps(entry)}")
        known[case_id] = Known(
            category=str(entry["category"]),
            difference=cast(Difference, difference),
            reason=str(entry["reason"]),
        )
    return known


def of_kind(difference: Difference, category: str | None = None) -> dict[str, str]:
    """Case id -> reason, for one kind of difference (and one corpus category)."""
    return {
        case_id: known.reason
        for case_id, known in known_differences().items()
        if known.difference == difference
        and (category is None or known.category == category)
    }
