"""Simplified Web-Mercator shapes per zoom band, refreshed by every import, read by tiles."""

import json

import pytest
from django.db import connection

from geo_civic.territories.models import Commune, CommuneShape
from geo_civic.territories.shapes import BANDS, band_for_zoom, refresh_commune_shapes
from importers.communes import import_communes
from tests.conftest import REUNION

pytestmark = pytest.mark.django_db


def shape_stats() -> dict[tuple[str, int], tuple[int, float, bool, int]]:
    """(code, band) → (vertices, area in m² of Web Mercator, valid, srid)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.code, s.band, ST_NPoints(s.geom), ST_Area(s.geom), ST_IsValid(s.geom), "
            "ST_SRID(s.geom) FROM territories_communeshape s "
            "JOIN territories_commune c ON c.id = s.commune_id"
        )
        return {(code, band): tuple(rest) for code, band, *rest in cursor.fetchall()}


def test_zoom_bands():
    assert [band_for_zoom(z) for z in range(0, 23)] == [0] * 6 + [1] * 3 + [2] * 3 + [3] * 11
    assert [b.band for b in BANDS] == [0, 1, 2, 3]
    assert BANDS[0].tolerance_m > BANDS[1].tolerance_m > BANDS[2].tolerance_m > 0
    assert BANDS[3].tolerance_m == 0
    with pytest.raises(ValueError):
        band_for_zoom(-1)


def test_the_tile_contract_table_and_columns():
    with connection.cursor() as cursor:
        columns = {
            c.name
            for c in connection.introspection.get_table_description(
                cursor, "territories_communeshape"
            )
        }
    assert {"commune_id", "band", "geom"} <= columns


def test_import_writes_every_band_simpler_at_low_zoom(reunion_communes):
    stats = shape_stats()
    assert len(stats) == 24 * len(BANDS)
    for code in Commune.objects.values_list("code", flat=True):
        points = [stats[(code, b.band)][0] for b in BANDS]
        assert points == sorted(points), code
        assert all(stats[(code, b.band)][2:] == (True, 3857) for b in BANDS)
    # Saint-Paul loses most of its vertices at low zoom and keeps its size.
    full, coarse = stats[("97415", 3)], stats[("97415", 0)]
    assert coarse[0] < full[0] / 5
    assert coarse[1] == pytest.approx(full[1], rel=0.05)


def test_reimport_refreshes_only_what_changed_and_drops_retired(
    reunion_communes, test_data, tmp_path
):
    untouched = set(CommuneShape.objects.filter(commune__code="97401").values_list("id", flat=True))
    document = json.loads(test_data(REUNION).read_text())
    document["features"] = [f for f in document["features"] if f["properties"]["code"] != "97424"]
    by_code = {f["properties"]["code"]: f for f in document["features"]}
    ring = by_code["97422"]["geometry"]["coordinates"][0]
    ring[1] = [ring[1][0] + 0.001, ring[1][1]]
    path = tmp_path / "next.geojson"
    path.write_text(json.dumps(document))
    changed_before = set(
        CommuneShape.objects.filter(commune__code="97422").values_list("id", flat=True)
    )
    summary = import_communes(path)
    assert (summary.updated, summary.retired) == (1, 1)
    assert not CommuneShape.objects.filter(commune__code="97424").exists()
    assert (
        set(CommuneShape.objects.filter(commune__code="97401").values_list("id", flat=True))
        == untouched
    )
    assert not changed_before & set(
        CommuneShape.objects.filter(commune__code="97422").values_list("id", flat=True)
    )


def test_refresh_everything(reunion_communes):
    CommuneShape.objects.all().delete()
    assert refresh_commune_shapes() == 24 * len(BANDS)
