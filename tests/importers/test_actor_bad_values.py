"""Malformed values in an actor import never crash it: each is one line saying what and where
(ImportFailed; the command exits 1, the HTTP import answers 400), and nothing is changed."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from django.contrib.auth.models import Group, User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from geo_civic.actors.models import Actor
from importers.actor_formats import read_actors
from importers.actor_mapping import FieldMapping
from importers.actors import ActorRow, upsert_actors
from importers.errors import ImportFailed
from importers.gogocarto import read_gogocarto
from importers.transiscope import read_transiscope

pytestmark = pytest.mark.django_db

GOOD_GOGOCARTO = {"@id": "a1", "name": "Atelier", "lat": -21.0096, "long": 55.27}
GOOD_TRANSISCOPE = {"id": "t1", "title": "Atelier", "location": {"lat": -21.0096, "lon": 55.27}}

STATE_SQL = """
SELECT (SELECT count(*) FROM actors_actor),
       (SELECT md5(coalesce(string_agg(a::text, '|' ORDER BY a.id), '')) FROM actors_actor a),
       (SELECT count(*) FROM actors_category)
"""


def database_state() -> tuple:
    with connection.cursor() as cursor:
        cursor.execute(STATE_SQL)
        return cursor.fetchone()


@pytest.fixture
def stored(reunion_communes):
    Actor.objects.create(kind="place", name="Repair café", point="POINT(55.27 -21.0096)")
    return database_state()


def written(tmp_path: Path, document, name: str = "elements.json") -> Path:
    path = tmp_path / name
    path.write_text(document if isinstance(document, str) else json.dumps(document))
    return path


@pytest.mark.parametrize(
    "fmt, record, message",
    [
        ("gogocarto", {"taxonomy": 5}, "record 1: 'taxonomy' should be a list, not a number"),
        ("gogocarto", {"taxonomy": {"@id": "x"}}, "'taxonomy' should be a list, not an object"),
        ("gogocarto", {"taxonomy": [{"@id": ["x"]}]}, "taxonomy: '@id' should be a text, not a"),
        ("gogocarto", {"name": {"fr": ["Atelier"]}}, "record 1: 'name' should be a text, not an"),
        ("gogocarto", {"label": {"@value": [1]}}, "label: '@value' should be a text, not a list"),
        ("gogocarto", {"@id": [1, 2]}, "record 1: '@id' should be a text, not a list"),
        ("gogocarto", {"site": {"url": "x"}}, "record 1: 'site' should be a text, not an object"),
        ("transiscope", {"categories": "x"}, "record 1: 'categories' should be a list, not a text"),
        ("transiscope", {"categories": 5}, "record 1: 'categories' should be a list, not a number"),
        ("transiscope", {"categories": [{"name": "Jardins", "parent": {"id": 1}}]},
         "record 1, categories: 'parent' should be a text, not an object"),
        ("transiscope", {"categories": [{"id": [], "name": "x"}]}, "'id' should be a text, not"),
        ("transiscope", {"address": {"city": ["Saint-Paul"]}}, "address: 'city' should be a text"),
        ("transiscope", {"summary": {"html": "<b>x</b>"}}, "'summary' should be a text, not an"),
        ("transiscope", {"email": ["a@b.c"]}, "record 1: 'email' should be a text, not a list"),
    ],
)  # fmt: skip
def test_a_field_of_the_wrong_shape_fails_the_import_in_one_line(
    stored, tmp_path, fmt, record, message
):
    good = GOOD_GOGOCARTO if fmt == "gogocarto" else GOOD_TRANSISCOPE
    path = written(tmp_path, [{**good, **record}, good])
    with pytest.raises(CommandError) as failure:
        call_command("import_actors", str(path), "--format", fmt, "--source-key", "x")
    assert message in str(failure.value) and str(path) in str(failure.value)
    assert "\n" not in str(failure.value) and failure.value.returncode == 1
    assert database_state() == stored


@pytest.mark.parametrize(
    "document, message",
    [
        ("[" * 100_000, "invalid JSON (nested too deeply)"),
        ('{"data": [{"@id": 1' + "0" * 5000 + "}]}", "invalid JSON (Exceeds the limit"),
        ('{"data": [{"lat": 1' + "0" * 400 + ', "long": 1, "name": "x"}]}', None),
    ],
    ids=["deep", "long-integer", "huge-coordinate"],
)
def test_pathological_json_is_refused_or_skipped(tmp_path, document, message):
    path = written(tmp_path, document)
    for reader in (read_gogocarto, read_transiscope):
        if message is None:
            rows, warnings = reader(path)
            assert rows == [] and len(warnings) == 1
        else:
            with pytest.raises(ImportFailed, match=re.escape(message)):
                reader(path)


@pytest.mark.parametrize(
    "toml, message",
    [
        ("fields = [1]", 'fields.toml: [fields] should be a table of field = "column", not [1]'),
        ("fields = 'nom'", "[fields] should be a table of field = \"column\", not 'nom'"),
        ("[fields]\nname = 3", "fields.toml: name should be a column name in quotes, not 3"),
        ("[fields]\nname = ''", "fields.toml: name should be a column name in quotes, not ''"),
        ("[fields]\nname = { a = 1 }", "name should be a column name in quotes, not {'a': 1}"),
        ("name = ['nom']", "fields.toml: name should be a column name in quotes, not ['nom']"),
        ("a = " + "[" * 100_000, "fields.toml: invalid TOML (nested too deeply)"),
        (b"[fields]\nname = '\xe9'", "fields.toml: not UTF-8 text"),
    ],
    ids=["list", "text", "number", "empty", "table", "top-level-list", "deep", "latin1"],
)
def test_a_malformed_mapping_file_fails_in_one_line(stored, tmp_path, toml, message):
    mapping = tmp_path / "fields.toml"
    mapping.write_bytes(toml if isinstance(toml, bytes) else toml.encode())
    with pytest.raises(ImportFailed, match=re.escape(message)):
        FieldMapping.from_file(mapping)
    table = written(tmp_path, "nom,latitude,longitude\nAtelier,-21.0096,55.27\n", "liste.csv")
    with pytest.raises(CommandError) as failure:
        call_command("import_actors", str(table), "--format", "csv", "--mapping", str(mapping))
    assert "\n" not in str(failure.value) and failure.value.returncode == 1
    assert database_state() == stored


NUL_CSV = "nom,latitude,longitude\nAtelier,-21.0096,55.27\nRepair\x00café,-21.0096,55.28\n"


def test_a_csv_with_a_nul_character_fails_in_one_line(stored, tmp_path):
    path = written(tmp_path, NUL_CSV, "liste.csv")
    with pytest.raises(CommandError) as failure:
        call_command("import_actors", str(path), "--format", "csv")
    assert str(failure.value) == f"{path}: a NUL character at line 3: not a text file"
    assert failure.value.returncode == 1
    assert database_state() == stored


@pytest.mark.parametrize(
    "fmt, document",
    [
        ("gogocarto", [GOOD_GOGOCARTO, {**GOOD_GOGOCARTO, "@id": "a2", "name": "Re\x00pair"}]),
        ("transiscope", [{**GOOD_TRANSISCOPE, "summary": "x\x00"}]),
        ("gogocarto", [{**GOOD_GOGOCARTO, "tags": "jardin,\ud800"}]),
        ("json", [{"nom": "Atelier", "lat": -21.0096, "lon": 55.27, "description": "\x00"}]),
    ],
    ids=["gogocarto-name", "transiscope-summary", "gogocarto-surrogate", "json-records"],
)
def test_text_the_database_cannot_hold_fails_the_import_in_one_line(
    stored, tmp_path, fmt, document
):
    path = written(tmp_path, document)
    with pytest.raises(CommandError) as failure:
        call_command("import_actors", str(path), "--format", fmt, "--source-key", "x")
    assert "in its text, nothing imported" in str(failure.value)
    assert "\n" not in str(failure.value) and "\x00" not in str(failure.value)
    assert database_state() == stored


@pytest.fixture
def steward(client):
    user = User.objects.create_user("gaelle", "gaelle@example.org", "limites-974-ok")
    user.groups.add(Group.objects.get(name="stewards"))
    client.force_login(user)
    return client


def upload(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/octet-stream")


@pytest.mark.parametrize(
    "files, options, message",
    [
        ([upload("liste.csv", NUL_CSV.encode())], {"format": "csv"},
         "liste.csv: a NUL character at line 3"),
        ([upload("e.json", json.dumps([{**GOOD_GOGOCARTO, "taxonomy": 5}]).encode())], {},
         "e.json: record 1: 'taxonomy' should be a list, not a number"),
        ([upload("t.json", json.dumps([{**GOOD_TRANSISCOPE, "categories": "x"}]).encode())],
         {"format": "transiscope"}, "t.json: record 1: 'categories' should be a list"),
        ([upload("liste.csv", b"nom,latitude,longitude\nAtelier,-21.0096,55.27\n")],
         {"format": "csv", "mapping": upload("f.toml", b"[fields]\nname = 3")},
         "name should be a column name in quotes, not 3"),
        ([upload("liste.csv", b"nom,latitude,longitude\nAtelier,-21.0096,55.27\n")],
         {"format": "csv", "mapping": upload("f.toml", b"fields = [1]")},
         '[fields] should be a table of field = "column", not [1]'),
        ([upload("e.json", json.dumps([{**GOOD_GOGOCARTO, "name": "a\x00"}]).encode())], {},
         "record 1 (a\\x00): a NUL character in its text, nothing imported"),
    ],
    ids=["nul-csv", "taxonomy", "categories", "mapping-number", "mapping-list", "nul-json"],
)  # fmt: skip
def test_http_import_answers_400_with_the_reason(steward, stored, files, options, message):
    answer = steward.post("/api/imports/actors", {"file": files, **options})
    assert answer.status_code == 400, answer.content
    assert message in answer.json()["detail"]
    assert database_state() == stored


# --- whatever JSON comes in, only ImportFailed comes out -----------------------------------

KEYS = [
    "@id", "id", "name", "title", "lat", "long", "lon", "location", "address", "taxonomy",
    "categories", "parent", "tags", "label", "@value", "site", "website", "summary",
    "description", "commitment", "email", "telephone", "street", "postalCode", "city", "data",
]  # fmt: skip
scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.integers(min_value=10**308, max_value=10**320),
    st.floats(),
    st.text(max_size=12),
    st.sampled_from(["-21.0096", "55.27", "\x00", "a\ud800", "<b>x</b>", "Jardin, AMAP"]),
)
json_values = st.recursive(
    scalars,
    lambda children: (
        st.lists(children, max_size=3)
        | st.dictionaries(st.sampled_from(KEYS) | st.text(max_size=4), children, max_size=4)
    ),
    max_leaves=12,
)
# A usable record (both formats' name and position), then any fields over it: the junk reaches
# the code that reads taxonomies, categories and addresses, past the name and position checks.
USABLE = {**GOOD_GOGOCARTO, **GOOD_TRANSISCOPE}
READ_PAST_CHECKS = [k for k in KEYS if k not in ("name", "title", "lat", "long", "location")]
junk = st.one_of(scalars, json_values)  # mostly a scalar where a list or an object belongs
records = st.fixed_dictionaries({}, optional=dict.fromkeys(READ_PAST_CHECKS, junk)).map(
    lambda extra: {**USABLE, **extra}
)
documents = st.one_of(
    st.lists(records, min_size=1, max_size=4),
    st.fixed_dictionaries({"data": st.lists(records | json_values, max_size=4)}),
    st.lists(st.dictionaries(st.sampled_from(KEYS), json_values, max_size=6), max_size=3),
    json_values,
)


@settings(
    max_examples=50,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(document=documents, fmt=st.sampled_from(["gogocarto", "transiscope"]))
def test_random_json_gives_rows_or_import_failed(tmp_path, fmt, document):
    path = tmp_path / "random.json"
    path.write_text(json.dumps(document), encoding="utf-8", errors="surrogatepass")
    try:
        rows, warnings = read_actors(path, fmt, kind="place")
        assert all(isinstance(row, ActorRow) for row in rows)
        assert all(isinstance(w, str) for w in warnings)
        upsert_actors(rows, source_key="fuzz", warnings=warnings, dry_run=True)
    except ImportFailed as failure:
        assert "\n" not in str(failure)
    assert not Actor.objects.exists()
