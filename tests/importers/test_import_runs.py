"""Every committed import leaves an ImportRun the data steward finds in the admin."""

import hashlib
import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from importers.cog import import_cog
from importers.communes import import_communes
from importers.models import ImportRun
from tests.conftest import REUNION

pytestmark = pytest.mark.django_db


def test_a_commune_import_is_recorded_with_checksum_options_and_counts(db, test_data):
    path = test_data(REUNION)
    import_communes(path, source="france-geojson/974", valid_from=None, complete_for="974")
    run = ImportRun.objects.get()
    assert (run.kind, run.source) == ("communes", "france-geojson/974")
    assert run.checksum == hashlib.sha256(path.read_bytes()).hexdigest()
    assert run.options["schema"] == "france-geojson"
    assert run.options["complete_for"] == "974"
    assert run.counts["created"] == 24
    assert run.duration_s > 0


def test_dry_runs_and_failures_leave_no_record(db, test_data, tmp_path):
    import_communes(test_data(REUNION), dry_run=True)
    bad = tmp_path / "bad.geojson"
    bad.write_text("{")
    with pytest.raises(CommandError):
        call_command("import_communes", str(bad))
    assert not ImportRun.objects.exists()


def test_cog_import_is_recorded(reunion_communes):
    import_cog()
    run = ImportRun.objects.get(kind="cog")
    assert run.counts["communes"] == 24


def test_the_admin_lists_imports(reunion_communes, admin_client):
    response = admin_client.get("/admin/importers/importrun/")
    assert response.status_code == 200
    assert "france-geojson/974" in response.content.decode()
    assert "created 24" in response.content.decode()


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_a_terminal_gets_a_progress_bar_and_a_pipe_does_not(db, test_data):
    terminal, pipe = Terminal(), io.StringIO()
    call_command("import_communes", str(test_data(REUNION)), stderr=terminal)
    assert "reading [" in terminal.getvalue() and "] 24/24" in terminal.getvalue()
    call_command("import_communes", str(test_data(REUNION)), stderr=pipe)
    assert pipe.getvalue() == ""
