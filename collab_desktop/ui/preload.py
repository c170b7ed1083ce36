"""Loading, while the app is idle after start, what the first clicks need (issue 17).

The first page opens without SQLAlchemy (services/quick_open.py), so the first click on any
other page used to pay for importing it and the models (about 0.4 s here, more on an old
laptop), then for the page's first read of ten years of records (0.1–0.5 s). Here, a moment
after the first page is on the screen, a worker thread imports the services, and then each
later page in turn (ORDER) is built (on the GUI thread: a few milliseconds) and its rows are
read on a worker (ListPage.reader()), then shown. The GUI thread only ever does small steps,
so a click in the middle waits at most for one of them; a page clicked while its rows are
being read waits for those rows (rows_being_read), and one clicked before its turn is read
there and then, while a read in the background steps aside (services/read_turns.py). A long
list (ListPage.first_reader) clicked before its rows were read shows its first screen at
once and is read next (read_soon), every row shown when read.

What the pages show is exactly what refresh() would show: rows read before a change that the
app announced (DataEvents.changes) are thrown away, and the page is read again when shown.

Records opened quickly (services/quick_open.py) are read ahead without SQLAlchemy: the list
pages' rows come from the quick services' stand-ins (services/list_rows.py), and only the
pages named in WITHOUT_SERVICES are read; SQLAlchemy, the models and the services (some
70 MiB, as much again as the window) load in the background a moment after the first click
on a page past the first (services_soon), as any action there needs them, and the pages that
need them are read ahead after that. So the app idle after start holds little more than the
first page (issue 17's memory budget), and a first click on a list still finds it filled.
"""

from __future__ import annotations

import gc
import logging
import threading
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import shiboken6
from PySide6.QtCore import QObject, QTimer, Signal

from collab_desktop.services.changes import SESSIONS, Changes

if TYPE_CHECKING:
    from collab_desktop.ui.main_window import MainWindow

log = logging.getLogger("collab_desktop")

# After the first page is filled, before the worker starts: the first page's paint and the
# app's own idle moment come first (the benchmark's "filled and idle" must not pay for this).
START_AFTER_MS = 30

# How long a click on a page whose rows are being read waits for them (rows_being_read).
READ_WAIT = 5.0

# How many pages' rows are read at a time, each on a thread of its own. Much of a long list's
# read is SQLite's, which lets go of Python's lock, so two could overlap on two cores; but on
# one core two reads side by side each finish later, and a click waits for the one it needs
# (rows_being_read) all the longer. One, until measured better on a quiet machine.
LANES = 1

# The order the later pages are loaded in: the quickest reads first (collaborations 50 ms at
# ten years' scale, activities 65, partners 110, agreements 140, participants 170, volunteers
# 250), so that as many pages as can be are ready for a first click a second after start.
# Pages not named here follow in the window's order.
ORDER = (
    "collaborations_page",
    "activities_page",
    "partners_page",
    "agreements_page",
    "participants_page",
    "volunteers_page",
)

# The pages that can be read ahead before the services are loaded (their rows from the
# quick services' stand-ins, or, for the backups, from the folder). The Returns page shows
# the chosen period's return only once it is shown (ui/returns/returns_page.py): that needs
# the services.
WITHOUT_SERVICES = frozenset(ORDER) | {"backups_page", "returns_page", "meetings_page"}

# How long after the first click on a later page the services start loading: the page is
# shown and painted first, and a few more clicks between pages find the GUI thread free.
SERVICES_AFTER_MS = 500


def import_services() -> None:
    """What the later pages' services need, imported off the GUI thread (no Qt here)."""
    # Mapping the classes to each other happens on the first query; do it here too.
    from sqlalchemy.orm import configure_mappers

    import collab_desktop.services.open_records  # noqa: F401  (SQLAlchemy, every service)
    from collab_desktop.models import Base

    assert Base is not None
    configure_mappers()


class _Delivery(QObject):
    """Hands a worker's result to the GUI thread (a queued signal). One for the app, never
    deleted: a worker still running when its window goes must have something to emit to."""

    done = Signal(object, object, object)  # the owner, the callback, the result


_delivery: _Delivery | None = None


def _deliver(owner: QObject, callback: Callable[[Any], None], result: object) -> None:
    _job_ended()
    if shiboken6.isValid(owner):  # not if its window has gone meanwhile
        callback(result)


# Python's garbage collector runs in whichever thread happens to allocate when it is due. Run
# in a worker, it can free a cycle holding a Qt object (a closed dialog, a page gone) there,
# off the GUI thread, and Qt then crashes (seen as a segmentation fault in a worker reading
# the activities while a test's windows were being collected). So it is held off while a job
# runs, and let loose again on the GUI thread when the job's result is delivered.
_jobs = 0
_jobs_lock = threading.Lock()


def _job_started() -> None:
    global _jobs
    with _jobs_lock:
        _jobs += 1
        if _jobs == 1:
            gc.disable()


def _job_ended() -> None:
    global _jobs
    with _jobs_lock:
        _jobs = max(0, _jobs - 1)
        if _jobs == 0:
            gc.enable()


class Worker:
    """Background threads for the preloading, one per job; each job's result comes back on
    the GUI thread, unless `owner` has gone meanwhile. Threads of its own, not the app's pool:
    that may have a single thread on a one-core laptop, busy for seconds with the start-up
    check of the file."""

    def __init__(self, owner: QObject) -> None:
        global _delivery
        if _delivery is None:  # made on the GUI thread, so it delivers there
            _delivery = _Delivery()
            _delivery.done.connect(_deliver)
        self._owner = owner

    def run(self, work: Callable[[], Any], then: Callable[[Any], None]) -> Job:
        delivery, owner = _delivery, self._owner
        assert delivery is not None
        running = Job()
        _job_started()  # here, on the GUI thread: no collection can start in the worker

        def job() -> None:
            try:
                result: Any = work()
            except Exception as error:  # reported by `then`, which decides
                result = error
            running.result = result
            running.done.set()
            delivery.done.emit(owner, then, result)

        threading.Thread(target=job, name="collab-preload", daemon=True).start()
        return running


class Job:
    """A worker's job: `done` is set once `result` (or the exception raised) is there."""

    def __init__(self) -> None:
        self.done = threading.Event()
        self.result: Any = None


class Preloader(QObject):
    """A child of the window: when the window goes, so do its pending steps."""

    def __init__(self, window: MainWindow, pages: list[str]) -> None:
        super().__init__(window)
        self.window = window
        self.services = window.services
        first = [name for name in ORDER if name in pages]
        self.pages = first + [name for name in pages if name not in first]
        # The pages whose rows are being read now: name -> (job, changes seen before).
        self._reading: dict[str, tuple[Job, int]] = {}
        # The pages that need the services, set aside until they are loaded (_loaded).
        self._later: list[str] = []
        self.finished = False  # the idle reading is done (the window is told once)
        self._stopped = False
        self._loading_services = False
        self.planning = False  # planning sessions in the background (_plan)
        self._changes = 0
        # Pages clicked before their turn, showing their first screen (read_soon).
        self._wanted: set[str] = set()
        self._worker = Worker(self)
        if window.events is not None:
            window.events.changes.connect(self._changed)

    def _changed(self, _changes: object) -> None:
        self._changes += 1

    def _current(self) -> bool:
        """Still the records this preloader was made for (not closed, restored meanwhile)."""
        return not self._stopped and self.window.services is self.services

    def _unloaded(self) -> bool:
        """Quick services whose real ones are not loaded yet (services/quick_open.py)."""
        return getattr(self.services, "loaded", True) is False

    def start(self) -> None:
        QTimer.singleShot(START_AFTER_MS, self, self._begin)

    def _begin(self) -> None:
        if not self._current():
            return
        if self._unloaded() and not vars(self.services).get("planning_due"):
            QTimer.singleShot(0, self, self._next)  # no SQLAlchemy (WITHOUT_SERVICES)
        else:  # sessions to plan first, which needs the services
            self._load_services()

    def services_soon(self) -> None:
        """A later page has been clicked: load the services a moment after (the window)."""
        if self._unloaded() and not self._loading_services:
            self._loading_services = True
            QTimer.singleShot(SERVICES_AFTER_MS, self, self._load_services)

    def _load_services(self) -> None:
        if self._current():
            self._loading_services = True
            self._worker.run(import_services, self._imported)

    def _imported(self, result: object) -> None:
        self._loading_services = False
        if not self._current():
            return
        if isinstance(result, Exception):
            log.warning("Preloading stopped: %s", result)
            self._finish()
            return
        load = getattr(self.services, "load", None)
        if load is not None:  # quick services: the real ones now (a few milliseconds)
            load()
        if vars(self.services).get("planning_due"):
            self._plan()
            return
        self._loaded()

    def _loaded(self) -> None:
        """The services are loaded: the pages that needed them are read ahead now."""
        self.pages += self._later
        self._later = []
        QTimer.singleShot(0, self, self._next)

    def _plan(self) -> None:
        """The sessions the first page was shown without (services/quick_open.py): planned on
        the worker, in short steps that let a save made meanwhile through (plan_due); then
        every page that shows sessions reads them again."""
        self.planning = True
        self.window.statusBar().showMessage(
            "Bringing the activities' sessions up to date (the first start after an "
            "upgrade); this week's list fills in when it is done."
        )
        activities = self.services.activities
        self._worker.run(activities.plan_due, self._planned)

    def _planned(self, result: object) -> None:
        self.planning = False
        vars(self.services)["planning_due"] = False
        if not self._current():
            return
        self.window.statusBar().clearMessage()
        if isinstance(result, Exception):
            # The reads plan what is still due themselves, as before (on the GUI thread).
            log.warning("Planning the sessions in the background stopped: %s", result)
        if self.window.events is not None:
            self.window.events.broadcast(Changes.of(SESSIONS))
        self._loaded()

    def _next(self) -> None:
        if not self._current():
            return
        # The list pages built first, one a step, before any is read: a page clicked before
        # its rows were read then finds itself built (Participants: 40 ms at ten years'
        # scale, most of a first screen's time) and only has its first screen to read.
        unbuilt = next((n for n in ORDER if n in self.pages and not self.window.is_built(n)), None)
        if unbuilt is not None:
            self.window.build_page(unbuilt)
            QTimer.singleShot(0, self, self._next)
            return
        while len(self._reading) < LANES:
            while self.pages and self.window.is_page_ready(self.pages[0]):
                self.pages.pop(0)
            if not self.pages:
                break
            name = self.pages.pop(0)
            if name not in WITHOUT_SERVICES and self._unloaded():
                self._later.append(name)
                continue
            page = self.window.build_page(name)
            reader = page.reader() if hasattr(page, "reader") else None
            if reader is None:
                if not self.window.is_page_ready(name):  # (the Returns page fills as built)
                    self.window.fill_page(name)
                QTimer.singleShot(0, self, self._next)  # a click waits for one step at most
                return
            changes = self._changes
            job = self._worker.run(
                reader, lambda rows, name=name, changes=changes: self._read(name, rows, changes)
            )
            self._reading[name] = (job, changes)
        if not self._reading and not self.pages:
            self._finish()

    def read_soon(self, name: str) -> bool:
        """`name` has been clicked before its rows were read: read it next, and fill it
        then (its first screen is shown meanwhile: MainWindow._show_first). False if that
        cannot be: the idle loading is over or planning sessions, or the page needs the
        services, not loaded yet (the page is then read now, as before)."""
        if not self._current() or self.finished or self.planning:
            return False
        self._wanted.add(name)
        if name in self._reading:
            return True
        if name not in WITHOUT_SERVICES and self._unloaded():
            self._wanted.discard(name)
            return False
        if name in self.pages:
            self.pages.remove(name)
        self.pages.insert(0, name)
        if not self._reading:
            QTimer.singleShot(0, self, self._next)
        return True

    def rows_being_read(self, name: str, wait: float = READ_WAIT) -> object | None:
        """The rows of `name` if the worker is reading them now: waited for (they are
        already partly read, so this is sooner than reading them again, and the page is not
        read twice at once, the worker and the GUI thread slowing each other down); None if
        it is not, or they are stale or failed (the page then reads them itself)."""
        reading = self._reading.get(name)
        if reading is None or not self._current():
            return None
        job, changes = reading
        if not job.done.wait(wait) or isinstance(job.result, Exception):
            return None
        return job.result if changes == self._changes else None

    def _read(self, name: str, rows: object, changes: int) -> None:
        self._reading.pop(name, None)
        if not self._current():
            return
        wanted = name in self._wanted and not self.window.is_page_ready(name)
        if isinstance(rows, Exception):
            # Shown when the page is (its own refresh meets it again and says what it is);
            # now, if it is showing its first screen.
            log.info("Preloading %s: %s", name, rows)
            if wanted:
                self.window.fill_page(name)
        elif changes == self._changes and not self.window.is_page_ready(name):
            # (Ready already: clicked meanwhile, and filled with these rows or fresher.)
            self.window.fill_page(name, rows)
        elif wanted:  # read before a change: its first screen waits for a fresh read
            self.pages.insert(0, name)
        if self.window.is_page_ready(name):
            self._wanted.discard(name)
        QTimer.singleShot(0, self, self._next)

    def _finish(self) -> None:
        if not self.finished:
            self.finished = True
            self.window.finished_preloading()

    def stop(self) -> None:
        self._stopped = self.finished = True
        self.deleteLater()
