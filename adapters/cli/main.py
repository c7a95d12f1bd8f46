"""`statum`: validate, run, replay and test OSML workflows from the command line.

Every problem reaches the user as one message on stderr that says what to do, never
as a traceback (set STATUM_DEBUG=1 to see one). Exit statuses are in `errors`.
"""

import argparse
import contextlib
import os
import signal
import sys
import traceback
from collections.abc import Callable, Sequence
from typing import NoReturn

from statum.adapters.cli.errors import FAILED, USAGE, CliError


def _usage_status(what: str) -> str:
    return f"  2  a usage error: an unknown option, {what}"


_USAGE_STATUS = _usage_status(
    "a missing or unreadable file,\n     a bad --input, --name or --handlers value"
)

_DESCRIPTION = """\
Statum runs Amazon States Language (ASL) and OSML workflows.
Run 'statum COMMAND --help' for the options of a command."""

_EPILOG = f"""\
examples:
  statum validate examples/order.asl.json
  statum run examples/order.asl.json --handlers examples.handlers \\
      --input @examples/order-input.json --journal-out order.jsonl
  statum replay order.jsonl -o text
  statum test cases/ --report report.json
  statum test --record cases/order.json examples/order.asl.json \\
      --handlers examples.handlers --input @examples/order-input.json

exit status:
  0  success
  1  an invalid definition, journal or case file; an execution that did not
     succeed; a golden case that did not match
{_USAGE_STATUS}"""

_VALIDATE = (
    """\
Check ASL/OSML definitions and print every problem with its location (a JSON
pointer into the definition, or a line and column for broken JSON).""",
    f"""\
exit status:
  0  every definition is valid
  1  a definition is invalid
{_usage_status("a missing or unreadable file")}""",
)

_RUN = (
    """\
Run a definition in Express mode (in this process, to its end) and print its
status and output, or its error and cause.""",
    f"""\
Task states call Python handlers: a Resource "python:NAME" calls the function
registered with @statum.core.engine.registry.handler("NAME") in a --handlers
module, and "python:package.module:function" imports that function itself.

The journal written by --journal-out (JSON Lines, one event per line) is kept
for failed executions too; 'statum replay' rebuilds the state from it.

On a terminal, a live trace of the states (with their timings) goes to stderr
while the execution runs; stdout carries only the result. -q turns the trace
off, and it is off when stderr is not a terminal.

--virtual-clock: Wait states, retry backoffs and timeouts take no real time;
the clock jumps to the next due time instead (the history still shows the
times the execution would have taken).

exit status:
  0  the execution SUCCEEDED
  1  the definition is invalid, or the execution FAILED, TIMED_OUT or ABORTED
{_usage_status("a missing or unreadable file,")}
     a bad --input, --name, --journal-out or --handlers value""",
)

_REPLAY = (
    """\
Rebuild the state of an execution by replaying a journal saved with
'statum run --journal-out', and print what 'statum run' printed: status,
output, error, cause and the execution history as AWS Step Functions shows it
(with --history, the history alone; with --state, the whole rebuilt state).""",
    f"""\
Every journal is checked: its events must be numbered without a gap or a
repeat, start once and end once. With --definition, the journal must also have
been decided with that definition (its content hash), and every decision is
made again from the recorded facts: the first event that differs is named.

exit status:
  0  the state was rebuilt (whatever the execution's status)
  1  the file is not a journal, its events do not replay, or (--definition) it
     was decided with another definition or differs from what it decides
{_usage_status("a missing or unreadable file")}""",
)

_TEST = (
    """\
Run golden case files and compare each execution with what the case expects.""",
    f"""\
A case file is one JSON object, the format of the AWS conformance corpus:
  {{"definition": {{...}}, "input": {{...}},
   "expected": {{"status": "SUCCEEDED", "output": ...}}}}
with "error"/"cause" instead of "output" for a failed execution, and optionally
"events" (the expected history, flattened: {{"id", "previousEventId", "type",
"name", "input", "output", ...}}), "name" (the execution name) and
"placeholders" (strings that match any value). A case passes when its status,
its output (or error and cause) and its events, when given, all match.

"definition" may also be a file path, relative to the case file:
  {{"definition": "../order.asl.json", ...}}

Dialects (--dialect, or a case's "dialect" field): "exact" compares values as
JSON; "aws-recorded" also honours the AWS recorder's masks (any <word>, "date",
"timestamp") and its sorted Parallel events. auto (the default) uses a case's
own "dialect", else aws-recorded for corpus cases (they have "provenance"),
else exact.

Cases of the AWS-recorded corpus run as they are: their Lambda functions
("lambda_functions", or "corpus-NAME-N" functions called by child state
machines) are emulated, and "child_state_machines" can be started. A case the
known-differences list names (with its reason) reports KNOWN or SKIP instead of
FAIL; so does a "nondeterministic" case whose status matches.

--record CASE_FILE DEFINITION runs DEFINITION (with --input, --name and
--handlers) and writes a case expecting exactly what happened; the case refers
to DEFINITION by its path relative to CASE_FILE.

--report writes {{"cases": [{{"id", "file", "passed", "result", "note",
"problems", "actual": {{"status", "output", "error", "cause", "events"}}}}]}}.

exit status:
  0  every case passed or differs only as known
  1  a case failed, or a case file is not valid
{_usage_status("a missing path, an empty directory,")}
     a bad --report, --record, --input or --handlers value""",
)


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        self.exit(
            USAGE,
            f"{self.prog}: error: {message}\nRun '{self.prog} --help' for help.\n",
        )


def _formatter(prog: str) -> argparse.HelpFormatter:
    return argparse.RawDescriptionHelpFormatter(prog, max_help_position=30)


def build_parser() -> tuple[argparse.ArgumentParser, dict[str, _Parser]]:
    """The `statum` parser, and each subcommand's parser by name."""
    parser = _Parser(
        prog="statum",
        description=_DESCRIPTION,
        epilog=_EPILOG,
        formatter_class=_formatter,
        allow_abbrev=False,
    )
    parser.add_argument(
        "--version", action=_Version, nargs=0, help="print the version and exit"
    )
    sub = parser.add_subparsers(
        dest="command", metavar="COMMAND", title="commands", parser_class=_Parser
    )
    commands: dict[str, _Parser] = {}

    def add(name: str, summary: str, text: tuple[str, str]) -> _Parser:
        command: _Parser = sub.add_parser(
            name,
            help=summary,
            description=text[0],
            epilog=text[1],
            formatter_class=_formatter,
            allow_abbrev=False,
        )
        commands[name] = command
        return command

    validate = add(
        "validate",
        "check definitions and print every problem with its location",
        _VALIDATE,
    )
    validate.add_argument(
        "files", nargs="+", metavar="FILE", help="definition files (JSON); - is stdin"
    )
    _output_option(validate, "text")
    _handlers_option(validate)

    run = add(
        "run",
        "run a definition to its end and print the result",
        _RUN,
    )
    run.add_argument(
        "definition", metavar="DEFINITION", help="definition file (JSON); - is stdin"
    )
    _execution_options(run)
    run.add_argument(
        "--journal-out",
        action=_Once,
        metavar="FILE",
        help="save the journal (JSON Lines) for 'statum replay'",
    )
    run.add_argument(
        "--virtual-clock",
        action="store_true",
        help="Waits, retry backoffs and timeouts take no real time",
    )
    _handlers_option(run)
    run.add_argument(
        "--debug",
        action="store_true",
        help="print the traceback of every handler that failed (they are in the "
        "journal, and under 'tracebacks' in -o json, in any case)",
    )
    run.add_argument(
        "-q", "--quiet", action="store_true", help="no live trace on the terminal"
    )
    _output_option(run, "text", json_help="{status, output, error, cause, history}")

    replay = add(
        "replay",
        "rebuild an execution's state from a saved journal and print it",
        _REPLAY,
    )
    replay.add_argument(
        "journal",
        metavar="JOURNAL_FILE",
        help="a journal: JSON Lines, or a JSON array of events; - is stdin",
    )
    replay.add_argument(
        "--definition",
        metavar="FILE",
        help="the definition the journal was run with: check that it is, and "
        "re-decide every step with it",
    )
    replay.add_argument(
        "--history",
        action="store_true",
        help="print the AWS Step Functions history instead of the state",
    )
    replay.add_argument(
        "--state",
        action="store_true",
        help="print the whole rebuilt state (JSON) instead",
    )
    _output_option(
        replay, "json", json_help="{status, output, error, cause, history}, as run"
    )

    test = add(
        "test",
        "run golden case files and print a pass/fail table",
        _TEST,
    )
    test.add_argument(
        "paths",
        # Checked by the command: with --record the one path is a definition.
        nargs="*",
        metavar="CASE_FILE_OR_DIR",
        help="case files, or directories searched for *.json case files "
        "(index.json is skipped); with --record, the one definition to run",
    )
    test.add_argument(
        "--report",
        action=_Once,
        metavar="FILE",
        help="also write a JSON report of every case",
    )
    test.add_argument(
        "--dialect",
        action=_Once,
        choices=["auto", "exact", "aws-recorded"],
        default="auto",
        metavar="DIALECT",
        help="how values are compared: auto, exact or aws-recorded (default: auto)",
    )
    test.add_argument(
        "--record",
        action=_Once,
        metavar="CASE_FILE",
        help="run the one DEFINITION given and write a golden case of it",
    )
    # A case's default name is the same UUID on every run, so its ARNs can match.
    _execution_options(test, " (with --record)", name="a UUID fixed for the case")
    _handlers_option(test)
    test.add_argument(
        "-q", "--quiet", action="store_true", help="print failures and totals only"
    )
    return parser, commands


def _execution_options(
    parser: argparse.ArgumentParser, when: str = "", name: str = "a new UUID"
) -> None:
    parser.add_argument(
        "--input",
        action=_Once,
        default="{}",
        metavar="JSON|@FILE",
        help="the execution input: JSON text, or @FILE to read it from a file "
        f"(default: {{}}){when}",
    )
    parser.add_argument(
        "--name",
        action=_Once,
        help=f"the execution name, as in its ARN (default: {name}){when}",
    )


def _output_option(
    parser: argparse.ArgumentParser, default: str, json_help: str = ""
) -> None:
    detail = f"; json prints {json_help}" if json_help else ""
    parser.add_argument(
        "-o",
        "--output",
        action=_Once,
        choices=["text", "json"],
        default=default,
        metavar="FORMAT",
        help=f"text or json (default: {default}{detail})",
    )


def _handlers_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--handlers",
        action="append",
        default=[],
        metavar="MODULE",
        help="import the Python module MODULE (e.g. examples.handlers, or its file "
        "examples/handlers.py) first, so its task handlers register and Resources "
        "may name its functions (python:MODULE:FUNCTION); repeatable",
    )


class _Once(argparse.Action):
    """An option that takes one value: given twice, it is an error, not overridden."""

    def __call__(
        self,
        parser: argparse.ArgumentParser,
        namespace: argparse.Namespace,
        values: object,
        option_string: str | None = None,
    ) -> None:
        given: set[str] = namespace.__dict__.setdefault("_given", set())
        if self.dest in given:
            parser.error(
                f"{'/'.join(self.option_strings)} is given twice; give it once"
            )
        given.add(self.dest)
        setattr(namespace, self.dest, values)


class _Version(argparse.Action):
    """`--version`, looked up only when asked for: importlib.metadata is slow."""

    def __call__(self, parser: argparse.ArgumentParser, *_: object) -> None:
        from importlib.metadata import PackageNotFoundError, version

        try:
            text = f"statum {version('statum')}"
        except PackageNotFoundError:
            text = "statum (version unknown: the package is not installed)"
        print(text)
        parser.exit()


def _parse(argv: Sequence[str] | None) -> argparse.Namespace:
    parser, commands = build_parser()
    args, extra = parser.parse_known_args(argv)
    if args.command is None:
        parser.print_help(sys.stderr)
        parser.exit(USAGE, "\nstatum: error: give a COMMAND\n")
    if extra:
        # Report unknown arguments against the subcommand the user typed, so the
        # usage and the help hint printed are that command's.
        commands[args.command].error(f"unrecognized arguments: {' '.join(extra)}")
    return args


class Terminated(KeyboardInterrupt):
    """SIGTERM: stop as Ctrl-C does, keeping what was recorded."""


def _terminate(signum: int, frame: object) -> None:
    raise Terminated


def main(argv: Sequence[str] | None = None) -> int:
    args = _parse(argv)
    # A service manager or a CI runner stops a process with SIGTERM; the run's
    # journal must survive that as it survives Ctrl-C.
    with contextlib.suppress(ValueError):  # not the main thread: no handler
        signal.signal(signal.SIGTERM, _terminate)
    try:
        # Imported after parsing, so that `--help` and usage errors stay fast.
        from statum.adapters.cli.commands import COMMANDS

        handler: Callable[[argparse.Namespace], int] = COMMANDS[args.command]
        return handler(args)
    except CliError as exc:
        _debug(exc.__cause__)
        print(f"statum: {exc}", file=sys.stderr)
        return exc.exit_code
    except Terminated:
        print("statum: terminated", file=sys.stderr)
        return 128 + signal.SIGTERM
    except KeyboardInterrupt:
        print("statum: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        # The reader went away (`statum ... | head`); say nothing more, and keep
        # Python from complaining again when it flushes stdout at exit.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return FAILED
    except Exception as exc:
        _debug(exc)
        print(
            f"statum: internal error: {type(exc).__name__}: {exc}\n"
            "This is a bug in Statum; please report it with the command you ran "
            "(set STATUM_DEBUG=1 to print the traceback).",
            file=sys.stderr,
        )
        return FAILED


def _debug(exc: BaseException | None) -> None:
    if exc is not None and os.environ.get("STATUM_DEBUG"):
        traceback.print_exception(exc, file=sys.stderr)


if __name__ == "__main__":
    raise SystemExit(main())
