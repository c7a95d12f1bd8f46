"""Service limits the interpreter enforces; AWS's values by default."""

import msgspec


class Limits(msgspec.Struct, frozen=True, kw_only=True, omit_defaults=True):
    """Service limits. Each can be raised (or lowered) per engine.

    An execution records the limits it started with (ExecutionStarted.limits), so
    a replay or a resumed run decides under the same ones.
    """

    # Input and output of a state, a task or the execution (AWS: 256 KiB), in
    # UTF-8 bytes of the JSON text (payload.py).
    max_payload_bytes: int = 256 * 1024
    # Events in one execution's history (AWS Standard: 25,000).
    max_history_events: int = 25_000
    # One variable, and everything one Assign field assigns (AWS: 256 KiB each).
    max_variable_bytes: int = 256 * 1024
    max_assign_bytes: int = 256 * 1024
    # All variables an execution holds at once (AWS: 10 MiB).
    max_variables_total_bytes: int = 10 * 1024 * 1024


DEFAULT_LIMITS = Limits()
