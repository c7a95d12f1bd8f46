"""How big and how deep a definition may be, checked before any rule walks it.

AWS refuses a definition of more than 1 MB ("Member must have length less than or
equal to 1048576"). It sets no depth, but the rules, the compiler and every
encoder walk a definition recursively, so one nested 5,000 deep must be refused
as a problem before they start, not end in a RecursionError.
"""

import msgspec

from statum.core.definition.problems import SCHEMA_VALIDATION_FAILED, Problem
from statum.core.language.json import Json, nesting_depth

MAX_DEFINITION_BYTES = 1024 * 1024
MAX_DEFINITION_DEPTH = 512
# States in all, branches and item processors included: far more than any real
# machine, and each one costs the validator and the compiler.
MAX_STATES = 10_000


def _problem(message: str) -> list[Problem]:
    return [Problem(location="", message=message, code=SCHEMA_VALIDATION_FAILED)]


def text_size_problems(text: str | bytes) -> list[Problem]:
    size = len(text.encode() if isinstance(text, str) else text)
    if size <= MAX_DEFINITION_BYTES:
        return []
    return _problem(
        f"The definition is {size:,} bytes; it must have length less than or equal "
        f"to {MAX_DEFINITION_BYTES:,} (1 MB, as on AWS Step Functions). Split it "
        "into state machines that start each other."
    )


def shape_problems(doc: Json, *, measured: bool = False) -> list[Problem]:
    """Too deep, or (unless the text was `measured`) too big once encoded."""
    if nesting_depth(doc, MAX_DEFINITION_DEPTH) > MAX_DEFINITION_DEPTH:
        return _problem(
            f"The definition nests arrays and objects more than "
            f"{MAX_DEFINITION_DEPTH} deep; flatten its Parameters, Result or "
            "templates, or split it into state machines that start each other."
        )
    states = _state_count(doc)
    if states > MAX_STATES:
        return _problem(
            f"The definition has {states:,} states, more than {MAX_STATES:,}; split "
            "it into state machines that start each other."
        )
    if measured:
        return []
    try:
        return text_size_problems(msgspec.json.encode(doc))
    except (TypeError, OverflowError, msgspec.EncodeError):
        return []  # not JSON at all: the rules say what is wrong with it


def _state_count(doc: Json) -> int:
    """The entries of every `States` object, at any depth (without recursion)."""
    count = 0
    stack = [doc]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            states = node.get("States")
            if isinstance(states, dict):
                count += len(states)
            stack.extend(node.values())
        elif isinstance(node, list):
            stack.extend(node)
    return count
