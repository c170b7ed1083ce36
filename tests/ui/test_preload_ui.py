"""While the app is idle after start, the main window loads the later pages (ui/preload.py):
they show then exactly what they would have shown when built on demand, and rows read before
a change are never shown."""

from __future__ import annotations

from collab_desktop.services.changes import PARTNERS, Changes
from collab_desktop.ui.list_page import ListPage
from collab_desktop.ui.main_window import PAGES, MainWindow
from collab_desktop.ui.pages import LATER_PAGES
from tests.builders import reference_case


def test_idle_loading_fills_every_page_as_refresh_would(qtbot, services, tmp_path):
    reference_case(services)
    window = MainWindow(tmp_path)
    qtbot.addWidget(window)
    window.show()
    window.attach(services)
    assert not window.preloaded
    qtbot.waitUntil(lambda: window.preloaded, timeout=30_000)
    for name, _module, _class in LATER_PAGES:
        assert window.is_page_ready(name), name
        page = window._built[name]
        if isinstance(page, ListPage) and page.reader() is not None:
            assert page.model._rows == list(page.reader()()), name
    assert window.partners_page.model.rowCount() == 3
    # Still the home page in front: loading never changes what is showing.
    assert window.stack.currentIndex() == 1
    window.nav.setCurrentRow(PAGES.index("Partners"))
    assert window.stack.currentWidget() is window.partners_page


def test_rows_read_before_a_change_are_thrown_away(qtbot, services, tmp_path):
    reference_case(services)
    window = MainWindow(tmp_path)
    qtbot.addWidget(window)
    window.show()
    window.attach(services)
    preloader = window._preloader
    preloader._stopped = True  # no idle steps of its own in this test
    window.build_page("partners_page")
    read_before = preloader._changes
    window.events.broadcast(Changes.of(PARTNERS))  # e.g. a partner added meanwhile
    preloader._stopped = False
    preloader._read("partners_page", [], read_before)  # stale (and empty) rows arrive
    preloader._stopped = True
    # The change refreshed the page; the stale rows did not replace what it read.
    assert window.partners_page.model.rowCount() == 3


def test_loading_stops_with_the_records(qtbot, services, tmp_path):
    window = MainWindow(tmp_path)
    qtbot.addWidget(window)
    window.show()
    window.attach(services)
    window.close_records()
    qtbot.wait(400)  # past the moment the loading would have started
    assert window._built == {}


def test_records_attached_again_load_again(qtbot, services, tmp_path):
    # As a restore does: the records closed, the event loop run, the records attached again.
    reference_case(services)
    window = MainWindow(tmp_path)
    qtbot.addWidget(window)
    window.show()
    window.attach(services)
    window.close_records()
    qtbot.wait(50)  # the stopped loader is deleted meanwhile
    window.attach(services)
    qtbot.waitUntil(lambda: window.preloaded, timeout=30_000)
    assert window.partners_page.model.rowCount() == 3


def test_a_page_clicked_while_its_rows_are_read_gets_those_rows_not_a_second_read(
    qtbot, services, tmp_path, monkeypatch
):
    import threading

    reference_case(services)
    window = MainWindow(tmp_path)
    qtbot.addWidget(window)
    window.show()
    window.attach(services)
    preloader = window._preloader
    preloader.finished = True  # no idle steps of its own: this test plays the worker's part
    page = window.build_page("partners_page")
    rows = list(page.reader()())
    reads: list[str] = []
    release = threading.Event()

    def worker_read():
        release.wait(10)
        reads.append("worker")
        return rows

    monkeypatch.setattr(page, "reader", lambda: reads.append("page") or (lambda: rows))
    preloader._stopped = False
    changes = preloader._changes
    job = preloader._worker.run(worker_read, lambda r: preloader._read("partners_page", r, changes))
    preloader._reading["partners_page"] = (job, changes)
    threading.Timer(0.05, release.set).start()
    window.nav.setCurrentRow(PAGES.index("Partners"))  # the click, mid-read
    assert window.is_page_ready("partners_page")
    assert reads == ["worker"], "the page was read again on the GUI thread"
    assert page.model.rowCount() == 3
    preloader._stopped = True


def test_no_garbage_collection_starts_in_a_worker_while_it_reads(qtbot, tmp_path):
    # A collection run in the worker may free Qt objects off the GUI thread (a crash): it is
    # held off while a job runs and let loose on the GUI thread when the result arrives.
    import gc
    import threading

    from PySide6.QtCore import QObject

    from collab_desktop.ui.preload import Worker

    owner = QObject()
    seen: list[bool] = []
    delivered: list[bool] = []
    go = threading.Event()

    def job() -> str:
        go.wait(10)
        seen.append(gc.isenabled())
        return "rows"

    Worker(owner).run(job, lambda rows: delivered.append(gc.isenabled()))
    assert not gc.isenabled()
    go.set()
    qtbot.waitUntil(lambda: bool(delivered), timeout=10_000)
    assert seen == [False]
    assert delivered == [True] and gc.isenabled()
