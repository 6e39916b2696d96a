from django import template

from geo_civic.contributions import permissions

register = template.Library()


@register.filter
def is_moderator(user) -> bool:
    """``{% if user|is_moderator %}``: shows the moderation link."""
    return permissions.is_moderator(user)
