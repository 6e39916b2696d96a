"""Each person's choice of channels, per kind of event; defaults: a daily e-mail digest, no push.

The same rules read as SQL (``EFFECTIVE_EMAIL``/``EFFECTIVE_PUSH``) let a job pick, in one query,
whoever wants an event now, without loading preferences one by one.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction

from geo_civic.notifications.models import KINDS, EmailMode, Preference
from geo_civic.web.params import ParameterError

DEFAULT = {"email": EmailMode.DAILY.value, "push": False, "kinds": {}}
# SQL over "notifications_notification" n LEFT JOIN "notifications_preference" p.
EFFECTIVE_EMAIL = "COALESCE(p.kinds -> n.kind ->> 'email', p.email, 'daily')"
EFFECTIVE_PUSH = "COALESCE((p.kinds -> n.kind ->> 'push')::boolean, p.push, false)"


def of(user) -> dict[str, Any]:
    """The person's preferences as the API shows them."""
    found = Preference.objects.filter(user=user).first()
    if found is None:
        return {**DEFAULT, "kinds": {}}
    return {"email": found.email, "push": found.push, "kinds": found.kinds}


def _channels(value: Any, where: str, *, partial: bool) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise ParameterError(f"{where} is an object", where)
    unknown = sorted(set(value) - {"email", "push"})
    if unknown:
        raise ParameterError(f"unknown field {', '.join(unknown)} in {where}", unknown[0])
    cleaned: dict[str, Any] = {}
    if "email" in value:
        if value["email"] not in EmailMode.values:
            raise ParameterError(f"email is one of {', '.join(EmailMode.values)}", "email")
        cleaned["email"] = value["email"]
    if "push" in value:
        if not isinstance(value["push"], bool):
            raise ParameterError("push is true or false", "push")
        cleaned["push"] = value["push"]
    if not partial and not cleaned:
        raise ParameterError(f"{where} gives email or push", where)
    return cleaned


def update(user, data: Any) -> dict[str, Any]:
    """Change some of the person's preferences (all or nothing: a wrong field changes none)."""
    if not isinstance(data, dict):
        raise ParameterError("the body is a JSON object")
    unknown = sorted(set(data) - {"email", "push", "kinds"})
    if unknown:
        raise ParameterError(f"unknown field {', '.join(unknown)}", unknown[0])
    top = _channels({k: v for k, v in data.items() if k != "kinds"}, "body", partial=True)
    kinds = None
    if "kinds" in data:
        if not isinstance(data["kinds"], dict):
            raise ParameterError("kinds is an object by kind of event", "kinds")
        wrong = sorted(set(data["kinds"]) - set(KINDS))
        if wrong:
            raise ParameterError(f"unknown kind {', '.join(wrong)} (known: {', '.join(KINDS)})")
        kinds = {
            kind: _channels(value, f"kinds.{kind}", partial=False)
            for kind, value in data["kinds"].items()
        }
    with transaction.atomic():
        preference, _ = Preference.objects.select_for_update().get_or_create(user=user)
        for field, value in top.items():
            setattr(preference, field, value)
        if kinds is not None:
            preference.kinds = kinds
        preference.save()
    return of(user)


def stop_email(user_id: int) -> None:
    """Unsubscribe: no e-mail at all, whatever the kind (push and in-app stay as they were)."""
    with transaction.atomic():
        preference, _ = Preference.objects.select_for_update().get_or_create(user_id=user_id)
        preference.email = EmailMode.NONE
        preference.kinds = {
            kind: {k: v for k, v in channels.items() if k != "email"}
            for kind, channels in preference.kinds.items()
            if set(channels) - {"email"}
        }
        preference.save()
