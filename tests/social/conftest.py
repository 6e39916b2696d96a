"""Follow and news in Saint-Paul (97415): the roles of the local democracy tests, reused."""

from __future__ import annotations

import pytest

from tests.participation.conftest import (  # noqa: F401 (fixtures)
    association,
    fresh_rate_limits,
    quick_passwords,
    roles,
    space,
)


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    """Uploaded images go to a folder of the test's own."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT
