"""What every app-API view first asks of its caller: signed in, and a JSON object as the body."""

from __future__ import annotations

from rest_framework import exceptions

from geo_civic.participation.errors import Invalid


def body_of(request) -> dict:
    """The request's JSON body, which must be an object (a 400 problem otherwise)."""
    if not isinstance(request.data, dict):
        raise Invalid("the body is a JSON object")
    return request.data


def require_signed_in(request) -> None:
    """A 401 problem for an anonymous caller, saying how to sign in."""
    if not request.user.is_authenticated:
        raise exceptions.NotAuthenticated("sign in (a session, or Authorization: Bearer <token>)")
