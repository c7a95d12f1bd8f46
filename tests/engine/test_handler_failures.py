"""Handlers that fail in every way still give a clear ASL error, and the journal
keeps what happened (with the traceback, for debugging)."""

import asyncio
import sys
from typing import Any

import pytest

from statum.core.engine.errors import InvalidExecutionInput
from statum.core.interpreter import events as ev
from statum.projections.history import flatten, project_history
from tests.engine.helpers import Engine, machine, of_type, run, task

ONE = machine({"T": task("python:h")})


def failing(exc: BaseException) -> Any:
    def handler(payload: Any) -> Any:
        raise exc

    return handler


def test_an_exception_keeps_its_class_name_message_and_traceback() -> None:
    def charge(payload: Any) -> Any:
        raise LookupError("no such card")

    result = run(ONE, {}, {"h": charge})
    assert (result.status, result.error, result.cause) == (
        "FAILED",
        "LookupError",
        "no such card",
    )
    failed = of_type(result, ev.TaskFailed)[0]
    assert failed.traceback is not None
    assert "Traceback (most recent call last)" in failed.traceback
    assert "in charge" in failed.traceback
    assert 'raise LookupError("no such card")' in failed.traceback
    assert result.tracebacks == [failed.traceback]
    # The AWS history has no traceback in it.
    assert "Traceback" not in str(flatten(project_history(result.journal)))


def test_an_async_handlers_exception_keeps_its_traceback_too() -> None:
    async def charge(payload: Any) -> Any:
        await asyncio.sleep(0)
        raise ValueError("declined")

    result = run(ONE, {}, {"h": charge})
    assert (result.error, result.cause) == ("ValueError", "declined")
    assert "in charge" in (result.tracebacks or [""])[0]


@pytest.mark.parametrize("code", [None, 0, 3, "bye"])
def test_sys_exit_in_a_handler_fails_the_task_not_the_process(code: Any) -> None:
    def leave(payload: Any) -> Any:
        sys.exit(code)

    result = run(ONE, {}, {"h": leave})
    assert (result.status, result.error) == ("FAILED", "SystemExit")
    assert result.cause is not None
    assert f"sys.exit({'' if code is None else repr(code)})" in result.cause
    assert "raise an exception" in result.cause


def test_a_base_exception_subclass_fails_the_task() -> None:
    class Weird(BaseException):
        pass

    result = run(ONE, {}, {"h": failing(Weird("odd"))})
    assert (result.status, result.error) == ("FAILED", "Weird")
    assert "not an Exception" in (result.cause or "")


def test_an_exception_whose_message_cannot_be_printed() -> None:
    class Unprintable(Exception):
        def __str__(self) -> str:
            raise RuntimeError("no")

    result = run(ONE, {}, {"h": failing(Unprintable())})
    assert (result.status, result.error) == ("FAILED", "Unprintable")
    assert result.cause == "<Unprintable whose message cannot be printed>"


def test_a_failure_can_be_retried_and_the_journal_keeps_every_attempt() -> None:
    calls: list[int] = []

    def flaky(payload: Any) -> Any:
        calls.append(1)
        if len(calls) < 3:
            raise ConnectionError(f"attempt {len(calls)}")
        return "ok"

    definition = machine(
        {"T": task("python:h", Retry=[{"ErrorEquals": ["ConnectionError"]}])}
    )
    result = run(definition, {}, {"h": flaky})
    assert result.output == "ok"
    assert [f.cause for f in of_type(result, ev.TaskFailed)] == [
        "attempt 1",
        "attempt 2",
    ]


def test_an_input_with_no_json_form_is_refused_before_anything_is_recorded() -> None:
    engine = Engine({"h": lambda p: p})
    seen: list[ev.Event] = []
    from statum.core.engine.loading import load_program

    with pytest.raises(InvalidExecutionInput, match="no JSON form"):
        engine.runner.run(load_program(ONE), {"when": object()}, observer=seen.append)
    assert seen == []


def test_a_tuple_in_the_input_is_recorded_as_the_array_replay_will_read() -> None:
    result = run(ONE, {"pair": (1, 2)}, {"h": lambda p: p})
    assert result.output == {"pair": [1, 2]}
    started = result.journal[0]
    assert isinstance(started, ev.ExecutionStarted)
    assert started.input == {"pair": [1, 2]}
