"""Posting news: who may post where, moderated like contributions, located within its commune.

- an actor's news: its administrators (owner, co-editors) and the moderators of its commune;
- a commune's news: its moderators publish; its residents propose, published after review
  unless they are trusted contributors (as contributions); nobody else.
The Markdown is rendered once, sanitised (``actors.markdown_text``); a location must lie inside
the commune (PostGIS ``ST_Covers``).
"""

from __future__ import annotations

from django.contrib.gis.geos import Point
from django.db import transaction
from django.db.models import Q, QuerySet

from geo_civic.actors.markdown_text import render_markdown
from geo_civic.actors.membership import is_administrator
from geo_civic.actors.models import Actor
from geo_civic.contributions.models import TRUSTED, ModeratorScope
from geo_civic.contributions.permissions import in_group, is_moderator
from geo_civic.notifications.delivery import notify
from geo_civic.participation.eligibility import moderates_communes, residence_of
from geo_civic.participation.errors import Invalid, NotAllowed, OutsideTerritory
from geo_civic.social.activities import Event, record
from geo_civic.social.models import Activity, News, NewsComment, NewsReport
from geo_civic.territories.models import CURRENT, Commune


def _text(value, name: str, limit: int, required: bool = True) -> str:
    if value is None and not required:
        return ""
    if not isinstance(value, str) or "\x00" in value:
        raise Invalid(f"{name} is text")
    value = value.strip()
    if required and not value:
        raise Invalid(f"{name} is required")
    if len(value) > limit:
        raise Invalid(f"{name} is longer than {limit} characters")
    return value


def location_of(value) -> Point | None:
    """``{"lon", "lat"}`` or a GeoJSON Point, or None."""
    if value is None:
        return None
    if isinstance(value, dict) and value.get("type") == "Point":
        coordinates = value.get("coordinates")
        value = dict(zip(("lon", "lat"), coordinates, strict=False)) if isinstance(
            coordinates, list) and len(coordinates) == 2 else None  # fmt: skip
    if not isinstance(value, dict):
        raise Invalid('location is {"lon", "lat"} or a GeoJSON Point')
    lon, lat = value.get("lon"), value.get("lat")
    if not all(isinstance(v, int | float) and not isinstance(v, bool) for v in (lon, lat)):
        raise Invalid("location: lon and lat are numbers")
    if not (-180 <= lon <= 180 and -90 <= lat <= 90):
        raise Invalid("location: lon within -180..180, lat within -90..90")
    return Point(float(lon), float(lat), srid=4326)


def check_within(commune: Commune, point: Point) -> None:
    if not Commune.objects.filter(pk=commune.pk, boundary__covers=point).exists():
        raise OutsideTerritory(f"the location is not within {commune.name}")


def may_post_for_actor(user, actor: Actor) -> bool:
    return is_administrator(user, actor) or (
        actor.commune_id is not None and moderates_communes(user, [actor.commune_id])
    )


def status_for_commune(user, commune: Commune) -> str:
    """Published for its moderators and trusted residents, pending for residents; refused else."""
    if moderates_communes(user, [commune.pk]):
        return News.Status.PUBLISHED
    residence = residence_of(user)
    if residence is None or residence.commune_id != commune.pk:
        raise NotAllowed(
            f"only the residents and moderators of {commune.name} post its news: "
            "say where you live first"
        )
    return News.Status.PUBLISHED if in_group(user, TRUSTED) else News.Status.PENDING


@transaction.atomic
def post_news(user, *, commune_code=None, actor_id=None, title=None, body=None,
              location=None) -> News:  # fmt: skip
    """The new news item (published or awaiting review); refused, nothing written, else."""
    if not user.is_authenticated:
        raise NotAllowed("sign in to post news")
    if (commune_code is None) == (actor_id is None):
        raise Invalid("give exactly one of commune or actor")
    title, body = _text(title, "title", 200), _text(body, "body", 20000)
    point = location_of(location)
    actor = None
    if actor_id is not None:
        if isinstance(actor_id, bool) or not isinstance(actor_id, int):
            raise Invalid("actor is a whole number")
        actor = Actor.objects.filter(pk=actor_id).select_related("commune").first()
        if actor is None or actor.status != Actor.Status.PUBLISHED:
            raise Invalid(f"no published actor {actor_id}")
        if not may_post_for_actor(user, actor):
            raise NotAllowed("only the actor's administrators post its news")
        if actor.commune is None:
            raise Invalid("this actor lies in no commune")
        commune, status = actor.commune, News.Status.PUBLISHED
    else:
        commune = Commune.objects.filter(CURRENT, code=str(commune_code)).first()
        if commune is None:
            raise Invalid(f"no commune {str(commune_code)[:10]!r}")
        status = status_for_commune(user, commune)
    if point is not None:
        check_within(commune, point)
    news = News.objects.create(
        commune=commune, actor=actor, author=user, title=title, body=body,
        body_html=render_markdown(body), location=point, status=status,
    )  # fmt: skip
    if status == News.Status.PUBLISHED:
        announce(news)
    return news


def announce(news: News) -> Activity | None:
    """The activity of a published news item (once)."""
    return record(Event(
        verb=Activity.Verb.NEWS, key=f"news:{news.pk}", title=news.title,
        url=news.get_absolute_url(), commune_id=news.commune_id, actor_id=news.actor_id,
        user_id=news.author_id if news.actor_id is None else None, news_id=news.pk,
        location=news.location, created_at=news.created_at,
    ))  # fmt: skip


def may_moderate(user, news: News) -> bool:
    return moderates_communes(user, [news.commune_id]) or (
        news.actor_id is not None and is_administrator(user, news.actor)
    )


@transaction.atomic
def decide(user, news: News, publish: bool, reason: str | None = "") -> News:
    """A moderator of the commune publishes or rejects a resident's news item; the reason is
    kept for the author, who is told of the decision."""
    if not moderates_communes(user, [news.commune_id]):
        raise NotAllowed("only the commune's moderators review its news")
    reason = _text(reason, "reason", 2000, required=False)
    news.status = News.Status.PUBLISHED if publish else News.Status.REJECTED
    news.moderation_note = reason
    news.save(update_fields=["status", "moderation_note"])
    if news.author_id and news.author_id != user.pk:
        notify(
            [news.author_id], kind="news", title=news.title, url=news.get_absolute_url(),
            key=f"news-decision:{news.pk}:{news.status}", body=reason,
        )  # fmt: skip
    if publish:
        announce(news)
    else:
        Activity.objects.filter(news=news).delete()
    return news


def pending_for(user) -> QuerySet:
    """The residents' news awaiting a decision in the communes ``user`` moderates, oldest first."""
    if not user.is_authenticated or not is_moderator(user):
        return News.objects.none()
    waiting = News.objects.filter(status=News.Status.PENDING).order_by("created_at", "pk")
    scope = ModeratorScope.objects.filter(user=user).first()
    if user.is_superuser or scope is None:
        return waiting
    return waiting.filter(commune__in=scope.communes.all())


def open_reports_for(user) -> QuerySet:
    """Unresolved reports of news in the communes ``user`` moderates, oldest first."""
    if not user.is_authenticated or not is_moderator(user):
        return NewsReport.objects.none()
    found = NewsReport.objects.filter(resolved=False).order_by("created_at", "pk")
    scope = ModeratorScope.objects.filter(user=user).first()
    if user.is_superuser or scope is None:
        return found
    return found.filter(news__commune__in=scope.communes.all())


def hide_comment(user, item: NewsComment) -> NewsComment:
    """A moderator of the news' commune hides a comment (kept, no longer shown)."""
    if not moderates_communes(user, [item.news.commune_id]):
        raise NotAllowed("only the commune's moderators hide comments")
    item.hidden = True
    item.save(update_fields=["hidden"])
    return item


def resolve_report(user, item: NewsReport) -> NewsReport:
    if not moderates_communes(user, [item.news.commune_id]):
        raise NotAllowed("only the commune's moderators close reports")
    item.resolved = True
    item.save(update_fields=["resolved"])
    return item


def visible_news(user) -> QuerySet:
    """Published news for all; one's own pending ones; everything for the commune's moderators."""
    shown = Q(status=News.Status.PUBLISHED)
    if user.is_authenticated:
        shown |= Q(author=user)
        if is_moderator(user):
            scope = ModeratorScope.objects.filter(user=user).first()
            if user.is_superuser or scope is None:
                return News.objects.all()
            shown |= Q(commune__in=scope.communes.all())
    return News.objects.filter(shown)


def comment(user, news: News, body) -> NewsComment:
    if not user.is_authenticated:
        raise NotAllowed("sign in to comment")
    if news.status != News.Status.PUBLISHED:
        raise NotAllowed("only published news take comments")
    return NewsComment.objects.create(news=news, author=user, body=_text(body, "body", 5000))


def report(user, news: News, reason) -> NewsReport:
    return NewsReport.objects.create(
        news=news, reporter=user if user.is_authenticated else None,
        reason=_text(reason, "reason", 2000),
    )  # fmt: skip
