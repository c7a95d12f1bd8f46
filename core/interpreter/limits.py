"""The limits policy: every cost a definition, an input or a journal can cause is
bounded here, by counting work (never by reading a clock), so that a replay trips a
limit at the same point as the run it replays.

Where AWS Step Functions has a limit, the default is AWS's value, and tripping it
fails the way AWS fails; where it has none, the default is far above what a real
workflow needs, and the failure's cause names the field to raise. docs/limits.md
lists them all, with the bounds fixed in the language modules (JSONata steps,
JSONPath matches, regular expressions) and the definition's (validation/size.py).
"""

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
    # Arrays and objects nested in any value an execution holds: its input, a
    # state's output, a task's result (AWS sets none; code that walks data, ours or
    # a handler's, runs out of stack somewhere past a thousand).
    max_data_depth: int = 512
    # The encoded size of one execution's whole journal. AWS bounds only the event
    # count, which at 256 KiB an event allows 6 GiB; a loop over a 50 KiB input
    # wrote 1.25 GB before it reached the count.
    max_journal_bytes: int = 64 * 1024 * 1024
    # Child executions started by one execution tree, its children's children
    # included (StartExecution, not distributed Map iterations): a definition that
    # starts itself with fan-out 4 started 16,384 in 14 s.
    max_child_executions: int = 1_000
    # JSONata evaluation steps of one state's step, summed over all its fields
    # (each expression alone is bounded by ExpressionLimits.max_steps too, as AWS
    # bounds each by time): ten fields of three seconds each took thirty.
    max_state_expression_steps: int = 2_000_000


DEFAULT_LIMITS = Limits()
