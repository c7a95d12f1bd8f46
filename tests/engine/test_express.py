"""The Express engine end to end: outcomes, the journal it keeps, limits, variables."""

from typing import Any

import msgspec
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from statum.core.engine.clock import VirtualClock
from statum.core.engine.express import ExpressRunner
from statum.core.engine.handlers import HandlerRegistry, TaskFailure
from statum.core.engine.loading import load_program
from statum.core.interpreter import events as ev
from statum.core.interpreter.codec import decode_journal, encode_journal
from statum.core.interpreter.evolve import fold
from statum.core.interpreter.limits import Limits
from statum.projections.history import project_history
from tests.engine.helpers import (
    T0,
    Engine,
    branch,
    check_journal,
    history,
    machine,
    of_type,
    run,
    task,
)
from tests.strategies import workflow_inputs, workflows

KIB = 1024


# --- outcomes --------------------------------------------------------------------------


def test_a_chain_of_pass_choice_and_succeed() -> None:
    definition = machine(
        {
            "Start": {"Type": "Pass", "Result": 5, "ResultPath": "$.n", "Next": "Pick"},
            "Pick": {
                "Type": "Choice",
                "Choices": [
                    {"Variable": "$.n", "NumericGreaterThan": 3, "Next": "Big"}
                ],
                "Default": "Small",
            },
            "Big": {"Type": "Succeed", "OutputPath": "$.n"},
            "Small": {"Type": "Fail", "Error": "TooSmall"},
        }
    )
    result = run(definition, {"keep": True})
    assert (result.status, result.output, result.error) == ("SUCCEEDED", 5, None)
    entered = [e.name for e in of_type(result, ev.StateEntered)]
    assert entered == ["Start", "Pick", "Big"]


def test_a_fail_state_with_error_and_cause_paths() -> None:
    definition = machine(
        {"F": {"Type": "Fail", "ErrorPath": "$.code", "CausePath": "$.why"}}
    )
    result = run(definition, {"code": "Billing.Declined", "why": "insufficient funds"})
    assert (result.status, result.error, result.cause) == (
        "FAILED",
        "Billing.Declined",
        "insufficient funds",
    )
    assert result.output is None


def test_the_input_defaults_to_an_empty_object() -> None:
    result = Engine().run(machine({"P": {"Type": "Pass", "End": True}}))
    assert result.output == {}


def test_the_context_object_names_the_execution() -> None:
    definition = machine(
        {
            "P": {
                "Type": "Pass",
                "Parameters": {
                    "id.$": "$$.Execution.Id",
                    "name.$": "$$.Execution.Name",
                    "machine.$": "$$.StateMachine.Name",
                    "start.$": "$$.Execution.StartTime",
                    "input.$": "$$.Execution.Input",
                },
                "End": True,
            }
        }
    )
    result = Engine().run(definition, {"a": 1}, name="order-7")
    assert result.output == {
        "id": "arn:aws:states:local:000000000000:execution:statemachine:order-7",
        "name": "order-7",
        "machine": "statemachine",
        "start": "2023-11-14T22:13:20.000Z",
        "input": {"a": 1},
    }


def test_express_executions_get_an_express_arn_with_a_unique_suffix() -> None:
    engine = Engine(execution_type="EXPRESS")
    definition = machine({"P": {"Type": "Pass", "End": True}})
    first = engine.run(definition, name="same")
    second = engine.run(definition, name="same")
    assert first.execution_id.startswith(
        "arn:aws:states:local:000000000000:express:statemachine:same:"
    )
    assert first.execution_id != second.execution_id


def test_an_unnamed_execution_is_named_by_the_id_source() -> None:
    runner = ExpressRunner(clock=VirtualClock(), new_id=lambda: "generated")
    result = runner.run(load_program(machine({"P": {"Type": "Pass", "End": True}})))
    assert result.state.name == "generated"
    assert result.execution_id.endswith(":execution:statemachine:generated")


# --- the journal ---------------------------------------------------------------------------


def _busy_definition() -> dict[str, Any]:
    return machine(
        {
            "Set": {"Type": "Pass", "Assign": {"base": 10}, "Next": "Work"},
            "Work": task(
                "python:flaky",
                Retry=[{"ErrorEquals": ["Flaky"], "IntervalSeconds": 1}],
                ResultPath="$.work",
                Next="Fan",
            ),
            "Fan": {
                "Type": "Parallel",
                "Branches": [
                    branch({"Nap": {"Type": "Wait", "Seconds": 5, "End": True}}),
                    branch(
                        {
                            "Each": {
                                "Type": "Map",
                                "ItemsPath": "$.items",
                                "ItemProcessor": branch({"Inc": task("python:inc")}),
                                "End": True,
                            }
                        }
                    ),
                ],
                "ResultPath": "$.fan",
                "End": True,
            },
        }
    )


def _busy_handlers() -> dict[str, Any]:
    failures = iter([True, False])

    def flaky(payload: Any) -> Any:
        if next(failures):
            raise TaskFailure("Flaky", "once")
        return "worked"

    return {"flaky": flaky, "inc": lambda n: n + 1}


def test_a_busy_execution_and_its_journal() -> None:
    engine = Engine(_busy_handlers())
    result = engine.run(_busy_definition(), {"items": [1, 2]})
    assert result.status == "SUCCEEDED"
    assert result.output == {
        "items": [1, 2],
        "work": "worked",
        "fan": [{"items": [1, 2], "work": "worked"}, [2, 3]],
    }
    assert engine.elapsed_ms == 1_000 + 5_000
    assert result.journal[-1] == ev.ExecutionSucceeded(
        at_ms=T0 + 6_000, output=result.output
    )


def test_a_saved_journal_replays_to_the_same_state_and_history() -> None:
    result = Engine(_busy_handlers()).run(_busy_definition(), {"items": [1, 2]})
    saved = encode_journal(result.journal)
    loaded = decode_journal(saved)
    assert loaded == result.journal
    assert msgspec.to_builtins(fold(loaded)) == msgspec.to_builtins(result.state)
    assert project_history(loaded) == project_history(result.journal)


def test_history_ids_are_consecutive_and_point_backwards() -> None:
    result = Engine(_busy_handlers()).run(_busy_definition(), {"items": [1, 2]})
    events = history(result)
    assert [e["id"] for e in events] == list(range(1, len(events) + 1))
    assert all(0 <= e["previousEventId"] < e["id"] for e in events)
    assert result.state.history_len == len(events)


def test_the_same_execution_writes_the_same_journal_byte_for_byte() -> None:
    definition = machine(
        {
            "J": {
                "Type": "Pass",
                "Parameters": {
                    "uuid.$": "States.UUID()",
                    "r.$": "States.MathRandom(0, 1000)",
                },
                "Next": "K",
            },
            "K": {
                "Type": "Pass",
                "QueryLanguage": "JSONata",
                "Output": {"prev": "{% $states.input %}", "rnd": "{% $random() %}"},
                "End": True,
            },
        }
    )

    def journal(name: str) -> bytes:
        return encode_journal(Engine().run(definition, {}, name=name).journal)

    assert journal("same") == journal("same")
    assert journal("same") != journal("other")


@settings(max_examples=30)
@given(workflows(), workflow_inputs, st.lists(st.booleans(), max_size=12))
def test_every_journal_replays_and_counts_its_history(
    definition: Any, payload: Any, outcomes: list[bool]
) -> None:
    calls = iter(outcomes)

    def maybe_fail(value: Any) -> Any:
        if next(calls, True):
            return {"ok": value}
        raise TaskFailure("Custom.Error", "drawn to fail")

    # check_journal (in Engine.run) asserts history_len == len(project_history).
    result = Engine({"maybe-fail": maybe_fail}).run(definition, payload)
    assert result.state.finished
    check_journal(load_program(definition), result)


# --- limits --------------------------------------------------------------------------------


BIG_RESULT = machine(
    {
        "T": task(
            "python:big", Catch=[{"ErrorEquals": ["States.ALL"], "Next": "Caught"}]
        ),
        "Caught": {"Type": "Succeed"},
    }
)


def _big(size: int) -> Any:
    """A handler returning a JSON string of `size` bytes, quotes included."""
    return lambda payload: "x" * (size - 2)


def test_a_result_over_256_kib_fails_with_data_limit_exceeded() -> None:
    result = run(BIG_RESULT, {}, {"big": _big(256 * KIB + 1)})
    assert result.status == "FAILED"  # States.ALL does not catch it
    assert result.error == "States.DataLimitExceeded"
    assert result.cause is not None
    # A task's result names the task's resource, as AWS does (test_payload_limit).
    assert "'python:big'" in result.cause


def test_a_result_of_exactly_256_kib_is_fine() -> None:
    result = run(BIG_RESULT, {}, {"big": _big(256 * KIB)})
    assert result.status == "SUCCEEDED"
    assert len(result.output) == 256 * KIB - 2


@pytest.mark.parametrize(("limit", "status"), [(1000, "SUCCEEDED"), (999, "FAILED")])
def test_the_payload_limit_can_be_changed(limit: int, status: str) -> None:
    result = run(
        BIG_RESULT,
        {},
        {"big": _big(1000)},
        limits=Limits(max_payload_bytes=limit),
    )
    assert result.status == status


def test_a_raised_payload_limit_lets_big_results_through() -> None:
    result = run(
        BIG_RESULT,
        {},
        {"big": _big(300 * KIB)},
        limits=Limits(max_payload_bytes=1024 * KIB),
    )
    assert result.status == "SUCCEEDED"


def test_a_pass_state_output_over_the_limit_fails_too() -> None:
    definition = machine({"P": {"Type": "Pass", "Result": "y" * 100, "End": True}})
    result = run(definition, {}, limits=Limits(max_payload_bytes=64))
    assert (result.status, result.error) == ("FAILED", "States.DataLimitExceeded")


def test_task_parameters_over_the_limit_fail_before_the_handler_runs() -> None:
    calls: list[Any] = []
    definition = machine(
        {
            "T": task(
                "python:h", Parameters={"a.$": "$.s", "b.$": "$.s"}, ResultPath=None
            )
        }
    )
    # 150 KiB of input is fine; Parameters doubles it to 300 KiB.
    result = run(definition, {"s": "x" * (150 * KIB)}, {"h": calls.append})
    assert (result.status, result.error) == ("FAILED", "States.DataLimitExceeded")
    assert calls == []


def test_a_variable_over_its_limit_fails_with_states_runtime() -> None:
    definition = machine(
        {"A": {"Type": "Pass", "Assign": {"big.$": "$.s"}, "End": True}}
    )
    result = run(definition, {"s": "x" * 100}, limits=Limits(max_variable_bytes=50))
    assert (result.status, result.error) == ("FAILED", "States.Runtime")
    assert result.cause is not None
    assert "'big'" in result.cause


def test_the_history_limit_fails_a_runaway_loop() -> None:
    definition = machine(
        {
            "Again": {"Type": "Pass", "Next": "Check"},
            "Check": {
                "Type": "Choice",
                "Choices": [{"Variable": "$.stop", "IsPresent": True, "Next": "Done"}],
                "Default": "Again",
            },
            "Done": {"Type": "Succeed"},
        }
    )
    result = run(definition, {}, limits=Limits(max_history_events=100))
    assert (result.status, result.error) == ("FAILED", "States.Runtime")
    assert result.cause == (
        "The execution reached the maximum number of history events (100)."
    )
    assert len(history(result)) <= 101


# --- variables -----------------------------------------------------------------------------


def test_jsonpath_assign_from_a_task_result_and_the_input() -> None:
    definition = machine(
        {
            "T": task(
                "python:work",
                Assign={
                    "fromResult.$": "$.value",
                    "fromInput.$": "$$.Execution.Input.id",
                },
                ResultPath=None,
                Next="Read",
            ),
            "Read": {
                "Type": "Pass",
                "Parameters": {"r.$": "$fromResult", "i.$": "$fromInput"},
                "End": True,
            },
        }
    )
    result = run(definition, {"id": "abc"}, {"work": lambda p: {"value": 42}})
    assert result.output == {"r": 42, "i": "abc"}
    exited = [e for e in of_type(result, ev.StateExited) if e.name == "T"]
    assert [e.assigned for e in exited] == [{"fromResult": 42, "fromInput": "abc"}]
    (event,) = [e for e in history(result) if e["type"] == "TaskStateExited"]
    assert event["assignedVariables"] == {"fromResult": "42", "fromInput": '"abc"'}


def test_jsonata_assign_reads_states_result_and_earlier_variables() -> None:
    definition = machine(
        {
            "First": {"Type": "Pass", "Assign": {"count": 1}, "Next": "T"},
            "T": task(
                "python:work",
                Assign={
                    "count": "{% $count + 1 %}",
                    "doubled": "{% $states.result.value * 2 %}",
                },
                Output="{% $states.input %}",
                Next="Read",
            ),
            "Read": {
                "Type": "Pass",
                "Output": {"count": "{% $count %}", "doubled": "{% $doubled %}"},
                "End": True,
            },
        },
        QueryLanguage="JSONata",
    )
    result = run(definition, {}, {"work": lambda p: {"value": 21}})
    assert result.output == {"count": 2, "doubled": 42}


def test_assign_and_output_in_one_state_both_see_the_old_values() -> None:
    definition = machine(
        {
            "A": {"Type": "Pass", "Assign": {"v": "old"}, "Next": "B"},
            "B": {
                "Type": "Pass",
                "Assign": {"v": "new"},
                "Output": {"seen": "{% $v %}"},
                "Next": "C",
            },
            "C": {"Type": "Pass", "Output": {"now": "{% $v %}"}, "End": True},
        },
        QueryLanguage="JSONata",
    )
    result = run(definition)
    exited = {e.name: e.output for e in of_type(result, ev.StateExited)}
    assert exited["B"] == {"seen": "old"}
    assert result.output == {"now": "new"}


def test_variables_in_a_map_inside_a_parallel_reach_the_outermost_scope() -> None:
    definition = machine(
        {
            "Set": {"Type": "Pass", "Assign": {"unit": "kg"}, "Next": "P"},
            "P": {
                "Type": "Parallel",
                "Branches": [
                    branch(
                        {
                            "M": {
                                "Type": "Map",
                                "ItemProcessor": branch(
                                    {
                                        "Label": {
                                            "Type": "Pass",
                                            "Parameters": {
                                                "w.$": "$",
                                                "unit.$": "$unit",
                                            },
                                            "End": True,
                                        }
                                    }
                                ),
                                "End": True,
                            }
                        }
                    )
                ],
                "End": True,
            },
        }
    )
    result = run(definition, [1, 2])
    assert result.output == [[{"w": 1, "unit": "kg"}, {"w": 2, "unit": "kg"}]]


def test_an_unknown_handler_in_a_branch_is_refused_before_the_run() -> None:
    from statum.core.engine.errors import UnknownResource

    definition = machine(
        {
            "P": {
                "Type": "Parallel",
                "Branches": [branch({"T": task("python:ghost")})],
                "End": True,
            }
        }
    )
    runner = ExpressRunner(handlers=HandlerRegistry(), clock=VirtualClock())
    with pytest.raises(UnknownResource, match="python:ghost"):
        runner.run(load_program(definition))


def test_an_input_over_the_payload_limit_is_refused_before_anything_runs() -> None:
    from statum.core.engine.express import ExecutionInputTooLarge, ExpressRunner
    from statum.core.engine.loading import load_program
    from statum.core.interpreter.limits import Limits

    program = load_program(
        {"StartAt": "P", "States": {"P": {"Type": "Pass", "End": True}}}
    )
    runner = ExpressRunner(limits=Limits(max_payload_bytes=100))
    with pytest.raises(ExecutionInputTooLarge, match="over the limit of 100 bytes"):
        runner.run(program, {"data": "x" * 200})
    assert runner.run(program, {"data": "x"}).status == "SUCCEEDED"
