"""Journals written by earlier versions still replay: the committed files in
tests/interpreter/wire/ are read with today's codec, folded and re-decided.

If this fails, a change broke the journal format that stored executions are
kept in. Make the change compatible (new fields get defaults, tags never
change), or write a migration and a new folder of journals; never edit these.
"""

import re
from typing import Any

import pytest

from statum.core.engine.loading import load_program
from statum.core.interpreter import events as ev
from statum.core.interpreter.codec import (
    decode_journal,
    encode_journal,
    sequence_problem,
)
from statum.core.interpreter.decide import decide
from statum.core.interpreter.evolve import fold
from statum.projections.history import project_history
from tests.interpreter.wire_cases import CASES, FOLDER

# What each journal folds to: status, output, error, cause, AWS history events.
ENDS: dict[str, tuple[str, Any, str | None, str | None, int]] = {
    "jsonata-variables": ("FAILED", None, "TooBig", "over five", 7),
    "parallel-map-wait": ("SUCCEEDED", [1, 2, 3], None, None, 38),
    "task-retry-catch": (
        "SUCCEEDED",
        {"Error": "ValueError", "Cause": "boom"},
        None,
        None,
        17,
    ),
    "task-token": ("SUCCEEDED", "approved", None, None, 7),
}


def test_every_committed_journal_has_an_expected_end() -> None:
    assert sorted(p.stem for p in FOLDER.glob("*.jsonl")) == sorted(ENDS)
    assert sorted(CASES) == sorted(ENDS)


@pytest.mark.parametrize("name", sorted(ENDS))
def test_a_committed_journal_folds_to_its_recorded_end(name: str) -> None:
    data = (FOLDER / f"{name}.jsonl").read_bytes()
    journal = decode_journal(data)
    state = fold(journal)
    assert (state.status, state.output, state.error, state.cause) == ENDS[name][:4]
    assert len(project_history(journal)) == ENDS[name][4] == state.history_len
    # Written back, byte for byte: no field lost or renamed on the way through.
    assert encode_journal(journal) == data


@pytest.mark.parametrize("name", sorted(ENDS))
def test_re_deciding_a_committed_journal_gives_its_decisions_back(name: str) -> None:
    journal = decode_journal((FOLDER / f"{name}.jsonl").read_bytes())
    program = load_program(CASES[name][0])
    facts = ev.FACT_TYPES
    for position, event in enumerate(journal):
        if not isinstance(event, facts):
            continue
        end = position + 1
        while end < len(journal) and not isinstance(journal[end], facts):
            end += 1
        assert (
            list(decide(program, fold(journal[: position + 1])))
            == journal[position + 1 : end]
        ), f"{name}: decisions after event {position}"


def test_a_journal_naming_a_frame_that_is_not_running_is_a_mismatch() -> None:
    import msgspec

    from statum.core.interpreter.errors import JournalMismatchError

    journal = decode_journal((FOLDER / "parallel-map-wait.jsonl").read_bytes())
    position, entered = next(
        (i, e)
        for i, e in enumerate(journal)
        if isinstance(e, ev.StateEntered) and e.frame
    )
    journal[position] = msgspec.structs.replace(entered, frame=99)
    with pytest.raises(JournalMismatchError, match="StateEntered names frame 99"):
        fold(journal)


def test_a_journal_written_before_events_were_numbered_still_folds() -> None:
    name = sorted(ENDS)[0]
    numbered = (FOLDER / f"{name}.jsonl").read_bytes()
    unnumbered = re.sub(rb',"seq":\d+}\n', b"}\n", numbered)
    assert b'"seq"' not in unnumbered
    assert sequence_problem(unnumbered) is None
    assert decode_journal(unnumbered) == decode_journal(numbered)
    state = fold(decode_journal(unnumbered))
    assert (state.status, state.output, state.error, state.cause) == ENDS[name][:4]


def test_a_removed_or_repeated_event_is_named_by_its_number() -> None:
    lines = (FOLDER / f"{sorted(ENDS)[0]}.jsonl").read_bytes().splitlines(True)
    assert sequence_problem(b"".join(lines)) is None
    removed = sequence_problem(b"".join(lines[:1] + lines[2:]))
    assert removed is not None
    assert removed.startswith("line 2 is event 3")
    repeated = sequence_problem(b"".join(lines[:2] + lines[1:]))
    assert repeated is not None
    assert repeated.startswith("line 3 is event 2")
