"""Render deploy/nginx/geocivic.conf.in for a set of app servers.

    python deploy/render_nginx.py --app 127.0.0.1:8001 --app 127.0.0.1:8002 \\
        --listen 80 --server-name carte.example.org \\
        --static-root /srv/geocivic/staticfiles --cache-dir /var/cache/nginx/geocivic \\
        > /etc/nginx/conf.d/geocivic.conf
"""

from __future__ import annotations

import argparse
from pathlib import Path

TEMPLATE = Path(__file__).resolve().parent / "nginx" / "geocivic.conf.in"


def render(
    apps: list[str], listen: str, server_name: str, static_root: str, cache_dir: str
) -> str:
    """The http-context configuration, every token filled in."""
    servers = "\n".join(f"    server {app} max_fails=1 fail_timeout=5s;" for app in apps)
    text = TEMPLATE.read_text()
    for token, value in {
        "@UPSTREAM_SERVERS@": servers,
        "@LISTEN@": listen,
        "@SERVER_NAME@": server_name,
        "@STATIC_ROOT@": static_root.rstrip("/"),
        "@CACHE_DIR@": cache_dir,
    }.items():
        text = text.replace(token, value)
    return text


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--app", action="append", required=True, help="host:port of an app server")
    parser.add_argument("--listen", default="80")
    parser.add_argument("--server-name", default="_")
    parser.add_argument("--static-root", default="/srv/geocivic/staticfiles")
    parser.add_argument("--cache-dir", default="/var/cache/nginx/geocivic")
    args = parser.parse_args()
    print(render(args.app, args.listen, args.server_name, args.static_root, args.cache_dir))


if __name__ == "__main__":
    main()
