"""Imports of the shared directories in every format, as a data steward runs them."""

import csv
import json
import subprocess

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from geo_civic.actors.models import Actor, Category
from geo_civic.geocoding.models import GeocodedAddress
from geo_civic.territories.models import Commune
from importers.actor_formats import import_actor_file
from importers.actor_mapping import FieldMapping
from importers.transiscope import read_transiscope
from tests.conftest import CNFS, TRANSISCOPE

pytestmark = pytest.mark.django_db

CNFS_FIELDS = dict(
    id="id", name="raison_sociale", lat="latitude", lon="longitude", address="adresse",
    postcode="code_postal_bis", city="commune_insee", citycode="insee_com",
)  # fmt: skip


def reunion_records(test_data) -> list[dict]:
    records = json.loads(test_data(CNFS).read_text())
    return [r for r in records if r.get("insee_dep") == "974"]


def test_cnfs_source_lands_la_reunion_structures_in_their_communes(
    reunion_communes, settings, capsys
):
    call_command("import_actors", "anct-conseillers-numeriques")
    out, err = capsys.readouterr()
    assert out == "created 27, updated 0, unchanged 0, skipped 1423\n"
    assert "skipped 11 (no location)" in err  # null coordinates, address outside La Réunion
    assert "skipped 1412 (outside every known commune)" in err
    saint_paul = Actor.objects.get(name="COMMUNE DE SAINT PAUL")
    assert saint_paul.commune.code == "97415"
    # Multi-line address made one line; contacts stay private.
    assert saint_paul.address == "PL DU GENERAL DE GAULLE, 97460 SAINT-PAUL"
    assert not saint_paul.email_public and not saint_paul.phone_public
    # The CINOR has no coordinates in the file: its address is geocoded offline to Saint-Denis.
    cinor = Actor.objects.get(name="COMMUNAUTE INTERCOMMUNALE NORD REUNION")
    assert cinor.commune.name == "Saint-Denis"
    assert GeocodedAddress.objects.get(provider="offline", label="Saint-Denis (97411)")

    call_command("import_actors", "anct-conseillers-numeriques")
    assert capsys.readouterr().out == "created 0, updated 0, unchanged 27, skipped 1423\n"
    assert Actor.objects.count() == 27


def test_transiscope_niort_outside_known_communes_is_reported_not_imported(
    reunion_communes, test_data, capsys
):
    call_command("import_actors", str(test_data(TRANSISCOPE)), "--format", "transiscope")
    out, err = capsys.readouterr()
    assert out == "created 0, updated 0, unchanged 0, skipped 100\n"
    assert "skipped 100 (outside every known commune): A l'essentiel; " in err
    assert Actor.objects.count() == 0


def test_transiscope_niort_lands_once_its_area_is_known(test_data):
    Commune.objects.create(
        code="79999",
        name="Zone de test autour de Niort",
        departement_code="79",
        boundary="MULTIPOLYGON(((-1.2 45.8, 0.2 45.8, 0.2 46.7, -1.2 46.7, -1.2 45.8)))",
    )
    first = import_actor_file(test_data(TRANSISCOPE), "transiscope", source_key="transiscope")
    # Two initiatives are listed twice under differently written names, a few metres apart.
    assert (first.created, first.skipped) == (98, 2)
    assert first.report() == [
        "skipped 2 (likely duplicate of an earlier row): "
        "Is'eau Énergie ≈ Is'Eau Energie; L'Alternateur ≈ L'alternateur"
    ]
    again = import_actor_file(test_data(TRANSISCOPE), "transiscope", source_key="transiscope")
    assert (again.created, again.updated, again.unchanged, again.skipped) == (0, 0, 98, 2)
    shop = Actor.objects.get(source_id="3paH")
    assert shop.name == "A l'essentiel"
    assert shop.address == "6 rue de la Chevalonnerie, 79190 Sauzé-vaussais"
    vegetalis = Actor.objects.get(name="Vegetalis")
    assert vegetalis.tags == ["Écologie, Alimentation, Énergie", "Agriculture et alimentation"]
    assert "table végétarienne" in vegetalis.description
    # The two-level Transiscope taxonomy becomes the category tree.
    farming = vegetalis.categories.get(slug="agriculture-et-alimentation")
    assert str(farming) == "Écologie, Alimentation, Énergie › Agriculture et alimentation"
    assert farming.actors.count() == 51
    assert Category.objects.filter(parent=None).count() < Category.objects.count()


def test_transiscope_email_and_phone_are_read(test_data):
    rows, warnings = read_transiscope(test_data(TRANSISCOPE))
    assert (len(rows), warnings) == (100, [])
    assert len([r for r in rows if r.email]) == 9
    no_street = next(r for r in rows if r.source_id == "3nDX")
    assert (no_street.address, no_street.postcode, no_street.city) == (
        "79500 MELLE",
        "79500",
        "MELLE",
    )
    assert not any("<br" in r.summary for r in rows)  # Transiscope summaries carry HTML breaks


def write_cnfs_csv(path, records):
    columns = [
        "id",
        "raison_sociale",
        "adresse",
        "code_postal",
        "insee_com",
        "latitude",
        "longitude",
    ]
    with path.open("w", newline="") as f:
        writer = csv.DictWriter(f, columns, delimiter=";", extrasaction="ignore")
        writer.writeheader()
        for r in records:
            latitude = "" if r.get("latitude") is None else str(r["latitude"]).replace(".", ",")
            writer.writerow({**r, "latitude": latitude})


def test_csv_with_field_options_and_addresses_without_coordinates(
    reunion_communes, test_data, tmp_path, capsys
):
    records = reunion_records(test_data)
    for r in records[:3]:  # no coordinates: their address must be geocoded
        r["latitude"] = r["longitude"] = None
    path = tmp_path / "cnfs-974.csv"
    write_cnfs_csv(path, records)
    call_command(
        "import_actors", str(path), "--format", "csv", "--source-key", "cnfs-csv",
        "--name-field", "raison_sociale", "--lat-field", "latitude", "--lon-field", "longitude",
        "--address-field", "adresse", "--kind", "organisation",
    )  # fmt: skip
    assert capsys.readouterr().out == "created 27, updated 0, unchanged 0, skipped 0\n"
    geocoded = Actor.objects.get(source_id=str(records[0]["id"]))
    assert geocoded.commune.code == records[0]["insee_com"]


def test_a_second_directory_of_the_same_structures_creates_no_duplicates(
    reunion_communes, test_data, tmp_path, capsys
):
    call_command("import_actors", "anct-conseillers-numeriques")
    path = tmp_path / "same.csv"
    write_cnfs_csv(path, reunion_records(test_data))
    call_command(
        "import_actors", str(path), "--format", "csv", "--source-key", "other-directory",
        "--name-field", "raison_sociale", "--lat-field", "latitude", "--lon-field", "longitude",
    )  # fmt: skip
    out, err = capsys.readouterr()
    assert out.splitlines()[-1] == "created 0, updated 0, unchanged 0, skipped 27"
    assert (
        "skipped 27 (likely duplicate of a stored actor): COMMUNE DE SAINT PAUL ≈ #"
        in (err.replace("\n", " "))
        or "(likely duplicate of a stored actor)" in err
    )
    assert Actor.objects.count() == 27


def test_geopackage_in_reunion_utm_is_reprojected_by_gdal(reunion_communes, test_data, tmp_path):
    csv_path = tmp_path / "cnfs.csv"
    write_cnfs_csv(csv_path, [r for r in reunion_records(test_data) if r.get("latitude")])
    gpkg = tmp_path / "cnfs-2975.gpkg"
    subprocess.run(
        ["ogr2ogr", "-f", "GPKG", "-s_srs", "EPSG:4326", "-t_srs", "EPSG:2975", str(gpkg),
         str(csv_path), "-oo", "X_POSSIBLE_NAMES=longitude", "-oo", "Y_POSSIBLE_NAMES=latitude",
         "-oo", "SEPARATOR=SEMICOLON"],
        check=True, capture_output=True,
    )  # fmt: skip
    mapping = FieldMapping.from_file(None, name="raison_sociale")
    summary = import_actor_file(gpkg, "geojson", source_key="gpkg", mapping=mapping)
    assert (summary.created, summary.skipped) == (26, 0)
    saint_paul = Actor.objects.get(name="COMMUNE DE SAINT PAUL")
    assert saint_paul.commune.code == "97415"
    assert saint_paul.point.x == pytest.approx(55.2289, abs=1e-6)


def test_geojson_non_points_and_missing_columns_are_named(reunion_communes, tmp_path):
    path = tmp_path / "actors.geojson"
    features = [
        {"type": "Feature", "properties": {"nom": "Jardin", "id": "j"},
         "geometry": {"type": "Point", "coordinates": [55.27, -21.0096]}},
        {"type": "Feature", "properties": {"nom": "Zone", "id": "z"},
         "geometry": {"type": "Polygon",
                      "coordinates": [[[55, -21], [55.1, -21], [55, -21.1], [55, -21]]]}},
    ]  # fmt: skip
    path.write_text(json.dumps({"type": "FeatureCollection", "features": features}))
    summary = import_actor_file(path, "geojson", source_key="g", kind="place")
    assert (summary.created, summary.skipped) == (1, 1)
    assert "a Polygon, not a point" in summary.report()[0]
    assert Actor.objects.get().kind == "place"
    with pytest.raises(CommandError, match="column 'latitude' .* is not in the file"):
        call_command("import_actors", str(path), "--format", "geojson", "--lat-field", "latitude")


def test_mojibake_postal_codes_and_decimal_commas_are_repaired(tmp_path):
    from importers.actor_csv import clean_text, coordinate, postcode

    assert clean_text("Rue Ren<e9> Nicod") == "Rue René Nicod"
    assert clean_text("PL DU MARCHE\nMAIRIE\n 97460   SAINT-PAUL") == (
        "PL DU MARCHE, MAIRIE, 97460 SAINT-PAUL"
    )
    assert postcode(1100) == "01100" and postcode(97460) == "97460"
    assert coordinate("-21,0519") == -21.0519 and coordinate(None) is None


def test_dry_run_and_bad_mapping_change_nothing(reunion_communes, tmp_path, capsys):
    call_command("import_actors", "anct-conseillers-numeriques", "--dry-run")
    assert capsys.readouterr().out.startswith("dry run: created 27,")
    assert Actor.objects.count() == 0
    mapping = tmp_path / "mapping.toml"
    mapping.write_text('[fields]\nnom = "raison_sociale"\n')
    with pytest.raises(CommandError, match="unknown field.*nom"):
        call_command("import_actors", "anct-conseillers-numeriques", "--mapping", str(mapping))
    assert Actor.objects.count() == 0


def test_the_three_shared_directories_imported_twice_give_no_duplicates(
    reunion_communes, test_data, capsys
):
    from tests.conftest import GOGOCARTO

    def import_all() -> list[str]:
        call_command("import_actors", str(test_data(GOGOCARTO)), "--source-key", "alternatives")
        call_command("import_actors", "transiscope-niort")
        call_command("import_actors", "anct-conseillers-numeriques")
        return capsys.readouterr().out.splitlines()

    assert import_all() == [
        "created 98, updated 0, unchanged 0, skipped 602",
        "created 0, updated 0, unchanged 0, skipped 100",
        "created 27, updated 0, unchanged 0, skipped 1423",
    ]
    assert import_all() == [
        "created 0, updated 0, unchanged 98, skipped 602",
        "created 0, updated 0, unchanged 0, skipped 100",
        "created 0, updated 0, unchanged 27, skipped 1423",
    ]
    assert Actor.objects.count() == 125
    assert not Actor.objects.filter(commune__isnull=True).exists()
