"""A minimal RFC 5545 writer: what calendar apps need to follow the agenda of a commune."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime, timedelta

from django.utils.timezone import localtime

from geo_civic.actors.models import Actor


def escape(text: str) -> str:
    return (
        text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\r", "")
        .replace("\n", "\\n")
    )  # fmt: skip


def fold(line: str) -> str:
    """Lines longer than 75 octets continue on the next line after a space (RFC 5545 3.1)."""
    data = line.encode()
    parts = []
    while len(data) > 75:
        cut = 75 if not parts else 74
        while cut and (data[cut] & 0xC0) == 0x80:  # never split a UTF-8 character
            cut -= 1
        parts.append(data[:cut])
        data = data[cut:]
    parts.append(data)
    return "\r\n ".join(p.decode() for p in parts)


def utc(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def event_lines(actor: Actor, url: str, host: str) -> list[str]:
    lines = ["BEGIN:VEVENT", f"UID:actor-{actor.pk}@{host}", f"DTSTAMP:{utc(actor.updated_at)}"]
    if actor.all_day:
        # The day as people of the commune see it (TIME_ZONE), not as UTC sees it.
        start = localtime(actor.starts_at).date()
        end = (localtime(actor.ends_at).date() if actor.ends_at else start) + timedelta(days=1)
        lines += [f"DTSTART;VALUE=DATE:{start:%Y%m%d}", f"DTEND;VALUE=DATE:{end:%Y%m%d}"]
    else:
        lines.append(f"DTSTART:{utc(actor.starts_at)}")
        if actor.ends_at:
            lines.append(f"DTEND:{utc(actor.ends_at)}")
    lines.append(f"SUMMARY:{escape(actor.name)}")
    if actor.summary:
        lines.append(f"DESCRIPTION:{escape(actor.summary)}")
    place = ", ".join(
        p for p in (actor.public_address, actor.commune.name if actor.commune else "") if p
    )
    if place:
        lines.append(f"LOCATION:{escape(place)}")
    lines += [f"URL:{url}", "END:VEVENT"]
    return lines


def calendar(name: str, events: Iterable[tuple[Actor, str]], host: str) -> str:
    lines = [
        "BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//GeoCivic//Agenda//FR", "CALSCALE:GREGORIAN",
        f"X-WR-CALNAME:{escape(name)}",
    ]  # fmt: skip
    for actor, url in events:
        lines += event_lines(actor, url, host)
    lines.append("END:VCALENDAR")
    return "\r\n".join(fold(line) for line in lines) + "\r\n"
