"""Every kind of bad input exits with one clear line and leaves the database as it was."""

import json
import zipfile

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from geo_civic.territories.models import Commune
from tests.conftest import REUNION
from tests.importers.gdal_files import ogr2ogr

pytestmark = pytest.mark.django_db


def snapshot() -> list[tuple]:
    return list(
        Commune.objects.order_by("code").values_list(
            "code", "name", "boundary", "valid_to", "population", "source"
        )
    )


def shapefile(test_data, folder, *options):
    folder.mkdir(exist_ok=True)
    return ogr2ogr(folder / "974.shp", test_data(REUNION), "-t_srs", "EPSG:2975", *options)


def truncated_shapefile(test_data, tmp_path):
    shp = shapefile(test_data, tmp_path / "t")
    shp.write_bytes(shp.read_bytes()[:5000])
    return [str(shp)]


def missing_dbf(test_data, tmp_path):
    shp = shapefile(test_data, tmp_path / "d")
    shp.with_suffix(".dbf").unlink()
    return [str(shp)]


def no_crs(test_data, tmp_path):
    shp = shapefile(test_data, tmp_path / "c")
    shp.with_suffix(".prj").unlink()
    return [str(shp)]


def missing_field(test_data, tmp_path):
    return [str(test_data(REUNION)), "--population-field", "POP"]


def unknown_source(test_data, tmp_path):
    return [str(test_data(REUNION)), "--source", "cadastre-1850"]


def unknown_srid(test_data, tmp_path):
    return [str(test_data(REUNION)), "--srid", "999999"]


def unknown_encoding(test_data, tmp_path):
    return [*no_crs(test_data, tmp_path), "--srid", "2975", "--encoding", "KLINGON-8"]


def zip_slip(test_data, tmp_path):
    archive = tmp_path / "evil.zip"
    with zipfile.ZipFile(archive, "w") as z:
        z.write(test_data(REUNION), "../../communes.geojson")
    return [str(archive)]


def duplicated_code(test_data, tmp_path):
    document = json.loads(test_data(REUNION).read_text())
    document["features"][5]["properties"]["code"] = "97401"
    path = tmp_path / "dup.geojson"
    path.write_text(json.dumps(document))
    return [str(path)]


def truncated_geojson(test_data, tmp_path):
    path = tmp_path / "cut.geojson"
    path.write_text(test_data(REUNION).read_text()[:40_000])
    return [str(path)]


@pytest.mark.parametrize(
    "make_args, message",
    [
        (truncated_shapefile, "GDAL cannot read it"),
        (truncated_geojson, "GDAL cannot read it"),
        (missing_dbf, "the .dbf file that goes with it is missing"),
        (no_crs, "the file declares no CRS; give its EPSG code with --srid"),
        (missing_field, "no field 'POP' (--population-field); the file has: code, nom"),
        (unknown_source, "unknown commune source 'cadastre-1850' (known: auto, admin-express"),
        (unknown_srid, "--srid 999999: not an EPSG code PROJ knows"),
        (unknown_encoding, "--encoding KLINGON-8: unknown encoding"),
        (zip_slip, "member '../../communes.geojson' points outside the archive; refused"),
        (duplicated_code, "commune code 97401 appears twice: feature 1 (Avirons) and feature 6"),
    ],
    ids=lambda v: getattr(v, "__name__", None),
)
def test_bad_input_changes_nothing(reunion_communes, test_data, tmp_path, make_args, message):
    Commune.objects.filter(code="97411").update(population=155634)
    before = snapshot()
    args = make_args(test_data, tmp_path)
    with pytest.raises(CommandError) as raised:
        call_command("import_communes", *args, "--valid-from", "2027-01-01")
    assert message in str(raised.value)
    assert "\n" not in str(raised.value)
    assert snapshot() == before


def test_error_late_in_the_transaction_rolls_back_everything(reunion_communes, test_data, tmp_path):
    """The retirement check runs after staging: its refusal must undo the whole import."""
    document = json.loads(test_data(REUNION).read_text())
    document["features"] = document["features"][:3]
    document["features"][0]["properties"]["nom"] = "Les Avirons"
    three = tmp_path / "three.geojson"
    three.write_text(json.dumps(document))
    before = snapshot()
    with pytest.raises(CommandError, match="would retire 21 of the 24 communes"):
        call_command("import_communes", str(three))
    assert snapshot() == before
