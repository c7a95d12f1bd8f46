"""The attack catalogue: one or more definitions and inputs per class of hostile
input (issue 7). Each attack says how it must end: "succeeded" (a pattern that used
to take for ever now answers), "failed" with one of the given error names, or
"invalid" (the validator refuses the definition). Inputs are built lazily: some are
large."""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

Json = Any


@dataclass(frozen=True)
class Attack:
    name: str
    # JSON, or the JSON text itself (nested too deeply for an encoder).
    definition: Json | bytes
    # JSON, or the JSON text itself (data nested too deeply to encode here).
    make_input: Callable[[], Json | bytes] = dict
    # succeeded | failed | invalid | refused (the input, as AWS's StartExecution
    # refuses it: nothing runs, `statum run` exits 2 naming the limit)
    outcome: str = "failed"
    errors: tuple[str, ...] = ()
    args: tuple[str, ...] = ()
    # Words the error's cause (or the validator's message) must contain.
    says: tuple[str, ...] = field(default=())


def _one(state: Json, query_language: str | None = None) -> Json:
    machine: Json = {"StartAt": "S", "States": {"S": {**state, "End": True}}}
    if query_language:
        machine["QueryLanguage"] = query_language
    return machine


def _fail(fields: Json) -> Json:
    return {
        "QueryLanguage": "JSONata",
        "StartAt": "F",
        "States": {"F": {"Type": "Fail", **fields}},
    }


def _pass(parameters: Json) -> Json:
    return _one({"Type": "Pass", "Parameters": parameters})


def _jsonata(output: Json) -> Json:
    return _one({"Type": "Pass", "Output": output}, "JSONata")


def _nested(depth: int, leaf: Json = 1) -> Json:
    value = leaf
    for _ in range(depth):
        value = [value]
    return value


def _nested_objects(depth: int) -> Json:
    value: Json = {}
    for _ in range(depth):
        value = {"a": value}
    return value


def _task(resource: str, **more: Json) -> Json:
    return _one({"Type": "Task", "Resource": resource, **more})


def _deep_parallel(depth: int) -> bytes:
    """Parallel states nested `depth` deep, as JSON text (too deep to encode)."""
    inner = b'{"StartAt": "P", "States": {"P": {"Type": "Pass", "End": true}}}'
    head = b'{"StartAt": "P", "States": {"P": {"Type": "Parallel", "End": true, '
    return (head + b'"Branches": [') * depth + inner + b"]}}}" * depth


def _loop(names: list[str]) -> Json:
    """Pass states in a ring, with a Choice that could leave it (and never does)."""
    states: Json = {
        name: {"Type": "Pass", "Next": after}
        for name, after in zip(names, [*names[1:], "Leave?"], strict=True)
    }
    states["Leave?"] = {
        "Type": "Choice",
        "Choices": [{"Variable": "$.leave", "IsPresent": True, "Next": "Done"}],
        "Default": names[0],
    }
    states["Done"] = {"Type": "Succeed"}
    return {"StartAt": names[0], "States": states}


_LONG_AS = "a" * 100_000

REGEX = [
    Attack(
        "jsonata-match-nested-quantifier",
        _jsonata("{% $count($match($states.input.s, /(a+)+$/)) %}"),
        lambda: {"s": _LONG_AS + "!"},
        outcome="succeeded",
    ),
    Attack(
        "jsonata-replace-alternation",
        _jsonata("{% $replace($states.input.s, /(a|aa)+b/, 'x') %}"),
        lambda: {"s": _LONG_AS},
        outcome="succeeded",
    ),
    Attack(
        "jsonata-contains-exponential",
        _jsonata("{% $contains($states.input.s, /^(a?){40}a{40}$/) %}"),
        lambda: {"s": "a" * 40},
        outcome="succeeded",
    ),
    Attack(
        "jsonata-backreference",
        _jsonata("{% $match($states.input.s, /(a*)*\\1b/) %}"),
        lambda: {"s": _LONG_AS},
        outcome="invalid",
    ),
    Attack(
        "choice-string-matches-many-stars",
        {
            "StartAt": "C",
            "States": {
                "C": {
                    "Type": "Choice",
                    "Choices": [
                        {
                            "Variable": "$.s",
                            "StringMatches": "*a" * 40 + "*b",
                            "Next": "Yes",
                        }
                    ],
                    "Default": "No",
                },
                "Yes": {"Type": "Succeed"},
                "No": {"Type": "Fail", "Error": "NoMatch"},
            },
        },
        lambda: {"s": "a" * 200_000},
        errors=("NoMatch",),
    ),
]

SUPERLINEAR = [
    Attack(
        "array-unique-40k-numbers",
        _pass({"u.$": "States.ArrayLength(States.ArrayUnique($.a))"}),
        lambda: {"a": [i % 20_000 for i in range(40_000)]},
        outcome="succeeded",
    ),
    Attack(
        "array-unique-objects",
        _pass({"u.$": "States.ArrayLength(States.ArrayUnique($.a))"}),
        lambda: {"a": [{"k": i % 5000, "v": [i % 7]} for i in range(12_000)]},
        outcome="succeeded",
    ),
    Attack(
        "array-contains-40k",
        _pass({"c.$": "States.ArrayContains($.a, $.v)"}),
        lambda: {"a": [[i, {"x": i}] for i in range(12_000)], "v": [-1, {"x": -1}]},
        outcome="succeeded",
    ),
    Attack(
        "jsonpath-10000-index-segments",
        _one({"Type": "Pass", "InputPath": "$" + "[0]" * 10_000}),
        errors=("States.Runtime",),
    ),
    Attack(
        "jsonpath-10000-field-segments",
        _pass({"x.$": "$" + ".a" * 10_000}),
        errors=("States.Runtime",),
    ),
    Attack(
        "jsonpath-repeated-deep-scan",
        _pass({"x.$": "$" + "..*" * 12}),
        lambda: {"t": _nested_objects(30)},
        errors=("States.Runtime", "States.DataLimitExceeded"),
    ),
    Attack(
        "jsonata-budget-summed-over-fields",
        _one(
            {
                "Type": "Pass",
                "Output": {
                    f"f{i}": "{% $count([1..200000].($ * 2)) %}" for i in range(10)
                },
            },
            "JSONata",
        ),
        errors=("States.QueryEvaluationError",),
        says=("Limits.max_state_expression_steps",),
    ),
    Attack(
        # Each field within one expression's bounds; together, gigabytes.
        "jsonata-results-summed-over-fields",
        _one(
            {
                "Type": "Pass",
                "Output": {f"f{i}": "{% [1..300000] %}" for i in range(2_000)},
            },
            "JSONata",
        ),
        errors=("States.QueryEvaluationError",),
        says=("built more than",),
    ),
    Attack(
        "array-range-huge",
        _pass({"r.$": "States.ArrayRange(0, 1000000000, 1)"}),
        errors=("States.IntrinsicFailure",),
    ),
    Attack(
        "array-partition-of-one",
        _pass({"p.$": "States.ArrayLength(States.ArrayPartition($.a, 1))"}),
        lambda: {"a": list(range(30_000))},
        outcome="succeeded",
    ),
    Attack(
        "inline-map-40k-items",
        _one(
            {
                "Type": "Map",
                "ItemProcessor": {
                    "StartAt": "P",
                    "States": {"P": {"Type": "Pass", "End": True}},
                },
                "ResultSelector": {"n.$": "States.ArrayLength($)"},
            }
        ),
        lambda: list(range(40_000)),
        errors=("States.Runtime",),
        says=("25000",),
    ),
    Attack(
        "distributed-map-40k-items",
        _one(
            {
                "Type": "Map",
                "ItemProcessor": {
                    "ProcessorConfig": {
                        "Mode": "DISTRIBUTED",
                        "ExecutionType": "EXPRESS",
                    },
                    "StartAt": "P",
                    "States": {"P": {"Type": "Pass", "End": True}},
                },
                "ResultSelector": {"n.$": "States.ArrayLength($)"},
            }
        ),
        lambda: list(range(40_000)),
        outcome="succeeded",
    ),
]

_BIG = "s" * 200_000

MEMORY = [
    Attack(
        "states-array-of-many-references",
        _pass({"a.$": "States.Array(" + ", ".join(["$.s"] * 12_000) + ")"}),
        lambda: {"s": _BIG},
        errors=("States.DataLimitExceeded",),
    ),
    Attack(
        "states-array-of-20000-references",
        _pass({"a.$": "States.Array(" + ", ".join(["$.s"] * 20_000) + ")"}),
        lambda: {"s": _BIG},
        errors=("States.DataLimitExceeded",),
    ),
    Attack(
        "jsonata-array-of-many-references",
        _jsonata("{% [1..20000].($states.input.s) %}"),
        lambda: {"s": _BIG},
        errors=("States.QueryEvaluationError", "States.DataLimitExceeded"),
    ),
    Attack(
        "template-of-many-references",
        _pass({f"k{i}.$": "$.s" for i in range(5_000)}),
        lambda: {"s": _BIG},
        errors=("States.DataLimitExceeded",),
    ),
    Attack(
        "input-nested-9000-deep",
        _one({"Type": "Pass"}),
        lambda: b"[" * 9_000 + b"1" + b"]" * 9_000,
        outcome="refused",
        says=("deep",),
    ),
    Attack(
        "loop-over-50k-input",
        _loop(["A", "B", "C", "D"]),
        lambda: {"s": "z" * 50_000},
        errors=("States.Runtime",),
    ),
    Attack(
        "loop-over-256k-input",
        _loop(["A", "B"]),
        lambda: {"s": "z" * 262_000},
        errors=("States.Runtime",),
    ),
    Attack(
        "map-of-big-outputs",
        _one(
            {
                "Type": "Map",
                "ItemsPath": "$.items",
                "ItemSelector": {"s.$": "$.s"},
                "ItemProcessor": {
                    "StartAt": "P",
                    "States": {"P": {"Type": "Pass", "End": True}},
                },
            }
        ),
        lambda: {"s": "q" * 100_000, "items": list(range(20_000))},
        errors=("States.Runtime", "States.DataLimitExceeded"),
    ),
    Attack(
        "handler-huge-cause",
        _task("python:huge-cause"),
        errors=("RuntimeError",),
    ),
    Attack(
        "handler-huge-result",
        _task("python:wide-result"),
        errors=("States.DataLimitExceeded",),
    ),
    Attack(
        "jsonata-string-doubling",
        _jsonata(
            "{% ($f := function($s, $n) { $n = 0 ? $s : $f($s & $s, $n - 1) }; "
            "$length($f('ab', 40))) %}"
        ),
        errors=("States.QueryEvaluationError",),
    ),
    Attack(
        "format-huge-template",
        _pass({"x.$": "States.Format($.t, " + ", ".join(["$.s"] * 2_000) + ")"}),
        lambda: {"t": "{}" * 2_000, "s": "w" * 200_000},
        errors=("States.Runtime", "States.DataLimitExceeded"),
    ),
]

_SELF_STARTING_MAP = {
    "StartAt": "Fan",
    "States": {
        "Fan": {
            "Type": "Map",
            "ItemsPath": "$.fan",
            "ItemSelector": {"def.$": "$.def", "fan.$": "$.fan"},
            "ItemProcessor": {
                "StartAt": "Start",
                "States": {
                    "Start": {
                        "Type": "Task",
                        "Resource": "arn:aws:states:::states:startExecution.sync:2",
                        "Parameters": {
                            "StateMachineArn.$": "$.def",
                            "Input": {"def.$": "$.def", "fan.$": "$.fan"},
                        },
                        "End": True,
                    }
                },
            },
            "End": True,
        }
    },
}

FORK_BOMB = [
    Attack(
        "child-executions-fan-out",
        _SELF_STARTING_MAP,
        lambda: {"def": _SELF_STARTING_MAP, "fan": [1, 2, 3, 4]},
        errors=("StepFunctions.ExecutionLimitExceededException", "States.TaskFailed"),
        says=("child executions",),
    ),
    Attack(
        "child-executions-wide",
        _one(
            {
                "Type": "Map",
                "ItemSelector": {"d.$": "$$.Execution.Input.d"},
                "ItemsPath": "$.items",
                "ItemProcessor": {
                    "StartAt": "Start",
                    "States": {
                        "Start": {
                            "Type": "Task",
                            "Resource": "arn:aws:states:::states:startExecution.sync:2",
                            "Parameters": {"StateMachineArn.$": "$.d"},
                            "End": True,
                        }
                    },
                },
            }
        ),
        lambda: {
            "items": list(range(3_000)),
            "d": {"StartAt": "P", "States": {"P": {"Type": "Pass", "End": True}}},
        },
        errors=("StepFunctions.ExecutionLimitExceededException", "States.TaskFailed"),
        says=("child executions",),
    ),
]

_CHAIN_WAIT = {"Type": "Wait"}

CRASHES = [
    Attack(
        "wait-timestamp-year-9999",
        _one({"Type": "Wait", "TimestampPath": "$.t"}),
        lambda: {"t": "9999-12-31T23:59:59Z"},
        outcome="succeeded",
        args=("--virtual-clock",),
    ),
    Attack(
        "wait-timestamp-year-0000-literal",
        _one({"Type": "Wait", "Timestamp": "0000-01-01T00:00:00Z"}),
        outcome="succeeded",
    ),
    Attack(
        "wait-timestamp-year-0000-path",
        _one({"Type": "Wait", "TimestampPath": "$.t"}),
        lambda: {"t": "0000-01-01T00:00:00Z"},
        outcome="succeeded",
    ),
    Attack(
        "wait-seconds-path-1e17",
        _one({"Type": "Wait", "SecondsPath": "$.n"}),
        lambda: {"n": 10**17},
        errors=("States.Runtime",),
    ),
    Attack(
        "wait-seconds-path-1e300",
        _one({"Type": "Wait", "SecondsPath": "$.n"}),
        lambda: {"n": 1e300},
        errors=("States.Runtime",),
    ),
    Attack(
        "wait-seconds-jsonata-huge",
        _one({"Type": "Wait", "Seconds": "{% 1e300 %}"}, "JSONata"),
        errors=("States.QueryEvaluationError", "States.Runtime"),
    ),
    Attack(
        "string-to-json-deep",
        _pass({"x.$": "States.StringToJson($.s)"}),
        lambda: {"s": "[" * 100_000 + "]" * 100_000},
        errors=("States.IntrinsicFailure",),
    ),
    Attack(
        "format-deep-argument",
        _pass({"x.$": "States.Format('{}', $.d)"}),
        lambda: {"d": _nested(400)},
        outcome="succeeded",
    ),
    Attack(
        "array-unique-deep-items",
        _pass({"x.$": "States.ArrayUnique($.a)"}),
        lambda: {"a": [_nested(400), _nested(400)]},
        outcome="succeeded",
    ),
    Attack(
        "array-contains-deep",
        _pass({"x.$": "States.ArrayContains($.a, $.v)"}),
        lambda: {"a": [_nested(400)], "v": _nested(400, 2)},
        outcome="succeeded",
    ),
    Attack(
        "json-to-string-deep",
        _pass({"x.$": "States.JsonToString($.d)"}),
        lambda: {"d": _nested_objects(400)},
        outcome="succeeded",
    ),
    Attack(
        "deep-payload-template",
        b'{"StartAt": "S", "States": {"S": {"Type": "Pass", "End": true, '
        b'"Parameters": ' + b'{"a": ' * 5_000 + b"{}" + b"}" * 5_000 + b"}}}",
        outcome="invalid",
    ),
    Attack(
        "deep-result-selector",
        b'{"StartAt": "S", "States": {"S": {"Type": "Pass", "End": true, '
        b'"Result": ' + b"[" * 50_000 + b"]" * 50_000 + b"}}}",
        outcome="invalid",
    ),
    Attack(
        "twenty-thousand-states",
        {
            "StartAt": "S0",
            "States": {
                f"S{i}": {"Type": "Pass", "Next": f"S{i + 1}"}
                if i < 19_999
                else {"Type": "Succeed"}
                for i in range(20_000)
            },
        },
        outcome="invalid",
    ),
    Attack(
        "deeply-nested-parallel",
        _deep_parallel(300),
        outcome="invalid",
    ),
    Attack(
        "jsonata-deep-brackets",
        _jsonata("{% " + "[" * 5_000 + "1" + "]" * 5_000 + " %}"),
        outcome="invalid",
    ),
    Attack(
        "jsonata-deep-parentheses",
        _jsonata("{% " + "(" * 5_000 + "1" + ")" * 5_000 + " %}"),
        outcome="invalid",
    ),
    Attack(
        "intrinsic-deep-nesting",
        _pass({"x.$": "States.Array(" * 3_000 + "1" + ")" * 3_000}),
        errors=("States.Runtime",),
        says=("deep",),
    ),
    Attack(
        "jsonpath-filter-deep-parentheses",
        _pass({"x.$": "$.a[?(" + "(" * 3_000 + "@.b == 1" + ")" * 3_000 + ")]"}),
        outcome="succeeded",
    ),
    Attack(
        "choice-deep-not",
        b'{"StartAt": "C", "States": {"E": {"Type": "Succeed"}, "C": {"Type": '
        b'"Choice", "Default": "E", "Choices": [{"Next": "E", '
        + b'"Not": {' * 3_000
        + b'"Variable": "$.a", "IsPresent": true'
        + b"}" * 3_000
        + b"}]}}}",
        outcome="invalid",
    ),
    Attack(
        "handler-deep-result",
        _task("python:deep-result"),
        errors=("States.Runtime", "States.TaskFailed"),
        says=("deep",),
    ),
    Attack(
        "handler-unprintable-exception",
        _task("python:unprintable"),
        errors=("_Unprintable",),
    ),
    Attack(
        "handler-base-exception",
        _task("python:base-exception"),
        errors=("_Escape",),
    ),
    Attack(
        "handler-keyboard-interrupt",
        _task("python:keyboard-interrupt"),
        errors=("KeyboardInterrupt",),
    ),
    Attack(
        "handler-system-exit",
        _task("python:system-exit"),
        errors=("SystemExit",),
    ),
    Attack(
        "jsonata-fail-error-number",
        _fail({"Error": "{% 42 %}", "Cause": "{% 'x' %}"}),
        errors=("States.Runtime", "States.QueryEvaluationError"),
    ),
    Attack(
        "jsonata-fail-cause-object",
        _fail({"Error": "E", "Cause": "{% {'a': 1} %}"}),
        errors=("States.Runtime", "States.QueryEvaluationError"),
    ),
    Attack(
        "handler-nan",
        _task("python:nan"),
        errors=("States.TaskFailed",),
        says=("NaN",),
    ),
    Attack(
        "handler-infinity",
        _task("python:infinity"),
        errors=("States.TaskFailed",),
    ),
]

LOOPS = [
    Attack(
        # Found by the fuzzer: the catcher's own ResultPath fails on the same
        # input, and the catcher caught its own failure for ever.
        "catcher-that-always-fails",
        {
            "StartAt": "T",
            "States": {
                "T": {
                    "Type": "Task",
                    "Resource": "python:echo",
                    "ResultPath": "$.t",
                    "Catch": [
                        {
                            "ErrorEquals": ["States.ALL"],
                            "ResultPath": "$.e",
                            "Next": "E",
                        }
                    ],
                    "End": True,
                },
                "E": {"Type": "Succeed"},
            },
        },
        lambda: "x",
        errors=("States.ReferencePathConflict",),
    ),
]

SLEEPS = [
    Attack(
        "retry-backoff-1e308",
        _task(
            "python:always-fails",
            Retry=[
                {
                    "ErrorEquals": ["States.ALL"],
                    "IntervalSeconds": 1,
                    "BackoffRate": 1e308,
                    "MaxAttempts": 5,
                }
            ],
        ),
        errors=("RuntimeError", "States.Timeout"),
        args=("--virtual-clock",),
    ),
    Attack(
        "retry-max-attempts-huge",
        _task(
            "python:always-fails",
            Retry=[
                {
                    "ErrorEquals": ["States.ALL"],
                    "IntervalSeconds": 1,
                    "MaxAttempts": 99_999_999,
                }
            ],
        ),
        errors=("RuntimeError", "States.Runtime", "States.Timeout"),
        args=("--virtual-clock",),
    ),
]


ATTACKS = [*REGEX, *SUPERLINEAR, *MEMORY, *FORK_BOMB, *CRASHES, *LOOPS, *SLEEPS]
