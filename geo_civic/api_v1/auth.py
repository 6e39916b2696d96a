"""Bearer tokens for apps: ``POST /api/v1/auth/token`` with a user name and password answers a
token (django-rest-knox, expiring; only its digest is stored); ``DELETE`` revokes the token used.
Logins go through Django's ``authenticate`` so django-axes locks out password guessing."""

from __future__ import annotations

from axes.exceptions import AxesBackendPermissionDenied
from django.contrib.auth import authenticate
from drf_spectacular.utils import extend_schema, inline_serializer
from knox.auth import TokenAuthentication
from knox.models import AuthToken
from rest_framework import exceptions, serializers
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from geo_civic.api_v1.problems import problem
from geo_civic.api_v1.throttles import ClientRateThrottle, TokenRateThrottle

Credentials = inline_serializer(
    "Credentials", {"username": serializers.CharField(), "password": serializers.CharField()}
)
Token = inline_serializer(
    "Token", {"token": serializers.CharField(), "expiry": serializers.DateTimeField()}
)


class TokenView(APIView):
    authentication_classes = [TokenAuthentication]
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
        instance, token = AuthToken.objects.create(user)
        return Response({"token": token, "expiry": instance.expiry})

    @extend_schema(request=None, responses={204: None})
    def delete(self, request):
        request.auth.delete()
        return Response(status=204)
