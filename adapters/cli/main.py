"""`statum`: validate, run, replay and test OSML workflows from the command line.

Exit codes: 0 success, 1 a failed validation / execution / test, 2 a usage error.
Bad input is reported as one clear message on stderr, never as a traceback.
"""

import argparse
import sys
from collections.abc import Callable, Sequence
from typing import NoReturn

from statum.adapters.cli import commands
from statum.adapters.cli.errors import CliError


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        self.exit(2, f"statum: error: {message}\n")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="statum",
        description="Statum: run Amazon States Language / OSML workflows.",
    )
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)

    validate = sub.add_parser(
        "validate", help="check definitions; exit 1 if any is invalid"
    )
    validate.add_argument("files", nargs="+", metavar="FILE")
    validate.add_argument("-o", "--output", choices=["text", "json"], default="text")
    validate.set_defaults(handler=commands.validate)

    run = sub.add_parser(
        "run", help="run a definition in Express mode and print the result"
    )
    run.add_argument("definition", metavar="DEFINITION")
    run.add_argument(
        "--input", default="{}", help="JSON text, or @FILE to read it from a file"
    )
    run.add_argument("--name", help="the execution name (default: a new UUID)")
    run.add_argument(
        "--journal-out", metavar="FILE", help="save the journal (JSON Lines)"
    )
    run.add_argument(
        "--handlers",
        action="append",
        default=[],
        metavar="MODULE",
        help="import MODULE first so its handlers register (repeatable)",
    )
    run.add_argument("-o", "--output", choices=["text", "json"], default="text")
    run.set_defaults(handler=commands.run)

    replay = sub.add_parser(
        "replay", help="rebuild the state from a saved journal and print it"
    )
    replay.add_argument("journal", metavar="JOURNAL_FILE")
    replay.add_argument(
        "--history", action="store_true", help="print the AWS history instead"
    )
    replay.set_defaults(handler=commands.replay)

    test = sub.add_parser(
        "test", help="run golden case files and print a pass/fail table"
    )
    test.add_argument("paths", nargs="+", metavar="CASE_FILE_OR_DIR")
    test.add_argument(
        "--report", metavar="FILE", help="write a JSON report of every case"
    )
    test.add_argument(
        "-q", "--quiet", action="store_true", help="print failures and totals only"
    )
    test.set_defaults(handler=commands.test)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    handler: Callable[[argparse.Namespace], int] = args.handler
    try:
        return handler(args)
    except CliError as exc:
        print(f"statum: {exc}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("statum: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    raise SystemExit(main())
