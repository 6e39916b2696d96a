"""Wall-clock timing of a call, as every benchmark here takes it."""

from __future__ import annotations

import time
from collections.abc import Callable


def timed(function: Callable[[], object], repeat: int) -> list[float]:
    """Milliseconds of ``repeat`` calls of ``function``, after one warm-up call."""
    function()
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        function()
        times.append((time.perf_counter() - start) * 1000)
    return times
