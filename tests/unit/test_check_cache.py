"""The page cache of a full check of encrypted records grows with the file (issue 17): the
check reads index pages again and again, each decrypted again once out of the cache, so a
fixed cache made the check of a large file cost ever more over the plain one."""

from __future__ import annotations

import os

from collab_desktop.models.records_file import (
    ENCRYPTED_CHECK_CACHE_KIB,
    ENCRYPTED_CHECK_CACHE_MOST_KIB,
    RecordsFile,
)

MIB = 2**20


def _file_of(tmp_path, size: int):
    path = tmp_path / f"records-{size}.sqlite3"
    with open(path, "wb") as handle:
        handle.truncate(size)  # sparse: no disk used
    return path


def test_the_check_cache_is_a_sixth_of_a_large_file_within_its_bounds(tmp_path):
    key = os.urandom(32)
    assert RecordsFile(_file_of(tmp_path, 400 * MIB), key).check_cache_kib == (
        ENCRYPTED_CHECK_CACHE_KIB
    )
    assert RecordsFile(_file_of(tmp_path, 1200 * MIB), key).check_cache_kib == 200 * 1024
    assert RecordsFile(_file_of(tmp_path, 4000 * MIB), key).check_cache_kib == (
        ENCRYPTED_CHECK_CACHE_MOST_KIB
    )
    assert RecordsFile(tmp_path / "gone.sqlite3", key).check_cache_kib == (
        ENCRYPTED_CHECK_CACHE_KIB
    )
    assert RecordsFile(_file_of(tmp_path, 1200 * MIB)).check_cache_kib is None  # plain
