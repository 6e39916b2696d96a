"""``/api/v1/`` for follow and news: thin views over ``geo_civic.social``, which holds the rules.

Refusals are the services' ``ParticipationError``s (one vocabulary) and DRF's own, answered as
RFC 9457 problems by ``api_v1/problems.py``.
"""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from django.urls import reverse
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import exceptions, serializers
from rest_framework.parsers import MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from geo_civic.actors.models import Actor, Membership
from geo_civic.api_v1.caller import body_of, require_signed_in
from geo_civic.api_v1.throttles import ClientRateThrottle, WriteRateThrottle
from geo_civic.participation.errors import Invalid
from geo_civic.social import feed, follows, images, memberships, news, profiles
from geo_civic.social.models import News, Subject
from geo_civic.web.params import ParameterError, single_values, whole_number

THROTTLES = [ClientRateThrottle, WriteRateThrottle]

Created = inline_serializer("Created", {"id": serializers.IntegerField()})
FollowBody = inline_serializer(
    "FollowBody",
    {
        "commune": serializers.CharField(required=False, help_text="INSEE code"),
        "actor": serializers.IntegerField(required=False),
        "space": serializers.IntegerField(required=False),
        "proposal": serializers.IntegerField(required=False),
        "user": serializers.CharField(required=False, help_text="user name"),
    },
)
NewsBody = inline_serializer(
    "NewsBody",
    {
        "commune": serializers.CharField(required=False),
        "actor": serializers.IntegerField(required=False),
        "title": serializers.CharField(),
        "body": serializers.CharField(help_text="Markdown"),
        "location": serializers.JSONField(
            required=False, help_text='{"lon", "lat"} or a GeoJSON Point'
        ),
    },
)
Activity = inline_serializer(
    "FeedItem",
    {
        "id": serializers.IntegerField(),
        "verb": serializers.CharField(),
        "title": serializers.CharField(),
        "url": serializers.CharField(),
        "created_at": serializers.DateTimeField(),
    },
)
FeedPage = inline_serializer(
    "FeedPage",
    {
        "items": Activity.__class__(many=True),
        "next_cursor": serializers.CharField(allow_null=True),
    },
)


class FollowsView(APIView):
    throttle_classes = THROTTLES

    @extend_schema(
        request=FollowBody,
        responses={201: Created, 200: Created},
        summary="Follow a commune, an actor, a space, a proposal or a person",
    )
    def post(self, request):
        require_signed_in(request)
        data = body_of(request)
        given = [key for key in Subject.values if key in data]
        if len(given) != 1 or len(data) != 1:
            raise Invalid(f"give exactly one of {', '.join(Subject.values)}")
        made, created = follows.follow(request.user, given[0], data[given[0]])
        return Response({"id": made.pk}, status=201 if created else 200)


class FollowView(APIView):
    throttle_classes = THROTTLES

    @extend_schema(responses={204: None}, summary="Stop following")
    def delete(self, request, follow_id: int):
        require_signed_in(request)
        follows.unfollow(request.user, follow_id)
        return Response(status=204)


class FollowersView(APIView):
    throttle_classes = THROTTLES

    @extend_schema(
        parameters=[OpenApiParameter(key, str, required=False) for key in Subject.values],
        responses={
            200: inline_serializer(
                "Followers",
                {
                    "count": serializers.IntegerField(),
                    "visible": serializers.ListField(child=serializers.CharField()),
                },
            )
        },
        summary="How many follow something; only the followers who chose to be seen are named",
    )
    def get(self, request):
        params = single_values(request.query_params, Subject.values)
        if len(params) != 1:
            raise ParameterError(f"give one of {', '.join(Subject.values)}")
        subject, value = next(iter(params.items()))
        target = follows.target_of(subject, value)
        visible = follows.visible_followers(subject, target)[:500]
        return Response(
            {
                "count": follows.follower_count(subject, target),
                "visible": [person.get_username() for person in visible],
            }
        )


class FeedView(APIView):
    throttle_classes = THROTTLES

    @extend_schema(
        parameters=[
            OpenApiParameter("cursor", str, required=False),
            OpenApiParameter("limit", int, required=False),
        ],
        responses={200: FeedPage},
        summary="My feed: what I follow and my commune, newest first, keyset-paginated",
    )
    def get(self, request):
        require_signed_in(request)
        params = single_values(request.query_params, ["cursor", "limit"])
        limit = feed.PAGE
        if "limit" in params:
            limit = whole_number("limit", params["limit"], minimum=1, maximum=feed.MAX_PAGE)
        page = feed.feed(request.user, params.get("cursor") or None, limit)
        return Response({"items": page.items, "next_cursor": page.next_cursor})


def news_document(item: News) -> dict:
    return {
        "id": item.pk,
        "title": item.title,
        "body_html": item.body_html,
        "status": item.status,
        "commune": item.commune.code,
        "actor": item.actor_id,
        "author": item.author.get_username() if item.author else None,
        "location": None
        if item.location is None
        else {"lon": item.location.x, "lat": item.location.y},
        "images": [images.image_urls(image) for image in item.images.all()],
        "created_at": item.created_at,
        "comments": [
            {
                "id": c.pk,
                "author": c.author.get_username() if c.author else None,
                "body": c.body,
                "created_at": c.created_at,
            }
            for c in item.comments.filter(hidden=False).select_related("author")
        ],
    }


def _news(request, news_id: int) -> News:
    return get_object_or_404(
        news.visible_news(request.user).select_related("commune", "author"), pk=news_id
    )


class NewsListView(APIView):
    throttle_classes = THROTTLES

    @extend_schema(
        parameters=[
            OpenApiParameter("commune", str, required=False, description="INSEE code"),
            OpenApiParameter("actor", int, required=False),
            OpenApiParameter("status", str, required=False, enum=News.Status.values),
        ],
        responses={200: inline_serializer("NewsList", {"news": serializers.ListField()})},
        summary="Recent news (pending ones: their authors and the commune's moderators)",
        operation_id="news_list",
    )
    def get(self, request):
        params = single_values(request.query_params, ["commune", "actor", "status"])
        found = news.visible_news(request.user).select_related("commune", "author")
        if "commune" in params:
            found = found.filter(commune__code=params["commune"])
        if "actor" in params:
            found = found.filter(
                actor_id=whole_number("actor", params["actor"], minimum=1, maximum=2**62)
            )
        status = params.get("status", News.Status.PUBLISHED)
        if status not in News.Status.values:
            raise ParameterError(f"status is one of {', '.join(News.Status.values)}", "status")
        items = found.filter(status=status).order_by("-created_at", "-id")[:100]
        return Response({"news": [news_document(item) for item in items]})

    @extend_schema(
        request=NewsBody, responses={201: Created}, summary="Post news for an actor or a commune"
    )
    def post(self, request):
        require_signed_in(request)
        data = body_of(request)
        unknown = sorted(set(data) - {"commune", "actor", "title", "body", "location"})
        if unknown:
            raise Invalid(f"unknown field {', '.join(unknown)}")
        made = news.post_news(
            request.user,
            commune_code=data.get("commune"),
            actor_id=data.get("actor"),
            title=data.get("title"),
            body=data.get("body"),
            location=data.get("location"),
        )
        return Response({"id": made.pk, "status": made.status}, status=201)


class NewsView(APIView):
    throttle_classes = THROTTLES

    @extend_schema(responses={200: inline_serializer("News", {"id": serializers.IntegerField()})})
    def get(self, request, news_id: int):
        return Response(news_document(_news(request, news_id)))


class NewsImagesView(APIView):
    throttle_classes = THROTTLES
    parser_classes = [MultiPartParser]

    @extend_schema(
        request={
            "multipart/form-data": inline_serializer(
                "ImageUpload", {"image": serializers.ImageField(), "alt": serializers.CharField()}
            )
        },
        responses={201: Created},
        summary="Add an image (re-encoded, metadata stripped)",
    )
    def post(self, request, news_id: int):
        require_signed_in(request)
        item = _news(request, news_id)
        if item.author_id != request.user.pk and not news.may_moderate(request.user, item):
            raise exceptions.PermissionDenied("only the news' author or moderators add images")
        upload = request.FILES.get("image")
        if upload is None:
            raise Invalid("send the picture as the multipart field image")
        image = images.store_image(item, upload.read(), request.data.get("alt", ""))
        return Response({"id": image.pk, "urls": images.image_urls(image)}, status=201)


class NewsCommentsView(APIView):
    throttle_classes = THROTTLES

    @extend_schema(
        request=inline_serializer("NewsComment", {"body": serializers.CharField()}),
        responses={201: Created},
    )
    def post(self, request, news_id: int):
        require_signed_in(request)
        made = news.comment(request.user, _news(request, news_id), body_of(request).get("body"))
        return Response({"id": made.pk}, status=201)


class NewsReportsView(APIView):
    throttle_classes = THROTTLES

    @extend_schema(
        request=inline_serializer("NewsReport", {"reason": serializers.CharField()}),
        responses={201: Created},
    )
    def post(self, request, news_id: int):
        made = news.report(request.user, _news(request, news_id), body_of(request).get("reason"))
        return Response({"id": made.pk}, status=201)


class NewsDecisionView(APIView):
    throttle_classes = THROTTLES

    @extend_schema(
        request=inline_serializer(
            "NewsDecision",
            {
                "publish": serializers.BooleanField(),
                "reason": serializers.CharField(required=False, help_text="shown to the author"),
            },
        ),  # fmt: skip
        responses={200: Created},
        summary="A moderator publishes or rejects",
    )
    def post(self, request, news_id: int):
        require_signed_in(request)
        data = body_of(request)
        publish = data.get("publish")
        if not isinstance(publish, bool):
            raise Invalid("publish is true or false")
        item = get_object_or_404(News, pk=news_id)
        decided = news.decide(request.user, item, publish, data.get("reason"))
        return Response({"id": decided.pk, "status": decided.status})


class ProfileView(APIView):
    throttle_classes = THROTTLES

    @extend_schema(
        responses={
            200: inline_serializer(
                "Profile",
                {"username": serializers.CharField(), "display_name": serializers.CharField()},
            )
        }
    )
    def get(self, request, username: str):
        from django.contrib.auth import get_user_model

        person = get_object_or_404(get_user_model(), username=username, is_active=True)
        return Response(profiles.public_profile(person, request.user))


class MyProfileView(APIView):
    throttle_classes = THROTTLES

    @extend_schema(
        responses={200: inline_serializer("MyProfile", {"username": serializers.CharField()})}
    )
    def get(self, request):
        require_signed_in(request)
        return Response(profiles.public_profile(request.user, request.user))

    @extend_schema(
        request=inline_serializer(
            "ProfileUpdate",
            {
                "display_name": serializers.CharField(required=False),
                "bio": serializers.CharField(required=False),
                **{
                    name: serializers.BooleanField(required=False)
                    for name in profiles.PUBLIC_SWITCHES
                },
            },
        ),
        responses={
            200: inline_serializer("MyProfileUpdated", {"username": serializers.CharField()})
        },
    )
    def put(self, request):
        require_signed_in(request)
        profiles.update_profile(request.user, body_of(request))
        return Response(profiles.public_profile(request.user, request.user))


class MeView(APIView):
    throttle_classes = THROTTLES

    @extend_schema(
        responses={204: None}, summary="Delete my account (contributions stay, anonymised)"
    )
    def delete(self, request):
        require_signed_in(request)
        profiles.delete_account(request.user)
        return Response(status=204)


class ExportView(APIView):
    throttle_classes = THROTTLES

    @extend_schema(
        responses={200: inline_serializer("Export", {"account": serializers.DictField()})},
        summary="All my data, to me only",
    )
    def get(self, request):
        require_signed_in(request)
        return Response(
            profiles.export(request.user), headers={"Cache-Control": "private, no-store"}
        )


class MembershipsView(APIView):
    throttle_classes = THROTTLES

    @extend_schema(
        responses={
            200: inline_serializer(
                "Memberships",
                {"count": serializers.IntegerField(), "memberships": serializers.ListField()},
            )
        },
        summary="How many belong; the list (requests included) for administrators only",
    )
    def get(self, request, actor_id: int):
        actor = get_object_or_404(Actor, pk=actor_id, status=Actor.Status.PUBLISHED)
        return Response(memberships.listing(request.user, actor))

    @extend_schema(
        request=inline_serializer(
            "JoinRequest",
            {"role": serializers.ChoiceField(choices=Membership.Role.values, required=False)},
        ),
        responses={201: Created},
        summary="Ask to join an actor (attending an event needs no approval)",
    )
    def post(self, request, actor_id: int):
        require_signed_in(request)
        actor = get_object_or_404(Actor, pk=actor_id, status=Actor.Status.PUBLISHED)
        data = body_of(request)
        if "email" in data:  # an administrator's invitation
            if not isinstance(data["email"], str) or "@" not in data["email"]:
                raise Invalid("email is an e-mail address")
            memberships.invite(
                request.user,
                actor,
                data["email"],
                data.get("role", Membership.Role.MEMBER),
                lambda token: request.build_absolute_uri(
                    reverse("api-v1-membership-invitation", args=[actor.pk, token])
                ),
            )
            return Response(
                {"detail": "if an account uses this address, it is invited"}, status=202
            )
        made = memberships.request_to_join(
            request.user, actor, data.get("role", Membership.Role.MEMBER)
        )
        return Response({"id": made.pk, "state": made.state}, status=201)


class MembershipView(APIView):
    throttle_classes = THROTTLES

    def _get(self, actor_id: int, membership_id: int) -> Membership:
        return get_object_or_404(
            Membership.objects.select_related("actor"), pk=membership_id, actor_id=actor_id
        )

    @extend_schema(
        request=None,
        responses={200: Created},
        summary="An administrator accepts",
        operation_id="actors_memberships_accept",
    )
    def post(self, request, actor_id: int, membership_id: int):
        require_signed_in(request)
        made = memberships.accept(request.user, self._get(actor_id, membership_id))
        return Response({"id": made.pk, "state": made.state})

    @extend_schema(responses={204: None}, summary="Leave, decline or remove")
    def delete(self, request, actor_id: int, membership_id: int):
        require_signed_in(request)
        memberships.remove(request.user, self._get(actor_id, membership_id))
        return Response(status=204)


class MembershipInvitationView(APIView):
    throttle_classes = THROTTLES

    @extend_schema(request=None, responses={200: Created}, summary="Accept an invitation")
    def post(self, request, actor_id: int, token: str):
        require_signed_in(request)
        actor = get_object_or_404(Actor, pk=actor_id)
        made = memberships.accept_invitation(request.user, actor, token)
        return Response({"id": made.pk, "state": made.state})
