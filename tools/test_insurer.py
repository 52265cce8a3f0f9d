"""A stand-alone TEST insurer (not a real insurer): the counterpart of the portal's reference adapter (JSON over
HTTP) for the tests, the benchmarks and the demo (``make run``).

    python tools/test_insurer.py --port 8765 --db var/test_insurer.db

- ``POST /messages`` (JSON body, ``Idempotency-Key`` header): stores and applies the message once, in a SQLite
  file (it survives a restart); the same key again gets the first answer (201 with the insurer's reference and
  the key), never applied twice. Only the message kinds it knows (``KINDS``: the portal's reference adapter's,
  ``portal.domain.coupling.CARRIED_KINDS``); another kind is answered 422, nothing applied.
- ``GET /records?scheme=<id>``: the participant list of a scheme as the insurer knows it, for the portal's
  reconciliation (``fetch_records``): per participation the messages received, merged in order (a hire's BSN,
  birth date, name, salary and part-time; later salary/part-time; a deferred-compensation agreement's amount
  per month and start; an exit ends it), as text in the columns number, bsn, birth_date, name, status
  (actief/beeindigd), salary, parttime and premium (the premium it charges: ``premiums`` below, else 0.00), with
  ``participation``, ``last_kind`` and ``reference`` (and ``deferral_amount``/``deferral_start`` once known).
- ``GET /received``: what was applied, for the tests: per key how often it came in, per participation the order
  in which its messages were applied.
- ``POST /control`` (JSON, every field optional): faults on request —
  ``error_share`` (0..1: answers 503; half of them after applying, as if the answer was lost),
  ``timeout_share`` (applied, but answered only after ``timeout_seconds``), ``slow_share`` with ``slow_seconds``,
  ``duplicate_share`` (the answer written twice on the connection), ``refuse`` ({"participations": [...],
  "message": "..."}: answered 422 with that message, nothing applied), ``exit_after`` (n: the process exits after
  n more messages: the test restarts it), ``outage_seconds`` (refuses connections that long, then listens again),
  ``seed`` (random seed), ``reset`` (true: forget everything received), ``premiums`` ({participant number:
  yearly premium}: what it charges), ``records_answer`` ([status, text]: ``/records`` answers that instead; null
  for the list again).
- ``GET /health``: 200 "ok".
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sqlite3
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

KINDS = frozenset(
    {"hire", "exit", "salary", "parttime", "salary_parttime", "retro_after_exit", "deferred_compensation"}
)  # the message kinds this insurer takes (kept in step with portal.domain.coupling.CARRIED_KINDS by a test)
SCHEMA = """
create table if not exists received (
    seq integer primary key autoincrement,
    key text unique not null,
    participation text not null,
    scheme text not null,
    kind text not null,
    body text not null,
    reference text not null default '',
    hits integer not null default 1,
    applied_at real not null
);
create index if not exists received_participation on received (participation, seq);
"""


class Insurer:
    """The insurer's store and fault settings (one SQLite connection behind a lock)."""

    def __init__(self, path: str) -> None:
        self.db = sqlite3.connect(path, check_same_thread=False, isolation_level=None)
        self.db.execute("pragma journal_mode=wal")
        self.db.execute("pragma synchronous=normal")
        self.db.executescript(SCHEMA)
        self.lock = threading.Lock()
        self.faults: dict[str, Any] = {}
        self.random = random.Random()
        self.countdown: int | None = None

    def control(self, data: dict[str, Any]) -> dict[str, Any]:
        with self.lock:
            if data.get("reset"):
                self.db.execute("delete from received")
            if "seed" in data:
                self.random.seed(data["seed"])
            if "exit_after" in data:
                self.countdown = int(data["exit_after"]) if data["exit_after"] is not None else None
            for name in (
                "error_share",
                "timeout_share",
                "timeout_seconds",
                "slow_share",
                "slow_seconds",
                "duplicate_share",
                "refuse",
                "premiums",
                "records_answer",
            ):
                if name in data:
                    self.faults[name] = data[name]
            return dict(self.faults)

    def roll(self, name: str) -> bool:
        share = float(self.faults.get(name) or 0)
        return share > 0 and self.random.random() < share

    def apply(self, key: str, body: dict[str, Any]) -> tuple[dict[str, Any], bool]:
        """Store the message once: (answer, whether it was new)."""
        with self.lock:
            cur = self.db.execute(
                "insert or ignore into received (key, participation, scheme, kind, body, reference, applied_at)"
                " values (?, ?, ?, ?, ?, '', ?)",
                (
                    key,
                    str(body.get("participation", "")),
                    str(body.get("scheme", "")),
                    str(body.get("kind", "")),
                    json.dumps(body),
                    time.time(),
                ),
            )
            if cur.rowcount == 1:
                return {"idempotency_key": key, "reference": f"TI-{cur.lastrowid:08d}", "status": "accepted"}, True
            self.db.execute("update received set hits = hits + 1 where key = ?", (key,))
            row = self.db.execute("select seq from received where key = ?", (key,)).fetchone()
            return {"idempotency_key": key, "reference": f"TI-{row[0]:08d}", "status": "accepted"}, False

    def received(self) -> dict[str, Any]:
        with self.lock:
            rows = self.db.execute("select key, participation, hits, body from received order by seq").fetchall()
        order: dict[str, list[int]] = {}
        for _key, participation, _hits, body in rows:
            order.setdefault(participation, []).append(int(json.loads(body).get("message_id") or 0))
        return {
            "applied": len(rows),
            "hits": {key: hits for key, _p, hits, _b in rows},
            "order": order,
        }

    def records(self, scheme: str) -> list[dict[str, str]]:
        """The scheme's participants as this insurer knows them from what it received: per participation the
        messages merged in the order applied (a hire's person and figures, later figures, an exit ends it)."""
        with self.lock:
            rows = self.db.execute(
                "select participation, kind, body, seq from received where scheme = ? order by seq", (scheme,)
            ).fetchall()
            premiums = dict(self.faults.get("premiums") or {})
        known: dict[str, dict[str, str]] = {}
        for participation, kind, body, seq in rows:
            row = known.setdefault(participation, {"participation": participation, "status": "actief"})
            row["last_kind"], row["reference"] = kind, f"TI-{seq:08d}"
            payload = json.loads(body).get("payload") or {}
            values = payload.get("values") if isinstance(payload.get("values"), dict) else {}
            flat = {k: v for k, v in payload.items() if not isinstance(v, dict | list)}
            merged = {**flat, **values}
            number = merged.get("participant_number") or merged.get("policy_number")
            if number:
                row["number"] = str(number)
            for name in ("bsn", "birth_date", "salary", "parttime", "deferral_amount", "deferral_start"):
                if merged.get(name) not in (None, ""):
                    row[name] = str(merged[name])
            name = " ".join(str(merged.get(k) or "") for k in ("last_name", "initials")).strip()
            if name:
                row["name"] = name
            if kind == "exit":
                row["status"] = "beeindigd"
            elif kind == "hire":
                row["status"] = "actief"
        out = []
        for row in known.values():
            for name in ("number", "bsn", "birth_date", "name"):
                row.setdefault(name, "")
            row.setdefault("salary", "0.00")
            row.setdefault("parttime", "0")
            row["premium"] = str(premiums.get(row["number"], "0.00"))  # the premium it charges (``premiums``)
            out.append(row)
        return out


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive
    insurer: Insurer
    server_box: dict[str, Any]

    def log_message(self, format: str, *args: Any) -> None:  # quiet
        return

    def _raw(self, status: int, raw: bytes) -> None:
        head = f"HTTP/1.1 {status} X\r\nContent-Type: application/json\r\nContent-Length: {len(raw)}\r\n\r\n"
        self.wfile.write(head.encode() + raw)
        self.wfile.flush()

    def _json(self, status: int, data: Any, twice: bool = False) -> None:
        raw = json.dumps(data).encode()
        head = (
            f"HTTP/1.1 {status} {self.responses.get(status, ('',))[0]}\r\n"
            f"Content-Type: application/json\r\nContent-Length: {len(raw)}\r\n\r\n"
        ).encode()
        self.wfile.write(head + raw)
        self.wfile.flush()
        if twice:  # a moment later, as a packet of its own: it waits on the connection for the next request
            time.sleep(0.005)
            self.wfile.write(head + raw)
            self.wfile.flush()

    def _body(self) -> dict[str, Any]:
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length) if length else b"{}"
        try:
            data = json.loads(raw)
        except ValueError:
            return {}
        return data if isinstance(data, dict) else {}

    def do_GET(self) -> None:
        url = urlsplit(self.path)
        if url.path == "/health":
            self._json(200, {"status": "ok"})
        elif url.path == "/received":
            self._json(200, self.insurer.received())
        elif url.path == "/records":
            if self.insurer.faults.get("records_answer") is not None:  # a bad answer on request
                status, text = self.insurer.faults["records_answer"]
                self._raw(int(status), str(text).encode())
                return
            scheme = (parse_qs(url.query).get("scheme") or [""])[0]
            self._json(200, {"scheme": scheme, "records": self.insurer.records(scheme)})
        else:
            self._json(404, {"message": "not found"})

    def do_POST(self) -> None:
        url = urlsplit(self.path)
        body = self._body()
        ins = self.insurer
        if url.path == "/control":
            faults = ins.control(body)
            self._json(200, {"faults": faults})
            outage = float(body.get("outage_seconds") or 0)
            if outage > 0:
                threading.Thread(target=self.server_box["outage"], args=(outage,), daemon=True).start()
            return
        if url.path != "/messages":
            self._json(404, {"message": "not found"})
            return
        key = self.headers.get("Idempotency-Key") or ""
        if not key or body.get("idempotency_key") != key:
            self._json(400, {"message": "Idempotency-Key header missing or not the body's key"})
            return
        if body.get("kind") not in KINDS:
            self._json(422, {"message": f"unknown message kind {body.get('kind')!r}"})
            return
        refuse = ins.faults.get("refuse") or {}
        if str(body.get("participation")) in {str(p) for p in refuse.get("participations", [])}:
            self._json(422, {"message": refuse.get("message") or "refused by the test insurer"})
            return
        if ins.roll("error_share"):
            if ins.random.random() < 0.5:
                ins.apply(key, body)  # applied, answer lost
            self._json(503, {"message": "test insurer: injected failure"})
            return
        if ins.roll("slow_share"):
            time.sleep(float(ins.faults.get("slow_seconds") or 0.2))
        answer, _new = ins.apply(key, body)
        if ins.roll("timeout_share"):
            time.sleep(float(ins.faults.get("timeout_seconds") or 2.0))
        self._json(201, answer, twice=ins.roll("duplicate_share"))
        with ins.lock:
            if ins.countdown is not None:
                ins.countdown -= 1
                if ins.countdown <= 0:
                    os._exit(3)  # a crash in the middle of a run: the test starts it again


def serve(host: str, port: int, path: str) -> None:
    insurer = Insurer(path)
    box: dict[str, Any] = {}
    handler = type("BoundHandler", (Handler,), {"insurer": insurer, "server_box": box})
    pause = threading.Event()
    state: dict[str, Any] = {"outage": 0.0}

    def outage(seconds: float) -> None:
        state["outage"] = seconds
        box["server"].shutdown()

    box["outage"] = outage
    while True:
        server = ThreadingHTTPServer((host, port), handler)
        server.daemon_threads = True
        box["server"] = server
        print(f"TEST insurer (not a real insurer) listening on http://{host}:{port}", flush=True)
        server.serve_forever(poll_interval=0.1)
        server.server_close()
        seconds, state["outage"] = state["outage"], 0.0
        pause.wait(seconds)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--db", default="var/test_insurer.db")
    args = parser.parse_args()
    serve(args.host, args.port, args.db)


if __name__ == "__main__":
    main()
