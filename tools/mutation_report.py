"""Per-module summary of a mutmut run over ``portal/domain`` (``make mutation``).

Reads mutmut's result files (``mutants/portal/domain/*.py.meta``: the exit code of each mutant's test run)
and prints killed / total / percent per domain module and overall. A mutant counts as killed when the unit
tests failed on it (exit code 1 or 3) or ran out of time on it (an endless loop is caught too); survived
(tests pass), no tests (no unit test runs the mutated function) and not checked count against the score.

    python tools/mutation_report.py [--min PERCENT] [--survivors]

``--min``: exit 1 when any module scores below PERCENT. ``--survivors``: list the mutants that were not
killed, each with the line it changes (read from mutants/, much faster than ``mutmut show NAME`` for each).
"""

from __future__ import annotations

import argparse
import ast
import difflib
import json
import sys
from collections import Counter
from pathlib import Path

META_DIR = Path("mutants/portal/domain")
KILLED = {1, 3}  # pytest failed; 3 = an internal error of pytest (the mutant broke an import or a fixture)
TIMEOUT = {-24, 24, 152, 255, 36}  # mutmut's timeout codes (SIGXCPU or its own)
NAMES = {0: "survived", 5: "no tests", 33: "no tests", 34: "skipped", None: "not checked"}


def status(code: int | None) -> str:
    """mutmut's word for a mutant's exit code."""
    if code in KILLED:
        return "killed"
    if code in TIMEOUT:
        return "timeout"
    return NAMES.get(code, "suspicious")


def changed_lines(meta: Path) -> dict[str, list[str]]:
    """For each mutant function in the mutated copy of a module, the lines it changes against the original."""
    path = meta.with_suffix("")
    if not path.exists():
        return {}
    source = path.read_text()
    lines = source.splitlines()
    functions = {
        node.name: lines[node.lineno - 1 : node.end_lineno]
        for node in ast.walk(ast.parse(source))
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and "__mutmut_" in node.name
    }
    out = {}
    for name, body in functions.items():
        original = functions.get(name.rsplit("__mutmut_", 1)[0] + "__mutmut_orig", [])
        diff = difflib.unified_diff(original, body, lineterm="", n=0)
        out[name] = [d for d in diff if d[:1] in "+-" and d[:3] not in ("+++", "---") and "__mutmut_" not in d]
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--min", type=float, default=None, help="fail when a module scores below this percent")
    parser.add_argument("--survivors", action="store_true", help="list the mutants that were not killed")
    args = parser.parse_args()

    metas = sorted(META_DIR.glob("*.py.meta"))
    if not metas:
        print(f"no mutmut results under {META_DIR}/: run `make mutation` first", file=sys.stderr)
        return 2
    rows: list[tuple[str, Counter[str]]] = []
    left: list[tuple[str, str, list[str]]] = []
    for meta in metas:
        codes: dict[str, int | None] = json.loads(meta.read_text())["exit_code_by_key"]
        if not codes:
            continue  # a module without mutable code (only names and constants)
        counts = Counter(status(code) for code in codes.values())
        rows.append((meta.name.removesuffix(".meta"), counts))
        if args.survivors:
            diffs = changed_lines(meta)
            for mutant, code in codes.items():
                if status(code) not in ("killed", "timeout"):
                    left.append((status(code), mutant, diffs.get(mutant.rsplit(".", 1)[-1], [])))

    total = Counter[str]()
    print(f"{'module':<18}{'killed':>8}{'total':>8}{'percent':>9}   details (a timeout counts as killed)")
    below = []
    for name, counts in [*rows, ("ALL", None)]:
        if counts is None:
            counts = total
            print("-" * 60)
        else:
            total.update(counts)
        killed = counts["killed"] + counts["timeout"]
        size = sum(counts.values())
        pct = 100 * killed / size if size else 100.0
        rest = ", ".join(f"{n} {s}" for s, n in sorted(counts.items()) if s != "killed")
        print(f"{name:<18}{killed:>8}{size:>8}{pct:>8.1f}%   {rest}")
        if args.min is not None and name != "ALL" and pct < args.min:
            below.append(name)
    if args.survivors:
        for what, mutant, diff in left:
            print(f"\n{what}: {mutant}")
            print("\n".join(f"    {line}" for line in diff))
    if below:
        print(f"below {args.min:g} %: {', '.join(below)}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
