"""Bearer tokens for apps: ``POST /api/v1/auth/token`` with a user name and password answers a
token (django-rest-knox, expiring; only its digest is stored); ``DELETE`` revokes the token used.
Logins go through Django's ``authenticate`` so django-axes locks out password guessing."""

from __future__ import annotations

from axes.exceptions import AxesBackendPermissionDenied
from django.contrib.auth import authenticate
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from knox.models import AuthToken
from rest_framework import exceptions, serializers
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from geo_civic.accounts import tokens
from geo_civic.api_v1.bearer import BearerAuthentication
from geo_civic.api_v1.problems import problem
from geo_civic.api_v1.schema_parts import refusals
from geo_civic.api_v1.throttles import THROTTLES, ClientRateThrottle, TokenRateThrottle
from geo_civic.web.params import whole_number

Credentials = inline_serializer(
    "Credentials",
    {
        "username": serializers.CharField(),
        "password": serializers.CharField(),
        "label": serializers.CharField(
            required=False, max_length=100, help_text="to recognise the token in one's list"
        ),
    },
)
Token = inline_serializer(
    "Token", {"token": serializers.CharField(), "expiry": serializers.DateTimeField()}
)


class TokenView(APIView):
    authentication_classes = [BearerAuthentication]
    throttle_classes = [ClientRateThrottle, TokenRateThrottle]

    def get_permissions(self):
        return [IsAuthenticated()] if self.request.method == "DELETE" else []

    def get_throttles(self):
        return super().get_throttles() if self.request.method == "POST" else []

    @extend_schema(request=Credentials, responses={200: Token}, auth=[])
    def post(self, request):
        data = request.data if isinstance(request.data, dict) else {}
        username, password = data.get("username"), data.get("password")
        if not isinstance(username, str) or not isinstance(password, str):
            raise exceptions.ValidationError("give username and password as text")
        try:
            user = authenticate(request._request, username=username, password=password)
        except AxesBackendPermissionDenied:
            return problem(429, "Too many failed logins", "try again in 15 minutes", "locked-out")
        if getattr(request._request, "axes_locked_out", False):
            return problem(429, "Too many failed logins", "try again in 15 minutes", "locked-out")
        if user is None or not user.is_active:
            raise exceptions.AuthenticationFailed("wrong user name or password")
        label = data.get("label", "")
        if not isinstance(label, str) or len(label) > tokens.MAX_LABEL:
            raise exceptions.ValidationError(f"label is a text of at most {tokens.MAX_LABEL}")
        agent = request.headers.get("User-Agent", "")
        instance, token = tokens.create(user, label, agent)
        return Response({"token": token, "expiry": instance.expiry})

    @extend_schema(
        summary="Revoke the token this request is signed with",
        request=None,
        responses={204: None, **refusals(401, 429)},
    )
    def delete(self, request):
        if not isinstance(request.auth, AuthToken):
            raise exceptions.ValidationError("this request is not signed with a token")
        request.auth.delete()
        return Response(status=204)


TOKEN_INFO = {
    "id": serializers.IntegerField(),
    "label": serializers.CharField(),
    "user_agent": serializers.CharField(),
    "created": serializers.DateTimeField(),
    "expiry": serializers.DateTimeField(allow_null=True),
    "current": serializers.BooleanField(help_text="the token of this request"),
}


class TokenListView(APIView):
    """One's own tokens, never their text; revoked one by one."""

    throttle_classes = THROTTLES
    permission_classes = [IsAuthenticated]

    @extend_schema(
        summary="One's tokens not yet expired (label, application, dates; never the token)",
        responses={
            200: inline_serializer(
                "Tokens", {"tokens": inline_serializer("TokenInfo", TOKEN_INFO, many=True)}
            ),
            **refusals(401, 429),
        },
    )
    def get(self, request):
        current = getattr(request.auth, "digest", None)
        found = [
            {"id": row.pk, "label": row.label, "user_agent": row.user_agent,
             "created": row.token.created, "expiry": row.token.expiry,
             "current": row.token.digest == current}
            for row in tokens.active(request.user)
        ]  # fmt: skip
        return Response({"tokens": found}, headers={"Cache-Control": "private, no-store"})


class TokenDetailView(APIView):
    throttle_classes = THROTTLES
    permission_classes = [IsAuthenticated]

    @extend_schema(
        summary="Revoke one of one's tokens",
        request=None,
        parameters=[OpenApiParameter("id", int, OpenApiParameter.PATH)],
        responses={204: None, **refusals(400, 401, 403, 404, 429)},
    )
    def delete(self, request, id: str):
        number = whole_number("id", id, minimum=1, maximum=2**63 - 1)
        if not tokens.revoke(request.user, number):
            raise exceptions.NotFound("none of your tokens has this id")
        return Response(status=204)
