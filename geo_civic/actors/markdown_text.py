"""Descriptions are written in Markdown and rendered to HTML that is safe to put in a page.

The parser is markdown-it-py's CommonMark, which stays near-linear on hostile input such as
``'[' * 20000`` (Python-Markdown took close to a minute on it), with raw HTML off: typed tags show
as text. Its output is still cleaned by nh3 (the Ammonia sanitiser) with a short allow-list: text
formatting, lists, headings, quotes and links, nothing that runs or loads. An actor keeps the
result in ``description_html``, rendered when it is saved, so a page view renders nothing.
"""

from __future__ import annotations

import nh3
from markdown_it import MarkdownIt

# The cap of the form and of the importers: a longer text (only written by hand in the database)
# is rendered up to it.
DESCRIPTION_MAX_LENGTH = 20000

ALLOWED_TAGS = {
    "p", "br", "strong", "em", "b", "i", "ul", "ol", "li", "blockquote", "code", "pre",
    "h3", "h4", "h5", "h6", "a", "hr",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}}
URL_SCHEMES = {"http", "https", "mailto"}
LINK_REL = "nofollow noopener noreferrer ugc"

_PARSER = MarkdownIt("commonmark", {"html": False})


def render_markdown(text: str) -> str:
    """Sanitised HTML for ``text``; links pass no referrer authority and earn no ranking."""
    if not text:
        return ""
    html = _PARSER.render(text[:DESCRIPTION_MAX_LENGTH])
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel=LINK_REL,
    )
