"""Notifications: in-app, e-mail and Web Push, told once per person and event (``delivery.notify``)."""
