"""Outgoing HTTP to addresses we do not control: public addresses only (SSRF protection)."""
