"""The per-commune results choropleth in a real browser: the partial of ``{% results_map %}``
draws the ``proposal-results`` vector tiles; a commune under 5 voters is "too few votes"."""

import pytest
from django.contrib.auth.models import User
from django.template import Context, Template
from playwright.sync_api import expect

from geo_civic.participation.lifecycle import apply
from geo_civic.participation.models import Proposal, Space, Vote
from geo_civic.territories.models import Commune, Departement
from importers.cog import import_cog
from importers.communes import import_communes
from tests.conftest import REUNION

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PAGE = """<!doctype html><html lang="fr"><head><meta charset="utf-8"></head><body>
<script src="/jsi18n/"></script>{partial}</body></html>"""


def test_the_results_map_colours_communes_and_hides_small_ones(live_server, page, test_data):
    import_communes(test_data(REUNION))
    import_cog()
    space = Space.objects.create(departement=Departement.objects.get(code="974"),
                                 title="La Réunion", eligibility="residents")  # fmt: skip
    proposal = Proposal.objects.create(space=space, title="Tram", body="b", method="majority",
                                       status="voting")  # fmt: skip
    for code, choices in (("97411", ["for"] * 6), ("97415", ["against"] * 5), ("97407", ["for"])):
        commune = Commune.objects.get(code=code)
        for i, choice in enumerate(choices):
            voter = User.objects.create_user(f"v{code}-{i}")
            Vote.objects.create(proposal=proposal, voter=voter, commune=commune, choice=choice)
    apply(proposal.pk, "closed")
    partial = Template("{% load results_map %}{% results_map proposal %}").render(
        Context({"proposal": proposal})
    )
    url = f"{live_server.url}/results-map-test/"
    page.route(url, lambda route: route.fulfill(
        status=200, content_type="text/html", body=PAGE.format(partial=partial)))  # fmt: skip
    page.goto(url)
    expect(page.locator("[data-results-map][data-ready]")).to_have_count(1)
    expect(page.locator(".results-legend")).to_contain_text("trop peu de votes")
    inside = {code: Commune.objects.get(code=code).boundary.point_on_surface
              for code in ("97411", "97407")}  # fmt: skip
    where = [inside["97411"].y, inside["97411"].x, inside["97407"].y, inside["97407"].x]
    picked = page.evaluate(
        """async ([denisLat, denisLng, portLat, portLng]) => {
            const { map, layer } = await window.geocivicResultsMaps[0];
            const at = (lat, lng) => {
                for (const found of layer.queryTileFeaturesDebug(lng, lat).values())
                    for (const { feature, layerName } of found)
                        if (layerName === "proposal-results") return feature.props;
                return null;
            };
            const both = () => at(denisLat, denisLng) && at(portLat, portLng);
            for (let i = 0; i < 50 && !both(); i++)
                await new Promise((done) => setTimeout(done, 200));
            const denis = at(denisLat, denisLng);
            return { denis, port: at(portLat, portLng), zoom: map.getZoom() };
        }""",
        where,
    )
    assert picked["denis"]["code"] == "97411" and picked["denis"]["commune_outcome"] == "adopted"
    assert picked["port"]["code"] == "97407" and picked["port"]["too_few_votes"] is True
    assert "voters" not in picked["port"] and "for" not in picked["port"]
    assert page.errors == []
