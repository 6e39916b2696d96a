import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from geo_civic.actors.models import Actor
from geo_civic.territories.models import Commune

pytestmark = pytest.mark.django_db(transaction=True)


def test_backup_and_restore_round_trip_the_data(reunion_communes, tmp_path, capsys):
    Actor.objects.create(kind="place", name="Jardin partagé", point="POINT(55.4481 -20.8789)")
    before = {c.code: (c.name, c.boundary.wkb.hex(), c.area_km2) for c in Commune.objects.all()}
    dump = tmp_path / "geocivic.dump"
    call_command("backup", str(dump))
    assert "backup written to" in capsys.readouterr().out

    Actor.objects.all().delete()
    Commune.objects.filter(code__startswith="974").delete()
    Actor.objects.create(kind="event", name="Après la sauvegarde", point="POINT(55.5 -21.0)")

    call_command("restore", str(dump), "--yes")
    after = {c.code: (c.name, c.boundary.wkb.hex(), c.area_km2) for c in Commune.objects.all()}
    assert after == before
    jardin = Actor.objects.get()
    assert jardin.name == "Jardin partagé"
    assert jardin.commune.code == "97411"


def test_restore_needs_confirmation_and_a_real_dump(reunion_communes, tmp_path):
    with pytest.raises(CommandError, match="--yes"):
        call_command("restore", str(tmp_path / "x.dump"))
    not_a_dump = tmp_path / "x.dump"
    not_a_dump.write_text("hello")
    with pytest.raises(CommandError, match="pg_restore failed"):
        call_command("restore", str(not_a_dump), "--yes")
    assert Commune.objects.count() == 24  # nothing changed
