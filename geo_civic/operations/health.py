"""``/healthz``: is the app up, and can it reach its database right now?

Load balancers and the people on call read it. It opens a fresh query on every call, so it
reports a database that went away, and recovers by itself when the database comes back.
"""

from django.db import DatabaseError, connection
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from geo_civic.operations import database_errors


@never_cache
@require_safe
def healthz(request: HttpRequest) -> JsonResponse:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT postgis_lib_version()")
            (postgis,) = cursor.fetchone()
    except DatabaseError as exc:
        # Drop the broken connection so the next request opens a new one.
        connection.close_if_unusable_or_obsolete()
        reason = database_errors.reason(exc)
        return JsonResponse(
            {"status": "error", "database": "unavailable", "reason": reason}, status=503
        )
    return JsonResponse({"status": "ok", "database": "ok", "postgis": postgis})
