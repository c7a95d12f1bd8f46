"""How the CLI prints: results on stdout, in text or as JSON (`-o json`)."""

import sys
from dataclasses import dataclass, field
from typing import Any, TextIO

import msgspec


def encode_json(value: Any) -> bytes:
    """Indented JSON, as printed and as written to report files."""
    return msgspec.json.format(msgspec.json.encode(value), indent=2) + b"\n"


def print_json(value: Any, stream: TextIO | None = None) -> None:
    (stream or sys.stdout).write(encode_json(value).decode())


def compact(value: Any) -> str:
    return msgspec.json.encode(value).decode()


def print_validation(path: str, problems: list[str]) -> None:
    if not problems:
        print(f"{path}: valid")
        return
    print(f"{path}: invalid ({count(len(problems), 'problem')})")
    for problem in problems:
        print(f"  {problem}")


def print_summary(summary: dict[str, Any], *, journal_events: int) -> None:
    """The text form of a run's or a replay's outcome."""
    print(f"status: {summary['status']}")
    if summary["status"] == "SUCCEEDED":
        print(f"output: {compact(summary['output'])}")
    elif summary["status"] == "RUNNING":
        print("the journal ends before the execution does")
    else:
        print(f"error:  {summary['error']}")
        print(f"cause:  {summary['cause']}")
    history = summary.get("history")
    events = count(journal_events, "journal event")
    if history is not None:
        events = f"{count(len(history), 'history event')}, {events}"
    print(f"events: {events}")


@dataclass(slots=True)
class CaseRow:
    """One golden case as `statum test` reports it."""

    id: str
    file: str
    passed: bool
    history: str  # "ok", "DIFF", or "-" when the case gives no expected events
    actual: dict[str, Any]
    problems: list[str] = field(default_factory=list)

    def report(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "file": self.file,
            "passed": self.passed,
            "actual": self.actual,
            "problems": self.problems,
        }


def print_test_table(rows: list[CaseRow], *, quiet: bool) -> None:
    for row in rows:
        if quiet and row.passed:
            continue
        mark = "PASS" if row.passed else "FAIL"
        print(f"{mark}  history:{row.history:<4}  {row.id}")
        if not row.passed:
            for problem in row.problems[:3]:
                print(f"      {problem[:300]}")
            if len(row.problems) > 3:
                print(f"      ... and {len(row.problems) - 3} more")
    passed = sum(row.passed for row in rows)
    checked = [row for row in rows if row.history != "-"]
    matched = sum(row.history == "ok" for row in checked)
    totals = f"{passed} passed, {len(rows) - passed} failed"
    if checked:
        totals += f" (history matched in {matched} of the {len(checked)} with events)"
    print(totals)


def count(n: int, noun: str) -> str:
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"
