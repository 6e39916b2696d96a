"""Pages of notifications: the list (mark read), the preferences form, and unsubscribe links."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from geo_civic.notifications import emails, inbox, preferences
from geo_civic.notifications.models import EmailMode


@login_required
@require_http_methods(["GET", "HEAD"])
def notification_list(request: HttpRequest) -> HttpResponse:
    page = Paginator(inbox.of(request.user), 30).get_page(request.GET.get("page"))
    return render(request, "notifications/list.html", {"page": page})


@login_required
@require_POST
def mark_read(request: HttpRequest) -> HttpResponse:
    """``ids`` (one or more) or ``all``: only the person's own notifications change."""
    if request.POST.get("all"):
        inbox.mark_read(request.user)
    else:
        given = request.POST.getlist("ids")[:1000]
        ids = [int(value) for value in given if value.isdigit() and len(value) <= 18]
        inbox.mark_read(request.user, ids)
    return redirect("notifications")


class PreferenceForm(forms.Form):
    email = forms.ChoiceField(label=gettext_lazy("E-mails"), choices=EmailMode.choices)
    push = forms.BooleanField(label=gettext_lazy("Push notifications"), required=False)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def preference_form(request: HttpRequest) -> HttpResponse:
    current = preferences.of(request.user)
    form = PreferenceForm(request.POST or None, initial=current)
    if request.method == "POST" and form.is_valid():
        preferences.update(request.user, form.cleaned_data)
        messages.success(request, _("Your notification preferences are saved."))
        return redirect("notification-preferences")
    return render(request, "notifications/preferences.html", {"form": form})


@csrf_exempt  # RFC 8058: mail clients POST without a session; the signed token is the proof
@require_http_methods(["GET", "HEAD", "POST"])
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    """GET asks to confirm (link scanners must not unsubscribe); POST stops every e-mail."""
    user_id = emails.user_of_token(token)
    if user_id is None:
        return render(request, "notifications/unsubscribe.html", {"invalid": True}, status=400)
    if request.method == "POST":
        if get_user_model().objects.filter(pk=user_id).exists():  # else: nothing left to stop
            preferences.stop_email(user_id)
        return render(request, "notifications/unsubscribe.html", {"done": True})
    return render(request, "notifications/unsubscribe.html", {"token": token})
