"""Core benchmarks: journal replay and Express throughput, no database involved."""

import statistics
from pathlib import Path
from typing import Any

from benchmarks.timing import Measurement, median_rate
from benchmarks.workflows import chain, choice_loop, map_over_items
from statum.core.engine.clock import VirtualClock
from statum.core.engine.express import ExpressRunner
from statum.core.engine.loading import load_program
from statum.core.interpreter.codec import decode_journal, encode_journal
from statum.core.interpreter.evolve import fold
from statum.core.interpreter.limits import Limits

DATA = Path(__file__).with_name(".data")
REPLAY_EVENTS = 1_000_000


def _runner(limits: Limits | None = None) -> ExpressRunner:
    return ExpressRunner(
        clock=VirtualClock(), new_id=lambda: "bench", limits=limits or Limits()
    )


def saved_journal() -> Path:
    """A journal of a little over 1,000,000 events (made once, then reused).

    One execution: an inline Map over 249,999 items, four events per item.
    """
    path = DATA / "journal-1m.jsonl"
    if not path.exists():
        DATA.mkdir(exist_ok=True)
        unlimited = Limits(max_history_events=10**9, max_payload_bytes=10**9)
        items = list(range((REPLAY_EVENTS - 2) // 4 + 1))
        result = _runner(unlimited).run(
            load_program(map_over_items()), {"items": items}
        )
        assert result.status == "SUCCEEDED", result.error
        path.write_bytes(encode_journal(result.journal))
    return path


def replay(runs: int) -> Measurement:
    data = saved_journal().read_bytes()

    def work() -> int:
        events = decode_journal(data)
        state = fold(events)
        assert state.status == "SUCCEEDED"
        return len(events)

    rate, rates = median_rate(work, runs=runs)
    return Measurement(
        "replay 1M-event journal (decode + fold)",
        "events/s",
        rate,
        rates,
        target=1_000_000,
        detail=f"{len(data) / 1e6:.0f} MB JSON Lines",
    )


def express(
    name: str,
    definition: dict[str, Any],
    payload: Any,
    batch: int,
    runs: int,
    target: float,
) -> list[Measurement]:
    program = load_program(definition)
    runner = _runner()
    transitions: list[int] = []

    def work() -> int:
        for _ in range(batch):
            result = runner.run(program, payload)
        assert result.status == "SUCCEEDED", result.error
        transitions.append(len(result.state.frames) + result.state.history_len)
        return batch

    rate, rates = median_rate(work, runs=runs)
    # A transition is a state entered; count them from one execution's history.
    sample = runner.run(program, payload)
    entered = sum(1 for e in sample.journal if type(e).__name__ == "StateEntered")
    return [
        Measurement(f"express {name}", "executions/s", rate, rates, target=target),
        Measurement(
            f"express {name}",
            "transitions/s",
            rate * entered,
            [r * entered for r in rates],
            detail=f"{entered} states entered per execution",
        ),
    ]


def run_core(runs: int) -> list[Measurement]:
    results = [replay(runs)]
    results += express("chain10", chain(10), {}, 2000, runs, 5_000)
    results += express(
        "map100", map_over_items(), {"items": list(range(100))}, 100, runs, 300
    )
    results += express("choice-loop100", choice_loop(100), {}, 100, runs, 0)
    results += express(
        "jsonata-chain10", chain(10, jsonata=True), {"value": 1}, 1000, runs, 2_000
    )
    return results


__all__ = ["run_core", "statistics"]
