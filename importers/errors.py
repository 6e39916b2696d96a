"""What an import reports to the person who ran it, in one line."""

from geo_civic.sources.catalogue import SourceError


class ImportFailed(Exception):
    """An import that cannot go on; the message is meant for the person who ran it."""


# Caught wherever an import reports one line: its own failures and an unknown source or dataset.
REPORTED = (ImportFailed, SourceError)
