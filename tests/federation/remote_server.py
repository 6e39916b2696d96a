"""A remote fediverse server played by bovine, an independent ActivityPub implementation.

Run with .venv-fediverse/bin/python (its own environment, see tests/federation/requirements.txt),
never imported by the tests. It serves on loopback:

- ``/actor``: a Person with its RSA key (made by bovine), inbox and shared inbox, served only
  to signed GETs (Mastodon's secure mode), verified by bovine;
- ``/inbox`` and ``/shared-inbox``: take POSTs, verify OUR HTTP Signatures with bovine's own
  checker (fetching our key from our actor document) and keep what came with the verdict;
- ``/control/send``: sign an activity with bovine and POST it to a URL (our inbox); with
  ``"tamper": true`` the body is changed after signing;
- ``/control/received``: what the inboxes received, each with the owner of the key bovine
  verified (None when the signature did not verify); ``/control/fetches``: who signed each GET
  of the actor.

The first line on stdout is ``{"base": "http://127.0.0.1:<port>"}``.
"""

from __future__ import annotations

import asyncio
import json
import sys

import aiohttp
from aiohttp import web
from bovine.clients.signed_http import legacy_digest_method
from bovine.clients.signed_http_methods import signed_post
from bovine.crypto import build_validate_http_signature_raw, generate_rsa_public_private_key
from bovine.crypto.types import CryptographicIdentifier, CryptographicSecret

AP = "application/activity+json"


def session() -> aiohttp.ClientSession:
    """A client resolving names with the system's resolver (/etc/hosts: ``localhost``), not
    aiodns, which would ask a DNS server the machine may not have."""
    return aiohttp.ClientSession(
        connector=aiohttp.TCPConnector(resolver=aiohttp.ThreadedResolver())
    )


async def main() -> None:
    public_pem, private_pem = generate_rsa_public_private_key()
    received: list[dict] = []
    fetches: list[str | None] = []  # who signed each GET of our actor (None: unsigned)
    state: dict[str, str] = {}

    async def retrieve_key(key_id: str) -> CryptographicIdentifier | None:
        async with session() as client:
            async with client.get(key_id.split("#")[0], headers={"Accept": AP}) as response:
                document = await response.json(content_type=None)
        key = document.get("publicKey", document)
        if key.get("id") != key_id:
            return None
        return CryptographicIdentifier.from_pem(key["publicKeyPem"], key["owner"])

    validate = build_validate_http_signature_raw(retrieve_key)

    async def actor(request: web.Request) -> web.Response:
        # Secure mode ("authorized fetch"), as some Mastodon servers: signed GETs only.
        owner = await validate("get", str(request.url), request.headers, None)
        fetches.append(owner)
        if owner is None:
            return web.Response(status=401)
        base = state["base"]
        document = {
            "@context": ["https://www.w3.org/ns/activitystreams", "https://w3id.org/security/v1"],
            "id": f"{base}/actor",
            "type": "Person",
            "preferredUsername": "bovine",
            "inbox": f"{base}/inbox",
            "outbox": f"{base}/outbox",
            "endpoints": {"sharedInbox": f"{base}/shared-inbox"},
            "publicKey": {
                "id": f"{base}/actor#main-key",
                "owner": f"{base}/actor",
                "publicKeyPem": public_pem,
            },
        }
        return web.json_response(document, content_type=AP)

    async def inbox(request: web.Request) -> web.Response:
        body = await request.read()

        async def get_body() -> bytes:
            return body

        owner = await validate(request.method, str(request.url), request.headers, get_body)
        received.append(
            {"path": request.path, "verified_owner": owner, "activity": json.loads(body)}
        )
        return web.Response(status=202)

    async def send(request: web.Request) -> web.Response:
        order = await request.json()
        body = json.dumps(order["activity"])
        secret = CryptographicSecret.from_pem(f"{state['base']}/actor#main-key", private_pem)
        async with session() as client:
            if order.get("tamper"):
                # Signed as bovine signs, then the body is changed on the way.
                response = await signed_post(
                    _Tamper(client), secret, order["url"], body, legacy_digest_method
                )
            else:
                response = await signed_post(
                    client, secret, order["url"], body, legacy_digest_method
                )
            answer = await response.text()
        return web.json_response({"status": response.status, "body": answer})

    async def show(request: web.Request) -> web.Response:
        return web.json_response(received)

    async def show_fetches(request: web.Request) -> web.Response:
        return web.json_response(fetches)

    app = web.Application()
    app.add_routes([
        web.get("/actor", actor),
        web.post("/inbox", inbox),
        web.post("/shared-inbox", inbox),
        web.post("/control/send", send),
        web.get("/control/received", show),
        web.get("/control/fetches", show_fetches),
    ])  # fmt: skip
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]
    state["base"] = f"http://127.0.0.1:{port}"
    print(json.dumps({"base": state["base"]}), flush=True)
    await asyncio.Event().wait()


class _Tamper:
    """An aiohttp session whose POST sends another body than the one signed."""

    def __init__(self, session: aiohttp.ClientSession) -> None:
        self.session = session

    async def post(self, url: str, data: str, headers: dict):
        changed = json.loads(data)
        changed["tampered"] = True
        return await self.session.post(url, data=json.dumps(changed), headers=headers)


if __name__ == "__main__":
    try:
        asyncio.run(main())
    except KeyboardInterrupt:
        sys.exit(0)
