"""What a person sees of their app tokens: a label and when they were made and expire.

The token itself is never stored (django-rest-knox keeps its digest); this row names a token so
the account page and ``GET /api/v1/auth/tokens`` can list it and revoke it by a plain id.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from knox.models import AuthToken


class TokenLabel(models.Model):
    token = models.OneToOneField(AuthToken, on_delete=models.CASCADE, related_name="label")
    label = models.CharField(_("label"), max_length=100, blank=True)
    user_agent = models.CharField(_("application"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("app token")

    def __str__(self) -> str:
        return self.label or self.user_agent or str(self.pk)
