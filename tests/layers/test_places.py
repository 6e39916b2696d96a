import pytest

pytestmark = pytest.mark.django_db


def names(client, query: str) -> list[str]:
    response = client.get("/api/places", {"q": query})
    assert response.status_code == 200
    return [place["name"] for place in response.json()["results"]]


def test_place_search_ignores_accents_case_and_hyphens(client, reunion_communes):
    assert names(client, "etang sale") == ["Étang-Salé"]
    assert names(client, "SAINT P") == ["Saint-Paul", "Saint-Philippe", "Saint-Pierre"]
    assert names(client, "") == []
    assert names(client, "Atlantis") == []


def test_an_exact_code_comes_first_with_bounds_to_fly_to(client, reunion_communes):
    results = client.get("/api/places", {"q": "97424"}).json()["results"]
    assert results[0]["name"] == "Cilaos"
    (south, west), (north, east) = results[0]["bounds"]
    assert -21.3 < south < north < -21.0 and 55.3 < west < east < 55.6


def test_an_oversized_query_is_a_400(client):
    response = client.get("/api/places", {"q": "x" * 101})
    assert response.status_code == 400
    assert "longer than 100" in response.json()["detail"]


def test_a_postal_code_finds_every_commune_it_serves(client, reunion_communes):
    from geo_civic.territories.models import Commune, PostalCode

    shared = PostalCode.objects.create(code="97460")
    for code in ("97415", "97413"):  # Saint-Paul and Saint-Leu share it in this test
        Commune.objects.get(code=code).postal_codes.add(shared)
    PostalCode.objects.create(code="97400").communes.add(Commune.objects.get(code="97411"))
    assert names(client, "97460") == ["Saint-Leu", "Saint-Paul"]
    assert names(client, "9741") != []  # INSEE prefixes still work
    result = client.get("/api/places", {"q": "97400"}).json()["results"]
    assert [(r["name"], r["postal_codes"]) for r in result] == [("Saint-Denis", ["97400"])]


def test_an_exact_postal_code_ranks_with_an_exact_insee_code(client, reunion_communes):
    """97413 is Saint-Leu's INSEE code and Cilaos's postal code: both first, by name."""
    from geo_civic.territories.models import Commune, PostalCode

    PostalCode.objects.create(code="97413").communes.add(Commune.objects.get(code="97424"))
    results = client.get("/api/places", {"q": "97413"}).json()["results"]
    assert [r["name"] for r in results[:2]] == ["Cilaos", "Saint-Leu"]
