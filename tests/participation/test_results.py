"""Results through ``/api/v1/``: tallies only once closed and frozen, per commune of residence
for a space above one commune with small communes never broken down, quorum, judgement and
participatory budget outcomes."""

from __future__ import annotations

import pytest

from geo_civic.participation.models import Proposal, Space, Vote
from geo_civic.territories.models import Commune, Departement
from importers.cog import import_cog
from tests.participation.conftest import as_, feature, live_in, person, post

pytestmark = pytest.mark.django_db


def inside(code: str) -> tuple[float, float]:
    point = Commune.objects.get(code=code).boundary.point_on_surface
    return point.x, point.y


def voters(n: int, code: str, prefix: str) -> list:
    people = []
    for i in range(n):
        someone = person(f"{prefix}{i}")
        live_in(someone, *inside(code))
        people.append(someone)
    return people


def vote_all(client, proposal, people, ballot) -> None:
    for someone in people:
        response = post(as_(client, someone), f"/api/v1/proposals/{proposal.pk}/vote", ballot)
        assert response.status_code == 201, response.content


def close(proposal) -> dict:
    from geo_civic.participation.lifecycle import apply

    apply(proposal.pk, "closed")
    proposal.refresh_from_db()
    return proposal.resolution.results


@pytest.fixture
def cog(reunion_communes):
    import_cog()


def test_a_departement_vote_is_broken_down_by_commune_but_never_below_five(client, cog):
    space = Space.objects.create(departement=Departement.objects.get(code="974"),
                                 title="La Réunion", eligibility="residents")  # fmt: skip
    proposal = Proposal.objects.create(space=space, title="t", body="b", method="majority",
                                       status="voting", quorum=None)  # fmt: skip
    vote_all(client, proposal, voters(6, "97415", "paul"), {"choice": "for"})
    vote_all(client, proposal, voters(5, "97411", "denis"), {"choice": "against"})
    vote_all(client, proposal, voters(2, "97407", "port"), {"choice": "for"})
    live = client.get(f"/api/v1/proposals/{proposal.pk}/results").json()
    assert live["voters"] == 13 and "for" not in live and "by_commune" not in live
    close(proposal)
    results = client.get(f"/api/v1/proposals/{proposal.pk}/results").json()
    assert (results["for"], results["against"], results["blank"]) == (8, 5, 0)
    assert results["outcome"] == "adopted"
    rows = {row["code"]: row for row in results["by_commune"]}
    assert len(rows) == 24
    assert rows["97415"]["for"] == 6 and rows["97415"]["voters"] == 6
    assert rows["97415"]["participation"] == round(6 / Commune.objects.get(code="97415")
                                                   .population, 4)  # fmt: skip
    # Le Port's 2 voters are too few; hiding them alone would let 13 - 6 - 5 give them away,
    # so the smallest commune shown (Saint-Denis, 5) is hidden too.
    assert rows["97407"] == {"code": "97407", "name": "Port", "too_few_votes": True}
    assert rows["97411"] == {"code": "97411", "name": "Saint-Denis", "too_few_votes": True}
    assert all(row.get("too_few_votes") for code, row in rows.items() if code != "97415")


def test_communes_of_five_voters_or_more_are_shown(client, cog):
    epci = Commune.objects.get(code="97415").epci
    space = Space.objects.create(epci=epci, title="TCO", eligibility="residents")
    proposal = Proposal.objects.create(space=space, title="t", body="b", method="majority",
                                       status="voting", threshold=67)  # fmt: skip
    vote_all(client, proposal, voters(5, "97415", "paul"), {"choice": "for"})
    vote_all(client, proposal, voters(5, "97407", "port"), {"choice": "against"})
    saint_denis = person("denis")
    live_in(saint_denis, *inside("97411"))
    refused = post(as_(client, saint_denis), f"/api/v1/proposals/{proposal.pk}/vote",
                   {"choice": "for"})  # fmt: skip
    assert refused.status_code == 403  # Saint-Denis is not in the TCO
    results = close(proposal)
    rows = {row["code"]: row for row in results["by_commune"]}
    assert set(rows) == set(epci.communes.values_list("code", flat=True))
    assert rows["97415"]["for"] == 5 and rows["97407"]["against"] == 5
    assert Proposal.objects.get(pk=proposal.pk).resolution.outcome == "rejected"  # 50% < 67%


def test_a_quorum_not_reached_is_said(client, cog):
    space = Space.objects.create(commune=Commune.objects.get(code="97415"), title="SP",
                                 eligibility="residents")  # fmt: skip
    proposal = Proposal.objects.create(space=space, title="t", body="b", method="majority",
                                       status="voting", quorum=1)  # fmt: skip
    vote_all(client, proposal, voters(3, "97415", "paul"), {"choice": "for"})
    results = close(proposal)
    assert results["for"] == 3 and results["quorum"] == 1
    assert proposal.resolution.outcome == "no_quorum"  # 3 of ~105,000 inhabitants


def test_the_resolution_freezes_the_tallies(client, cog):
    space = Space.objects.create(commune=Commune.objects.get(code="97415"), title="SP",
                                 eligibility="residents")  # fmt: skip
    proposal = Proposal.objects.create(space=space, title="t", body="b", method="majority",
                                       status="voting")  # fmt: skip
    vote_all(client, proposal, voters(2, "97415", "paul"), {"choice": "for"})
    close(proposal)
    Vote.objects.filter(proposal=proposal).update(choice="against")  # tampering afterwards
    results = client.get(f"/api/v1/proposals/{proposal.pk}/results").json()
    assert results["for"] == 2 and results["outcome"] == "adopted"


def test_majority_judgement_through_the_api(client, reunion_communes, roles, space):
    made = post(as_(client, roles["author"]), "/api/v1/proposals",
                feature(space.pk, method="judgement",
                        options=["Jardin", "Parking", "Aire de jeux"]))  # fmt: skip
    assert made.status_code == 201, made.content
    pk = made.json()["id"]
    jardin, parking, jeux = (o["id"] for o in made.json()["properties"]["options"])
    Proposal.objects.filter(pk=pk).update(status="voting")
    ballots = [
        {str(jardin): "bien", str(parking): "passable", str(jeux): "bien"},
        {str(jardin): "bien", str(parking): "excellent", str(jeux): "tres_bien"},
        {str(jardin): "passable", str(parking): "a_rejeter"},  # jeux left ungraded
    ]
    for i, grades in enumerate(ballots):
        someone = person(f"juge{i}")
        live_in(someone, *inside("97415"))
        response = post(as_(client, someone), f"/api/v1/proposals/{pk}/vote", {"grades": grades})
        assert response.status_code == 201, response.content
    bad = post(client, f"/api/v1/proposals/{pk}/vote", {"grades": {str(jardin): "génial"}})
    assert bad.status_code == 400 and "unknown grade" in bad.json()["detail"]
    results = close(Proposal.objects.get(pk=pk))
    # jardin (Bien, Bien, Passable) → Bien then Passable; jeux (TB, Bien, À rejeter) → Bien then
    # À rejeter: the jardin wins the tie of medians.
    assert [row["label"] for row in results["ranking"]] == ["Jardin", "Aire de jeux", "Parking"]
    assert results["winner"] == jardin
    assert results["ranking"][1]["grades"]["a_rejeter"] == 1


def test_participatory_budget_through_the_api(client, reunion_communes, roles, space):
    projects = [{"label": "Skatepark", "cost": 60_000}, {"label": "Kiosque", "cost": 50_000},
                {"label": "Bancs", "cost": 30_000}]  # fmt: skip
    made = post(as_(client, roles["author"]), "/api/v1/proposals",
                feature(space.pk, method="approval", options=projects, budget=100_000))
    assert made.status_code == 201, made.content  # fmt: skip
    pk = made.json()["id"]
    skate, kiosque, bancs = (o["id"] for o in made.json()["properties"]["options"])
    Proposal.objects.filter(pk=pk).update(status="voting")
    for i, approve in enumerate([[skate, kiosque], [skate, kiosque, bancs], [skate, bancs],
                                 [kiosque]]):  # fmt: skip
        someone = person(f"budget{i}")
        live_in(someone, *inside("97415"))
        response = post(as_(client, someone), f"/api/v1/proposals/{pk}/vote", {"approve": approve})
        assert response.status_code == 201
    assert post(client, f"/api/v1/proposals/{pk}/vote", {"approve": [999999]}).status_code == 400
    results = close(Proposal.objects.get(pk=pk))
    # skate 3 and kiosque 3 approvals: the cheaper kiosque (50k) first, then skate would make
    # 110k and is skipped, bancs (2, 30k) fits: 80k spent.
    assert results["funded"] == [kiosque, bancs] and results["spent"] == 80_000
    funded = {row["label"]: row["funded"] for row in results["projects"]}
    assert funded == {"Kiosque": True, "Skatepark": False, "Bancs": True}
