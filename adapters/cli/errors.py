"""The one error type the CLI reports: a message and an exit code, no traceback."""


class CliError(Exception):
    def __init__(self, message: str, exit_code: int = 1) -> None:
        super().__init__(message)
        self.exit_code = exit_code
