"""The `statum` subcommands: each takes the parsed arguments, returns an exit status.

Arguments are checked before any work starts (a workflow's handlers have side
effects, so a typo in `--journal-out` must not surface after they ran), and what an
execution recorded is saved before anything that could still fail.
"""

import argparse
import json
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import msgspec

from statum.adapters.cli.errors import FAILED, OK, USAGE, CliError, UsageError
from statum.adapters.cli.inputs import (
    STDIN,
    InvalidJson,
    check_execution_name,
    check_output_path,
    import_handlers,
    parse_json,
    read_file,
    write_file,
)
from statum.adapters.cli.known import Known, known_differences
from statum.adapters.cli.output import (
    CaseRow,
    Verdict,
    count,
    encode_json,
    print_json,
    print_summary,
    print_test_table,
    print_validation,
)
from statum.adapters.cli.trace import Trace, wants_trace
from statum.core.definition.loader import InvalidDefinition
from statum.core.definition.problems import Problem, format_problem
from statum.core.definition.validation import validate_definition
from statum.core.definition.validation.duplicates import duplicate_key_problems
from statum.core.engine.clock import Clock, SystemClock, VirtualClock
from statum.core.engine.errors import UnknownResource
from statum.core.engine.express import (
    ExpressRunner,
    definition_hash,
    handler_failures,
)
from statum.core.engine.golden import (
    AWS_RECORDED,
    DIALECTS,
    CaseOutcome,
    case_dialect,
    execute_case,
    expected_of,
    run_case,
)
from statum.core.engine.lambda_emulation import (
    BEHAVIOURS,
    LambdaEmulator,
    emulates,
    prepare_case,
)
from statum.core.engine.loading import load_program
from statum.core.engine.registry import DEFAULT_HANDLERS
from statum.core.engine.resources import resource_problems
from statum.core.interpreter.codec import (
    decode_journal,
    decode_journal_list,
    encode_event,
    encode_journal,
    sequence_problem,
)
from statum.core.interpreter.errors import InterpreterError
from statum.core.interpreter.events import Event, ExecutionStarted
from statum.core.interpreter.evolve import apply
from statum.core.interpreter.limits import DEFAULT_LIMITS
from statum.core.interpreter.program import Program
from statum.core.interpreter.state import INITIAL_STATE, ExecutionState
from statum.core.interpreter.verify import first_difference
from statum.core.language.json import nesting_depth
from statum.projections.history import project_history


def _warn(message: str) -> None:
    print(f"statum: {message}", file=sys.stderr)


def _stdin_once(paths: list[str]) -> None:
    if paths.count(STDIN) > 1:
        raise UsageError("stdin (-) can be read only once; save all but one to files")


# validate ------------------------------------------------------------------------


def validate(args: argparse.Namespace) -> int:
    _stdin_once(args.files)
    import_handlers(args.handlers)
    unreadable = invalid = 0
    report: list[dict[str, Any]] = []
    for path in args.files:
        # Every file is checked even when one cannot be read: the user gets all
        # the problems in one go.
        try:
            data = read_file(path, "definition")
        except UsageError as exc:
            unreadable += 1
            _warn(str(exc))
            report.append(
                {"file": path, "valid": False, "error": str(exc), "problems": []}
            )
            continue
        problems = _definition_problems(data, names_known=bool(args.handlers))
        invalid += bool(problems)
        report.append(
            {
                "file": path,
                "valid": not problems,
                "problems": [msgspec.to_builtins(p) for p in problems],
            }
        )
        if args.output == "text":
            print_validation(path, [format_problem(p) for p in problems])
    if args.output == "json":
        print_json(report)
    if unreadable:
        return USAGE
    return FAILED if invalid else OK


def _definition_problems(data: bytes, *, names_known: bool) -> list[Problem]:
    try:
        doc = parse_json(data)
    except InvalidJson as exc:
        return [_json_problem(exc)]
    return (
        duplicate_key_problems(data)
        + validate_definition(doc)
        + resource_problems(doc, DEFAULT_HANDLERS, names_known=names_known)
    )


def _json_problem(exc: InvalidJson) -> Problem:
    return Problem(
        location="", message=f"not valid JSON: {exc}; fix the JSON", code="INVALID_JSON"
    )


def _load_program(path: str, data: bytes) -> Program:
    try:
        doc = parse_json(data)
    except InvalidJson as exc:
        problems = [_json_problem(exc)]
    else:
        problems = duplicate_key_problems(data)
        try:
            if not problems:
                return load_program(doc)
        except InvalidDefinition as invalid:
            problems = invalid.problems
    lines = "".join(f"\n  {format_problem(p)}" for p in problems)
    raise CliError(
        f"{path}: the definition is invalid ({count(len(problems), 'problem')}); "
        f"fix it and run again:{lines}"
    )


# run -----------------------------------------------------------------------------


def _keep_partial_journal(path: str | None, recorded: list[Event]) -> str:
    """Save what an interrupted run recorded; say where, for the error message."""
    if path is None or not recorded:
        return ", and its journal was not kept (use --journal-out to keep it)"
    if _save_journal(path, recorded) is not None:
        return ", and its journal could not be saved"
    return f"; the {len(recorded)} events recorded so far are saved in {path}"


def run(args: argparse.Namespace) -> int:
    if args.name is not None:
        check_execution_name(args.name)
    input_file = args.input[1:] if args.input.startswith("@") else None
    sources = [args.definition] + ([input_file] if input_file is not None else [])
    _stdin_once(sources)
    if args.journal_out is not None:
        check_output_path(args.journal_out, "--journal-out", inputs=sources)
    payload = _input(args.input, input_file)
    program = _load_program(args.definition, read_file(args.definition, "definition"))
    import_handlers(args.handlers)

    clock: Clock = (
        # Starts at the real time, so the history's timestamps read as today's.
        VirtualClock(start_ms=SystemClock().now_ms())
        if args.virtual_clock
        else SystemClock()
    )
    runner = ExpressRunner(handlers=DEFAULT_HANDLERS, clock=clock)
    recorded: list[Event] = []
    trace = Trace() if wants_trace(args.quiet) else None

    def observe(event: Event) -> None:
        recorded.append(event)
        if trace is not None:
            trace(event)

    try:
        result = runner.run(program, payload, name=args.name, observer=observe)
    except UnknownResource as exc:  # refused before anything was recorded
        raise CliError(f"{args.definition}: {exc}; nothing was run") from None
    except KeyboardInterrupt:
        _keep_partial_journal(args.journal_out, recorded)
        raise
    except SystemExit as exc:
        kept = _keep_partial_journal(args.journal_out, recorded)
        raise CliError(
            f"{args.definition}: a task handler called {_exit_call(exc)}, so "
            f"the execution stopped{kept}; raise an exception (or TaskFailure) to "
            "fail a task instead"
        ) from None
    except Exception as exc:
        kept = _keep_partial_journal(args.journal_out, recorded)
        raise CliError(
            f"{args.definition}: the execution stopped on an internal error "
            f"({type(exc).__name__}: {exc}){kept}. This is a bug in Statum, please "
            "report it (STATUM_DEBUG=1 prints the traceback)"
        ) from exc

    # The journal first: it is the record, and it is kept whatever happens next.
    problem = (
        _save_journal(args.journal_out, result.journal)
        if args.journal_out is not None
        else None
    )
    history: list[dict[str, Any]] | None = None
    try:
        history = project_history(result.journal)
    except Exception as exc:
        if problem is None:  # a journal that could not be saved matters more
            saved = (
                f"; the journal is saved in {args.journal_out}"
                if args.journal_out is not None
                else ""
            )
            problem = CliError(
                f"the execution ended {result.status}, but its history could not "
                f"be built ({type(exc).__name__}: {exc}){saved}. This is a bug in "
                "Statum; please report it"
            )
            problem.__cause__ = exc
    summary = _summary(
        result.status, result.output, result.error, result.cause, result.journal
    )
    summary["history"] = history
    if args.debug:
        _print_tracebacks(result.journal)
    elif summary["tracebacks"] and args.output == "text":
        _warn("a task handler raised an exception; --debug prints its traceback")
    if args.output == "json":
        print_json(summary)
    else:
        print_summary(summary, journal_events=len(result.journal))
    if problem is not None:
        raise problem
    return OK if result.status == "SUCCEEDED" else FAILED


def _exit_call(exc: SystemExit) -> str:
    """The call as the handler wrote it, e.g. `sys.exit(3)` or `sys.exit()`."""
    code = exc.code
    return f"sys.exit({'' if code is None else json.dumps(code, default=str)})"


def _summary(
    status: str, output: Any, error: Any, cause: Any, journal: list[Event]
) -> dict[str, Any]:
    """What `run -o json` and `replay` print: the same keys, the same shapes.
    `tracebacks` holds those of the handlers that failed (not AWS history)."""
    return {
        "status": status,
        "output": output,
        "error": error,
        "cause": cause,
        "tracebacks": tracebacks(journal),
    }


def tracebacks(journal: list[Event]) -> list[dict[str, Any]]:
    """Every failed handler's traceback, with the task it failed."""
    return [
        {"task": event.task, "error": event.error, "traceback": event.traceback}
        for event in handler_failures(journal)
    ]


def _print_tracebacks(journal: list[Event]) -> None:
    for failure in tracebacks(journal):
        print(
            f"statum: task {failure['task']} failed with {failure['error']}:\n"
            f"{failure['traceback'].rstrip()}",
            file=sys.stderr,
        )


def _save_journal(path: str, journal: list[Event]) -> CliError | None:
    try:
        data = encode_journal(journal)
    except Exception as exc:
        problem = CliError(
            f"--journal-out {path}: the journal could not be encoded "
            f"({type(exc).__name__}: {exc}); this is a bug in Statum, please report it"
        )
        problem.__cause__ = exc
        return problem
    try:
        write_file(path, data, "--journal-out")
    except UsageError as exc:
        return exc
    return None


def _input(value: str, input_file: str | None) -> Any:
    if input_file is not None:
        if not input_file:
            raise UsageError("--input @: give a file name after @, e.g. @input.json")
        where = f"--input @{input_file}"
        data = read_file(input_file, "input")
    else:
        where = "--input"
        data = value.encode()
    try:
        payload = parse_json(data)
    except InvalidJson as exc:
        raise UsageError(
            f"{where}: not valid JSON: {exc}; give JSON text such as "
            """'{"key": "value"}', or @FILE"""
        ) from None
    max_depth = DEFAULT_LIMITS.max_data_depth
    if nesting_depth(payload, max_depth) > max_depth:
        raise UsageError(
            f"{where}: the input nests arrays and objects more than {max_depth} "
            "deep; pass flatter data"
        )
    size = len(msgspec.json.encode(payload))
    limit = DEFAULT_LIMITS.max_payload_bytes
    if size > limit:
        raise UsageError(
            f"{where}: the input is {size:,} bytes, over the limit of {limit:,} "
            "bytes (256 KiB, as on AWS Step Functions); pass a smaller input, "
            "e.g. a reference to where the data is stored"
        )
    return payload


# replay --------------------------------------------------------------------------


def replay(args: argparse.Namespace) -> int:
    path = args.journal
    data = read_file(path, "journal")
    events = _decode_journal(path, data)
    numbering = None if data.lstrip().startswith(b"[") else sequence_problem(data)
    if numbering is not None:
        raise CliError(f"{path}: the journal has been tampered with: {numbering}")
    state = _fold(path, events)
    if args.definition:
        _check_decisions(path, events, args.definition)
    if args.state:
        print_json(msgspec.to_builtins(state))
        return OK
    try:
        history = project_history(events)
    except Exception as exc:
        raise CliError(
            f"{path}: the history could not be built ({type(exc).__name__}: "
            f"{exc}); this is a bug in Statum, please report it"
        ) from exc
    if args.history:
        if args.output == "json":
            print_json(history)
        else:
            for event in history:
                name = event.get("stateEnteredEventDetails", {}).get("name") or (
                    event.get("stateExitedEventDetails", {}).get("name", "")
                )
                print(
                    f"{event['id']:>5} {event['previousEventId']:>5}  "
                    f"{event['timestamp']}  {event['type']}  {name}".rstrip()
                )
        return OK
    summary = _summary(state.status, state.output, state.error, state.cause, events)
    if args.output == "json":
        print_json({**summary, "history": history})
    else:
        print(f"execution: {state.execution_id}")
        print_summary(
            {**summary, "history": history},
            journal_events=len(events),
        )
    return OK


def _check_decisions(path: str, events: list[Event], definition: str) -> None:
    program = _load_program(definition, read_file(definition, "definition"))
    started = events[0]
    recorded = started.definition_hash if isinstance(started, ExecutionStarted) else ""
    if recorded and recorded != definition_hash(program):
        raise CliError(
            f"{path}: the journal was decided with another definition than "
            f"{definition} (its hash is {recorded}, this one's is "
            f"{definition_hash(program)}); give the definition it was run with"
        )
    try:
        difference = first_difference(program, events)
    except InterpreterError as exc:
        raise CliError(f"{path}: the journal cannot be replayed: {exc}") from None
    if difference is None:
        return
    number = difference.index + 1
    if difference.recorded is None:
        found = "the journal ends there"
    else:
        found = f"the journal has {_event_text(difference.recorded)}"
    decided = (
        "decides nothing more"
        if difference.decided is None
        else f"decides {_event_text(difference.decided)}"
    )
    raise CliError(
        f"{path}: event {number} differs from what {definition} decides: {found}, "
        f"the definition {decided}"
    )


def _event_text(event: Event) -> str:
    text = encode_event(event).decode()
    return text if len(text) <= 300 else text[:300] + "..."


def _decode_journal(path: str, data: bytes) -> list[Event]:
    decode: Callable[[bytes], list[Event]] = (
        decode_journal_list if data.lstrip().startswith(b"[") else decode_journal
    )
    try:
        events = decode(data)
    except (msgspec.DecodeError, msgspec.ValidationError) as exc:
        raise CliError(
            f"{path}: not a Statum journal ({exc}); give a file written by "
            "'statum run --journal-out'"
        ) from None
    if not events:
        raise CliError(
            f"{path}: the journal is empty; give a file written by "
            "'statum run --journal-out'"
        )
    return events


def _fold(path: str, events: list[Event]) -> ExecutionState:
    state = INITIAL_STATE.clone()
    for number, event in enumerate(events, start=1):
        try:
            apply(state, event)
        except InterpreterError as exc:
            raise CliError(
                f"{path}: the journal cannot be replayed: event {number} "
                f"({type(event).__name__}) does not follow from the events before "
                f"it ({exc}); the file is damaged or its events are out of order"
            ) from None
    return state


# test ----------------------------------------------------------------------------


def test(args: argparse.Namespace) -> int:
    if args.record is not None:
        return _record(args)
    for option in ("input", "name"):
        if option in getattr(args, "_given", set()):
            raise UsageError(
                f"--{option} is for --record only: a case file holds its own {option}"
            )
    if not args.paths:
        raise UsageError(
            "give case files or directories of them, e.g. statum test cases/ "
            "(or --record CASE_FILE DEFINITION to write one)"
        )
    files = _case_files(args.paths)
    if args.report is not None:
        check_output_path(args.report, "--report", inputs=[str(f) for f in files])
    import_handlers(args.handlers)
    known = known_differences()
    dialect = None if args.dialect == "auto" else args.dialect
    rows = [_run_case_file(path, known, dialect) for path in files]
    print_test_table(rows, quiet=args.quiet)
    if args.report is not None:
        report = {"cases": [row.report() for row in rows]}
        write_file(args.report, encode_json(report), "--report")
    return FAILED if any(row.verdict == "fail" for row in rows) else OK


def _record(args: argparse.Namespace) -> int:
    """`statum test --record CASE_FILE DEFINITION`: run it, write what happened."""
    if len(args.paths) != 1:
        raise UsageError(
            "--record: give exactly one definition file to run, e.g. "
            "statum test --record case.json flow.asl.json --input @input.json"
        )
    source = args.paths[0]
    if args.name is not None:
        check_execution_name(args.name)
    input_file = args.input[1:] if args.input.startswith("@") else None
    _stdin_once([source] + ([input_file] if input_file is not None else []))
    check_output_path(args.record, "--record", inputs=[source])
    payload = _input(args.input, input_file)
    data = read_file(source, "definition")
    _load_program(source, data)  # every problem reported before anything runs
    import_handlers(args.handlers)
    case_path = Path(args.record)
    case: dict[str, Any] = {"id": case_path.stem}
    if source == STDIN:
        case["definition"] = parse_json(data)
    else:
        # A reference, so the case keeps testing the definition as it changes.
        case["definition"] = Path(
            os.path.relpath(Path(source).resolve(), case_path.resolve().parent)
        ).as_posix()
    case["input"] = payload
    if args.name is not None:
        case["name"] = args.name
    runnable = {**case, "definition": parse_json(data)}
    try:
        result = execute_case(runnable, load_program, DEFAULT_HANDLERS)
    except SystemExit as exc:
        raise CliError(
            f"{source}: a task handler called {_exit_call(exc)}, so nothing was "
            "recorded; raise an exception (or TaskFailure) to fail a task instead"
        ) from None
    case["expected"] = expected_of(result)
    write_file(args.record, encode_json(case), "--record")
    events = len(case["expected"]["events"])
    print(
        f"{args.record}: recorded {result.status} with {count(events, 'event')}; "
        f"check it, then run 'statum test {args.record}'"
    )
    return OK


def _case_files(paths: list[str]) -> list[Path]:
    files: list[Path] = []
    missing: list[str] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            found = sorted(p for p in path.rglob("*.json") if p.name != "index.json")
            if not found:
                raise UsageError(
                    f"{raw}: no case files (*.json) in this directory; give case "
                    "files or a directory that holds them"
                )
            files.extend(found)
        elif path.is_file():
            files.append(path)
        else:
            missing.append(raw)
    if missing:
        raise UsageError(
            f"{', '.join(missing)}: no such file or directory "
            f"(looked in {Path.cwd()}); check the path"
        )
    return files


def _run_case_file(path: Path, known: dict[str, Known], dialect: str | None) -> CaseRow:
    name = str(path)
    try:
        case = parse_json(read_file(name, "case"))
    except UsageError as exc:
        return _broken_case(name, path.stem, str(exc))
    except InvalidJson as exc:
        return _broken_case(
            name, path.stem, f"{name}: not valid JSON: {exc}; fix the case file"
        )
    shape = _case_shape_problem(case)
    if shape is not None:
        return _broken_case(
            name,
            path.stem,
            f"{name}: not a golden case: {shape}; see 'statum test --help'",
        )
    case_id = str(case.get("id") or path.stem)
    listed = known.get(case_id) if case_dialect(case) == AWS_RECORDED else None
    if listed is not None and listed.difference == "skip":
        return CaseRow(
            id=case_id,
            file=name,
            verdict="skip",
            history="-",
            actual=_no_result(),
            note=f"not run: {listed.reason}",
        )
    try:
        definition = _case_definition(path, case["definition"])
    except UsageError as exc:
        return _broken_case(name, case_id, str(exc))
    case = {**case, "id": case_id, "definition": definition}
    handlers, clock = DEFAULT_HANDLERS, None
    if emulates(case):
        clock = VirtualClock()
        try:
            handlers = LambdaEmulator.for_case(case, clock).registry()
        except LookupError as exc:
            return _broken_case(
                name,
                case_id,
                f"{name}: {exc.args[0]}; Statum emulates only the corpus's functions "
                f"({', '.join(sorted(BEHAVIOURS))})",
            )
        if case.get("lambda_functions"):
            case = prepare_case(case)
    outcome = run_case(case, load_program, handlers, clock, dialect)
    history_ok = not outcome.history_checked or outcome.history_passed
    verdict, note = _verdict(case, outcome, history_ok, listed)
    actual = {
        "status": None,
        "output": None,
        "error": None,
        "cause": None,
        **{k: v for k, v in outcome.actual.items() if k != "history"},
        # The shape of the case's `expected.events`, to compare with them.
        "events": outcome.actual.get("history", []),
    }
    return CaseRow(
        id=case_id,
        file=name,
        verdict=verdict,
        history=(
            "-" if not outcome.history_checked else ("ok" if history_ok else "DIFF")
        ),
        actual=actual,
        problems=outcome.problems,
        note=note,
    )


def _verdict(
    case: dict[str, Any], outcome: CaseOutcome, history_ok: bool, listed: Known | None
) -> tuple[Verdict, str | None]:
    """Pass, fail, or a difference the known-differences list explains."""
    if outcome.passed and history_ok:
        if listed is not None:
            return "pass", (
                f"listed as a known {listed.difference} difference, but it matches "
                "now: the list in statum/adapters/cli/known_differences.json is stale"
            )
        return "pass", None
    status_ok = outcome.actual.get("status") == case["expected"]["status"]
    varying = (
        case.get("nondeterministic") if case_dialect(case) == AWS_RECORDED else None
    )
    if varying and status_ok:
        return "known", (
            "values vary from run to run (" + ", ".join(map(str, varying)) + "); "
            "the status matches"
        )
    if listed is not None and (
        listed.difference == "engine"
        or (listed.difference == "output" and status_ok)
        or (listed.difference == "history" and outcome.passed)
    ):
        return "known", f"known {listed.difference} difference: {listed.reason}"
    return "fail", None


def _case_definition(case_file: Path, definition: Any) -> Any:
    """A case's definition: the object itself, JSON text, or a file path relative
    to the case file."""
    if not isinstance(definition, str) or definition.lstrip().startswith("{"):
        return definition
    target = case_file.parent / definition
    data = read_file(str(target), "definition")
    try:
        return parse_json(data)
    except InvalidJson as exc:
        raise UsageError(
            f"{case_file}: its definition {target}: not valid JSON: {exc}; fix it"
        ) from None


def _no_result() -> dict[str, Any]:
    return {"status": None, "output": None, "error": None, "cause": None, "events": []}


def _case_shape_problem(case: Any) -> str | None:
    if not isinstance(case, dict):
        return "the file must hold one JSON object"
    if not isinstance(case.get("definition"), dict | str):
        return "it needs a 'definition' (the state machine, a JSON object)"
    expected = case.get("expected")
    if not isinstance(expected, dict) or not isinstance(expected.get("status"), str):
        return "it needs 'expected' with a 'status' (e.g. \"SUCCEEDED\")"
    events = expected.get("events")
    if events is not None and not (
        isinstance(events, list) and all(isinstance(e, dict) for e in events)
    ):
        return "'expected.events' must be a list of event objects"
    dialect = case.get("dialect")
    if dialect is not None and dialect not in DIALECTS:
        return f"'dialect' must be one of {', '.join(map(repr, DIALECTS))}"
    placeholders = case.get("placeholders")
    if placeholders is not None and not (
        isinstance(placeholders, list) and all(isinstance(p, str) for p in placeholders)
    ):
        return "'placeholders' must be a list of strings"
    return None


def _broken_case(file: str, case_id: str, message: str) -> CaseRow:
    _warn(message)
    return CaseRow(
        id=case_id,
        file=file,
        verdict="fail",
        history="-",
        actual={
            **_no_result(),
            "status": "ERROR",
            "error": "InvalidCaseFile",
            "cause": message,
        },
        problems=[message],
    )


COMMANDS: dict[str, Callable[[argparse.Namespace], int]] = {
    "validate": validate,
    "run": run,
    "replay": replay,
    "test": test,
}
