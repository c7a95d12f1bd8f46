"""Shared test configuration: hypothesis profiles, and the conformance figures."""

import os
from typing import Any

from hypothesis import settings

settings.register_profile("dev", max_examples=50, deadline=None)
settings.register_profile("ci", max_examples=100, deadline=None, derandomize=True)
# A long local run: `pytest --stress` (or HYPOTHESIS_PROFILE=stress).
settings.register_profile("stress", max_examples=2000, deadline=None)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "dev"))


def pytest_addoption(parser: Any) -> None:
    parser.addoption(
        "--stress",
        action="store_true",
        help="long property and fuzz runs (hypothesis's stress profile)",
    )


def pytest_configure(config: Any) -> None:
    if config.getoption("--stress"):
        settings.load_profile("stress")


def pytest_terminal_summary(terminalreporter: Any) -> None:
    from tests.conformance import test_aws_corpus

    lines = test_aws_corpus.summary()
    if lines:
        terminalreporter.section("conformance (deterministic pure cases)")
        for line in lines:
            terminalreporter.write_line(line)

    from tests.conformance import test_lambda_corpus

    lambda_lines = test_lambda_corpus.summary()
    if lambda_lines:
        terminalreporter.section("conformance (lambda cases, emulated functions)")
        for line in lambda_lines:
            terminalreporter.write_line(line)
