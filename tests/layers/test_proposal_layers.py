"""The proposals layer and the per-commune results layer, through every door a layer has:
GeoJSON with the shared and their own filters, exports, vector tiles and OGC API – Features.

Drafts and withdrawn proposals are never public; the results layer shows a closed proposal's
frozen tallies per commune of residence, a commune with fewer than 5 voters without any figure.
"""

from __future__ import annotations

import json

import mapbox_vector_tile
import pytest
from django.contrib.auth.models import User

from geo_civic.participation.lifecycle import apply
from geo_civic.participation.models import Proposal, Resolution, Space, Vote
from geo_civic.territories.models import Commune, Departement
from importers.cog import import_cog

pytestmark = pytest.mark.django_db

SAINT_DENIS_POINT = "SRID=4326;POINT(55.4481 -20.8789)"
SAINT_DENIS_AREA = (
    "SRID=4326;POLYGON((55.447 -20.880, 55.449 -20.880, 55.449 -20.878, 55.447 -20.878, "
    "55.447 -20.880))"
)
SAINT_PAUL_POINT = "SRID=4326;POINT(55.2700 -21.0096)"
TILE = (14, 10715, 9163)  # holds the Saint-Denis points


def body(response) -> dict:
    content = b"".join(response.streaming_content) if response.streaming else response.content
    return json.loads(content)


def titles(response) -> set[str]:
    assert response.status_code == 200, response.content[:300]
    return {f["properties"]["title"] for f in body(response)["features"]}


def raw(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def proposal(space: Space, title: str, status: str, location=None, **fields) -> Proposal:
    return Proposal.objects.create(space=space, title=title, body="Texte secret du corps",
                                   method="majority", status=status, location=location,
                                   **fields)  # fmt: skip


@pytest.fixture
def spaces(reunion_communes) -> dict[str, Space]:
    return {
        code: Space.objects.create(
            commune=Commune.objects.get(code=code), title=f"Espace {code}", eligibility="residents"
        )  # fmt: skip
        for code in ("97411", "97415")
    }


@pytest.fixture
def proposals(spaces) -> dict[str, Proposal]:
    denis, paul = spaces["97411"], spaces["97415"]
    made = {
        "debate": proposal(denis, "Un marché couvert", "debate", SAINT_DENIS_AREA,
                           category="commerce", tags=["marché"],
                           closes_at="2030-06-30T18:00:00+04:00"),
        "voting": proposal(denis, "Des bancs au Barachois", "voting", SAINT_DENIS_POINT,
                           category="mobilier", closes_at="2030-03-01T18:00:00+04:00"),
        "paul": proposal(paul, "Une piste cyclable", "voting", SAINT_PAUL_POINT,
                         category="mobilité"),
        "draft": proposal(denis, "Brouillon confidentiel", "draft", SAINT_DENIS_POINT),
        "withdrawn": proposal(denis, "Retirée par la modération", "withdrawn",
                              SAINT_DENIS_POINT, withdrawn_reason="injurieux"),
        "withdrawn-archived": proposal(denis, "Retirée puis archivée", "archived",
                                       SAINT_DENIS_POINT),
        "unlocated": proposal(denis, "Sans lieu", "debate"),
    }  # fmt: skip
    decided = proposal(denis, "Décidée et archivée", "archived", SAINT_DENIS_POINT)
    Resolution.objects.create(proposal=decided, outcome="adopted", results={"voters": 0})
    made["archived"] = decided
    return made


PUBLIC = {"Un marché couvert", "Des bancs au Barachois", "Une piste cyclable",
          "Décidée et archivée"}  # fmt: skip


def test_only_public_located_proposals_are_on_the_layer(client, proposals):
    content = raw(client.get("/api/layers/proposals.geojson"))
    features = {f["properties"]["title"]: f for f in json.loads(content)["features"]}
    assert set(features) == PUBLIC
    market = features["Un marché couvert"]
    assert market["geometry"]["type"] == "Point"  # the area's marker: a point inside it
    assert market["properties"]["shape"] == "polygon"
    assert market["properties"]["space_title"] == "Espace 97411"
    assert market["properties"]["url"] == f"/propositions/{proposals['debate'].pk}/"
    assert features["Décidée et archivée"]["properties"]["outcome"] == "adopted"
    assert "author" not in market["properties"] and "body" not in market["properties"]
    assert b"Texte secret du corps" not in content


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ("status=voting", {"Des bancs au Barachois", "Une piste cyclable"}),
        ("status=debate,closed", {"Un marché couvert"}),
        ("category=commerce,mobilité", {"Un marché couvert", "Une piste cyclable"}),
        ("tags=marché", {"Un marché couvert"}),
        ("commune=97415", {"Une piste cyclable"}),
        ("departement=974", PUBLIC),
        ("q=barachois", {"Des bancs au Barachois"}),
        # Still open after 2030-04-01: the market (closes in June) and those with no close date.
        ("start=2030-04-01", PUBLIC - {"Des bancs au Barachois"}),
        ("end=2000-01-01", set()),
        ("bbox=55.2,-21.1,55.3,-21.0", {"Une piste cyclable"}),
    ],
)
def test_the_filters_narrow_the_proposals(client, proposals, spaces, params, expected):
    assert titles(client.get(f"/api/layers/proposals.geojson?{params}")) == expected


def test_the_space_filter_takes_ids(client, proposals, spaces):
    url = f"/api/layers/proposals.geojson?space={spaces['97415'].pk}"
    assert titles(client.get(url)) == {"Une piste cyclable"}


@pytest.mark.parametrize(
    ("params", "reason"),
    [
        ("status=draft", "unknown status draft"),
        ("status=withdrawn", "unknown status withdrawn"),
        ("space=abc", "space takes participation space ids"),
        ("kind=event", "does not apply"),
        ("proposal=1", "unknown parameter"),
    ],
)
def test_a_bad_filter_is_a_problem_naming_the_reason(client, proposals, params, reason):
    response = client.get(f"/api/layers/proposals.geojson?{params}")
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    assert reason in response.json()["detail"]


@pytest.mark.parametrize("fmt", ["csv", "gpkg", "kml"])
def test_the_proposals_export_like_every_layer(client, proposals, fmt):
    response = client.get(f"/api/layers/proposals.{fmt}?status=voting")
    assert response.status_code == 200
    content = b"".join(response.streaming_content)
    assert content
    if fmt in ("csv", "kml"):
        assert b"Des bancs au Barachois" in content
        assert b"Brouillon" not in content


def test_the_proposals_tile_holds_the_public_markers_only(client, proposals):
    z, x, y = TILE
    response = client.get(f"/tiles/proposals/{z}/{x}/{y}.pbf")
    assert response.status_code == 200
    layer = mapbox_vector_tile.decode(response.content)["proposals"]
    names = {f["properties"]["title"] for f in layer["features"]}
    assert names == {"Un marché couvert", "Des bancs au Barachois", "Décidée et archivée"}
    assert client.get(f"/tiles/proposals/{z}/{x}/{y}.pbf?status=debate").status_code == 200


def test_the_proposals_are_an_ogc_collection_with_their_dates(client, proposals):
    collection = client.get("/ogc/collections/proposals").json()
    assert collection["extent"]["temporal"]["interval"][0][1] == "2030-06-30T14:00:00Z"
    items = body(client.get("/ogc/collections/proposals/items?status=voting&limit=50"))
    assert {f["properties"]["title"] for f in items["features"]} == {
        "Des bancs au Barachois", "Une piste cyclable"}  # fmt: skip
    draft = client.get(f"/ogc/collections/proposals/items/{proposals['draft'].pk}")
    assert draft.status_code == 404
    one = client.get(f"/ogc/collections/proposals/items/{proposals['voting'].pk}")
    assert one.json()["properties"]["status"] == "voting"
    openapi = client.get("/ogc/api").json()
    parameters = openapi["paths"]["/collections/proposals/items"]["get"]["parameters"]
    assert {"space", "status", "category", "tags", "datetime"} <= {p["name"] for p in parameters}


# The per-commune results of a département-wide vote.


def ballots(proposal: Proposal, code: str, choices: list[str]) -> None:
    commune = Commune.objects.get(code=code)
    for i, choice in enumerate(choices):
        voter = User.objects.create_user(f"v{code}-{i}")
        Vote.objects.create(proposal=proposal, voter=voter, commune=commune, choice=choice)


@pytest.fixture
def decided(reunion_communes) -> Proposal:
    import_cog()
    space = Space.objects.create(departement=Departement.objects.get(code="974"),
                                 title="La Réunion", eligibility="residents")  # fmt: skip
    vote = proposal(space, "Un tram régional", "voting")
    ballots(vote, "97411", ["for"] * 5 + ["against"] * 2)  # Saint-Denis: adopted there
    ballots(vote, "97415", ["against"] * 6)  # Saint-Paul: rejected there
    ballots(vote, "97407", ["for"] * 3)  # Le Port: too few votes
    # Saint-Benoît too: 5 hidden in all, so no commune shown must be hidden to protect them
    ballots(vote, "97410", ["blank"] * 2)
    apply(vote.pk, "closed")
    return vote


def test_the_results_layer_gives_each_commune_its_result_or_too_few_votes(client, decided):
    response = client.get(f"/api/layers/proposal-results.geojson?proposal={decided.pk}")
    assert response.status_code == 200
    features = {f["properties"]["code"]: f for f in body(response)["features"]}
    assert len(features) == 24  # every commune of the territory, each with its boundary
    denis = features["97411"]["properties"]
    assert features["97411"]["geometry"]["type"] == "MultiPolygon"
    assert (denis["commune_outcome"], denis["for"], denis["against"], denis["voters"]) == (
        "adopted", 5, 2, 7)  # fmt: skip
    assert denis["for_share"] == pytest.approx(5 / 7, abs=1e-4)
    assert denis["participation"] is not None  # 7 of Saint-Denis: 0.0 to 4 decimals
    assert features["97415"]["properties"]["commune_outcome"] == "rejected"
    port = features["97407"]["properties"]
    assert port["too_few_votes"] is True and port["commune_outcome"] == "too_few_votes"
    assert [port[k] for k in ("voters", "for", "against", "blank", "for_share",
                              "participation")] == [None] * 6  # fmt: skip
    assert denis["outcome"] == decided.resolution.outcome


def test_no_results_while_voting_nor_for_a_space_of_one_commune(client, proposals, decided):
    Vote.objects.create(proposal=proposals["voting"], voter=User.objects.create_user("x"),
                        commune=Commune.objects.get(code="97411"), choice="for")  # fmt: skip
    response = client.get("/api/layers/proposal-results.geojson")
    assert {f["properties"]["proposal"] for f in body(response)["features"]} == {decided.pk}
    apply(proposals["voting"].pk, "closed")
    response = client.get(f"/api/layers/proposal-results.geojson?proposal={proposals['voting'].pk}")
    assert body(response)["features"] == []


def test_the_results_layer_is_tiled_exported_and_served_by_ogc(client, decided):
    z, x, y = TILE
    tile = client.get(f"/tiles/proposal-results/{z}/{x}/{y}.pbf?proposal={decided.pk}")
    assert tile.status_code == 200
    features = mapbox_vector_tile.decode(tile.content)["proposal-results"]["features"]
    assert {f["properties"]["code"] for f in features} >= {"97411"}
    low = client.get(f"/tiles/proposal-results/7/{(55.5 + 180) / 360 * 128:.0f}/71.pbf")
    assert low.status_code in (200, 204)
    csv = client.get(f"/api/layers/proposal-results.csv?proposal={decided.pk}&commune=97411")
    assert b"97411" in b"".join(csv.streaming_content)
    items = body(client.get(f"/ogc/collections/proposal-results/items?proposal={decided.pk}"))
    assert items["numberMatched"] == 24
    bad = client.get("/api/layers/proposal-results.geojson?proposal=0")
    assert bad.status_code == 400


def test_near_me_includes_public_proposals_never_drafts(client, proposals, spaces):
    proposal(spaces["97415"], "Brouillon de Saint-Paul", "draft", SAINT_PAUL_POINT)
    response = client.get("/api/nearby", {"lat": "-21.0095", "lon": "55.2700", "limit": "5"})
    assert response.status_code == 200
    rows = response.json()["results"]
    assert rows[0]["name"] == "Une piste cyclable" and rows[0]["layer"] == "proposals"
    assert rows[0]["status"] == "voting" and rows[0]["distance_m"] < 20
    assert "Brouillon de Saint-Paul" not in {r["name"] for r in rows}
    far = client.get("/api/nearby", {"lat": "-21.0095", "lon": "55.2700", "radius": "1000"})
    assert [r["name"] for r in far.json()["results"]] == ["Une piste cyclable"]
