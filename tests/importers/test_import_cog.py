"""The official COG, from the real npm package, fills in populations, EPCI and postal codes."""

import json
import shutil

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from geo_civic.territories.models import Commune, Departement, Epci, PostalCode, Region
from importers.cog import default_cog_dir, import_cog
from importers.communes import import_communes

pytestmark = pytest.mark.django_db

CORSE_DU_SUD = "communes/france-geojson/communes-2A-corse-du-sud.geojson"


@pytest.fixture
def communes_with_cog(reunion_communes, test_data):
    import_communes(test_data(CORSE_DU_SUD))
    return import_cog()


def test_population_region_epci_and_postal_codes_of_saint_denis(communes_with_cog):
    saint_denis = Commune.objects.get(code="97411")
    assert saint_denis.population == 155634
    assert saint_denis.region_code == "04"
    assert saint_denis.epci.code == "249740119"
    assert "CINOR" in saint_denis.epci.name
    assert set(saint_denis.postal_codes.values_list("code", flat=True)) == {
        "97400",
        "97417",
        "97490",
    }


def test_a_postal_code_spans_several_communes(communes_with_cog):
    shared = PostalCode.objects.get(code="20167")
    assert shared.communes.count() == 10
    assert shared.communes.filter(code="2A004").exists()  # Ajaccio


def test_departements_and_regions(communes_with_cog):
    assert communes_with_cog.regions == Region.objects.count() == 26
    assert Departement.objects.get(code="974").region.name == "La Réunion"
    assert Departement.objects.get(code="2A").region.code == "94"
    assert Epci.objects.count() == communes_with_cog.epci > 1200
    assert communes_with_cog.communes == 24 + 124
    assert Commune.objects.filter(population__isnull=True).count() == 0


def test_filters_by_region_and_epci_work_on_the_commune_table(communes_with_cog):
    assert Commune.objects.filter(region_code="94").count() == 124
    assert Commune.objects.filter(epci__name__contains="CINOR").count() == 3


def test_second_run_updates_no_commune(communes_with_cog):
    links = Commune.postal_codes.through.objects.count()
    again = import_cog()
    assert again.communes == 0
    assert Commune.postal_codes.through.objects.count() == links


def test_communes_merged_since_are_reported(db, test_data):
    # Lozère's 2018 communes include many merged into communes nouvelles since.
    import_communes(test_data("communes/france-geojson/communes-48-lozere.geojson"))
    summary = import_cog()
    assert summary.not_in_cog > 0
    assert summary.communes == 158 - summary.not_in_cog
    assert "communes not in the COG" in summary.line()
    # Saint-Symphorien joined the commune nouvelle Bel-Air-Val-d'Ance after 2018.
    assert (
        "commune 48184 (Saint-Symphorien) is not in the COG any more (merged into 48038 "
        "Bel-Air-Val-d'Ance): import newer boundaries to retire it"
    ) in summary.warnings
    assert len(summary.warnings) == summary.not_in_cog == 6


def test_bad_cog_changes_nothing(communes_with_cog, tmp_path):
    before = list(Commune.objects.values_list("code", "population", "epci"))
    folder = tmp_path / "data"
    shutil.copytree(default_cog_dir(), folder)
    communes = json.loads((folder / "communes.json").read_text())
    for commune in communes:
        commune["population"] = 1
    # A commune with no code at the end: refused before anything is written.
    (folder / "communes.json").write_text(json.dumps([*communes, {"nom": "?"}]))
    with pytest.raises(CommandError, match="expected a JSON array of objects with a code"):
        call_command("import_cog", str(folder))
    (folder / "epci.json").write_text("[{")
    with pytest.raises(CommandError, match="epci.json: not valid JSON"):
        call_command("import_cog", str(folder))
    assert list(Commune.objects.values_list("code", "population", "epci")) == before


def test_command_prints_one_summary_line(reunion_communes, capsys):
    call_command("import_cog")
    out = capsys.readouterr().out.strip()
    assert out.startswith("régions 26, départements 109, EPCI ")
    assert "communes updated 24" in out
