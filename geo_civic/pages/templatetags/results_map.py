"""``{% results_map proposal %}``: the choropleth of a closed proposal's per-commune results.

For the proposal page (and any other): it draws the ``proposal-results`` layer filtered to this
proposal, k-anonymous as the layer is ("too few votes" communes carry no figure). Usage::

    {% load results_map %}{% results_map proposal %}
"""

from urllib.parse import urlencode

from django import template
from django.urls import reverse

from geo_civic.web.basemap import basemap_config

register = template.Library()


@register.inclusion_tag("participation/_results_map.html")
def results_map(proposal) -> dict:
    """The context of the partial: the layer's URLs for this proposal and the basemap."""
    query = urlencode({"proposal": proposal.pk})
    geojson = reverse("layer-geojson", kwargs={"name": "proposal-results"})
    tilejson = reverse("layer-tilejson", kwargs={"name": "proposal-results"})
    return {
        "geojson_url": f"{geojson}?{query}",
        "tilejson_url": f"{tilejson}?{query}",
        "basemap": basemap_config(),
        "proposal": proposal,
    }
