"""The pure domain core: worker facts, periods and what is derived from them.

Nothing in this package reads a file, a database or the clock; every function takes facts (and an as-of date where it
needs one) and returns results.
"""
