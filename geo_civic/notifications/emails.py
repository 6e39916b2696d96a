"""E-mails about notifications: one at once, or a daily or weekly digest, each with a one-click
unsubscribe (RFC 8058: ``List-Unsubscribe`` and ``List-Unsubscribe-Post``).

Each message is marked sent right after the SMTP server accepted it, one by one, so a job killed
halfway and retried sends only what was not accepted yet. Message-IDs are derived from what is
sent, so even a message in that tiny window would arrive as the same message twice.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from email.utils import parseaddr

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import signing
from django.core.mail import EmailMessage, get_connection
from django.db import IntegrityError, connection, transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from geo_civic.notifications.models import DigestSent, EmailMode, Notification
from geo_civic.notifications.preferences import EFFECTIVE_EMAIL

SALT = "geo_civic.notifications.unsubscribe"


def site_url(path: str) -> str:
    """An absolute link: e-mails and pushes are read outside the site."""
    return settings.GEO_CIVIC_SITE_URL + (path if path.startswith("/") else "/" + path)


def unsubscribe_token(user_id: int) -> str:
    """A signed token that can do one thing: stop this person's e-mails."""
    return signing.dumps({"u": user_id, "e": "email"}, salt=SALT, compress=False)


def user_of_token(token: str) -> int | None:
    """The person a token was made for, or None when it is not one of ours."""
    try:
        value = signing.loads(token, salt=SALT)
    except signing.BadSignature:
        return None
    if not isinstance(value, dict) or value.get("e") != "email" or type(value.get("u")) is not int:
        return None
    return value["u"]


def message(user, subject: str, text: str, message_key: str) -> EmailMessage:
    """An e-mail to one person, with the unsubscribe headers every one of ours carries."""
    link = site_url(f"/notifications/unsubscribe/{unsubscribe_token(user.pk)}/")
    address = parseaddr(settings.DEFAULT_FROM_EMAIL)[1] or "noreply@geocivic.invalid"
    domain = address.rpartition("@")[2]
    text = f"{text}\n\n-- \n{_('Stop these e-mails:')} {link}\n"
    return EmailMessage(
        subject=subject,
        body=text,
        to=[user.email],
        headers={
            "List-Unsubscribe": f"<{link}>, <mailto:{address}?subject=unsubscribe-{user.pk}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            "Message-ID": f"<{message_key}.{user.pk}@{domain}>",
            "Auto-Submitted": "auto-generated",
        },
    )


def _recipients_sql(where: str) -> str:
    users = get_user_model()._meta.db_table
    return f"""
        SELECT n.id, n.user_id FROM {Notification._meta.db_table} n
          JOIN {users} u ON u.id = n.user_id
          LEFT JOIN notifications_preference p ON p.user_id = n.user_id
         WHERE n.emailed_at IS NULL AND u.is_active AND u.email <> ''
           AND {EFFECTIVE_EMAIL} = %(mode)s AND {where}
         ORDER BY n.user_id, n.created_at, n.id
    """  # noqa: S608 (our table names; values are parameters)


def send_immediate(key: str) -> int:
    """The e-mails of one event, to those who want them at once; returns how many went out."""
    with connection.cursor() as cursor:
        cursor.execute(
            _recipients_sql("n.key = %(key)s"), {"mode": EmailMode.IMMEDIATE, "key": key}
        )
        rows = cursor.fetchall()
    if not rows:
        return 0
    notifications = Notification.objects.select_related("user").in_bulk([r[0] for r in rows])
    sent = 0
    with get_connection() as smtp, translation.override(settings.LANGUAGE_CODE):
        for notification_id, _user_id in rows:
            notification = notifications[notification_id]
            text = render_to_string(
                "notifications/email_one.txt",
                {"n": notification, "link": site_url(notification.url)},
            )
            mail = message(notification.user, notification.title, text, f"n{notification.pk}")
            mail.connection = smtp
            mail.send()
            Notification.objects.filter(pk=notification_id).update(emailed_at=timezone.now())
            sent += 1
    return sent


def period_of(mode: str, now: datetime) -> str:
    """The name of the digest period that ``now`` closes: a day or an ISO week."""
    local = timezone.localtime(now)
    if mode == EmailMode.DAILY:
        return f"daily:{local.date().isoformat()}"
    year, week, _day = local.isocalendar()
    return f"weekly:{year}-W{week:02d}"


def send_digests(mode: str, now: datetime | None = None) -> int:
    """One digest per person who chose ``mode``, once per period; returns how many went out."""
    now = now or timezone.now()
    period = period_of(mode, now)
    with connection.cursor() as cursor:
        cursor.execute(
            _recipients_sql("n.created_at <= %(now)s AND n.created_at > %(oldest)s"),
            {"mode": mode, "now": now, "oldest": now - timedelta(days=62)},
        )
        rows = cursor.fetchall()
    by_user: dict[int, list[int]] = {}
    for notification_id, user_id in rows:
        by_user.setdefault(user_id, []).append(notification_id)
    done = set(
        DigestSent.objects.filter(period=period, user_id__in=by_user).values_list(
            "user_id", flat=True
        )
    )
    sent = 0
    users = get_user_model().objects.in_bulk([u for u in by_user if u not in done])
    with get_connection() as smtp, translation.override(settings.LANGUAGE_CODE):
        for user_id, user in users.items():
            items = list(
                Notification.objects.filter(pk__in=by_user[user_id]).order_by("-created_at")
            )
            text = render_to_string(
                "notifications/email_digest.txt",
                {
                    "items": [(n, site_url(n.url)) for n in items],
                    "more": site_url("/notifications/"),
                },
            )
            subject = ngettext(
                "GeoCivic: %(count)d new notification",
                "GeoCivic: %(count)d new notifications",
                len(items),
            ) % {"count": len(items)}
            mail = message(user, subject, text, f"digest-{period.replace(':', '-')}")
            mail.connection = smtp
            mail.send()
            try:
                with transaction.atomic():
                    DigestSent.objects.create(user_id=user_id, period=period)
                    Notification.objects.filter(pk__in=by_user[user_id]).update(emailed_at=now)
            except IntegrityError:  # another worker sent the same digest meanwhile
                continue
            sent += 1
    return sent
