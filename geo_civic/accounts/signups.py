"""Sign-up by e-mail confirmation: nothing is stored until the link e-mailed is opened.

The answer to a sign-up never says whether the e-mail address has an account: a new address gets
a link to choose a password, a known one a reminder of its account. Both leave the database as
it was, so no later request can tell them apart either (a user name is reserved by no one).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.models import User
from django.core import signing
from django.core.mail import send_mail
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.urls import reverse

SALT = "geo_civic.accounts.signup"


@dataclass(frozen=True)
class SignUp:
    username: str
    email: str


def link_for(request: HttpRequest, signup: SignUp) -> str:
    token = signing.dumps({"u": signup.username, "e": signup.email}, salt=SALT, compress=True)
    return request.build_absolute_uri(reverse("signup-confirm", args=[token]))


def read_token(token: str) -> SignUp | None:
    """The sign-up a link carries, or None when it is forged or older than the reset timeout."""
    try:
        data = signing.loads(token, salt=SALT, max_age=settings.PASSWORD_RESET_TIMEOUT)
        return SignUp(str(data["u"]), str(data["e"]))
    except (signing.BadSignature, KeyError, TypeError):
        return None


def send_confirmation(request: HttpRequest, signup: SignUp) -> None:
    """One e-mail to the address, whether or not an account already uses it."""
    accounts = list(User.objects.filter(email__iexact=signup.email).order_by("pk"))
    context = {
        "signup": signup,
        "accounts": accounts,
        "link": link_for(request, signup),
        "login_url": request.build_absolute_uri(reverse("login")),
        "reset_url": request.build_absolute_uri(reverse("password_reset")),
    }
    template = "signup_existing_email.txt" if accounts else "signup_email.txt"
    subject = render_to_string("registration/signup_subject.txt", context).strip()
    send_mail(subject, render_to_string(f"registration/{template}", context), None, [signup.email])


def taken(signup: SignUp) -> bool:
    """Whether the user name or the address was taken since the link was sent."""
    return (
        User.objects.filter(username__iexact=signup.username).exists()
        or User.objects.filter(email__iexact=signup.email).exists()
    )
