"""The JournalStore port: the conflict semantics every store must have, and the
engine's answer to a conflict (reload, fold afresh, decide again).

The durable stores of Standard mode join `STORES` and must pass the same tests.
"""

import asyncio
from collections.abc import Callable, Sequence
from typing import Any

import msgspec
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from statum.core.engine.errors import (
    ExecutionAlreadyExists,
    ExecutionNotFound,
    JournalConflict,
)
from statum.core.engine.memory_store import InMemoryJournalStore
from statum.core.engine.ports import JournalStore
from statum.core.interpreter import events as ev
from statum.core.interpreter.evolve import fold
from tests.engine.helpers import Engine, branch, machine, task

STORES: dict[str, Callable[[], JournalStore]] = {"memory": InMemoryJournalStore}


def started(at: int = 0) -> ev.ExecutionStarted:
    return ev.ExecutionStarted(at_ms=at, execution_id="x", name="x", input={})


def fired(n: int) -> ev.TimerFired:
    return ev.TimerFired(at_ms=n, timer=f"t{n}")


def run(coro: Any) -> Any:
    return asyncio.run(coro)


@pytest.fixture(params=sorted(STORES))
def store(request: pytest.FixtureRequest) -> JournalStore:
    return STORES[request.param]()


def test_version_zero_creates_a_journal_once(store: JournalStore) -> None:
    assert run(store.append("x", [started()], 0)) == 1
    with pytest.raises(ExecutionAlreadyExists):
        run(store.append("x", [started()], 0))
    assert list(run(store.load("x"))) == [started()]


def test_an_append_at_a_stale_version_conflicts_and_appends_nothing(
    store: JournalStore,
) -> None:
    run(store.append("x", [started()], 0))
    assert run(store.append("x", [fired(1), fired(2)], 1)) == 3
    with pytest.raises(JournalConflict) as conflict:
        run(store.append("x", [fired(3)], 1))
    assert (conflict.value.expected, conflict.value.actual) == (1, 3)
    assert len(run(store.load("x"))) == 3


def test_appending_to_a_journal_that_does_not_exist_conflicts(
    store: JournalStore,
) -> None:
    with pytest.raises(JournalConflict):
        run(store.append("nobody", [fired(1)], 4))


def test_loading_an_unknown_execution(store: JournalStore) -> None:
    with pytest.raises(ExecutionNotFound):
        run(store.load("nobody"))


def test_a_loaded_journal_does_not_change_with_later_appends(
    store: JournalStore,
) -> None:
    run(store.append("x", [started()], 0))
    loaded = run(store.load("x"))
    run(store.append("x", [fired(1)], 1))
    assert len(loaded) == 1


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.sampled_from("ab"), st.integers(0, 5)), max_size=30))
def test_appends_succeed_exactly_when_the_version_is_current(
    attempts: list[tuple[str, int]],
) -> None:
    for factory in STORES.values():
        store = factory()
        model: dict[str, int] = {}
        for stream, version in attempts:
            current = model.get(stream)
            try:
                got = run(store.append(stream, [fired(version)], version))
            except ExecutionAlreadyExists:
                assert current is not None
                assert version == 0
            except JournalConflict:
                assert (current or 0) != version
            else:
                assert (current or 0) == version
                model[stream] = got
        for stream, length in model.items():
            assert len(run(store.load(stream))) == length


class RacingStore(InMemoryJournalStore):
    """A store where another writer appends `intruder` just before the engine's
    `at`-th append: the engine's append then conflicts."""

    def __init__(
        self, at: int, intruder: Callable[[Sequence[ev.Event]], ev.Event]
    ) -> None:
        super().__init__()
        self.at = at
        self.intruder = intruder
        self.appends = 0
        self.conflicts = 0

    async def append(
        self, execution_id: str, events: Sequence[ev.Event], expected_version: int
    ) -> int:
        self.appends += 1
        if self.appends == self.at:
            journal = await self.load(execution_id)
            await super().append(execution_id, [self.intruder(journal)], len(journal))
        try:
            return await super().append(execution_id, events, expected_version)
        except JournalConflict:
            self.conflicts += 1
            raise


def test_a_conflicting_append_is_decided_again_from_a_fresh_fold() -> None:
    def duplicate_start(journal: Sequence[ev.Event]) -> ev.Event:
        # Another worker took the same task over: it reports TaskStarted too.
        scheduled = [e for e in journal if isinstance(e, ev.TaskScheduled)]
        return ev.TaskStarted(at_ms=journal[-1].at_ms, task=scheduled[-1].task)

    store = RacingStore(at=2, intruder=duplicate_start)
    definition = machine({"A": task("python:echo", Next="B"), "B": task("python:echo")})
    engine = Engine({"echo": lambda p: p}, store=store)
    result = engine.run(definition, {"v": 1})
    assert (result.status, result.output) == ("SUCCEEDED", {"v": 1})
    assert store.conflicts == 1
    stored = list(asyncio.run(store.load(result.execution_id)))
    assert stored == result.journal
    assert msgspec.to_builtins(fold(stored)) == msgspec.to_builtins(result.state)
    first = stored[0]
    assert isinstance(first, ev.ExecutionStarted)


def test_a_stop_request_from_another_writer_is_honoured_after_the_conflict() -> None:
    store = RacingStore(
        at=2,
        intruder=lambda journal: ev.ExecutionStopRequested(
            at_ms=journal[-1].at_ms, error="Halt", cause="from elsewhere"
        ),
    )
    definition = machine(
        {
            "P": {
                "Type": "Parallel",
                "End": True,
                "Branches": [branch({"A": task("python:echo")})],
            }
        }
    )
    result = Engine({"echo": lambda p: p}, store=store).run(definition, {})
    assert (result.status, result.error, result.cause) == (
        "ABORTED",
        "Halt",
        "from elsewhere",
    )


def test_an_execution_resumes_from_its_journal_without_redoing_what_it_recorded() -> (
    None
):
    calls: list[str] = []

    def work(payload: Any, context: Any) -> Any:
        calls.append(context.state)
        return {"by": context.state}

    definition = machine({"A": task("python:w", Next="B"), "B": task("python:w")})
    whole = Engine({"w": work}).run(definition, {})
    # The journal as a crash right after A's result was recorded leaves it.
    cut = next(
        i for i, e in enumerate(whole.journal) if isinstance(e, ev.TaskSucceeded)
    )
    while not isinstance(whole.journal[cut], ev.TaskScheduled):
        cut += 1  # A's result, and the decisions it led to, up to B's TaskScheduled
    store = InMemoryJournalStore()
    asyncio.run(store.append(whole.execution_id, whole.journal[: cut + 1], 0))
    calls.clear()
    engine = Engine({"w": work}, store=store)
    from statum.core.engine.loading import load_program

    resumed = engine.runner.resume(load_program(definition), whole.execution_id)
    assert (resumed.status, resumed.output) == ("SUCCEEDED", {"by": "B"})
    assert calls == ["B"]  # A's recorded result is not done again
    assert msgspec.to_builtins(fold(resumed.journal)) == msgspec.to_builtins(
        resumed.state
    )
    assert [type(e) for e in resumed.journal] == [type(e) for e in whole.journal]


def test_a_task_started_before_the_crash_is_performed_again_with_the_same_key() -> None:
    keys: list[str] = []

    def work(payload: Any, context: Any) -> Any:
        keys.append(context.idempotency_key)
        return "done"

    definition = machine({"A": task("python:w")})
    whole = Engine({"w": work}).run(definition, {})
    started = next(
        i for i, e in enumerate(whole.journal) if isinstance(e, ev.TaskStarted)
    )
    store = InMemoryJournalStore()
    asyncio.run(store.append(whole.execution_id, whole.journal[: started + 1], 0))
    from statum.core.engine.loading import load_program

    resumed = Engine({"w": work}, store=store).runner.resume(
        load_program(definition), whole.execution_id
    )
    assert resumed.output == "done"
    assert keys[0] == keys[1]  # at least once, with a stable idempotency key
    assert sum(isinstance(e, ev.TaskStarted) for e in resumed.journal) == 1
