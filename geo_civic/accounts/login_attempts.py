"""The user name django-axes records for a failed login, cut to the width of its column.

Django's login forms (the site's and the admin's) authenticate before checking the length of a
user name, so a failed login with a name over 255 characters made axes' insert fail: a 500
instead of "wrong user name or password". (``AXES_USERNAME_CALLABLE`` in the settings.)
"""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest

COLUMN_WIDTH = 255  # axes.models.AccessBase.username


def attempted_username(request: HttpRequest, credentials: dict | None = None) -> str | None:
    """What axes' own lookup gives (the credentials, else the posted form), at most 255 long."""
    field = settings.AXES_USERNAME_FORM_FIELD
    if credentials:
        name = credentials.get(field)
    else:
        name = getattr(request, "data", request.POST).get(field)
    return name[:COLUMN_WIDTH] if isinstance(name, str) else name
