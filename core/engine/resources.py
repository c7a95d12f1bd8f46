"""Which Task resources this host can perform, checked before anything runs.

A definition names resources; the host decides what serves them. `statum
validate` and `statum run` both ask here, so a definition that names code the
host did not register or allow-list (`python:os:system`) is refused up front,
with the location of every such Task.
"""

from collections.abc import Iterator
from typing import Any

from statum.core.definition.problems import Problem
from statum.core.definition.validation.context import pointer
from statum.core.engine.handlers import PYTHON_PREFIX, HandlerRegistry
from statum.core.interpreter.commands import starts_child

UNKNOWN_RESOURCE = "UNKNOWN_RESOURCE"


def task_resources(
    doc: Any, at: tuple[str | int, ...] = ()
) -> Iterator[tuple[str, str]]:
    """(JSON pointer of the Resource field, resource) of every Task in a decoded
    definition, nested machines included."""
    states = doc.get("States") if isinstance(doc, dict) else None
    if not isinstance(states, dict):
        return
    for name, state in states.items():
        if not isinstance(state, dict):
            continue
        here = (*at, "States", name)
        resource = state.get("Resource")
        if state.get("Type") == "Task" and isinstance(resource, str):
            yield pointer("", *here, "Resource"), resource
        for key in ("ItemReader", "ResultWriter"):
            io = state.get(key)
            if isinstance(io, dict) and isinstance(io.get("Resource"), str):
                yield pointer("", *here, key, "Resource"), io["Resource"]
        for index, machine in enumerate(state.get("Branches") or []):
            yield from task_resources(machine, (*here, "Branches", index))
        for key in ("ItemProcessor", "Iterator"):
            if isinstance(state.get(key), dict):
                yield from task_resources(state[key], (*here, key))


def performs(registry: HandlerRegistry, resource: str) -> bool:
    """Whether this host can perform `resource`: a child execution, which the
    engine starts itself, or a resource one of its handlers serves."""
    return starts_child(resource) or registry.serves(resource)


def resource_problems(
    doc: Any, registry: HandlerRegistry, *, names_known: bool
) -> list[Problem]:
    """A problem for every Task whose resource this host cannot perform.

    `python:module:function` resources are always checked (they import code);
    other names only when `names_known` (the host's handlers were loaded).
    """
    problems: list[Problem] = []
    for location, resource in task_resources(doc):
        if performs(registry, resource):
            continue
        imports = (
            resource.startswith(PYTHON_PREFIX) and ":" in resource[len(PYTHON_PREFIX) :]
        )
        if not (imports or names_known):
            continue
        problems.extend(
            Problem(location=location, message=reason, code=UNKNOWN_RESOURCE)
            for reason in registry.problems([resource])
        )
    return problems
