"""`collab-desktop --self-test`: prove an installation works, with no screen and no user data.

In a temporary data folder (or the folder given with ``--keep``) it creates and migrates a new
database, records the reference case of docs/architecture.md §1 (two charities running a group in a
prison that hosts it), drafts their agreement from the two-charity template, sends it for
signatures, records every signature, writes the signed-off agreement as a PDF and reads it back
as a person would. It then gives the collaboration its weekly group with three participants,
prints the attendance sheet of its next session (initials only, as in custody) and reads that
back, and finally reopens the database and finds the agreement by its fingerprint.

The database is encrypted (issue 10) with a random passphrase of its own, written to
``self-test-passphrase.txt`` in the folder so that a kept folder can be opened again. It is
reopened with that passphrase and with the recovery code, a wrong passphrase and a wrong
recovery code must be refused, and at the end no file in the folder but the exports a person
saves (PDF, CSV, XLSX: plaintext by nature) may hold a recorded name or SQLite's plain header.

It prints one line per step and returns 0; on any failure it prints the single line
``self-test failed: <step>: <reason>`` and returns 1. It runs the same way from source and from
the PyInstaller bundle, so it checks that the bundle carries everything the app needs at run
time: migrations, templates, fonts, the PDF builders. It imports no Qt: a build machine or a
locked-down laptop may have no display.
"""

from __future__ import annotations

import re
import secrets
import shutil
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from datetime import date
from datetime import time as clock
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collab_desktop.pdf.document import AgreementDocument
    from collab_desktop.services.open_records import Services

AGREEMENT_PDF = "agreement.pdf"
ATTENDANCE_PDF = "attendance-sheet.pdf"
TEMPLATE = "two_charity_prison"
RECORDED_BY = "Collab Desktop self-test"

# The reference case, with the invented signatories of tests/builders.py.
CHARITY_LEAD = ("Fine Cell Work", "Sarah Bennett", "Head of Prison Programmes")
CHARITY_PARTNER = ("RECOOP", "Tom Rhys", "Regional Coordinator")
PRISON = ("HMP Leyhill", "Helen Price", "Governor")
COLLABORATION = "Needlework group at HMP Leyhill"
ACTIVITY = "Needlework group"
# Invented people; the Welsh name checks that the sheet's font has ŵ.
PARTICIPANTS = ["Peter Stone", "Gareth Ŵyn Jones", "Alan Barker"]

_MAX_REASON = 400
PASSPHRASE_FILE = "self-test-passphrase.txt"
# What a person saves out of the app is plaintext by nature; every other file must not be.
EXPORT_SUFFIXES = (".pdf", ".csv", ".xlsx")
PLAIN_HEADER = b"SQLite format 3"


class CheckFailed(Exception):
    """A check that did not hold. The message is the reason, as printed."""


def run_self_test(keep: Path | None = None, encrypt: bool = True) -> int:
    """Run every step; return the process exit code (0 passed, 1 failed). `encrypt=False`
    (for tests that damage a kept database byte by byte) leaves the records plain."""
    started = time.perf_counter()
    for stream in (sys.stdout, sys.stderr):
        # A console or pipe that cannot show "ŵ" (Windows code pages) must not fail the test.
        if hasattr(stream, "reconfigure"):
            stream.reconfigure(errors="backslashreplace")
    test = _SelfTest(encrypt)
    step = "data folder"
    temporary: Path | None = None
    try:
        if keep is None:
            temporary = Path(tempfile.mkdtemp(prefix="collab-desktop-self-test-"))
        test.folder = _prepare(keep) if keep is not None else temporary
        _say(f"data folder: {test.folder}" + ("" if keep else " (removed afterwards)"))
        for step, action in test.steps():
            began = time.perf_counter()
            detail = action()
            _say(f"{step}: {detail} ({time.perf_counter() - began:.2f} s)")
    except Exception as error:
        print(f"self-test failed: {step}: {_reason(error)}", file=sys.stderr, flush=True)
        return 1
    finally:
        test.close()
        if temporary is not None:
            shutil.rmtree(temporary, ignore_errors=True)
    _say(f"passed in {time.perf_counter() - started:.2f} s")
    return 0


def _say(line: str) -> None:
    print(f"self-test: {line}", flush=True)


def _reason(error: Exception) -> str:
    if isinstance(error, CheckFailed):
        text = str(error)
    else:
        errors = getattr(error, "errors", None)  # a ValidationError names every field
        text = "; ".join(errors.values()) if isinstance(errors, dict) else str(error)
        text = f"{type(error).__name__}: {text}" if text else type(error).__name__
    text = re.sub(r"\s+", " ", text).strip()
    return text if len(text) <= _MAX_REASON else text[: _MAX_REASON - 1] + "…"


def _prepare(keep: Path) -> Path:
    folder = keep.expanduser().resolve()
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise CheckFailed(f"cannot use {folder} as the data folder ({error.strerror})") from error
    from collab_desktop.config import database_path

    # Never add the example records to someone's real database.
    if database_path(folder).exists():
        raise CheckFailed(f"{folder} already holds a database; give --keep a new or empty folder")
    return folder


def _require(condition: object, message: str) -> None:
    if not condition:
        raise CheckFailed(message)


class _SelfTest:
    def __init__(self, encrypt: bool = True) -> None:
        self.encrypt = encrypt
        self.folder = Path()
        self.services: Services | None = None
        self.partner_ids: dict[str, uuid.UUID] = {}
        self.collaboration_id: uuid.UUID | None = None
        self.version_id: uuid.UUID | None = None
        self.fingerprint = ""
        self.document: AgreementDocument | None = None
        self.activity_id: uuid.UUID | None = None
        self.passphrase = ""
        self.recovery_code = ""

    def steps(self) -> list[tuple[str, Callable[[], str]]]:
        return [
            ("resources", self.check_resources),
            ("pages", self.check_pages),
            ("database", self.open_database),
            ("reference case", self.record_reference_case),
            ("agreement", self.draft_agreement),
            ("sign-off", self.sign_off),
            ("agreement PDF", self.write_agreement),
            ("agreement PDF read back", self.read_agreement),
            ("attendance sheet", self.attendance_sheet),
            ("return", self.monitoring_return),
            ("reopen", self.reopen),
            ("exchange", self.exchange),
            ("encrypted at rest", self.encrypted_at_rest),
        ][: None if self.encrypt else -1]

    def close(self) -> None:
        if self.services is not None:
            self.services.close()
            self.services = None

    @property
    def db(self) -> Services:
        _require(self.services is not None, "the database is not open")
        return self.services

    # -- steps -----------------------------------------------------------------------------

    def exchange(self) -> str:
        from collab_desktop.services.exchange.self_test import exchange_round_trip

        return exchange_round_trip(self.folder, self.passphrase or None)

    def check_resources(self) -> str:
        from collab_desktop.migrations import MIGRATIONS_DIR
        from collab_desktop.pdf.fonts import fonts_dir
        from collab_desktop.resources import resources_dir

        root = resources_dir()
        templates = sorted(p.stem for p in (root / "templates").glob("*.json"))
        _require(TEMPLATE in templates, f"the {TEMPLATE} template is missing from {root}")
        fonts = sorted(fonts_dir().glob("*.ttf"))
        _require(len(fonts) >= 4, f"the DejaVu fonts are missing from {fonts_dir()}")
        _require((root / "icons" / "app.png").is_file(), f"the app icon is missing from {root}")
        revisions = sorted((MIGRATIONS_DIR / "versions").glob("[0-9]*.py"))
        _require(revisions, f"no database migrations in {MIGRATIONS_DIR / 'versions'}")
        _require((MIGRATIONS_DIR / "env.py").is_file(), f"env.py is missing in {MIGRATIONS_DIR}")
        return (
            f"{len(templates)} templates, {len(fonts)} fonts, app icon, "
            f"{len(revisions)} migrations in {root.parent}"
        )

    def check_pages(self) -> str:
        # The window imports its later pages by name on first use, out of sight of the
        # bundler's import scan: find each here (without importing Qt), so a bundle that
        # left one out fails now rather than on a user's first click.
        from importlib.util import find_spec

        from collab_desktop.ui.pages import LATER_PAGES

        missing = [module for _name, module, _cls in LATER_PAGES if find_spec(module) is None]
        _require(not missing, f"pages missing from this copy of the app: {', '.join(missing)}")
        return f"{len(LATER_PAGES)} pages besides the home page are here"

    def open_database(self) -> str:
        from collab_desktop.config import database_path
        from collab_desktop.services.open_records import (
            known_revisions,
            open_services,
            stored_revision,
        )
        from collab_desktop.services.records_key import create_encrypted

        path = database_path(self.folder)
        if not self.encrypt:
            self.services = open_services(path)
            return f"created {path.name} (not encrypted) at revision {stored_revision(path)}"
        # A passphrase of its own, kept beside the records so a kept folder opens again.
        self.passphrase = "self-test " + secrets.token_urlsafe(18)
        # Only the passphrase, so that COLLAB_DESKTOP_PASSPHRASE="$(cat …)" opens the folder.
        (self.folder / PASSPHRASE_FILE).write_text(self.passphrase + "\n", encoding="utf-8")
        records, new_key = create_encrypted(path, self.passphrase)
        self.recovery_code = new_key.recovery_code
        self.services = open_services(records)
        head = known_revisions()[-1]
        stored = stored_revision(records)
        _require(stored == head, f"the new database is at revision {stored}, not {head}")
        return f"created {path.name} encrypted and migrated it to revision {head}"

    def record_reference_case(self) -> str:
        from collab_desktop.services.collaborations import CollaborationData, MemberData
        from collab_desktop.services.partners import ContactData, PartnerData

        def partner(record: tuple[str, str, str], kind: str) -> uuid.UUID:
            name, signer, job = record
            contact = ContactData(name=signer, level="strategic", job_title=job)
            data = PartnerData(name=name, kind=kind, contacts=[contact])
            return self.db.partners.save_partner(data, confirmed=True)

        lead = partner(CHARITY_LEAD, "charity")
        other = partner(CHARITY_PARTNER, "charity")
        host = partner(PRISON, "prison")
        self.partner_ids = {CHARITY_LEAD[0]: lead, CHARITY_PARTNER[0]: other, PRISON[0]: host}
        members = [MemberData(lead, "lead"), MemberData(other, "partner"), MemberData(host, "host")]
        self.collaboration_id = self.db.collaborations.save_collaboration(
            CollaborationData(
                name=COLLABORATION,
                members=members,
                purpose="A weekly needlework group in the prison's social space.",
                setting="custody",
                site=PRISON[0],
                start_date=date(2014, 5, 1),
                status="active",
            )
        )
        return "2 charities and a prison as host, with their collaboration"

    def draft_agreement(self) -> str:
        self.version_id = self.db.agreements.create_agreement(self.collaboration_id, TEMPLATE)
        version = self.db.agreements.get_version(self.version_id)
        _require(version.status == "draft", f"a new agreement is {version.status}, not a draft")
        _require(version.responsibilities, "the template gave the agreement no responsibilities")
        return (
            f"drafted from the {TEMPLATE} template: {len(version.responsibilities)} "
            f"responsibilities, {len(version.signatories)} signatories"
        )

    def sign_off(self) -> str:
        agreements = self.db.agreements
        self.fingerprint = agreements.send_for_signatures(self.version_id)
        _require(self.fingerprint, "sending for signatures gave no fingerprint")
        required = [s for s in agreements.get_version(self.version_id).signatories if s.required]
        status = ""
        for signatory in required:
            status = agreements.record_signature(signatory.id, date.today(), "wet_ink", RECORDED_BY)
        _require(
            status == "signed_off",
            f"after {len(required)} signatures the agreement is {status}, not signed off",
        )
        return f"sent, {len(required)} signatures recorded, signed off as {self.fingerprint}"

    def write_agreement(self) -> str:
        from collab_desktop.pdf.agreement_pdf import write_agreement_pdf

        self.document = self.db.agreements.document(self.version_id, printed_on=date.today())
        _require(
            self.document.fingerprint == self.fingerprint,
            f"the printable copy has fingerprint {self.document.fingerprint}, "
            f"the record {self.fingerprint}",
        )
        path = self.folder / AGREEMENT_PDF
        write_agreement_pdf(self.document, path)
        return f"{path.name}, {path.stat().st_size // 1024} KiB"

    def read_agreement(self) -> str:
        doc = self.document
        _require(doc is not None, "no agreement PDF was written")
        data = (self.folder / AGREEMENT_PDF).read_bytes()
        pages = _pdf_pages(data)
        if pages is None:
            # Installed without pypdf (it is a test and bundle dependency): the structure can
            # still be checked, but not the text, which ReportLab compresses.
            count = _check_pdf_structure(data, doc.fingerprint)
            return f"{count} pages; text not checked, pypdf is not installed"
        total = len(pages)
        for number, text in enumerate(pages, start=1):
            _require(
                doc.fingerprint in text,
                f"page {number} of {AGREEMENT_PDF} lacks the fingerprint {doc.fingerprint}",
            )
            _require(
                f"Page {number} of {total}" in text,
                f"page {number} of {AGREEMENT_PDF} is not numbered 'Page {number} of {total}'",
            )
        everything = " ".join(pages)
        wanted = [doc.title, *(p.name for p in doc.parties), *(s.name for s in doc.signatories)]
        missing = [text for text in wanted if text not in everything]
        _require(not missing, f"{AGREEMENT_PDF} does not show {', '.join(missing)}")
        _require("DRAFT" not in everything, f"the signed-off {AGREEMENT_PDF} is marked DRAFT")
        return (
            f"{total} pages, each with its number and the fingerprint; title, "
            f"{len(doc.parties)} parties and {len(doc.signatories)} signatories present"
        )

    def attendance_sheet(self) -> str:
        from collab_desktop.pdf.attendance_sheet import write_attendance_sheets
        from collab_desktop.services.delivery.activities import ActivityData, default_name_printing
        from collab_desktop.services.delivery.participants import ParticipantData

        today = date.today()
        facilitator = next(
            c.id
            for c in self.db.partners.get_partner(self.partner_ids[CHARITY_PARTNER[0]]).contacts
            if c.name == CHARITY_PARTNER[1]
        )
        activity = self.db.activities.save_activity(
            ActivityData(
                collaboration_id=self.collaboration_id,
                name=ACTIVITY,
                venue="Lobster Pot social space",
                weekday=today.weekday(),
                start_time=clock(14, 0),
                end_time=clock(16, 0),
                starts_on=today,
                name_printing=default_name_printing("custody"),
                facilitator_ids=[facilitator],
            )
        )
        for name in PARTICIPANTS:
            self.db.participants.save_participant(
                ParticipantData(display_name=name, joined_on=today, activity_ids=[activity]),
                confirmed=True,
            )
        self.activity_id = activity
        upcoming = self.db.attendance.upcoming(activity, weeks=1)
        _require(upcoming, "a weekly activity starting today has no session this week")
        sheets = self.db.attendance.sheets([upcoming[0].id], printed_on=today)
        _require(len(sheets) == 1, f"one session gave {len(sheets)} attendance sheets")
        path = self.folder / ATTENDANCE_PDF
        write_attendance_sheets(sheets, path)

        pages = _pdf_pages(path.read_bytes())
        if pages is None:
            _check_pdf_structure(path.read_bytes(), None)
            return f"{path.name} written; text not checked, pypdf is not installed"
        everything = " ".join(pages)
        printed = sheets[0].names
        _require(len(printed) == len(PARTICIPANTS), f"the sheet lists {len(printed)} people")
        missing = [text for text in [ACTIVITY, *printed] if text not in everything]
        _require(not missing, f"{ATTENDANCE_PDF} does not show {', '.join(missing)}")
        # In custody only initials may be printed: a full name on the sheet is a breach.
        shown = [name for name in PARTICIPANTS if name in everything]
        _require(not shown, f"{ATTENDANCE_PDF} prints full names: {', '.join(shown)}")
        return (
            f"{path.name}, {len(pages)} page(s): {len(printed)} participants as initials "
            f"({', '.join(printed)}), no full names"
        )

    def monitoring_return(self) -> str:
        # Issue 13: the partner's quarterly return as PDF, CSV and XLSX, each read back.
        from collab_desktop.services.returns.self_test_step import reference_return

        return reference_return(
            self.db, self.collaboration_id, self.partner_ids[CHARITY_LEAD[0]],
            self.partner_ids[CHARITY_PARTNER[0]], self.activity_id, self.folder,
            CHARITY_PARTNER[1],
        )  # fmt: skip

    def reopen(self) -> str:
        from collab_desktop.services.open_records import open_services
        from collab_desktop.services.records_key import (
            PASSPHRASE_KIND,
            RECOVERY_CODE_KIND,
            RecordsKeyError,
            open_with_secret,
        )
        from collab_desktop.services.recovery_code import MistypedRecoveryCode

        path = self.db.path
        self.close()
        if not self.encrypt:
            self.services = open_services(path)
            _require(
                self.db.agreements.find_by_fingerprint(self.fingerprint),
                f"the reopened database does not find the agreement by {self.fingerprint}",
            )
            return f"found the agreement again by its fingerprint {self.fingerprint}"
        for kind, wrong in (
            (PASSPHRASE_KIND, self.passphrase + " but wrong"),
            (RECOVERY_CODE_KIND, _other_code(self.recovery_code)),
        ):
            try:
                open_with_secret(path, kind, wrong)
            except (RecordsKeyError, MistypedRecoveryCode):
                pass
            else:
                raise CheckFailed(f"a wrong {kind.replace('_', ' ')} opened the records")
        for kind, secret in (
            (RECOVERY_CODE_KIND, self.recovery_code),
            (PASSPHRASE_KIND, self.passphrase),  # last: the records stay open with it
        ):
            self.services = open_services(open_with_secret(path, kind, secret))
            found = self.db.agreements.find_by_fingerprint(self.fingerprint)
            _require(
                [row.version_id for row in found] == [self.version_id],
                f"reopened with the {kind.replace('_', ' ')}, the database does not find "
                f"the agreement by {self.fingerprint}",
            )
            status = self.db.agreements.get_version(self.version_id).status
            _require(status == "signed_off", f"the reopened agreement is {status}, not signed off")
            if kind == RECOVERY_CODE_KIND:
                self.close()
        return (
            "reopened with the passphrase and with the recovery code (a wrong one of each "
            f"refused); found the signed-off agreement by its fingerprint {self.fingerprint}"
        )

    def encrypted_at_rest(self) -> str:
        self.close()  # everything written and released before the files are read
        names = {
            name
            for record in (CHARITY_LEAD, CHARITY_PARTNER, PRISON)
            for name in record[:2]
        } | set(PARTICIPANTS) | {COLLABORATION}  # fmt: skip
        looked = 0
        for path in sorted(self.folder.rglob("*")):
            if not path.is_file() or path.suffix.lower() in EXPORT_SUFFIXES:
                continue
            data = path.read_bytes()
            looked += 1
            _require(
                PLAIN_HEADER not in data,
                f"{path.relative_to(self.folder)} holds an unencrypted database",
            )
            shown = sorted(n for n in names if n.encode() in data)
            _require(
                not shown,
                f"{path.relative_to(self.folder)} holds recorded names in plain text: "
                + ", ".join(shown),
            )
        return f"{looked} files besides the exports: no plain database, no recorded name"


def _other_code(code: str) -> str:
    """A well-formed recovery code that is not `code`: refused by the key, not the typing."""
    from collab_desktop.services.recovery_code import format_code, new_secret

    other = code
    while other == code:
        other = format_code(new_secret())
    return other


# -- reading PDFs back ---------------------------------------------------------------------


def _pdf_pages(data: bytes) -> list[str] | None:
    """The text of each page, whitespace collapsed; None if pypdf is not installed.

    The bundle always carries pypdf (the spec refuses to build without it), so there a
    missing pypdf is itself a failure rather than a reason to check less.
    """
    try:
        from pypdf import PdfReader
    except ImportError:
        if getattr(sys, "frozen", False):
            raise CheckFailed("pypdf is missing from the bundle") from None
        return None
    import io

    reader = PdfReader(io.BytesIO(data), strict=True)
    return [re.sub(r"\s+", " ", page.extract_text() or "") for page in reader.pages]


def _check_pdf_structure(data: bytes, fingerprint: str | None) -> int:
    """Without pypdf: a complete PDF file with pages, the fingerprint in its metadata."""
    _require(data.startswith(b"%PDF-"), "the file does not start like a PDF")
    _require(data.rstrip().endswith(b"%%EOF"), "the PDF file is cut short")
    count = len(re.findall(rb"/Type\s*/Page(?![a-zA-Z])", data))
    _require(count >= 1, "the PDF has no pages")
    if fingerprint:
        _require(fingerprint.encode() in data, f"the PDF metadata lacks {fingerprint}")
    return count
