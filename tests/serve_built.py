"""Serve an app whose front end is already built, on another port, without building it again: what
``reflex run --env prod --single-port`` does after its build (granian, the compiled front end mounted on the back
end's port), for a second e2e server (the scaled-out one) beside the first.

The built front end names its back end's port (``reflex-env-*.js``: ``ws://localhost:PORT/_event``), so the
build is copied under ``--web-dir`` with that port replaced, and the back end mounts the copy
(``REFLEX_WEB_WORKDIR``). Usage: ``python -m tests.serve_built --port N --web-dir DIR`` from the checkout that
holds the build (its ``.web/``); the worker count follows Reflex (``GRANIAN_WORKERS``).
"""

from __future__ import annotations

import argparse
import gzip
import json
import re
import shutil
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def copy_build(source: Path, target: Path, port: int) -> None:
    """Copy the built front end (``build/``, ``backend/``, ``env.json`` of ``source``) to ``target``, its back-end
    addresses moved to ``port``."""
    old = json.loads((source / "env.json").read_text())["EVENT"]
    old_host = re.match(r"wss?://([^/]+)/", old)
    if old_host is None:
        raise SystemExit(f"no back-end address in {source / 'env.json'}: {old}")
    before, after = old_host.group(1).encode(), f"localhost:{port}".encode()
    shutil.rmtree(target, ignore_errors=True)
    target.mkdir(parents=True)
    for name in ("build", "backend"):
        shutil.copytree(source / name, target / name)
    (target / "env.json").write_bytes((source / "env.json").read_bytes().replace(before, after))
    changed = 0
    for path in (target / "build").rglob("*.js"):
        data = path.read_bytes()
        if before in data:
            path.write_bytes(data.replace(before, after))
            changed += 1
            for compressed in path.parent.glob(path.name + ".*"):  # precompressed twins (.gz, .br)
                compressed.unlink()
            with gzip.open(path.with_name(path.name + ".gz"), "wb") as gz:
                gz.write(data.replace(before, after))
    if not changed:
        raise SystemExit(f"the build under {source} names no back end at {before.decode()}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--web-dir", type=Path, required=True)
    parser.add_argument("--source", type=Path, default=ROOT / ".web", help="the checkout's built .web")
    args = parser.parse_args()
    copy_build(args.source, args.web_dir, args.port)

    from reflex.utils import exec as reflex_exec
    from reflex_base import constants
    from reflex_base.config import get_config
    from reflex_base.environment import environment

    environment.REFLEX_WEB_WORKDIR.set(args.web_dir)
    environment.REFLEX_ENV_MODE.set(constants.Env.PROD)
    environment.REFLEX_SKIP_COMPILE.set(True)  # the build is there: the workers only evaluate the stateful pages
    config = get_config()
    reflex_exec.run_backend_prod("0.0.0.0", args.port, config.loglevel.subprocess_level(), True)


if __name__ == "__main__":
    main()
