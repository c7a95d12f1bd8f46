"""The pure interpreter: journal events in, decisions and commands out.

Rule: nothing in this package reads a clock, makes random numbers, does I/O or logs.
Time comes from event timestamps; ids and "random" values derive from the execution
id and the journal position.
"""
