"""The records file and how to open it: one object, so that the path, the encryption key and
every connection setting are decided once, and every reader (SQLAlchemy's engine, the quick
first page, the file checks, backups) gets its connections from the same place.

A plain file is opened with Python's sqlite3; an encrypted one with `sqlcipher3` (SQLite with
SQLCipher built in). The key is a random 32-byte data key (services/records_key.py unwraps it
from the passphrase or the recovery code) given to SQLCipher as a raw key, so SQLCipher's own
slow key derivation is skipped: the slow step is done once, on unlock, not on every
connection.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Any, Literal

from collab_desktop.errors import ServiceError

__all__ = [
    "ENCRYPTED_CACHE_KIB",
    "ENCRYPTED_CHECK_CACHE_KIB",
    "KEY_BYTES",
    "NEW_FILE_HMAC",
    "Mode",
    "NotEncrypted",
    "RecordsFile",
    "RecordsFileError",
    "WrongKey",
    "database_errors",
    "is_plain_sqlite",
    "open_errors",
    "read_connection",
    "records_of",
    "sqlcipher",
    "sqlite_errors",
]

KEY_BYTES = 32
SQLITE_HEADER = b"SQLite format 3\x00"


def sqlcipher() -> ModuleType:
    """sqlcipher3, imported when first needed: plain records never load it (about 5 MiB and
    20 ms at each start, issue 17)."""
    import sqlcipher3

    return sqlcipher3


def sqlite_errors(kind: str = "Error") -> tuple[type[Exception], ...]:
    """SQLite's exception class `kind` ("Error", "DatabaseError", "OperationalError"…) from
    sqlite3, and from sqlcipher3 if it is loaded: an encrypted file's connections raise
    sqlcipher3's own classes, which are not subclasses of sqlite3's, and they can only be
    raised once sqlcipher3 is loaded. Called where the error is caught (`except
    sqlite_errors():` is evaluated only when an exception gets there)."""
    loaded = sys.modules.get("sqlcipher3")
    if loaded is None:
        return (getattr(sqlite3, kind),)
    return (getattr(sqlite3, kind), getattr(loaded, kind))


def database_errors() -> tuple[type[Exception], ...]:
    """What callers catch where they caught sqlite3.Error (see sqlite_errors)."""
    return sqlite_errors("Error")


# "ro": read only, never creates; "rw": read and write, never creates (and can roll back a
# hot journal left by a crash, which "ro" refuses to do); "rwc": creates the file if missing.
Mode = Literal["ro", "rw", "rwc"]

# Why these settings (as models/database.py has set them since the first release):
# - foreign_keys: SQLite leaves them off by default; our integrity rules rely on them.
# - journal_mode=DELETE with synchronous=FULL: the database stays one self-contained file that
#   can be copied at any moment the app is closed, and a commit survives a power cut.
# - busy_timeout: a brief lock (a backup, a second window) waits instead of failing at once.
# - temp_store=MEMORY (new with encryption): sorts and temporary tables stay in memory, never
#   in a temporary file that SQLite would write in plain text.
_EVERY_CONNECTION = (
    "PRAGMA foreign_keys = ON",
    "PRAGMA busy_timeout = 5000",
    "PRAGMA temp_store = MEMORY",
)
# An encrypted page is decrypted and its MAC checked each time SQLite reads it from the file,
# so the pages SQLite keeps in its own cache (per connection) are what make a second read
# cheap; a plain file has the operating system's cache instead. On a 61 MB file, 300 index
# lookups and one table scan on a warm connection took 4.4 times as long encrypted as plain
# with SQLite's default 2 MiB cache, and 0.8 times with 64 MiB (December 2026, 2 cores).
# The cache fills only as pages are read. To be confirmed on the benchmark's records.
ENCRYPTED_CACHE_KIB = 65536
# The full check of a whole encrypted file (a backup's copy before it counts as good, the
# check at start) reads index pages again and again, each time decrypting them once they have
# left the cache: on the 426 MB benchmark records it took 6.5 s with the 64 MiB cache and
# 4.5 s with 128 MiB (3.5 s plain); 256 MiB gained nothing more, the whole file (450 MiB of
# memory) 1.5 s more. Only for the check's own connection, closed after it. A larger file
# needs more: at four times those records (1.7 GB) the check took 34.8 s with 128 MiB and
# 29.6 s with 256 MiB (24.5 s plain), so the cache grows with the file, a sixth of it, up to
# 256 MiB (issue 17: the encrypted backup's cost over the plain one must not grow).
ENCRYPTED_CHECK_CACHE_KIB = 131072
ENCRYPTED_CHECK_CACHE_MOST_KIB = 262144

# The HMAC that authenticates each page. New encrypted files use HMAC-SHA256: with the
# SHA extensions of today's processors it costs half of SQLCipher 4's default HMAC-SHA512
# (SQLite's quick check of the 426 MB benchmark records: 1.5 s against 2.5 s, 0.65 s plain),
# and it is as sound a MAC for this use (SQLCipher 3 used HMAC-SHA1). SQLCipher keeps the
# setting nowhere in the file, so a connection tries the new one first and then the old
# default: a file made before keeps its format, untouched (a wrong try reads page 1 only,
# fails its check and writes nothing).
NEW_FILE_HMAC = "HMAC_SHA256"
_HMACS = (NEW_FILE_HMAC, "HMAC_SHA512")

# Changing the journal mode is a write: only for connections that may write.
_WRITING_CONNECTION = (
    "PRAGMA journal_mode = DELETE",
    "PRAGMA synchronous = FULL",
)


def records_of(where: RecordsFile | Path) -> RecordsFile:
    """A RecordsFile as given, or a plain one for a bare path (tests, tools, and callers from
    before encryption that only ever saw plain files)."""
    return where if isinstance(where, RecordsFile) else RecordsFile(Path(where))


def read_connection(where: RecordsFile | Path | Callable[[], Any]) -> Any:
    """A connection to read on: a new read-only one of the records file (or bare path), or
    the one a call gives (QuickServices.shared_read: the first page's one connection, so
    that an encrypted file's pages its reads share are decrypted once). Closing it ends the
    read either way."""
    return where() if callable(where) else records_of(where).connect("ro")


class RecordsFileError(ServiceError):
    """The records file cannot be opened as asked; the message says why in plain words."""


class WrongKey(RecordsFileError):
    """The key does not open this encrypted file (or the file is damaged: SQLCipher cannot
    tell the two apart, as every page is checked with the key)."""


def open_errors() -> tuple[type[Exception], ...]:
    """Every error opening or reading the records can raise: SQLite's (either module) and
    ours."""
    return (*database_errors(), RecordsFileError)


class NotEncrypted(RecordsFileError):
    """A key was given for a file that is a plain (unencrypted) SQLite database."""


def is_plain_sqlite(path: Path) -> bool:
    """True if the file starts with SQLite's plain-text header (an unencrypted database)."""
    try:
        with Path(path).open("rb") as handle:
            return handle.read(16) == SQLITE_HEADER
    except OSError:
        return False


def _quiet_sqlcipher(connection: Any) -> None:
    # SQLCipher logs three lines to stderr for every page that fails its check (a wrong key);
    # the user gets our message instead. The level is process-wide; set it on each
    # connection all the same, before the key, so no connection can be the first to log.
    connection.execute("PRAGMA cipher_log_level = NONE")


@dataclass(frozen=True)
class RecordsFile:
    """The records file at `path`, encrypted with `key` (32 bytes) or plain (key None)."""

    path: Path
    key: bytes | None = None

    def __post_init__(self) -> None:
        if self.key is not None and len(self.key) != KEY_BYTES:
            raise ValueError(f"the records key must be {KEY_BYTES} bytes")

    def __repr__(self) -> str:
        # Never print the key: a repr ends up in logs and tracebacks.
        state = "encrypted" if self.key is not None else "plain"
        return f"RecordsFile({str(self.path)!r}, {state})"

    @property
    def encrypted(self) -> bool:
        return self.key is not None

    @property
    def errors(self) -> tuple[type[Exception], ...]:
        return database_errors()

    @property
    def check_cache_kib(self) -> int | None:
        """The page cache for a full check of this file (None: the usual one)."""
        if self.key is None:
            return None
        try:
            sixth = self.path.stat().st_size // 6 // 1024
        except OSError:
            sixth = 0
        return min(ENCRYPTED_CHECK_CACHE_MOST_KIB, max(ENCRYPTED_CHECK_CACHE_KIB, sixth))

    def with_path(self, path: Path) -> RecordsFile:
        """The same key and settings for another file (a backup, a staging copy)."""
        return RecordsFile(Path(path), self.key)

    # -- connections ------------------------------------------------------------------

    def _uri(self, mode: Mode) -> str:
        # A URI built by as_uri(), percent-encoded: a "#" or "?" in a folder name would
        # otherwise end the path, and SQLite would open (and create) a different file.
        return f"{self.path.resolve().as_uri()}?mode={mode}"

    # check_same_thread=False, as SQLAlchemy's own SQLite dialect sets for a file: its pool
    # hands a connection to one thread at a time, and a connection opened on one thread
    # may be closed by the pool on another (at dispose), or interrupted from the GUI thread.
    def connect(self, mode: Mode = "rw", _hmacs: tuple[str, ...] = _HMACS) -> Any:
        """A DB-API connection with every setting applied: sqlite3.Connection for a plain
        file, sqlcipher3's for an encrypted one (keyed, and checked with a first read).

        Raises WrongKey or NotEncrypted (ours) for a key that does not fit, RecordsFileError
        for a file that cannot be opened at all; SQLite's own errors after that."""
        if self.key is None:
            try:
                connection = sqlite3.connect(self._uri(mode), uri=True, check_same_thread=False)
            except sqlite3.Error as error:
                raise RecordsFileError(
                    f"The records file {self.path.name} could not be opened ({error})."
                ) from error
        else:
            connection = self._connect_encrypted(mode, _hmacs)
        try:
            cursor = connection.cursor()
            for pragma in _EVERY_CONNECTION + (_WRITING_CONNECTION if mode != "ro" else ()):
                cursor.execute(pragma)
            cursor.close()
        except BaseException:
            connection.close()
            raise
        return connection

    def _connect_encrypted(self, mode: Mode, hmacs: tuple[str, ...] = _HMACS) -> Any:
        """Keyed with each HMAC setting in turn (see NEW_FILE_HMAC) until one reads the
        file; WrongKey if none does."""
        for hmac in hmacs[:-1]:
            with contextlib.suppress(WrongKey):
                return self._connect_with(mode, hmac)
        return self._connect_with(mode, hmacs[-1])

    def _connect_with(self, mode: Mode, hmac: str) -> Any:
        assert self.key is not None
        sqlcipher3 = sqlcipher()
        try:
            connection = sqlcipher3.connect(self._uri(mode), uri=True, check_same_thread=False)
        except sqlcipher3.Error as error:
            raise RecordsFileError(
                f"The records file {self.path.name} could not be opened ({error})."
            ) from error
        try:
            _quiet_sqlcipher(connection)
            # The key must come before anything else reads the file. A raw key (x'...'):
            # 64 hex digits, used as it is, with no derivation by SQLCipher.
            connection.execute(f"PRAGMA key = \"x'{self.key.hex()}'\"")
            # SQLCipher 4's settings, pinned: a file made today still opens when a later
            # SQLCipher changes its defaults.
            connection.execute("PRAGMA cipher_compatibility = 4")
            connection.execute(f"PRAGMA cipher_hmac_algorithm = {hmac}")
            # The first read is where a wrong key shows ("file is not a database").
            connection.execute("SELECT count(*) FROM sqlite_master").fetchone()
            connection.execute(f"PRAGMA cache_size = -{ENCRYPTED_CACHE_KIB}")
        except sqlcipher3.DatabaseError as error:
            connection.close()
            if is_plain_sqlite(self.path):
                raise NotEncrypted(
                    f"The records file {self.path.name} is not encrypted, so no passphrase "
                    "is needed to open it."
                ) from error
            raise WrongKey(
                f"The key does not open {self.path.name}: the file was encrypted with "
                "another passphrase or key, or it is damaged. Nothing has been changed."
            ) from error
        except BaseException:
            connection.close()
            raise
        return connection

    @contextlib.contextmanager
    def connection(self, mode: Mode = "rw"):
        """`with records.connection("ro") as c:` closes the connection however the block
        ends (sqlite3's own `with` only commits or rolls back; it does not close)."""
        connection = self.connect(mode)
        try:
            yield connection
        finally:
            connection.close()

    # -- SQLAlchemy ---------------------------------------------------------------------

    def make_engine(self) -> Any:
        """A SQLAlchemy 2 engine whose every connection comes from connect("rwc")
        (models/database.make_engine; imported here, not at the top, so that the quick first
        page, services/quick_open.py, can use this module without loading SQLAlchemy)."""
        from collab_desktop.models.database import make_engine

        return make_engine(self)

    def has_database_header(self) -> bool:
        """Whether the file's first bytes are what these records' files start with: SQLite's
        plain header for a plain file; for an encrypted one, anything else (SQLCipher's
        first 16 bytes are a random salt), and whether the key fits shows on connecting."""
        try:
            with self.path.open("rb") as handle:
                head = handle.read(16)
        except OSError:
            return False
        if self.key is None:
            return head == SQLITE_HEADER
        return len(head) == 16 and head != SQLITE_HEADER

    # -- copies -------------------------------------------------------------------------

    def backup_to(
        self, target: Path, progress: Callable[[int, int], None] | None = None
    ) -> RecordsFile:
        """Copy the whole database to `target` (which must not exist) with SQLite's online
        backup API, keeping the encryption: the copy has the same key (SQLCipher's backup
        copies between files with one key only). Flushed to disk before returning. Returns
        the copy as a RecordsFile. `progress(done_pages, total_pages)` for long copies."""
        target = Path(target)
        if target.exists():
            raise RecordsFileError(f"{target.name} already exists; nothing was copied.")
        copy = self.with_path(target)
        try:
            with self.connection("ro") as source:
                # SQLCipher copies pages between files of one key and one page format: the
                # copy is made with the HMAC the source was made with.
                hmacs = _HMACS
                if self.key is not None:
                    hmacs = (str(source.execute("PRAGMA cipher_hmac_algorithm").fetchone()[0]),)
                destination = copy.connect("rwc", hmacs)
                try:
                    source.backup(
                        destination,
                        pages=4096 if progress else -1,
                        progress=(lambda _s, left, total: progress(total - left, total))
                        if progress
                        else None,
                    )
                finally:
                    destination.close()
        except BaseException:
            target.unlink(missing_ok=True)
            raise
        _fsync(target)
        return copy

    def export_encrypted(
        self, target: Path, key: bytes, progress: Callable[[int], None] | None = None
    ) -> RecordsFile:
        """Write a copy of these records encrypted with `key` to `target` (which must not
        exist), with SQLCipher's sqlcipher_export() into a new attached database, then flush
        it to disk. From a plain file: the conversion to encryption. From an encrypted one:
        a copy under another key (a backup from another laptop restored here keeps this
        laptop's passphrase and Recovery sheet). Never to a plain file: that would leave the
        records readable on disk. The caller verifies the copy and swaps it in (see the
        wiring plan in the notes). `progress(bytes_written)` is called now and then."""
        target = Path(target)
        if target.exists():
            raise RecordsFileError(f"{target.name} already exists; nothing was written.")
        encrypted = RecordsFile(target, key)  # checks the key's length
        if self.encrypted:
            source = self._connect_encrypted("ro")
        else:
            # sqlcipher3 without a key reads a plain file as plain SQLite.
            source = sqlcipher().connect(self._uri("ro"), uri=True)
        try:
            _quiet_sqlcipher(source)
            source.execute("PRAGMA temp_store = MEMORY")
            # sqlcipher_export copies schema and rows but not the header's user_version.
            user_version = source.execute("PRAGMA user_version").fetchone()[0]
            source.execute("ATTACH DATABASE ? AS encrypted KEY ?", (str(target), f"x'{key.hex()}'"))
            source.execute("PRAGMA encrypted.cipher_compatibility = 4")
            source.execute(f"PRAGMA encrypted.cipher_hmac_algorithm = {NEW_FILE_HMAC}")
            if progress is not None:
                # One statement does the whole copy; SQLite's progress handler runs every so
                # many steps of it, and the size of the new file tells how far it has got.
                # A small cache for the new file makes SQLite write its pages as it goes
                # (with a large one the file would stay empty until the very end).
                source.execute("PRAGMA encrypted.cache_size = 256")
                source.set_progress_handler(lambda: _report_size(target, progress), 20_000)
            source.execute("SELECT sqlcipher_export('encrypted')")
            source.set_progress_handler(None, 0)
            source.execute(f"PRAGMA encrypted.user_version = {int(user_version)}")
            source.execute("DETACH DATABASE encrypted")
        except BaseException:
            source.close()
            target.unlink(missing_ok=True)
            raise
        source.close()
        _fsync(target)
        return encrypted


def _report_size(path: Path, progress: Callable[[int], None]) -> int:
    with contextlib.suppress(OSError):
        progress(path.stat().st_size)
    return 0  # anything else would abort the statement


def _fsync(path: Path) -> None:
    with open(path, "rb+") as handle:
        os.fsync(handle.fileno())
