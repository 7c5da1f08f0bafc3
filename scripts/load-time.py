#!/usr/bin/env python3
"""Load time of the citizen app on an emulated slow 3G link and a slow phone.

A benchmark, not a test (scripts/bench runs it against a running portal):
Debian's headless Chromium through chromedriver, over chromedriver's plain
HTTP interface (no Python packages needed), with the DevTools protocol's
network and CPU throttling:

- slow 3G: 400 ms round trip, 400 kbit/s down and up (WebPageTest's "3G Slow");
- a 4x slower CPU (Emulation.setCPUThrottlingRate), like a low-end Android phone.

For each page it measures, in a fresh profile (first visit) and again in the
same profile (repeat visit: HTTP cache and the service worker), the time from
navigation start to the first paint, and to the page being usable (its
content there: the server's page, or the app's), and the bytes the browser
fetched (compressed, as sent) until then. Each twice: with JavaScript on
(the app takes over where it loads) and off (the server's pages alone).
Prints Markdown rows, the median of RUNS runs.

    python3 scripts/load-time.py http://127.0.0.1:3901 [RUNS]
    ONLY=/reports python3 scripts/load-time.py …   (only the paths starting so)
"""
import json
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request

BASE = sys.argv[1].rstrip("/")
RUNS = int(sys.argv[2]) if len(sys.argv) > 2 else 3
SLOW_3G = {"offline": False, "latency": 400, "downloadThroughput": 400 * 1000 / 8, "uploadThroughput": 400 * 1000 / 8}
CPU_SLOWDOWN = 4
PAGES = [
    ("search page `/`", "/", "document.querySelectorAll('#results .procedure-card').length > 0"),
    ("online form `/procedures/1.001193/apply`", "/procedures/1.001193/apply", "!!document.querySelector('#form-progress')"),
    ("reports `/reports`", "/reports", "!!document.querySelector('#public-reports')"),
    ("report form `/reports/new`", "/reports/new", "!!document.querySelector('#report-text')"),
    ("consultations `/consultations`", "/consultations", "!!document.querySelector('#consultations, #consultations-none')"),
]
# ONLY=/reports measures the pages whose path starts with it.
PAGES = [p for p in PAGES if p[1].startswith(os.environ.get("ONLY", ""))]
# Bytes fetched so far: the page and every file, as transferred (compressed,
# headers included; 0 for what came from the HTTP cache or the service worker).
BYTES = ("return performance.getEntriesByType('navigation').concat(performance.getEntriesByType('resource'))"
         ".reduce((n, e) => n + (e.transferSize || 0), 0)")


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Driver:
    def __init__(self):
        self.port = free_port()
        self.proc = subprocess.Popen(["chromedriver", f"--port={self.port}"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=0.2).close()
                return
            except OSError:
                time.sleep(0.1)
        raise SystemExit("chromedriver did not start")

    def call(self, method, path, body=None):
        data = json.dumps(body).encode() if body is not None else None
        req = urllib.request.Request(f"http://127.0.0.1:{self.port}{path}", data=data, method=method,
                                     headers={"content-type": "application/json"})
        with urllib.request.urlopen(req, timeout=300) as r:
            return json.loads(r.read() or b"{}").get("value")

    def close(self):
        self.proc.kill()
        self.proc.wait()


class Session:
    def __init__(self, driver, profile, scripts=True):
        self.d = driver
        options = {"binary": "/usr/bin/chromium", "args": [
            "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
            "--disable-background-networking", "--disable-component-update", "--disable-quic",
            "--window-size=412,915", f"--user-data-dir={profile}"]}
        if not scripts:
            options["prefs"] = {"profile.managed_default_content_settings.javascript": 2}
        caps = {"capabilities": {"alwaysMatch": {"goog:chromeOptions": options}}}
        self.id = driver.call("POST", "/session", caps)["sessionId"]

    def cdp(self, cmd, params):
        return self.d.call("POST", f"/session/{self.id}/goog/cdp/execute", {"cmd": cmd, "params": params})

    def js(self, script):
        return self.d.call("POST", f"/session/{self.id}/execute/sync", {"script": script, "args": []})

    def goto(self, url):
        self.d.call("POST", f"/session/{self.id}/url", {"url": url})

    def throttle(self):
        self.cdp("Network.enable", {})
        self.cdp("Network.emulateNetworkConditions", SLOW_3G)
        self.cdp("Emulation.setCPUThrottlingRate", {"rate": CPU_SLOWDOWN})

    def close(self):
        self.d.call("DELETE", f"/session/{self.id}")


def measure(s, path, ready):
    """(first paint, usable, bytes until usable): ms from navigation start, bytes."""
    # about:blank first, so the timer starts with this navigation.
    s.goto("about:blank")
    s.throttle()
    s.goto(BASE + path)  # returns at the load event
    deadline = time.time() + 120
    while time.time() < deadline:
        now = s.js(f"return ({ready}) ? performance.now() : null")
        if now is not None:
            # A server page is usable as it is parsed: its paint entry may come a moment later.
            fp = None
            for _ in range(50):
                fp = s.js("const p = performance.getEntriesByName('first-contentful-paint')[0]; return p ? p.startTime : null")
                if fp is not None:
                    break
                time.sleep(0.05)
            return fp, now, s.js(BYTES)
        time.sleep(0.05)
    raise SystemExit(f"{path} was not usable within 120 s")


def wait_offline_ready(s):
    s.cdp("Network.emulateNetworkConditions", {**SLOW_3G, "latency": 0, "downloadThroughput": -1, "uploadThroughput": -1})
    for _ in range(600):
        if s.js("if (!navigator.serviceWorker.controller) return false; "
                "fetch('/sw/ready').then(r => r.json()).then(j => window.__r = j.ready); return window.__r === true"):
            return
        time.sleep(0.1)


def ms(values):
    return f"{statistics.median(values) / 1000:.1f} s"


def kb(values):
    return f"{statistics.median(values) / 1000:.0f} KB"


def main():
    driver = Driver()
    try:
        print(f"| page ({RUNS} runs, median) | JavaScript | first visit: first paint | first visit: usable | first visit: bytes until usable "
              f"| repeat visit: first paint | repeat visit: usable |")
        print("|---|---|---|---|---|---|---|")
        for name, path, ready in PAGES:
            for scripts in (True, False):
                first, repeat = [], []
                for _ in range(RUNS):
                    profile = tempfile.mkdtemp()
                    s = Session(driver, profile, scripts)
                    try:
                        first.append(measure(s, path, ready))
                        print(f"{path} scripts={scripts} first visit: {first[-1]}", file=sys.stderr, flush=True)
                        # The service worker keeps the app after the first visit; a
                        # phone that comes back finds it (and its data) on the device.
                        if scripts:
                            wait_offline_ready(s)
                        repeat.append(measure(s, path, ready))
                        print(f"{path} scripts={scripts} repeat visit: {repeat[-1]}", file=sys.stderr, flush=True)
                    except SystemExit as e:
                        print(f"| {name} | {'on' if scripts else 'off'} | {e} | | | | |")
                        break
                    finally:
                        s.close()
                        shutil.rmtree(profile, ignore_errors=True)
                if len(first) < RUNS or len(repeat) < RUNS:
                    continue
                print(f"| {name} | {'on' if scripts else 'off'} | {ms([f[0] or 0 for f in first])} | {ms([f[1] for f in first])} "
                      f"| {kb([f[2] for f in first])} | {ms([r[0] or 0 for r in repeat])} | {ms([r[1] for r in repeat])} |")
        print()
        print(f"Slow 3G as emulated by Chromium: {SLOW_3G['latency']} ms round trip, 400 kbit/s each way; "
              f"CPU slowed {CPU_SLOWDOWN}x; {os.cpu_count()} cores.")
    finally:
        driver.close()


if __name__ == "__main__":
    main()
