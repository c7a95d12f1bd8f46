"""How the CLI prints: results on stdout, in text or as JSON (`-o json`).

Every value a line shows is JSON (`null`, not Python's `None`); a missing error or
cause is left out rather than printed empty.
"""

import sys
from dataclasses import dataclass, field
from typing import Any, Literal, TextIO

import msgspec
from rich.console import Console
from rich.text import Text

Verdict = Literal["pass", "fail", "known", "skip"]
_MARKS: dict[str, tuple[str, str]] = {
    "pass": ("PASS", "green"),
    "fail": ("FAIL", "bold red"),
    "known": ("KNOWN", "yellow"),
    "skip": ("SKIP", "dim"),
}


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
        for key in ("error", "cause"):
            if summary[key] is not None:
                print(f"{key}:  {summary[key]}")
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
    verdict: Verdict
    history: str  # "ok", "DIFF", or "-" when the case gives no expected events
    actual: dict[str, Any]
    problems: list[str] = field(default_factory=list)
    # Why a known difference or a skip is not a failure, or that a listed one is gone.
    note: str | None = None

    @property
    def passed(self) -> bool:
        return self.verdict == "pass"

    def report(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "file": self.file,
            "passed": self.passed,
            "result": self.verdict,
            "note": self.note,
            "actual": self.actual,
            "problems": self.problems,
        }


def print_test_table(rows: list[CaseRow], *, quiet: bool) -> None:
    """The table on stdout, coloured when stdout is a terminal."""
    # Case ids hold brackets: no rich markup, no highlighting, no line wrapping.
    console = Console(highlight=False, soft_wrap=True)
    for row in rows:
        if quiet and row.verdict != "fail":
            continue
        mark, style = _MARKS[row.verdict]
        line = Text()
        line.append(f"{mark:<5}", style=style)
        line.append(f" history:{row.history:<4}  {row.id}")
        console.print(line)
        if row.note is not None:
            console.print(Text(f"       {row.note[:300]}", style="dim"))
        if row.verdict == "fail":
            for problem in row.problems[:3]:
                console.print(Text(f"       {problem[:300]}"))
            if len(row.problems) > 3:
                console.print(Text(f"       ... and {len(row.problems) - 3} more"))
    tally = {verdict: sum(row.verdict == verdict for row in rows) for verdict in _MARKS}
    totals = f"{tally['pass']} passed, {tally['fail']} failed"
    if tally["known"]:
        totals += f", {count(tally['known'], 'known difference')}"
    if tally["skip"]:
        totals += f", {tally['skip']} skipped"
    checked = [row for row in rows if row.history != "-"]
    if checked:
        matched = sum(row.history == "ok" for row in checked)
        totals += f" (history matched in {matched} of the {len(checked)} with events)"
    console.print(
        Text(totals, style="bold red" if tally["fail"] else "bold green"),
    )


def count(n: int, noun: str) -> str:
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"
