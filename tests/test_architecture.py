"""The pure core stays pure at run time, and the import-linter contracts hold.

Static rules (import-linter, ruff banned-api) see only Statum's own imports; this
test also sees what the dependencies import (STYLE.md 2.10(5)).
"""

import json
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]

# Modules the pure core must never load, directly or through a dependency. Not
# `time`, `uuid`, `random` or `threading`: msgspec and jsonata load those
# themselves (STYLE.md Appendix A), so the static rules cover them. msgspec and
# jsonata load none of the modules below (checked: importing both in a fresh
# interpreter adds none of them), so no exception is needed here.
IMPURE = ["psycopg", "psycopg_pool", "sqlite3", "asyncio", "structlog"]

PURE_PACKAGES = [
    "statum.core.language",
    "statum.core.definition",
    "statum.core.interpreter",
    "statum.projections",
]

# Imports every module of the pure packages (not just their __init__), then
# reports which impure modules ended up loaded.
_PROBE = """
import importlib, json, pkgutil, sys
names = json.loads(sys.argv[1])
for name in names:
    package = importlib.import_module(name)
    for info in pkgutil.walk_packages(package.__path__, name + "."):
        importlib.import_module(info.name)
loaded = sorted(m for m in json.loads(sys.argv[2]) if m in sys.modules)
print(json.dumps({"loaded": loaded, "modules": len(sys.modules)}))
"""


def test_the_pure_core_loads_no_io_modules() -> None:
    proc = subprocess.run(
        [sys.executable, "-c", _PROBE, json.dumps(PURE_PACKAGES), json.dumps(IMPURE)],
        capture_output=True,
        text=True,
        check=False,
        cwd=REPO,
    )
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["loaded"] == []


def test_the_probe_would_notice_an_impure_import() -> None:
    # The engine runs async handlers, so it loads asyncio: the probe must say so.
    proc = subprocess.run(
        [
            sys.executable,
            "-c",
            _PROBE,
            json.dumps(["statum.core.engine"]),
            json.dumps(IMPURE),
        ],
        capture_output=True,
        text=True,
        check=False,
        cwd=REPO,
    )
    assert proc.returncode == 0, proc.stderr
    assert "asyncio" in json.loads(proc.stdout)["loaded"]


def test_import_linter_contracts_are_kept() -> None:
    lint_imports = Path(sys.executable).with_name("lint-imports")
    command = (
        [str(lint_imports)]
        if lint_imports.exists()
        else [sys.executable, "-m", "importlinter.cli"]
    )
    proc = subprocess.run(
        command, cwd=REPO, capture_output=True, text=True, check=False
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "0 broken" in proc.stdout
