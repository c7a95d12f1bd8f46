"""Which errors a Retry or Catch covers, and how long a retry waits."""

from statum.core.language import errors as names

# AWS's largest interval (IntervalSeconds: 99999999) bounds an uncapped backoff.
_LONGEST_DELAY_MS = 99_999_999_000


def retry_delay_ms(interval_ms: int, backoff_rate: float, retries_done: int) -> int:
    """IntervalSeconds * BackoffRate^retries, without overflowing on long retries."""
    try:
        delay = interval_ms * backoff_rate**retries_done
    except OverflowError:
        return _LONGEST_DELAY_MS
    return int(min(delay, _LONGEST_DELAY_MS))


_UNCATCHABLE_BY_ALL = frozenset({names.RUNTIME, names.DATA_LIMIT_EXCEEDED})


def error_matches(error_equals: tuple[str, ...], error: str) -> bool:
    """Whether a retrier's or catcher's ErrorEquals covers `error`.

    States.Runtime "will always cause the execution to fail" (AWS): no retrier or
    catcher matches it, not even one that names it.
    """
    if error == names.RUNTIME:
        return False
    for name in error_equals:
        if name == error:
            return True
        if name == names.ALL and error not in _UNCATCHABLE_BY_ALL:
            return True
        # "A wildcard that matches any known error name except States.Timeout" (AWS).
        if (
            name == names.TASK_FAILED
            and error != names.TIMEOUT
            and error not in _UNCATCHABLE_BY_ALL
        ):
            return True
    return False
