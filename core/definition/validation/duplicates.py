"""Duplicate keys in a definition's JSON text.

A JSON decoder keeps the last of two equal keys, so a state or field written twice
would silently disappear; AWS refuses such definitions (a duplicated state name is
DUPLICATE_STATE_NAME). This reads the text once more, only to find them.
"""

import json
from typing import Any

from statum.core.definition.problems import (
    DUPLICATE_STATE_NAME,
    SCHEMA_VALIDATION_FAILED,
    Problem,
)


class _Object(dict[str, Any]):
    """A decoded object that remembers the keys it saw more than once."""

    repeated: list[str]


def _pairs(pairs: list[tuple[str, Any]]) -> _Object:
    obj = _Object()
    obj.repeated = []
    for key, value in pairs:
        if key in obj and key not in obj.repeated:
            obj.repeated.append(key)
        obj[key] = value
    return obj


def _escape(key: str) -> str:
    return key.replace("~", "~0").replace("/", "~1")


def duplicate_key_problems(text: str | bytes) -> list[Problem]:
    """One problem per key that appears twice in the same object; [] for bad JSON."""
    try:
        doc = json.loads(text, object_pairs_hook=_pairs)
    except (ValueError, RecursionError):
        return []  # reported as bad JSON elsewhere
    problems: list[Problem] = []
    stack: list[tuple[str, Any]] = [("", doc)]
    while stack:
        pointer, node = stack.pop()
        if isinstance(node, _Object):
            problems.extend(_problem(pointer, key) for key in node.repeated)
            stack.extend((f"{pointer}/{_escape(k)}", v) for k, v in node.items())
        elif isinstance(node, list):
            stack.extend((f"{pointer}/{i}", v) for i, v in enumerate(node))
    return sorted(problems, key=lambda p: p.location)


def _problem(pointer: str, key: str) -> Problem:
    if pointer.endswith("/States"):
        return Problem(
            location=f"{pointer}/{_escape(key)}",
            message=f"Duplicate State name: {key}; give each state a name of its own",
            code=DUPLICATE_STATE_NAME,
        )
    return Problem(
        location=f"{pointer}/{_escape(key)}",
        message=f"The field '{key}' appears more than once; keep one of them",
        code=SCHEMA_VALIDATION_FAILED,
    )
