"""Template tags for a page's bundle from the front-end build (pages/frontend_build.py)."""

from django import template
from django.utils.html import format_html, format_html_join
from django.utils.translation import get_language

from geo_civic.pages.catalogue import catalogue_url
from geo_civic.pages.frontend_build import chunk_url, entry, entry_url

register = template.Library()


@register.simple_tag
def bundle_css(name: str) -> str:
    """The page's stylesheet, if its bundle has one."""
    css = entry(name).css
    return format_html('<link rel="stylesheet" href="{}">', entry_url(css)) if css else ""


@register.simple_tag
def bundle_preload(name: str) -> str:
    """Preload the chunks the bundle imports, so they download beside it, not after it."""
    return format_html_join(
        "\n", '<link rel="modulepreload" href="{}">', ((chunk_url(p),) for p in entry(name).preload)
    )


@register.simple_tag
def bundle_js(name: str) -> str:
    """The page's module script."""
    return format_html('<script type="module" src="{}"></script>', entry_url(entry(name).js))


@register.simple_tag
def catalogue_script() -> str:
    """The JavaScript catalogue of the page's language, under its versioned (cached) URL;
    deferred, so it runs before the page's module scripts without holding up the parser."""
    return format_html('<script defer src="{}"></script>', catalogue_url(get_language()))
