"""`.waitForTaskToken` in Express mode: the task parks until a callback answers."""

import asyncio
import threading
from typing import Any

import pytest

from statum.core.engine.context import TaskContext
from statum.core.engine.errors import (
    InvalidOutput,
    InvalidToken,
    TaskDoesNotExist,
    TaskTimedOut,
)
from statum.core.engine.loading import load_program
from statum.core.interpreter import events as ev
from tests.engine.helpers import Engine, check_journal, history, machine, of_type, task

RESOURCE = "python:notify.waitForTaskToken"


def token_machine(**fields: Any) -> dict[str, Any]:
    return machine(
        {
            "T": task(
                RESOURCE,
                Parameters={"token.$": "$$.Task.Token", "order.$": "$.order"},
                **fields,
            )
        }
    )


def answer_later(
    engine: Engine, answer: Any, *, after_s: float = 0.05
) -> list[dict[str, Any]]:
    """A `notify` handler that hands its token to a thread, which calls `answer`
    (with the runner and the token) a moment later."""
    calls: list[dict[str, Any]] = []

    def notify(payload: Any, context: TaskContext) -> Any:
        calls.append({"payload": payload, "token": context.task_token})
        timer = threading.Timer(after_s, answer, (engine.runner, payload["token"]))
        timer.daemon = True
        timer.start()
        return "ignored: the callback brings the result"

    engine.handlers.register("notify.waitForTaskToken", notify)
    return calls


def test_the_callback_completes_the_task_with_its_output() -> None:
    engine = Engine()
    calls = answer_later(
        engine, lambda runner, token: runner.send_task_success(token, {"paid": True})
    )
    result = engine.run(token_machine(), {"order": 7})
    assert (result.status, result.output) == ("SUCCEEDED", {"paid": True})
    token = calls[0]["token"]
    assert calls[0]["payload"] == {"token": token, "order": 7}
    assert isinstance(token, str)
    assert len(token) == 64
    assert of_type(result, ev.TaskScheduled)[0].token == token
    types = [e["type"] for e in history(result)]
    assert types.count("TaskSucceeded") == 1


def test_a_failure_callback_fails_the_task_and_can_be_caught() -> None:
    engine = Engine()
    answer_later(
        engine,
        lambda runner, token: runner.send_task_failure(token, "Declined", "no funds"),
    )
    definition = machine(
        {
            "T": task(
                RESOURCE,
                Parameters={"token.$": "$$.Task.Token", "order": 1},
                Catch=[{"ErrorEquals": ["Declined"], "Next": "Done"}],
            ),
            "Done": {"Type": "Pass", "End": True},
        }
    )
    result = engine.run(definition, {})
    assert result.status == "SUCCEEDED"
    assert result.output == {"Error": "Declined", "Cause": "no funds"}


def test_tokens_differ_per_task_and_per_execution_seed() -> None:
    tokens: list[str] = []
    for seed in ("one", "two"):
        engine = Engine(new_seed=lambda seed=seed: seed)
        calls = answer_later(engine, lambda r, t: r.send_task_success(t, 1))
        engine.run(token_machine(), {"order": 1}, name="same-name")
        tokens.append(calls[0]["token"])
    assert tokens[0] != tokens[1]


def test_a_token_can_be_used_once() -> None:
    engine = Engine()
    outcomes: list[str] = []
    answered = threading.Event()

    def twice(runner: Any, token: str) -> None:
        runner.send_task_success(token, "first")
        try:
            runner.send_task_success(token, "second")
        except TaskDoesNotExist as exc:
            outcomes.append(exc.code)
        finally:
            answered.set()

    answer_later(engine, twice)
    result = engine.run(token_machine(), {"order": 1})
    assert result.output == "first"
    # The run may end before the answering thread tried the second time.
    assert answered.wait(10)
    assert outcomes == ["TaskDoesNotExist"]


def test_unknown_and_malformed_tokens_get_aws_errors() -> None:
    runner = Engine().runner
    with pytest.raises(TaskDoesNotExist) as unknown:
        runner.send_task_success("f" * 64, {})
    assert unknown.value.code == "TaskDoesNotExist"
    with pytest.raises(InvalidToken):
        runner.send_task_success("", {})
    with pytest.raises(InvalidToken):
        runner.send_task_heartbeat(42)  # type: ignore[arg-type]


def test_an_output_with_no_json_form_is_refused_and_the_task_still_waits() -> None:
    engine = Engine()
    refused: list[str] = []

    def bad_then_good(runner: Any, token: str) -> None:
        try:
            runner.send_task_success(token, object())
        except InvalidOutput as exc:
            refused.append(exc.code)
        runner.send_task_success(token, "good")

    answer_later(engine, bad_then_good)
    result = engine.run(token_machine(), {"order": 1})
    assert (result.output, refused) == ("good", ["InvalidOutput"])


def test_a_token_task_without_a_heartbeat_times_out() -> None:
    engine = Engine()
    answer_later(engine, lambda runner, token: None)  # never answers
    result = engine.run(token_machine(HeartbeatSeconds=1), {"order": 1})
    assert (result.status, result.error) == ("FAILED", "States.HeartbeatTimeout")
    with pytest.raises(TaskTimedOut):  # the token died with its task
        engine.runner.send_task_success(
            of_type(result, ev.TaskScheduled)[0].token or "", 1
        )


def test_heartbeats_keep_a_token_task_waiting_until_its_answer() -> None:
    engine = Engine()

    def beat_then_answer(runner: Any, token: str) -> None:
        for _ in range(4):
            threading.Event().wait(0.3)
            runner.send_task_heartbeat(token)
        runner.send_task_success(token, "after 1.2 s")

    answer_later(engine, beat_then_answer)
    result = engine.run(token_machine(HeartbeatSeconds=1), {"order": 1})
    assert (result.status, result.output) == ("SUCCEEDED", "after 1.2 s")
    assert len(of_type(result, ev.TaskHeartbeat)) == 4


def test_the_callback_can_come_from_the_applications_own_loop() -> None:
    async def main() -> Any:
        tokens: asyncio.Queue[str] = asyncio.Queue()
        engine = Engine()

        async def notify(payload: Any) -> Any:
            await tokens.put(payload["token"])

        engine.handlers.register("notify.waitForTaskToken", notify)
        program = load_program(token_machine())
        running = asyncio.create_task(engine.runner.run_async(program, {"order": 3}))
        token = await asyncio.wait_for(tokens.get(), 10)
        engine.runner.send_task_success(token, {"order": 3, "ok": True})
        result = await asyncio.wait_for(running, 10)
        check_journal(program, result)
        return result

    result = asyncio.run(main())
    assert result.output == {"order": 3, "ok": True}
