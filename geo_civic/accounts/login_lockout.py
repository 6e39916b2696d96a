"""django-axes, plus an address-wide lockout against password spraying.

axes locks a (user name, address) pair after ``AXES_FAILURE_LIMIT`` failures; one address trying
a few passwords on many user names never reaches it. So failures are also summed over every user
name tried from the address, in axes' own records (same cool-off, same admin, same
``axes_reset``), and ``GEO_CIVIC_LOGIN_FAILURES_PER_IP`` of them lock the whole address out.
"""

from __future__ import annotations

from axes.attempts import get_cool_off_threshold
from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_cool_off
from axes.models import AccessAttempt
from axes.signals import user_locked_out
from django.conf import settings
from django.db.models import Sum
from django.http import HttpRequest, HttpResponse

from geo_civic.web import rate_limits


class AddressWideLockoutHandler(AxesDatabaseHandler):
    """axes' per-pair rule, and a higher limit per address across user names."""

    def address_failures(self, request: HttpRequest) -> int:
        attempts = AccessAttempt.objects.filter(
            ip_address=request.axes_ip_address,
            attempt_time__gte=get_cool_off_threshold(request),
        )
        return attempts.aggregate(n=Sum("failures_since_start"))["n"] or 0

    def address_locked(self, request: HttpRequest) -> bool:
        limit = settings.GEO_CIVIC_LOGIN_FAILURES_PER_IP
        return limit > 0 and self.address_failures(request) >= limit

    def is_locked(self, request, credentials: dict | None = None) -> bool:
        return super().is_locked(request, credentials) or self.address_locked(request)

    def user_login_failed(self, sender, credentials: dict, request=None, **kwargs) -> None:
        super().user_login_failed(sender, credentials, request, **kwargs)
        if request is None or request.axes_locked_out or self.is_whitelisted(request, credentials):
            return
        if self.address_locked(request):
            request.axes_locked_out = True
            request.axes_credentials = credentials
            user_locked_out.send(
                "axes", request=request, username=None, ip_address=request.axes_ip_address
            )


def lockout_response(
    request: HttpRequest, original_response: HttpResponse | None = None, credentials=None
) -> HttpResponse:
    """The same 429 as every rate limit: each failure while locked out restarts the cool-off."""
    return rate_limits.too_many_requests(request, int(get_cool_off(request).total_seconds()))
