"""Properties of the pure core, over random workflows and task outcomes.

* replaying a journal reproduces the execution state exactly;
* re-deciding after each fact reproduces the recorded decisions byte for byte;
* every event survives encode/decode unchanged;
* folding in two parts equals folding at once;
* task and timer keys are numbered by the work serial, never by the history.
"""

from typing import Any

import msgspec
from hypothesis import given
from hypothesis import strategies as st

from statum.core.engine.clock import VirtualClock
from statum.core.engine.express import ExpressRunner
from statum.core.engine.handlers import HandlerRegistry, TaskFailure
from statum.core.engine.loading import load_program
from statum.core.interpreter import events as ev
from statum.core.interpreter.codec import decode_event, encode_event, encode_journal
from statum.core.interpreter.decide import decide
from statum.core.interpreter.evolve import fold
from tests.strategies import workflow_inputs, workflows

FACTS = ev.FACT_TYPES


def _run(definition: dict[str, Any], payload: Any, outcomes: list[bool]) -> Any:
    handlers = HandlerRegistry()
    calls = iter(outcomes)

    def maybe_fail(value: Any) -> Any:
        if next(calls, True):
            return {"ok": value}
        raise TaskFailure("Custom.Error", "drawn to fail")

    handlers.register("maybe-fail", maybe_fail)

    runner = ExpressRunner(
        handlers=handlers, clock=VirtualClock(), new_id=lambda: "fixed-id"
    )
    program = load_program(definition)
    return program, runner.run(program, payload)


def _builtins(value: Any) -> Any:
    return msgspec.to_builtins(value)


@given(workflows(), workflow_inputs, st.lists(st.booleans(), max_size=20))
def test_replay_reproduces_state(
    definition: Any, payload: Any, outcomes: list[bool]
) -> None:
    _, result = _run(definition, payload, outcomes)
    assert result.state.finished
    assert _builtins(fold(result.journal)) == _builtins(result.state)


@given(workflows(), workflow_inputs, st.lists(st.booleans(), max_size=20))
def test_redeciding_reproduces_decisions(
    definition: Any, payload: Any, outcomes: list[bool]
) -> None:
    program, result = _run(definition, payload, outcomes)
    journal = result.journal
    for position, event in enumerate(journal):
        if not isinstance(event, FACTS):
            continue
        end = position + 1
        while end < len(journal) and not isinstance(journal[end], FACTS):
            end += 1
        redecided = decide(program, fold(journal[: position + 1]))
        assert encode_journal(redecided) == encode_journal(journal[position + 1 : end])


@given(workflows(), workflow_inputs, st.lists(st.booleans(), max_size=20))
def test_events_round_trip(definition: Any, payload: Any, outcomes: list[bool]) -> None:
    _, result = _run(definition, payload, outcomes)
    for event in result.journal:
        assert decode_event(encode_event(event)) == event


@given(workflows(), workflow_inputs, st.lists(st.booleans(), max_size=20), st.data())
def test_fold_split_law(
    definition: Any, payload: Any, outcomes: list[bool], data: st.DataObject
) -> None:
    _, result = _run(definition, payload, outcomes)
    journal = result.journal
    cut = data.draw(st.integers(0, len(journal)))
    assert _builtins(fold(journal[cut:], fold(journal[:cut]))) == _builtins(
        fold(journal)
    )


@given(workflows(), workflow_inputs, st.lists(st.booleans(), max_size=20))
def test_work_keys_follow_the_work_serial(
    definition: Any, payload: Any, outcomes: list[bool]
) -> None:
    _, result = _run(definition, payload, outcomes)
    serial = 0
    task = ""
    for event in result.journal:
        if isinstance(event, ev.TaskScheduled):
            task = event.task
            assert task == f"{event.frame}.{serial}"
            serial += 1
        elif isinstance(event, ev.TimerStarted):
            if event.purpose in ("timeout", "heartbeat"):
                assert event.timer == f"{event.purpose}:{task}"
            elif event.purpose in ("wait", "retry"):
                assert event.timer == f"{event.purpose}:{event.frame}.{serial}"
            else:
                assert (event.purpose, event.timer) == (
                    "execution",
                    "execution-timeout",
                )
            serial += 1
    assert fold(result.journal).work_serial == serial
