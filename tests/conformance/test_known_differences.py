"""The known-differences list (package data that `statum test` reads) names real
corpus cases, each in its own category, each with a reason."""

import pytest

from statum.adapters.cli.known import DIFFERENCES, known_differences
from tests.conformance.corpus import CORPUS, load_cases


def test_every_entry_has_a_kind_and_a_reason() -> None:
    known = known_differences()
    assert known
    for entry in known.values():
        assert entry.difference in DIFFERENCES
        assert len(entry.reason) > 20


def test_every_entry_names_a_case_of_its_category() -> None:
    if not CORPUS.is_dir():
        pytest.skip("the shared conformance corpus is not beside the repo")
    for category in ("pure", "lambda", "sfn_nested"):
        ids = {case["id"] for case in load_cases(category)}
        listed = {i for i, k in known_differences().items() if k.category == category}
        assert listed <= ids, sorted(listed - ids)
