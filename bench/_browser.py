"""What the browser benchmarks share (not a benchmark itself): the signed-in account with a known TOTP secret, the
in-page timing of one action (performance.now + MutationObserver), the bare counter event as the baseline, and the
p50/p95 summary."""

from __future__ import annotations

import json
import statistics
from typing import Any

SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
PASSWORD = "bench-password-2026"

# Each action starts on a settled page, as a user's next click does: the previous update painted (two frames)
# and 50 ms of quiet. Otherwise the browser still rasterises the last table while the next action runs, and
# what is timed is the overlap of two updates on the machine's two cores, not one update.
MEASURE = """async ([target, action]) => {
  await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(() => setTimeout(r, 50))));
  const root = document.querySelector(target);
  return await new Promise((resolve) => {
    const t0 = performance.now();
    const obs = new MutationObserver(() => { obs.disconnect(); resolve(performance.now() - t0); });
    obs.observe(root, {childList: true, subtree: true, characterData: true});
    setTimeout(() => { obs.disconnect(); resolve(-1); }, 5000);  // no change within 5 s: not counted
    new Function(action)();
  });
}"""


def totp_account(username: str, role: str, employer_id: int | None = None, office_id: int | None = None) -> None:
    """An active account with PASSWORD and the TOTP secret SECRET: a new one with one role grant, or the existing
    account of that name (a generated or kept one; its grants stay). The portal must point at the benchmark's
    database (environment set before it is imported)."""
    from sqlmodel import select

    from portal.core.db import session_scope
    from portal.models import RoleGrant, UserAccount
    from portal.services import accounts

    with session_scope() as db:
        user = db.exec(select(UserAccount).where(UserAccount.username == username)).first()
        if user is None:
            user = UserAccount(
                username=username,
                email=f"{username}@bench.example",
                display_name=username.replace(".", " ").title(),
                status="active",
            )
            db.add(user)
            db.flush()
            db.add(RoleGrant(user_id=user.id, role=role, employer_id=employer_id, office_id=office_id))
        user.password_hash = accounts.hash_password(PASSWORD)
        db.add(user)
        db.flush()
        accounts.set_known_totp(db, user.id, SECRET)


def timed(page: Any, target: str, action: str) -> float:
    """Milliseconds from the action to the first change of ``target`` (-1 when nothing changed in 5 s)."""
    return float(page.evaluate(MEASURE, [target, action]))


def bare_events(page: Any, repeats: int) -> list[float]:
    """The baseline: the bare counter page's click → DOM update, ``repeats`` times after one unmeasured click."""
    page.goto("/bench/counter")
    page.wait_for_selector("#count")
    page.click("#increment")
    page.wait_for_function("document.querySelector('#count').textContent === '1'")
    return [timed(page, "#count", "document.querySelector('#increment').click()") for _ in range(repeats)]


def keep(samples: list[float], name: str) -> list[float]:
    missed = sum(1 for x in samples if x < 0)
    if missed:
        print(f"  {name}: {missed} action(s) changed nothing within 5 s (left out)")
    return [x for x in samples if x >= 0]


def percentiles(samples: list[float]) -> tuple[float, float]:
    """Median and p95 (nearest rank)."""
    ordered = sorted(samples)
    return statistics.median(ordered), ordered[max(0, round(0.95 * len(ordered)) - 1)]


def summary(name: str, samples: list[float], width: int = 22) -> tuple[float, float]:
    p50, p95 = percentiles(samples)
    print(f"{name:<{width}} p50 {p50:7.1f} ms   p95 {p95:7.1f} ms   (n={len(samples)})")
    return p50, p95


# Actions as page scripts (the way a user's click, typing or choice reaches the page's handlers)
def click(selector: str) -> str:
    return f"document.querySelector({json.dumps(selector)}).click()"


def click_button(label: str, within: str = "body") -> str:
    """Click the button whose text is ``label`` (the first one inside ``within``)."""
    return (
        f"for (const b of document.querySelector({json.dumps(within)}).querySelectorAll('button'))"
        f" {{ if (b.textContent.trim() === {json.dumps(label)}) {{ b.click(); break; }} }}"
    )


def submit_input(selector: str, value: str) -> str:
    """Type ``value`` into the input (as React sees typing) and submit its form."""
    return (
        f"const i = document.querySelector({json.dumps(selector)});"
        "Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value').set"
        f".call(i, {json.dumps(value)}); i.form.requestSubmit();"
    )


def choose(selector: str, value: str, submit: bool = False) -> str:
    """Choose ``value`` in a native select: its change event, or (``submit``) its form submitted."""
    then = "s.form.requestSubmit();" if submit else "s.dispatchEvent(new Event('change', {bubbles: true}));"
    return (
        f"const s = document.querySelector({json.dumps(selector)});"
        f"Object.getOwnPropertyDescriptor(HTMLSelectElement.prototype, 'value').set.call(s, {json.dumps(value)});"
        + then
    )


def report(title: str, bare: list[float], results: dict[str, list[float]], width: int = 22, **targets: float) -> None:
    """Print ``title``, the bare counter event, then per kind of action p50/p95, its p95 as a ratio to the bare
    event's and whether it meets its target (ms; ``targets`` by the start of the kind's name, else 100)."""
    print(f"\n{title}")
    _, bare_p95 = summary("bare counter event", keep(bare, "bare"), width)
    for name, samples in results.items():
        kept = keep(samples, name)
        if not kept:
            print(f"{name:<{width}} no samples")
            continue
        _, p95 = summary(name, kept, width)
        target = next((ms for start, ms in targets.items() if name.startswith(start.replace("_", " "))), 100)
        met = "met" if p95 < target else "NOT met"
        print(f"{'':<{width}} p95 / bare p95 {p95 / bare_p95:5.1f}x   target p95 < {target:.0f} ms: {met}")
