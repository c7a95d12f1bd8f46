"""JSONata's regular expressions on a linear-time engine (RE2).

A backtracking engine (Python's `re`) takes time exponential in the input on
patterns such as `/(a+)+$/`, and an expression's step budget cannot interrupt a
single match. RE2 matches in time linear in the input, always. What it gives up
is what makes backtracking necessary: backreferences and lookaround. A pattern
that uses them is refused when the expression is compiled, with a message that
says so.
"""

from typing import Any

import re2
from jsonata.regex_engine import RegexFlags


class UnsupportedRegex(ValueError):
    """A pattern RE2 cannot run in linear time (a backreference, a lookaround)."""


def linear_regex_engine(pattern: str, flags: RegexFlags) -> Any:
    """jsonata-python's `regex_engine` hook: compile `pattern` with RE2."""
    options = re2.Options()
    options.case_sensitive = not flags.case_insensitive
    options.never_capture = False
    options.log_errors = False  # refused patterns are reported, not logged
    text = f"(?m){pattern}" if flags.multiline else pattern
    try:
        return re2.compile(text, options)
    except re2.error as exc:
        reason = exc.args[0] if exc.args else exc
        if isinstance(reason, bytes):
            reason = reason.decode("utf-8", "replace")
        raise UnsupportedRegex(
            f"the regular expression /{pattern}/ cannot be run in linear time "
            f"({reason}); Statum's regexes have no backreferences or lookaround"
        ) from None
