"""Task handlers for examples/order.asl.json.

`statum run ... --handlers examples.handlers` imports this module; each `@handler`
registers a callable under the name a Task's Resource refers to (`python:NAME`).
"""

from typing import Any

from statum.core.engine.handlers import TaskFailure
from statum.core.engine.registry import handler

# Prices in cents: ASL arithmetic (States.MathAdd) works on integers.
PRICES = {"apple": 50, "pear": 75, "fig": 125}


@handler("price-line")
def price_line(line: dict[str, Any]) -> dict[str, Any]:
    """Price one order line; an unknown product fails the task with a named error."""
    product = line["product"]
    if product not in PRICES:
        raise TaskFailure("Order.UnknownProduct", f"no price for '{product}'")
    return {"product": product, "total": PRICES[product] * line["quantity"]}


@handler("charge")
async def charge(request: dict[str, Any]) -> dict[str, Any]:
    """Charge the customer (async handlers work too)."""
    return {"charged": request["amount"], "receipt": f"R-{request['customer']}"}
