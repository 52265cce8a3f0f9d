"""Who holds a running job, and whether that holder is gone.

Each attempt at a job gets an owner string: this machine (host name and process-id namespace), the process id
and a random token. A holder is gone when its heartbeat is older than ``STALE`` (any machine), or at once
when it was a process on this machine that no longer exists, or this very process that no longer runs the
job. That is what lets a restarted consumer take over the job of a worker killed a second ago, while a
worker on another machine is only presumed lost after it stopped beating.
"""

from __future__ import annotations

import os
import secrets
import socket
import threading
from datetime import datetime, timedelta

STALE = timedelta(minutes=5)  # a running job whose heartbeat is older than this is presumed lost
HEARTBEAT_SECONDS = 15.0  # how often a process refreshes the heartbeat of the jobs it runs


def _machine() -> str:
    """The processes that can see each other's process ids: one host name and one process-id namespace
    (two containers on one kernel have different namespaces)."""
    try:
        namespace = os.stat("/proc/self/ns/pid").st_ino
    except OSError:
        namespace = 0
    return f"{socket.gethostname()}#{namespace}"


MACHINE = _machine()
_lock = threading.Lock()
_held: dict[int, str] = {}  # job id → owner: the jobs this process is working on now


def new_owner() -> str:
    """A fresh owner string for one attempt of this process."""
    return f"{MACHINE}|{os.getpid()}|{secrets.token_hex(6)}"


def hold(job_id: int, owner: str) -> None:
    """This process works on ``job_id`` as ``owner`` (until ``release``)."""
    with _lock:
        _held[job_id] = owner


def release(job_id: int, owner: str | None = None) -> None:
    """This process no longer works on ``job_id`` (as ``owner``, when given: another attempt's hold stays)."""
    with _lock:
        if owner is None or _held.get(job_id) == owner:
            _held.pop(job_id, None)


def held() -> dict[int, str]:
    """The jobs this process works on now (job id → owner)."""
    with _lock:
        return dict(_held)


def _process_exists(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's process: it exists
        return True
    return True


def holder_gone(
    job_id: int, owner: str, heartbeat_at: datetime | None, now: datetime, stale: timedelta = STALE
) -> bool:
    """Whether the attempt ``owner`` that holds running job ``job_id`` is gone (see the module docstring)."""
    if heartbeat_at is None or heartbeat_at < now - stale:
        return True
    machine, _, rest = owner.partition("|")
    if machine != MACHINE:
        return False  # another machine: only its heartbeat tells
    pid_text = rest.partition("|")[0]
    if not pid_text.isdigit():
        return True
    if int(pid_text) == os.getpid():
        with _lock:
            return _held.get(job_id) != owner
    return not _process_exists(int(pid_text))
