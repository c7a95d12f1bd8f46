"""Issue 7's bar, one attack per class of hostile input (catalogue.py): through the
real `statum` command, under a 4 GB memory cap and a 20 s timeout, each ends as
expected, with no traceback and a journal that replays to the same result."""

from pathlib import Path

import pytest

from tests.attacks.catalogue import ATTACKS, Attack
from tests.attacks.runner import attack


@pytest.mark.slow
@pytest.mark.parametrize("case", ATTACKS, ids=[a.name for a in ATTACKS])
def test_a_hostile_input_ends_cleanly_and_bounded(case: Attack, tmp_path: Path) -> None:
    attack(case, tmp_path)
