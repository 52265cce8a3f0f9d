"""Where the time of an overview action goes (a diagnostic for bench/participants.py, not a benchmark).

Usage: ``python bench/_probe.py VAR_DIR [REPEATS] [options]`` with a VAR_DIR left by ``bench/participants.py``
(it holds ``bench.db`` with the ``bench.hr`` account). Per action it prints p50/p95 in ms after the click: the
websocket send, the first message back (``recv``: server and network), the first DOM mutation of the table body
(``mut``: what the benchmark measures), and a frame later (``paint``); ``recv->mut`` is the browser's share.
Options: ``-v`` prints the first messages; ``--trace`` writes a Chrome trace of the page turns and sorts to
/tmp/chrome-trace.json (and of the bare events to /tmp/chrome-trace-bare.json); ``--profile`` a JS CPU profile to
/tmp/js-profile.json; ``--spy`` samples the app process with py-spy (``pip install py-spy``) into /tmp/spy.txt
(raw collapsed stacks); ``--css=RULES`` adds a style sheet to the page before measuring (to try a CSS change).
"""

from __future__ import annotations

import json
import statistics
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from playwright.sync_api import sync_playwright  # noqa: E402

from bench._browser import PASSWORD, SECRET  # noqa: E402
from bench._world import COUNTER_APP  # noqa: E402
from tests.harness import CHROMIUM, CHROMIUM_ARGS, app_env, free_port, running_app, sign_in  # noqa: E402

CATS = ["devtools.timeline", "disabled-by-default-devtools.timeline", "v8.execute", "blink", "toplevel", "viz", "cc"]

WRAP = """(() => {
  window.__ws = [];
  const Orig = window.WebSocket;
  class W extends Orig {
    constructor(...a) {
      super(...a);
      this.addEventListener('message', (e) => {
        window.__ws.push(['recv', performance.now(), (e.data && e.data.length) || 0, String(e.data).slice(0, 3000)]);
      });
    }
    send(d) {
      window.__ws.push(['send', performance.now(), (d && d.length) || 0, String(d).slice(0, 120)]);
      return super.send(d);
    }
  }
  window.WebSocket = W;
})();"""

MEASURE = """async ([target, action]) => {
  const root = document.querySelector(target);
  window.__ws = [];
  return await new Promise((resolve) => {
    const t0 = performance.now();
    const obs = new MutationObserver(() => {
      obs.disconnect();
      const tm = performance.now();
      requestAnimationFrame(() => setTimeout(() => resolve({t0, tm, tpaint: performance.now(), ws: window.__ws}), 0));
    });
    obs.observe(root, {childList: true, subtree: true, characterData: true});
    setTimeout(() => { obs.disconnect(); resolve(null); }, 5000);
    new Function(action)();
  });
}"""


def run(page, target, action):
    try:
        r = page.evaluate(MEASURE, [target, action])
    except Exception:
        return None
    if r is None:
        return None
    t0 = r["t0"]
    sends = [w for w in r["ws"] if w[0] == "send"]
    recvs = [w for w in r["ws"] if w[0] == "recv"]
    return {
        "send": sends[0][1] - t0 if sends else -1,
        "recv": recvs[0][1] - t0 if recvs else -1,
        "mut": r["tm"] - t0,
        "paint": r["tpaint"] - t0,
        "bytes": recvs[0][2] if recvs else 0,
        "n_recv": len(recvs),
        "first": recvs[0][3] if recvs else "",
        "all": [w[3] for w in recvs],
    }


def show(name, rows):
    rows = [r for r in rows if r]
    if not rows:
        return

    def p(k, q):
        xs = sorted(r[k] for r in rows)
        return statistics.median(xs) if q == 50 else xs[max(0, round(0.95 * len(xs)) - 1)]

    parts = "  ".join(f"{k} {p(k, 50):6.1f}/{p(k, 95):6.1f}" for k in ("send", "recv", "mut", "paint"))
    gap = sorted(r["mut"] - r["recv"] for r in rows)
    print(
        f"{name:<14} {parts}  recv->mut {statistics.median(gap):5.1f}/{gap[max(0, round(0.95 * len(gap)) - 1)]:5.1f}"
        f"  bytes {rows[0]['bytes']} msgs {rows[0]['n_recv']}"
    )


def main() -> int:
    var = Path(sys.argv[1])
    reps = int(sys.argv[2]) if len(sys.argv) > 2 else 15
    port = free_port()
    env = app_env(var, f"sqlite:///{var / 'bench.db'}", f"http://localhost:{port}", **COUNTER_APP)
    with running_app(env, port, var / "probe.log") as base, sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page(base_url=base, viewport={"width": 1400, "height": 900})
        page.add_init_script(WRAP)
        page.set_default_timeout(30_000)
        page.goto("/bench/counter")
        page.wait_for_selector("#count")
        page.click("#increment")
        page.wait_for_function("document.querySelector('#count').textContent === '1'")
        if "--trace" in sys.argv:
            browser.start_tracing(page=page, path="/tmp/chrome-trace-bare.json", categories=CATS)
        bare = [run(page, "#count", "document.querySelector('#increment').click()") for _ in range(reps * 2)]
        if "--trace" in sys.argv:
            browser.stop_tracing()
        sign_in(page, "bench.hr", PASSWORD, SECRET)
        page.goto("/employer/participants")
        page.wait_for_selector("#participants tbody tr", timeout=180_000)
        for arg in sys.argv:
            if arg.startswith("--css="):
                page.add_style_tag(content=arg[6:])
        body = "#participants tbody"
        nxt = "document.querySelectorAll('button').forEach(b => { if (b.textContent.includes('Volgende')) b.click(); })"
        res = {"bare": bare, "next": [], "sort": [], "search": [], "status": []}
        tracing = "--trace" in sys.argv
        if tracing:
            browser.start_tracing(page=page, path="/tmp/chrome-trace.json", categories=CATS)
        spy = None
        if "--spy" in sys.argv:
            import subprocess

            import psutil

            pids = {c.pid for c in psutil.net_connections("tcp") if c.laddr and c.laddr.port == port and c.pid}
            worker = max(pids)
            spy = subprocess.Popen(
                [
                    str(ROOT / ".venv/bin/py-spy"),
                    "record",
                    "-p",
                    str(worker),
                    "-r",
                    "1000",
                    "-f",
                    "raw",
                    "-o",
                    "/tmp/spy.txt",
                ],
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
            page.wait_for_timeout(1000)
        profiling = "--profile" in sys.argv
        if profiling:
            cdp = page.context.new_cdp_session(page)
            cdp.send("Profiler.enable")
            cdp.send("Profiler.setSamplingInterval", {"interval": 100})
            cdp.send("Profiler.start")
        res["next"] = [run(page, body, nxt) for _ in range(reps)]
        for column in ("number", "name", "date_in_service", "salary", "parttime", "status"):
            for _ in range(3):
                res["sort"].append(run(page, body, f"document.querySelector('#sort-{column}').click()"))
        if tracing:
            browser.stop_tracing()
        if profiling:
            prof = cdp.send("Profiler.stop")["profile"]
            Path("/tmp/js-profile.json").write_text(json.dumps(prof))
        for term in ("jansen", "de vries", "100012", "bakker", "smit", "visser", "meijer", "ter"):
            res["search"].append(
                run(
                    page,
                    body,
                    (
                        "const i = document.querySelector('#participant-search');"
                        "Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value').set.call(i, "
                        f"{term!r}); i.form.requestSubmit();"
                    ),
                )
            )
        run(
            page,
            body,
            "const i = document.querySelector('#participant-search');"
            "Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value').set.call(i, '');"
            "i.form.requestSubmit();",
        )
        for status in ("dormant", "active", "terminated", "", "dormant", "active", "terminated", ""):
            res["status"].append(
                run(
                    page,
                    body,
                    (
                        "const s = document.querySelector('#status-filter');"
                        "Object.getOwnPropertyDescriptor(HTMLSelectElement.prototype, 'value').set.call(s, "
                        f"{status!r}); s.dispatchEvent(new Event('change', {{bubbles: true}}));"
                    ),
                )
            )
        browser.close()
        if spy is not None:
            import signal

            spy.send_signal(signal.SIGINT)
            spy.wait(timeout=30)
    print("p50/p95 ms after the action:")
    for name, rows in res.items():
        show(name, rows)
    if "-v" in sys.argv:
        print(json.dumps([res["next"][:2], res["sort"][:2]], indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
