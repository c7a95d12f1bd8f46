"""Facts arrive in any order, twice, or too late; the journal still replays.

A durable runtime delivers facts at least once and in no promised order: a lease
expires and a second worker starts the same task, a result arrives after its
task timed out, branches finish in any order. Hypothesis plays such a runtime
against the pure core and checks what must hold for every journal.
"""

from collections import Counter

import msgspec
from hypothesis import given, settings
from hypothesis import strategies as st

from statum.core.engine.loading import load_program
from statum.core.interpreter import events as ev
from statum.core.interpreter.codec import decode_journal, encode_journal
from statum.core.interpreter.commands import RunTask, StartTimer, commands_for
from statum.core.interpreter.decide import advance, decide
from statum.core.interpreter.evolve import apply, fold
from statum.core.interpreter.state import INITIAL_STATE
from statum.projections.history import flatten, project_history

T0 = 1_700_000_000_000

DEFINITION = {
    "StartAt": "P",
    "States": {
        "P": {
            "Type": "Parallel",
            "Branches": [
                {
                    "StartAt": f"T{n}",
                    "States": {
                        f"T{n}": {
                            "Type": "Task",
                            "Resource": "python:work",
                            "TimeoutSeconds": 5,
                            "Retry": [{"ErrorEquals": ["Again"], "MaxAttempts": 1}],
                            "End": True,
                        }
                    },
                }
                for n in range(3)
            ],
            "Catch": [{"ErrorEquals": ["States.ALL"], "Next": "Caught"}],
            "End": True,
        },
        "Caught": {"Type": "Pass", "End": True},
    },
}
PROGRAM = load_program(DEFINITION)

ACTIONS = st.sampled_from(
    ["start", "start", "succeed", "succeed", "fail", "again", "late", "tick", "dup"]
)


@settings(max_examples=150, deadline=None)
@given(st.data())
def test_any_interleaving_replays_exactly(data: st.DataObject) -> None:
    state = INITIAL_STATE.clone()
    journal: list[ev.Event] = []
    now = T0
    finished_tasks: list[str] = []

    def record(fact: ev.Event) -> None:
        apply(state, fact)
        journal.append(fact)
        journal.extend(advance(PROGRAM, state))

    record(ev.ExecutionStarted(at_ms=now, execution_id="x", name="x", input={"k": 1}))
    for _ in range(60):
        if state.finished:
            break
        commands = commands_for(state)
        tasks = [c for c in commands if isinstance(c, RunTask)]
        timers = [c for c in commands if isinstance(c, StartTimer)]
        action = data.draw(ACTIONS)
        now += data.draw(st.integers(0, 2000))
        if action == "tick" and timers:
            timer = min(timers, key=lambda t: t.due_ms)
            now = max(now, timer.due_ms)
            record(ev.TimerFired(at_ms=now, timer=timer.timer))
        elif action == "late" and finished_tasks:
            key = data.draw(st.sampled_from(finished_tasks))
            record(ev.TaskSucceeded(at_ms=now, task=key, output="late"))
        elif tasks:
            command = data.draw(st.sampled_from(tasks))
            key = command.key
            if action in ("start", "dup"):
                record(ev.TaskStarted(at_ms=now, task=key))
                if action == "dup":
                    record(ev.TaskStarted(at_ms=now, task=key))
            elif action == "succeed":
                record(ev.TaskSucceeded(at_ms=now, task=key, output={"by": key}))
                finished_tasks.append(key)
            else:
                error = "Again" if action == "again" else "Broken"
                record(ev.TaskFailed(at_ms=now, task=key, error=error, cause=action))
                finished_tasks.append(key)

    # Replaying the journal gives the live state back, also through the codec.
    assert msgspec.to_builtins(fold(journal)) == msgspec.to_builtins(state)
    assert decode_journal(encode_journal(journal)) == journal
    # Re-deciding after each fact gives back exactly the decisions recorded.
    for position, event in enumerate(journal):
        if isinstance(event, ev.FACT_TYPES):
            end = position + 1
            while end < len(journal) and not isinstance(journal[end], ev.FACT_TYPES):
                end += 1
            assert (
                list(decide(PROGRAM, fold(journal[: position + 1])))
                == journal[position + 1 : end]
            )
    # The AWS history shows each task attempt started once, however often the
    # fact came, and no result for a task that was already over.
    history = flatten(project_history(journal))
    assert len(history) == state.history_len
    per_attempt = Counter(
        e["previousEventId"] for e in history if e["type"] == "TaskStarted"
    )
    assert all(count == 1 for count in per_attempt.values())
    scheduled = sum(1 for e in history if e["type"] == "TaskScheduled")
    outcomes = sum(
        1
        for e in history
        if e["type"] in ("TaskSucceeded", "TaskFailed", "TaskTimedOut")
    )
    assert outcomes <= scheduled
