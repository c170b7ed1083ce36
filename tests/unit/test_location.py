from pathlib import Path

from collab_desktop.services.location import WHY_NETWORK, location_warnings

MOUNTS = """\
/dev/sda1 / ext4 rw 0 0
server:/export /mnt/office nfs4 rw 0 0
//nas/share /media/nas\\040drive cifs rw 0 0
"""


def test_local_disk_is_fine(tmp_path):
    mounts = tmp_path / "mounts"
    mounts.write_text(MOUNTS)
    assert location_warnings(Path("/home/ann/data/db.sqlite3"), mounts) == []


def test_network_shares_are_warned_about(tmp_path):
    mounts = tmp_path / "mounts"
    mounts.write_text(MOUNTS)
    assert location_warnings(Path("/mnt/office/collab/db.sqlite3"), mounts) == [WHY_NETWORK]
    assert location_warnings(Path("/media/nas drive/collab/db.sqlite3"), mounts) == [WHY_NETWORK]
    assert location_warnings(Path("\\\\server\\share\\db.sqlite3"), mounts)[:1] == [WHY_NETWORK]


def test_cloud_synchronised_folders_are_warned_about_with_the_reason(tmp_path):
    mounts = tmp_path / "mounts"
    mounts.write_text(MOUNTS)
    for folder in ("OneDrive - Charity", "Dropbox", "Google Drive", "iCloud Drive"):
        [warning] = location_warnings(Path(f"/home/ann/{folder}/collab/db.sqlite3"), mounts)
        assert folder in warning and "older copy" in warning
    # A word that merely contains a cloud name is not a cloud folder.
    assert location_warnings(Path("/home/ann/boxing-club/db.sqlite3"), mounts) == []
