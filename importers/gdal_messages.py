"""Collect what GDAL says while reading a file, to put it in our own error message.

GeoDjango logs every GDAL error on the ``django.contrib.gis`` logger; while reading a user's
file we keep those lines instead, so the user sees one clear error that quotes GDAL's reason.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager

GDAL_LOGGER = logging.getLogger("django.contrib.gis")


class _Collector(logging.Handler):
    def __init__(self) -> None:
        super().__init__(level=logging.DEBUG)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        message = record.getMessage()
        # GeoDjango formats them as "GDAL_ERROR <n>: b'<text>'".
        text = message.split(": ", 1)[-1].removeprefix("b'").removesuffix("'")
        if text not in self.messages:
            self.messages.append(text)


@contextmanager
def collect_gdal_messages() -> Iterator[list[str]]:
    """Yield the list that receives GDAL's messages while the block runs."""
    collector = _Collector()
    previous = GDAL_LOGGER.propagate
    GDAL_LOGGER.addHandler(collector)
    GDAL_LOGGER.propagate = False
    try:
        yield collector.messages
    finally:
        GDAL_LOGGER.removeHandler(collector)
        GDAL_LOGGER.propagate = previous
