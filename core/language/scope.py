"""What an expression can see while it is evaluated."""

from collections.abc import Mapping
from dataclasses import dataclass

from statum.core.language.entropy import Entropy
from statum.core.language.json import Json
from statum.core.language.jsonata_limits import StepTally


@dataclass(slots=True)
class Scope:
    """The data one state evaluates against.

    `input` is `$` in JSONPath mode (and `$states.input` in JSONata), `context` is
    `$$` (`$states.context`), `variables` are the workflow variables visible to the
    state, `now_ms` the time of the event being decided (never the wall clock).
    """

    input: Json
    context: Json
    variables: Mapping[str, Json]
    entropy: Entropy
    now_ms: int = 0

    def step_tally(self) -> StepTally | None:
        """The JSONata steps the state's expressions may still take together
        (None: no bound beyond each expression's own). Asked for only by an
        evaluation that runs JSONata itself, so that a scope can make it lazily."""
        return None
