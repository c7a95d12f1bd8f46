"""The journal codec: stable tags, round trips, tolerance of newer writers."""

import typing

import msgspec
import pytest

from statum.core.interpreter import events as ev
from statum.core.interpreter.codec import (
    decode_event,
    decode_journal,
    decode_journal_list,
    encode_event,
    encode_journal,
)
from statum.core.interpreter.evolve import fold
from statum.core.interpreter.limits import Limits
from tests.factories import (
    T0,
    builtins,
    execution_started,
    one_of_each,
    task_failed,
    task_heartbeat,
    task_scheduled,
    task_started,
)
from tests.interpreter.journals import (
    MAP_JOURNAL,
    PARALLEL_JOURNAL,
    TASK_WITH_RETRY_JOURNAL,
)

# Tags are a storage format: renaming one breaks every stored journal. This table
# is the contract; a change here must be a deliberate migration.
STABLE_TAGS = {
    ev.ExecutionStarted: "execution.started",
    ev.TaskStarted: "task.started",
    ev.TaskSubmitted: "task.submitted",
    ev.TaskSucceeded: "task.succeeded",
    ev.TaskFailed: "task.failed",
    ev.TaskHeartbeat: "task.heartbeat",
    ev.TimerFired: "timer.fired",
    ev.ExecutionStopRequested: "execution.stop_requested",
    ev.StateEntered: "state.entered",
    ev.StateExited: "state.exited",
    ev.TaskScheduled: "task.scheduled",
    ev.TimerStarted: "timer.started",
    ev.BranchesStarted: "parallel.started",
    ev.BranchesEnded: "parallel.ended",
    ev.MapStarted: "map.started",
    ev.IterationStarted: "map.iteration_started",
    ev.MapEnded: "map.ended",
    ev.StateFailed: "state.failed",
    ev.RetryScheduled: "state.retry_scheduled",
    ev.CatchMatched: "state.catch_matched",
    ev.FrameEnded: "frame.ended",
    ev.ExecutionSucceeded: "execution.succeeded",
    ev.ExecutionFailed: "execution.failed",
    ev.ExecutionTimedOut: "execution.timed_out",
    ev.ExecutionAborted: "execution.aborted",
}


def test_every_event_type_has_its_stable_tag() -> None:
    assert set(STABLE_TAGS) == set(typing.get_args(ev.Event))
    for kind, tag in STABLE_TAGS.items():
        assert kind.__struct_config__.tag == tag, kind.__name__
        assert kind.__struct_config__.tag_field == "t"


@pytest.mark.parametrize("event", one_of_each(), ids=lambda e: type(e).__name__)
def test_every_event_round_trips(event: ev.Event) -> None:
    data = encode_event(event)
    assert msgspec.json.decode(data)["t"] == STABLE_TAGS[type(event)]
    decoded = decode_event(data)
    assert type(decoded) is type(event)
    assert decoded == event
    assert encode_event(decoded) == data  # byte for byte
    assert decode_event(data.decode()) == event  # text is accepted too


def test_defaults_are_left_out_of_the_encoding() -> None:
    data = msgspec.json.decode(encode_event(task_failed("0.0", "E")))
    assert data == {"t": "task.failed", "task": "0.0", "error": "E", "at_ms": T0}
    exited = msgspec.json.decode(
        encode_event(
            ev.StateExited(at_ms=T0, frame=0, name="A", kind="Pass", output=None)
        )
    )
    assert exited == {
        "t": "state.exited",
        "frame": 0,
        "name": "A",
        "kind": "Pass",
        "output": None,  # a value, not a default: kept
        "at_ms": T0,
    }


def test_fields_from_a_newer_writer_are_ignored() -> None:
    data = b'{"t":"task.started","at_ms":5,"task":"0.0","worker":{"host":"h"}}'
    assert decode_event(data) == task_started("0.0", at_ms=5)


def test_fields_missing_from_an_older_writer_take_their_defaults() -> None:
    data = b'{"t":"task.scheduled","at_ms":1,"frame":0,"task":"0.0","resource":"r","parameters":{}}'
    event = decode_event(data)
    assert isinstance(event, ev.TaskScheduled)
    assert event.timeout_seconds is None
    assert event.heartbeat_seconds is None
    assert (event.state, event.attempt, event.token) == ("", 0, None)
    started = decode_event(
        b'{"t":"execution.started","at_ms":1,"execution_id":"e","name":"n","input":{}}'
    )
    assert isinstance(started, ev.ExecutionStarted)
    assert (started.definition_id, started.definition_hash) == ("", "")
    assert (started.limits, started.seed) == (None, "")
    failed = decode_event(b'{"t":"task.failed","at_ms":1,"task":"0.0","error":"E"}')
    assert isinstance(failed, ev.TaskFailed)
    assert failed.traceback is None


def test_the_new_fields_are_encoded_when_set() -> None:
    scheduled = task_scheduled(
        "0.3", "python:w.waitForTaskToken", {}, state="T", attempt=2, token="ab"
    )
    data = msgspec.json.decode(encode_event(scheduled))
    assert (data["state"], data["attempt"], data["token"]) == ("T", 2, "ab")
    limits = Limits(max_history_events=100)
    started = execution_started(
        definition_id="d", definition_hash="h", limits=limits, seed="s"
    )
    data = msgspec.json.decode(encode_event(started))
    # Limits leave out their own defaults too.
    assert data["limits"] == {"max_history_events": 100}
    assert (data["definition_id"], data["definition_hash"], data["seed"]) == (
        "d",
        "h",
        "s",
    )
    assert decode_event(encode_event(started)) == started
    heartbeat = msgspec.json.decode(encode_event(task_heartbeat("0.0", at_ms=5)))
    assert heartbeat == {"t": "task.heartbeat", "task": "0.0", "at_ms": 5}
    failed = task_failed("0.0", "E", traceback="Traceback (most recent call last)")
    assert decode_event(encode_event(failed)) == failed


def test_unknown_tags_and_missing_fields_are_refused() -> None:
    with pytest.raises(msgspec.ValidationError):
        decode_event(b'{"t":"task.exploded","at_ms":1}')
    with pytest.raises(msgspec.ValidationError, match="task"):
        decode_event(b'{"t":"task.started","at_ms":1}')
    with pytest.raises(msgspec.ValidationError):
        decode_event(b'{"t":"task.started","at_ms":"soon","task":"x"}')


def test_journals_round_trip_as_json_lines() -> None:
    journal = one_of_each()
    data = encode_journal(journal)
    assert data.count(b"\n") == len(journal)
    assert data.endswith(b"\n")
    assert decode_journal(data) == journal
    assert decode_journal(b"") == []


def test_blank_lines_in_a_journal_are_skipped() -> None:
    journal: list[ev.Event] = [execution_started({"x": 1}), task_started("0.0")]
    data = encode_journal(journal)
    assert decode_journal(b"\n" + data.replace(b"\n", b"\n\n")) == journal


def test_a_bad_line_is_named_in_the_error() -> None:
    good = encode_journal([execution_started(), task_started("0.0")])
    with pytest.raises(msgspec.ValidationError, match="line 3"):
        decode_journal(good + b'{"t":"task.failed","at_ms":1}\n')
    with pytest.raises(msgspec.DecodeError, match="line 2"):
        decode_journal(encode_event(execution_started()) + b"\n{not json\n")


def test_journals_round_trip_as_a_json_array() -> None:
    journal = one_of_each()
    data = b"[" + b",".join(encode_event(e) for e in journal) + b"]"
    assert decode_journal_list(data) == journal


def test_a_decoded_journal_folds_to_the_same_state() -> None:
    for journal in (MAP_JOURNAL, PARALLEL_JOURNAL, TASK_WITH_RETRY_JOURNAL):
        decoded = decode_journal(encode_journal(journal))
        assert builtins(fold(decoded)) == builtins(fold(journal))


def test_json_values_keep_their_types() -> None:
    payload = {"int": 1, "float": 1.0, "big": 2**62, "neg": -0.5, "nested": [[{}]]}
    decoded = decode_event(encode_event(execution_started(payload)))
    assert isinstance(decoded, ev.ExecutionStarted)
    assert decoded.input == payload
    assert type(decoded.input["float"]) is float
    assert type(decoded.input["int"]) is int
