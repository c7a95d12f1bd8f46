"""The root of every exception Statum raises on purpose.

A workflow's own failure is data (a TaskFailed, an ExecutionFailed event), never
an exception. What is raised is one of these: a bad definition or input, a
journal that cannot be accepted, a conflict between writers, a misused API. Catch
`StatumError` to handle them all; everything else is a bug.
"""


class StatumError(Exception):
    """Something Statum refuses, with a message that says what to do."""
