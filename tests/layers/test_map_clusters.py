"""/api/map/clusters: grid clusters and counts of a view, with the layers' filters."""

import pytest

from geo_civic.actors.models import Actor, Category

pytestmark = pytest.mark.django_db

REUNION_BBOX = "55.2,-21.4,55.85,-20.85"


@pytest.fixture
def actors(reunion_communes):
    garden = Category.objects.create(name="Jardins", slug="jardins", colour="#228833")
    for i in range(30):  # a crowd in Saint-Denis
        actor = Actor.objects.create(
            kind="organisation", name=f"Asso {i}", point=f"POINT({55.448 + i * 1e-4} -20.88)"
        )
        if i < 5:
            actor.categories.add(garden)
    Actor.objects.create(kind="place", name="Seul à Cilaos", point="POINT(55.4718 -21.1347)")
    Actor.objects.create(
        kind="place", name="Brouillon", point="POINT(55.47 -21.13)", status="draft"
    )


def test_one_row_per_cell_with_counts_per_kind_and_category(client, actors):
    answer = client.get("/api/map/clusters", {"bbox": REUNION_BBOX, "zoom": "9"}).json()
    assert answer["total"] == 31
    assert answer["kinds"] == {"organisation": 30, "place": 1}
    assert answer["categories"] == {"jardins": 5}
    clusters = sorted(answer["clusters"], key=lambda c: c["count"])
    assert [c["count"] for c in clusters] == [1, 30]
    lone = Actor.objects.get(name="Seul à Cilaos")
    assert clusters[0]["id"] == lone.id and clusters[1]["id"] is None
    assert clusters[1]["lat"] == pytest.approx(-20.88, abs=1e-3)


def test_the_layer_filters_apply_and_kind_counts_ignore_the_kind_filter(client, actors):
    params = {"bbox": REUNION_BBOX, "zoom": "18", "kind": "place"}
    answer = client.get("/api/map/clusters", params).json()
    assert answer["total"] == 1 and answer["kinds"]["organisation"] == 30
    assert answer["clusters"][0]["count"] == 1
    searched = client.get("/api/map/clusters", {**params, "kind": "organisation", "q": "asso"})
    assert searched.json()["total"] == 30
    assert len(searched.json()["clusters"]) > 1  # street zoom splits the crowd


@pytest.mark.parametrize(
    "query, reason",
    [
        ({"bbox": REUNION_BBOX}, "zoom must be"),
        ({"bbox": REUNION_BBOX, "zoom": "30"}, "zoom must be"),
        ({"zoom": "5"}, "bbox is required"),
        ({"bbox": "1,2,3", "zoom": "5"}, "bbox needs 4 numbers"),
        ({"bbox": REUNION_BBOX, "zoom": "5", "colour": "red"}, "unknown parameter"),
        ({"bbox": REUNION_BBOX, "zoom": "5", "limit": "3"}, "limit and offset"),
    ],
)
def test_bad_parameters_are_a_400_with_a_reason(client, query, reason):
    response = client.get("/api/map/clusters", query)
    assert response.status_code == 400
    assert reason in response.json()["detail"]
