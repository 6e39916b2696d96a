"""The site's pages of follow and news: my feed, a news item, a person's profile, and the follow
button's form (works without JavaScript: a POST and a redirect back)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from geo_civic.pages import push_offer
from geo_civic.participation.errors import ParticipationError
from geo_civic.social import feed, follows, images, news, profiles
from geo_civic.social.models import Activity, Follow, Subject
from geo_civic.web.params import ParameterError


def _back(request: HttpRequest) -> str:
    target = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return target
    return "/"


@login_required
@require_POST
def toggle_follow(request: HttpRequest) -> HttpResponse:
    """Follow, or stop following, what the button names (subject and id)."""
    subject, target = request.POST.get("subject", ""), request.POST.get("target", "")
    if subject not in Subject.values or not (target.isascii() and target.isdigit()):
        messages.error(request, _("Nothing to follow here."))
        return redirect(_back(request))
    existing = Follow.objects.filter(user=request.user, subject=subject, target_id=int(target))
    if existing.exists():
        existing.delete()
        messages.info(request, _("You no longer follow this."))
        return redirect(_back(request))
    value = target
    if subject == Subject.COMMUNE:
        from geo_civic.territories.models import Commune

        value = Commune.objects.filter(pk=int(target)).values_list("code", flat=True).first()
    elif subject == Subject.USER:
        value = get_user_model().objects.filter(pk=int(target)).values_list(
            "username", flat=True).first()  # fmt: skip
    try:
        follows.follow(request.user, subject, value)
    except ParticipationError as error:
        messages.error(request, error.detail)
    else:
        push_offer.confirm_follow(request)  # and notifications offered, at this useful moment
    return redirect(_back(request))


@login_required
@require_GET
def feed_page(request: HttpRequest) -> HttpResponse:
    try:
        page = feed.feed(request.user, request.GET.get("cursor") or None)
    except ParameterError:
        return redirect("feed")
    labels = dict(Activity.Verb.choices)
    for item in page.items:
        item["label"] = labels.get(item["verb"], "")
    return render(request, "social/feed.html", {"page": page})


@require_GET
def news_page(request: HttpRequest, pk: int) -> HttpResponse:
    item = get_object_or_404(
        news.visible_news(request.user).select_related("commune", "actor", "author"), pk=pk
    )
    pictures = []
    for image in item.images.all():
        urls = sorted(images.image_urls(image).items(), key=lambda pair: int(pair[0]))
        srcset = ", ".join(f"{url} {width}w" for width, url in urls)
        pictures.append({"image": image, "src": urls[0][1], "srcset": srcset})
    # The moderator's reason: for the author and the moderators, nobody else.
    show_note = bool(item.moderation_note) and request.user.is_authenticated and (
        request.user.pk == item.author_id or news.may_moderate(request.user, item))  # fmt: skip
    return render(request, "social/news.html", {
        "news": item, "pictures": pictures, "show_note": show_note,
        "comments": item.comments.filter(hidden=False).select_related("author"),
    })  # fmt: skip


@require_GET
def profile_page(request: HttpRequest, username: str) -> HttpResponse:
    person = get_user_model().objects.filter(username=username, is_active=True).first()
    if person is None:
        raise Http404(_("No one by this name."))
    return render(request, "social/profile.html", {
        "person": person, "profile": profiles.public_profile(person, request.user),
    })  # fmt: skip
