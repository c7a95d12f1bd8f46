"""Hand-built journals: what the interpreter records for three small workflows.

tests/interpreter/test_evolve.py checks that re-deciding them gives them back, so
they stay true as the interpreter changes. Task and timer keys are numbered by the
execution's work serial (one per TaskScheduled or TimerStarted, in journal order),
not by AWS history event ids.
"""

from statum.core.interpreter import events as ev
from tests.factories import (
    T0,
    branches_ended,
    branches_started,
    execution_started,
    execution_succeeded,
    frame_ended,
    iteration_started,
    map_ended,
    map_started,
    retry_scheduled,
    state_entered,
    state_exited,
    task_failed,
    task_scheduled,
    task_started,
    task_succeeded,
    timer_fired,
    timer_started,
)

TASK_WITH_RETRY = {
    "StartAt": "T",
    "States": {
        "T": {
            "Type": "Task",
            "Resource": "python:work",
            "ResultPath": "$.r",
            "Retry": [{"ErrorEquals": ["Boom"], "IntervalSeconds": 1}],
            "End": True,
        }
    },
}
TASK_WITH_RETRY_JOURNAL: list[ev.Event] = [
    execution_started({"n": 1}),
    state_entered("T", "Task", {"n": 1}),
    task_scheduled("0.0", "python:work", {"n": 1}, state="T"),
    task_started("0.0", at_ms=T0 + 1),
    task_failed("0.0", "Boom", "first try", at_ms=T0 + 2),
    retry_scheduled(0, 1000, at_ms=T0 + 2),
    timer_started("retry:0.1", T0 + 1002, "retry", at_ms=T0 + 2),
    timer_fired("retry:0.1", at_ms=T0 + 1002),
    task_scheduled(
        "0.2", "python:work", {"n": 1}, state="T", attempt=1, at_ms=T0 + 1002
    ),
    task_started("0.2", at_ms=T0 + 1003),
    task_succeeded("0.2", 7, at_ms=T0 + 1004),
    state_exited("T", "Task", {"n": 1, "r": 7}, at_ms=T0 + 1004),
    execution_succeeded({"n": 1, "r": 7}, at_ms=T0 + 1004),
]

PARALLEL = {
    "StartAt": "P",
    "States": {
        "P": {
            "Type": "Parallel",
            "Branches": [
                {"StartAt": "A", "States": {"A": {"Type": "Pass", "End": True}}},
                {
                    "StartAt": "W",
                    "States": {"W": {"Type": "Wait", "Seconds": 5, "End": True}},
                },
            ],
            "End": True,
        }
    },
}
PARALLEL_JOURNAL: list[ev.Event] = [
    execution_started("in"),
    state_entered("P", "Parallel", "in"),
    branches_started([1, 2], "in"),
    state_entered("A", "Pass", "in", frame=1),
    state_exited("A", "Pass", "in", frame=1),
    frame_ended(1, "in"),
    state_entered("W", "Wait", "in", frame=2),
    timer_started("wait:2.0", T0 + 5000, "wait", frame=2),
    timer_fired("wait:2.0", at_ms=T0 + 5000),
    state_exited("W", "Wait", "in", frame=2, at_ms=T0 + 5000),
    frame_ended(2, "in", at_ms=T0 + 5000),
    branches_ended(False, at_ms=T0 + 5000),
    state_exited("P", "Parallel", ["in", "in"], at_ms=T0 + 5000),
    execution_succeeded(["in", "in"], at_ms=T0 + 5000),
]

MAP = {
    "StartAt": "M",
    "States": {
        "M": {
            "Type": "Map",
            "MaxConcurrency": 1,
            "ItemProcessor": {
                "StartAt": "T",
                "States": {"T": {"Type": "Task", "Resource": "python:w", "End": True}},
            },
            "End": True,
        }
    },
}
MAP_JOURNAL: list[ev.Event] = [
    execution_started([1, 2]),
    state_entered("M", "Map", [1, 2]),
    map_started([1, 2], max_concurrency=1),
    iteration_started(1, 0, 1),
    state_entered("T", "Task", 1, frame=1),
    task_scheduled("1.0", "python:w", 1, frame=1, state="T"),
    task_succeeded("1.0", 10, at_ms=T0 + 1),
    state_exited("T", "Task", 10, frame=1, at_ms=T0 + 1),
    frame_ended(1, 10, at_ms=T0 + 1),
    iteration_started(2, 1, 2, at_ms=T0 + 1),
    state_entered("T", "Task", 2, frame=2, at_ms=T0 + 1),
    task_scheduled("2.1", "python:w", 2, frame=2, state="T", at_ms=T0 + 1),
    task_succeeded("2.1", 20, at_ms=T0 + 2),
    state_exited("T", "Task", 20, frame=2, at_ms=T0 + 2),
    frame_ended(2, 20, at_ms=T0 + 2),
    map_ended(False, at_ms=T0 + 2),
    state_exited("M", "Map", [10, 20], at_ms=T0 + 2),
    execution_succeeded([10, 20], at_ms=T0 + 2),
]
