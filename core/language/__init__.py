"""The OSML data language: JSON paths, payload templates, intrinsic functions, JSONata.

Everything here is a pure function of JSON values. Failures are raised as
`StatesError` carrying an ASL error name and AWS's cause text; the interpreter
catches them at the state boundary and records them as data.
"""
