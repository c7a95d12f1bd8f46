"""OSML definitions: the problems a definition can have, and the validator that finds them."""
