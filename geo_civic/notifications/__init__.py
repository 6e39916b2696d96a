"""Notifications: in-app, e-mail and Web Push, once per person and event (delivery.notify)."""
