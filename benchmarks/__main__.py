"""`python -m benchmarks core [--runs N]`: print a table of medians against targets."""

import argparse
import sys

from benchmarks.concurrency import run_concurrency
from benchmarks.core import run_core
from benchmarks.timing import Measurement


def _figure(value: float) -> str:
    """Rates as whole numbers; ratios (small figures) with two decimals."""
    return f"{value:,.0f}" if value >= 100 else f"{value:,.2f}"


def _table(results: list[Measurement]) -> str:
    lines = [
        f"{'benchmark':<50} {'median':>14} {'unit':<14} {'target':>10}  ok",
        "-" * 90,
    ]
    for m in results:
        target = "" if not m.target else _figure(m.target)
        ok = {True: "yes", False: "NO", None: ""}[m.meets_target if m.target else None]
        lines.append(
            f"{m.name:<50} {_figure(m.median):>14} {m.unit:<14} {target:>10}  {ok}"
        )
        if m.detail:
            lines.append(f"    {m.detail}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks")
    parser.add_argument("suite", choices=["core", "concurrency"])
    parser.add_argument(
        "--runs", type=int, default=5, help="runs per benchmark (median)"
    )
    parser.add_argument(
        "--only", default="", help="run only the benchmarks whose key contains this"
    )
    args = parser.parse_args(argv)
    results = (
        run_core(args.runs, args.only)
        if args.suite == "core"
        else run_concurrency(args.runs)
    )
    print(f"medians of {args.runs} runs")
    print(_table(results))
    return 0 if all(m.meets_target is not False for m in results if m.target) else 1


if __name__ == "__main__":
    sys.exit(main())
