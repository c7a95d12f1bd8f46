"""`python -m benchmarks core [--runs N]`: print a table of medians against targets."""

import argparse
import sys

from benchmarks.core import run_core
from benchmarks.timing import Measurement


def _table(results: list[Measurement]) -> str:
    lines = [
        f"{'benchmark':<44} {'median':>14} {'unit':<14} {'target':>10}  ok",
        "-" * 90,
    ]
    for m in results:
        target = "" if not m.target else f"{m.target:,.0f}"
        ok = {True: "yes", False: "NO", None: ""}[m.meets_target if m.target else None]
        lines.append(f"{m.name:<44} {m.median:>14,.0f} {m.unit:<14} {target:>10}  {ok}")
        if m.detail:
            lines.append(f"    {m.detail}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks")
    parser.add_argument("suite", choices=["core"])
    parser.add_argument(
        "--runs", type=int, default=5, help="runs per benchmark (median)"
    )
    args = parser.parse_args(argv)
    results = run_core(args.runs)
    print(f"medians of {args.runs} runs")
    print(_table(results))
    return 0 if all(m.meets_target is not False for m in results if m.target) else 1


if __name__ == "__main__":
    sys.exit(main())
