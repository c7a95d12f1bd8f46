"""Replay properties over every execution of the AWS-recorded corpus.

For each case's journal: folding it again reproduces the final state exactly;
re-deciding after each fact reproduces the recorded decisions byte for byte; every
event survives encode/decode; and the history projection has exactly as many events
as the interpreter counted (the ids in its error causes rest on that count).
"""

from typing import Any

import msgspec
import pytest

from statum.core.engine.clock import VirtualClock
from statum.core.engine.express import ExpressRunner
from statum.core.engine.loading import load_program
from statum.core.interpreter import events as ev
from statum.core.interpreter.codec import decode_journal, encode_journal
from statum.core.interpreter.decide import decide
from statum.core.interpreter.evolve import fold
from statum.projections.history import project_history
from tests.conformance.corpus import load_cases

CASES = load_cases("pure")
FACTS = ev.FACT_TYPES


@pytest.mark.skipif(
    not CASES, reason="the shared conformance corpus is not beside the repo"
)
def test_every_corpus_journal_replays_exactly() -> None:
    checked = 0
    for case in CASES:
        program = load_program(case["definition"])
        runner = ExpressRunner(clock=VirtualClock(), new_id=lambda: "replay")
        result = runner.run(program, case.get("input", {}))
        journal = result.journal
        assert decode_journal(encode_journal(journal)) == journal, case["id"]
        assert _builtins(fold(journal)) == _builtins(result.state), case["id"]
        assert result.state.history_len == len(project_history(journal)), case["id"]
        for position, event in enumerate(journal):
            if not isinstance(event, FACTS):
                continue
            end = position + 1
            while end < len(journal) and not isinstance(journal[end], FACTS):
                end += 1
            redecided = decide(program, fold(journal[: position + 1]))
            assert encode_journal(redecided) == encode_journal(
                journal[position + 1 : end]
            )
        checked += 1
    assert checked == len(CASES)


def _builtins(value: Any) -> Any:
    return msgspec.to_builtins(value)
