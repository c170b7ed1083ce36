"""Retention rules (issue 15): what is due, applied only as confirmed, in one transaction, so a
run killed half-way leaves no one half-anonymised."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import textwrap
from datetime import date
from pathlib import Path

from collab_desktop.services.delivery.volunteers import ClearanceData, VolunteerData
from collab_desktop.services.open_records import open_services
from collab_desktop.services.privacy.retention import (
    CLEARANCES,
    PARTICIPANTS_LEFT,
    REGISTERS,
    RetentionRules,
)
from tests.delivery_builders import TODAY, add_person, needlework_group
from tests.unit.test_figures_and_volunteers import record

LEAVERS = [f"Leaver Number{i}" for i in range(8)]


def _leavers(services) -> None:
    for name in LEAVERS:
        add_person(services, name, joined_on=date(2019, 1, 1), left_on=date(2022, 6, 30))


def test_due_lists_each_rule_and_apply_changes_only_what_was_confirmed(services):
    group = needlework_group(services)
    _leavers(services)
    add_person(services, "Recent Leaver", joined_on=date(2024, 1, 1), left_on=date(2025, 6, 1))
    record(services, group, date(2026, 1, 6), "Alan Barker", leaders=[group.volunteer])
    services.volunteers.save_volunteer(
        VolunteerData(
            contact_id=group.volunteer, since=date(2020, 1, 1), stopped_on=date(2025, 1, 31),
            clearances=[ClearanceData("dbs_enhanced", "", "001234567890", date(2020, 1, 1))],
        )
    )  # fmt: skip
    due = services.retention.due(RetentionRules(), today=TODAY)
    by_rule = {rule: [i.who for i in due if i.rule == rule] for rule in (PARTICIPANTS_LEFT,
               CLEARANCES, REGISTERS)}  # fmt: skip
    assert by_rule[PARTICIPANTS_LEFT] == LEAVERS
    assert by_rule[CLEARANCES] == ["Margaret Ellis"]
    assert by_rule[REGISTERS] == []  # Alan came this year and is enrolled
    # Registers: ten years on, Alan's one register is old; he still is enrolled, so not due.
    assert services.retention.due(RetentionRules(register_years=1), date(2036, 3, 2)) == [
        i for i in services.retention.due(RetentionRules(register_years=1), date(2036, 3, 2))
        if i.rule != REGISTERS
    ]
    # Only what the user kept ticked changes.
    confirmed = [i for i in due if i.who != LEAVERS[0]]
    assert services.retention.apply(confirmed, today=TODAY) == len(due) - 1
    names = {r.name for r in services.participants.list_participants()}
    assert LEAVERS[0] in names and not names & set(LEAVERS[1:])
    assert services.volunteers.get_volunteer(group.volunteer).clearances == []
    assert [i.who for i in services.retention.due(RetentionRules(), TODAY)] == [LEAVERS[0]]
    assert services.audit.verify() == []


def test_rules_off_list_nothing(services):
    _leavers(services)
    assert services.retention.due(RetentionRules(0, 0, 0), TODAY) == []


_KILLED_RUN = textwrap.dedent(
    """
    import sys, time
    from datetime import date
    from pathlib import Path
    from collab_desktop.services.open_records import open_services
    services = open_services(Path(sys.argv[1]))
    due = services.retention.due(today=date(2026, 3, 2))
    def progress(n):
        print(n, flush=True)
        if n == 4:
            time.sleep(120)  # killed here, half-way through the run
    services.retention.apply(due, today=date(2026, 3, 2), progress=progress)
    """
)


def test_a_retention_run_killed_half_way_leaves_no_one_half_anonymised(services, tmp_path):
    _leavers(services)
    path = services.path
    services.close()
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2])}
    run = subprocess.Popen(
        [sys.executable, "-c", _KILLED_RUN, str(path)], stdout=subprocess.PIPE, text=True, env=env
    )
    try:
        for line in run.stdout:
            if line.strip() == "4":
                break
        # Four people are changed inside the open transaction, on disk but not committed.
        os.kill(run.pid, signal.SIGKILL)
    finally:
        run.wait(timeout=30)
    assert run.returncode == -signal.SIGKILL
    reopened = open_services(path)
    try:
        names = sorted(r.name for r in reopened.participants.list_participants())
        assert names == sorted(LEAVERS)
        with sqlite3.connect(path) as db:
            assert db.execute("SELECT count(*) FROM erasure_request").fetchone() == (0,)
            assert db.execute(
                "SELECT count(*) FROM participant WHERE anonymised_on IS NOT NULL"
            ).fetchone() == (0,)
        db.close()
        # And the same run, left to finish, does them all.
        assert reopened.retention.apply(reopened.retention.due(today=TODAY), today=TODAY) == 8
    finally:
        reopened.close()


def test_rules_are_checked(services):
    import pytest

    from collab_desktop.services.errors import ValidationError

    with pytest.raises(ValidationError):
        services.retention.due(RetentionRules(participants_years=-1), TODAY)
    assert open_services  # the module's import is used by the kill test
