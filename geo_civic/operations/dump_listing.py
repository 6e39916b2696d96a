"""A ``pg_restore --list`` table of contents, without what belongs to the extensions.

Only a superuser may create, drop or comment PostGIS, or write its ``spatial_ref_sys``, so a
restore run by the app's role (which is not one) leaves the extensions to the administrator and
restores everything else.
"""

from __future__ import annotations

import re

# "2; 3079 16384 EXTENSION - postgis " and "4695; 0 0 COMMENT - EXTENSION postgis "
_EXTENSION = re.compile(r"^\d+; \d+ \d+ (?:EXTENSION - |COMMENT - EXTENSION )(\S+)")
# "252; 1259 17648 TABLE public actors_actor geocivic" and its "… TABLE DATA public …"
_TABLE = re.compile(r"^\d+; \d+ \d+ TABLE (\S+) (\S+) ")
_TABLE_DATA = re.compile(r"^\d+; \d+ \d+ TABLE DATA (\S+) (\S+) ")


def extensions(listing: str) -> list[str]:
    """The names of the extensions the dump creates, in its order."""
    found = []
    for line in listing.splitlines():
        match = _EXTENSION.match(line)
        if match and " EXTENSION - " in line and match.group(1) not in found:
            found.append(match.group(1))
    return found


def without_extensions(listing: str) -> str:
    """The listing minus the entries that create or comment an extension, and the data of the
    tables the dump does not create (an extension's configuration table, spatial_ref_sys)."""
    lines = listing.splitlines()
    tables = {match.groups() for line in lines if (match := _TABLE.match(line))}

    def kept(line: str) -> bool:
        if _EXTENSION.match(line):
            return False
        data = _TABLE_DATA.match(line)
        return not data or data.groups() in tables

    return "\n".join(line for line in lines if kept(line)) + "\n"
