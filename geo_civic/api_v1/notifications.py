"""``/api/v1/`` for notifications: one's own list (keyset cursor), marking read, preferences and
Web Push subscriptions. Every query is filtered by the signed-in person: nobody else's data."""

from __future__ import annotations

import base64
from datetime import datetime

from django.db.models import Q
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import exceptions, serializers
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from geo_civic.api_v1.throttles import ClientRateThrottle, WriteRateThrottle
from geo_civic.notifications import inbox, preferences, push
from geo_civic.notifications.models import PushSubscription
from geo_civic.web import params

THROTTLES = [ClientRateThrottle, WriteRateThrottle]
PAGE = 20


def _invalid(exc: params.ParameterError) -> exceptions.ValidationError:
    return exceptions.ValidationError(str(exc))


class NotificationSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    kind = serializers.CharField()
    title = serializers.CharField()
    url = serializers.CharField()
    body = serializers.CharField()
    created_at = serializers.DateTimeField()
    read_at = serializers.DateTimeField(allow_null=True)


def _cursor(created_at: datetime, pk: int) -> str:
    return base64.urlsafe_b64encode(f"{created_at.isoformat()}|{pk}".encode()).decode()


def _position(cursor: str) -> tuple[datetime, int]:
    try:
        stamp, pk = base64.urlsafe_b64decode(cursor.encode()).decode().split("|")
        return datetime.fromisoformat(stamp), int(pk)
    except (ValueError, UnicodeError) as exc:
        raise exceptions.ValidationError("cursor is not one this API gave") from exc


class NotificationListView(APIView):
    permission_classes = [IsAuthenticated]
    throttle_classes = THROTTLES
    serializer_class = NotificationSerializer

    @extend_schema(
        parameters=[
            OpenApiParameter("unread", bool, description="only the unread ones"),
            OpenApiParameter("cursor", str, description="the `next` of the previous page"),
        ],
        responses=inline_serializer(
            "NotificationPage",
            {
                "results": NotificationSerializer(many=True),
                "next": serializers.CharField(allow_null=True),
                "unread": serializers.IntegerField(),
            },
        ),
    )
    def get(self, request):
        try:
            given = params.single_values(request.query_params, known={"unread", "cursor"})
            unread = params.boolean("unread", given.get("unread", "0"))
        except params.ParameterError as exc:
            raise _invalid(exc) from None
        found = inbox.of(request.user, unread=unread)
        if "cursor" in given:
            stamp, pk = _position(given["cursor"])
            found = found.filter(Q(created_at__lt=stamp) | Q(created_at=stamp, id__lt=pk))
        rows = list(found[: PAGE + 1])
        following = None
        if len(rows) > PAGE:
            rows = rows[:PAGE]
            query = {"cursor": _cursor(rows[-1].created_at, rows[-1].pk)}
            if unread:
                query["unread"] = "1"
            following = (
                request.build_absolute_uri(request.path)
                + "?"
                + "&".join(f"{k}={v}" for k, v in query.items())
            )
        return Response(
            {
                "results": NotificationSerializer(rows, many=True).data,
                "next": following,
                "unread": inbox.unread_count(request.user),
            }
        )


class NotificationReadView(APIView):
    permission_classes = [IsAuthenticated]
    throttle_classes = THROTTLES

    @extend_schema(
        request=inline_serializer(
            "MarkRead",
            {
                "ids": serializers.ListField(child=serializers.IntegerField(), required=False),
                "all": serializers.BooleanField(required=False),
            },
        ),
        responses=inline_serializer("Marked", {"marked": serializers.IntegerField()}),
    )
    def post(self, request):
        data = request.data
        if not isinstance(data, dict) or set(data) - {"ids", "all"} or len(data) != 1:
            raise exceptions.ValidationError('give either "ids": [..] or "all": true')
        if "all" in data:
            if data["all"] is not True:
                raise exceptions.ValidationError('"all" is true')
            return Response({"marked": inbox.mark_read(request.user)})
        ids = data["ids"]
        if (
            not isinstance(ids, list)
            or len(ids) > 1000
            or not all(type(i) is int and 0 < i < 2**63 for i in ids)
        ):
            raise exceptions.ValidationError('"ids" is a list of at most 1000 notification ids')
        return Response({"marked": inbox.mark_read(request.user, ids)})


Channels = inline_serializer(
    "NotificationChannels",
    {
        "email": serializers.CharField(required=False),
        "push": serializers.BooleanField(required=False),
    },
)
Preferences = inline_serializer(
    "NotificationPreferences",
    {
        "email": serializers.ChoiceField(["immediate", "daily", "weekly", "none"]),
        "push": serializers.BooleanField(),
        "kinds": serializers.DictField(child=Channels, required=False),
    },
)


class PreferenceView(APIView):
    permission_classes = [IsAuthenticated]
    throttle_classes = THROTTLES

    @extend_schema(responses=Preferences)
    def get(self, request):
        return Response(preferences.of(request.user))

    @extend_schema(request=Preferences, responses=Preferences)
    def put(self, request):
        try:
            return Response(preferences.update(request.user, request.data))
        except params.ParameterError as exc:
            raise _invalid(exc) from None


class PushKeyView(APIView):
    throttle_classes = [ClientRateThrottle]

    @extend_schema(
        responses=inline_serializer("PushKey", {"publicKey": serializers.CharField()}), auth=[]
    )
    def get(self, request):
        """The VAPID public key browsers pass as ``applicationServerKey``."""
        return Response({"publicKey": push.vapid()[1]})


Subscription = inline_serializer(
    "PushSubscription",
    {
        "endpoint": serializers.URLField(),
        "keys": inline_serializer(
            "PushKeys", {"p256dh": serializers.CharField(), "auth": serializers.CharField()}
        ),
    },
)


class PushSubscriptionListView(APIView):
    permission_classes = [IsAuthenticated]
    throttle_classes = THROTTLES

    @extend_schema(
        request=Subscription,
        responses={201: inline_serializer("PushSubscribed", {"id": serializers.IntegerField()})},
    )
    def post(self, request):
        try:
            subscription = push.subscribe(request.user, request.data)
        except params.ParameterError as exc:
            raise _invalid(exc) from None
        return Response({"id": subscription.pk}, status=201)


class PushSubscriptionView(APIView):
    permission_classes = [IsAuthenticated]
    throttle_classes = THROTTLES

    @extend_schema(responses={204: None})
    def delete(self, request, pk: int):
        get_object_or_404(PushSubscription, pk=pk, user=request.user).delete()
        return Response(status=204)
