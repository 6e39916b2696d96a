"""Something shared into the installed app (the manifest's share_target): a new entry's first words.

The phone's share sheet opens ``/contribuer/?title=…&text=…&url=…``; the kind is chosen, then the
form starts with the shared title as the name, the text as the summary and a link as the website.
Only a form's initial values: nothing is saved until the person submits it.
"""

from __future__ import annotations

from urllib.parse import urlencode, urlsplit

from django.http import QueryDict

SHARED = ("title", "text", "url")


def _first_link(*texts: str) -> str:
    for text in texts:
        for word in text.split():
            if urlsplit(word).scheme in ("http", "https"):
                return word[:200]
    return ""


def shared_query(query: QueryDict) -> str:
    """The shared fields of a request, to carry from the kind's choice to the form ("" if none)."""
    kept = {key: query[key][:500] for key in SHARED if query.get(key)}
    return "?" + urlencode(kept) if kept else ""


def initial_values(query: QueryDict) -> dict[str, str]:
    """The form's initial values from what was shared."""
    title = query.get("title", "").strip()[:200]
    text = query.get("text", "").strip()[:500]
    link = _first_link(query.get("url", ""), text)
    initial = {"name": title, "summary": text.replace(link, "").strip() if link else text}
    if link:
        initial["website"] = link
    return {key: value for key, value in initial.items() if value}
