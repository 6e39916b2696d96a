"""Each local actor's RSA key pair, made on first use and kept in the database."""

from __future__ import annotations

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from django.db import IntegrityError, transaction

from geo_civic.federation.models import KeyPair


def _new_pair() -> tuple[str, str]:
    private = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    private_pem = private.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode()
    public_pem = (
        private.public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
        .decode()
    )
    return private_pem, public_pem


def key_pair(kind: str, key: str) -> KeyPair:
    """The key pair of local actor ``(kind, key)``; two first requests at once make one pair."""
    found = KeyPair.objects.filter(local_kind=kind, local_key=key).first()
    if found:
        return found
    private_pem, public_pem = _new_pair()
    try:
        with transaction.atomic():
            return KeyPair.objects.create(
                local_kind=kind, local_key=key, private_pem=private_pem, public_pem=public_pem
            )
    except IntegrityError:
        return KeyPair.objects.get(local_kind=kind, local_key=key)
