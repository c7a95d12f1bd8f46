"""What every rule module shares: where problems go, and which machine is walked."""

from dataclasses import dataclass, field, replace
from typing import Final, Literal

from statum.core.definition.problems import SCHEMA_VALIDATION_FAILED, Problem

Lang = Literal["JSONPath", "JSONata"]
JSONPATH: Final[Lang] = "JSONPath"
JSONATA: Final[Lang] = "JSONata"

# Deeper than any real workflow; keeps the recursive walk far from Python's stack limit
# whatever the input, so the validator answers with a problem instead of a traceback.
MAX_DEPTH: Final = 40


def pointer(base: str, *parts: str | int) -> str:
    """Extend a JSON pointer, escaping `~` and `/` in keys as RFC 6901 asks."""
    out = base
    for part in parts:
        out += "/" + str(part).replace("~", "~0").replace("/", "~1")
    return out


@dataclass
class Ctx:
    """One walk through one state machine (the top level, or an inline child machine).

    `language` is the machine's top-level QueryLanguage: AWS resolves every state that
    does not declare one to the machine's language, even inside a Map or Parallel that
    declares its own. `names` maps every state name seen anywhere in the machine to
    where it was first declared: names must be unique machine-wide, not per scope.
    """

    problems: list[Problem]
    express: bool
    language: Lang = JSONPATH
    names: dict[str, str] = field(default_factory=dict)
    depth: int = 0

    def report(
        self, location: str, message: str, code: str = SCHEMA_VALIDATION_FAILED
    ) -> None:
        self.problems.append(Problem(location=location, message=message, code=code))

    def deeper(self) -> "Ctx":
        """The same machine, one nesting level down (a branch or an item processor)."""
        return replace(self, depth=self.depth + 1)

    def child_machine(self, language: Lang) -> "Ctx":
        """A separate machine (an inline StartExecution definition): its own names."""
        return Ctx(
            problems=self.problems,
            express=self.express,
            language=language,
            depth=self.depth + 1,
        )
