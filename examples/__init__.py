"""Example workflows and the Python handlers they call."""
