"""Data stewards import over HTTP: ``POST /api/imports/communes`` and ``/api/imports/actors``.

The same service functions as the ``import_communes`` and ``import_actors`` commands, with the
same options as form fields, for members of the ``stewards`` group (or superusers). Everything
that can be refused is refused before the body is read (who, how big), while it is read (the cap
holds however the client lies), or before GDAL opens it (``importers.uploads``); any refusal is a
4xx with ``{"error": reason}`` and the database as it was.
"""

from __future__ import annotations

import datetime
import re
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
from django.utils.encoding import DjangoUnicodeDecodeError
from django.views.decorators.csrf import csrf_exempt

from geo_civic import database_errors
from geo_civic.actors.models import Actor
from importers import uploads
from importers.actor_formats import FORMATS, import_actor_file
from importers.actor_mapping import FieldMapping
from importers.communes import import_communes
from importers.errors import ImportFailed

STEWARDS = "stewards"
FLAG = re.compile(r"--([a-z][a-z-]*)")
EPSG_CODE = re.compile(r"[0-9]{1,6}")  # ASCII digits: str.isdigit() also takes "²"
# Room for the form fields and multipart boundaries beside the file(s) themselves.
FORM_OVERHEAD_BYTES = 64 * 1024
TRUE, FALSE = {"1", "true", "yes", "on"}, {"", "0", "false", "no", "off"}


class BadOption(ImportFailed):
    pass


class _CsrfCheck(CsrfViewMiddleware):
    """Django's own CSRF check, answering in JSON like the rest of this API."""

    def _reject(self, request, reason):
        return JsonResponse({"error": f"CSRF check failed: {reason}"}, status=403)


def is_steward(user) -> bool:
    return user.is_authenticated and (
        user.is_superuser or user.groups.filter(name=STEWARDS).exists()
    )


def error(message: str, status: int = 400, **headers: str) -> JsonResponse:
    return JsonResponse({"error": message}, status=status, headers=headers)


def upload_endpoint(
    run: Callable[[Path, dict], dict], known: set[str]
) -> Callable[[HttpRequest], JsonResponse]:
    """Wrap ``run(folder, options)`` with every check an upload goes through, in order;
    ``known`` are the options (form fields) it takes."""

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
                names, options = ", ".join(sorted(unknown)), ", ".join(sorted(known))
                return error(f"unknown option(s): {names} (known: {options})")
            if nul := sorted(k for k, value in request.POST.items() if "\x00" in value):
                return error(f"{nul[0]}: a NUL character is not allowed in an option")
            uploads.save_uploads(files, folder)
            options = {k: v.strip() for k, v in request.POST.items()}
            if "mapping" in request.FILES:
                options["mapping_file"] = _save_mapping(request.FILES["mapping"], folder)
            options["uploaded_by"] = request.user.get_username()
            return JsonResponse(run(folder, options))
        except uploads.UploadRefused as exc:
            return error(str(exc), exc.status)
        except ImportFailed as exc:
            return error(as_form_fields(str(exc).replace(str(folder) + "/", "")))
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


def as_form_fields(message: str) -> str:
    """The importers name the commands' flags (``--code-field``); here they are form fields."""
    return FLAG.sub(lambda m: m.group(1).replace("-", "_"), message)


def _save_mapping(upload, folder: Path) -> Path:
    if upload.size > 64 * 1024:
        raise BadOption("mapping: a TOML file of at most 64 KB")
    path = folder / "mapping.toml.in"
    path.write_bytes(upload.read())
    return path


def _bool(options: dict, name: str) -> bool:
    value = options.get(name, "").lower()
    if value in TRUE:
        return True
    if value in FALSE:
        return False
    raise BadOption(f"{name}: true or false, not {value[:40]!r}")


def _int(options: dict, name: str) -> int | None:
    value = options.get(name, "")
    if not value:
        return None
    if not EPSG_CODE.fullmatch(value):
        raise BadOption(f"{name}: an EPSG code (a number), not {value[:40]!r}")
    return int(value)


def _date(options: dict, name: str) -> datetime.date | None:
    value = options.get(name, "")
    try:
        return datetime.date.fromisoformat(value) if value else None
    except ValueError:
        raise BadOption(f"{name}: a date YYYY-MM-DD, not {value[:40]!r}") from None


def _text(options: dict, name: str, limit: int = 100) -> str | None:
    value = options.get(name) or None
    if value is not None and len(value) > limit:
        raise BadOption(f"{name}: at most {limit} characters")
    return value


def run_communes(folder: Path, options: dict) -> dict:
    """Options as the command's: source, code_field, … dry_run (see import_communes --help)."""
    layer = _text(options, "layer")
    path = uploads.main_file(folder, layer)
    country = (_text(options, "country", 2) or "FR").upper()
    dry_run = _bool(options, "dry_run")
    summary = import_communes(
        path,
        code_field=_text(options, "code_field"),
        name_field=_text(options, "name_field"),
        population_field=_text(options, "population_field"),
        schema=_text(options, "source") or "auto",
        layer=layer,
        srid=_int(options, "srid"),
        encoding=_text(options, "encoding", 40),
        country=country,
        source=f"upload {path.name} by {options['uploaded_by']}"[:200],
        complete_for=_text(options, "complete_for", 200),
        valid_from=_date(options, "valid_from"),
        force=_bool(options, "force"),
        dry_run=dry_run,
    )
    return {
        "summary": ("dry run: " if dry_run else "") + summary.line(),
        "dry_run": dry_run,
        "created": summary.created,
        "updated": summary.updated,
        "unchanged": summary.unchanged,
        "retired": summary.retired,
        "actors_moved": summary.actors_moved,
        "schema": summary.schema,
        "warnings": summary.warnings,
    }


def run_actors(folder: Path, options: dict) -> dict:
    """Options as the command's: format, source_key, *_field, kind, mapping (a file), dry_run."""
    path = uploads.main_file(folder)
    fmt = _text(options, "format") or "gogocarto"
    if fmt not in FORMATS:
        raise BadOption(f"format: one of {', '.join(FORMATS)}, not {fmt[:40]!r}")
    kind = _text(options, "kind") or Actor.Kind.ORGANISATION
    if kind not in Actor.Kind.values:
        raise BadOption(f"kind: one of {', '.join(Actor.Kind.values)}, not {kind[:40]!r}")
    mapping = FieldMapping.from_file(
        options.get("mapping_file"),
        **{n: _text(options, f"{n}_field") for n in ("id", "name", "lat", "lon", "address")},
    )
    dry_run = _bool(options, "dry_run")
    summary = import_actor_file(
        path,
        fmt,
        source_key=_text(options, "source_key") or path.stem[:100],
        kind=kind,
        mapping=mapping,
        dry_run=dry_run,
    )
    return {
        "summary": ("dry run: " if dry_run else "") + summary.line(),
        "dry_run": dry_run,
        "created": summary.created,
        "updated": summary.updated,
        "unchanged": summary.unchanged,
        "skipped": summary.skipped,
        "warnings": summary.report(),
    }


COMMUNE_OPTIONS = {
    "source", "code_field", "name_field", "population_field", "layer", "srid", "encoding",
    "country", "complete_for", "valid_from", "force", "dry_run",
}  # fmt: skip
ACTOR_OPTIONS = {
    "format", "source_key", "id_field", "name_field", "lat_field", "lon_field", "address_field",
    "kind", "mapping", "dry_run",
}  # fmt: skip

communes = upload_endpoint(run_communes, COMMUNE_OPTIONS)
actors = upload_endpoint(run_actors, ACTOR_OPTIONS)
