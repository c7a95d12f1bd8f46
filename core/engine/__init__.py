"""The imperative shell: clocks, task backends, runners."""
