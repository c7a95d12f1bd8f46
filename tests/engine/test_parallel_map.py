"""Parallel and Map states on the Express engine."""

import asyncio
from typing import Any

import pytest

from statum.core.engine.handlers import TaskFailure
from statum.core.interpreter import events as ev
from tests.engine.helpers import Engine, branch, history, machine, of_type, run, task


def wait(seconds: int, **fields: Any) -> dict[str, Any]:
    state: dict[str, Any] = {"Type": "Wait", "Seconds": seconds, **fields}
    if "Next" not in state:
        state["End"] = True
    return state


def odd_fails(payload: Any) -> Any:
    if payload % 2:
        raise TaskFailure("Odd", f"{payload} is odd")
    return payload * 10


# --- Parallel ---------------------------------------------------------------------------


def test_parallel_collects_branch_outputs_in_branch_order() -> None:
    engine = Engine({"slow": lambda p: "slow", "fast": lambda p: "fast"})
    definition = machine(
        {
            "P": {
                "Type": "Parallel",
                "Branches": [
                    branch({"W": wait(20, Next="S"), "S": task("python:slow")}),
                    branch({"F": task("python:fast")}),
                    branch({"X": {"Type": "Pass", "Result": {"k": 1}, "End": True}}),
                ],
                "ResultSelector": {"first.$": "$[0]", "all.$": "$"},
                "ResultPath": "$.p",
                "End": True,
            }
        }
    )
    result = engine.run(definition, {"in": 1})
    assert result.status == "SUCCEEDED"
    assert result.output == {
        "in": 1,
        "p": {"first": "slow", "all": ["slow", "fast", {"k": 1}]},
    }
    assert engine.elapsed_ms == 20_000


def test_branches_run_concurrently_on_the_clock() -> None:
    engine = Engine()
    definition = machine(
        {
            "P": {
                "Type": "Parallel",
                "Branches": [branch({f"W{i}": wait(10 * (i + 1))}) for i in range(3)],
                "End": True,
            }
        }
    )
    assert engine.run(definition).status == "SUCCEEDED"
    assert engine.elapsed_ms == 30_000  # the longest branch, not the sum


FAILING_PARALLEL = {
    "Type": "Parallel",
    "Branches": [
        branch({"W": wait(10, Next="Late"), "Late": task("python:late")}),
        branch({"Boom": task("python:boom")}),
    ],
}


def test_a_failing_branch_aborts_the_others_and_fails_the_execution() -> None:
    late_calls: list[Any] = []

    def boom(payload: Any) -> Any:
        raise ValueError("branch two broke")

    engine = Engine({"late": late_calls.append, "boom": boom})
    result = engine.run(machine({"P": {**FAILING_PARALLEL, "End": True}}), {})
    assert (result.status, result.error, result.cause) == (
        "FAILED",
        "ValueError",
        "branch two broke",
    )
    assert late_calls == []  # the aborted branch never got past its Wait
    assert engine.elapsed_ms == 0
    ended = of_type(result, ev.FrameEnded)
    assert [(e.frame, e.failed, e.aborted) for e in ended] == [
        (2, True, False),
        (1, True, True),
    ]
    types = [e["type"] for e in history(result)]
    assert "ParallelStateFailed" in types
    assert "ParallelStateSucceeded" not in types
    assert "TaskStateEntered" in types
    assert types.count("WaitStateExited") == 0


def test_catch_on_a_parallel_catches_a_branch_failure() -> None:
    def boom(payload: Any) -> Any:
        raise TaskFailure("Branch.Broke", "two")

    engine = Engine({"late": lambda p: None, "boom": boom})
    definition = machine(
        {
            "P": {
                **FAILING_PARALLEL,
                "Catch": [
                    {
                        "ErrorEquals": ["Branch.Broke"],
                        "ResultPath": "$.err",
                        "Next": "H",
                    }
                ],
                "End": True,
            },
            "H": {"Type": "Pass", "End": True},
        }
    )
    result = engine.run(definition, {"in": 1})
    assert result.status == "SUCCEEDED"
    assert result.output == {"in": 1, "err": {"Error": "Branch.Broke", "Cause": "two"}}


def test_retry_on_a_parallel_runs_every_branch_again() -> None:
    calls: list[str] = []
    failures = iter([True, False])

    def flaky(payload: Any) -> Any:
        calls.append("flaky")
        if next(failures):
            raise TaskFailure("Flaky")
        return "ok"

    def steady(payload: Any) -> Any:
        calls.append("steady")
        return "steady"

    engine = Engine({"flaky": flaky, "steady": steady})
    definition = machine(
        {
            "P": {
                "Type": "Parallel",
                "Branches": [
                    branch({"A": task("python:steady")}),
                    branch({"B": task("python:flaky")}),
                ],
                "Retry": [{"ErrorEquals": ["Flaky"], "IntervalSeconds": 2}],
                "End": True,
            }
        }
    )
    result = engine.run(definition)
    assert (result.status, result.output) == ("SUCCEEDED", ["steady", "ok"])
    assert calls.count("steady") == 2
    assert calls.count("flaky") == 2
    assert engine.elapsed_ms == 2_000
    assert len(of_type(result, ev.BranchesStarted)) == 2


# --- Map --------------------------------------------------------------------------------


def _waiting_map(**fields: Any) -> dict[str, Any]:
    return machine(
        {
            "M": {
                "Type": "Map",
                "ItemProcessor": branch({"W": wait(10)}),
                "End": True,
                **fields,
            }
        }
    )


def _most_running(result: Any) -> int:
    running = most = 0
    for event in result.journal:
        if isinstance(event, ev.IterationStarted):
            running += 1
            most = max(most, running)
        elif isinstance(event, ev.FrameEnded):
            running -= 1
    return most


@pytest.mark.parametrize(
    ("max_concurrency", "elapsed_s", "most"),
    [(0, 10, 4), (1, 40, 1), (2, 20, 2), (3, 20, 3), (4, 10, 4), (10, 10, 4)],
)
def test_max_concurrency_limits_running_iterations(
    max_concurrency: int, elapsed_s: int, most: int
) -> None:
    engine = Engine()
    result = engine.run(_waiting_map(MaxConcurrency=max_concurrency), [1, 2, 3, 4])
    assert (result.status, result.output) == ("SUCCEEDED", [1, 2, 3, 4])
    assert engine.elapsed_ms == elapsed_s * 1000
    assert _most_running(result) == most


def test_max_concurrency_path() -> None:
    engine = Engine()
    result = engine.run(
        _waiting_map(MaxConcurrencyPath="$.mc", ItemsPath="$.items"),
        {"mc": 1, "items": [1, 2]},
    )
    assert result.status == "SUCCEEDED"
    assert engine.elapsed_ms == 20_000


def _tolerant_map(**fields: Any) -> dict[str, Any]:
    return machine(
        {
            "M": {
                "Type": "Map",
                "ItemProcessor": branch({"T": task("python:odd_fails")}),
                "End": True,
                **fields,
            }
        }
    )


@pytest.mark.parametrize(
    ("tolerance", "succeeds"),
    [
        ({"ToleratedFailureCount": 2}, True),
        ({"ToleratedFailureCount": 1}, False),
        ({"ToleratedFailureCount": 0}, False),
        ({"ToleratedFailurePercentage": 50}, True),
        ({"ToleratedFailurePercentage": 49}, False),
        ({"ToleratedFailurePercentage": 100}, True),
    ],
)
def test_tolerated_failures(tolerance: dict[str, Any], succeeds: bool) -> None:
    result = run(_tolerant_map(**tolerance), [0, 1, 2, 3], {"odd_fails": odd_fails})
    if succeeds:
        assert result.status == "SUCCEEDED"
        # A failed iteration leaves null in its place.
        assert result.output == [0, None, 20, None]
    else:
        assert result.status == "FAILED"
        assert result.error == "States.ExceedToleratedFailureThreshold"
        assert result.cause == "The specified tolerated failure threshold was exceeded"


def test_without_tolerance_the_first_failure_fails_the_map_with_its_error() -> None:
    result = run(_tolerant_map(), [0, 1, 2, 3], {"odd_fails": odd_fails})
    assert (result.status, result.error, result.cause) == ("FAILED", "Odd", "1 is odd")
    aborted = [e for e in of_type(result, ev.FrameEnded) if e.aborted]
    assert aborted  # the iterations still running were cut short
    types = [e["type"] for e in history(result)]
    assert "MapIterationFailed" in types
    assert "MapStateFailed" in types


def test_exceeding_the_tolerance_can_be_caught() -> None:
    definition = _tolerant_map(
        ToleratedFailureCount=0,
        Catch=[
            {
                "ErrorEquals": ["States.ExceedToleratedFailureThreshold"],
                "ResultPath": "$.error",
                "Next": "H",
            }
        ],
    )
    definition["States"]["M"].pop("End")
    definition["States"]["M"]["Next"] = "H"
    definition["States"]["H"] = {"Type": "Pass", "End": True}
    definition["States"]["M"]["ItemsPath"] = "$.items"
    result = run(definition, {"items": [1]}, {"odd_fails": odd_fails})
    assert result.status == "SUCCEEDED"
    assert result.output["error"]["Error"] == "States.ExceedToleratedFailureThreshold"


def test_item_selector_sees_the_index_the_value_and_the_input() -> None:
    definition = machine(
        {
            "M": {
                "Type": "Map",
                "ItemsPath": "$.xs",
                "ItemSelector": {
                    "index.$": "$$.Map.Item.Index",
                    "value.$": "$$.Map.Item.Value",
                    "tag.$": "$.tag",
                },
                "ItemProcessor": branch({"P": {"Type": "Pass", "End": True}}),
                "ResultPath": "$.out",
                "End": True,
            }
        }
    )
    result = run(definition, {"xs": ["a", {"b": 2}], "tag": "T"})
    assert result.output == {
        "xs": ["a", {"b": 2}],
        "tag": "T",
        "out": [
            {"index": 0, "value": "a", "tag": "T"},
            {"index": 1, "value": {"b": 2}, "tag": "T"},
        ],
    }
    started = of_type(result, ev.IterationStarted)
    assert [e.input["index"] for e in started] == [0, 1]


def test_jsonata_item_selector_and_items() -> None:
    definition = machine(
        {
            "M": {
                "Type": "Map",
                "Items": "{% $states.input.xs %}",
                "ItemSelector": {
                    "i": "{% $states.context.Map.Item.Index %}",
                    "v": "{% $states.context.Map.Item.Value * 2 %}",
                },
                "ItemProcessor": branch({"P": {"Type": "Pass", "End": True}}),
                "End": True,
            }
        },
        QueryLanguage="JSONata",
    )
    result = run(definition, {"xs": [5, 6]})
    assert result.output == [{"i": 0, "v": 10}, {"i": 1, "v": 12}]


def test_map_iterations_with_tasks_keep_item_order() -> None:
    engine = Engine()

    def slow_for_small(payload: Any) -> Any:
        engine.clock.advance(100 - payload)
        return payload + 1

    engine.handlers.register("inc", slow_for_small)
    result = engine.run(
        machine(
            {
                "M": {
                    "Type": "Map",
                    "ItemProcessor": branch({"T": task("python:inc")}),
                    "End": True,
                }
            }
        ),
        [3, 1, 2],
    )
    assert result.output == [4, 2, 3]


def test_map_history_counts_iterations() -> None:
    result = run(_waiting_map(), [1, 2])
    types = [e["type"] for e in history(result)]
    assert types.count("MapIterationStarted") == 2
    assert types.count("MapIterationSucceeded") == 2
    assert types[:3] == ["ExecutionStarted", "MapStateEntered", "MapStateStarted"]
    assert types[-3:] == ["MapStateSucceeded", "MapStateExited", "ExecutionSucceeded"]


# --- DISTRIBUTED Map ----------------------------------------------------------------------


def _distributed(processor: dict[str, Any], **fields: Any) -> dict[str, Any]:
    return machine(
        {
            "M": {
                "Type": "Map",
                "Label": "Batch",
                "ItemProcessor": {
                    "ProcessorConfig": {
                        "Mode": "DISTRIBUTED",
                        "ExecutionType": "STANDARD",
                    },
                    **branch(processor),
                },
                "End": True,
                **fields,
            }
        }
    )


def test_distributed_map_records_a_map_run() -> None:
    engine = Engine({"inc": lambda p: p + 1})
    result = engine.run(_distributed({"T": task("python:inc")}), [1, 2, 3])
    assert (result.status, result.output) == ("SUCCEEDED", [2, 3, 4])
    events = history(result)
    types = [e["type"] for e in events]
    assert types == [
        "ExecutionStarted",
        "MapStateEntered",
        "MapStateStarted",
        "MapRunStarted",
        "MapRunSucceeded",
        "MapStateSucceeded",
        "MapStateExited",
        "ExecutionSucceeded",
    ]
    (run_started,) = [e for e in events if e["type"] == "MapRunStarted"]
    arn = run_started["mapRunArn"]
    assert arn.startswith(
        "arn:aws:states:local:000000000000:mapRun:statemachine/Batch:"
    )
    # The iterations ran as child executions, each with its own journal.
    assert len(result.children) == 3
    assert [c.output for c in result.children] == [2, 3, 4]
    assert len({c.execution_id for c in result.children}) == 3


def test_the_map_run_arn_is_derived_from_the_execution() -> None:
    def arn(name: str) -> str:
        result = Engine().run(
            _distributed({"P": {"Type": "Pass", "End": True}}), [1], name=name
        )
        (started,) = of_type(result, ev.MapStarted)
        return started.map_run

    assert arn("one") == arn("one")
    assert arn("one") != arn("two")


def test_a_failing_distributed_iteration_fails_the_map_run() -> None:
    result = run(
        _distributed({"T": task("python:odd_fails")}), [0, 1], {"odd_fails": odd_fails}
    )
    assert result.status == "FAILED"
    types = [e["type"] for e in history(result)]
    assert "MapRunFailed" in types
    assert "MapStateFailed" in types


def test_distributed_map_tolerates_failures() -> None:
    result = run(
        _distributed({"T": task("python:odd_fails")}, ToleratedFailurePercentage=50),
        [0, 1, 2, 3],
        {"odd_fails": odd_fails},
    )
    assert result.status == "SUCCEEDED"
    assert result.output == [0, None, 20, None]


# --- variables and scopes ----------------------------------------------------------------


def test_branches_and_iterations_read_outer_variables() -> None:
    definition = machine(
        {
            "Set": {"Type": "Pass", "Assign": {"factor": 3}, "Next": "M"},
            "M": {
                "Type": "Map",
                "ItemSelector": {"v.$": "$$.Map.Item.Value", "f.$": "$factor"},
                "ItemProcessor": branch(
                    {
                        "P": {
                            "Type": "Parallel",
                            "Branches": [
                                branch(
                                    {
                                        "Inner": {
                                            "Type": "Pass",
                                            "Parameters": {
                                                "v.$": "$.v",
                                                "f.$": "$factor",
                                            },
                                            "End": True,
                                        }
                                    }
                                )
                            ],
                            "End": True,
                        }
                    }
                ),
                "End": True,
            },
        }
    )
    result = run(definition, [1, 2])
    assert result.status == "SUCCEEDED"
    assert result.output == [[{"v": 1, "f": 3}], [{"v": 2, "f": 3}]]


def test_variables_assigned_in_an_iteration_stay_in_it() -> None:
    definition = machine(
        {
            "M": {
                "Type": "Map",
                "MaxConcurrency": 1,
                "ItemProcessor": branch(
                    {
                        "Mark": {
                            "Type": "Pass",
                            # Output and Assign both see the values from before.
                            "Output": {
                                "item": "{% $states.input %}",
                                "leaked": "{% $exists($seen) %}",
                            },
                            "Assign": {"seen": "{% $states.input %}"},
                            "Next": "Read",
                        },
                        "Read": {
                            "Type": "Pass",
                            "Output": {
                                "item": "{% $states.input.item %}",
                                "leaked": "{% $states.input.leaked %}",
                                "seen": "{% $seen %}",
                            },
                            "End": True,
                        },
                    }
                ),
                "Next": "After",
            },
            "After": {
                "Type": "Pass",
                "Output": {
                    "items": "{% $states.input %}",
                    "outside": "{% $exists($seen) %}",
                },
                "End": True,
            },
        },
        QueryLanguage="JSONata",
    )
    result = run(definition, ["a", "b"])
    assert result.status == "SUCCEEDED"
    assert result.output == {
        "items": [
            {"item": "a", "leaked": False, "seen": "a"},
            {"item": "b", "leaked": False, "seen": "b"},
        ],
        "outside": False,
    }


def test_a_branch_variable_is_unknown_after_the_parallel() -> None:
    definition = machine(
        {
            "P": {
                "Type": "Parallel",
                "Branches": [
                    branch(
                        {"In": {"Type": "Pass", "Assign": {"inner": 1}, "End": True}}
                    )
                ],
                "Next": "After",
            },
            "After": {"Type": "Pass", "Parameters": {"v.$": "$inner"}, "End": True},
        }
    )
    result = run(definition)
    assert (result.status, result.error) == ("FAILED", "States.Runtime")
    assert result.cause is not None
    assert "$inner" in result.cause


def test_outer_variables_keep_their_value_after_an_inner_scope() -> None:
    definition = machine(
        {
            "Set": {"Type": "Pass", "Assign": {"x": "outer"}, "Next": "M"},
            "M": {
                "Type": "Map",
                "ItemProcessor": branch(
                    {"In": {"Type": "Pass", "Assign": {"y.$": "$"}, "End": True}}
                ),
                "Next": "After",
            },
            "After": {"Type": "Pass", "Parameters": {"x.$": "$x"}, "End": True},
        }
    )
    result = run(definition, [1, 2])
    assert result.output == {"x": "outer"}


# --- nested scopes cut short -----------------------------------------------------------


def _nested(inner: dict[str, Any]) -> dict[str, Any]:
    return machine(
        {
            "Outer": {
                "Type": "Parallel",
                "Branches": [
                    branch({"Fails": task("python:boom")}),
                    branch(
                        {
                            "Inner": {
                                "Type": "Parallel",
                                "Branches": [branch(inner)],
                                "End": True,
                            }
                        }
                    ),
                ],
                "Catch": [{"ErrorEquals": ["States.ALL"], "Next": "Later"}],
                "End": True,
            },
            "Later": wait(500),
        }
    )


def _boom(payload: Any) -> Any:
    raise TaskFailure("Boom", "outer branch")


def test_an_aborted_branch_cancels_the_tasks_nested_in_it() -> None:
    cancelled: list[str] = []

    async def deep(payload: Any) -> Any:
        try:
            await asyncio.sleep(60)
        except asyncio.CancelledError:
            cancelled.append("deep")
            raise
        return "finished"

    engine = Engine({"boom": _boom, "deep": deep}, max_running=0)
    result = engine.run(_nested({"Deep": task("python:deep")}), {})
    assert result.status == "SUCCEEDED"
    assert result.output == {"Error": "Boom", "Cause": "outer branch"}
    assert cancelled == ["deep"]
    # Its result never comes, so none is recorded.
    assert [e.task for e in of_type(result, ev.TaskSucceeded)] == []


def test_an_aborted_branch_does_not_keep_the_timers_nested_in_it() -> None:
    engine = Engine({"boom": _boom})
    result = engine.run(_nested({"Nap": wait(100)}), {})
    assert result.status == "SUCCEEDED"
    assert engine.elapsed_ms == 500_000
