"""The one clock: every now and today of the portal comes from ``portal.core.clock``, so tests move time there."""

from __future__ import annotations

import os
from datetime import UTC, date, datetime, timedelta

from portal.core import clock


def test_now_is_aware_utc_and_today_is_its_local_day() -> None:
    now = clock.now()
    assert now.tzinfo is not None and now.utcoffset() == timedelta(0)
    assert clock.today() == now.astimezone().date()


def test_frozen_stops_the_clock_and_restores_it() -> None:
    with clock.frozen(datetime(2027, 1, 1, 9, 30, tzinfo=UTC)):
        assert clock.now() == datetime(2027, 1, 1, 9, 30, tzinfo=UTC)
        with clock.frozen(date(2030, 6, 15)):
            assert clock.now() == datetime(2030, 6, 15, 12, tzinfo=UTC)
        assert clock.now() == datetime(2027, 1, 1, 9, 30, tzinfo=UTC)
    assert abs(clock.now() - datetime.now(UTC)) < timedelta(seconds=5)


def test_moved_runs_the_clock_ahead_for_the_block_only() -> None:
    with clock.moved(timedelta(days=3)):
        assert timedelta(days=3) - timedelta(seconds=5) < clock.now() - datetime.now(UTC) < timedelta(days=3, seconds=5)
    assert abs(clock.now() - datetime.now(UTC)) < timedelta(seconds=5)


def test_no_portal_module_reads_the_system_clock_itself() -> None:
    import re
    from pathlib import Path

    root = Path(clock.__file__).parents[1]
    pattern = re.compile(r"(?<![\w.])(date\.today\(\)|datetime\.now\(|datetime\.utcnow\(|time\.time\(\))")
    offenders = [
        f"{p.relative_to(root)}:{n}"
        for p in root.rglob("*.py")
        if p.name != "clock.py"
        for n, line in enumerate(p.read_text().splitlines(), 1)
        if pattern.search(line)
    ]
    assert offenders == []


def test_a_running_servers_business_date_moves_by_its_days_file(tmp_path, monkeypatch) -> None:
    """``PORTAL_CLOCK_DAYS_FILE`` (tests of a running server): only the date moves, read again on each change."""
    from datetime import timedelta

    days = tmp_path / "days"
    monkeypatch.setattr(clock, "_DAYS_FILE", str(days))
    real = clock.now().astimezone().date()
    assert clock.today() == real  # no file yet
    days.write_text("-91")
    assert clock.today() == real - timedelta(days=91)
    days.write_text("5\n")
    os.utime(days, ns=(1, days.stat().st_mtime_ns + 1))  # a change within the file system's time resolution
    assert clock.today() == real + timedelta(days=5)
    moment = clock.now()
    assert abs(moment - clock.datetime.now(clock.UTC)) < timedelta(seconds=5)  # now() does not move
    days.write_text("five")
    os.utime(days, ns=(1, days.stat().st_mtime_ns + 2))
    assert clock.today() == real  # unreadable: not moved
