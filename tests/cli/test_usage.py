"""The command line itself: help, versions, and what is not a valid command line."""

import subprocess
import sys
from pathlib import Path

import pytest

from tests.cli.conftest import REPO, Statum, run_statum

COMMANDS = ["validate", "run", "replay", "test"]


def test_help_lists_every_command_and_the_exit_statuses(statum: Statum) -> None:
    result = statum("--help")
    assert result.code == 0
    for command in COMMANDS:
        assert command in result.out
    assert "exit status" in result.out
    assert "statum run examples/order.asl.json" in result.out


@pytest.mark.parametrize(
    ("command", "words"),
    [
        ("validate", ["FILE", "--output", "location"]),
        ("run", ["DEFINITION", "--input", "--journal-out", "--handlers", "--name"]),
        ("replay", ["JOURNAL_FILE", "--history", "--output"]),
        ("test", ["CASE_FILE_OR_DIR", "--report", "--handlers", "expected"]),
    ],
)
def test_each_command_has_help(statum: Statum, command: str, words: list[str]) -> None:
    result = statum(command, "--help")
    assert result.code == 0
    assert result.out.startswith(f"usage: statum {command}")
    assert "exit status" in result.out
    for word in words:
        assert word in result.out


def test_version(statum: Statum) -> None:
    result = statum("--version")
    assert result.code == 0
    assert result.out.startswith("statum ")


def test_no_command_is_a_usage_error(statum: Statum) -> None:
    result = statum()
    assert result.code == 2
    assert "give a COMMAND" in result.err


def test_unknown_command_is_a_usage_error(statum: Statum) -> None:
    result = statum("frobnicate")
    assert result.code == 2
    assert "invalid choice" in result.err


@pytest.mark.parametrize(
    "args",
    [
        ["validate", "x.json", "--bogus"],
        ["run", "x.json", "--bogus", "1"],
        ["run", "x.json", "extra-positional"],
        ["replay", "j.jsonl", "--bogus"],
        ["test", "cases", "--bogus"],
    ],
)
def test_unknown_arguments_are_usage_errors(statum: Statum, args: list[str]) -> None:
    result = statum(*args)
    assert result.code == 2
    assert "unrecognized arguments" in result.err
    # The error and the hint are the subcommand's, not the top level's.
    assert f"statum {args[0]} --help" in result.err


def test_abbreviated_options_are_not_guessed(statum: Statum) -> None:
    result = statum("run", "x.json", "--journal", "j.jsonl")
    assert result.code == 2
    assert "unrecognized arguments: --journal" in result.err


def test_a_bad_output_format_is_a_usage_error(statum: Statum) -> None:
    result = statum("validate", "x.json", "-o", "yaml")
    assert result.code == 2
    assert "invalid choice: 'yaml'" in result.err


def test_python_dash_m_runs_the_same_cli(tmp_path: Path) -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "statum.adapters.cli.main", "--help"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 0
    assert "usage: statum" in proc.stdout


def test_python_dash_m_statum(tmp_path: Path) -> None:
    # Outside the repository: the installed package, not a folder beside it.
    (tmp_path / "flow.json").write_text(
        '{"StartAt": "P", "States": {"P": {"Type": "Pass", "End": true}}}'
    )
    proc = subprocess.run(
        [sys.executable, "-m", "statum", "run", "flow.json", "-o", "json"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    assert '"status": "SUCCEEDED"' in proc.stdout
    bad = subprocess.run(
        [sys.executable, "-m", "statum", "frobnicate"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
    )
    assert bad.returncode == 2
    assert "usage: statum" in bad.stderr


def test_make_demo_commands_succeed_from_the_repo_root() -> None:
    validate = run_statum("validate", "examples/order.asl.json", cwd=REPO)
    assert validate.code == 0, validate.err
    assert "examples/order.asl.json: valid" in validate.out
    run = run_statum(
        "run",
        "examples/order.asl.json",
        "--handlers",
        "examples.handlers",
        "--input",
        "@examples/order-input.json",
        cwd=REPO,
    )
    assert run.code == 0, run.err
    assert "status: SUCCEEDED" in run.out
    assert "R-c-42" in run.out


@pytest.mark.parametrize(
    "args",
    [
        ["run", "x.json", "--input", "1", "--input", "2"],
        ["run", "x.json", "--journal-out", "a", "--journal-out", "b"],
        ["test", "cases", "--report", "a.json", "--report", "b.json"],
        ["validate", "x.json", "-o", "json", "--output", "text"],
    ],
)
def test_a_single_value_option_given_twice_is_not_overridden(
    statum: Statum, args: list[str]
) -> None:
    result = statum(*args)
    assert result.code == 2
    assert "given twice" in result.err
