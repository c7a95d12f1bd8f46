"""Python handlers behind Task states: registration, calling, and failures."""

import asyncio
from typing import Any

import pytest

from statum.core.engine.errors import UnknownResource
from statum.core.engine.handlers import HandlerRegistry, TaskFailure
from statum.core.engine.loading import load_program
from statum.core.interpreter import events as ev
from tests.engine.helpers import T0, Engine, history, machine, of_type, run, task

ONE_TASK = machine({"T": task("python:work", ResultPath="$.result")})


def test_a_sync_handler_gets_the_task_input_and_its_result_is_merged() -> None:
    seen: list[Any] = []

    def work(payload: Any) -> Any:
        seen.append(payload)
        return payload["n"] * 2

    result = run(ONE_TASK, {"n": 21}, {"work": work})
    assert result.status == "SUCCEEDED"
    assert result.output == {"n": 21, "result": 42}
    assert seen == [{"n": 21}]


def test_a_bare_registered_name_is_a_resource_too() -> None:
    result = run(machine({"T": task("work")}), {"n": 1}, {"work": lambda p: "ok"})
    assert (result.status, result.output) == ("SUCCEEDED", "ok")


def test_the_register_decorator() -> None:
    engine = Engine()

    @engine.handlers.register("shout")
    def shout(payload: Any) -> Any:
        return payload["s"].upper()

    result = engine.run(machine({"T": task("python:shout")}), {"s": "hi"})
    assert result.output == "HI"
    assert shout({"s": "a"}) == "A"  # the decorator gives the function back


def test_an_async_handler_is_awaited() -> None:
    async def work(payload: Any) -> Any:
        await asyncio.sleep(0)
        return {"async": payload["n"]}

    result = run(ONE_TASK, {"n": 3}, {"work": work})
    assert result.status == "SUCCEEDED"
    assert result.output == {"n": 3, "result": {"async": 3}}


@pytest.mark.filterwarnings("ignore:coroutine .* was never awaited:RuntimeWarning")
def test_run_refuses_to_block_a_running_event_loop() -> None:
    from statum.core.engine.errors import EventLoopRunning

    async def main() -> Any:
        return run(machine({"T": task("python:work")}), {"n": 1}, {"work": len})

    with pytest.raises(EventLoopRunning, match="run_async"):
        asyncio.run(main())


def test_run_async_runs_on_the_applications_loop_with_its_lock() -> None:
    async def main() -> Any:
        lock = asyncio.Lock()  # owned by the application's loop

        async def work(payload: Any) -> Any:
            async with lock:
                return payload["n"] + 1

        engine = Engine({"work": work})
        program = load_program(machine({"T": task("python:work")}))
        async with lock:
            running = asyncio.create_task(engine.runner.run_async(program, {"n": 1}))
            await asyncio.sleep(0.01)
            assert not running.done()  # waits for the lock the application holds
        return await asyncio.wait_for(running, 5)

    result = asyncio.run(main())
    assert (result.status, result.output) == ("SUCCEEDED", 2)


def test_a_handler_taking_a_context_gets_a_stable_idempotency_key() -> None:
    contexts: list[dict[str, Any]] = []

    def work(payload: Any, context: dict[str, Any]) -> Any:
        contexts.append(dict(context))
        return None

    definition = machine({"A": task("python:work", Next="B"), "B": task("python:work")})
    first = run(definition, {}, {"work": work})
    again = run(definition, {}, {"work": work})
    execution_id = first.execution_id
    assert execution_id.endswith(":execution:statemachine:test")
    scheduled = [e.task for e in of_type(first, ev.TaskScheduled)]
    assert [c["idempotency_key"] for c in contexts[:2]] == [
        f"{execution_id}/{state}/{t}/0"
        for state, t in zip("AB", scheduled, strict=True)
    ]
    assert len({c["idempotency_key"] for c in contexts[:2]}) == 2  # one per state
    # The same execution run again (a redelivery) gets the same keys.
    assert [c["idempotency_key"] for c in contexts[2:]] == [
        c["idempotency_key"] for c in contexts[:2]
    ]
    assert contexts[0]["execution_id"] == execution_id == again.execution_id
    assert contexts[0]["resource"] == "python:work"


def test_each_retry_attempt_gets_its_own_idempotency_key() -> None:
    keys: list[str] = []

    def flaky(payload: Any, context: dict[str, Any]) -> Any:
        keys.append(context["idempotency_key"])
        if len(keys) < 3:
            raise TaskFailure("Flaky", "not yet")
        return "done"

    definition = machine(
        {"T": task("python:flaky", Retry=[{"ErrorEquals": ["Flaky"]}])}
    )
    result = run(definition, {}, {"flaky": flaky})
    assert result.status == "SUCCEEDED"
    assert len(keys) == len(set(keys)) == 3
    assert all(key.startswith(result.execution_id + "/") for key in keys)


def test_an_exception_fails_the_task_with_its_class_name_and_message() -> None:
    class PaymentDeclined(Exception):
        pass

    def work(payload: Any) -> Any:
        raise PaymentDeclined(f"card {payload['card']} declined")

    result = run(ONE_TASK, {"card": "4242"}, {"work": work})
    assert result.status == "FAILED"
    assert result.error == "PaymentDeclined"
    assert result.cause == "card 4242 declined"
    failed = of_type(result, ev.TaskFailed)
    assert [(e.error, e.cause) for e in failed] == [
        ("PaymentDeclined", "card 4242 declined")
    ]


def test_an_exception_without_a_message_has_an_empty_cause() -> None:
    def work(payload: Any) -> Any:
        raise KeyError

    result = run(ONE_TASK, {}, {"work": work})
    assert (result.error, result.cause) == ("KeyError", "")


def test_task_failure_sets_the_exact_error_and_cause() -> None:
    def work(payload: Any) -> Any:
        raise TaskFailure("Orders.OutOfStock", "sku 7 is out of stock")

    result = run(ONE_TASK, {}, {"work": work})
    assert (result.status, result.error, result.cause) == (
        "FAILED",
        "Orders.OutOfStock",
        "sku 7 is out of stock",
    )


def test_task_failure_without_a_cause() -> None:
    def work(payload: Any) -> Any:
        raise TaskFailure("Bare")

    result = run(ONE_TASK, {}, {"work": work})
    assert (result.error, result.cause) == ("Bare", None)
    assert history(result)[-1] == {
        "id": len(history(result)),
        "previousEventId": len(history(result)) - 1,
        "type": "ExecutionFailed",
        "error": "Bare",
    }


SAMPLES = "tests.engine.sample_handlers"


def allowing_samples() -> Engine:
    engine = Engine()
    engine.handlers.allow_module(SAMPLES)
    return engine


def test_a_module_function_resource_is_imported_from_an_allowed_module() -> None:
    definition = machine({"T": task(f"python:{SAMPLES}:double", ResultPath="$.r")})
    result = allowing_samples().run(definition, {"n": 4})
    assert result.status == "SUCCEEDED"
    assert result.output == {"n": 4, "r": {"doubled": 8}}


def test_a_module_function_taking_a_context() -> None:
    definition = machine({"T": task(f"python:{SAMPLES}:with_context")})
    result = allowing_samples().run(definition, {"n": 4})
    scheduled = of_type(result, ev.TaskScheduled)[0]
    assert result.output == {
        "key": f"{result.execution_id}/T/{scheduled.task}/0",
        "input": {"n": 4},
    }


def test_an_imported_handler_is_resolved_once_and_kept() -> None:
    registry = HandlerRegistry()
    registry.allow_module(SAMPLES)
    first = registry.resolve(f"python:{SAMPLES}:double")
    assert first is not None
    assert registry.resolve(f"python:{SAMPLES}:double") is first
    assert first({"n": 1}) == {"doubled": 2}


@pytest.mark.parametrize(
    "resource",
    [
        "python:os:system",
        "python:builtins:eval",
        "python:subprocess:run",
        f"python:{SAMPLES}:double",  # importable, but not allow-listed
    ],
)
def test_a_definition_cannot_name_code_the_host_did_not_allow(resource: str) -> None:
    engine = Engine()
    with pytest.raises(UnknownResource) as refused:
        engine.run(machine({"T": task(resource)}), {})
    assert resource in str(refused.value)
    assert "allow-listed" in str(refused.value)
    assert engine.runner.handlers.resolve(resource) is None


def test_an_unknown_resource_is_refused_before_anything_is_recorded() -> None:
    engine = Engine()
    seen: list[ev.Event] = []
    program = load_program(machine({"T": task("python:nobody-home")}))
    with pytest.raises(UnknownResource) as refused:
        engine.runner.run(program, {}, observer=seen.append)
    assert seen == []
    assert refused.value.missing == [("T", "python:nobody-home")]
    assert "no handler serves state 'T': 'python:nobody-home'" in str(refused.value)


def test_an_unknown_resource_cannot_be_swallowed_by_a_catch() -> None:
    definition = machine(
        {
            "T": task(
                "python:nobody-home",
                Catch=[{"ErrorEquals": ["States.ALL"], "Next": "H"}],
            ),
            "H": {"Type": "Succeed"},
        }
    )
    with pytest.raises(UnknownResource):
        Engine().run(definition, {})


def test_an_unknown_aws_resource_is_refused_the_same_way() -> None:
    with pytest.raises(UnknownResource) as refused:
        Engine().run(machine({"T": task("arn:aws:states:::lambda:invoke")}), {})
    assert "arn:aws:states:::lambda:invoke" in str(refused.value)


@pytest.mark.parametrize(
    "resource",
    [
        "python:tests.engine.no_such_module:double",
        f"python:{SAMPLES}:no_such_function",
        f"python:{SAMPLES}:NOT_CALLABLE",
    ],
)
def test_an_unresolvable_module_function_is_refused(resource: str) -> None:
    engine = allowing_samples()
    engine.handlers.allow_module("tests.engine.no_such_module")
    with pytest.raises(UnknownResource) as refused:
        engine.run(machine({"T": task(resource)}), {})
    assert resource in str(refused.value)


def test_the_journal_stamps_task_facts_with_the_clock() -> None:
    engine = Engine()

    def slow(payload: Any) -> Any:
        engine.clock.advance(250)
        return "ok"

    engine.handlers.register("slow", slow)
    result = engine.run(
        machine(
            {
                "T": task("python:slow"),
            }
        ),
        {},
    )
    started = of_type(result, ev.TaskStarted)
    succeeded = of_type(result, ev.TaskSucceeded)
    assert [e.at_ms for e in started] == [T0]
    assert [e.at_ms for e in succeeded] == [T0 + 250]
    assert result.journal[-1].at_ms == T0 + 250  # decisions carry the fact's time
    assert result.state.now_ms == T0 + 250


def test_task_history_chains_ids_and_previous_event_ids() -> None:
    result = run(ONE_TASK, {"n": 3}, {"work": lambda p: 6})
    assert history(result) == [
        {"id": 1, "previousEventId": 0, "type": "ExecutionStarted", "input": {"n": 3}},
        {
            "id": 2,
            "previousEventId": 0,
            "type": "TaskStateEntered",
            "name": "T",
            "input": {"n": 3},
        },
        {
            "id": 3,
            "previousEventId": 2,
            "type": "TaskScheduled",
            "resourceType": "python",
            "resource": "work",
            "region": "local",
            "parameters": {"n": 3},
        },
        {
            "id": 4,
            "previousEventId": 3,
            "type": "TaskStarted",
            "resourceType": "python",
            "resource": "work",
        },
        {
            "id": 5,
            "previousEventId": 4,
            "type": "TaskSucceeded",
            "resourceType": "python",
            "resource": "work",
            "output": 6,
        },
        {
            "id": 6,
            "previousEventId": 5,
            "type": "TaskStateExited",
            "name": "T",
            "output": {"n": 3, "result": 6},
        },
        {
            "id": 7,
            "previousEventId": 6,
            "type": "ExecutionSucceeded",
            "output": {"n": 3, "result": 6},
        },
    ]
    assert result.state.history_len == 7


# --- bugs: handler calling conventions and JSON hygiene -----------------------------


def test_a_handler_with_keyword_only_options_gets_only_the_input() -> None:
    def work(payload: Any, *, scale: int = 10) -> Any:
        return payload["n"] * scale

    result = run(machine({"T": task("python:work")}), {"n": 2}, {"work": work})
    assert (result.status, result.output) == ("SUCCEEDED", 20)


def test_a_handler_whose_second_parameter_has_a_default_gets_only_the_input() -> None:
    def work(payload: Any, scale: int = 10) -> Any:
        return payload["n"] * scale

    result = run(machine({"T": task("python:work")}), {"n": 2}, {"work": work})
    assert (result.status, result.output) == ("SUCCEEDED", 20)


def test_a_handler_that_mutates_its_input_cannot_rewrite_the_journal() -> None:
    def work(payload: Any) -> Any:
        payload["n"] = 99
        return "ok"

    payload = {"n": 1}
    result = run(ONE_TASK, payload, {"work": work})
    assert result.output == {"n": 1, "result": "ok"}
    started = result.journal[0]
    assert isinstance(started, ev.ExecutionStarted)
    assert started.input == {"n": 1}
    assert of_type(result, ev.TaskScheduled)[0].parameters == {"n": 1}
    assert payload == {"n": 1}  # nor the caller's input


def test_a_result_mutated_after_the_handler_returned_leaves_the_journal_alone() -> None:
    cache: dict[str, Any] = {"items": [1]}
    result = run(machine({"T": task("python:work")}), {}, {"work": lambda p: cache})
    cache["items"].append(2)
    assert of_type(result, ev.TaskSucceeded)[0].output == {"items": [1]}
    assert result.output == {"items": [1]}


def test_a_tuple_result_is_recorded_as_a_json_array() -> None:
    result = run(machine({"T": task("python:work")}), {}, {"work": lambda p: (1, 2)})
    assert result.output == [1, 2]
    assert history(result)[-1]["output"] == [1, 2]


def test_a_result_that_is_not_json_fails_the_task() -> None:
    result = run(machine({"T": task("python:work")}), {}, {"work": lambda p: object()})
    assert (result.status, result.error) == ("FAILED", "States.TaskFailed")
    assert result.cause is not None
    assert "JSON" in result.cause


# --- AWS Lambda ARNs: existing definitions run unchanged --------------------------


def lambda_engine() -> Engine:
    engine = Engine()

    @engine.handlers.register_lambda("charge")
    def charge(event: Any) -> Any:
        return {"charged": event["amount"]}

    return engine


@pytest.mark.parametrize(
    "resource",
    [
        "arn:aws:lambda:us-east-1:123456789012:function:charge",
        "arn:aws:lambda:eu-west-1:000000000000:function:charge:$LATEST",
        "arn:aws:lambda:us-east-1:123456789012:function:charge:prod",
    ],
)
def test_a_function_arn_calls_the_handler_registered_for_that_function(
    resource: str,
) -> None:
    result = lambda_engine().run(machine({"T": task(resource)}), {"amount": 5})
    assert (result.status, result.output) == ("SUCCEEDED", {"charged": 5})
    assert history(result)[-3]["type"] == "LambdaFunctionSucceeded"


@pytest.mark.parametrize(
    "function_name",
    [
        "charge",
        "arn:aws:lambda:us-east-1:123456789012:function:charge",
        "1:function:charge",
    ],
)
def test_lambda_invoke_calls_the_function_with_its_payload(function_name: str) -> None:
    definition = machine(
        {
            "T": task(
                "arn:aws:states:::lambda:invoke",
                Parameters={
                    "FunctionName": function_name,
                    "Payload": {"amount.$": "$.n"},
                },
                OutputPath="$.Payload",
            )
        }
    )
    result = lambda_engine().run(definition, {"n": 7})
    assert (result.status, result.output) == ("SUCCEEDED", {"charged": 7})


def test_lambda_invoke_returns_lambdas_invoke_response() -> None:
    definition = machine(
        {
            "T": task(
                "arn:aws:states:::lambda:invoke",
                Parameters={"FunctionName": "charge", "Payload": {"amount": 1}},
            )
        }
    )
    output = lambda_engine().run(definition, {}).output
    assert output["Payload"] == {"charged": 1}
    assert (output["StatusCode"], output["ExecutedVersion"]) == (200, "$LATEST")


def test_lambda_invoke_of_an_unknown_function_fails_as_aws_does() -> None:
    definition = machine(
        {
            "T": task(
                "arn:aws:states:::lambda:invoke", Parameters={"FunctionName": "refund"}
            )
        }
    )
    result = lambda_engine().run(definition, {})
    assert (result.status, result.error) == (
        "FAILED",
        "Lambda.ResourceNotFoundException",
    )
    assert "refund" in (result.cause or "")


def test_a_function_arn_of_an_unregistered_function_is_refused_before_the_run() -> None:
    with pytest.raises(UnknownResource):
        lambda_engine().run(
            machine({"T": task("arn:aws:lambda:us-east-1:1:function:refund")}), {}
        )


def test_the_handler_decorator_feeds_the_registry_a_plain_runner_uses() -> None:
    from statum.core.engine import ExpressRunner, handler

    @handler("tests.decorated-greet")
    def greet(event: Any) -> Any:
        return f"hello {event['name']}"

    program = load_program(machine({"T": task("python:tests.decorated-greet")}))
    result = ExpressRunner().run(program, {"name": "Ada"})
    assert (result.status, result.output) == ("SUCCEEDED", "hello Ada")
