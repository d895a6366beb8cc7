"""The grid worker's phone page (/m/) on a slow network, in Debian's Chromium.

Static files are collected as scripts/run.sh does it (hashed names, brotli and
gzip copies) into a folder of this run, and served by WhiteNoise inside gunicorn
with DEBUG off, as in production. The demo grid worker logs in once; each run then
opens /m/ in a new browser context (empty HTTP cache, no service worker) under
"Regular 3G" emulated through the DevTools protocol (300 ms latency, 750 kbit/s
down, 250 kbit/s up, kbit = 1000 bit), and opens it again in a new tab of the same
context. The first visit is cold because the context is new, not through
Network.setCacheDisabled, which would also keep the browser from storing what the
repeat visit is meant to find.

Measured:
- kb, requests: what crossed the wire between the browser and the server, counted
  by a TCP relay in front of gunicorn (headers included; the service worker's own
  fetches too, which the page's DevTools session does not see). The first visit is
  counted until the page is usable and the network has been quiet for a second.
- page_kb: the same as the page's DevTools session reports it (the sum of
  Network.loadingFinished encodedDataLength): the page's own requests only.
- usable_s: from navigation start until the page is usable: its case list shown
  (or "no open cases") and the Report tab enabled. The page sets
  data-usable-ms on <html> at that moment (performance.now()); the bench polls
  for it through DevTools (the CSP forbids eval).
- repeat_paths: what the repeat visit fetched from the network.

    bash scripts/bench.sh phone_load --cases 20000 --runs 5
    # bench=phone_load profile=regular3g cases=... runs=5 first_kb=... first_page_kb=...
    #   first_requests=... first_usable_s=... first_usable_max_s=... repeat_kb=...
    #   repeat_page_kb=... repeat_requests=... repeat_usable_s=...
    # (medians of the runs; each run, and what the last one fetched, on stderr)
"""

import argparse
import os
import select
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time

from common import ROOT, demo_county, fill_cases, free_port, start_server

CHROMIUM = "/usr/bin/chromium"
# Chrome DevTools' "Regular 3G", with the latency the issue names (DevTools uses 100 ms).
REGULAR_3G = {
    "offline": False,
    "latency": 300,
    "downloadThroughput": 750_000 / 8,
    "uploadThroughput": 250_000 / 8,
}
# What "usable" means: the page says so (phone/main.js); the bench accepts the same
# DOM condition on a page that predates the attribute.
USABLE = """(() => {
  const ready = document.documentElement.dataset.usableMs;
  if (ready) return Number(ready);
  const tab = document.querySelector('[data-tab=report]');
  const list = document.getElementById('cases');
  const empty = document.getElementById('cases-empty');
  if (tab && !tab.disabled && list && (list.children.length || (empty && !empty.hidden)))
    return performance.now();
  return 0;
})()"""


class CountingRelay:
    """A TCP relay that counts the bytes and HTTP requests passing through it."""

    def __init__(self, upstream_port: int):
        self.upstream = ("127.0.0.1", upstream_port)
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.lock = threading.Lock()
        self.reset()
        threading.Thread(target=self._accept, daemon=True).start()

    def reset(self):
        with self.lock:
            self.down = 0
            self.up = 0
            self.paths = []
            self.last = time.monotonic()

    def _accept(self):
        while True:
            client, _ = self.listener.accept()
            threading.Thread(target=self._pump, args=(client,), daemon=True).start()

    def _pump(self, client):
        server = socket.create_connection(self.upstream)
        peers = {client: server, server: client}
        try:
            while True:
                ready, _, _ = select.select(list(peers), [], [], 60)
                if not ready:
                    return
                for sock in ready:
                    data = sock.recv(65536)
                    if not data:
                        return
                    peers[sock].sendall(data)
                    with self.lock:
                        self.last = time.monotonic()
                        if sock is client:
                            self.up += len(data)
                            for line in data.split(b"\r\n"):
                                if line[:4] in (b"GET ", b"POST", b"HEAD"):
                                    self.paths.append(line.split(b" ")[1].decode())
                        else:
                            self.down += len(data)
        except OSError:
            return
        finally:
            client.close()
            server.close()

    def quiet_for(self, seconds: float, timeout: float = 30):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with self.lock:
                if time.monotonic() - self.last >= seconds:
                    return
            time.sleep(0.05)

    def totals(self):
        with self.lock:
            return (self.down + self.up) / 1024, list(self.paths)


def collect_static(root: str):
    env = {**os.environ, "DJANGO_DEBUG": "false", "DJANGO_STATIC_ROOT": root}
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v", "0"],
        cwd=ROOT,
        env=env,
        check=True,
    )


def wait_usable(page, timeout: float = 60) -> float:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        at = page.evaluate(USABLE)
        if at:
            return at / 1000
        page.wait_for_timeout(20)
    raise SystemExit("the phone page did not become usable")


def throttled_page(context):
    """A new tab on Regular 3G, and the bytes DevTools counts for it (a list, growing)."""
    page = context.new_page()
    cdp = context.new_cdp_session(page)
    counted = []
    cdp.on("Network.loadingFinished", lambda event: counted.append(event["encodedDataLength"]))
    cdp.send("Network.enable")
    cdp.send("Network.emulateNetworkConditions", REGULAR_3G)
    return page, counted


def visit(context, relay, base: str):
    page, counted = throttled_page(context)
    relay.reset()
    page.goto(f"{base}/m/", wait_until="commit")
    usable = wait_usable(page)
    relay.quiet_for(1.0)
    kb, paths = relay.totals()
    shown = page.evaluate("document.querySelectorAll('#cases li').length")
    page.close()
    return kb, usable, paths, sum(counted) / 1024, shown


def one_run(browser, state, base, relay):
    context = browser.new_context(
        storage_state=state,
        viewport={"width": 360, "height": 740},
        is_mobile=True,
        has_touch=True,
        locale="zh-CN",
    )
    first = visit(context, relay, base)
    # A new tab of the same browser profile, as when the worker opens the page again.
    repeat = visit(context, relay, base)
    context.close()
    return first, repeat


def login_state(browser, base):
    context = browser.new_context(base_url=base)
    page = context.new_page()
    page.goto("/m/")
    page.fill("input[name=username]", "grid_worker")
    page.fill("input[name=password]", os.environ.get("DEMO_PASSWORD", "wangge2026"))
    page.click("button[type=submit]")
    page.wait_for_url("**/m/")
    state = context.storage_state()
    context.close()
    return state


def spread(values):
    return f"{statistics.median(values):.2f}"


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--cases", type=int, default=20000)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()

    from playwright.sync_api import sync_playwright

    worker = demo_county()
    total = fill_cases(args.cases, worker.id)
    static_root = tempfile.mkdtemp(prefix="phone-static-")
    collect_static(static_root)
    os.environ["DJANGO_STATIC_ROOT"] = static_root
    port = free_port()
    server = start_server(port, workers=3)
    relay = CountingRelay(port)
    base = f"http://127.0.0.1:{relay.port}"
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(
                executable_path=CHROMIUM,
                args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
            )
            state = login_state(browser, base)
            runs = [one_run(browser, state, base, relay) for _ in range(args.runs)]
            browser.close()
    finally:
        server.terminate()
        server.wait()
    firsts = [r[0] for r in runs]
    repeats = [r[1] for r in runs]
    for first, repeat in runs:
        print(
            f"# run first_kb={first[0]:.1f} first_page_kb={first[3]:.1f} "
            f"first_requests={len(first[2])} first_usable_s={first[1]:.2f} "
            f"repeat_kb={repeat[0]:.1f} repeat_page_kb={repeat[3]:.1f} "
            f"repeat_requests={len(repeat[2])} repeat_usable_s={repeat[1]:.2f} "
            f"cases_shown={first[4]}",
            file=sys.stderr,
        )
    print("# first visit fetched: " + " ".join(firsts[-1][2]), file=sys.stderr)
    print("# repeat visit fetched: " + " ".join(repeats[-1][2]), file=sys.stderr)
    usable = [f[1] for f in firsts]
    print(
        f"bench=phone_load profile=regular3g cases={total} runs={args.runs} "
        f"first_kb={spread([f[0] for f in firsts])} "
        f"first_page_kb={spread([f[3] for f in firsts])} "
        f"first_requests={statistics.median(len(f[2]) for f in firsts):.0f} "
        f"first_usable_s={spread(usable)} first_usable_max_s={max(usable):.2f} "
        f"repeat_kb={spread([r[0] for r in repeats])} "
        f"repeat_page_kb={spread([r[3] for r in repeats])} "
        f"repeat_requests={statistics.median(len(r[2]) for r in repeats):.0f} "
        f"repeat_usable_s={spread([r[1] for r in repeats])}"
    )


if __name__ == "__main__":
    main()
