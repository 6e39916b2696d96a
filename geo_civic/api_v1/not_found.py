"""The answer to a path no ``/api/v1/`` operation has: a 404 problem, whatever the method."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import exceptions
from rest_framework.views import APIView


@extend_schema(exclude=True)
class NotFoundView(APIView):
    authentication_classes: list = []
    permission_classes: list = []
    throttle_classes: list = []

    def initial(self, request, *args, **kwargs):
        raise exceptions.NotFound("no operation of /api/v1/ at this path (see /api/v1/schema/)")
