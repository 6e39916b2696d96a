"""Bearer tokens (django-rest-knox) read in one query a request.

knox, on every request, also reads all the other tokens of the user to delete the expired ones:
a second query on every call of the app API, ballots included (the hot path of a consultation,
bench/participation.py). Here the token and its user are one query; an expired token presented is
still refused and deleted; the user's other expired tokens never authenticate anyway, are not
listed, and are deleted when a new token is made (``geo_civic.accounts.tokens.create``).
"""

from __future__ import annotations

from django.utils import timezone
from knox.auth import TokenAuthentication
from knox.signals import token_expired


class BearerAuthentication(TokenAuthentication):
    """knox's ``Authorization: Bearer <token>`` without its per-request sweep of other tokens."""

    def _cleanup_token(self, auth_token) -> bool:
        """True (and the token deleted) when the token presented has expired."""
        if auth_token.expiry is None or auth_token.expiry >= timezone.now():
            return False
        username = auth_token.user.get_username()
        auth_token.delete()
        token_expired.send(sender=self.__class__, username=username, source="auth_token")
        return True
