"""What a version allows is said once (services/agreements/rules.py), and both sides keep to
it: in every status, the agreement editor shows exactly the actions VersionData.allowed names,
and the service takes exactly those actions and refuses every other with a StateError.

An allowed action is tried on a copy of the records (it changes them); a refused one on the
records themselves (a refusal changes nothing)."""

from __future__ import annotations

import shutil
import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest

from collab_desktop.services.agreements.rules import ACTIONS
from collab_desktop.services.agreements.version_data import SignatoryData, VersionData
from collab_desktop.services.errors import StateError
from collab_desktop.services.open_records import Services, open_services
from collab_desktop.ui.agreements.editor import AgreementEditor
from tests.builders import SIGNED_ON, reference_agreement, send_and_sign_all


def _with_witness(services: Services):
    """The reference draft, with a witness who need not sign (who may sign after sign-off)."""
    case, version_id = reference_agreement(services)
    v = services.agreements.get_version(version_id)
    v.signatories.append(
        SignatoryData(name="Rhian Morgan", organisation_id=case.leyhill, capacity="witness",
                      required=False)
    )  # fmt: skip
    services.agreements.save_draft(v)
    return version_id


def _sign(services: Services, version_id, required: bool) -> None:
    for s in services.agreements.get_version(version_id).signatories:
        if s.required == required and not s.signed_on:
            services.agreements.record_signature(s.id, SIGNED_ON, "wet_ink", "Tom Rhys")
            return


def draft(services):
    return _with_witness(services)


def awaiting(services):
    version_id = _with_witness(services)
    services.agreements.send_for_signatures(version_id)
    _sign(services, version_id, required=True)  # one signed, so there is one to clear
    return version_id


def signed_off(services):
    version_id = _with_witness(services)
    send_and_sign_all(services, version_id)
    return version_id


def signed_off_witnessed(services):
    version_id = signed_off(services)
    _sign(services, version_id, required=False)
    return version_id


def superseded(services):
    first = signed_off(services)
    second = services.agreements.new_version(first)
    send_and_sign_all(services, second)
    return first


def void(services):
    version_id = _with_witness(services)
    services.agreements.void(version_id, "Started by mistake.")
    return version_id


def ended(services):
    version_id = signed_off(services)
    services.agreements.mark_ended(version_id)
    return version_id


STATES = [draft, awaiting, signed_off, signed_off_witnessed, superseded, void, ended]


def _attempts(
    services: Services, version_id, data: VersionData
) -> dict[str, list[Callable[[], object]]]:
    """Each action as calls the service can be asked: one per signatory for signatures
    (`data`: the version as it is, the same in a copy of the records)."""
    a = services.agreements

    def save() -> None:
        a.save_draft(a.get_version(version_id))

    unsigned = [s.id for s in data.signatories if not s.signed_on]
    signed = [s.id for s in data.signatories if s.signed_on]
    return {
        "save": [save],
        "send": [lambda: a.send_for_signatures(version_id)],
        "parts": [lambda: a.change_parts(version_id, a.parts_of(version_id).chosen())],
        "record": [
            lambda i=i: a.record_signature(i, SIGNED_ON, "wet_ink", "Tom Rhys") for i in unsigned
        ],
        "clear_signature": [lambda i=i: a.clear_signature(i) for i in signed],
        "to_draft": [lambda: a.return_to_draft(version_id)],
        "new_version": [lambda: a.new_version(version_id)],
        "void": [lambda: a.void(version_id, "Withdrawn.")],
        "delete": [lambda: a.delete_draft(version_id)],
        "end": [lambda: a.mark_ended(version_id)],
    }


def _copy_of(services: Services, folder: Path) -> Services:
    """The records as they are now, in a folder of their own (sqlite's backup: what is
    committed, wherever SQLite keeps it)."""
    folder.mkdir()
    target = folder / services.path.name
    source = sqlite3.connect(services.path)
    copy = sqlite3.connect(target)
    with copy:
        source.backup(copy)
    source.close()
    copy.close()
    for companion in services.path.parent.glob(f"{services.path.stem}.*"):
        name = companion.name
        if companion != services.path and not name.endswith((".lock", "-wal", "-shm")):
            shutil.copyfile(companion, folder / name)
    return open_services(target)


@pytest.mark.parametrize("state", STATES, ids=lambda s: s.__name__)
def test_the_editor_and_the_service_keep_to_what_the_version_allows(
    state, qtbot, services, events, tmp_path
):
    version_id = state(services)
    data = services.agreements.get_version(version_id)
    allowed = data.allowed
    assert allowed <= set(ACTIONS)

    editor = AgreementEditor(services, events, version_id)
    qtbot.addWidget(editor)
    buttons = {**editor.buttons, "clear_signature": editor.clear_signature_button}
    # Saving as PDF, printing and saving as a template are there in every status.
    offered = set(buttons) & set(ACTIONS)
    assert offered == set(ACTIONS) - {"end"}  # no button: marked from elsewhere (the demo)
    assert {key for key in offered if not buttons[key].isHidden()} == allowed & offered
    editor.close()

    for number, (action, calls) in enumerate(_attempts(services, version_id, data).items()):
        if action in allowed:
            # Taken: by the first call that needs nothing else (a signature, any one).
            taken = []
            for attempt, _ in enumerate(calls):
                copy = _copy_of(services, tmp_path / f"copy-{number}-{attempt}")
                try:
                    _attempts(copy, version_id, data)[action][attempt]()
                    taken.append(attempt)
                except StateError:
                    pass
                finally:
                    copy.close()
                if taken:
                    break
            assert taken, f"{state.__name__}: the service refused {action}, which it allows"
        else:
            for call in calls:
                with pytest.raises(StateError):
                    call()
