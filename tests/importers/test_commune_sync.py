"""Re-imports keep the commune table true: keyed updates, retirements, successors, no deletion."""

import datetime
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from shapely.geometry import mapping, shape
from shapely.ops import unary_union

from geo_civic.actors.models import Actor
from geo_civic.territories.models import Commune
from importers.communes import import_communes
from tests.conftest import REUNION

CORSE_DU_SUD = "communes/france-geojson/communes-2A-corse-du-sud.geojson"

pytestmark = pytest.mark.django_db

DEPARTEMENTS = {
    "974-la-reunion": 24,
    "92-hauts-de-seine": 36,
    "48-lozere": 158,
    "62-pas-de-calais": 891,
    "2A-corse-du-sud": 124,
}
NEXT_YEAR = datetime.date(2027, 1, 1)


def reunion_without(test_data, tmp_path, *codes: str, merge_into: str | None = None):
    """Next year's Réunion file: ``codes`` gone, their land united with ``merge_into``."""
    document = json.loads(test_data(REUNION).read_text())
    by_code = {f["properties"]["code"]: f for f in document["features"]}
    if merge_into:
        parts = [shape(by_code[c]["geometry"]) for c in (merge_into, *codes)]
        by_code[merge_into]["geometry"] = mapping(unary_union(parts))
    document["features"] = [f for f in document["features"] if f["properties"]["code"] not in codes]
    path = tmp_path / "next-year.geojson"
    path.write_text(json.dumps(document))
    return path


def test_all_five_departements_then_a_second_identical_import(test_data):
    files = [test_data(f"communes/france-geojson/communes-{name}.geojson") for name in DEPARTEMENTS]
    for path in files:
        import_communes(path)
    for name, count in DEPARTEMENTS.items():
        dep = name.split("-")[0]
        assert Commune.objects.filter(departement_code=dep).count() == count
    assert Commune.objects.count() == 1233
    # Southern hemisphere, and Corsican codes with letters.
    assert Commune.objects.get(code="97424").boundary.centroid.y < -21
    assert Commune.objects.filter(code__startswith="2A").count() == 124
    again = [import_communes(path) for path in files]
    assert [(s.created, s.updated, s.retired) for s in again] == [(0, 0, 0)] * 5
    assert sum(s.unchanged for s in again) == 1233


def test_merged_commune_is_retired_with_its_successor_and_actors_move(
    reunion_communes, test_data, tmp_path, capsys
):
    sainte_marie = Commune.objects.get(code="97418")
    actor = Actor.objects.create(
        kind="place", name="Jardin", point=sainte_marie.boundary.point_on_surface
    )
    assert actor.commune == sainte_marie
    path = reunion_without(test_data, tmp_path, "97418", merge_into="97411")
    call_command("import_communes", str(path), "--valid-from", "2027-01-01")
    out, err = capsys.readouterr()
    assert out.strip().splitlines() == [
        "1 actors moved to another commune",
        "created 0, updated 1, unchanged 22, retired 1",
    ]
    assert (
        "warning: commune 97418 (Sainte-Marie) retired on 2027-01-01, "
        "succeeded by 97411 Saint-Denis" in err
    )
    sainte_marie.refresh_from_db()
    assert sainte_marie.valid_to == NEXT_YEAR
    assert sainte_marie.successor.code == "97411"
    actor.refresh_from_db()
    assert actor.commune.code == "97411"
    # Never deleted: the retired commune keeps its boundary and can still be looked up.
    assert Commune.objects.count() == 24
    again = import_communes(path, valid_from=NEXT_YEAR)
    assert again.line() == "created 0, updated 0, unchanged 23, retired 0"


def test_a_commune_absent_without_a_neighbour_covering_it_has_no_successor(
    reunion_communes, test_data, tmp_path
):
    summary = import_communes(reunion_without(test_data, tmp_path, "97424"))
    assert summary.retired == 1
    cilaos = Commune.objects.get(code="97424")
    assert cilaos.valid_to == datetime.date.today()
    assert cilaos.successor is None


def test_a_retired_commune_that_comes_back_is_current_again(reunion_communes, test_data, tmp_path):
    import_communes(reunion_without(test_data, tmp_path, "97424"))
    summary = import_communes(test_data(REUNION))
    assert summary.line() == "created 0, updated 1, unchanged 23, retired 0"
    assert Commune.objects.get(code="97424").valid_to is None


def test_dry_run_reports_the_retirement_and_changes_nothing(
    reunion_communes, test_data, tmp_path, capsys
):
    path = reunion_without(test_data, tmp_path, "97418", merge_into="97411")
    call_command("import_communes", str(path), "--dry-run")
    assert capsys.readouterr().out.strip() == (
        "dry run: created 0, updated 1, unchanged 22, retired 1"
    )
    assert not Commune.objects.filter(valid_to__isnull=False).exists()


def test_complete_for_none_retires_nothing(reunion_communes, test_data, tmp_path):
    path = reunion_without(test_data, tmp_path, *[f"974{n:02}" for n in range(1, 20)])
    summary = import_communes(path, complete_for="none")
    assert (summary.unchanged, summary.retired) == (5, 0)


def test_more_than_a_fifth_needs_force(reunion_communes, test_data, tmp_path):
    four = reunion_without(test_data, tmp_path, "97401", "97402", "97403", "97404")
    assert import_communes(four, dry_run=True).retired == 4  # 17 %: allowed
    five = reunion_without(test_data, tmp_path, "97401", "97402", "97403", "97404", "97405")
    with pytest.raises(Exception, match="would retire 5 of the 24 communes of département 974"):
        import_communes(five)
    assert import_communes(five, force=True).retired == 5


def test_complete_for_a_country(reunion_communes, test_data):
    import_communes(test_data("communes/france-geojson/communes-92-hauts-de-seine.geojson"))
    with pytest.raises(CommandError, match="would retire 36 of the 60 communes of country FR"):
        call_command("import_communes", str(test_data(REUNION)), "--complete-for", "FR")
    summary = import_communes(test_data(REUNION), complete_for="FR", force=True)
    assert summary.retired == 36
    assert Commune.objects.filter(valid_to__isnull=True).count() == 24


def test_complete_for_named_departements_only(reunion_communes, test_data, tmp_path):
    import_communes(test_data("communes/france-geojson/communes-92-hauts-de-seine.geojson"))
    # A file of La Réunion declared complete for 92 retires nothing in 974.
    path = reunion_without(test_data, tmp_path, "97424")
    assert import_communes(path, complete_for="92", force=True).retired == 36
    assert Commune.objects.get(code="97424").valid_to is None


def test_other_countries_are_not_retired_by_default(db, test_data, tmp_path):
    document = json.loads(test_data(REUNION).read_text())
    for feature in document["features"]:
        feature["properties"]["name"] = feature["properties"].pop("nom")
    full = tmp_path / "be.geojson"
    full.write_text(json.dumps(document))
    import_communes(full, country="BE")
    document["features"] = document["features"][:2]
    full.write_text(json.dumps(document))
    assert import_communes(full, country="BE").retired == 0
    assert import_communes(full, country="BE", complete_for="BE", force=True).retired == 22


def test_valid_from_is_set_on_new_communes(db, test_data):
    import_communes(test_data(REUNION), valid_from=NEXT_YEAR)
    assert set(Commune.objects.values_list("valid_from", flat=True)) == {NEXT_YEAR}


def test_empty_geometry_is_dropped_with_a_warning_naming_it(db, test_data, tmp_path):
    document = json.loads(test_data(REUNION).read_text())
    document["features"][23]["geometry"] = None
    path = tmp_path / "974.geojson"
    path.write_text(json.dumps(document))
    summary = import_communes(path)
    assert summary.created == 23
    assert "feature 24 (commune 97424, Cilaos): empty geometry, skipped" in summary.warnings


def test_an_actor_outside_every_commune_joins_the_new_commune_covering_it(db, test_data, tmp_path):
    import_communes(reunion_without(test_data, tmp_path, "97411"))
    actor = Actor.objects.create(kind="place", name="Barachois", point="POINT(55.4481 -20.8789)")
    assert actor.commune is None
    untouched = Actor.objects.create(kind="place", name="Cilaos", point="POINT(55.47 -21.13)")
    assert untouched.commune.code == "97424"
    summary = import_communes(test_data(REUNION))
    assert (summary.created, summary.actors_moved) == (1, 1)
    actor.refresh_from_db()
    assert actor.commune.code == "97411"


def test_a_file_of_several_departements_is_complete_for_each(reunion_communes, test_data, tmp_path):
    corse = json.loads(test_data(CORSE_DU_SUD).read_text())
    reunion = json.loads(test_data(REUNION).read_text())
    import_communes(test_data(CORSE_DU_SUD))
    # Next year's national file: Cilaos gone, and one Corsican commune merged into Ajaccio.
    by_code = {f["properties"]["code"]: f for f in corse["features"]}
    ajaccio, neighbour = by_code["2A004"], by_code["2A017"]
    ajaccio["geometry"] = mapping(
        unary_union([shape(ajaccio["geometry"]), shape(neighbour["geometry"])])
    )
    features = [f for f in reunion["features"] + corse["features"]
                if f["properties"]["code"] not in ("97424", "2A017")]  # fmt: skip
    path = tmp_path / "france.geojson"
    path.write_text(json.dumps({"type": "FeatureCollection", "features": features}))
    summary = import_communes(path)
    assert (summary.updated, summary.retired) == (1, 2)
    assert Commune.objects.get(code="2A017").successor.code == "2A004"
    assert Commune.objects.get(code="97424").successor is None
