import pytest
from django.core.management import call_command

from geo_civic.actors.models import Actor
from geo_civic.territories.models import Commune
from tests.conftest import REUNION

pytestmark = pytest.mark.django_db


def test_demo_loads_la_reunion_once(settings, test_data, tmp_path, capsys):
    settings.GEO_CIVIC_DATA_MIRROR = str(test_data(REUNION).parents[2])
    call_command("demo", "--no-serve")
    out = capsys.readouterr().out
    assert "communes of 974: created 24" in out
    assert "initiatives from gogocarto-alternatives: created 98" in out
    assert "initiatives from anct-conseillers-numeriques: created 27" in out
    assert Commune.objects.count() == 24
    assert Commune.objects.get(code="97411").population > 100_000  # from the COG
    assert Actor.objects.filter(commune__isnull=False).count() == 98 + 27
    call_command("demo", "--no-serve")
    assert capsys.readouterr().out == ""  # second run: data reused, nothing reloaded
    assert Actor.objects.count() == 98 + 27


def test_demo_without_network_or_mirror_says_so_in_one_line(settings, tmp_path, capsys):
    # Source definitions whose URL points at a closed local port: no network here.
    sources = tmp_path / "data"
    (sources / "communes").mkdir(parents=True)
    (sources / "communes" / "france-geojson.toml").write_text(
        'name = "france-geojson"\n[fields]\ncode = "code"\nname = "nom"\n'
        '[datasets.974]\nurl = "http://127.0.0.1:9/974.geojson"\n'
    )
    settings.GEO_CIVIC_SOURCES_DIR = sources
    settings.GEO_CIVIC_DATA_MIRROR = ""
    call_command("demo", "--no-serve")
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1
    assert err[0].startswith("no commune data (no network and no GEO_CIVIC_DATA_MIRROR)")
    assert Commune.objects.count() == 0
