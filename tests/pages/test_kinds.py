"""The kinds' words and colours are said once (geo_civic/actors/kinds.py) and reach the JS."""

from __future__ import annotations

import json
import re

import pytest

from geo_civic.actors.kinds import KINDS
from geo_civic.actors.models import Actor


def map_config(client, language: str) -> dict:
    html = client.get("/", HTTP_ACCEPT_LANGUAGE=language).content.decode()
    found = re.search(r'<script id="map-config" type="application/json">(.*?)</script>', html)
    return json.loads(found.group(1))


@pytest.mark.django_db
def test_the_map_receives_every_kind_with_its_words_and_colour(client):
    french = {k["value"]: k for k in map_config(client, "fr")["kinds"]}
    english = {k["value"]: k for k in map_config(client, "en")["kinds"]}
    assert list(french) == list(Actor.Kind.values)
    assert french["place"]["plural"] == "Lieux" and english["place"]["plural"] == "Places"
    assert french["event"]["label"] == "événement" and english["event"]["label"] == "event"
    assert french["event"]["colour"] == english["event"]["colour"] == "#c2410c"
    assert len({k["colour"] for k in french.values()}) == len(KINDS)  # none shares a colour


def test_no_script_writes_the_kinds_again():
    from django.contrib.staticfiles import finders

    for name in ("kinds", "url-state", "map-layers"):
        script = open(finders.find(f"geo_civic/{name}.js"), encoding="utf-8").read()
        assert '"organisation"' not in script and "#1b7f4b" not in script, name
