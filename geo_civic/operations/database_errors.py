"""Database errors told in one line: what a user or an operator reads, never a traceback."""


def reason(exc: Exception) -> str:
    """The first line of the driver's message (the rest is context and hints)."""
    return (str(exc).strip().splitlines() or [type(exc).__name__])[0]
