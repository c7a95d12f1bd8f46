"""Re-deciding a journal under its definition finds the first event anyone changed."""

import msgspec

from statum.core.engine.loading import load_program
from statum.core.interpreter import events as ev
from statum.core.interpreter.verify import first_difference
from tests.engine.helpers import machine, run, task

CHAIN = machine(
    {
        "A": {"Type": "Pass", "Result": {"n": 1}, "ResultPath": "$.r", "Next": "T"},
        "T": task("python:echo"),
    }
)


def _journal() -> list[ev.Event]:
    return list(run(CHAIN, {"x": 1}, {"echo": lambda p: p}).journal)


def test_an_untouched_journal_decides_the_same() -> None:
    assert first_difference(load_program(CHAIN), _journal()) is None


def test_an_altered_decision_is_the_first_difference() -> None:
    journal = _journal()
    where = next(i for i, e in enumerate(journal) if isinstance(e, ev.StateExited))
    journal[where] = msgspec.structs.replace(journal[where], output={"forged": True})
    difference = first_difference(load_program(CHAIN), journal)
    assert difference is not None
    assert difference.index == where
    assert difference.decided is not None
    assert difference.decided.output == {"x": 1, "r": {"n": 1}}


def test_a_deleted_decision_and_a_cut_journal_are_found() -> None:
    journal = _journal()
    program = load_program(CHAIN)
    deleted = first_difference(program, journal[:2] + journal[3:])
    assert deleted is not None
    assert deleted.index == 2
    cut = first_difference(program, journal[:2])
    assert cut is not None
    assert (cut.index, cut.recorded) == (2, None)


def test_another_definition_does_not_decide_the_same() -> None:
    other = machine(
        {
            "A": {"Type": "Pass", "Result": {"n": 2}, "ResultPath": "$.r", "Next": "T"},
            "T": task("python:echo"),
        }
    )
    difference = first_difference(load_program(other), _journal())
    assert difference is not None
    assert isinstance(difference.recorded, ev.StateExited)
