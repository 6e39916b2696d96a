"""A large steward upload is imported by a worker: 202 with a job URL to poll, the file kept
through Django's storage API, and the same report as a synchronous import once done. Dry runs
and small uploads stay synchronous (200)."""

from __future__ import annotations

import json

import pytest
from django.contrib.auth.models import Group, User
from django.core.files.uploadedfile import SimpleUploadedFile

from geo_civic.territories.models import Commune
from importers.models import ImportJob
from tests.conftest import REUNION
from tests.live_servers import run_jobs


def steward_user(name: str = "gaelle") -> User:
    """A steward; the group is made again, as transactional tests flush the migrations' rows."""
    user = User.objects.create_user(name, f"{name}@example.org", "limites-974-ok")
    user.groups.add(Group.objects.get_or_create(name="stewards")[0])
    return user


def renamed(test_data) -> SimpleUploadedFile:
    document = json.loads(test_data(REUNION).read_text())
    for feature in document["features"]:
        if feature["properties"]["code"] == "97411":
            feature["properties"]["nom"] = "Saint-Denis (grand import)"
    return SimpleUploadedFile("communes.geojson", json.dumps(document).encode())


def run_worker(media_root: str) -> None:
    run_jobs("imports", timeout=300, GEO_CIVIC_MEDIA_ROOT=media_root)


@pytest.mark.django_db(transaction=True)
def test_a_large_upload_is_imported_by_a_worker(client, reunion_communes, test_data, settings,
                                                tmp_path):  # fmt: skip
    settings.GEO_CIVIC_ASYNC_IMPORT_BYTES = 10_000  # the Réunion file is larger
    settings.MEDIA_ROOT = str(tmp_path)
    client.force_login(steward_user())
    dry = client.post("/api/imports/communes", {"file": renamed(test_data), "dry_run": "true"})
    assert dry.status_code == 200 and dry.json()["summary"].startswith("dry run: ")
    answer = client.post("/api/imports/communes", {"file": renamed(test_data)})
    assert answer.status_code == 202, answer.content
    job = answer.json()
    assert job["status"] == "queued" and answer["Location"] == f"/api/imports/jobs/{job['job']}"
    assert job["url"].endswith(answer["Location"])
    assert list(tmp_path.rglob("communes.geojson"))  # kept in the storage for the worker
    assert Commune.objects.get(code="97411").name == "Saint-Denis"  # not yet
    assert client.get(answer["Location"]).json()["status"] == "queued"
    client.force_login(steward_user("autre"))
    assert client.get(answer["Location"]).status_code == 404  # someone else's job
    run_worker(str(tmp_path))
    client.force_login(ImportJob.objects.get().uploader)
    done = client.get(answer["Location"]).json()
    assert done["status"] == "done", done
    assert done["report"]["summary"] == "created 0, updated 1, unchanged 23, retired 0"
    assert Commune.objects.get(code="97411").name == "Saint-Denis (grand import)"
    assert not [p for p in tmp_path.rglob("*") if p.is_file()]  # the storage is cleaned


@pytest.mark.django_db(transaction=True)
def test_a_large_upload_that_fails_says_why(client, reunion_communes, settings, tmp_path):
    settings.GEO_CIVIC_ASYNC_IMPORT_BYTES = 10
    settings.MEDIA_ROOT = str(tmp_path)
    client.force_login(steward_user())
    broken = SimpleUploadedFile("communes.geojson", b'{"type": "FeatureCollection", "feat')
    answer = client.post("/api/imports/communes", {"file": broken})
    assert answer.status_code == 202
    run_worker(str(tmp_path))
    failed = client.get(answer["Location"]).json()
    assert failed["status"] == "failed" and failed["detail"]
    assert Commune.objects.count() == 24
