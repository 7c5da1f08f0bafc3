"""The administrator's API as the province's scripts call it (scripts/catalogue,
scripts/calendar): the operator's token from DESK_ADMIN_TOKEN (never argv),
the portal from PORTAL (default http://127.0.0.1:3000), JSON both ways, and an
error printed as the portal words it; a busy portal (503) is asked again after
its Retry-After, a few times."""
import json
import os
import sys
import time
import urllib.error
import urllib.request


def call(method, path, body=None):
    token = os.environ.get("DESK_ADMIN_TOKEN")
    if not token:
        sys.exit("set DESK_ADMIN_TOKEN (the portal's SPIN_VARIABLE_DESK_ADMIN_TOKEN)")
    portal = os.environ.get("PORTAL", "http://127.0.0.1:3000").rstrip("/")
    data = None if body is None else json.dumps(body, ensure_ascii=False).encode()
    req = urllib.request.Request(portal + path, data=data, method=method)
    req.add_header("authorization", "Bearer " + token)
    req.add_header("content-type", "application/json")
    for attempt in range(BUSY_ATTEMPTS):
        try:
            with urllib.request.urlopen(req, timeout=300) as r:
                return json.load(r)
        except urllib.error.HTTPError as e:
            # Busy (503): the portal rolled the request back and asks for it
            # again after Retry-After; sent again a few times, as a client should.
            if e.code == 503 and attempt + 1 < BUSY_ATTEMPTS:
                time.sleep(min(_seconds(e.headers.get("retry-after")), 10))
                continue
            fail(method, path, e)
        except urllib.error.URLError as e:
            sys.exit(f"cannot reach the portal at {portal}: {e.reason}")


BUSY_ATTEMPTS = 5


def _seconds(value):
    try:
        return max(int(value), 1)
    except (TypeError, ValueError):
        return 1


def fail(method, path, e):
    """Stops with the error as the portal words it."""
    try:
        error = json.load(e).get("error", {})
        why = f"{error.get('field') or ''}: {error.get('message') or ''}"
    except ValueError:
        why = e.reason
    sys.exit(f"{method} {path}: {e.code} {why}")
