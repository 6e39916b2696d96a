"""What an import reports to the person who ran it, in one line.

An importer names an option neutrally, ``option("code_field")``; each door words it its own way
when it reports: ``--code-field`` on the command line, ``code_field`` in the stewards' form.
"""

import re

from geo_civic.sources.catalogue import SourceError

_OPTION = re.compile(r"\x00option:([a-z_]+)\x00")  # NUL never comes from a file or a user


def option(name: str) -> str:
    """An option's name inside an ImportFailed message, worded later by the door."""
    return f"\x00option:{name}\x00"


def said(error: Exception, door: str = "command") -> str:
    """The message of ``error`` with its options as ``door`` ("command" or "form") names them."""

    def word(match: re.Match) -> str:
        name = match.group(1)
        return name if door == "form" else "--" + name.replace("_", "-")

    return _OPTION.sub(word, str(error.args[0]) if error.args else str(error))


class ImportFailed(Exception):
    """An import that cannot go on; the message is meant for the person who ran it."""

    def __str__(self) -> str:
        return said(self)


# Caught wherever an import reports one line: its own failures and an unknown source or dataset.
REPORTED = (ImportFailed, SourceError)
