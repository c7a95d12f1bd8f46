"""`python -m tests.attacks [NAME ...]`: run the attacks and print a table of
how each ended, its time and its peak memory."""

import sys
import tempfile
from pathlib import Path

from tests.attacks.catalogue import ATTACKS
from tests.attacks.runner import attack


def main(names: list[str]) -> int:
    failures = 0
    for case in ATTACKS:
        if names and not any(n in case.name for n in names):
            continue
        with tempfile.TemporaryDirectory() as scratch:
            try:
                run = attack(case, Path(scratch))
                verdict = f"ok    {run.seconds:6.2f} s"
            except AssertionError as failure:
                failures += 1
                verdict = f"FAIL  {str(failure)[:300]!r}"
        print(f"{case.name:42} {verdict}", flush=True)
    return 1 if failures else 0


sys.exit(main(sys.argv[1:]))
