"""The register of one session, made for copying a filled-in sheet by keyboard alone.

Type part of a name, or initials as the sheet printed them in any form ("P. S. (2)", "ps2",
"M B", "mb"), and press Enter to tick the first match; Up and Down choose another match;
Space or a click ticks the row in the list. A name that matches nobody stays in the find box,
chosen, so the next name typed replaces it: a newcomer is typed into the Newcomer box, and is
added only once the user has seen, in a question, exactly the name that will be added.
Ctrl+S saves, Escape closes (asking first if there are unsaved ticks).
"""

from __future__ import annotations

import unicodedata
import uuid
from dataclasses import dataclass
from functools import cached_property

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeyEvent, QKeySequence, QMouseEvent, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from collab_desktop.models.enums import WEEKDAYS
from collab_desktop.resources import action_icon
from collab_desktop.services.delivery.attendance import Findable as FindablePerson
from collab_desktop.services.delivery.attendance import Newcomer, Register
from collab_desktop.services.delivery.participants import ParticipantChoice
from collab_desktop.services.delivery.schedule import time_range
from collab_desktop.services.errors import ServiceError, ValidationError
from collab_desktop.services.initials import initials, initials_key
from collab_desktop.services.open_records import Services
from collab_desktop.ui.errors import show_problem
from collab_desktop.ui.events import DataEvents
from collab_desktop.ui.forms import (
    error_label,
    name_widget,
    plain_buttons,
    reactivate,
    show_messages,
)
from collab_desktop.ui.operations import Operation

ENTRY_ROLE = Qt.ItemDataRole.UserRole + 1


# Typed text that finds more people than this, among those not on the register's lines,
# shows the first of them only: thousands of rows per keystroke would make typing lag.
MAX_FOUND = 30

# A name's initials as search keys, by name: names repeat, and working initials out is slow
# enough (tens of microseconds) to matter over the ten thousand people a search may look at.
_NAME_KEYS: dict[str, frozenset[str]] = {}


def name_keys(name: str) -> frozenset[str]:
    """ "S. Ll." is "sll", also found as "sl"."""
    keys = _NAME_KEYS.get(name)
    if keys is None:
        own = initials(name)
        keys = frozenset({initials_key(own), "".join(w[:1] for w in own.casefold().split())})
        keys = _NAME_KEYS[name] = keys - {""}
    return keys


def initials_score(keys: frozenset[str] | set[str], key: str) -> int:
    """2: the typed initials (as a key) are the person's; 1: they begin them; 0: neither."""
    if not key:
        return 0
    if key in keys or any(k.rstrip("0123456789") == key for k in keys):
        return 2
    return 1 if any(k.startswith(key) for k in keys) else 0


def words_match(words: list[str], typed: list[str]) -> bool:
    return all(any(w.startswith(t) for w in words) for t in typed)


@dataclass
class Entry:
    """One person on the register: recorded already (participant_id), or a newcomer."""

    name: str
    reference: str = ""
    participant_id: uuid.UUID | None = None
    expected: bool = True
    on_sheet_as: str = ""
    found: bool = False  # not on the register's lines: shown because the search found them

    @cached_property
    def search_words(self) -> list[str]:
        return f"{self.name} {self.reference} {self.on_sheet_as}".casefold().split()

    @cached_property
    def initials_keys(self) -> set[str]:
        """The person's initials as search keys: what the sheet printed ("P. S. (2)" is
        "ps2") and the initials of the name ("S. Ll." is "sll", also found as "sl")."""
        keys = {initials_key(self.on_sheet_as), *name_keys(self.name)}
        keys.discard("")
        return keys

    def matches(self, typed: list[str]) -> bool:
        """Every typed word begins a word of the name, reference or sheet label: "d" finds
        Dennis and D. W., not Richard; "p. s. (2)" finds what the sheet printed. Or the typed
        text, stripped of spaces and full stops, begins the person's initials: "mb", "MB",
        "M.B." and "M B" find the M. B. of the sheet."""
        return words_match(self.search_words, typed) or self.initials_match(typed) > 0

    def initials_match(self, typed: list[str]) -> int:
        """2: the typed initials are the person's; 1: they begin them; 0: neither."""
        return initials_score(self.initials_keys, initials_key(" ".join(typed)))


class Others:
    """Everyone not on the register's lines, searched as plain text: no list row (and no
    Entry) each, as there can be over ten thousand of them (issue 17)."""

    def __init__(self, people: list[FindablePerson]) -> None:
        self._people = people
        self._words = [f"{p.name} {p.reference}".casefold().split() for p in people]  # as Entry
        self._text = [unicodedata.normalize("NFC", p.name).casefold() for p in people]

    def matching(self, typed: list[str], limit: int) -> tuple[list[FindablePerson], int]:
        """The first `limit` people the typed words find (as Entry.matches), and how many."""
        key = initials_key(" ".join(typed))
        found: list[FindablePerson] = []
        count = 0
        for person, text, words in zip(self._people, self._text, self._words, strict=True):
            if words_match(words, typed) or (
                # One letter of initials begins half of all names: typed words do that.
                len(key) > 1
                and all(c in text for c in key)  # cheap, before working initials out
                and initials_score(name_keys(person.name), key)
            ):
                count += 1
                if len(found) < limit:
                    found.append(person)
        return found, count


def long_day(register: Register) -> str:
    from collab_desktop.pdf.agreement_pdf import long_date

    return f"{WEEKDAYS[register.on.weekday()]} {long_date(register.on)}"


class RegisterList(QListWidget):
    """A list whose rows are ticked by Space or a click anywhere on the row (not only on the
    small box), and which hands printable keys to the find box."""

    def __init__(self, find: QLineEdit, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._find = find

    def toggle(self, item: QListWidgetItem | None) -> None:
        if item is None or item.isHidden():
            return
        ticked = item.checkState() == Qt.CheckState.Checked
        item.setCheckState(Qt.CheckState.Unchecked if ticked else Qt.CheckState.Checked)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Space, Qt.Key.Key_Select):
            self.toggle(self.currentItem())
            return
        text = event.text()
        if (
            text
            and text.isprintable()
            and not event.modifiers() & ~Qt.KeyboardModifier.ShiftModifier
        ):
            self._find.setFocus()
            self._find.insert(text)
            return
        super().keyPressEvent(event)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        item = self.itemAt(event.position().toPoint())
        if event.button() == Qt.MouseButton.LeftButton and item is not None:
            self.setCurrentItem(item)
            self.toggle(item)
            return
        super().mouseReleaseEvent(event)


class RegisterDialog(QDialog):
    """Raises StateError (a cancelled session) or NotFound from the constructor: use
    open_register(), which tells the user instead."""

    def __init__(
        self,
        services: Services,
        events: DataEvents,
        session_id: uuid.UUID,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("register_dialog")
        self._services = services
        self._events = events
        self._session_id = session_id
        self.register = services.attendance.register(session_id)
        self._others: Others | None = None  # read when the user first types
        self._more_note = ""
        self.setWindowTitle(f"Register — {self.register.activity}, {long_day(self.register)}")

        r = self.register
        heading = QLabel(f"<b>{_html(r.activity)}</b> — {_html(r.collaboration)}")
        heading.setObjectName("register_heading")
        font = heading.font()
        font.setPointSizeF(font.pointSizeF() * 1.25)
        heading.setFont(font)
        when = QLabel(
            f"{long_day(r)}, {time_range(r.start_time, r.end_time)}"
            + (f" · {_html(r.venue)}" if r.venue else "")
        )
        when.setObjectName("register_when")

        self.find = name_widget(QLineEdit(), "register_find", "Find a name")
        self.find.setPlaceholderText("Type a name (or what the sheet shows), then Enter to tick")
        self.find.setClearButtonEnabled(True)
        self.find.textChanged.connect(self._filter)
        self.find.returnPressed.connect(self._enter_pressed)
        self.find.installEventFilter(self)
        find_label = QLabel("&Find:")
        find_label.setBuddy(self.find)

        self.list = name_widget(RegisterList(self.find), "register_list", "Participants")
        self.list.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.list.setAlternatingRowColors(True)
        self.list.itemChanged.connect(lambda _item: self._update_count())
        font = self.list.font()
        font.setPointSizeF(font.pointSizeF() * 1.15)
        self.list.setFont(font)
        # Rows tall enough to hit with a mouse or a finger on a touch screen.
        self.list.setStyleSheet("QListWidget::item { padding: 3px 2px; }")

        self.newcomer_name = name_widget(QLineEdit(), "register_newcomer_name", "Newcomer's name")
        self.newcomer_name.setPlaceholderText("Name or initials")
        self.newcomer_reference = name_widget(
            QLineEdit(), "register_newcomer_reference", "Newcomer's reference number"
        )
        self.newcomer_reference.setPlaceholderText("Reference, if any")
        self.newcomer_reference.setMaximumWidth(150)
        self.add_newcomer_button = name_widget(
            QPushButton("&Add newcomer"), "register_add_newcomer", "Add newcomer"
        )
        self.add_newcomer_button.clicked.connect(self.add_newcomer)
        self.newcomer_name.returnPressed.connect(self.add_newcomer)
        self.newcomer_reference.returnPressed.connect(self.add_newcomer)
        newcomer_label = QLabel("&Newcomer:")
        newcomer_label.setBuddy(self.newcomer_name)

        self.leaders: dict[uuid.UUID, QCheckBox] = {}
        leaders_row = QHBoxLayout()
        leaders_row.addWidget(QLabel("Led by:"))
        for line in r.leaders:
            box = name_widget(
                QCheckBox(line.name), f"register_leader_{len(self.leaders)}", line.name
            )
            box.setChecked(line.led)
            self.leaders[line.contact_id] = box
            leaders_row.addWidget(box)
        if not r.leaders:
            leaders_row.addWidget(QLabel("(no facilitators recorded for this activity)"))
        leaders_row.addStretch(1)

        self.count = QLabel()
        self.count.setObjectName("register_count")
        self.status = QLabel()
        self.status.setObjectName("register_status")
        # A long message wraps instead of widening the dialog under the user's eyes.
        self.status.setWordWrap(True)
        self.problem = error_label("register_problem")

        # Plain buttons, not a QDialogButtonBox: that makes Save the default button when shown,
        # and Enter belongs to the find box (tick) and the newcomer box (add), never to Save.
        self.save_button = name_widget(QPushButton("&Save"), "register_save", "Save")
        self.save_button.setToolTip("Save the register (Ctrl+S)")
        self.save_button.setIcon(action_icon("save"))
        self.close_button = name_widget(QPushButton("Close"), "register_close", "Close")
        self.save_button.clicked.connect(self.save)
        self.close_button.clicked.connect(self.reject)
        QShortcut(QKeySequence.StandardKey.Save, self, activated=self.save)
        plain_buttons(self.save_button, self.close_button, self.add_newcomer_button)
        buttons = QHBoxLayout()
        buttons.addWidget(self.save_button)
        buttons.addWidget(self.close_button)

        find_row = QHBoxLayout()
        find_row.addWidget(find_label)
        find_row.addWidget(self.find, 1)
        find_row.addWidget(self.count)
        newcomer_row = QHBoxLayout()
        newcomer_row.addWidget(newcomer_label)
        newcomer_row.addWidget(self.newcomer_name, 1)
        newcomer_row.addWidget(self.newcomer_reference)
        newcomer_row.addWidget(self.add_newcomer_button)
        bottom = QHBoxLayout()
        bottom.addWidget(self.status, 1)
        bottom.addLayout(buttons)

        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addWidget(when)
        layout.addSpacing(4)
        layout.addLayout(find_row)
        layout.addWidget(self.list, 1)
        layout.addLayout(newcomer_row)
        layout.addLayout(leaders_row)
        layout.addWidget(self.problem)
        layout.addLayout(bottom)

        self._load()
        self.resize(620, 640)
        self.find.setFocus()

    # -- the list --------------------------------------------------------------------------

    def _load(self) -> None:
        self.list.blockSignals(True)
        self.list.clear()
        for line in self.register.lines:
            entry = Entry(
                line.name, line.reference, line.participant_id, line.expected, line.on_sheet_as
            )
            self._add_item(entry, line.attended)
        self.list.blockSignals(False)
        self._saved_state = self._state()
        self.status.setText(
            "Recorded before; change it and save again." if self.register.recorded else ""
        )
        self._filter(self.find.text())
        self._update_count()

    def _add_item(self, entry: Entry, ticked: bool) -> QListWidgetItem:
        text = entry.name
        details = []
        if entry.on_sheet_as and entry.on_sheet_as != entry.name:
            details.append(f"on the sheet as {entry.on_sheet_as}")
        if entry.reference:
            details.append(entry.reference)
        if entry.participant_id is None:
            details.append("newcomer, recorded when you save")
        elif not entry.expected:
            details.append("not enrolled: ticking adds them to this session only")
        if details:
            text += "   (" + "; ".join(details) + ")"
        item = QListWidgetItem(text)
        item.setData(ENTRY_ROLE, entry)
        item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable)
        item.setCheckState(Qt.CheckState.Checked if ticked else Qt.CheckState.Unchecked)
        self.list.addItem(item)
        return item

    def entries(self) -> list[tuple[Entry, bool]]:
        return [
            (
                self.list.item(i).data(ENTRY_ROLE),
                self.list.item(i).checkState() == Qt.CheckState.Checked,
            )
            for i in range(self.list.count())
        ]

    def ticked_names(self) -> list[str]:
        return [entry.name for entry, ticked in self.entries() if ticked]

    def visible_names(self) -> list[str]:
        return [
            self.list.item(i).data(ENTRY_ROLE).name
            for i in range(self.list.count())
            if not self.list.item(i).isHidden()
        ]

    def _show_found(self, words: list[str]) -> None:
        """Rows for the people not on the register's lines whom the typed words find (the
        first MAX_FOUND of them), in place of the last search's, kept only if ticked."""
        for i in reversed(range(self.list.count())):
            item = self.list.item(i)
            if item.data(ENTRY_ROLE).found and item.checkState() != Qt.CheckState.Checked:
                self.list.takeItem(i)
        note = ""
        if words:
            if self._others is None:
                self._others = Others(self._services.attendance.findable(self._session_id))
            people, count = self._others.matching(words, MAX_FOUND)
            shown = {entry.participant_id for entry, _ in self.entries()}
            for person in people:
                pid = person.participant_id
                if pid not in shown:
                    self._add_item(
                        Entry(person.name, person.reference, pid, expected=False, found=True),
                        False,
                    )
            if count > len(people):
                note = (
                    f"Showing the first {len(people)} of {count:,} people not enrolled whom "
                    "this finds: type more of the name to see the others."
                )
        if note or self.status.text() == self._more_note:
            self.status.setText(note)
        self._more_note = note

    def _filter(self, text: str) -> None:
        words = text.casefold().split()
        self._show_found(words)
        first = None
        exact = None  # the first person whose initials are exactly what was typed
        for i in range(self.list.count()):
            item = self.list.item(i)
            entry: Entry = item.data(ENTRY_ROLE)
            ticked = item.checkState() == Qt.CheckState.Checked
            # Without a search: the expected people and whoever is ticked. Everyone else is
            # found by typing, so the everyday list stays short.
            show = entry.matches(words) if words else entry.expected or ticked
            item.setHidden(not show)
            if show and first is None:
                first = item
            if show and exact is None and words and entry.initials_match(words) == 2:
                exact = item
        # "mb" copied off a sheet means M. B. sooner than Mbali, whose name it also begins.
        first = exact or first
        current = self.list.currentItem()
        if words or current is None or current.isHidden():
            self.list.setCurrentItem(first)

    def _move(self, step: int) -> None:
        rows = [i for i in range(self.list.count()) if not self.list.item(i).isHidden()]
        if not rows:
            return
        current = self.list.currentRow()
        position = rows.index(current) if current in rows else -1
        position = max(0, min(len(rows) - 1, position + step))
        self.list.setCurrentRow(rows[position])

    def eventFilter(self, watched, event) -> bool:
        if watched is self.find and event.type() == event.Type.KeyPress:
            if event.key() == Qt.Key.Key_Down:
                self._move(1)
                return True
            if event.key() == Qt.Key.Key_Up:
                self._move(-1)
                return True
        return super().eventFilter(watched, event)

    def _enter_pressed(self) -> None:
        """Tick the chosen match and clear the search for the next name. A name that matches
        nobody stays where it is, chosen, so that the next name typed replaces it. (It used to
        move to the newcomer box with the focus, and a user copying a sheet without looking
        up typed the next name onto it and added "mbP. H." as a newcomer.)"""
        text = self.find.text().strip()
        if not text:
            return
        item = self.list.currentItem()
        if item is None or item.isHidden():
            self.find.selectAll()
            self.status.setText(
                f"Nobody matches “{text}”. Check the sheet, or type a newcomer's name in the "
                "Newcomer box (Alt+N)."
            )
            return
        item.setCheckState(Qt.CheckState.Checked)
        entry: Entry = item.data(ENTRY_ROLE)
        self.status.setText(f"Ticked {entry.name}.")
        self.find.clear()
        self.list.setCurrentItem(item)
        self.list.scrollToItem(item)

    def _update_count(self) -> None:
        n = sum(1 for _, ticked in self.entries() if ticked)
        self.count.setText(f"{n} present")

    # -- newcomers -------------------------------------------------------------------------

    def add_newcomer(self) -> None:
        name = " ".join(self.newcomer_name.text().split())
        reference = self.newcomer_reference.text().strip()
        if not name:
            show_messages(self.problem, ["Type the newcomer's name (or initials) first."])
            self.newcomer_name.setFocus()
            return
        show_messages(self.problem, [])
        existing = self._services.participants.similar(name, reference)
        # Never added unseen: the question shows exactly the name that will be recorded.
        if not existing:
            answer = QMessageBox.question(
                self,
                "Add a newcomer?",
                f"Add “{name}”" + (f" ({reference})" if reference else "") + " as a newcomer "
                "who came to this session?\n\nThey are recorded as a new participant when "
                "you save the register.",
                QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
                QMessageBox.StandardButton.Yes,
            )
            if answer != QMessageBox.StandardButton.Yes:
                self.newcomer_name.setFocus()
                self.newcomer_name.selectAll()
                return
        if existing:
            who = "\n".join(f"• {m.label}" for m in existing[:5])
            answer = QMessageBox.question(
                self,
                "Someone already recorded?",
                f"“{name}” looks like someone already recorded:\n{who}\n\n"
                f"Tick {existing[0].name} instead? Choose No to add “{name}” as a new person.",
                QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
                QMessageBox.StandardButton.Yes,
            )
            if answer == QMessageBox.StandardButton.Yes:
                self._tick_existing(existing[0])
                self._clear_newcomer()
                return
        item = self._add_item(Entry(name, reference, None, True), True)
        self.list.setCurrentItem(item)
        self.list.scrollToItem(item)
        self.status.setText(f"Added {name} as a newcomer.")
        self._clear_newcomer()
        self._update_count()

    def _tick_existing(self, person: ParticipantChoice) -> None:
        item = next(
            (
                self.list.item(i)
                for i in range(self.list.count())
                if self.list.item(i).data(ENTRY_ROLE).participant_id == person.id
            ),
            None,
        )
        if item is None:  # someone who had left: on this register only
            item = self._add_item(Entry(person.name, person.reference, person.id, False), True)
        item.setCheckState(Qt.CheckState.Checked)
        item.setHidden(False)
        self.list.setCurrentItem(item)
        self.list.scrollToItem(item)
        self.status.setText(f"Ticked {person.name}.")

    def _clear_newcomer(self) -> None:
        self.newcomer_name.clear()
        self.newcomer_reference.clear()
        self.find.setFocus()

    # -- saving ----------------------------------------------------------------------------

    def _state(self) -> tuple[object, ...]:
        ticked = frozenset(e.participant_id for e, t in self.entries() if t and e.participant_id)
        newcomers = tuple(
            (e.name, e.reference) for e, t in self.entries() if t and not e.participant_id
        )
        leaders = frozenset(cid for cid, box in self.leaders.items() if box.isChecked())
        return ticked, newcomers, leaders

    def has_changes(self) -> bool:
        return self._state() != self._saved_state

    def save(self) -> bool:
        ticked, newcomers, leaders = self._state()

        def refused(error: Exception) -> bool:
            if isinstance(error, ValidationError):
                show_messages(self.problem, list(error.errors.values()))
                return True
            return False

        operation = Operation(
            self,
            self._services,
            self._events,
            lambda s: s.attendance.save_register(
                self._session_id,
                set(ticked),
                [Newcomer(name, ref) for name, ref in newcomers],
                list(leaders),
            ),
            title="The register was not saved",
        ).failure(refused)
        if not operation.run():
            return False
        saved = operation.result
        assert saved is not None
        show_messages(self.problem, [])
        self.register = self._services.attendance.register(self._session_id)
        search = self.find.text()
        self._load()
        self.find.setText(search)
        self.status.setText(
            f"Saved: {saved.attended} present." if saved.changed else "Saved; nothing had changed."
        )
        return True

    def reject(self) -> None:
        """Close, Escape and the window's close button all come here."""
        if self.has_changes():
            answer = QMessageBox.question(
                self,
                "Unsaved register",
                "You have ticks that are not saved. Save them before closing?",
                QMessageBox.StandardButton.Save
                | QMessageBox.StandardButton.Discard
                | QMessageBox.StandardButton.Cancel,
                QMessageBox.StandardButton.Save,
            )
            if answer == QMessageBox.StandardButton.Save:
                if not self.save():
                    return
            elif answer != QMessageBox.StandardButton.Discard:
                return
        super().reject()


def open_register(
    parent: QWidget, services: Services, events: DataEvents, session_id: uuid.UUID
) -> RegisterDialog | None:
    """Open the register of a session, or say why it has none (a cancelled session)."""
    try:
        dialog = RegisterDialog(services, events, session_id, parent)
    except ServiceError as error:
        show_problem(parent, error, "No register for this session")
        return None
    dialog.finished.connect(dialog.deleteLater)
    dialog.finished.connect(lambda _result: reactivate(parent))
    dialog.open()
    return dialog


def _html(text: str) -> str:
    from html import escape

    return escape(text)
