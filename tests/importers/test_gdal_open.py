"""A file is opened only by the driver its name promises; its content decides nothing else."""

import shutil

import pytest
from django.core.management import CommandError, call_command

from geo_civic.territories.models import Commune
from importers.communes import import_communes
from importers.errors import ImportFailed
from importers.gdal_open import ACTOR_DRIVERS, COMMUNE_DRIVERS, open_vector
from tests.conftest import REUNION
from tests.importers.gdal_files import ogr2ogr

pytestmark = pytest.mark.django_db


def test_a_geopackage_named_geojson_is_refused_naming_what_it_is(test_data, tmp_path):
    disguised = ogr2ogr(tmp_path / "974.gpkg", test_data(REUNION)).rename(tmp_path / "974.geojson")
    with pytest.raises(ImportFailed, match=r"974.geojson: the file is GeoPackage \(GPKG\), not Ge"):
        import_communes(disguised)
    assert not Commune.objects.exists()


def test_a_geojson_named_flatgeobuf_is_refused(test_data, tmp_path):
    disguised = shutil.copy(test_data(REUNION), tmp_path / "974.fgb")
    with pytest.raises(CommandError, match=r"the file is GeoJSON \(GeoJSON\), not FlatGeobuf"):
        call_command("import_communes", str(disguised))


def test_esri_json_is_not_geojson(tmp_path):
    esri = tmp_path / "points.json"
    esri.write_text(
        '{"geometryType": "esriGeometryPoint", "spatialReference": {"wkid": 4326}, "fields": [],'
        ' "features": [{"attributes": {}, "geometry": {"x": 55.4, "y": -20.9}}]}'
    )
    with pytest.raises(ImportFailed, match=r"\(ESRIJSON\), not GeoJSON or TopoJSON; refused"):
        with open_vector(esri, ACTOR_DRIVERS):
            pass


@pytest.mark.parametrize("name", ["communes.vrt", "communes.csv", "communes.sqlite", "c.gml"])
def test_other_file_types_are_not_read_for_communes(tmp_path, name):
    path = tmp_path / name
    path.write_text("code,nom\n97411,Saint-Denis\n")
    with pytest.raises(ImportFailed, match="not a file type GeoCivic reads here"):
        with open_vector(path, COMMUNE_DRIVERS):
            pass


def test_a_download_without_suffix_is_read_by_its_content(test_data, tmp_path):
    # geo.api.gouv.fr answers /departements/974/communes: cached under that name, no suffix.
    cached = shutil.copy(test_data(REUNION), tmp_path / "geo-api-974-communes")
    assert import_communes(cached).created == 24
