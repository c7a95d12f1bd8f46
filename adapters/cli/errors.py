"""What the CLI reports instead of a traceback: a message and an exit status.

Exit statuses (the same for every subcommand):

* 0 (`OK`): the command did what was asked and everything passed.
* 1 (`FAILED`): the command ran and found a failure: an invalid definition, journal
  or case file, an execution that did not succeed, a golden case that did not match.
* 2 (`USAGE`): the command line cannot be carried out as typed: an unknown option, a
  missing or unreadable file, a directory where a file is expected, an `--input` that
  is not JSON or is over the payload limit, a `--handlers` module that cannot be
  imported.
"""

OK = 0
FAILED = 1
USAGE = 2


class CliError(Exception):
    """One message for stderr and the exit status; `main` prints it, never a traceback.

    The message names what is wrong and says what to do about it.
    """

    def __init__(self, message: str, exit_code: int = FAILED) -> None:
        super().__init__(message)
        self.exit_code = exit_code


class UsageError(CliError):
    """The command line cannot be carried out as typed (exit status 2)."""

    def __init__(self, message: str) -> None:
        super().__init__(message, USAGE)
