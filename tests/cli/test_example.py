"""The bundled order example, end to end through the CLI: every line is priced,
whether the order has one line or many."""

from pathlib import Path
from typing import Any

import pytest

from examples.handlers import PRICES
from tests.cli.conftest import REPO, Statum, write_json


def order(*lines: tuple[str, int]) -> dict[str, Any]:
    return {
        "customer": "c-7",
        "lines": [{"product": p, "quantity": q} for p, q in lines],
    }


def run_order(statum: Statum, tmp_path: Path, payload: dict[str, Any]) -> Any:
    write_json(tmp_path / "input.json", payload)
    result = statum(
        "run",
        "examples/order.asl.json",
        "--handlers",
        "examples.handlers",
        "--input",
        f"@{tmp_path / 'input.json'}",
        "-o",
        "json",
        cwd=REPO,
    )
    return result


@pytest.mark.parametrize(
    "lines",
    [
        [("pear", 2)],
        [("apple", 4), ("fig", 2)],
        [("fig", 1), ("fig", 1), ("apple", 3)],
        [("apple", 1), ("pear", 1), ("fig", 1), ("apple", 2), ("pear", 3)],
    ],
    ids=["one line", "two lines", "three lines", "five lines"],
)
def test_every_line_is_priced_and_charged(
    statum: Statum, tmp_path: Path, lines: list[tuple[str, int]]
) -> None:
    total = sum(PRICES[product] * quantity for product, quantity in lines)
    assert total <= 1000  # under the limit: the order is charged
    result = run_order(statum, tmp_path, order(*lines))
    assert result.code == 0, result.err
    doc = result.json()
    assert doc["status"] == "SUCCEEDED"
    assert doc["output"] == {
        "message": f"Charged {total} cents (order lines: {len(lines)})",
        "receipt": "R-c-7",
    }
    charged = [
        e
        for e in doc["history"]
        if e["type"] == "TaskScheduled"
        and '"amount":' in e["taskScheduledEventDetails"]["parameters"]
    ]
    assert len(charged) == 1
    assert f'"amount":{total}' in charged[0]["taskScheduledEventDetails"]["parameters"]


def test_an_order_over_the_limit_counts_every_line(
    statum: Statum, tmp_path: Path
) -> None:
    # The first two lines alone are under the limit; the third takes it over.
    result = run_order(statum, tmp_path, order(("fig", 4), ("apple", 8), ("pear", 4)))
    assert result.code == 1
    doc = result.json()
    assert (doc["status"], doc["error"]) == ("FAILED", "Order.Rejected")


def test_the_example_cases_pass(statum: Statum) -> None:
    result = statum(
        "test", "examples/cases", "--handlers", "examples.handlers", cwd=REPO
    )
    assert result.code == 0, result.out + result.err
    assert "5 passed, 0 failed" in result.out
