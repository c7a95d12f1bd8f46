"""The command-line surface `statum`."""
