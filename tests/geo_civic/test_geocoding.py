"""The geocoder chain against BAN and Nominatim served on loopback in their real formats."""

from __future__ import annotations

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlparse

import pytest
from django.contrib.gis.geos import Point

from geo_civic.geocoding.chain import GeocoderChain
from geo_civic.geocoding.models import GeocodedAddress
from geo_civic.geocoding.offline import CommuneGeocoder
from geo_civic.territories.models import Commune

pytestmark = pytest.mark.django_db

QUERY = "Place du Général de Gaulle 97460 Saint-Paul"


def ban_answer(score: float) -> dict:
    """A real api-adresse.data.gouv.fr /search answer (trimmed to one feature)."""
    return {
        "type": "FeatureCollection",
        "version": "draft",
        "features": [
            {
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": [55.270301, -21.009712]},
                "properties": {
                    "label": "Place du Général de Gaulle 97460 Saint-Paul",
                    "score": score,
                    "id": "97415_1234",
                    "name": "Place du Général de Gaulle",
                    "postcode": "97460",
                    "citycode": "97415",
                    "x": 314950.12,
                    "y": 7676610.33,
                    "city": "Saint-Paul",
                    "context": "974, La Réunion",
                    "type": "street",
                    "importance": 0.61,
                    "street": "Place du Général de Gaulle",
                },
            }
        ],
        "attribution": "BAN",
        "licence": "ETALAB-2.0",
        "query": QUERY,
        "limit": 1,
    }


NOMINATIM_ANSWER = [
    {
        "place_id": 123456,
        "licence": "Data © OpenStreetMap contributors, ODbL 1.0. http://osm.org/copyright",
        "osm_type": "way",
        "osm_id": 987654,
        "lat": "-21.0099",
        "lon": "55.2698",
        "class": "highway",
        "type": "pedestrian",
        "place_rank": 26,
        "importance": 0.10,
        "addresstype": "road",
        "name": "Place du Général de Gaulle",
        "display_name": "Place du Général de Gaulle, Saint-Paul, La Réunion, 97460, France",
        "boundingbox": ["-21.0102", "-21.0096", "55.2694", "55.2702"],
    }
]


class FakeService:
    """One geocoding service on 127.0.0.1: answers ``/search`` as told, records the requests."""

    def __init__(self) -> None:
        self.status, self.body, self.delay = 200, b"[]", 0.0
        self.requests: list[tuple[str, dict, str]] = []
        self.times: list[float] = []
        service = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 - http.server's name
                url = urlparse(self.path)
                service.requests.append(
                    (url.path, parse_qs(url.query), self.headers.get("User-Agent", ""))
                )
                service.times.append(time.monotonic())
                time.sleep(service.delay)
                self.send_response(service.status)
                self.send_header("Content-Type", "application/json; charset=utf-8")
                self.end_headers()
                self.wfile.write(service.body)

            def log_message(self, *args) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.domain = f"127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def answer(self, payload, status: int = 200, delay: float = 0.0) -> None:
        self.status, self.delay = status, delay
        self.body = json.dumps(payload).encode()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def services(settings):
    ban, nominatim = FakeService(), FakeService()
    settings.GEO_CIVIC_GEOCODERS = ["ban", "nominatim", "offline"]
    settings.GEO_CIVIC_BAN_DOMAIN = ban.domain
    settings.GEO_CIVIC_NOMINATIM_DOMAIN = nominatim.domain
    settings.GEO_CIVIC_GEOCODER_SCHEME = "http"
    settings.GEO_CIVIC_GEOCODER_TIMEOUT = 0.3
    settings.GEO_CIVIC_NOMINATIM_MIN_DELAY = 0
    settings.GEO_CIVIC_GEOCODER_USER_AGENT = "GeoCivic-test/1 (tests@geocivic.invalid)"
    yield ban, nominatim
    ban.close()
    nominatim.close()


def test_offline_geocoder_finds_the_commune_named_in_an_address(reunion_communes):
    geocoder = CommuneGeocoder()
    location = geocoder.geocode("PL DU GENERAL DE GAULLE\n97460 SAINT-PAUL")
    assert location.raw["code"] == "97415"
    assert location.address == "Saint-Paul (97415)"
    assert geocoder.geocode("Mairie, 97411").raw["name"] == "Saint-Denis"  # INSEE code
    assert geocoder.geocode("12 rue de Paris, 75001 Paris") is None


def test_offline_point_lies_inside_its_commune(reunion_communes):
    location = CommuneGeocoder().geocode("Cilaos")
    cilaos = Commune.objects.get(name="Cilaos")
    assert cilaos.boundary.covers(Point(location.longitude, location.latitude, srid=4326))


def test_ban_answers_first_and_the_answer_is_cached(reunion_communes, services):
    ban, nominatim = services
    ban.answer(ban_answer(score=0.87))
    chain = GeocoderChain()
    found = chain.geocode(QUERY)
    assert (found.provider, found.lon, found.lat) == ("ban", 55.270301, -21.009712)
    path, params, user_agent = ban.requests[0]
    assert (path, params["q"]) == ("/search", [QUERY])
    assert user_agent == "GeoCivic-test/1 (tests@geocivic.invalid)"
    assert nominatim.requests == []
    again = GeocoderChain().geocode("  place du général de gaulle   97460 SAINT-PAUL ")
    assert again == found
    assert len(ban.requests) == 1  # read from the database
    assert GeocodedAddress.objects.get().provider == "ban"


def test_low_ban_score_falls_through_to_nominatim(reunion_communes, services):
    ban, nominatim = services
    ban.answer(ban_answer(score=0.31))
    nominatim.answer(NOMINATIM_ANSWER)
    found = GeocoderChain().geocode(QUERY)
    assert (found.provider, found.lon, found.lat) == ("nominatim", 55.2698, -21.0099)
    _path, params, user_agent = nominatim.requests[0]
    assert params["q"] == [QUERY] and params["format"] == ["json"]
    assert user_agent.startswith("GeoCivic-test/1")


def test_errors_and_timeouts_fall_through_to_offline_and_are_logged(
    reunion_communes, services, caplog
):
    ban, nominatim = services
    ban.answer({"code": 503, "message": "Service Unavailable"}, status=503)
    nominatim.answer(NOMINATIM_ANSWER, delay=0.8)  # longer than the 0.3 s timeout
    found = GeocoderChain().geocode(QUERY)
    assert (found.provider, found.label) == ("offline", "Saint-Paul (97415)")
    messages = [r.getMessage() for r in caplog.records if r.name == "geo_civic.geocoding.chain"]
    assert any(m.startswith("geocoder ban failed") for m in messages)
    assert any(m.startswith("geocoder nominatim failed") and "timed out" in m for m in messages)


def test_nothing_found_anywhere_is_none_and_not_cached(reunion_communes, services):
    ban, nominatim = services
    ban.answer({"type": "FeatureCollection", "features": []})
    nominatim.answer([])
    assert GeocoderChain().geocode("Rue inconnue, Atlantide") is None
    assert not GeocodedAddress.objects.exists()


def test_nominatim_rate_limit_holds_across_requests(reunion_communes, services, settings):
    ban, nominatim = services
    settings.GEO_CIVIC_GEOCODERS = ["nominatim"]
    settings.GEO_CIVIC_NOMINATIM_MIN_DELAY = 0.4
    nominatim.answer(NOMINATIM_ANSWER)
    GeocoderChain().geocode("1 rue A, Saint-Paul")  # one web request…
    GeocoderChain().geocode("2 rue B, Saint-Paul")  # …then another, with its own chain
    first, second = nominatim.times
    # The limiter spaces the calls it sends; their arrival can be a few milliseconds closer.
    assert second - first >= 0.35
