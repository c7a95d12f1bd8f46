"""AWS-recorded JSONata cases that are chains of Pass states, run on expressions alone.

A case qualifies when every state is a JSONata `Pass` using only `Output` and
`Assign`. Each state evaluates `Assign` and `Output` against the variables on
entry (AWS's rule), then the assignments take effect. Causes are compared without
the "An error occurred while executing the state ..." prefix the interpreter adds.
"""

import json
import os
import re
from pathlib import Path
from typing import Any

import pytest

from statum.core.language.entropy import Entropy
from statum.core.language.errors import StatesError
from statum.core.language.jsonata_templates import (
    compile_jsonata_value,
    expression_text,
    is_jsonata_string,
)

_SHARED = Path(
    os.environ.get("STATUM_SHARED", Path(__file__).resolve().parents[3] / "shared")
)
_CORPUS = _SHARED / "conformance" / "localstack"
_PASS_FIELDS = {"Type", "QueryLanguage", "Output", "Assign", "Next", "End", "Comment"}
_PREFIX = re.compile(
    r"^An error occurred while executing the state '[^']*' "
    r"\(entered at the event id #\d+\)\. "
)


def _qualifies(definition: dict[str, Any]) -> bool:
    default = definition.get("QueryLanguage", "JSONPath")
    return all(
        state.get("Type") == "Pass"
        and state.get("QueryLanguage", default) == "JSONata"
        and set(state) <= _PASS_FIELDS
        for state in definition["States"].values()
    )


def _corpus() -> list[dict[str, Any]]:
    if not _CORPUS.is_dir():
        return []
    return [
        json.loads(path.read_text())
        for folder in ("pure", "lambda", "sfn_nested")
        for path in sorted((_CORPUS / folder).glob("*.json"))
    ]


CORPUS = _corpus()
CASES = [pytest.param(c, id=c["id"]) for c in CORPUS if _qualifies(c["definition"])]


def _strings(value: Any) -> list[str]:
    if isinstance(value, dict):
        return [s for item in value.values() for s in _strings(item)]
    if isinstance(value, list):
        return [s for item in value for s in _strings(item)]
    return [value] if isinstance(value, str) else []


def test_every_corpus_expression_compiles() -> None:
    if not CORPUS:
        pytest.skip("the conformance corpus is not on this machine")
    texts = {
        expression_text(s)
        for case in CORPUS
        for s in _strings([case["definition"], case.get("child_state_machines")])
        if is_jsonata_string(s)
    }
    assert len(texts) >= 50
    for text in texts:
        compile_jsonata_value("{% " + text + " %}")


def run_chain(definition: dict[str, Any], value: Any) -> tuple[str, Any]:
    variables: dict[str, Any] = {}
    name = definition["StartAt"]
    for step in range(100):
        state = definition["States"][name]
        states = {"input": value, "context": {}}
        entropy = Entropy(f"case#{step}")
        try:
            assigned: Any = {}
            if "Assign" in state:
                assigned = compile_jsonata_value(state["Assign"]).evaluate(
                    variables, states, now_ms=0, entropy=entropy, field="Assign"
                )
            if "Output" in state:
                value = compile_jsonata_value(state["Output"]).evaluate(
                    variables, states, now_ms=0, entropy=entropy, field="Output"
                )
        except StatesError as failure:
            return failure.error, failure.cause
        variables = {**variables, **assigned}
        if state.get("End"):
            return "SUCCEEDED", value
        name = state["Next"]
    raise AssertionError("the chain does not end")


def test_the_corpus_has_pass_chains() -> None:
    if not CORPUS:
        pytest.skip("the conformance corpus is not on this machine")
    assert len(CASES) >= 40


@pytest.mark.parametrize("case", CASES)
def test_pass_chain(case: dict[str, Any]) -> None:
    expected = case["expected"]
    outcome, detail = run_chain(case["definition"], case["input"])
    if expected["status"] == "SUCCEEDED":
        assert outcome == "SUCCEEDED", detail
        assert detail == expected["output"]
    else:
        assert outcome == expected["error"]
        assert detail == _PREFIX.sub("", expected["cause"])
