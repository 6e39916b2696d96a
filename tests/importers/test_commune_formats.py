"""Any file GDAL reads, in any CRS, gives the same communes as the GeoJSON import."""

import io
import json
import zipfile

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from geo_civic.territories.models import Commune
from importers.communes import import_communes
from tests.conftest import REUNION
from tests.importers.gdal_files import ogr2ogr

pytestmark = pytest.mark.django_db

LOZERE = "communes/france-geojson/communes-48-lozere.geojson"


def areas() -> dict[str, float]:
    return dict(Commune.objects.values_list("code", "area_km2"))


def reference_areas(path) -> dict[str, float]:
    """Areas of the GeoJSON import, rolled back so the next import starts from scratch."""
    import_communes(path)
    reference = areas()
    Commune.objects.all().delete()
    return reference


def assert_same_communes(reference: dict[str, float], rel: float = 1e-4) -> None:
    got = areas()
    assert got.keys() == reference.keys()
    for code, km2 in reference.items():
        assert got[code] == pytest.approx(km2, rel=rel), code


def test_shapefile_in_utm_40s_matches_the_geojson(test_data, tmp_path):
    reference = reference_areas(test_data(REUNION))
    shp = ogr2ogr(tmp_path / "974.shp", test_data(REUNION), "-t_srs", "EPSG:2975")
    summary = import_communes(shp)
    assert summary.created == 24
    assert_same_communes(reference)
    assert Commune.objects.get(code="97411").name == "Saint-Denis"


def test_geopackage_in_lambert93_with_a_layer_matches_the_geojson(test_data, tmp_path):
    reference = reference_areas(test_data(LOZERE))
    gpkg = ogr2ogr(tmp_path / "fr.gpkg", test_data(LOZERE), "-t_srs", "EPSG:2154", "-nln", "lozere")
    ogr2ogr(gpkg, test_data(REUNION), "-update", "-t_srs", "EPSG:2975", "-nln", "reunion")
    summary = import_communes(gpkg, layer="lozere")
    assert summary.created == 158
    assert_same_communes(reference)


def test_geopackage_with_several_layers_needs_layer(test_data, tmp_path):
    gpkg = ogr2ogr(tmp_path / "fr.gpkg", test_data(LOZERE), "-nln", "lozere")
    ogr2ogr(gpkg, test_data(REUNION), "-update", "-nln", "reunion")
    with pytest.raises(Exception, match="several layers, name one with --layer: lozere, reunion"):
        import_communes(gpkg)


def test_zipped_shapefile_is_read_in_place(test_data, tmp_path):
    reference = reference_areas(test_data(REUNION))
    folder = tmp_path / "shp"
    folder.mkdir()
    ogr2ogr(folder / "communes.shp", test_data(REUNION), "-t_srs", "EPSG:2975")
    archive = tmp_path / "communes.zip"
    with zipfile.ZipFile(archive, "w") as z:
        for part in folder.iterdir():
            z.write(part, f"COMMUNES/{part.name}")
    import_communes(archive)
    assert_same_communes(reference)


@pytest.mark.parametrize("driver, suffix", [("FlatGeobuf", "fgb"), ("LIBKML", "kml")])
def test_flatgeobuf_and_kml(test_data, tmp_path, driver, suffix):
    reference = reference_areas(test_data(REUNION))
    path = ogr2ogr(tmp_path / f"974.{suffix}", test_data(REUNION), "-f", driver)
    import_communes(path)
    assert_same_communes(reference)


def test_latin1_dbf_without_cpg_needs_encoding(test_data, tmp_path):
    shp = ogr2ogr(
        tmp_path / "48.shp",
        test_data(LOZERE),
        "-t_srs",
        "EPSG:2154",
        "-lco",
        "ENCODING=ISO-8859-1",
    )
    (tmp_path / "48.cpg").unlink()
    with pytest.raises(Exception, match="not UTF-8; give the file's encoding with --encoding"):
        import_communes(shp)
    assert not Commune.objects.exists()
    import_communes(shp, encoding="ISO-8859-1")
    assert Commune.objects.get(code="48061").name == "Florac Trois Rivières"


def test_file_without_crs_takes_srid(test_data, tmp_path):
    reference = reference_areas(test_data(REUNION))
    shp = ogr2ogr(tmp_path / "974.shp", test_data(REUNION), "-t_srs", "EPSG:2975")
    (tmp_path / "974.prj").unlink()
    with pytest.raises(Exception, match="declares no CRS; give its EPSG code with --srid"):
        import_communes(shp)
    import_communes(shp, srid=2975)
    assert_same_communes(reference)


def test_projected_coordinates_read_as_degrees_are_refused(test_data, tmp_path):
    # A GeoJSON without a crs member is WGS 84 by definition: Lambert-93 metres cannot be.
    bad = ogr2ogr(
        tmp_path / "l93.geojson", test_data(LOZERE), "-t_srs", "EPSG:2154", "-lco", "WRITE_BBOX=NO"
    )
    text = bad.read_text()
    bad.write_text(text.replace('"crs"', '"crs_removed"'))
    with pytest.raises(Exception, match="outside longitude/latitude.*--srid"):
        import_communes(bad)
    import_communes(bad, srid=2154)
    assert Commune.objects.count() == 158


def test_mixed_polygons_become_multipolygons(test_data):
    import_communes(test_data("communes/france-geojson/communes-2A-corse-du-sud.geojson"))
    assert {c.boundary.geom_type for c in Commune.objects.all()} == {"MultiPolygon"}
    assert Commune.objects.count() == 124


def test_command_takes_the_reading_flags(test_data, tmp_path, capsys):
    shp = ogr2ogr(tmp_path / "974.shp", test_data(REUNION), "-t_srs", "EPSG:2975")
    (tmp_path / "974.prj").unlink()
    call_command("import_communes", str(shp), "--srid", "2975", "--source", "france-geojson")
    assert capsys.readouterr().out.strip() == "created 24, updated 0, unchanged 0, retired 0"


def test_a_folder_of_shapefiles_with_layer(test_data, tmp_path):
    folder = tmp_path / "ADMIN-EXPRESS"
    folder.mkdir()
    ogr2ogr(folder / "COMMUNE.shp", test_data(REUNION), "-t_srs", "EPSG:2975")
    ogr2ogr(folder / "LOZERE.shp", test_data(LOZERE), "-t_srs", "EPSG:2154")
    with pytest.raises(Exception, match="several layers, name one with --layer"):
        import_communes(folder)
    assert import_communes(folder, layer="COMMUNE").created == 24


def test_a_layer_the_file_does_not_have_is_an_error(test_data):
    with pytest.raises(Exception, match="no layer 'communes'; the file has: communes-974"):
        import_communes(test_data(REUNION), layer="communes")


def topojson_of(geojson: dict) -> dict:
    """A TopoJSON topology of the features (one arc per ring, no quantisation)."""
    arcs: list = []

    def ring_arcs(rings):
        refs = []
        for ring in rings:
            arcs.append(ring)
            refs.append([len(arcs) - 1])
        return refs

    geometries = []
    for feature in geojson["features"]:
        geometry = feature["geometry"]
        if geometry["type"] == "Polygon":
            topo_arcs = ring_arcs(geometry["coordinates"])
        else:
            topo_arcs = [ring_arcs(polygon) for polygon in geometry["coordinates"]]
        geometries.append(
            {"type": geometry["type"], "arcs": topo_arcs, "properties": feature["properties"]}
        )
    return {
        "type": "Topology",
        "objects": {"communes": {"type": "GeometryCollection", "geometries": geometries}},
        "arcs": arcs,
    }


def test_topojson(test_data, tmp_path):
    reference = reference_areas(test_data(REUNION))
    path = tmp_path / "974.topojson"
    path.write_text(json.dumps(topojson_of(json.loads(test_data(REUNION).read_text()))))
    assert import_communes(path).created == 24
    assert_same_communes(reference)


def test_a_folder_of_geojson_files_is_one_import(test_data, tmp_path):
    """As the README promises: ``import_communes FOLDER`` reads every file, in one transaction."""
    import shutil

    folder = tmp_path / "departements"
    folder.mkdir()
    shutil.copy(test_data(REUNION), folder / "974.geojson")
    shutil.copy(test_data(LOZERE), folder / "48.geojson")
    (folder / "LISEZMOI.txt").write_text("not a vector file: left alone")
    out = io.StringIO()
    call_command("import_communes", str(folder), stdout=out)
    assert out.getvalue().strip() == "created 182, updated 0, unchanged 0, retired 0"
    assert Commune.objects.filter(departement_code="48").count() == 158
    # A bad file anywhere in the folder: nothing of the others is kept either.
    Commune.objects.all().delete()
    (folder / "2A.geojson").write_text('{"type": "FeatureCollection", "features": [')
    with pytest.raises(CommandError, match="2A.geojson"):
        call_command("import_communes", str(folder), stdout=io.StringIO())
    assert not Commune.objects.exists()
