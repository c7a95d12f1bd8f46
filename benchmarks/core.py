"""Core benchmarks: journal replay and Express throughput, no database involved."""

import gc
import statistics
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import msgspec

from benchmarks.timing import Measurement, median_rate
from benchmarks.workflows import chain, choice_loop, map_over_items, map_over_tasks
from statum.core.engine.clock import VirtualClock
from statum.core.engine.express import ExpressRunner
from statum.core.engine.handlers import HandlerRegistry
from statum.core.engine.loading import load_program
from statum.core.interpreter import events as ev
from statum.core.interpreter.codec import decode_journal, encode_journal
from statum.core.interpreter.decide import advance
from statum.core.interpreter.evolve import apply, fold
from statum.core.interpreter.limits import Limits
from statum.core.interpreter.program import Program
from statum.core.interpreter.state import INITIAL_STATE

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


# Limits high enough that the largest shapes run: 10,000 Map items record ~70,000
# events, and the large chain carries 200 KB through every state.
SCALING_LIMITS = Limits(max_history_events=10**9)
MAP_SIZES = (100, 1_000, 3_000, 10_000)
LARGE_PAYLOAD = 200 * 1024


def _transitions_cost(
    definition: dict[str, Any],
    payload: Any,
    runner: ExpressRunner,
    executions: int,
    runs: int,
) -> tuple[float, int]:
    """Median µs per state entered over whole executions of `definition`."""
    program = load_program(definition)
    sample = runner.run(program, payload)
    assert sample.status == "SUCCEEDED", sample.error
    entered = sum(1 for e in sample.journal if type(e).__name__ == "StateEntered")

    def work() -> int:
        for _ in range(executions):
            result = runner.run(program, payload)
        assert result.status == "SUCCEEDED", result.error
        return executions * entered

    rate, _ = median_rate(work, runs=runs)
    return 1e6 / rate, entered


def map_tasks_scaling(runs: int, sizes: tuple[int, ...] = MAP_SIZES) -> Measurement:
    """A Map of N items, each running a trivial Python handler: the cost of a
    transition must not grow with N (issue 6, item 11)."""
    handlers = HandlerRegistry()
    handlers.register("echo", lambda event: event)
    runner = ExpressRunner(
        handlers=handlers,
        clock=VirtualClock(),
        new_id=lambda: "bench",
        limits=SCALING_LIMITS,
    )
    definition = map_over_tasks("python:echo")
    costs = []
    for n in sizes:
        # About 40,000 transitions per timed run at every size, and at least one
        # execution; the largest sizes get fewer runs to stay within minutes.
        executions = max(1, 40_000 // (3 * n))
        cost, _ = _transitions_cost(
            definition,
            {"items": list(range(n))},
            runner,
            executions,
            runs if n < 10_000 else max(1, min(runs, 3)),
        )
        costs.append(cost)
    figures = " / ".join(f"{n:,}: {c:.1f}" for n, c in zip(sizes, costs, strict=True))
    ratio = costs[-1] / costs[0]
    return Measurement(
        f"express map-tasks {sizes[0]:,}..{sizes[-1]:,}",
        "x largest/smallest",
        ratio,
        [ratio],
        target=1.3,
        higher_is_better=False,
        detail=f"µs per transition at N = {figures}; ratio {ratio:.2f} (target ≤ 1.3)",
    )


def _records(size: int) -> dict[str, Any]:
    """About `size` bytes of JSON shaped like real data: a list of small records."""
    record = {"id": 0, "name": "item-00000", "price": 12.5, "tags": ["a", "b"]}
    per_record = len(msgspec.json.encode(record)) + 1
    rows = [
        {**record, "id": i, "name": f"item-{i:05d}"} for i in range(size // per_record)
    ]
    return {"rows": rows}


def large_payload_chain(runs: int) -> Measurement:
    """Pass chains carrying 200 KB unchanged against the same chains with an
    11-byte input: the cost of a transition must not grow with the payload.

    A transition's cost is the marginal one, (chain100 - chain20) / 80: admitting
    the execution input (measuring it against the payload limit and taking the
    engine's own copy, as the journal must) is once per execution and O(payload),
    however long the execution; it is reported on its own.
    """
    runner = _runner(SCALING_LIMITS)
    small = {"v": "123"}  # 11 bytes of JSON
    large = _records(LARGE_PAYLOAD)
    programs = {length: load_program(chain(length)) for length in (20, 100)}
    configs = [
        (name, payload, length, executions)
        for name, payload, executions in (("small", small, 300), ("large", large, 40))
        for length in programs
    ]
    best: dict[tuple[str, int], float] = {}
    # Interleaved, the fastest of the runs, and without the cyclic collector: the
    # difference of two timings is what is reported, and it must not be the
    # difference of two disturbances.
    for _ in range(runs):
        for name, payload, length, executions in configs:
            program = programs[length]
            runner.run(program, payload)
            gc.collect()
            gc.disable()  # as timeit does: a collection lands in one timing only
            start = time.process_time()
            for _ in range(executions):
                runner.run(program, payload)
            took = (time.process_time() - start) / executions * 1e6
            gc.enable()
            best[name, length] = min(best.get((name, length), took), took)
    costs = {}
    for name in ("small", "large"):
        step = (best[name, 100] - best[name, 20]) / 80
        costs[name] = (step, best[name, 20] - 20 * step)
    ratio = costs["large"][0] / costs["small"][0]
    return Measurement(
        "express chain 200 KB vs 11 B (per transition)",
        "x large/small",
        ratio,
        [ratio],
        target=2.0,
        higher_is_better=False,
        detail=f"µs per transition: 11 B {costs['small'][0]:.1f}, 200 KB "
        f"{costs['large'][0]:.1f}; ratio {ratio:.2f} (target ≤ 2). Admitting the "
        f"input, once per execution: 11 B {costs['small'][1]:.0f} µs, 200 KB "
        f"{costs['large'][1]:.0f} µs",
    )


def _interpret_map(program: Program, n: int, batch: bool) -> int:
    """Run a Map of `n` tasks on the pure interpreter alone, feeding each task's
    result as a fact: one at a time, or all of them before one decision (as a
    concurrent shell will). Returns the states entered."""
    state = INITIAL_STATE.clone()
    apply(
        state,
        ev.ExecutionStarted(
            at_ms=0,
            execution_id="bench",
            name="bench",
            input={"items": list(range(n))},
            state_machine_id="bench",
            state_machine_name="bench",
            role_arn="bench",
        ),
    )
    advance(program, state, SCALING_LIMITS)
    while not state.finished:
        keys = list(state.tasks) if batch else [next(iter(state.tasks))]
        for key in keys:
            output = state.tasks[key].scheduled.parameters
            apply(state, ev.TaskStarted(at_ms=0, task=key))
            apply(state, ev.TaskSucceeded(at_ms=0, task=key, output=output))
        advance(program, state, SCALING_LIMITS)
    assert state.status == "SUCCEEDED", state.error
    return n + 1


def interpreter_map_scaling(
    runs: int, batch: bool, sizes: tuple[int, ...] = MAP_SIZES
) -> Measurement:
    """The Map of N tasks without the Express shell: what the core costs."""
    program = load_program(map_over_tasks("python:echo"))
    costs = []
    for n in sizes:
        executions = max(1, 40_000 // (3 * n))

        def work(n: int = n, executions: int = executions) -> int:
            return sum(_interpret_map(program, n, batch) for _ in range(executions))

        rate, _ = median_rate(work, runs=runs)
        costs.append(1e6 / rate)
    figures = " / ".join(f"{n:,}: {c:.1f}" for n, c in zip(sizes, costs, strict=True))
    ratio = costs[-1] / costs[0]
    how = "all results, then one decide" if batch else "one result per decide"
    return Measurement(
        f"interpreter map-tasks ({'batched' if batch else 'one by one'})",
        "x largest/smallest",
        ratio,
        [ratio],
        target=1.3,
        higher_is_better=False,
        detail=f"{how}; µs per transition at N = {figures}",
    )


def run_core(runs: int, only: str = "") -> list[Measurement]:
    """Every core benchmark, or those whose key contains `only`."""
    suite: dict[str, Callable[[], list[Measurement]]] = {
        "replay": lambda: [replay(runs)],
        "chain10": lambda: express("chain10", chain(10), {}, 2000, runs, 5_000),
        "map100": lambda: express(
            "map100", map_over_items(), {"items": list(range(100))}, 100, runs, 300
        ),
        "choice-loop100": lambda: express(
            "choice-loop100", choice_loop(100), {}, 100, runs, 0
        ),
        "jsonata-chain10": lambda: express(
            "jsonata-chain10", chain(10, jsonata=True), {"value": 1}, 1000, runs, 2_000
        ),
        "map-tasks": lambda: [map_tasks_scaling(runs)],
        "chain20-payload": lambda: [large_payload_chain(runs)],
        "interpreter-map-tasks": lambda: [
            interpreter_map_scaling(runs, batch=False),
            interpreter_map_scaling(runs, batch=True),
        ],
    }
    results: list[Measurement] = []
    for key, measure in suite.items():
        if only in key:
            results += measure()
    return results


__all__ = ["run_core", "statistics"]
