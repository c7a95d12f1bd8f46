"""OSML definitions: the model, the validator and the loader."""
