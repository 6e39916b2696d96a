"""Every JSON endpoint parses its parameters the one way and refuses the one way (RFC 9457)."""

from __future__ import annotations

import pytest

REUNION_BBOX = "55.2,-21.4,55.9,-20.8"
ENDPOINTS = [
    "/api/places?q=port",
    "/api/nearby?lat=-21&lon=55.5",
    f"/api/map/clusters?zoom=9&bbox={REUNION_BBOX}",
    "/api/layers/actors.geojson?kind=event",
    "/api/layers/actors.csv?kind=event",
    "/tiles/communes/5/31/17.pbf?departement=974",
    "/tiles/communes.json?departement=974",
    "/ogc/collections/actors/items?limit=5",
]


@pytest.mark.django_db
@pytest.mark.parametrize("url", ENDPOINTS)
def test_an_unknown_parameter_is_a_problem_naming_it(client, url):
    response = client.get(url + "&nope=1")
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    problem = response.json()
    assert problem["status"] == 400 and problem["title"] == "Bad Request"
    assert problem["type"] == "about:blank"
    assert "nope" in problem["detail"] and problem["parameter"] == "nope"


@pytest.mark.django_db
@pytest.mark.parametrize("url", ENDPOINTS)
def test_a_repeated_parameter_is_a_problem_naming_it(client, url):
    name, value = url.split("?")[1].split("&")[0].split("=")
    response = client.get(f"{url}&{name}={value}")
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    assert "more than once" in response.json()["detail"]
    assert response.json()["parameter"] == name


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url, parameter",
    [
        ("/api/nearby?lat=-21&lon=55.5&limit=²", "limit"),
        ("/api/nearby?lat=-21&lon=٥٥&limit=3", "lon"),
        (f"/api/map/clusters?zoom=٩&bbox={REUNION_BBOX}", "zoom"),
        ("/api/layers/actors.geojson?limit=²", "limit"),
        ("/ogc/collections/actors/items?offset=١", "offset"),
    ],
)
def test_numbers_are_ascii_digits_only(client, url, parameter):
    """``'²'.isdigit()`` and ``int('٩')`` both accept what no client meant as a number."""
    response = client.get(url)
    assert response.status_code == 400
    assert response.json()["parameter"] == parameter
