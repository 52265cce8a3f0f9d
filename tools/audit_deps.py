"""Dependency audit of the installed environment (``make test``; issue 16, ASVS 14.2.1): pip-audit against PyPI's
vulnerability data (``--vulnerability-service pypi``: needs nothing but PyPI), the project itself and other
editable installs left out. Fails (exit 1) on a known vulnerability for which a fixed release exists; a
vulnerability without a fix is reported but does not fail (nothing to upgrade to).

Packages that the service could not answer for (not on PyPI, or an index that lacks PyPI's per-release JSON)
are listed as not audited; ``--fail-on-skipped`` makes them fail too (for a CI that reaches pypi.org itself).

    .venv/bin/python tools/audit_deps.py [--fail-on-skipped] [--report FILE.json]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

PIP_AUDIT = [
    "-m", "pip_audit", "--vulnerability-service", "pypi", "--local", "--skip-editable",
    "--progress-spinner", "off", "--format", "json",
]  # fmt: skip


@dataclass
class Verdict:
    """What an audit report comes to: ``fixable`` fails the build; the others are told."""

    audited: int = 0
    fixable: list[str] = field(default_factory=list)  # "name version: ID (fixed in …)"
    unfixed: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)  # "name version"

    def exit_code(self, fail_on_skipped: bool = False) -> int:
        return 1 if self.fixable or (fail_on_skipped and self.skipped) else 0


def judge(report: dict) -> Verdict:
    """The verdict on pip-audit's JSON report (``{"dependencies": [{name, version, vulns | skip_reason}]}``)."""
    verdict = Verdict()
    for dep in report.get("dependencies", []):
        name, version = dep.get("name", "?"), dep.get("version", "")
        if "skip_reason" in dep:
            verdict.skipped.append(f"{name} {version}".strip())
            continue
        verdict.audited += 1
        for vuln in dep.get("vulns", []):
            fixes = [str(v) for v in vuln.get("fix_versions") or []]
            line = f"{name} {version}: {vuln.get('id', '?')}"
            if fixes:
                verdict.fixable.append(f"{line} (fixed in {', '.join(fixes)})")
            else:
                verdict.unfixed.append(f"{line} (no fixed release yet)")
    return verdict


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--fail-on-skipped", action="store_true", help="also fail when a package was not audited")
    parser.add_argument("--report", type=Path, help="keep pip-audit's JSON report here")
    args = parser.parse_args(argv)
    run = subprocess.run([sys.executable, *PIP_AUDIT], capture_output=True, text=True, check=False)
    try:
        report = json.loads(run.stdout)
    except json.JSONDecodeError:
        print(f"dependency audit could not run (pip-audit exit {run.returncode}):\n{run.stderr.strip()}")
        return 2
    if args.report:
        args.report.write_text(json.dumps(report, indent=2))
    verdict = judge(report)
    total = verdict.audited + len(verdict.skipped)
    print(
        f"dependency audit (pip-audit, PyPI): {verdict.audited} of {total} packages audited, "
        f"{len(verdict.fixable)} vulnerabilities with a fix, {len(verdict.unfixed)} without"
    )
    for line in verdict.fixable:
        print(f"  FIX AVAILABLE  {line}")
    for line in verdict.unfixed:
        print(f"  no fix yet     {line}")
    if verdict.skipped:
        shown = ", ".join(verdict.skipped[:8]) + (" …" if len(verdict.skipped) > 8 else "")
        print(f"  not audited ({len(verdict.skipped)}: the service had no answer for these releases): {shown}")
    return verdict.exit_code(args.fail_on_skipped)


if __name__ == "__main__":
    sys.exit(main())
