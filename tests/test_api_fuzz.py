"""Generated input against every public endpoint: whatever a client sends, never a 500.

Schemathesis drives every operation of the OGC API's OpenAPI document, where every value the
schema admits must also be accepted (``positive_data_acceptance``). Hypothesis then sends
arbitrary strings, NUL characters, digits of other scripts and out-of-range offsets in every
parameter of every endpoint, documented or not, and arbitrary fields to every form (accounts,
residents' contributions, the stewards' uploads): the answer is anything but a 5xx. Each
endpoint gets its own bounded run; one test walks them all, so the data is set up once.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from functools import partial
from urllib.parse import quote, urlencode

import hypothesis
import pytest
import schemathesis
from django.contrib.auth.models import Group, User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.signals import request_finished, request_started
from django.db import close_old_connections, transaction
from django.test import Client
from hypothesis import HealthCheck, given
from hypothesis import strategies as st
from schemathesis.specs.openapi.checks import unsupported_method

from geo_civic.actors.models import Actor, Category
from geo_civic.wsgi import application
from importers import options
from layers.exports import FORMATS

schema = schemathesis.openapi.from_wsgi("/ogc/api", application)
FUZZ = hypothesis.settings(max_examples=30, deadline=None, suppress_health_check=list(HealthCheck))


def filter_query(ctx, query) -> bool:
    """A bbox with its corners in order and latitudes in -90..90: JSON Schema cannot relate an
    array's items to each other, so the document says it in words and this says it to the
    generator. Every other parameter is generated from its schema alone."""
    bbox = (query or {}).get("bbox")
    if isinstance(bbox, str):
        bbox = bbox.split(",")
    try:
        west, south, east, north = (float(v) for v in bbox)
    except (TypeError, ValueError):
        return True  # not four numbers: a negative case, which the server must reject
    return west <= east and -90 <= south <= north <= 90


@pytest.fixture
def data(db, reunion_communes):
    """A place, an event in a category with tags, a steward: something for every endpoint."""
    garden = Actor.objects.create(
        kind="place", name="Jardin <b>partagé</b>", point="POINT(55.4481 -20.8789)"
    )
    fete = Actor.objects.create(
        kind="event",
        name="Fête",
        point="POINT(55.4482 -20.8790)",
        starts_at="2030-05-01T14:00:00+04:00",
        tags=["musique"],
    )
    fete.categories.add(Category.objects.create(name="Culture", slug="culture"))
    steward = User.objects.create_user("gaelle", "gaelle@example.org", "limites-974-ok")
    steward.groups.add(Group.objects.get(name="stewards"))
    # As Django's test client does: the test's transaction must outlive each request.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield {"actors": [garden, fete], "steward": steward}
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@schema.hooks.apply(filter_query)
@schema.parametrize()
@FUZZ
def test_ogc_api_follows_its_schema_and_never_fails(case, data):
    # Left out: an undeclared method such as QUERY meets Django's CSRF check first (403, not
    # 405). Server errors, status codes, response bodies and the acceptance of every value the
    # schema admits are all checked. The WSGI transport reads bodies as the application sends
    # them and does not undo gzip (geo_civic/web/compression.py) as an HTTP client would: it asks
    # for the plain representation, which is the one the schema describes.
    case.call_and_validate(
        headers={"Accept-Encoding": "identity"}, excluded_checks=[unsupported_method]
    )


# --- every endpoint, every parameter ---------------------------------------------------------

# What breaks parsers: NUL, digits that str.isdigit() accepts and int() does not (or reads as
# another number), offsets PostgreSQL refuses, impossible dates, huge and odd numbers.
HOSTILE = st.sampled_from(
    [
        "\x00", "a\x00b", "97411\x00", "²", "١٢", "٣", "１", "¹²", "Ⅻ", "-0", "+1", "1_000",
        "9" * 40, "1e999", "-1e999", "nan", "inf", "0x10", " 1", "1 ", "",
        "2024-01-01T00:00:00+23:59", "2024-01-01T00:00-16:00", "2024-02-30", "0000-01-01",
        "9999-12-31T23:59:59+15:59", "..", "../..", "/", ",", ",,,", "%00", "'", '"', "\\",
        "<script>", "\u202e", "é" * 300, "a" * 5000,
    ]
)  # fmt: skip
ANY_TEXT = st.text(max_size=40)
NUMBERS = st.from_regex(r"-?[0-9]{1,6}(\.[0-9]{1,8})?", fullmatch=True)


def values(*plausible: str) -> st.SearchStrategy[str]:
    """Hostile strings, arbitrary text, numbers, and values that pass parsing to reach deeper."""
    return st.one_of(HOSTILE, ANY_TEXT, NUMBERS, st.sampled_from(plausible or ("x",)))


BBOX = ("55.2,-21.4,55.9,-20.8", "-180,-90,180,90", "55.3,-20.9,55.2,-21")
INSTANTS = ("2024-05-31", "2030-05-01T14:00:00+04:00", "2030-05-01T10:00Z", "2999-12-31")
FILTER_VALUES = {
    "bbox": values(*BBOX),
    "commune": values("97411", "97411,97415", "2A004"),
    "departement": values("974", "2A"),
    "region": values("04"),
    "epci": values("249740101"),
    "kind": values("event", "place,organisation"),
    "category": values("culture", "culture,inconnue"),
    "tags": values("musique", "jardin,amap"),
    "q": values("fête", "saint-d", '"jardin partagé"', "-ecole or jardin"),
    "start": values(*INSTANTS),
    "end": values(*INSTANTS),
    "updated_since": values(*INSTANTS),
    "limit": values("1", "10", "10000"),
    "offset": values("0", "1", "1000000000"),
}


def query(parameters: dict[str, st.SearchStrategy[str]]) -> st.SearchStrategy[dict]:
    """Any subset of the parameters, sometimes with a stranger among them."""
    known = st.fixed_dictionaries({}, optional=parameters)
    stranger = st.dictionaries(st.one_of(HOSTILE, ANY_TEXT), values(), max_size=1)
    return st.builds(lambda a, b: {**b, **a}, known, stranger)


def path_part(*plausible: str) -> st.SearchStrategy[str]:
    return values(*plausible).filter(lambda v: v not in ("", ".", "..")).map(
        lambda v: quote(v, safe="")
    )


def url(path: str, params: dict) -> str:
    return f"{path}?{urlencode(params)}" if params else path


def answer(client: Client, method: str, target: str, **kwargs) -> int:
    """The status of one request, read to its end in a savepoint: a database error of one
    example fails it (the client re-raises what the view raised), not the next ones."""
    with transaction.atomic():
        response = getattr(client, method)(target, **kwargs)
        if response.streaming:
            b"".join(response.streaming_content)
    return response.status_code


LAYER_NAMES = ("actors", "communes", "events", "places", "actors-per-commune", "nothing")
GET_ENDPOINTS = {
    "places": (st.just("/api/places"), {"q": values("saint", "974", "97411", "Étang")}),
    "nearby": (
        st.just("/api/nearby"),
        {
            "lat": values("-20.88", "91"),
            "lon": values("55.45", "181"),
            "limit": values("1", "100", "101"),
            "radius": values("1", "500000", "0.5"),
        },
    ),
    "clusters": (
        st.just("/api/map/clusters"),
        {**FILTER_VALUES, "zoom": values("0", "10", "22", "23")},
    ),
    "categories": (st.just("/api/categories"), {}),
    "layer geojson": (
        st.builds(lambda n: f"/api/layers/{n}.geojson", st.sampled_from(LAYER_NAMES)),
        FILTER_VALUES,
    ),
    "layer csv": (
        st.builds(lambda n: f"/api/layers/{n}.csv", st.sampled_from(LAYER_NAMES)),
        {
            **FILTER_VALUES,
            "geometry": values("lonlat", "wkt", "none"),
            "separator": values("comma", "semicolon", "tab"),
        },
    ),
    "layer exports": (
        st.builds(
            lambda n, f: f"/api/layers/{n}.{f}",
            st.sampled_from(LAYER_NAMES),
            st.sampled_from([*FORMATS, "exe"]),
        ),
        FILTER_VALUES,
    ),
    "tiles": (
        st.builds(
            lambda n, z, x, y: f"/tiles/{n}/{z}/{x}/{y}.pbf",
            st.sampled_from(LAYER_NAMES),
            st.sampled_from(["0", "10", "22", "23", "-1", "999999999"]),
            st.sampled_from(["0", "1", "1023", "-1", "999999999999"]),
            st.sampled_from(["0", "1", "1023", "-1", "999999999999"]),
        ),
        FILTER_VALUES,
    ),
    "tilejson": (
        st.builds(lambda n: f"/tiles/{n}.json", st.sampled_from(LAYER_NAMES)),
        FILTER_VALUES,
    ),
    "ogc items": (
        st.builds(lambda n: f"/ogc/collections/{n}/items", st.sampled_from(LAYER_NAMES)),
        {
            **FILTER_VALUES,
            "datetime": values("2030-05-01", "2024-01-01/..", "../2031-01-01T00:00:00Z"),
            "f": values("json", "geojson", "html"),
            "crs": values("http://www.opengis.net/def/crs/OGC/1.3/CRS84", "EPSG:4326"),
            "bbox-crs": values("EPSG:4326"),
        },
    ),
    "ogc paths": (
        st.one_of(
            st.builds(lambda n: f"/ogc/collections/{n}", path_part(*LAYER_NAMES)),
            st.builds(lambda n: f"/ogc/collections/{n}/schema", path_part(*LAYER_NAMES)),
            st.builds(
                lambda n, i: f"/ogc/collections/{n}/items/{i}",
                st.sampled_from(LAYER_NAMES),
                path_part("1", "2", "0"),
            ),
            st.sampled_from(["/ogc/", "/ogc/api", "/ogc/conformance", "/ogc/collections"]),
        ),
        {"f": values("json")},
    ),
    "feeds": (
        st.one_of(
            st.just("/agenda.ics"),
            st.builds(lambda c: f"/communes/{c}/agenda.ics", path_part("97411", "00000")),
            st.builds(lambda c: f"/communes/{c}/nouveautes.atom", path_part("97415")),
            st.builds(lambda s: f"/categories/{s}/agenda.ics", path_part("culture")),
        ),
        {},
    ),
    "commune page": (st.builds(lambda c: f"/communes/{c}/", path_part("97411", "97415")), {}),
    "actor page": (
        st.builds(
            lambda prefix, i, s: f"/{prefix}/{i}{s}/",
            st.sampled_from(["acteurs", "actors"]),
            path_part("1", "2", "99999999999999999999"),
            st.one_of(st.just(""), path_part("fete", "jardin-partage").map(lambda s: f"-{s}")),
        ),
        {},
    ),
    "pages": (
        st.sampled_from(["/", "/embed/", "/data/", "/api/docs/", "/api/schema/", "/healthz"]),
        {"lang": values("en")},
    ),
    "account pages": (
        st.sampled_from(["/comptes/login/", "/comptes/inscription/", "/comptes/password_reset/"]),
        {"next": values("/", "//evil.example", "/contribuer/")},
    ),
}


def no_server_error(send: Callable[..., int], label: str, **strategies) -> None:
    """A bounded Hypothesis run of ``send(**drawn)``: every answer's status is below 500."""

    @FUZZ
    @given(**strategies)
    def check(**drawn) -> None:
        assert send(**drawn) < 500, (label, drawn)

    check()


def get_status(client: Client, path: str, params: dict) -> int:
    return answer(client, "get", url(path, params))


def post_status(client: Client, target: str, posted: dict) -> int:
    return answer(client, "post", target, data=posted)


def test_every_public_endpoint_answers_hostile_parameters_without_a_server_error(data):
    for endpoint, (paths, parameters) in GET_ENDPOINTS.items():
        send = partial(get_status, Client())
        no_server_error(send, endpoint, path=paths, params=query(parameters))


FORMS = {
    "/comptes/login/": {"username": values("gaelle"), "password": values("limites-974-ok")},
    "/comptes/inscription/": {
        "username": values("nouvelle"),
        "email": values("nouvelle@example.org"),
        "password1": values("un-mot-de-passe-long"),
        "password2": values("un-mot-de-passe-long"),
    },
    "/comptes/password_reset/": {"email": values("gaelle@example.org")},
}


def test_account_forms_answer_hostile_fields_without_a_server_error(data, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # speed only
    for form, fields in FORMS.items():
        no_server_error(partial(post_status, Client(), form), form, posted=query(fields))


EVENT_TIMES = ("2030-05-01T14:00", "2030-05-01 14:00", "01/05/2030 14:00", "2030-05-01T14:00Z")
RESIDENT_FORMS = {
    "/contribuer/event/": {
        "name": values("Fête"),
        "summary": values("Musique"),
        "description": values("**Concert**"),
        "starts_at": values(*EVENT_TIMES, "2030-05-01T14:00+20:00"),
        "ends_at": values(*EVENT_TIMES),
        "all_day": values("on"),
        "latitude": values("-20.8789", "91"),
        "longitude": values("55.4481", "181"),
        "address": values("Saint-Paul", "97411"),
        "tags_text": values("jardin, amap"),
        "social_links_text": values("https://example.org"),
        "website": values("https://example.org", "javascript:alert(1)"),
        "email": values("a@example.org"),
        "phone": values("0262 00 00 00"),
        "categories": values("1"),
        "preview": values("1"),
        "draft": values("1"),
    },
    "/acteurs/{pk}/signaler/": {"reason": values("Fermé")},
    "/acteurs/{pk}/co-editeurs/": {"username": values("gaelle", "nobody")},
}


def test_residents_forms_answer_hostile_fields_without_a_server_error(data):
    """Anyone may sign up, so what a signed-up resident posts is public input too."""
    resident = User.objects.create_user("nina", "nina@example.org", "un-long-secret-974")
    fete = data["actors"][1]
    fete.owner = resident
    fete.save()
    client = Client()
    client.force_login(resident)
    for form, fields in RESIDENT_FORMS.items():
        send = partial(post_status, client, form.format(pk=fete.pk))
        no_server_error(send, form, posted=query(fields))


def tiny_commune_file() -> SimpleUploadedFile:
    square = [[55.40, -20.90], [55.41, -20.90], [55.41, -20.91], [55.40, -20.91], [55.40, -20.90]]
    document = {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "properties": {"code": "97411", "nom": "Saint-Denis"},
                "geometry": {"type": "Polygon", "coordinates": [square]},
            }
        ],
    }
    return SimpleUploadedFile("communes.geojson", json.dumps(document).encode())


def tiny_actor_file() -> SimpleUploadedFile:
    rows = "nom,latitude,longitude,adresse\nJardin,-20.8789,55.4481,\nAtelier,,,Saint-Paul\n"
    return SimpleUploadedFile("actors.csv", rows.encode())


UPLOADS = {
    "communes": (
        tiny_commune_file,
        {
            "source": values("auto", "france-geojson", "generic"),
            "code_field": values("code"),
            "name_field": values("nom"),
            "population_field": values("population"),
            "layer": values("communes"),
            "srid": values("4326", "2975"),
            "encoding": values("UTF-8", "ISO-8859-1"),
            "country": values("FR", "fr"),
            "complete_for": values("none", "974", "FR"),
            "valid_from": values("2027-01-01"),
            "force": values("true", "false"),
            "dry_run": values("true", "1", "no"),
        },
    ),
    "actors": (
        tiny_actor_file,
        {
            "format": values("csv", "gogocarto", "geojson"),
            "source_key": values("fuzz"),
            "kind": values("place", "event"),
            "id_field": values("nom"),
            "name_field": values("nom"),
            "lat_field": values("latitude"),
            "lon_field": values("longitude"),
            "address_field": values("adresse"),
            "dry_run": values("true", "false"),
        },
    ),
}


def upload_status(client: Client, what: str, make_file, fields: dict) -> int:
    return answer(client, "post", f"/api/imports/{what}", data={"file": make_file(), **fields})


def test_upload_options_are_the_ones_fuzzed():
    assert set(UPLOADS["communes"][1]) == {option.name for option in options.COMMUNES}
    # mapping is a file, not a value
    assert set(UPLOADS["actors"][1]) == {option.name for option in options.ACTORS} - {"mapping"}


def test_steward_uploads_answer_hostile_options_without_a_server_error(data):
    client = Client()
    client.force_login(data["steward"])
    for what, (make_file, fields) in UPLOADS.items():
        send = partial(upload_status, client, what, make_file)
        no_server_error(send, what, fields=st.fixed_dictionaries({}, optional=fields))
