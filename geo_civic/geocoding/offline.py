"""A geocoder that needs no network: it finds a commune of our database named in the query.

It answers with a point inside the commune (``ST_PointOnSurface``), so a row whose street is
unknown still lands in the right commune. The commune's name is looked for as whole words
(accents and case ignored), the longest name first; a postal code in the query settles between
homonyms (Saint-Paul, 97460 is in La Réunion). Failing a name, a five-character INSEE code.
"""

from __future__ import annotations

import re

from django.db import connection
from geopy.geocoders.base import Geocoder
from geopy.location import Location

from geo_civic.actors.names import name_key

CODE = re.compile(r"\b([0-9]{5}|2[AB][0-9]{3})\b", re.IGNORECASE)  # ASCII digits only

COMMUNES_SQL = """
SELECT code, name, departement_code, ST_Y(p), ST_X(p)
FROM (SELECT code, name, departement_code, ST_PointOnSurface(boundary) AS p
      FROM territories_commune WHERE valid_to IS NULL) c
"""


def departement_of_postcode(code: str) -> str:
    return code[:3] if code.startswith("97") else code[:2]


class CommuneGeocoder(Geocoder):
    """geopy-compatible: ``CommuneGeocoder().geocode("97460 Saint-Paul")`` gives a Location."""

    def __init__(self) -> None:
        super().__init__(user_agent="geocivic-offline")
        self._communes: list[tuple[str, str, str, float, float]] | None = None

    def communes(self) -> list[tuple[str, str, str, float, float]]:
        if self._communes is None:
            with connection.cursor() as cursor:
                cursor.execute(COMMUNES_SQL)
                self._communes = cursor.fetchall()
        return self._communes

    def geocode(self, query: str, *, exactly_one: bool = True, **_ignored) -> Location | None:
        found = self._by_name(query) or self._by_code(query)
        if found is None:
            return None
        code, name, _dep, lat, lon = found
        location = Location(f"{name} ({code})", (lat, lon), {"code": code, "name": name})
        return location if exactly_one else [location]

    def _by_name(self, query: str):
        text = f" {name_key(query)} "
        postcode_deps = {departement_of_postcode(c) for c in CODE.findall(query) if c.isdigit()}
        matches = [c for c in self.communes() if f" {name_key(c[1])} " in text]
        if not matches:
            return None
        return max(matches, key=lambda c: (c[2] in postcode_deps, len(c[1]), c[0]))

    def _by_code(self, query: str):
        codes = {c.upper() for c in CODE.findall(query)}
        return next((c for c in self.communes() if c[0] in codes), None)
