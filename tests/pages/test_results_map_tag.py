"""``{% results_map proposal %}``: the partial the proposal page includes for its choropleth."""

from types import SimpleNamespace

from django.template import Context, Template
from django.utils import translation


def test_the_results_map_points_at_the_proposals_results_layer(settings):
    settings.GEO_CIVIC_BASEMAP_URL = "https://tiles.test/{z}/{x}/{y}.png"
    with translation.override("en"):
        html = Template("{% load results_map %}{% results_map proposal %}").render(
            Context({"proposal": SimpleNamespace(pk=42)})
        )
    assert 'data-geojson="/api/layers/proposal-results.geojson?proposal=42"' in html
    assert 'data-tilejson="/tiles/proposal-results.json?proposal=42"' in html
    assert 'data-basemap-url="https://tiles.test/{z}/{x}/{y}.png"' in html
    assert "results_map" in html and '<script type="module"' in html
    assert "fewer than 5 voters" in html  # the note says why a commune shows no figure
