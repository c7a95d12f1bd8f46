"""The live trace `statum run` shows on a terminal: one coloured line per state.

It is the runner's `observer`: it sees each journal event as it is recorded, so a
slow Task or a long Wait shows while it happens, not after the run. Timings are
differences of the events' own timestamps, so under `--virtual-clock` they are the
time the execution would have taken, not the time the machine spent.

It writes to stderr, leaving stdout to the result, and only when stderr is a
terminal (a log file or a pipe gets no escape codes); `-q` turns it off.
"""

import sys
from typing import TextIO

from rich.console import Console
from rich.text import Text

from statum.core.interpreter import events as ev

# States that can take time: their start is shown as well as their end.
_SLOW_KINDS = frozenset({"Task", "Wait", "Map", "Parallel", "StartExecution"})


def wants_trace(quiet: bool, stream: TextIO | None = None) -> bool:
    """Whether to show the trace: not with -q, and only to a terminal."""
    target = stream or sys.stderr
    return not quiet and target.isatty()


def _duration(ms: int) -> str:
    if ms < 1000:
        return f"{ms} ms"
    if ms < 60_000:
        return f"{ms / 1000:.1f} s"
    minutes, seconds = divmod(ms // 1000, 60)
    if minutes < 60:
        return f"{minutes} min {seconds} s"
    hours, minutes = divmod(minutes, 60)
    return f"{hours} h {minutes} min"


class Trace:
    """Prints a line for each state as the execution moves through it."""

    def __init__(self, stream: TextIO | None = None) -> None:
        self._console = Console(
            file=stream or sys.stderr, highlight=False, soft_wrap=True
        )
        self._started_ms = 0
        # frame -> nesting depth (branches and iterations are frames of their own)
        self._depth: dict[int, int] = {0: 0}
        # frame -> the Map iteration it runs, shown as `[index]`
        self._iteration: dict[int, int] = {}
        # (frame, state name) -> when it was entered
        self._entered: dict[tuple[int, str], int] = {}

    def __call__(self, event: ev.Event) -> None:
        if isinstance(event, ev.ExecutionStarted):
            self._started_ms = event.at_ms
            self._line("▶", "bold", f"execution {event.name}", frame=-1)
        elif isinstance(event, ev.StateEntered):
            self._entered[(event.frame, event.name)] = event.at_ms
            if event.kind in _SLOW_KINDS:
                self._line("→", "cyan", f"{event.name}", event.frame, f"({event.kind})")
        elif isinstance(event, ev.StateExited):
            entered = self._entered.pop((event.frame, event.name), event.at_ms)
            took = event.at_ms - entered
            self._line(
                "✓",
                "green",
                event.name,
                event.frame,
                f"({event.kind}) {_duration(took)}",
            )
        elif isinstance(event, ev.CatchMatched):
            self._line(
                "↪", "yellow", event.name, event.frame, f"caught, next: {event.next}"
            )
        elif isinstance(event, ev.StateFailed):
            self._line("✗", "red", event.name, event.frame, event.error or "failed")
        elif isinstance(event, ev.RetryScheduled):
            self._line(
                "↻",
                "yellow",
                "retry",
                event.frame,
                f"in {_duration(event.delay_ms)}",
            )
        elif isinstance(event, ev.BranchesStarted):
            for child in event.children:
                self._depth[child] = self._depth.get(event.frame, 0) + 1
        elif isinstance(event, ev.IterationStarted):
            self._depth[event.child] = self._depth.get(event.frame, 0) + 1
            self._iteration[event.child] = event.index
        elif isinstance(event, ev.ExecutionSucceeded):
            self._end("SUCCEEDED", "bold green", event.at_ms)
        elif isinstance(
            event, ev.ExecutionFailed | ev.ExecutionTimedOut | ev.ExecutionAborted
        ):
            status = {
                ev.ExecutionFailed: "FAILED",
                ev.ExecutionTimedOut: "TIMED_OUT",
                ev.ExecutionAborted: "ABORTED",
            }[type(event)]
            detail = f": {event.error}" if event.error else ""
            self._end(f"{status}{detail}", "bold red", event.at_ms)

    def _line(
        self, mark: str, style: str, name: str, frame: int = 0, detail: str = ""
    ) -> None:
        text = Text("  " * (self._depth.get(frame, 0) + (frame >= 0)))
        text.append(f"{mark} ", style=style)
        text.append(name, style="bold" if style != "bold" else "")
        if frame in self._iteration:
            text.append(f" [{self._iteration[frame]}]")
        if detail:
            text.append(f"  {detail}", style="dim")
        self._console.print(text)

    def _end(self, outcome: str, style: str, at_ms: int) -> None:
        text = Text("■ ", style=style)
        text.append(outcome, style=style)
        text.append(f"  in {_duration(at_ms - self._started_ms)}", style="dim")
        self._console.print(text)
