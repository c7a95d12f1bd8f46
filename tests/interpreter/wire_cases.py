"""Journals in the wire format of journal version 1, committed to the repo.

A durable store keeps journals for as long as their executions matter: years.
Every later version of Statum must still read these files and fold them to the
same end. `python -m tests.interpreter.wire_cases` writes them (only ever for a
new format version, into a new folder: never rewrite a committed one).
"""

import sys
import threading
from pathlib import Path
from typing import Any

from statum.core.engine.context import TaskContext
from statum.core.engine.handlers import TaskFailure
from statum.core.interpreter.codec import encode_journal
from tests.engine.helpers import Engine, branch, machine, task

FOLDER = Path(__file__).with_name("wire") / "v1"


def _flaky() -> Any:
    calls: list[int] = []

    def handler(payload: Any) -> Any:
        calls.append(1)
        if len(calls) == 1:
            raise TaskFailure("Flaky", "first call")
        return {"ok": payload}

    return handler


def _token_answering(engine: Engine) -> Any:
    def handler(payload: Any, context: TaskContext) -> Any:
        token = context.task_token or ""
        threading.Timer(
            0.01, engine.runner.send_task_success, (token, "approved")
        ).start()

    return handler


CASES: dict[str, tuple[dict[str, Any], Any]] = {
    "task-retry-catch": (
        machine(
            {
                "T": task(
                    "python:flaky",
                    ResultPath="$.r",
                    TimeoutSeconds=30,
                    HeartbeatSeconds=10,
                    Retry=[{"ErrorEquals": ["Flaky"], "IntervalSeconds": 2}],
                    Next="Bad",
                ),
                "Bad": task(
                    "python:boom",
                    Catch=[{"ErrorEquals": ["States.ALL"], "Next": "End"}],
                ),
                "End": {"Type": "Succeed"},
            }
        ),
        {"n": 1},
    ),
    "parallel-map-wait": (
        machine(
            {
                "P": {
                    "Type": "Parallel",
                    "Next": "M",
                    "Branches": [
                        branch({"W": {"Type": "Wait", "Seconds": 5, "End": True}}),
                        branch({"E": task("python:echo")}),
                    ],
                },
                "M": {
                    "Type": "Map",
                    "ItemsPath": "$[1]",
                    "MaxConcurrency": 2,
                    "ItemProcessor": branch({"I": task("python:echo")}),
                    "End": True,
                },
            }
        ),
        [1, 2, 3],
    ),
    "jsonata-variables": (
        machine(
            {
                "A": {
                    "Type": "Pass",
                    "QueryLanguage": "JSONata",
                    "Assign": {"total": "{% $sum($states.input.items) %}"},
                    "Output": "{% $states.input.items %}",
                    "Next": "C",
                },
                "C": {
                    "Type": "Choice",
                    "QueryLanguage": "JSONata",
                    "Choices": [{"Condition": "{% $total > 5 %}", "Next": "Big"}],
                    "Default": "Small",
                },
                "Big": {"Type": "Fail", "Error": "TooBig", "Cause": "over five"},
                "Small": {"Type": "Succeed"},
            }
        ),
        {"items": [1, 2, 3]},
    ),
    "task-token": (
        machine(
            {
                "Ask": task(
                    "python:ask.waitForTaskToken",
                    Parameters={"token.$": "$$.Task.Token"},
                )
            }
        ),
        {},
    ),
}


def run_case(name: str) -> Any:
    definition, payload = CASES[name]
    engine = Engine(
        {
            "flaky": _flaky(),
            "boom": lambda p: (_ for _ in ()).throw(ValueError("boom")),
            "echo": lambda p: p,
        },
        max_running=1,
    )
    engine.handlers.register("ask.waitForTaskToken", _token_answering(engine))
    return engine.run(definition, payload)


def main() -> int:
    FOLDER.mkdir(parents=True, exist_ok=False)
    for name in CASES:
        (FOLDER / f"{name}.jsonl").write_bytes(encode_journal(run_case(name).journal))
    return 0


if __name__ == "__main__":
    sys.exit(main())
