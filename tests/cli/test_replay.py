"""`statum replay JOURNAL_FILE`: the state rebuilt from a journal `run` saved."""

import json
from pathlib import Path
from typing import Any

import pytest

from tests.cli.conftest import FAIL_MACHINE, PASS_MACHINE, REPO, Statum, write_json


def run_and_save(statum: Statum, *args: str) -> dict[str, Any]:
    result = statum("run", *args, "--journal-out", "j.jsonl", "-o", "json")
    doc: dict[str, Any] = result.json()
    return doc


def test_replay_rebuilds_what_run_reported(statum: Statum, tmp_path: Path) -> None:
    # The order example: a Map of handler tasks, a Choice and an async handler.
    result = statum(
        "run",
        "examples/order.asl.json",
        "--handlers",
        "examples.handlers",
        "--input",
        "@examples/order-input.json",
        "--journal-out",
        str(tmp_path / "j.jsonl"),
        "-o",
        "json",
        cwd=REPO,
    )
    assert result.code == 0, result.err
    ran = result.json()
    replayed = statum("replay", "j.jsonl")
    assert replayed.code == 0, replayed.err
    state = replayed.json()
    assert state["status"] == ran["status"] == "SUCCEEDED"
    assert state["output"] == ran["output"]


def test_replay_of_a_failed_execution(statum: Statum, tmp_path: Path) -> None:
    write_json(tmp_path / "fail.json", FAIL_MACHINE)
    ran = run_and_save(statum, "fail.json")
    replayed = statum("replay", "j.jsonl")
    assert replayed.code == 0
    state = replayed.json()
    assert (state["status"], state["error"], state["cause"]) == (
        ran["status"],
        ran["error"],
        ran["cause"],
    )


def test_text_output_and_history(statum: Statum, tmp_path: Path) -> None:
    write_json(tmp_path / "pass.json", PASS_MACHINE)
    ran = run_and_save(statum, "pass.json", "--input", '{"name": "Ada"}')
    text = statum("replay", "j.jsonl", "-o", "text")
    assert text.code == 0
    assert "status: SUCCEEDED" in text.out
    assert '"greeting":"Hello, Ada!"' in text.out
    history = statum("replay", "j.jsonl", "--history")
    assert history.code == 0
    events = history.json()
    # The AWS shape: details objects and timestamps, the same events as `run`'s.
    assert [e["type"] for e in events] == [e["type"] for e in ran["history"]]
    assert all({"id", "previousEventId", "timestamp", "type"} <= set(e) for e in events)
    lines = statum("replay", "j.jsonl", "--history", "-o", "text")
    assert "PassStateEntered  Greet" in lines.out


def test_a_journal_given_as_a_json_array(statum: Statum, tmp_path: Path) -> None:
    write_json(tmp_path / "pass.json", PASS_MACHINE)
    run_and_save(statum, "pass.json", "--input", '{"name": "Ada"}')
    lines = (tmp_path / "j.jsonl").read_text().splitlines()
    (tmp_path / "j.json").write_text(json.dumps([json.loads(x) for x in lines]))
    result = statum("replay", "j.json")
    assert result.code == 0
    assert result.json()["status"] == "SUCCEEDED"


def test_a_cut_journal_replays_to_a_running_state(
    statum: Statum, tmp_path: Path
) -> None:
    write_json(tmp_path / "pass.json", PASS_MACHINE)
    run_and_save(statum, "pass.json", "--input", '{"name": "Ada"}')
    first = (tmp_path / "j.jsonl").read_text().splitlines()[:2]
    (tmp_path / "cut.jsonl").write_text("\n".join(first) + "\n")
    result = statum("replay", "cut.jsonl", "-o", "text")
    assert result.code == 0
    assert "status: RUNNING" in result.out


@pytest.mark.parametrize(
    ("content", "code", "words"),
    [
        (None, 2, ["no such file"]),
        ("", 1, ["the journal is empty"]),
        ('{"t": "execution.started",', 1, ["not a Statum journal", "line 1"]),
        (
            json.dumps(PASS_MACHINE),
            1,
            ["not a Statum journal", "statum run --journal-out"],
        ),
        ('{"t": "no.such.event", "at_ms": 0}\n', 1, ["not a Statum journal"]),
    ],
)
def test_bad_journals(
    statum: Statum, tmp_path: Path, content: str | None, code: int, words: list[str]
) -> None:
    if content is not None:
        (tmp_path / "j.jsonl").write_text(content)
    result = statum("replay", "j.jsonl")
    assert result.code == code
    assert result.out == ""
    for word in words:
        assert word in result.err


def test_a_journal_whose_events_do_not_follow(statum: Statum, tmp_path: Path) -> None:
    write_json(tmp_path / "fail.json", FAIL_MACHINE)
    run_and_save(statum, "fail.json")
    first = (tmp_path / "j.jsonl").read_text().splitlines()[0]
    (tmp_path / "twice.jsonl").write_text(f"{first}\n{first}\n")
    result = statum("replay", "twice.jsonl")
    assert result.code == 1
    assert "tampered with" in result.err
    assert "event 2" in result.err


def test_a_directory_is_not_a_journal(statum: Statum) -> None:
    result = statum("replay", ".")
    assert result.code == 2
    assert "is a directory" in result.err


def test_replay_with_its_definition_re_decides_every_step(
    statum: Statum, tmp_path: Path
) -> None:
    write_json(tmp_path / "pass.json", PASS_MACHINE)
    run_and_save(statum, "pass.json", "--input", '{"name": "Ada"}')
    result = statum("replay", "j.jsonl", "--definition", "pass.json", "-o", "text")
    assert result.code == 0, result.err
    assert "SUCCEEDED" in result.out


def test_replay_refuses_a_journal_of_another_definition(
    statum: Statum, tmp_path: Path
) -> None:
    write_json(tmp_path / "pass.json", PASS_MACHINE)
    write_json(tmp_path / "fail.json", FAIL_MACHINE)
    run_and_save(statum, "pass.json", "--input", '{"name": "Ada"}')
    result = statum("replay", "j.jsonl", "--definition", "fail.json")
    assert result.code == 1
    assert "another definition" in result.err


def test_replay_names_the_first_forged_event(statum: Statum, tmp_path: Path) -> None:
    write_json(tmp_path / "pass.json", PASS_MACHINE)
    run_and_save(statum, "pass.json", "--input", '{"name": "Ada"}')
    lines = (tmp_path / "j.jsonl").read_text().splitlines()
    events = [json.loads(line) for line in lines]
    forged = next(i for i, e in enumerate(events) if e["t"] == "state.exited")
    events[forged]["output"] = {"forged": True}
    (tmp_path / "forged.jsonl").write_text(
        "".join(json.dumps(e) + "\n" for e in events)
    )
    plain = statum("replay", "forged.jsonl", "-o", "text")
    assert plain.code == 0  # folding alone cannot tell
    result = statum("replay", "forged.jsonl", "--definition", "pass.json")
    assert result.code == 1
    assert f"event {forged + 1} differs" in result.err
    assert "forged" in result.err


def test_a_journal_nested_too_deeply_to_decode_is_refused(
    statum: Statum, tmp_path: Path
) -> None:
    deep = "[" * 100_000 + "]" * 100_000
    (tmp_path / "deep.jsonl").write_text(
        f'{{"t":"execution.started","execution_id":"x","name":"x","input":{deep},'
        '"at_ms":1}\n'
    )
    result = statum("replay", "deep.jsonl")
    assert result.code == 1
    assert "too deeply" in result.err


def test_two_journals_spliced_together_are_refused(
    statum: Statum, tmp_path: Path
) -> None:
    write_json(tmp_path / "pass.json", PASS_MACHINE)
    write_json(tmp_path / "fail.json", FAIL_MACHINE)
    statum("run", "pass.json", "--input", '{"name": "Ada"}', "--journal-out", "a.jsonl")
    statum("run", "fail.json", "--journal-out", "b.jsonl")
    a = (tmp_path / "a.jsonl").read_text().splitlines(True)
    b = (tmp_path / "b.jsonl").read_text().splitlines(True)
    (tmp_path / "spliced.jsonl").write_text("".join(a[:-1] + b[1:]))
    result = statum("replay", "spliced.jsonl")
    assert result.code == 1
    assert "tampered" in result.err or "cannot be replayed" in result.err
    # Renumbered to hide the splice, the events still do not fold.
    events = [json.loads(line) for line in a[:-1] + b[1:]]
    for number, event in enumerate(events, start=1):
        event["seq"] = number
    (tmp_path / "renumbered.jsonl").write_text(
        "".join(json.dumps(e) + "\n" for e in events)
    )
    renumbered = statum("replay", "renumbered.jsonl", "--definition", "pass.json")
    assert renumbered.code == 1
