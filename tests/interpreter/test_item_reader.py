"""ItemReader and ResultWriter in the pure core: the decisions, facts played by hand.

The reader is a TaskScheduled before MapStarted, the writer one after MapEnded; the
items and the written output are a function of the recorded facts alone.
"""

from typing import Any

from statum.core.interpreter import events as ev
from statum.core.interpreter.commands import RunTask
from statum.core.interpreter.decide import decide
from statum.core.interpreter.evolve import fold
from statum.core.interpreter.item_io import MAX_ITEMS, READING, WRITING, transform
from tests.factories import builtins, kinds, scenario, task_failed, task_started
from tests.factories import task_succeeded as succeeded

PASS = {"Type": "Pass", "End": True}


def definition(**fields: Any) -> dict[str, Any]:
    processor = {"StartAt": "P", "States": {"P": PASS}}
    state = {"Type": "Map", "ItemProcessor": processor, "End": True, **fields}
    return {"StartAt": "M", "States": {"M": state}}


READER = {
    "Resource": "python:items",
    "Parameters": {"Key.$": "$.key"},
    "ReaderConfig": {"InputType": "CSV", "CSVHeaderLocation": "FIRST_ROW"},
}


def scheduled(events: Any) -> ev.TaskScheduled:
    (task,) = [e for e in events if isinstance(e, ev.TaskScheduled)]
    return task


def test_the_reader_is_scheduled_before_the_map_starts() -> None:
    play = scenario(definition(ItemReader=READER), {"key": "rows.csv"})
    first = play.decide()
    assert kinds(first) == ["StateEntered", "TaskScheduled"]
    task = scheduled(first)
    assert task.resource == "python:items"
    assert task.parameters == {"Key": "rows.csv"}
    assert task.task.endswith(".reader")
    assert play.state.frames[0].stage == READING
    # The shell sees an ordinary task to run.
    assert [c.task for c in play.commands if isinstance(c, RunTask)] == [task]


def test_the_read_text_becomes_the_map_items() -> None:
    play = scenario(definition(ItemReader=READER), {"key": "rows.csv"})
    task = scheduled(play.decide()).task
    play.given(task_started(task), succeeded(task, "a,b\n1,x\n2,y\n"))
    after = play.decide()
    started = [e for e in after if isinstance(e, ev.MapStarted)]
    assert [s.items for s in started] == [[{"a": "1", "b": "x"}, {"a": "2", "b": "y"}]]
    assert play.state.finished
    assert play.state.output == [{"a": "1", "b": "x"}, {"a": "2", "b": "y"}]


def test_replaying_the_journal_reproduces_state_and_decisions() -> None:
    play = scenario(definition(ItemReader=READER), {"key": "k"})
    task = scheduled(play.decide()).task
    facts = len(play.journal)
    play.given(task_started(task), succeeded(task, "a\n1\n"))
    play.decide()
    assert builtins(fold(play.journal)) == builtins(play.state)
    prefix = play.journal[: facts + 2]
    assert list(decide(play.program, fold(prefix))) == play.journal[facts + 2 :]


def test_a_failed_reader_task_fails_the_map_as_item_reader_failed() -> None:
    play = scenario(definition(ItemReader=READER), {"key": "k"})
    task = scheduled(play.decide()).task
    play.given(task_started(task), task_failed(task, "Boom", "it broke"))
    play.decide()
    assert play.state.error == "States.ItemReaderFailed"
    assert play.state.cause == "Boom: it broke"


def test_unparsable_items_fail_without_the_state_prefix() -> None:
    play = scenario(definition(ItemReader=READER), {"key": "k"})
    task = scheduled(play.decide()).task
    play.given(task_started(task), succeeded(task, "a,a\n1,2\n"))
    play.decide()
    assert (play.state.error, play.state.cause) == (
        "States.ItemReaderFailed",
        "CSV headers cannot contain duplicates.",
    )


WRITER = {"Resource": "python:write", "Parameters": {"Bucket": "b", "Prefix": "p"}}


def test_the_writer_is_scheduled_after_the_map_ends() -> None:
    play = scenario(definition(ResultWriter=WRITER), [1, 2])
    decisions = play.decide()
    assert kinds(decisions)[-2:] == ["MapEnded", "TaskScheduled"]
    task = scheduled(decisions)
    assert task.task.endswith(".writer")
    assert play.state.frames[0].stage == WRITING
    files = task.parameters["Files"]
    assert [f["Key"].rsplit("/", 1)[-1] for f in files] == [
        "SUCCEEDED_0.json",
        "manifest.json",
    ]
    play.given(task_started(task.task), succeeded(task.task, None))
    play.decide()
    details = play.state.output["ResultWriterDetails"]
    assert details["Bucket"] == "b"
    assert details["Key"] == task.parameters["ManifestKey"]
    assert details["Key"].startswith("p/")
    assert details["Key"].endswith("/manifest.json")


def test_a_failed_writer_fails_as_result_writer_failed() -> None:
    play = scenario(definition(ResultWriter=WRITER), [1])
    task = scheduled(play.decide()).task
    play.given(task_started(task), task_failed(task, "Denied", None))
    play.decide()
    assert (play.state.error, play.state.cause) == (
        "States.ResultWriterFailed",
        "Denied",
    )


def test_transformations() -> None:
    assert transform([[1, 2], 3], "FLATTEN") == [1, 2, 3]
    assert transform([[1, 2], 3], "COMPACT") == [[1, 2], 3]
    assert transform([{"a": 1}], "NONE") == [
        {
            "Output": '{"a":1}',
            "OutputDetails": {"Included": True},
            "Status": "SUCCEEDED",
        }
    ]


def test_max_items_reads_only_what_it_keeps() -> None:
    # A limit stops the parse: the rest of the text is never split into items.
    reader = READER | {"ReaderConfig": {"InputType": "JSONL", "MaxItems": 2}}
    play = scenario(definition(ItemReader=reader), {"key": "k"})
    task = scheduled(play.decide()).task
    text = "1\n2\n" + "not json\n" * 1000
    play.given(task_started(task), succeeded(task, text))
    play.decide()
    assert play.state.output == [1, 2]
    assert MAX_ITEMS == 100_000_000
