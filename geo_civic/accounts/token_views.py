"""The account's page of app tokens: which apps hold one, since when, until when; revoke one."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from geo_civic.accounts import tokens


@login_required
@require_http_methods(["GET", "POST"])
def app_tokens(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        value = request.POST.get("revoke", "")
        if value.isascii() and value.isdigit() and len(value) < 19 and tokens.revoke(
            request.user, int(value)
        ):
            messages.success(request, _("The token is revoked: that app is signed out."))
        else:
            messages.error(request, _("None of your tokens has this number."))
        return redirect("app-tokens")
    return render(request, "registration/app_tokens.html", {"tokens": tokens.active(request.user)})
