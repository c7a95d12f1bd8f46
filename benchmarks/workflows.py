"""The workflows the core benchmarks run."""

from typing import Any


def chain(length: int, *, jsonata: bool = False) -> dict[str, Any]:
    """A chain of Pass states; in JSONata mode each one evaluates an Output."""
    states: dict[str, Any] = {}
    for i in range(length):
        state: dict[str, Any] = {"Type": "Pass"}
        if jsonata:
            state["Output"] = {"step": i, "value": "{% $states.input.value %}"}
        if i + 1 < length:
            state["Next"] = f"S{i + 1}"
        else:
            state["End"] = True
        states[f"S{i}"] = state
    definition: dict[str, Any] = {"StartAt": "S0", "States": states}
    if jsonata:
        definition["QueryLanguage"] = "JSONata"
    return definition


def _inline_map(item: dict[str, Any]) -> dict[str, Any]:
    """An inline Map over `$.items` whose iterations run the one state `item`."""
    return {
        "StartAt": "Map",
        "States": {
            "Map": {
                "Type": "Map",
                "ItemsPath": "$.items",
                "ItemProcessor": {
                    "ProcessorConfig": {"Mode": "INLINE"},
                    "StartAt": "Item",
                    "States": {"Item": {**item, "End": True}},
                },
                "End": True,
            }
        },
    }


def map_over_items() -> dict[str, Any]:
    """An inline Map with a Pass state inside."""
    return _inline_map({"Type": "Pass"})


def choice_loop(limit: int) -> dict[str, Any]:
    """A Choice loop counting to `limit` with States.MathAdd."""
    return {
        "StartAt": "Init",
        "States": {
            "Init": {"Type": "Pass", "Result": {"i": 0}, "Next": "Check"},
            "Check": {
                "Type": "Choice",
                "Choices": [
                    {"Variable": "$.i", "NumericLessThan": limit, "Next": "Increment"}
                ],
                "Default": "Done",
            },
            "Increment": {
                "Type": "Pass",
                "Parameters": {"i.$": "States.MathAdd($.i, 1)"},
                "Next": "Check",
            },
            "Done": {"Type": "Succeed"},
        },
    }


def map_over_tasks(resource: str) -> dict[str, Any]:
    """An inline Map with a Task inside: one task per item, all of them pending at
    once (no MaxConcurrency)."""
    return _inline_map({"Type": "Task", "Resource": resource})
