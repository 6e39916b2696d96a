"""Requests no view can answer get a 400 at the door, saying which parameter is wrong, in the
shape the endpoint uses (JSON for the APIs, text for pages), without touching the database."""

from __future__ import annotations

import pytest
from axes.models import AccessAttempt
from django.contrib.auth.models import User

from geo_civic.actors.models import Actor
from geo_civic.geocoding.chain import GeocoderChain
from geo_civic.geocoding.models import GeocodedAddress

pytestmark = pytest.mark.django_db

PATH = "the path contains a NUL character"
BBOX = "55.2,-21.4,55.9,-20.8"


@pytest.fixture
def actor(reunion_communes):
    return Actor.objects.create(kind="event", name="Fête", point="POINT(55.4482 -20.8790)",
                                starts_at="2030-05-01T14:00:00+04:00")  # fmt: skip


def reason_of(response) -> str:
    """The error, from a problem (``detail``, RFC 9457) or a plain-text page."""
    if response["Content-Type"] == "application/problem+json":
        return response.json()["detail"]
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    return response.content.decode()


@pytest.mark.parametrize(
    "url, reason",
    [
        ("/api/places?q=%00", "parameter 'q' contains a NUL character"),
        ("/api/places?q=Saint%00Paul", "parameter 'q' contains a NUL character"),
        ("/communes/%00/", PATH),
        ("/communes/97411%00/", PATH),
        ("/communes/97411/?lang=%00", "parameter 'lang' contains a NUL character"),
        ("/communes/97411%00/agenda.ics", PATH),
        ("/communes/97415%00/nouveautes.atom", PATH),
        ("/categories/culture/agenda.ics?from=%00", "parameter 'from'"),
        ("/agenda.ics?commune=%00", "parameter 'commune' contains a NUL character"),
        ("/api/nearby?lat=-21&lon=55.27&radius=1%00", "parameter 'radius'"),
        ("/api/nearby?lat=%00&lon=55.27", "parameter 'lat' contains a NUL character"),
        ("/api/layers/actors.geojson?q=%00", "parameter 'q' contains a NUL character"),
        ("/api/layers/events.csv?tags=jardin%00", "parameter 'tags' contains a NUL character"),
        ("/api/layers/actors.geojson?%00=1", "a parameter name contains a NUL character"),
        (f"/api/map/clusters?zoom=9&bbox={BBOX}&q=%00", "parameter 'q'"),
        ("/tiles/actors/9/336/281.pbf?kind=place%00", "parameter 'kind'"),
        ("/tiles/actors.json?category=%00", "parameter 'category'"),
        ("/api/categories?%00", "a parameter name contains a NUL character"),
        ("/contribuer/geocoder/?q=Saint-Paul%00", "parameter 'q' contains a NUL character"),
        ("/acteurs/1-fete%00/", PATH),
        ("/actors/1%00/", PATH),
        ("/acteurs/1-fete/?x=%00", "parameter 'x' contains a NUL character"),
        ("/comptes/login/?next=/%00", "parameter 'next' contains a NUL character"),
        ("/comptes/inscription/?%00", "a parameter name contains a NUL character"),
        ("/%00", PATH),
    ],
)
def test_a_nul_anywhere_in_the_url_is_a_400_naming_where(
    client, actor, django_assert_num_queries, url, reason
):
    with django_assert_num_queries(0):
        response = client.get(url)
    assert response.status_code == 400
    assert reason in reason_of(response)


@pytest.mark.parametrize(
    "url, reason",
    [
        ("/ogc/collections/events/items?datetime=2030%00", "parameter 'datetime'"),
        ("/ogc/collections/events/items?f=json%00", "parameter 'f' contains a NUL character"),
        ("/ogc/collections/events/items/1%00", PATH),
        ("/ogc/collections/events%00", PATH),
    ],
)
def test_the_ogc_api_says_it_in_its_own_error_shape(client, actor, url, reason):
    response = client.get(url)
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "InvalidParameterValue"
    assert reason in body["description"] and reason in body["detail"]


def test_headers_and_cookies_with_a_nul_are_refused_before_any_session_is_read(client, actor):
    session = client.get(f"/acteurs/{actor.pk}-fete/", HTTP_COOKIE="sessionid=abcdefghij\x00")
    assert session.status_code == 400
    assert reason_of(session) == "header 'Cookie' contains a NUL character"
    # A quoted cookie value may spell a NUL as the octal escape \000, which Django decodes.
    escaped = client.get(f"/acteurs/{actor.pk}-fete/", HTTP_COOKIE='sessionid="abcdefghij\\000"')
    assert escaped.status_code == 400
    assert reason_of(escaped) == "cookie 'sessionid' contains a NUL character"
    agent = client.get("/api/layers/actors.geojson", HTTP_USER_AGENT="curl\x00")
    assert agent.status_code == 400
    assert agent.json()["detail"] == "header 'User-Agent' contains a NUL character"


def test_forms_with_a_nul_are_refused_and_change_nothing(client, actor):
    login = client.post("/comptes/login/", {"username": "gaelle\x00", "password": "x"})
    assert login.status_code == 400
    assert reason_of(login) == "form field 'username' contains a NUL character"
    assert not AccessAttempt.objects.exists()
    signup = client.post(
        "/comptes/inscription/",
        {"username": "nina", "email": "nina@example.org",
         "password1": "un-long\x00-secret", "password2": "un-long\x00-secret"},
    )  # fmt: skip
    assert signup.status_code == 400
    assert reason_of(signup) == "form field 'password1' contains a NUL character"
    assert not User.objects.filter(username="nina").exists()


def test_a_nul_in_a_form_a_view_reads_itself_is_refused(client, actor):
    """The co-editor form looks the account up by the posted name: a NUL was a 500 there."""
    owner = User.objects.create_user("owner", "owner@example.org", "un-long-secret")
    actor.owner = owner
    actor.save()
    client.force_login(owner)
    response = client.post(f"/acteurs/{actor.pk}/co-editeurs/", {"username": "nina\x00"})
    assert response.status_code == 400
    assert reason_of(response) == "form field 'username' contains a NUL character"
    assert not actor.co_editors.exists()


def test_the_geocoder_finds_nothing_for_an_address_with_a_nul(reunion_communes):
    """Addresses reach the geocoder from import files too, not only through HTTP."""
    assert GeocoderChain(["offline"]).geocode("Saint-Paul") is not None
    assert GeocoderChain(["offline"]).geocode("12 rue\x00 du Port, Saint-Paul") is None
    assert not GeocodedAddress.objects.filter(query__contains="rue").exists()


def many(n: int) -> str:
    return "&".join(f"p{i}=1" for i in range(n))


@pytest.mark.parametrize("debug", [False, True])
@pytest.mark.parametrize(
    "url", ["/api/layers/actors.geojson", "/api/nearby", "/ogc/collections/actors/items", "/"]
)
def test_more_than_a_thousand_parameters_is_a_400_at_once(
    client, settings, django_assert_num_queries, url, debug
):
    # In debug mode, Django's own 400 read the parameters again to draw its page: a 500.
    settings.DEBUG = debug
    with django_assert_num_queries(0):
        response = client.get(f"{url}?{many(1001)}")
    assert response.status_code == 400
    assert reason_of(response) == "more than 1000 parameters in the query string"


@pytest.mark.parametrize("debug", [False, True])
def test_a_form_of_more_than_a_thousand_fields_is_a_400(client, settings, debug):
    settings.DEBUG = debug
    fields = {f"p{i}": "1" for i in range(1001)}
    response = client.post("/comptes/login/", {"username": "gaelle", **fields})
    assert response.status_code == 400
    assert reason_of(response) == "more than 1000 parameters in the form"
    assert not AccessAttempt.objects.exists()


def test_a_multipart_body_without_boundary_is_a_400(client):
    response = client.post("/comptes/login/", b"x", content_type="multipart/form-data")
    assert response.status_code == 400
    assert reason_of(response).startswith("malformed multipart body")


def test_the_limits_are_the_limits(client):
    """A thousand parameters, a form of plain text: what every page must still take."""
    # A page reads no parameter; the JSON endpoints refuse unknown ones (tests/layers).
    assert client.get(f"/?{many(1000)}").status_code == 200
    assert client.get("/api/places?q=Saint-Andr%C3%A9").status_code == 200
