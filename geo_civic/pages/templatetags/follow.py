"""``{% follow_button "commune" commune.pk %}``: the follow button and the public count."""

from __future__ import annotations

from django import template

from geo_civic.social import follows

register = template.Library()


@register.inclusion_tag("social/follow_button.html", takes_context=True)
def follow_button(context, subject: str, target_id: int) -> dict:
    request = context["request"]
    return {
        "subject": subject, "target": target_id, "request": request,
        "count": follows.follower_count(subject, target_id),
        "following": follows.following(request.user, subject, target_id) is not None,
    }  # fmt: skip
