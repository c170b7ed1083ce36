"""The planning lock (ActivityService._planning) never keeps a read waiting without end: a
planning step held up elsewhere makes a read on the GUI thread say so in plain words after
PLANNING_WAIT seconds, and once the lock is free the read plans and answers as before."""

from __future__ import annotations

import threading

from collab_desktop.services.delivery import activities as activities_module
from collab_desktop.services.errors import StateError
from tests.delivery_builders import TODAY, needlework_group


def test_a_read_waits_for_the_planning_lock_a_bounded_time(services, monkeypatch):
    needlework_group(services)
    monkeypatch.setattr(activities_module, "PLANNING_WAIT", 0.2)
    held = threading.Event()
    release = threading.Event()

    def stuck_planning_step() -> None:  # a step of plan_due, held up (by a backup, say)
        with services.activities._planning:
            held.set()
            release.wait(30)

    holder = threading.Thread(target=stuck_planning_step, daemon=True)
    holder.start()
    held.wait(10)
    outcome: list[object] = []

    def read_the_week() -> None:
        try:
            outcome.append(services.attendance.plan_and_list_week(TODAY))
        except StateError as error:
            outcome.append(error)

    reader = threading.Thread(target=read_the_week, daemon=True)
    reader.start()
    reader.join(10)
    release.set()
    holder.join(10)
    reader.join(10)
    assert len(outcome) == 1
    assert isinstance(outcome[0], StateError), "the read waited for the lock to be let go"
    assert "still being brought up to date" in outcome[0].message
    # The lock free again: the week is read (and planned) as ever.
    assert services.attendance.plan_and_list_week(TODAY)


def test_planning_in_steps_still_plans_everything(services):
    needlework_group(services)
    assert services.activities.plan_due(TODAY) >= 0
    assert not services.activities.planning_due(TODAY)
