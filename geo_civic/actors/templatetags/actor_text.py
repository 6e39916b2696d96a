from django import template
from django.utils.safestring import SafeString, mark_safe

from geo_civic.actors.markdown_text import render_markdown

register = template.Library()


@register.filter
def markdown(text: str) -> SafeString:
    """``{{ text|markdown }}``: Markdown rendered and sanitised by nh3, on every call.

    An actor's page shows the stored ``actor.description_html`` instead, rendered once on save.
    """
    return mark_safe(render_markdown(text))  # noqa: S308 - nh3 has cleaned it
