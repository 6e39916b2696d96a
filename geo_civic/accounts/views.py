"""Sign-up by e-mail confirmation, and a rate-limited password reset."""

from __future__ import annotations

from django.contrib.auth import login
from django.contrib.auth.forms import SetPasswordForm
from django.contrib.auth.models import User
from django.contrib.auth.views import PasswordResetView
from django.db import IntegrityError, transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_safe

from geo_civic.accounts import signups
from geo_civic.accounts.forms import SignUpForm
from geo_civic.web import rate_limits


@require_http_methods(["GET", "POST"])
def signup(request: HttpRequest) -> HttpResponse:
    form = SignUpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        signup = signups.SignUp(form.cleaned_data["username"], form.cleaned_data["email"])
        if wait := rate_limits.limit_request("signup", request, account=signup.email):
            return rate_limits.too_many_requests(request, wait)
        signups.send_confirmation(request, signup)
        return redirect("signup-sent")
    return render(request, "registration/signup.html", {"form": form})


@require_safe
def signup_sent(request: HttpRequest) -> HttpResponse:
    return render(request, "registration/signup_sent.html")


@require_http_methods(["GET", "POST"])
def signup_confirm(request: HttpRequest, token: str) -> HttpResponse:
    """The link e-mailed: choose a password, and the account exists."""
    signup = signups.read_token(token)
    if signup is None or signups.taken(signup):
        return render(request, "registration/signup_confirm.html", {"invalid": True}, status=400)
    user = User(username=signup.username, email=signup.email)
    form = SetPasswordForm(user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                form.save()
        except IntegrityError:  # the same link opened twice at once
            return render(
                request, "registration/signup_confirm.html", {"invalid": True}, status=400
            )
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        return redirect("contribute")
    return render(
        request, "registration/signup_confirm.html", {"form": form, "username": user.username}
    )


class RateLimitedPasswordResetView(PasswordResetView):
    """Django's reset (the same answer for every address), at most so many e-mails per client
    address and per e-mail address."""

    def post(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        email = request.POST.get("email", "").strip()[:254]
        if wait := rate_limits.limit_request("password_reset", request, account=email):
            return rate_limits.too_many_requests(request, wait)
        return super().post(request, *args, **kwargs)
