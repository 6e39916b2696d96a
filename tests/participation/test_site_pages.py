"""The site's pages of local democracy, through the test client, for each role: anonymous,
resident elsewhere, resident, verified resident, author, moderator. Forms post with CSRF (the
client enforces it here) and every refusal leaves the database as it was."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from geo_civic.participation.lifecycle import apply
from geo_civic.participation.models import (
    Amendment,
    Comment,
    Option,
    Proposal,
    Residence,
    Space,
    Version,
    Vote,
)
from importers.cog import import_cog
from tests.participation.conftest import SAINT_PAUL, live_in, person, saint_paul

pytestmark = pytest.mark.django_db

POINT_IN_SAINT_PAUL = '{"type": "Point", "coordinates": [55.27, -21.0096]}'
POINT_IN_SAINT_DENIS = '{"type": "Point", "coordinates": [55.4504, -20.8823]}'


def browser(user=None, language: str = "en") -> Client:
    """A client that checks CSRF like a browser, signed in as ``user``, in ``language``."""
    client = Client(enforce_csrf_checks=True, HTTP_ACCEPT_LANGUAGE=language)
    if user is not None:
        client.force_login(user)
    return client


def submit(client: Client, url: str, data: dict, page: str | None = None):
    """Post ``data`` as the form of ``page`` (default ``url``) would: with its CSRF token."""
    html = client.get(page or url).content.decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)
    assert token, f"no form with a CSRF token on {page or url}"
    return client.post(url, {**data, "csrfmiddlewaretoken": token[1]})


def text(response) -> str:
    return response.content.decode()


@pytest.fixture
def proposal(roles, space) -> Proposal:
    """A proposal of the author's, in debate."""
    client = browser(roles["author"])
    response = submit(client, f"/espaces/{space.pk}/proposer/", {
        "title": "Un jardin partagé", "body": "Nous proposons un **jardin** partagé.",
        "method": "majority", "threshold": "50", "location": POINT_IN_SAINT_PAUL,
    })  # fmt: skip
    assert response.status_code == 302, text(response)
    found = Proposal.objects.get()
    apply(found.pk, "debate", by=roles["moderator"])
    return found


# Where I live ----------------------------------------------------------------------------------


def test_where_i_live_keeps_the_commune_and_never_shows_the_point(roles):
    client = browser(person("nouvelle"))
    assert browser().get("/ma-residence/").status_code == 302  # anonymous: log in first
    page = client.get("/ma-residence/")
    assert "You have not said where you live yet" in text(page)
    response = submit(client, "/ma-residence/", {"latitude": "-21.0096", "longitude": "55.27"})
    assert response.status_code == 302
    page = client.get("/ma-residence/")
    assert 'id="commune-name">Saint-Paul<' in text(page)
    for secret in ("55.27", "21.0096", "-21.00960", "55.270000"):
        assert secret not in text(page)
    # A move ends the taking part where one left, and says so.
    moved = submit(client, "/ma-residence/", {"address": "97411 Saint-Denis"})
    assert moved.status_code == 302
    page = client.get("/ma-residence/")
    assert "You moved: you no longer take part in Saint-Paul." in text(page)
    assert 'id="commune-name">Saint-Denis<' in text(page)


def test_a_point_at_sea_or_nothing_is_refused_next_to_the_form(roles):
    client = browser(roles["resident"], "fr")
    at_sea = submit(client, "/ma-residence/", {"latitude": "-21.5", "longitude": "54.0"})
    assert at_sea.status_code == 200
    assert 'id="error-summary"' in text(at_sea)
    assert "Ce lieu n’est dans aucune commune connue." in text(at_sea)
    empty = submit(client, "/ma-residence/", {"address": ""})
    assert "Donnez votre adresse ou touchez la carte" in text(empty)
    assert Residence.objects.get(user=roles["resident"]).commune.code == "97415"


# Spaces --------------------------------------------------------------------------------------


def test_the_space_page_says_why_each_one_may_or_may_not_take_part(roles, space):
    url = f"/espaces/{space.pk}/"
    said = {
        "anonymous": "Log in to take part.",
        "elsewhere": "you live in Saint-Denis.",
        "resident": "You live in the territory: you may take part.",
        "member": "say where you live first.",
    }
    for role, sentence in said.items():
        page = browser(roles[role]).get(url)
        assert page.status_code == 200
        assert sentence in text(page), role
        assert ('id="propose"' in text(page)) == (role == "resident"), role
    verified_only = Space.objects.create(commune=saint_paul(), title="Vérifiés",
                                         eligibility="verified_residents")  # fmt: skip
    page = browser(roles["resident"]).get(f"/espaces/{verified_only.pk}/")
    assert "Only verified residents take part" in text(page)
    assert 'id="propose"' not in text(page)
    assert 'id="verify-form"' not in text(page)
    assert 'id="verify-form"' in text(browser(roles["moderator"]).get(url))
    listed = browser().get("/espaces/?commune=97415")
    assert "Saint-Paul décide" in text(listed) and "Vérifiés" in text(listed)
    assert browser().get("/espaces/?commune=00000").status_code == 404


def test_only_a_moderator_of_the_territory_opens_a_space(roles):
    form = {"territory": "commune", "code": "97415", "title": "Budget participatif",
            "eligibility": "residents", "method": "approval", "threshold": "50",
            "debate_days": "7", "voting_days": "7"}  # fmt: skip
    for role in ("resident", "other_moderator"):
        refused = submit(browser(roles[role]), "/espaces/ouvrir/", form)
        assert refused.status_code == 200
        assert 'id="error-summary"' in text(refused), role
        assert "You are not allowed to do this" in text(refused), role
    unknown = submit(browser(roles["moderator"]), "/espaces/ouvrir/", {**form, "code": "99999"})
    assert "No territory or actor has this code." in text(unknown)
    assert Space.objects.count() == 0
    made = submit(browser(roles["moderator"]), "/espaces/ouvrir/", form)
    assert made.status_code == 302
    space = Space.objects.get()
    assert (space.commune.code, space.method, space.debate_days) == ("97415", "approval", 7)


def test_a_moderator_verifies_a_resident_of_their_commune_only(roles, space):
    url = f"/espaces/{space.pk}/verifier/"
    page = f"/espaces/{space.pk}/"
    refused = submit(browser(roles["other_moderator"]), url, {"username": "paula",
                                                               "verified": "1"}, page)  # fmt: skip
    assert refused.status_code == 302
    assert not Residence.objects.get(user=roles["resident"]).verified
    client = browser(roles["moderator"])
    done = submit(client, url, {"username": "paula", "verified": "1"}, page)
    assert done.status_code == 302
    assert Residence.objects.get(user=roles["resident"]).verified
    assert "paula is a verified resident." in text(client.get(page))
    resident = browser(roles["resident"])
    submit(resident, url, {"username": "vera", "verified": ""}, "/ma-residence/")
    assert Residence.objects.get(user=roles["verified"]).verified  # a resident verifies nobody


# Proposals -----------------------------------------------------------------------------------


def test_a_resident_proposes_with_a_location_inside_the_territory_only(roles, space):
    url = f"/espaces/{space.pk}/proposer/"
    form = {"title": "Des bancs au marché", "body": "Des *bancs*.", "method": "majority",
            "threshold": "67", "tags": "marché, bancs", "category": "espace public"}  # fmt: skip
    outside = submit(
        browser(roles["resident"], "fr"), url, {**form, "location": POINT_IN_SAINT_DENIS}
    )
    assert outside.status_code == 200
    assert 'id="location-error"' in text(outside)
    assert "pas dans le territoire de l’espace" in text(outside)
    assert Proposal.objects.count() == 0
    elsewhere = browser(roles["elsewhere"])
    assert "you live in Saint-Denis" in text(elsewhere.get(url))
    token = re.search(
        r'name="csrfmiddlewaretoken" value="([^"]+)"', text(elsewhere.get("/espaces/"))
    )
    refused = elsewhere.post(url, {**form, "csrfmiddlewaretoken": token[1]})
    assert refused.status_code == 200 and Proposal.objects.count() == 0
    area = ('{"type": "Polygon", "coordinates": [[[55.295, -21.045], [55.305, -21.045], '
            '[55.305, -21.055], [55.295, -21.045]]]}')  # fmt: skip
    made = submit(browser(roles["resident"]), url, {**form, "location": area})
    assert made.status_code == 302
    proposal = Proposal.objects.get()
    assert (proposal.status, proposal.threshold, proposal.tags) == (
        "draft",
        67,
        ["marché", "bancs"],
    )
    assert proposal.location.geom_type == "Polygon"
    # A draft is its author's and the moderators' alone.
    assert browser(roles["verified"]).get(f"/propositions/{proposal.pk}/").status_code == 404
    assert browser(roles["moderator"]).get(f"/propositions/{proposal.pk}/").status_code == 200
    page = browser(roles["resident"]).get(f"/propositions/{proposal.pk}/")
    assert "<em>bancs</em>" in text(page)


def test_an_unsafe_text_is_sanitised(roles, space):
    body = "Voir <script>alert(1)</script> [ici](javascript:alert(1))"
    submit(browser(roles["resident"]), f"/espaces/{space.pk}/proposer/",
           {"title": "T", "body": body, "method": "majority", "threshold": "50"})  # fmt: skip
    proposal = Proposal.objects.get()
    page = text(browser(roles["resident"]).get(f"/propositions/{proposal.pk}/"))
    assert "<script>alert" not in page and 'href="javascript:' not in page


def test_the_debate_comments_replies_edits_and_moderation(roles, proposal):
    url = f"/propositions/{proposal.pk}/"
    resident = browser(roles["resident"])
    submit(resident, f"{url}commenter/", {"body": "Bonne idée !"}, url)
    first = Comment.objects.get()
    submit(browser(roles["verified"]), f"{url}commenter/", {"body": "D’accord.",
                                                           "parent": first.pk}, url)  # fmt: skip
    assert Comment.objects.get(parent=first).body == "D’accord."
    # Someone else's comment cannot be edited; one's own can, and the old text is kept.
    submit(browser(roles["verified"]), f"{url}commentaires/{first.pk}/modifier/",
           {"body": "piraté"}, url)  # fmt: skip
    submit(resident, f"{url}commentaires/{first.pk}/modifier/", {"body": "Très bonne idée !"}, url)
    first.refresh_from_db()
    assert first.body == "Très bonne idée !" and first.edits.get().body == "Bonne idée !"
    # Outsiders and anonymous people cannot comment.
    submit(browser(roles["elsewhere"]), f"{url}commenter/", {"body": "intrus"}, url)
    assert browser().post(f"{url}commenter/", {"body": "x"}).status_code == 403  # CSRF first
    assert Comment.objects.count() == 2
    # A resident cannot hide; the moderator can, and the reason shows in its place.
    submit(resident, f"{url}commentaires/{first.pk}/masquer/", {"reason": "non"}, url)
    assert Comment.objects.get(pk=first.pk).hidden_reason == ""
    submit(browser(roles["moderator"]), f"{url}commentaires/{first.pk}/masquer/",
           {"reason": "hors sujet"}, url)  # fmt: skip
    page = text(browser().get(url))
    assert "Hidden by a moderator: hors sujet" in page and "Très bonne idée" not in page
    assert "D’accord." in page


def test_an_amendment_is_voted_then_merged_into_a_new_version_shown_as_a_diff(roles, proposal):
    url = f"/propositions/{proposal.pk}/"
    amended = "Nous proposons un **grand jardin** partagé."
    submit(browser(roles["resident"]), f"{url}amender/", {"body": amended}, url)
    amendment = Amendment.objects.get()
    page = text(browser().get(url))
    assert '<del><span class="visually-hidden">removed: </span>**jardin**</del>' in page
    assert '<ins><span class="visually-hidden">added: </span>**grand jardin**</ins>' in page
    for role in ("resident", "verified", "author"):
        submit(browser(roles[role]), f"{url}amendements/{amendment.pk}/voter/",
               {"choice": "for"}, url)  # fmt: skip
    submit(browser(roles["elsewhere"]), f"{url}amendements/{amendment.pk}/voter/",
           {"choice": "against"}, url)  # fmt: skip
    assert amendment.votes.count() == 3
    moderator = browser(roles["moderator"])
    assert 'id="to-voting"' in text(moderator.get(url))
    assert 'id="to-voting"' not in text(browser(roles["author"]).get(url))
    submit(moderator, f"{url}etat/", {"to": "voting"}, url)
    assert Version.objects.filter(proposal=proposal).count() == 2
    page = text(browser().get(url))
    assert "Text (version 2)" in page and "<strong>grand jardin</strong>" in page
    assert 'id="version-diff"' in page
    compared = text(browser().get(f"{url}?from=2&to=1"))
    assert '<ins><span class="visually-hidden">added: </span>**jardin**</ins>' in compared


def test_withdrawing_needs_a_reason_and_only_a_moderator_moves_a_proposal_on(roles, proposal):
    url = f"/propositions/{proposal.pk}/"
    submit(browser(roles["author"]), f"{url}etat/", {"to": "voting"}, url)
    moderator = browser(roles["moderator"])
    submit(moderator, f"{url}etat/", {"to": "withdrawn", "reason": ""}, url)
    proposal.refresh_from_db()
    assert proposal.status == "debate"
    submit(moderator, f"{url}etat/", {"to": "withdrawn", "reason": "doublon"}, url)
    proposal.refresh_from_db()
    assert proposal.status == "withdrawn"
    assert "Withdrawn: doublon" in text(browser().get(url))


def test_the_voter_alone_sees_their_ballot_and_tallies_wait_for_the_close(roles, proposal):
    url = f"/propositions/{proposal.pk}/"
    apply(proposal.pk, "voting")
    early = submit(browser(roles["elsewhere"]), f"{url}voter/", {"choice": "for"}, url)
    assert early.status_code == 302 and Vote.objects.count() == 0
    resident = browser(roles["resident"])
    submit(resident, f"{url}voter/", {"choice": "against"}, url)
    page = text(resident.get(url))
    assert "You voted; you may change your vote until" in page
    assert 'value="against" required checked' in page
    submit(resident, f"{url}voter/", {"choice": "for"}, url)
    assert Vote.objects.get().choice == "for"
    submit(browser(roles["verified"]), f"{url}voter/", {"choice": "against"}, url)
    # Others see neither ballot, only the number of voters while the vote is open.
    other = text(browser(roles["author"]).get(url))
    assert "You voted" not in other and " checked" not in other
    assert "2 voters" in other and 'id="tally-for"' not in other
    apply(proposal.pk, "closed")
    closed = text(browser().get(url))
    assert 'id="tally-for">1<' in closed and 'id="tally-against">1<' in closed
    assert "Result: rejected" in closed


def test_judgement_and_budget_ballots_through_their_forms(roles, space):
    judged = Proposal.objects.create(space=space, title="Nom de la place", body="b",
                                     method="judgement", status="voting")  # fmt: skip
    a, b = (Option.objects.create(proposal=judged, position=i, label=label)
            for i, label in enumerate(("Place Verte", "Place du Marché")))  # fmt: skip
    url = f"/propositions/{judged.pk}/"
    resident = browser(roles["resident"], "fr")
    page = text(resident.get(url))
    assert "Très bien" in page and "À rejeter" in page
    submit(resident, f"{url}voter/", {f"grade-{a.pk}": "tres_bien"}, url)
    assert "Donnez une mention à chaque option." in text(resident.get(url))
    submit(
        resident, f"{url}voter/", {f"grade-{a.pk}": "tres_bien", f"grade-{b.pk}": "passable"}, url
    )
    vote = Vote.objects.get(proposal=judged)
    assert vote.grades == {str(a.pk): 1, str(b.pk): 4}
    apply(judged.pk, "closed")
    ranked = text(browser(language="fr").get(f"/propositions/{judged.pk}/"))
    assert "Résultat : une option a été choisie" in ranked
    assert '<th scope="row">Place Verte</th><td>Très bien<br>' in ranked
    assert "Passable 1" in ranked
    budget = Proposal.objects.create(space=space, title="Budget", body="b", method="approval",
                                     status="voting", budget=100)  # fmt: skip
    x, y = (Option.objects.create(proposal=budget, position=i, label=label, cost=60)
            for i, label in enumerate(("Aire de jeux", "Fontaine")))  # fmt: skip
    url = f"/propositions/{budget.pk}/"
    submit(resident, f"{url}voter/", {"approve": [str(x.pk)]}, url)
    assert Vote.objects.get(proposal=budget).approvals == [x.pk]
    apply(budget.pk, "closed")
    page = text(browser(language="en").get(url))
    assert "Projects (60 spent of 100)" in page and "not funded" in page


def test_a_wide_space_breaks_results_down_by_commune_with_too_few_votes_hidden(roles):
    import_cog()  # the EPCIs and the population
    epci = saint_paul().epci
    space = Space.objects.create(epci=epci, title="TCO décide", eligibility="residents")
    proposal = Proposal.objects.create(space=space, title="Piste cyclable", body="b",
                                       method="majority", status="voting")  # fmt: skip
    url = f"/propositions/{proposal.pk}/"
    for index in range(6):
        voter = person(f"voisin-{index}")
        live_in(voter, *SAINT_PAUL)
        submit(browser(voter), f"{url}voter/", {"choice": "for"}, url)
    assert Vote.objects.count() == 6
    apply(proposal.pk, "closed")
    page = text(browser().get(url))
    table = page[page.index('id="by-commune"') :]
    assert '<th scope="row">Saint-Paul</th><td>6</td><td>0</td><td>0</td><td>6</td>' in table
    assert '<th scope="row">Port</th><td colspan="4">too few votes</td>' in table


def test_the_commune_page_lists_its_spaces_and_open_proposals(roles, proposal):
    page = text(browser().get("/communes/97415/"))
    assert 'id="commune-spaces"' in page and "Saint-Paul décide" in page
    assert "Un jardin partagé" in page
    assert "Saint-Paul décide" not in text(browser().get("/communes/97411/"))


def test_the_forms_post_to_the_site_not_to_the_api(roles, proposal):
    """Every form of a proposal's page posts to a page of the site (the API has its own names)."""
    apply(proposal.pk, "voting")
    for role in ("resident", "moderator"):
        live_in(roles["moderator"], *SAINT_PAUL)  # the moderator votes too, as a resident
        page = text(browser(roles[role]).get(f"/propositions/{proposal.pk}/"))
        actions = re.findall(r'<form method="post" action="([^"]+)"', page)
        assert actions, role
        assert not [a for a in actions if a.startswith("/api/")], actions
        assert f"/propositions/{proposal.pk}/voter/" in actions


def test_the_site_writes_follow_the_apis_write_rate(roles, proposal, settings):
    settings.GEO_CIVIC_THROTTLE = True
    settings.GEO_CIVIC_THROTTLE_RATES = {**settings.GEO_CIVIC_THROTTLE_RATES, "write": "2/min"}
    url = f"/propositions/{proposal.pk}/"
    client = browser(roles["resident"], "fr")
    answers = [submit(client, f"{url}commenter/", {"body": f"n° {i}"}, url) for i in range(3)]
    assert [a.status_code for a in answers] == [302, 302, 429]
    assert answers[2]["Retry-After"]
    assert Comment.objects.count() == 2


def test_hostile_ballots_and_shapes_are_refused_with_a_reason(roles, proposal, space):
    url = f"/propositions/{proposal.pk}/"
    apply(proposal.pk, "voting")
    client = browser(roles["resident"])
    for data in ({"choice": "peut-être"}, {"choice": ""}, {}):
        answer = submit(client, f"{url}voter/", data, url)
        assert answer.status_code == 302
    assert Vote.objects.count() == 0
    page = text(client.get(url))
    assert "Choose for, against or blank." in page
    form = {"title": "T", "body": "b", "method": "majority", "threshold": "50"}
    for shape in ("{", '{"type": "LineString", "coordinates": [[55.3, -21.05], [55.31, -21.05]]}',
                  '{"type": "Point", "coordinates": [1e999, 0]}'):  # fmt: skip
        refused = submit(client, f"/espaces/{space.pk}/proposer/", {**form, "location": shape})
        assert refused.status_code == 200 and 'id="location-error"' in text(refused), shape
    refused = submit(client, f"/espaces/{space.pk}/proposer/", {**form, "threshold": "51"})
    assert 'id="id_threshold_error"' in text(refused)
    assert Proposal.objects.count() == 1


def test_the_private_address_search_of_where_i_live(roles):
    client = browser(roles["resident"])
    found = client.get("/ma-residence/geocoder/", {"q": "97460 Saint-Paul"})
    assert found.status_code == 200 and "Saint-Paul" in found.json()["label"]
    assert client.get("/ma-residence/geocoder/", {"q": ""}).status_code == 400
    assert browser().get("/ma-residence/geocoder/", {"q": "Saint-Paul"}).status_code == 302


def test_a_moderator_sets_the_date_the_vote_closes_when_opening_it(roles, proposal, settings):
    url = f"/propositions/{proposal.pk}/"
    moderator = browser(roles["moderator"])
    submit(moderator, f"{url}etat/", {"to": "voting", "closes_at": "2020-01-01T10:00"}, url)
    proposal.refresh_from_db()
    assert proposal.status == "debate"  # a date in the past is refused, nothing changes
    submit(moderator, f"{url}etat/", {"to": "voting", "closes_at": "2099-06-30T18:00"}, url)
    proposal.refresh_from_db()
    assert proposal.status == "voting"
    assert proposal.closes_at.isoformat() == "2099-06-30T14:00:00+00:00"  # 18:00 at La Réunion
    assert "Vote closes on" in text(browser().get(url))


def test_refusals_are_said_in_the_readers_language(roles, proposal):
    url = f"/propositions/{proposal.pk}/"
    client = browser(roles["resident"], "fr")
    same = submit(client, f"{url}amender/", {"body": proposal.body}, url)
    assert same.status_code == 302
    assert "Le texte amendé est identique au texte actuel." in text(client.get(url))
    early = submit(client, f"{url}voter/", {"choice": "for"}, url)
    assert early.status_code == 302
    assert "Le vote n’est pas ouvert." in text(client.get(url))
    moderator = browser(roles["moderator"], "fr")
    submit(moderator, f"{url}etat/", {"to": "withdrawn", "reason": " "}, url)
    assert "Un retrait donne son motif." in text(moderator.get(url))


def test_the_example_consultation_reads_well_on_every_page(reunion_communes):
    """`make demo`'s Saint-Paul example: every page of it answers, in both languages."""
    from geo_civic.participation.example import load_example_consultation

    assert load_example_consultation()
    space = Space.objects.get()
    urls = [f"/espaces/{space.pk}/", "/espaces/?commune=97415", "/communes/97415/",
            *(f"/propositions/{p.pk}/" for p in space.proposals.all())]  # fmt: skip
    for language in ("fr", "en"):
        for url in urls:
            assert browser(language=language).get(url).status_code == 200, (language, url)
    garden = text(browser(language="fr").get(f"/propositions/{space.proposals.last().pk}/"))
    assert "Résultat : adoptée" in garden and "Texte (version 2)" in garden
    assert "Avec un composteur collectif." in garden
