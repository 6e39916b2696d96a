"""Where the phone's time to the first marker goes: a Chrome trace of bench/phone_load.py's visits.

    .venv/bin/python bench/phone_trace.py [--skip-load] [--checkout PATH]

Serves a checkout as bench/phone_load.py does (same database, same phone, network and CPU
emulation), records a Chrome trace (``devtools.timeline``) of a cold and a warm visit, and prints
for each: the first marker; the renderer's main thread before it (wall time in tasks, and the
thread's own CPU time: under the ×4 slowdown a task's wall time is about four times its CPU
time, more when the machine is loaded); the main events by CPU time; and every request with
when it started and ended (Resource Timing), so the critical path can be read off.
"""

from __future__ import annotations

import argparse
import collections
import json
import os
import secrets
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

import bench.phone_load as phone  # noqa: E402
from bench.load import bench_database_url, create_database  # noqa: E402
from geo_civic.operations import embedded_db  # noqa: E402

CATEGORIES = ["devtools.timeline", "disabled-by-default-devtools.timeline", "v8.execute", "loading"]
EVENTS = (
    "v8.evaluateModule", "v8.compileModule", "EvaluateScript", "FunctionCall", "RunMicrotasks",
    "TimerFire", "FireAnimationFrame", "ParseHTML", "ParseAuthorStyleSheet", "UpdateLayoutTree",
    "Layout", "Paint", "MinorGC", "MajorGC",
)  # fmt: skip
TIMELINE = """() => performance.getEntriesByType('resource').map(e => [
  e.name.replace(/^https?:\\/\\/[^/]+/, '').slice(0, 70), e.startTime, e.responseEnd,
  e.transferSize])"""


def main_thread(events: list[dict]) -> tuple[int, int]:
    names = {
        (e["pid"], e["tid"]): e["args"]["name"]
        for e in events
        if e.get("ph") == "M" and e.get("name") == "thread_name"
    }
    counts = collections.Counter(
        (e["pid"], e["tid"]) for e in events if names.get((e["pid"], e["tid"])) == "CrRendererMain"
    )
    return counts.most_common(1)[0][0]


def analyse(path: str, page_url: str, first: float) -> None:
    events = json.loads(Path(path).read_text())["traceEvents"]
    main = main_thread(events)
    start = min(
        e["ts"]
        for e in events
        if e.get("name") == "ResourceSendRequest" and e["args"]["data"]["url"] == page_url
    )
    end = start + first * 1000
    wall = cpu = 0
    by_cpu: collections.Counter = collections.Counter()
    for e in events:
        if (e["pid"], e["tid"]) != main or e.get("ph") != "X" or not start <= e["ts"] <= end:
            continue
        if e["name"] == "RunTask":
            wall += e.get("dur", 0)
            cpu += e.get("tdur", 0)
        elif e["name"] in EVENTS:
            by_cpu[e["name"]] += e.get("tdur", 0)
    print(
        f"  main thread before it: {wall / 1000:.0f} ms in tasks (wall), "
        f"{cpu / 1000:.0f} ms of its own CPU"
    )
    for name, micros in by_cpu.most_common(8):
        print(f"    {micros / 1000:6.0f} ms CPU  {name}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--checkout", type=Path, default=REPO)
    parser.add_argument("--skip-load", action="store_true", help="the data is already loaded")
    args = parser.parse_args()
    phone.BASEMAP = phone.serve_basemap()
    if not os.environ.get("DATABASE_URL"):
        embedded_db.ensure_running()
    url = bench_database_url("_bench_phone")
    create_database(url)
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "GEO_CIVIC_ENV": "production",
        "SECRET_KEY": secrets.token_urlsafe(40),
        "GEO_CIVIC_SSL_REDIRECT": "0",
        "ALLOWED_HOSTS": "127.0.0.1",
        "GEO_CIVIC_BASEMAP_URL": phone.BASEMAP + "{z}/{x}/{y}.png",
    }
    if not args.skip_load:
        phone.run(REPO, env, "manage.py", "demo", "--no-serve")
    checkout = args.checkout.resolve()
    phone.prepare(checkout, env)
    server, base = phone.serve(checkout, env)
    from playwright.sync_api import sync_playwright

    try:
        with sync_playwright() as playwright, tempfile.TemporaryDirectory() as tmp:
            browser = playwright.chromium.launch(
                executable_path=phone.CHROMIUM, args=phone.CHROMIUM_ARGS
            )
            context = browser.new_context(
                viewport={"width": 390, "height": 844}, device_scale_factor=3, is_mobile=True,
                has_touch=True, service_workers="block", locale="fr-FR",  # fmt: skip
            )
            context.add_init_script(phone.WATCH_FIRST_MARKER)
            for visit in ("cold", "warm"):
                page = context.new_page()
                cdp = context.new_cdp_session(page)
                cdp.send("Network.enable")
                cdp.send("Network.emulateNetworkConditions", phone.PHONE_4G)
                cdp.send("Emulation.setCPUThrottlingRate", {"rate": phone.CPU_SLOWDOWN})
                path = f"{tmp}/{visit}.json"
                browser.start_tracing(page=page, path=path, categories=CATEGORIES)
                page.goto(base + "/", wait_until="commit")
                page.wait_for_function("() => window.__firstMarker !== undefined", timeout=60_000)
                first = page.evaluate("() => window.__firstMarker")
                page.wait_for_timeout(300)
                browser.stop_tracing()
                print(f"{visit}: first marker after {first:.0f} ms")
                analyse(path, base + "/", first)
                print("  requests (start → end ms, bytes):")
                for name, begin, end, size in page.evaluate(TIMELINE):
                    if begin <= first and not name.endswith(".png"):
                        print(f"    {begin:6.0f} → {end:6.0f}  {size:7d}  {name}")
                page.close()
            context.close()
            browser.close()
    finally:
        server.terminate()
        server.wait(timeout=30)
    print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")


if __name__ == "__main__":
    main()
