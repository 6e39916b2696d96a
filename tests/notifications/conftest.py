"""A real SMTP server (aiosmtpd) on loopback, and people who want notifications."""

from __future__ import annotations

import asyncio
import email
import email.policy
import threading
from collections.abc import Callable
from email.message import Message

import pytest
from aiosmtpd.controller import Controller
from django.contrib.auth.models import User

from geo_civic.notifications.models import Preference
from tests.live_servers import free_port


class Inbox:
    """What the SMTP server accepted. ``before_accept`` may hold or refuse a message."""

    def __init__(self) -> None:
        self.messages: list[Message] = []
        self.arrived = threading.Condition()
        self.before_accept: Callable[[Message], str | None] | None = None

    async def handle_DATA(self, server, session, envelope) -> str:
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        if self.before_accept is not None:
            refusal = await asyncio.get_running_loop().run_in_executor(
                None, self.before_accept, message
            )
            if refusal:
                return refusal
        with self.arrived:
            self.messages.append(message)
            self.arrived.notify_all()
        return "250 Message accepted for delivery"

    def to(self, address: str) -> list[Message]:
        return [m for m in self.messages if m["To"] == address]


@pytest.fixture
def smtp_server():
    """An SMTP server on loopback; yields (inbox, port)."""
    inbox, port = Inbox(), free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield inbox, port
    finally:
        controller.stop()


@pytest.fixture
def smtp(smtp_server, settings) -> Inbox:
    """Django sends through the real SMTP backend to that server (tests default to memory)."""
    inbox, port = smtp_server
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.GEO_CIVIC_SITE_URL = "https://civic.example.org"
    return inbox


def person(name: str, address: str | None = None, **preference) -> User:
    """An account; ``preference`` (email=, push=, kinds=) stores a choice, else the defaults."""
    user = User.objects.create_user(name, email=address or f"{name}@example.org", password="x")
    if preference:
        Preference.objects.create(user=user, **preference)
    return user
