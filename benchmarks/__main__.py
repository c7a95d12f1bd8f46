"""`python -m benchmarks core [--runs N]`: print a table of medians against targets."""

import argparse
import sys

from benchmarks.concurrency import run_concurrency
from benchmarks.core import run_core
from benchmarks.timing import Measurement


def _table(results: list[Measurement]) -> str:
    lines = [
        f"{'benchmark':<50} {'median':>14} {'unit':<14} {'target':>10}  ok",
        "-" * 90,
    ]
    for m in results:
        target = "" if not m.target else f"{m.target:,.{1 if m.target < 10 else 0}f}"
        ok = {True: "yes", False: "NO", None: ""}[m.meets_target if m.target else None]
        median = f"{m.median:,.3f}" if m.median < 10 else f"{m.median:,.0f}"
        lines.append(f"{m.name:<50} {median:>14} {m.unit:<14} {target:>10}  {ok}")
        if m.detail:
            lines.append(f"    {m.detail}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks")
    parser.add_argument("suite", choices=["core", "concurrency"])
    parser.add_argument(
        "--runs", type=int, default=5, help="runs per benchmark (median)"
    )
    args = parser.parse_args(argv)
    results = (
        run_core(args.runs) if args.suite == "core" else run_concurrency(args.runs)
    )
    print(f"medians of {args.runs} runs")
    print(_table(results))
    return 0 if all(m.meets_target is not False for m in results if m.target) else 1


if __name__ == "__main__":
    sys.exit(main())
