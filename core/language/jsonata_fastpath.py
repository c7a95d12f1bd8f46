"""Plain variable paths (`$states.input.a.b`, `$var.x`) answered without the engine.

Most expressions in real definitions are such paths, and a dictionary walk costs
well under a microsecond where jsonata-python costs about fifteen. A path
qualifies only when both its text and its parse tree are bare names; the walk
gives up (returning `DEFER`) on anything but a dictionary, so JSONata's array
mapping, unknown variables and built-in function names stay the engine's.
`tests/language/test_expressions_fastpath.py` checks it against the engine.
"""

import re
from collections.abc import Mapping
from typing import Any

from jsonata.utils import Utils

from statum.core.language.json import Json

DEFER: Any = object()
NULL: Any = Utils.NULL_VALUE

_TEXT = re.compile(r"\$[A-Za-z_]\w*(?:\.[A-Za-z_]\w*)*", re.ASCII)
_KEYWORDS = frozenset({"and", "or", "in", "true", "false", "null", "function"})
_DECORATIONS = (
    "predicate",
    "stages",
    "group",
    "focus",
    "index",
    "tuple",
    "keep_array",
    "ancestor",
)

VariablePath = tuple[str, tuple[str, ...]]


def is_bare(node: Any) -> bool:
    """True when a parse-tree node carries no predicate, grouping or binding."""
    return not any(getattr(node, name, None) for name in _DECORATIONS)


def variable_path(text: str, ast: Any) -> VariablePath | None:
    """`("states", ("input", "a"))` for `$states.input.a`, else None."""
    if not _TEXT.fullmatch(text):
        return None
    names = text[1:].split(".")
    if _KEYWORDS.intersection(names[1:]):
        return None
    steps = ast.steps if ast.type == "path" else [ast]
    if not is_bare(ast) or len(steps) != len(names):
        return None
    kinds = ["variable"] + ["name"] * (len(names) - 1)
    for step, kind in zip(steps, kinds, strict=True):
        if step.type != kind or not is_bare(step):
            return None
    return names[0], tuple(names[1:])


def follow(
    path: VariablePath, variables: Mapping[str, Json], states: Json, undefined: Any
) -> Any:
    """The value at `path` as the engine would give it, `undefined`, or `DEFER`.

    JSON null comes back as the library's null, as the engine returns it.
    """
    name, steps = path
    value: Any = states if name == "states" else variables.get(name, DEFER)
    if value is DEFER:
        return DEFER  # a built-in function's name, or undefined: the engine says
    for step in steps:
        if type(value) is not dict:
            return DEFER
        value = value.get(step, undefined)
        if value is undefined:
            return undefined
    return NULL if value is None else value


class VariableBindings:
    """Workflow variables as frame bindings, read-only and without a copy.

    A variable holding JSON null must read as null: a binding of `None` is
    *undefined* to jsonata-python.
    """

    __slots__ = ("_values",)

    def __init__(self, values: Mapping[str, Json]) -> None:
        self._values = values

    def get(self, name: str, default: Any) -> Any:
        value = self._values.get(name, default)
        return NULL if value is None else value
