"""Limits on workflow variables (AWS: 256 KiB a variable and an Assign, 10 MiB in all)."""

from typing import Any

import msgspec

from statum.core.interpreter.dataflow import visible_variables
from statum.core.interpreter.limits import Limits
from statum.core.interpreter.state import ExecutionState, Frame
from statum.core.language.errors import RUNTIME, StatesError

_encode = msgspec.json.encode


def check_assigned(
    state: ExecutionState, frame: Frame, assigned: dict[str, Any], limits: Limits
) -> None:
    """Raise States.Runtime when an assignment breaks a variable size limit."""
    total = 0
    for name, value in assigned.items():
        size = len(_encode(value))
        if size > limits.max_variable_bytes:
            raise StatesError(
                RUNTIME,
                f"The variable '{name}' is {size} bytes, over the limit of "
                f"{limits.max_variable_bytes} bytes for a single variable.",
            )
        total += size
    if total > limits.max_assign_bytes:
        raise StatesError(
            RUNTIME,
            f"The Assign field assigns {total} bytes, over the limit of "
            f"{limits.max_assign_bytes} bytes for one Assign.",
        )
    # Only a machine with many variables can reach the total: skip the sum otherwise.
    visible = visible_variables(state, frame)
    if (
        len(visible) + len(assigned)
    ) * limits.max_variable_bytes <= limits.max_variables_total_bytes:
        return
    stored = {**visible, **assigned}
    held = sum(len(_encode(v)) for v in stored.values())
    if held > limits.max_variables_total_bytes:
        raise StatesError(
            RUNTIME,
            f"The execution's variables would hold {held} bytes, over the limit of "
            f"{limits.max_variables_total_bytes} bytes.",
        )
