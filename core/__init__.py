"""Statum core: the OSML language, definitions, the pure interpreter and the engine shell."""
