import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from geo_civic.actors.models import Actor
from geo_civic.territories.models import Commune
from importers.communes import import_communes
from tests.conftest import REUNION

pytestmark = pytest.mark.django_db


def snapshot() -> list[tuple]:
    return list(Commune.objects.order_by("code").values_list("code", "name", "boundary"))


def test_reunion_file_gives_24_communes_with_codes_and_names(reunion_communes):
    assert reunion_communes.line() == "created 24, updated 0, unchanged 0, retired 0"
    communes = dict(Commune.objects.values_list("code", "name"))
    assert len(communes) == 24
    assert communes["97411"] == "Saint-Denis"
    assert communes["97415"] == "Saint-Paul"
    assert communes["97424"] == "Cilaos"
    assert set(Commune.objects.values_list("departement_code", flat=True)) == {"974"}


def test_area_is_geodesic_and_matches_the_source_polygons(reunion_communes, test_data):
    features = json.loads(test_data(REUNION).read_text())["features"]
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT sum(ST_Area(ST_SetSRID(ST_GeomFromGeoJSON(g), 4326)::geography)) / 1e6 "
            "FROM unnest(%s::text[]) AS g",
            [[json.dumps(f["geometry"]) for f in features]],
        )
        (source_km2,) = cursor.fetchone()
    total_km2 = sum(Commune.objects.values_list("area_km2", flat=True))
    assert total_km2 == pytest.approx(source_km2, rel=0.01)
    # La Réunion covers about 2,512 km²: an area in square degrees would be ~0.2.
    assert 2400 < total_km2 < 2600


def test_second_identical_import_changes_nothing(reunion_communes, test_data):
    before = snapshot()
    again = import_communes(test_data(REUNION))
    assert (again.created, again.updated, again.unchanged) == (0, 0, 24)
    assert snapshot() == before


def test_changed_name_is_an_update(reunion_communes, test_data, tmp_path):
    document = json.loads(test_data(REUNION).read_text())
    document["features"][0]["properties"]["nom"] = "Les Avirons"
    changed = tmp_path / "974.geojson"
    changed.write_text(json.dumps(document))
    summary = import_communes(changed)
    assert (summary.created, summary.updated, summary.unchanged) == (0, 1, 23)
    assert Commune.objects.get(code="97401").name == "Les Avirons"


def test_invalid_polygon_is_repaired_with_a_warning(db, tmp_path):
    bowtie = {
        "type": "Polygon",
        "coordinates": [[[55, -21], [55.1, -21.1], [55.1, -21], [55, -21.1], [55, -21]]],
    }
    path = tmp_path / "bowtie.geojson"
    path.write_text(
        json.dumps(
            {
                "type": "FeatureCollection",
                "features": [
                    {
                        "type": "Feature",
                        "properties": {"code": "99999", "nom": "Nœud"},
                        "geometry": bowtie,
                    }
                ],
            }
        )
    )
    summary = import_communes(path)
    assert summary.created == 1
    assert any("99999" in w and "repaired" in w for w in summary.warnings)
    commune = Commune.objects.get(code="99999")
    assert commune.boundary.valid
    assert commune.area_km2 > 0


def test_reimport_reattaches_actors_to_the_commune_that_now_covers_them(
    reunion_communes, test_data, tmp_path
):
    actor = Actor.objects.create(
        kind="place", name="Jardin partagé", point="POINT(55.4481 -20.8789)"
    )
    assert actor.commune.code == "97411"
    document = json.loads(test_data(REUNION).read_text())
    by_code = {f["properties"]["code"]: f for f in document["features"]}
    # The boundaries of Saint-Denis and Sainte-Marie trade places.
    by_code["97411"]["geometry"], by_code["97418"]["geometry"] = (
        by_code["97418"]["geometry"],
        by_code["97411"]["geometry"],
    )
    moved = tmp_path / "moved.geojson"
    moved.write_text(json.dumps(document))
    summary = import_communes(moved)
    assert (summary.updated, summary.actors_moved) == (2, 1)
    actor.refresh_from_db()
    assert actor.commune.code == "97418"


def test_dry_run_reports_but_changes_nothing(db, test_data):
    summary = import_communes(test_data(REUNION), dry_run=True)
    assert summary.created == 24
    assert Commune.objects.count() == 0


@pytest.mark.parametrize(
    "content, message",
    [
        (None, "GDAL cannot read it"),  # truncated: filled in below
        (
            '{"type": "FeatureCollection", "features": [{"type": "Feature", "properties": '
            '{"insee": "97401", "nom": "Avirons"}, "geometry": {"type": "Point", '
            '"coordinates": [55, -21]}}]}',
            "the file has: insee, nom",
        ),
    ],
    ids=["truncated", "no-code-field"],
)
def test_bad_file_exits_non_zero_with_one_line_and_changes_nothing(
    reunion_communes, test_data, tmp_path, capsys, content, message
):
    if content is None:
        content = test_data(REUNION).read_text()[:40_000]
    bad = tmp_path / "bad.geojson"
    bad.write_text(content)
    before = snapshot()
    with pytest.raises(CommandError) as raised:
        call_command("import_communes", str(bad))
    text = str(raised.value)
    assert message in text
    assert "\n" not in text
    assert snapshot() == before


def test_command_names_the_fields_the_file_has(db, tmp_path):
    path = tmp_path / "x.geojson"
    path.write_text(
        '{"type": "FeatureCollection", "features": [{"type": "Feature", "properties": '
        '{"INSEE": "97401", "LIBELLE": "Avirons"}, "geometry": null}]}'
    )
    with pytest.raises(CommandError, match="the file has: INSEE, LIBELLE"):
        call_command("import_communes", str(path))


def test_command_loads_a_named_source_from_the_mirror(db, settings, test_data, capsys):
    settings.GEO_CIVIC_DATA_MIRROR = str(test_data(REUNION).parents[2])
    call_command("import_communes", "france-geojson", "--departement", "974")
    assert capsys.readouterr().out.strip() == "created 24, updated 0, unchanged 0, retired 0"
    assert Commune.objects.get(code="97416").source == "france-geojson/974"


def test_corsican_codes_stay_strings(db, test_data):
    import_communes(test_data("communes/france-geojson/communes-2A-corse-du-sud.geojson"))
    bonifacio = Commune.objects.get(code="2A041")
    assert bonifacio.name == "Bonifacio"
    assert bonifacio.departement_code == "2A"
