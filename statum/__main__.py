"""`python -m statum`: the `statum` command line.

`statum` is a namespace of portions (statum.core, statum.adapters, ...); this file is
a portion of its own so that `-m statum` finds a `__main__` without an `__init__`
that would end the namespace.
"""

from statum.adapters.cli.main import main

raise SystemExit(main())
