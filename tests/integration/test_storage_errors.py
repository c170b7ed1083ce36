"""A full disk, a read-only file, no permission: a plain message, nothing half-written, and
the app (and its services) carry on."""

from __future__ import annotations

import errno
import os
import sqlite3

import pytest
from sqlalchemy import event

from collab_desktop.pdf.agreement_pdf import write_agreement_pdf
from collab_desktop.services.errors import ServiceError, StorageError
from collab_desktop.services.partners import ContactData, PartnerData
from tests.builders import add_partner, reference_agreement


def limit_connections(services, pragma: str) -> None:
    """Apply a PRAGMA to every new connection (they are per-connection settings)."""
    services.engine.dispose()
    event.listen(services.engine, "connect", lambda dbapi, _record: dbapi.execute(pragma))


def big_partner(name: str) -> PartnerData:
    contacts = [ContactData(name=f"Contact {i}", notes="x" * 4000) for i in range(5)]
    return PartnerData(name=name, notes="n" * 20_000, contacts=contacts)


def test_disk_full_saves_nothing_says_so_and_the_next_save_works(services):
    add_partner(services, "Already Saved Trust")
    before = sqlite3.connect(services.path)
    pages = before.execute("PRAGMA page_count").fetchone()[0]
    contacts = before.execute("SELECT count(*) FROM contact").fetchone()
    before.close()
    limit_connections(services, f"PRAGMA max_page_count = {pages + 2}")

    with pytest.raises(StorageError) as caught:
        services.partners.save_partner(big_partner("Too Big Trust"))
    assert "disk is full" in caught.value.message
    assert isinstance(caught.value, ServiceError), "every dialog already handles these"

    names = [r.name for r in services.partners.list_partners()]
    assert names == ["Already Saved Trust"], "the failed transaction left nothing behind"
    check = sqlite3.connect(services.path)
    assert check.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    assert check.execute("SELECT count(*) FROM contact").fetchone() == contacts
    check.close()

    services.engine.dispose()
    # Space freed (the limit lifted on new connections): the same save now succeeds.
    limit_connections(services, "PRAGMA max_page_count = 1073741823")
    services.partners.save_partner(big_partner("Too Big Trust"))
    assert len(services.partners.list_partners()) == 2


def test_read_only_file_gets_a_plain_message(services):
    limit_connections(services, "PRAGMA query_only = ON")
    with pytest.raises(StorageError, match="read-only"):
        add_partner(services, "Cannot Write Trust")
    assert services.partners.list_partners() == []


def test_a_full_disk_while_writing_a_pdf_leaves_no_file(services, tmp_path, monkeypatch):
    _case, version_id = reference_agreement(services)
    doc = services.agreements.document(version_id)
    target = tmp_path / "out" / "agreement.pdf"
    target.parent.mkdir()
    target.write_bytes(b"the copy saved last week")

    def full(_fd: int) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "fsync", full)
    with pytest.raises(OSError) as caught:
        write_agreement_pdf(doc, target)
    assert caught.value.errno == errno.ENOSPC
    assert target.read_bytes() == b"the copy saved last week", "the old copy is untouched"
    assert [p.name for p in target.parent.iterdir()] == ["agreement.pdf"], "no temp file left"


def test_permission_denied_while_writing_a_pdf(services, tmp_path, monkeypatch):
    _case, version_id = reference_agreement(services)
    doc = services.agreements.document(version_id)

    def denied(*_args, **_kwargs):
        raise PermissionError(errno.EACCES, "Permission denied", str(tmp_path))

    monkeypatch.setattr(os, "replace", denied)
    out = tmp_path / "out"
    out.mkdir()
    with pytest.raises(PermissionError):
        write_agreement_pdf(doc, out / "agreement.pdf")
    assert list(out.iterdir()) == []
