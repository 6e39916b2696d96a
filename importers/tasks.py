"""Large steward uploads, imported by ``manage.py procrastinate worker``.

The request checks the upload and saves its files through Django's storage API (a worker on
another machine reads them when the storage is shared); the job copies them into a temporary
folder and runs the same import as the request would. An import is one transaction, so a job
killed mid-way and retried (the stalled-job check) imports once.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from django.core.files.storage import default_storage
from django.db import DataError, IntegrityError, transaction
from django.utils import timezone
from procrastinate import RetryStrategy
from procrastinate.contrib.django import app

from geo_civic.operations import database_errors
from geo_civic.web.params import ParameterError
from importers import options, uploads
from importers.errors import REPORTED, said
from importers.models import ImportJob
from importers.upload_runs import RUNS

MAPPING = "mapping.toml.in"


def store(kind: str, uploader, folder: Path, fields: dict[str, str]) -> ImportJob:
    """Keep a checked upload's files in the storage and queue its import."""
    with transaction.atomic():
        job = ImportJob.objects.create(kind=kind, uploader=uploader, folder="", fields={})
        prefix = f"imports/{job.pk}"
        names = []
        for path in sorted(folder.iterdir()):
            with path.open("rb") as content:
                default_storage.save(f"{prefix}/{path.name}", content)
            names.append(path.name)
        if "mapping" in fields:
            fields = {**fields, "mapping": MAPPING}
        job.folder, job.files, job.fields = prefix, names, fields
        job.save()
        import_upload.defer(job_id=job.pk)
    return job


@app.task(queue="imports", retry=RetryStrategy(max_attempts=3, exponential_wait=5))
def import_upload(job_id: int) -> str:
    """Run a queued upload's import once and keep its report (or the reason it failed)."""
    job = ImportJob.objects.get(pk=job_id)
    if job.status in (ImportJob.Status.DONE, ImportJob.Status.FAILED):
        return job.status  # already done: a retried job does nothing again
    ImportJob.objects.filter(pk=job_id).update(status=ImportJob.Status.RUNNING)
    run, import_options = RUNS[job.kind]
    folder = Path(tempfile.mkdtemp(prefix="geocivic-job-"))
    try:
        for name in job.files:
            with default_storage.open(f"{job.folder}/{name}", "rb") as source:
                (folder / name).write_bytes(source.read())
        fields = dict(job.fields)
        if fields.get("mapping") == MAPPING:
            fields["mapping"] = str(folder / MAPPING)
        values = options.from_form(import_options, fields)
        report, error = run(folder, values, job.uploader.get_username()), ""
    except ParameterError as exc:
        report, error = None, str(exc)
    except REPORTED as exc:
        report, error = None, said(exc, "form").replace(str(folder) + "/", "")
    except (DataError, IntegrityError) as exc:  # other database errors: retried later
        report = None
        error = "the database refused the data, nothing was imported: "
        error += database_errors.reason(exc)
    finally:
        uploads.remove(folder)
    status = ImportJob.Status.DONE if error == "" else ImportJob.Status.FAILED
    ImportJob.objects.filter(pk=job_id).update(
        status=status, report=report, error=error, finished_at=timezone.now()
    )
    for name in job.files:
        default_storage.delete(f"{job.folder}/{name}")
    return status
