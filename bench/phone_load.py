"""The map opened cold on a phone over slow 4G: time to the first marker and bytes transferred,
for this checkout and, in the same run, a reference checkout (``--ref``, e.g. main's HEAD).

    git worktree add --detach /tmp/geocivic-ref main && ln -s "$PWD/node_modules" /tmp/geocivic-ref/
    .venv/bin/python bench/phone_load.py --ref /tmp/geocivic-ref [--runs 5]

Each checkout is served as in production: gunicorn (2 workers), ``GEO_CIVIC_ENV=production``, a
secret key, ``ALLOWED_HOSTS``, ``collectstatic`` into its own ``staticfiles/``, on loopback
(``GEO_CIVIC_SSL_REDIRECT=0``). Both read one database, ``<db>_bench_phone``, holding the demo
data of La Réunion (``manage.py demo --no-serve``: 24 communes, 125 initiatives, from the data
mirror; ``--skip-load`` when it is there).
Chromium emulates a phone (390×844, touch), CDP ``Network.emulateNetworkConditions`` (150 ms,
1.6 Mbit/s down, 0.75 up) and ``Emulation.setCPUThrottlingRate`` 4. The cold visit is a fresh
browser context with service workers blocked, so every byte is counted; the warm visit opens the
page again in that context (HTTP cache only, no service worker). Basemap tiles come from a
local server that answers 204; they are not ours to count (nor routed through Playwright, which
would turn the HTTP cache off).

- first marker: navigation start → the first actor or cluster marker element in Leaflet's marker
  or overlay pane (a MutationObserver installed before the page runs notes the time);
- bytes: the sum of CDP ``Network.loadingFinished`` ``encodedDataLength`` (headers and bodies as
  they travelled) until the map has settled (its status line shows the count, network idle).

Runs alternate between the checkouts so both share the machine's load. Writes its table into
BENCHMARKS.md.
"""

from __future__ import annotations

import argparse
import http.server
import json
import os
import statistics
import subprocess
import sys
import threading
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from bench.benchmarks_md import update_benchmarks  # noqa: E402
from bench.load import create_database, free_port, production_env, wait_until_up  # noqa: E402
from bench.scratch_db import start_database  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
PHONE_4G = {
    "offline": False,
    "latency": 150,
    "downloadThroughput": 1_600_000 / 8,
    "uploadThroughput": 750_000 / 8,
}
CPU_SLOWDOWN = 4
BASEMAP = "http://127.0.0.1:{port}/"  # the port is set when the tile server starts
DETAILS = False  # --details: every response's size
FIRST_MARKER = (
    ".leaflet-marker-pane .marker-cluster, .leaflet-marker-pane .server-cluster, "
    ".leaflet-marker-pane .leaflet-marker-icon, .leaflet-overlay-pane path.actor-marker"
)
# Notes when the first marker is drawn, from inside the page (no polling delay).
WATCH_FIRST_MARKER = """
new MutationObserver((_, observer) => {
  if (document.querySelector(SELECTOR)) {
    window.__firstMarker = performance.now();
    observer.disconnect();
  }
}).observe(document, { childList: true, subtree: true });
""".replace("SELECTOR", json.dumps(FIRST_MARKER))


def run(cwd: Path, env: dict, *args: str) -> str:
    result = subprocess.run(
        [str(REPO / ".venv/bin/python"), *args],
        cwd=cwd, env=env, capture_output=True, text=True, check=False,  # fmt: skip
    )
    if result.returncode:
        raise SystemExit(f"{cwd}: {' '.join(args)} failed:\n{result.stderr[-2000:]}")
    return result.stdout


def prepare(checkout: Path, env: dict) -> None:
    """What `make install` and a deployment do: build the front end, translations, static files."""
    if (checkout / "scripts/build.mjs").exists():
        subprocess.run(["node", "scripts/build.mjs"], cwd=checkout, check=True, capture_output=True)
    run(checkout, env, "-m", "django", "compilemessages", "-i", ".venv", "-i", "node_modules")
    run(checkout, env, "manage.py", "collectstatic", "--noinput", "--clear", "-v0")


class NoTile(http.server.BaseHTTPRequestHandler):
    def do_GET(self) -> None:  # noqa: N802 (the standard library's name)
        self.send_response(204)
        self.end_headers()

    def log_message(self, *args) -> None:
        pass


def serve_basemap() -> str:
    """A basemap that answers every tile with 204, on loopback."""
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), NoTile)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return f"http://127.0.0.1:{server.server_address[1]}/"


def serve(checkout: Path, env: dict) -> tuple[subprocess.Popen, str]:
    port = free_port()
    server = subprocess.Popen(
        [str(REPO / ".venv/bin/gunicorn"), "geo_civic.wsgi", "-w", "2",
         "-b", f"127.0.0.1:{port}", "--log-level", "warning"],  # fmt: skip
        cwd=checkout, env=env,  # fmt: skip
    )
    base = f"http://127.0.0.1:{port}"
    wait_until_up(base + "/healthz")
    return server, base


def visit(context, url: str) -> dict:
    """One visit of the map in a throttled phone page: first marker (ms) and bytes."""
    page = context.new_page()
    cdp = context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send("Network.emulateNetworkConditions", PHONE_4G)
    cdp.send("Emulation.setCPUThrottlingRate", {"rate": CPU_SLOWDOWN})
    urls: dict[str, str] = {}
    received: dict[str, int] = {}

    def sent(event: dict) -> None:
        urls[event["requestId"]] = event["request"]["url"]

    def finished(event: dict) -> None:
        url = urls.get(event["requestId"], "?")
        if not url.startswith(BASEMAP):
            received[url] = received.get(url, 0) + event["encodedDataLength"]

    cdp.on("Network.requestWillBeSent", sent)
    cdp.on("Network.loadingFinished", finished)
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(url, wait_until="commit")
    try:
        page.wait_for_function("() => window.__firstMarker !== undefined", timeout=60_000)
    except Exception:
        raise SystemExit(f"{url}: no marker within 60 s; errors: {errors}") from None
    first = page.evaluate("() => window.__firstMarker")
    page.wait_for_function(
        "() => /\\d/.test(document.getElementById('map-status').textContent)", timeout=60_000
    )
    page.wait_for_load_state("networkidle")
    page.close()
    if DETAILS:
        for url, size in sorted(received.items(), key=lambda item: -item[1]):
            print(f"  {size / 1024:7.1f} KB  {url}", file=sys.stderr)
    return {"first": first, "bytes": sum(received.values()), "requests": len(received)}


def measure(browser, base: str) -> dict:
    context = browser.new_context(
        viewport={"width": 390, "height": 844}, device_scale_factor=3, is_mobile=True,
        has_touch=True, service_workers="block", locale="fr-FR",  # fmt: skip
    )
    context.add_init_script(WATCH_FIRST_MARKER)
    cold = visit(context, base + "/")
    warm = visit(context, base + "/")
    context.close()
    return {"cold": cold, "warm": warm}


def summary(values: list[float]) -> tuple[float, float, float]:
    return statistics.median(values), min(values), max(values)


def report(results: dict, args: argparse.Namespace) -> str:
    lines = [
        "## The map on a phone over slow 4G (bench/phone_load.py)",
        "",
        "gunicorn (2 workers, production settings, collectstatic) on loopback; La Réunion's demo "
        "data (24 communes, 125 initiatives); headless Chromium as a phone (390×844, touch), "
        "150 ms latency, 1.6 Mbit/s down, 0.75 up, CPU ×4; cold = fresh context with service "
        "workers blocked, warm = the same page opened again (HTTP cache only). "
        f"Median of {args.runs} runs, [min–max]; both checkouts measured in the same run, taking "
        "turns. First marker: navigation start → the first actor or cluster marker drawn; bytes: "
        "CDP encoded lengths (headers and bodies as transferred).",
        "",
        "| checkout | first marker, cold | bytes, cold | requests | first marker, warm "
        "| bytes, warm |",
        "|---|---|---|---|---|---|",
    ]
    for name, runs in results.items():
        cold_first = summary([r["cold"]["first"] for r in runs])
        cold_bytes = summary([r["cold"]["bytes"] / 1024 for r in runs])
        warm_first = summary([r["warm"]["first"] for r in runs])
        warm_bytes = summary([r["warm"]["bytes"] / 1024 for r in runs])
        requests = statistics.median(r["cold"]["requests"] for r in runs)
        lines.append(
            f"| {name} | {cold_first[0]:.0f} ms [{cold_first[1]:.0f}–{cold_first[2]:.0f}] "
            f"| {cold_bytes[0]:.0f} KB [{cold_bytes[1]:.0f}–{cold_bytes[2]:.0f}] "
            f"| {requests:.0f} "
            f"| {warm_first[0]:.0f} ms [{warm_first[1]:.0f}–{warm_first[2]:.0f}] "
            f"| {warm_bytes[0]:.0f} KB [{warm_bytes[1]:.0f}–{warm_bytes[2]:.0f}] |"
        )
    if len(results) == 2:
        (ref_name, ref), (name, ours) = list(results.items())[1], list(results.items())[0]
        ratio_first = statistics.median(r["cold"]["first"] for r in ours) / statistics.median(
            r["cold"]["first"] for r in ref
        )
        ratio_bytes = statistics.median(r["cold"]["bytes"] for r in ours) / statistics.median(
            r["cold"]["bytes"] for r in ref
        )
        lines += [
            "",
            f"Ratio {name} / {ref_name}, cold: first marker {ratio_first:.2f}, "
            f"bytes {ratio_bytes:.2f}.",
        ]
    ours = next(iter(results.values()))
    met = (
        statistics.median(r["cold"]["first"] for r in ours) <= 1500
        and statistics.median(r["cold"]["bytes"] for r in ours) <= 200 * 1024
        and statistics.median(r["warm"]["first"] for r in ours) <= 800
    )
    command = " ".join([".venv/bin/python", "bench/phone_load.py", *sys.argv[1:]])
    load = os.getloadavg()[0]
    lines += [
        "",
        "Reading it (`bench/phone_trace.py` prints a Chrome trace's account of both visits): "
        "no API round trip waits for the map's code any more (the default view's answer, "
        "`/api/map/first-view`, is preloaded beside it; a repeat visit takes it, the code and the "
        "translations from the HTTP cache and asks only for the page), so the time left is the "
        "renderer's main thread: evaluating Leaflet, markercluster and the map, the layouts "
        "Leaflet forces and drawing the clustered markers, under the ×4 slowdown and this "
        "machine's load. The warm visit, with nothing but the page to download, is not much "
        "faster than the cold one.",
        "",
        f"Load average of the machine at the end of the run: {load:.1f} on {os.cpu_count()} "
        "cores (absolute times grow with it; the ratio between checkouts much less).",
        "",
        "Goal (issue 11): first marker ≤ 1.5 s and ≤ 200 KB cold, ≤ 0.8 s warm: "
        + ("met." if met else "not met."),
        "",
        f"Reproduce: `{command}`",
        "",
    ]
    return "\n".join(lines)




def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--ref", type=Path, help="a checkout to measure beside this one")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--no-write", action="store_true", help="do not update BENCHMARKS.md")
    parser.add_argument("--details", action="store_true", help="print every response's size")
    parser.add_argument("--skip-load", action="store_true", help="the data is already loaded")
    args = parser.parse_args()
    global BASEMAP, DETAILS
    BASEMAP, DETAILS = serve_basemap(), args.details
    start_database()  # left running: the servers it starts read it
    from bench.load import bench_database_url

    url = bench_database_url("_bench_phone")
    create_database(url)
    env = production_env(url, GEO_CIVIC_BASEMAP_URL=BASEMAP + "{z}/{x}/{y}.png")
    if not args.skip_load:
        run(REPO, env, "manage.py", "demo", "--no-serve")
    checkouts = {"this branch": REPO}
    if args.ref:
        checkouts[f"reference ({args.ref.name})"] = args.ref.resolve()
    servers, bases = [], {}
    try:
        for name, checkout in checkouts.items():
            prepare(checkout, env)
            server, bases[name] = serve(checkout, env)
            servers.append(server)
        from playwright.sync_api import sync_playwright

        results: dict = {name: [] for name in checkouts}
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            for _ in range(args.runs):
                for name, base in bases.items():
                    results[name].append(measure(browser, base))
                    print(name, results[name][-1], file=sys.stderr)
            browser.close()
    finally:
        for server in servers:
            server.terminate()
            server.wait(timeout=30)
    section = report(results, args)
    if not args.no_write:
        update_benchmarks(section)
    print(section)


if __name__ == "__main__":
    main()
