"""The `statum` subcommands."""

import argparse
import importlib
import json
import sys
from pathlib import Path
from typing import Any

import msgspec
from statum.adapters.cli.errors import CliError
from statum.adapters.cli.output import print_json, print_result, print_test_table
from statum.core.definition.loader import InvalidDefinition, parse_definition_text
from statum.core.definition.problems import format_problem
from statum.core.definition.validation import validate_definition
from statum.core.engine.express import ExpressRunner
from statum.core.engine.golden import run_case
from statum.core.engine.loading import load_program
from statum.core.interpreter.codec import decode_journal, encode_journal
from statum.core.interpreter.errors import InterpreterError
from statum.core.interpreter.evolve import fold
from statum.projections.history import flatten, project_history


def _read(path: str) -> bytes:
    try:
        return Path(path).read_bytes()
    except FileNotFoundError:
        raise CliError(f"{path}: no such file") from None
    except IsADirectoryError:
        raise CliError(f"{path}: is a directory, expected a file") from None
    except OSError as exc:
        raise CliError(f"{path}: cannot read: {exc.strerror}") from None


def validate(args: argparse.Namespace) -> int:
    failed = 0
    report: list[dict[str, Any]] = []
    for path in args.files:
        try:
            doc = parse_definition_text(_read(path))
            problems = validate_definition(doc)
        except InvalidDefinition as exc:
            problems = exc.problems
        report.append(
            {
                "file": path,
                "valid": not problems,
                "problems": [msgspec.to_builtins(p) for p in problems],
            }
        )
        if problems:
            failed += 1
        if args.output == "text":
            if problems:
                print(f"{path}: invalid ({len(problems)} problem(s))")
                for problem in problems:
                    print(f"  {format_problem(problem)}")
            else:
                print(f"{path}: valid")
    if args.output == "json":
        print_json(report)
    return 1 if failed else 0


def _input(value: str) -> Any:
    text = _read(value[1:]) if value.startswith("@") else value.encode()
    try:
        return msgspec.json.decode(text)
    except msgspec.DecodeError as exc:
        where = value if value.startswith("@") else "--input"
        raise CliError(f"{where}: not valid JSON: {exc}", exit_code=2) from None


def run(args: argparse.Namespace) -> int:
    payload = _input(args.input)
    if args.handlers and "" not in sys.path:
        sys.path.insert(
            0, ""
        )  # handler modules are named relative to the working directory
    for module in args.handlers:
        try:
            importlib.import_module(module)
        except ImportError as exc:
            raise CliError(
                f"--handlers {module}: cannot import: {exc}", exit_code=2
            ) from None
    try:
        program = load_program(_read(args.definition))
    except InvalidDefinition as exc:
        raise CliError(f"{args.definition}: {exc}") from None
    runner = ExpressRunner(handlers=default_handlers())
    result = runner.run(program, payload, name=args.name)
    if args.journal_out:
        try:
            Path(args.journal_out).write_bytes(encode_journal(result.journal))
        except OSError as exc:
            raise CliError(
                f"{args.journal_out}: cannot write: {exc.strerror}"
            ) from None
    history = flatten(project_history(result.journal))
    print_result(result, history, as_json=args.output == "json")
    return 0 if result.status == "SUCCEEDED" else 1


def default_handlers() -> Any:
    """The process-wide registry that `statum.handler` decorates into."""
    from statum.core.engine.registry import DEFAULT_HANDLERS

    return DEFAULT_HANDLERS


def replay(args: argparse.Namespace) -> int:
    data = _read(args.journal)
    try:
        events = list(decode_journal(data))
    except (msgspec.DecodeError, msgspec.ValidationError) as exc:
        raise CliError(f"{args.journal}: not a Statum journal: {exc}") from None
    if not events:
        raise CliError(f"{args.journal}: the journal is empty")
    try:
        if args.history:
            print_json(project_history(events))
        else:
            print_json(msgspec.to_builtins(fold(events)))
    except InterpreterError as exc:
        raise CliError(
            f"{args.journal}: the journal cannot be replayed: {exc}"
        ) from None
    return 0


def _case_files(paths: list[str]) -> list[Path]:
    files: list[Path] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            files.extend(
                sorted(p for p in path.rglob("*.json") if p.name != "index.json")
            )
        elif path.is_file():
            files.append(path)
        else:
            raise CliError(f"{raw}: no such file or directory", exit_code=2)
    return files


def test(args: argparse.Namespace) -> int:
    outcomes = []
    for path in _case_files(args.paths):
        try:
            case = json.loads(_read(str(path)))
        except json.JSONDecodeError as exc:
            raise CliError(f"{path}: not valid JSON: {exc}") from None
        if not isinstance(case, dict) or "definition" not in case:
            raise CliError(
                f"{path}: not a case file (needs 'definition' and 'expected')"
            )
        case.setdefault("id", path.stem)
        outcomes.append(run_case(case, load_program, default_handlers()))
    print_test_table(outcomes, quiet=args.quiet, stream=sys.stdout)
    if args.report:
        report = {
            "cases": [
                {"id": o.id, "passed": o.passed, "actual": o.actual} for o in outcomes
            ]
        }
        try:
            Path(args.report).write_bytes(msgspec.json.encode(report))
        except OSError as exc:
            raise CliError(f"{args.report}: cannot write: {exc.strerror}") from None
    return 0 if all(o.passed for o in outcomes) else 1
