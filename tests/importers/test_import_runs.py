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


def test_an_actor_import_is_recorded_like_the_others(reunion_communes, test_data):
    from tests.conftest import CNFS

    path = test_data(CNFS)
    out = io.StringIO()
    call_command("import_actors", str(path), "--format", "json", "--source-key", "cnfs", stdout=out)
    run = ImportRun.objects.get(kind="actors")
    assert run.source == str(path)
    assert run.checksum == hashlib.sha256(path.read_bytes()).hexdigest()
    assert run.options["source_key"] == "cnfs" and run.options["format"] == "json"
    assert run.counts["created"] > 0
    assert f"created {run.counts['created']}" in out.getvalue()
    call_command("import_actors", str(path), "--format", "json", "--dry-run", stdout=io.StringIO())
    assert ImportRun.objects.filter(kind="actors").count() == 1  # a dry run leaves none


def test_import_options_are_declared_once_for_the_command_and_the_form():
    """Every option of the HTTP form is a flag of the command, with the same help."""
    from importers import options
    from importers.management.commands import import_actors, import_communes

    for declared, command in (
        (options.COMMUNES, import_communes.Command()),
        (options.ACTORS, import_actors.Command()),
    ):
        parser = command.create_parser("manage.py", "import")
        flags = {a.option_strings[0]: a.help for a in parser._actions if a.option_strings}
        for option in declared:
            assert flags[option.flag] == option.help.replace("%", "%%")


def test_a_command_option_that_does_not_parse_is_one_line_naming_the_flag(reunion_communes):
    with pytest.raises(CommandError, match=r"^--srid: an EPSG code \(a number\), not 'abc'$"):
        call_command("import_communes", "x.geojson", "--srid", "abc")
