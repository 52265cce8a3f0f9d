"""The dependency audit of ``make test`` (tools/audit_deps.py, issue 16): a known vulnerability with a fixed
release fails the build; one without a fix, or a package the service could not answer for, is told."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

_spec = importlib.util.spec_from_file_location("audit_deps", Path(__file__).parents[2] / "tools" / "audit_deps.py")
assert _spec is not None and _spec.loader is not None
audit_deps = importlib.util.module_from_spec(_spec)
sys.modules["audit_deps"] = audit_deps  # its dataclasses look their module up
_spec.loader.exec_module(audit_deps)

REPORT = {
    "dependencies": [
        {"name": "fine", "version": "1.0", "vulns": []},
        {"name": "old", "version": "2.0", "vulns": [{"id": "PYSEC-1", "fix_versions": ["2.1"]}]},
        {"name": "open", "version": "3.0", "vulns": [{"id": "GHSA-x", "fix_versions": []}]},
        {"name": "local", "skip_reason": "Dependency not found on PyPI and could not be audited: local (0.1)"},
    ],
    "fixes": [],
}


def test_a_vulnerability_with_a_fix_fails() -> None:
    verdict = audit_deps.judge(REPORT)
    assert verdict.fixable == ["old 2.0: PYSEC-1 (fixed in 2.1)"]
    assert verdict.exit_code() == 1


def test_no_fix_or_not_audited_is_told_but_passes() -> None:
    report = {"dependencies": [d for d in REPORT["dependencies"] if d["name"] != "old"]}
    verdict = audit_deps.judge(report)
    assert (verdict.audited, verdict.unfixed, verdict.skipped) == (
        2,
        ["open 3.0: GHSA-x (no fixed release yet)"],
        ["local"],
    )
    assert verdict.exit_code() == 0
    assert verdict.exit_code(fail_on_skipped=True) == 1


def test_the_audit_asks_pypi_and_leaves_the_project_out() -> None:
    args = audit_deps.PIP_AUDIT
    assert args[args.index("--vulnerability-service") + 1] == "pypi"
    assert "--skip-editable" in args and "--local" in args
