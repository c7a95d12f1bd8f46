"""Statum adapters: storage, task backends and the command line."""
