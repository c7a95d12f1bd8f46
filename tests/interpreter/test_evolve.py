"""evolve and fold: purity, the split law, journal mismatches, and table coverage."""

import typing
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from statum.core.engine.clock import VirtualClock
from statum.core.engine.express import ExpressRunner
from statum.core.engine.handlers import HandlerRegistry, TaskFailure
from statum.core.engine.loading import load_program
from statum.core.interpreter import events as ev
from statum.core.interpreter import evolve as evolve_module
from statum.core.interpreter.decide import decide
from statum.core.interpreter.errors import JournalMismatchError
from statum.core.interpreter.evolve import evolve, fold, history_size
from statum.core.interpreter.state import (
    CHILDREN,
    END,
    ENTER,
    FAILED,
    INITIAL_STATE,
    RESUME,
    RUN,
    WAIT,
    Status,
)
from statum.core.interpreter.visibility import SIZES
from statum.projections.history import project_history
from tests.factories import (
    T0,
    branches_ended,
    branches_started,
    builtins,
    execution_started,
    frame_ended,
    iteration_started,
    map_ended,
    map_started,
    one_of_each,
    retry_scheduled,
    state_entered,
    state_exited,
    task_heartbeat,
    task_scheduled,
    task_started,
    task_succeeded,
    timer_started,
)
from tests.interpreter.journals import (
    MAP,
    MAP_JOURNAL,
    PARALLEL,
    PARALLEL_JOURNAL,
    TASK_WITH_RETRY,
    TASK_WITH_RETRY_JOURNAL,
)
from tests.strategies import workflow_inputs, workflows

EVENT_TYPES = set(typing.get_args(ev.Event))

FACTS = (
    ev.ExecutionStarted,
    ev.TaskStarted,
    ev.TaskSubmitted,
    ev.TaskSucceeded,
    ev.TaskFailed,
    ev.TaskHeartbeat,
    ev.TimerFired,
    ev.ExecutionStopRequested,
)

HAND_BUILT = [
    pytest.param(TASK_WITH_RETRY, TASK_WITH_RETRY_JOURNAL, id="task-retry"),
    pytest.param(PARALLEL, PARALLEL_JOURNAL, id="parallel"),
    pytest.param(MAP, MAP_JOURNAL, id="map"),
]


@pytest.mark.parametrize(("definition", "journal"), HAND_BUILT)
def test_hand_built_journals_are_what_the_interpreter_decides(
    definition: dict[str, Any], journal: list[ev.Event]
) -> None:
    """The journals below are real: re-deciding after each fact gives them back."""
    program = load_program(definition)
    for position, event in enumerate(journal):
        if not isinstance(event, FACTS):
            continue
        end = position + 1
        while end < len(journal) and not isinstance(journal[end], FACTS):
            end += 1
        assert (
            list(decide(program, fold(journal[: position + 1])))
            == journal[position + 1 : end]
        )
    assert fold(journal).status == Status.SUCCEEDED


@pytest.mark.parametrize(("definition", "journal"), HAND_BUILT)
def test_fold_split_law_at_every_cut(
    definition: dict[str, Any], journal: list[ev.Event]
) -> None:
    whole = builtins(fold(journal))
    for cut in range(len(journal) + 1):
        assert builtins(fold(journal[cut:], fold(journal[:cut]))) == whole, cut


@pytest.mark.parametrize(("definition", "journal"), HAND_BUILT)
def test_evolving_one_event_at_a_time_equals_folding(
    definition: dict[str, Any], journal: list[ev.Event]
) -> None:
    state = INITIAL_STATE
    for event in journal:
        state = evolve(state, event)
    assert builtins(state) == builtins(fold(journal))


@pytest.mark.parametrize(("definition", "journal"), HAND_BUILT)
def test_evolve_and_fold_never_change_their_input_state(
    definition: dict[str, Any], journal: list[ev.Event]
) -> None:
    states = [fold(journal[:cut]) for cut in range(len(journal))]
    snapshots = [builtins(s) for s in states]
    for state, event in zip(states, journal, strict=True):
        evolve(state, event)
        fold([event], state)
    fold(journal)
    assert [builtins(s) for s in states] == snapshots
    assert builtins(INITIAL_STATE) == builtins(type(INITIAL_STATE)())


def test_fold_tracks_position_time_and_history_length() -> None:
    state = fold(TASK_WITH_RETRY_JOURNAL)
    assert state.position == len(TASK_WITH_RETRY_JOURNAL)
    assert state.now_ms == T0 + 1004
    assert state.started_ms == T0
    # ExecutionStarted, TaskStateEntered, 2x(TaskScheduled, TaskStarted),
    # TaskFailed, TaskSucceeded, TaskStateExited, ExecutionSucceeded.
    assert state.history_len == 10


def test_fold_follows_frames_tasks_and_timers() -> None:
    j = TASK_WITH_RETRY_JOURNAL
    after_scheduled = fold(j[:3])
    assert after_scheduled.frames[0].phase == WAIT
    assert after_scheduled.frames[0].task == "0.0"
    assert list(after_scheduled.tasks) == ["0.0"]
    assert after_scheduled.tasks["0.0"].scheduled == j[2]
    assert after_scheduled.tasks["0.0"].started is False
    assert after_scheduled.work_serial == 1
    assert not after_scheduled.ready
    assert fold(j[:4]).tasks["0.0"].started is True
    after_failure = fold(j[:5])
    assert after_failure.tasks == {}
    assert after_failure.frames[0].phase == FAILED
    assert (after_failure.frames[0].error, after_failure.frames[0].cause) == (
        "Boom",
        "first try",
    )
    after_retry = fold(j[:7])
    assert after_retry.frames[0].retry_counts == (1,)
    assert after_retry.frames[0].attempts == 1
    assert after_retry.frames[0].timer == "retry:0.1"
    assert list(after_retry.timers) == ["retry:0.1"]
    assert after_retry.work_serial == 2
    after_fired = fold(j[:8])
    assert after_fired.timers == {}
    assert after_fired.frames[0].phase == RUN
    after_success = fold(j[:11])
    assert after_success.frames[0].phase == RESUME
    assert after_success.frames[0].value == 7
    assert fold(j[:12]).frames[0].phase == END
    done = fold(j)
    assert done.frames == {}
    assert done.output == {"n": 1, "r": 7}
    assert done.work_serial == 3


def test_fold_builds_child_frames_for_branches_and_iterations() -> None:
    parallel = fold(PARALLEL_JOURNAL[:3])
    assert parallel.frames[0].phase == CHILDREN
    assert [
        (f.id, f.parent, f.program, f.kind, f.index)
        for f in list(parallel.frames.values())[1:]
    ] == [(1, 0, "/P/0", "branch", 0), (2, 0, "/P/1", "branch", 1)]
    assert parallel.frames[1].phase == ENTER
    assert parallel.next_frame == 3
    halfway = fold(PARALLEL_JOURNAL[:6])
    assert 1 not in halfway.frames
    assert halfway.frames[0].branches is not None
    assert halfway.frames[0].branches.results == ["in", None]
    mapped = fold(MAP_JOURNAL[:4])
    assert mapped.frames[1].program == "/M"
    assert mapped.frames[1].kind == "iteration"
    assert mapped.frames[0].map is not None
    assert mapped.frames[0].map.running == 1
    assert mapped.frames[0].map.next_index == 1


# --- journals from the engine, and random ones -------------------------------------


def _engine_journal(
    definition: dict[str, Any], payload: Any, outcomes: list[bool]
) -> list[ev.Event]:
    handlers = HandlerRegistry()
    calls = iter(outcomes)

    def maybe_fail(value: Any) -> Any:
        if next(calls, True):
            return {"ok": value}
        raise TaskFailure("Custom.Error", "drawn to fail")

    handlers.register("maybe-fail", maybe_fail)
    runner = ExpressRunner(handlers=handlers, clock=VirtualClock(), new_id=lambda: "x")
    return runner.run(load_program(definition), payload).journal


@settings(max_examples=25)
@given(workflows(), workflow_inputs, st.lists(st.booleans(), max_size=12))
def test_evolve_never_changes_its_input_on_random_journals(
    definition: Any, payload: Any, outcomes: list[bool]
) -> None:
    journal = _engine_journal(definition, payload, outcomes)
    state = INITIAL_STATE
    for event in journal:
        before = builtins(state)
        following = evolve(state, event)
        assert builtins(state) == before
        # What evolve counted is what history_size says the event stands for.
        assert following.history_len - state.history_len == history_size(
            state, event
        ), type(event).__name__
        state = following
    assert builtins(state) == builtins(fold(journal))


# --- journal mismatches ------------------------------------------------------------

UNKNOWN_FRAME = 9

FRAME_EVENTS = [
    state_entered("A", "Pass", {}, frame=UNKNOWN_FRAME),
    state_exited("A", "Pass", {}, frame=UNKNOWN_FRAME),
    task_scheduled("9.0", "python:w", {}, frame=UNKNOWN_FRAME, state="A"),
    timer_started("wait:9.0", T0, "wait", frame=UNKNOWN_FRAME),
    timer_started("retry:9.0", T0, "retry", frame=UNKNOWN_FRAME),
    pytest.param(
        timer_started("timeout:9.0", T0, "timeout", frame=UNKNOWN_FRAME),
        id="TimerStarted-timeout",
    ),
    branches_started([10], {}, frame=UNKNOWN_FRAME),
    branches_ended(False, frame=UNKNOWN_FRAME),
    map_started([1], frame=UNKNOWN_FRAME),
    iteration_started(10, 0, 1, frame=UNKNOWN_FRAME),
    map_ended(False, frame=UNKNOWN_FRAME),
    ev.StateFailed(at_ms=T0, frame=UNKNOWN_FRAME, name="A", error="E"),
    retry_scheduled(0, 1, frame=UNKNOWN_FRAME),
    ev.CatchMatched(
        at_ms=T0, frame=UNKNOWN_FRAME, name="A", kind="Task", next="B", output={}
    ),
    frame_ended(UNKNOWN_FRAME),
]


def _event_id(event: Any) -> str:
    return type(event).__name__


@pytest.mark.parametrize("event", FRAME_EVENTS, ids=_event_id)
def test_an_event_for_an_unknown_frame_is_a_journal_mismatch(event: ev.Event) -> None:
    started = fold([execution_started()])
    with pytest.raises(JournalMismatchError, match=type(event).__name__):
        fold([execution_started(), event])
    with pytest.raises(JournalMismatchError):
        evolve(started, event)


def test_a_failed_evolve_leaves_its_input_alone() -> None:
    started = fold([execution_started({"a": 1})])
    before = builtins(started)
    with pytest.raises(JournalMismatchError):
        evolve(started, frame_ended(UNKNOWN_FRAME))
    assert builtins(started) == before


def test_a_second_execution_started_is_a_journal_mismatch() -> None:
    with pytest.raises(JournalMismatchError, match="ExecutionStarted"):
        fold([execution_started(), execution_started()])


def test_a_decision_before_execution_started_is_a_journal_mismatch() -> None:
    with pytest.raises(JournalMismatchError):
        fold([state_entered("A", "Pass", {})])


def test_ending_branches_that_never_started_is_a_journal_mismatch() -> None:
    with pytest.raises(JournalMismatchError, match="no branches"):
        fold(
            [execution_started(), state_entered("P", "Parallel", {}), branches_ended()]
        )


def test_iterations_of_a_state_that_is_not_a_map_are_a_journal_mismatch() -> None:
    with pytest.raises(JournalMismatchError, match="not running a Map"):
        fold(
            [
                execution_started(),
                state_entered("M", "Map", []),
                iteration_started(1, 0, "x"),
            ]
        )
    with pytest.raises(JournalMismatchError, match="not running a Map"):
        fold([execution_started(), state_entered("M", "Map", []), map_ended()])


def test_a_branch_ending_after_its_parallel_is_a_journal_mismatch() -> None:
    with pytest.raises(JournalMismatchError):
        fold(
            [
                execution_started(),
                state_entered("P", "Parallel", {}),
                branches_started([1, 2], {}),
                branches_ended(),
                frame_ended(1),
            ]
        )


def test_an_iteration_ending_after_its_map_is_a_journal_mismatch() -> None:
    with pytest.raises(JournalMismatchError):
        fold(
            [
                execution_started(),
                state_entered("M", "Map", [1]),
                map_started([1]),
                iteration_started(1, 0, 1),
                map_ended(),
                frame_ended(1),
            ]
        )


# --- the dispatch tables cover the Event union ---------------------------------------


def test_the_event_union_is_facts_and_decisions() -> None:
    facts = set(typing.get_args(ev.Fact))
    decisions = set(typing.get_args(ev.Decision))
    assert facts.isdisjoint(decisions)
    assert facts | decisions == EVENT_TYPES
    assert set(FACTS) == facts
    assert ev.TaskHeartbeat in facts
    assert len(EVENT_TYPES) == 25


def test_history_size_table_covers_every_event_type() -> None:
    assert set(SIZES) == EVENT_TYPES


def test_evolve_dispatch_table_covers_every_event_type() -> None:
    assert set(evolve_module._APPLIERS) == EVENT_TYPES
    assert set(evolve_module._TABLE) == EVENT_TYPES


def test_every_event_type_can_be_folded_by_apply() -> None:
    # A struct that is no Event is refused loudly, never skipped.
    class Stray(ev.TaskStarted, tag="stray", frozen=True):
        pass

    with pytest.raises(JournalMismatchError, match="Stray"):
        fold([execution_started(), Stray(at_ms=T0, task="x")])
    assert {type(e) for e in one_of_each()} == EVENT_TYPES


def test_history_sizes_of_internal_and_doubled_events() -> None:
    started = fold([execution_started()])
    assert history_size(INITIAL_STATE, execution_started()) == 1
    assert history_size(started, timer_started("t", T0, "wait")) == 0
    assert history_size(started, retry_scheduled(0, 1)) == 0
    in_map = fold([execution_started(), state_entered("M", "Map", [1])])
    assert history_size(in_map, map_started([1])) == 1
    assert history_size(in_map, map_started([1], map_run="arn:run")) == 2
    # A task fact for a task nobody waits for stands for nothing.
    assert history_size(started, task_succeeded("nope", 1)) == 0


def test_history_sizes_of_heartbeats_and_repeated_starts() -> None:
    scheduled = fold(TASK_WITH_RETRY_JOURNAL[:3])
    assert history_size(scheduled, task_started("0.0")) == 1
    assert history_size(scheduled, task_heartbeat("0.0")) == 0
    started = fold(TASK_WITH_RETRY_JOURNAL[:4])
    assert history_size(started, task_started("0.0", at_ms=T0 + 9)) == 0
    assert history_size(started, task_heartbeat("0.0")) == 0


def test_a_second_task_started_changes_nothing_and_counts_nothing() -> None:
    j = TASK_WITH_RETRY_JOURNAL
    once = fold(j[:4])
    twice = evolve(once, task_started("0.0", at_ms=T0 + 1))
    assert twice.history_len == once.history_len
    assert builtins(twice.tasks) == builtins(once.tasks)
    assert builtins(twice.frames) == builtins(once.frames)
    assert twice.tasks["0.0"].started is True


def test_a_task_started_twice_shows_once_in_the_history() -> None:
    j = TASK_WITH_RETRY_JOURNAL
    doubled = [*j[:4], task_started("0.0", at_ms=T0 + 1), *j[4:]]
    # A redelivery changes no decision: the journal still re-decides to itself.
    program = load_program(TASK_WITH_RETRY)
    assert list(decide(program, fold(doubled[:5]))) == []
    history = project_history(doubled)
    assert history == project_history(j)
    assert [e["type"] for e in history].count("TaskStarted") == 2  # one per attempt
    assert len(history) == fold(doubled).history_len == 10


def test_heartbeats_are_not_in_the_history() -> None:
    j = TASK_WITH_RETRY_JOURNAL
    beaten = [*j[:4], task_heartbeat("0.0", at_ms=T0 + 1), *j[4:]]
    assert project_history(beaten) == project_history(j)
    assert fold(beaten).history_len == fold(j).history_len
