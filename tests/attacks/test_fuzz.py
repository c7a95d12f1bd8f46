"""The fuzzer (fuzz.py) in a process of its own, under the attack suite's memory
cap: a small budget in CI, a large one with `pytest --stress`."""

import subprocess
import sys

import pytest

from tests.attacks.runner import MEMORY_CAP_BYTES
from tests.cli.conftest import REPO, user_env


@pytest.mark.slow
@pytest.mark.timeout(1800)
def test_fuzzed_definitions_and_inputs_end_typed(
    request: pytest.FixtureRequest,
) -> None:
    examples = 3_000 if request.config.getoption("--stress") else 150
    env = user_env()
    done = subprocess.run(
        [sys.executable, "-m", "tests.attacks.fuzz", "--examples", str(examples)],
        capture_output=True,
        text=True,
        env=env,
        cwd=REPO,
        check=False,
    )
    assert MEMORY_CAP_BYTES == 4 * 1024**3  # the cap fuzz.py sets on itself
    assert done.returncode == 0, done.stdout[-4000:] + done.stderr[-4000:]
    assert f"fuzzed {examples} examples" in done.stdout
