"""Data stewards import over HTTP: ``POST /api/imports/communes`` and ``/api/imports/actors``.

The same service functions as the ``import_communes`` and ``import_actors`` commands, with the
same options as form fields, for members of the ``stewards`` group (or superusers). Everything
that can be refused is refused before the body is read (who, how big), while it is read (the cap
holds however the client lies), or before GDAL opens it (``importers.uploads``); any refusal is a
4xx ``application/problem+json`` (``detail``: the reason) and the database as it was.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from pathlib import Path

from django.conf import settings
from django.contrib.gis.gdal import GDALException
from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent
from django.db import DatabaseError, DataError, IntegrityError
from django.http import HttpRequest, JsonResponse
from django.http.multipartparser import MultiPartParserError
from django.middleware.csrf import CsrfViewMiddleware
from django.urls import reverse
from django.utils.encoding import DjangoUnicodeDecodeError
from django.views.decorators.csrf import csrf_exempt

from geo_civic.operations import database_errors
from geo_civic.web.params import ParameterError
from geo_civic.web.problems import problem, problem_of
from importers import options, tasks, uploads
from importers.errors import REPORTED, said
from importers.models import ImportJob
from importers.upload_runs import RUNS

STEWARDS = "stewards"
# Room for the form fields and multipart boundaries beside the file(s) themselves.
FORM_OVERHEAD_BYTES = 64 * 1024


class _CsrfCheck(CsrfViewMiddleware):
    """Django's own CSRF check, answering in JSON like the rest of this API."""

    def _reject(self, request, reason):
        return problem(f"CSRF check failed: {reason}", 403)


def is_steward(user) -> bool:
    return user.is_authenticated and (
        user.is_superuser or user.groups.filter(name=STEWARDS).exists()
    )


def error(message: str, status: int = 400, **headers: str) -> JsonResponse:
    return problem(message, status, headers=headers)


def upload_endpoint(kind: str) -> Callable[[HttpRequest], JsonResponse]:
    """Wrap ``run(folder, values, uploader)`` of ``RUNS[kind]`` with every check an upload goes
    through, in order; its options are form fields (``mapping`` is a file). An upload over
    ``GEO_CIVIC_ASYNC_IMPORT_BYTES`` that is not a dry run is imported by a job: 202."""
    run, import_options = RUNS[kind]
    known = {option.name for option in import_options}

    @csrf_exempt  # checked below, once the upload handler that caps the body is in place
    def view(request: HttpRequest) -> JsonResponse:
        if request.method != "POST":
            return error("POST a multipart form with the file", 405, Allow="POST")
        if not request.user.is_authenticated:
            return error("log in as a data steward first", 401, **{"WWW-Authenticate": "Session"})
        if not is_steward(request.user):
            return error("only data stewards (the stewards group) import", 403)
        try:
            declared = int(request.META.get("CONTENT_LENGTH") or "")
        except ValueError:
            declared = -1
        if declared < 0:
            return error("a Content-Length header is required", 411)
        if declared > uploads.max_upload_bytes() + FORM_OVERHEAD_BYTES:
            return error(str(uploads.too_large(declared)), 413)
        if request.content_type != "multipart/form-data":
            return error("send the file as multipart/form-data (curl -F file=@…)", 415)
        request.upload_handlers = [uploads.CappedUploadHandler(request)]
        folder = Path(tempfile.mkdtemp(prefix="geocivic-upload-"))
        try:
            refused = _CsrfCheck(lambda r: None).process_view(request, None, (), {})
            if refused is not None:
                return refused
            files = request.FILES.getlist("file")
            if not files:
                return error("no file: send it in the form field `file`")
            as_files = {"file"} | ({"mapping"} & known)
            unknown = (set(request.POST) - (known - as_files) - {"csrfmiddlewaretoken"}) | (
                set(request.FILES) - as_files
            )
            if unknown:
                names, accepted = ", ".join(sorted(unknown)), ", ".join(sorted(known))
                return error(f"unknown option(s): {names} (known: {accepted})")
            if nul := sorted(k for k, value in request.POST.items() if "\x00" in value):
                return error(f"{nul[0]}: a NUL character is not allowed in an option")
            uploads.save_uploads(files, folder)
            fields = {k: v.strip() for k, v in request.POST.items() if k in known}
            if "mapping" in request.FILES:
                fields["mapping"] = str(_save_mapping(request.FILES["mapping"], folder))
            values = options.from_form(import_options, fields)
            size = sum(upload.size for upload in files)
            if size > settings.GEO_CIVIC_ASYNC_IMPORT_BYTES and not values["dry_run"]:
                return _queued(request, tasks.store(kind, request.user, folder, fields))
            return JsonResponse(run(folder, values, request.user.get_username()))
        except uploads.UploadRefused as exc:
            return error(str(exc), exc.status)
        except ParameterError as exc:
            return problem_of(exc)
        except REPORTED as exc:
            return error(said(exc, "form").replace(str(folder) + "/", ""))
        except MultiPartParserError as exc:
            return error(f"malformed multipart body ({exc})")
        except TooManyFieldsSent:
            return error(f"more than {settings.DATA_UPLOAD_MAX_NUMBER_FIELDS} fields in the form")
        except TooManyFilesSent:
            return error(f"more than {settings.DATA_UPLOAD_MAX_NUMBER_FILES} files in the form")
        except RequestDataTooBig:
            return error("the form fields beside the files are too large", 413)
        except GDALException as exc:
            return error(f"GDAL cannot read the file ({exc})")
        except DjangoUnicodeDecodeError:
            return error("the file has text that is not UTF-8; give its encoding")
        except (DataError, IntegrityError) as exc:
            return error(
                "the database refused the data, nothing was imported: "
                + database_errors.reason(exc)
            )
        except DatabaseError as exc:
            return error(
                f"database error, nothing was imported: {database_errors.reason(exc)}", 503
            )
        finally:
            uploads.remove(folder)

    return view




def _save_mapping(upload, folder: Path) -> Path:
    if upload.size > 64 * 1024:
        raise ParameterError("mapping: a TOML file of at most 64 KB", "mapping")
    path = folder / "mapping.toml.in"
    path.write_bytes(upload.read())
    return path


def _queued(request: HttpRequest, job: ImportJob) -> JsonResponse:
    url = reverse("import-job", args=[job.pk])
    answer = JsonResponse(
        {"job": job.pk, "status": job.status, "url": request.build_absolute_uri(url)}, status=202
    )
    answer["Location"] = url
    return answer


def import_job(request: HttpRequest, pk: int) -> JsonResponse:
    """``GET /api/imports/jobs/<id>``: a queued import's status, then its report or reason."""
    if request.method not in ("GET", "HEAD"):
        return error("GET this job's status", 405, Allow="GET")
    if not request.user.is_authenticated:
        return error("log in as a data steward first", 401, **{"WWW-Authenticate": "Session"})
    job = ImportJob.objects.filter(pk=pk).first()
    if (
        job is None
        or not is_steward(request.user)
        or (job.uploader_id != request.user.pk and not request.user.is_superuser)
    ):
        return error("no import job of yours with this id", 404)
    body = {"job": job.pk, "kind": job.kind, "status": job.status}
    if job.status == ImportJob.Status.DONE:
        body["report"] = job.report
    elif job.status == ImportJob.Status.FAILED:
        body["detail"] = job.error
    return JsonResponse(body)


communes = upload_endpoint("communes")
actors = upload_endpoint("actors")
