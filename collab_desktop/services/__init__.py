"""Use cases. Plain Python, no Qt; the only code that opens sessions and commits."""
