import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from geo_civic.actors.models import Actor, Category
from importers.actors import upsert_actors
from importers.gogocarto import read_gogocarto
from tests.conftest import GOGOCARTO

pytestmark = pytest.mark.django_db


def test_gogocarto_file_gives_the_98_initiatives_of_la_reunion(reunion_communes, test_data):
    rows, warnings = read_gogocarto(test_data(GOGOCARTO))
    summary = upsert_actors(rows, source_key="gogocarto", warnings=warnings)
    assert (summary.created, summary.updated, summary.unchanged) == (98, 0, 0)
    assert summary.skipped == 700 - 98
    assert Actor.objects.count() == 98
    assert not Actor.objects.filter(commune__isnull=True).exists()
    academie = Actor.objects.get(name="Académie des dalons")
    assert academie.commune.departement_code == "974"
    assert academie.source_id == "Acad%C3%A9mie%20des%20dalons-2104"
    # The SKOS taxonomy becomes categories.
    assert Category.objects.get(slug="nourriture").actors.count() == 15
    assert Category.objects.get(slug="0dechet").actors.count() == 3
    colours = set(Category.objects.values_list("colour", flat=True))
    assert len(colours) > 3 and all(c.startswith("#") and len(c) == 7 for c in colours)


def test_second_import_is_unchanged(reunion_communes, test_data, capsys):
    call_command("import_actors", str(test_data(GOGOCARTO)), "--source-key", "alt")
    call_command("import_actors", str(test_data(GOGOCARTO)), "--source-key", "alt")
    lines = capsys.readouterr().out.strip().splitlines()
    assert lines == [
        "created 98, updated 0, unchanged 0, skipped 602",
        "created 0, updated 0, unchanged 98, skipped 602",
    ]


def test_dirty_records_are_parsed_or_named(tmp_path):
    path = tmp_path / "elements.js"
    records = [
        {
            "@id": "a-1",
            "name": " Jardin  partagé ",
            "lat": "-20.9",
            "long": "55.5",
            "taxonomy": "AMAP, paniers bio",
            "tags": "légumes, ",
            "site": "example.org",
        },
        {"name": "Sans position", "lat": None, "long": 55.5},
        {"@id": "c-3", "name": "", "lat": -21, "long": 55.4},
        {
            "name": "Sans identifiant",
            "lat": -21.0,
            "long": 55.4,
            "taxonomy": [{"@type": "skos:Concept", "@id": "nourriture"}],
        },
    ]
    path.write_text("var elements = " + json.dumps({"data": records}) + ";")
    rows, warnings = read_gogocarto(path)
    assert [r.name for r in rows] == ["Jardin partagé", "Sans identifiant"]
    assert rows[0].tags == ["AMAP", "paniers bio", "légumes"]
    assert rows[0].website == "http://example.org"
    assert (rows[0].lon, rows[0].lat) == (55.5, -20.9)
    assert rows[1].source_id.startswith("sha1:")
    assert rows[1].tags == ["nourriture"]
    assert (rows[0].categories, rows[1].categories) == ([], [("nourriture", "")])
    assert warnings == [
        "Sans position: missing or invalid coordinates, skipped",
        "c-3: no name, skipped",
    ]


def test_broken_file_is_one_clear_error_and_changes_nothing(reunion_communes, tmp_path):
    path = tmp_path / "broken.json"
    path.write_text('{"data": [{"name": "x", "lat": ')
    with pytest.raises(CommandError, match="invalid JSON"):
        call_command("import_actors", str(path))
    assert Actor.objects.count() == 0


def test_latin1_shapefile_of_points_fails_with_one_line(reunion_communes, tmp_path):
    """GDAL hands back bytes it cannot decode: the command says so instead of a traceback."""
    from tests.importers.gdal_files import ogr2ogr

    source = tmp_path / "points.geojson"
    feature = {"type": "Feature", "properties": {"nom": "Café réparation"},
               "geometry": {"type": "Point", "coordinates": [55.27, -21.0096]}}  # fmt: skip
    source.write_text(json.dumps({"type": "FeatureCollection", "features": [feature]}))
    shp = ogr2ogr(tmp_path / "points.shp", source, "-lco", "ENCODING=ISO-8859-1")
    (tmp_path / "points.cpg").unlink()
    with pytest.raises(CommandError, match="feature 1 has text that is not UTF-8"):
        call_command("import_actors", str(shp), "--format", "geojson", "--source-key", "p")
    assert not Actor.objects.exists()
