"""Everything the user hands the CLI, checked before any work starts.

Files, JSON texts, output paths, execution names and handler modules each get one
clear `UsageError` or `InvalidJson` that names the culprit and says what to do; no
input reaches the engine unchecked, and no input is silently dropped.
"""

import codecs
import importlib
import json
import re
import sys
import traceback
from pathlib import Path
from typing import Any

import msgspec

from statum.adapters.cli.errors import UsageError
from statum.core.engine.registry import DEFAULT_HANDLERS

STDIN = "-"

# AWS's rule for execution names (StartExecution `name`): 1-80 characters, none of
# them whitespace, brackets, wildcards, these punctuation marks or control characters.
_NAME_FORBIDDEN = re.compile(r"[\s<>{}\[\]?*\"#%\\^|~`$&,;:/\x00-\x1f\x7f-\x9f]")
_MAX_NAME = 80


class InvalidJson(ValueError):
    """A text that is not JSON; the message says where (line and column)."""


def read_file(path: str, what: str) -> bytes:
    """The bytes of a file the user named ("-" is stdin); `what` names its role."""
    if path == STDIN:
        return sys.stdin.buffer.read()
    if not path:
        raise UsageError(f"the {what} file name is empty; give the path of a file")
    try:
        return Path(path).read_bytes()
    except FileNotFoundError:
        raise UsageError(
            f"{path}: no such file (looked in {Path.cwd()}); check the {what} path"
        ) from None
    except IsADirectoryError:
        raise UsageError(
            f"{path}: is a directory, not a file; give the path of the {what} file"
        ) from None
    except PermissionError:
        raise UsageError(
            f"{path}: permission denied; make the {what} file readable"
        ) from None
    except OSError as exc:
        raise UsageError(
            f"{path}: cannot read the {what} file ({exc.strerror or exc})"
        ) from None


def parse_json(data: bytes) -> Any:
    """Decode JSON; `InvalidJson` says what is wrong and at which line and column."""
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8) :]  # editors on Windows add one
    try:
        return msgspec.json.decode(data)
    except msgspec.DecodeError as exc:
        raise InvalidJson(_describe_json_error(data, exc)) from None
    except RecursionError:
        raise InvalidJson(
            "it is nested too deeply (arrays or objects inside each other)"
        ) from None


def _describe_json_error(data: bytes, exc: msgspec.DecodeError) -> str:
    if not data.strip():
        return "it is empty"
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as bad:
        line, column = _position(data, bad.start)
        return f"it is not UTF-8 text (line {line}, column {column})"
    # The standard library names the expected token and the line and column, which
    # msgspec's byte offsets do not; it only disagrees where it is laxer (NaN).
    try:
        json.loads(text)
    except json.JSONDecodeError as err:
        return f"{err.msg} at line {err.lineno}, column {err.colno}"
    except (ValueError, RecursionError):
        pass
    message = str(exc)
    offset = re.search(r"\(byte (\d+)\)", message)
    if offset:
        line, column = _position(data, int(offset.group(1)))
        message = (
            message[: offset.start()].rstrip() + f" at line {line}, column {column}"
        )
    return message


def _position(data: bytes, offset: int) -> tuple[int, int]:
    before = data[:offset]
    line = before.count(b"\n") + 1
    column = len(before) - (before.rfind(b"\n") + 1) + 1
    return line, column


def check_output_path(path: str, option: str, *, inputs: list[str]) -> None:
    """Fail before any work if `path` cannot be written, so no result is lost later."""
    if path == STDIN or not path:
        raise UsageError(
            f"{option}: give a file name (stdout carries the command's own output)"
        )
    target = Path(path)
    if target.is_dir():
        raise UsageError(f"{option} {path}: is a directory; give a file name")
    if not target.parent.is_dir():
        raise UsageError(
            f"{option} {path}: the directory {target.parent} does not exist; "
            "create it first"
        )
    for source in inputs:
        if source not in (STDIN, "") and target.resolve() == Path(source).resolve():
            raise UsageError(
                f"{option} {path}: that is an input of this command and would be "
                "overwritten; give another file name"
            )


def write_file(path: str, data: bytes, option: str) -> None:
    try:
        Path(path).write_bytes(data)
    except OSError as exc:
        raise UsageError(
            f"{option} {path}: cannot write it ({exc.strerror or exc})"
        ) from None


def check_execution_name(name: str) -> None:
    """The rule AWS applies to StartExecution names, so an ARN built from it is valid."""
    if not name or len(name) > _MAX_NAME:
        raise UsageError(
            f"--name {json.dumps(name)}: an execution name has 1 to {_MAX_NAME} "
            "characters"
        )
    bad = _NAME_FORBIDDEN.search(name)
    if bad:
        raise UsageError(
            f"--name {json.dumps(name)}: {json.dumps(bad.group())} is not allowed in "
            "an execution name; "
            "use letters, digits, '-', '_' and '.'"
        )


def import_handlers(modules: list[str]) -> None:
    """Import each `--handlers` module so its `@handler`s register, and allow-list
    it: Task resources may then name its functions as `python:MODULE:FUNCTION`.

    A module is named as for `python -m` (examples.handlers) or by its file
    (examples/handlers.py, ./examples/handlers.py): both mean the same module.
    """
    if modules and "" not in sys.path:
        # Handler modules are named relative to the working directory, as with
        # `python -m`; a console script's sys.path does not include it.
        sys.path.insert(0, "")
    for given in modules:
        name = _module_name(given)
        _import(name, given)
        DEFAULT_HANDLERS.allow_module(name)


def _module_name(given: str) -> str:
    name = given
    if name.endswith(".py"):
        path = Path(name)
        if path.is_absolute():
            try:
                path = path.resolve().relative_to(Path.cwd().resolve())
            except ValueError:
                raise UsageError(
                    f"--handlers {given}: the file is outside the current "
                    "directory; run statum from a directory that holds it"
                ) from None
        name = ".".join(part for part in path.with_suffix("").parts if part != ".")
    if not name or not all(part.isidentifier() for part in name.split(".")):
        raise UsageError(
            f"--handlers {json.dumps(given)}: give a Python module name such as "
            "examples.handlers, or its file, such as examples/handlers.py"
        )
    return name


def _import(name: str, given: str) -> None:
    try:
        importlib.import_module(name)
    except ModuleNotFoundError as exc:
        missing = exc.name or ""
        if not missing or name == missing or name.startswith(missing + "."):
            raise UsageError(
                f"--handlers {given}: no module named '{missing or name}'; run statum from "
                "the directory that holds it, or add that directory to PYTHONPATH"
            ) from None
        raise UsageError(
            f"--handlers {given}: it imports '{missing}', which is not installed; "
            "install it in the environment statum runs in"
        ) from None
    except SyntaxError as exc:
        raise UsageError(
            f"--handlers {given}: {exc.filename}, line {exc.lineno}: {exc.msg}; "
            "fix the syntax error"
        ) from None
    except (Exception, SystemExit) as exc:
        frames = traceback.extract_tb(exc.__traceback__)
        where = f" ({frames[-1].filename}, line {frames[-1].lineno})" if frames else ""
        raise UsageError(
            f"--handlers {given}: importing it raised {type(exc).__name__}: {exc}"
            f"{where}; fix the module"
        ) from None
