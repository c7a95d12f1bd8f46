"""States cut short by a failing Parallel branch end with AWS's *StateAborted events.

Each aborted state chains to the last event of its own branch; nested Map and
Parallel states end after their children (innermost first), and the Parallel's
ParallelStateFailed chains to the last of them. The engine helper also checks that
the interpreter's history count (the "entered at the event id #N" numbers) equals
the projected history's length for every journal here.
"""

from typing import Any

from statum.projections.history import flatten, project_history
from tests.engine.helpers import branch, machine, run


def _history(result: Any) -> list[tuple[int, int, str]]:
    return [
        (e["id"], e["previousEventId"], e["type"])
        for e in flatten(project_history(result.journal))
    ]


def _wait(name: str, seconds: int = 10, **more: Any) -> dict[str, Any]:
    return {name: {"Type": "Wait", "Seconds": seconds, "End": True, **more}}


def test_running_siblings_are_aborted_innermost_first() -> None:
    failing = branch(
        {
            "W0": {"Type": "Wait", "Seconds": 1, "Next": "F"},
            "F": {"Type": "Fail", "Error": "E"},
        }
    )
    nested_parallel = branch(
        {"PP": {"Type": "Parallel", "End": True, "Branches": [branch(_wait("W3"))]}}
    )
    nested_map = branch(
        {
            "M": {
                "Type": "Map",
                "End": True,
                "ItemsPath": "$.xs",
                "ItemProcessor": branch(_wait("W4")),
            }
        }
    )
    definition = machine(
        {
            "P": {
                "Type": "Parallel",
                "End": True,
                "Branches": [failing, branch(_wait("W")), nested_parallel, nested_map],
            }
        }
    )
    result = run(definition, {"xs": [1, 2]})
    assert result.status == "FAILED"
    assert result.error == "E"
    assert _history(result)[14:] == [
        (15, 4, "WaitStateExited"),
        (16, 15, "FailStateEntered"),
        (17, 5, "WaitStateAborted"),
        (18, 8, "WaitStateAborted"),
        (19, 7, "ParallelStateAborted"),
        (20, 12, "WaitStateAborted"),
        (21, 20, "MapIterationAborted"),
        (22, 14, "WaitStateAborted"),
        (23, 22, "MapIterationAborted"),
        (24, 10, "MapStateAborted"),
        (25, 24, "ParallelStateFailed"),
        (26, 25, "ExecutionFailed"),
    ]


def test_a_scheduled_task_ends_with_task_state_aborted_and_ids_stay_aligned() -> None:
    definition = machine(
        {
            "P": {
                "Type": "Parallel",
                "Next": "After",
                "Catch": [{"ErrorEquals": ["States.ALL"], "Next": "After"}],
                "Branches": [
                    branch({"F": {"Type": "Fail", "Error": "E", "Cause": "C"}}),
                    branch(
                        {"T": {"Type": "Task", "Resource": "python:t", "End": True}}
                    ),
                ],
            },
            "After": {"Type": "Fail", "CausePath": "$.Nope"},
        }
    )
    result = run(definition, {}, {"t": lambda _: 1})
    assert _history(result) == [
        (1, 0, "ExecutionStarted"),
        (2, 0, "ParallelStateEntered"),
        (3, 2, "ParallelStateStarted"),
        (4, 3, "FailStateEntered"),
        (5, 3, "TaskStateEntered"),
        (6, 5, "TaskScheduled"),
        (7, 6, "TaskStateAborted"),
        (8, 7, "ParallelStateFailed"),
        (9, 8, "ParallelStateExited"),
        (10, 9, "FailStateEntered"),
        (11, 10, "ExecutionFailed"),
    ]
    # The interpreter counted the aborted event: the caught state was entered at #10.
    assert "(entered at the event id #10)" in (result.cause or "")


def test_a_map_iteration_failing_aborts_the_running_states_of_the_others() -> None:
    processor = branch(
        {
            "C": {
                "Type": "Choice",
                "Choices": [{"Variable": "$", "NumericEquals": 1, "Next": "Boom"}],
                "Default": "Sleep",
            },
            "Boom": {"Type": "Fail", "Error": "E"},
            "Sleep": {"Type": "Wait", "Seconds": 10, "End": True},
        }
    )
    definition = machine(
        {"M": {"Type": "Map", "End": True, "ItemProcessor": processor}}
    )
    result = run(definition, [0, 1])
    types = [t for _, _, t in _history(result)]
    assert "WaitStateAborted" in types
    aborted = types.index("WaitStateAborted")
    assert types[aborted + 1] == "MapIterationAborted"


def test_a_running_distributed_map_ends_its_map_run_first() -> None:
    processor = {
        "ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "STANDARD"},
        **branch(_wait("W4")),
    }
    definition = machine(
        {
            "P": {
                "Type": "Parallel",
                "End": True,
                "Branches": [
                    branch(
                        {
                            "W0": {"Type": "Wait", "Seconds": 1, "Next": "F"},
                            "F": {"Type": "Fail", "Error": "E"},
                        }
                    ),
                    branch(
                        {
                            "M": {
                                "Type": "Map",
                                "End": True,
                                "ItemsPath": "$.xs",
                                "ItemProcessor": processor,
                            }
                        }
                    ),
                ],
            }
        }
    )
    assert _history(run(definition, {"xs": [1, 2]}))[7:] == [
        (8, 4, "WaitStateExited"),
        (9, 8, "FailStateEntered"),
        (10, 7, "MapRunAborted"),
        (11, 10, "MapStateAborted"),
        (12, 11, "ParallelStateFailed"),
        (13, 12, "ExecutionFailed"),
    ]
