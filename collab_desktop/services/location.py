"""Warnings about where the database file lives.

SQLite's locking (and so our one-writer guarantee and crash safety) relies on the local file
system. On a network share locks may be ignored; in a folder a cloud client synchronises,
the client can copy the file mid-write, or bring back an older copy over a newer one.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

# Folder names the common sync clients create in a user's home folder.
CLOUD_FOLDERS = ("onedrive", "dropbox", "google drive", "googledrive", "my drive", "icloud",
                 "icloud drive", "mobile documents", "box", "box sync", "pcloud", "mega",
                 "nextcloud", "owncloud", "sync", "syncthing", "cloudstorage")  # fmt: skip
NETWORK_FILESYSTEMS = {"nfs", "nfs4", "cifs", "smb", "smb2", "smb3", "smbfs", "afs", "9p",
                       "fuse.sshfs", "sshfs", "davfs", "fuse.davfs2", "ncpfs", "glusterfs",
                       "ceph", "fuse.rclone", "webdav"}  # fmt: skip

WHY_NETWORK = (
    "It is on a network drive. Network drives may not honour the locks that stop two copies "
    "of the app writing at once, and a dropped connection mid-save can damage the file. Keep "
    "the data folder on this computer's own disk and copy backups to the network instead."
)
WHY_CLOUD = (
    "It is in a folder that a cloud service ({name}) keeps in step with other computers. "
    "The service can copy the file half-saved, or put back an older copy over your latest "
    "work. Keep the data folder outside it; putting the backup folder there is fine."
)


def _mount_type(path: Path, mounts_file: Path) -> str | None:
    """The file-system type of the mount that holds `path` (Linux /proc/mounts format)."""
    try:
        lines = mounts_file.read_text().splitlines()
    except OSError:
        return None
    best, kind = "", None
    target = str(path)
    for line in lines:
        parts = line.split()
        if len(parts) < 3:
            continue
        mount_point = parts[1].replace("\\040", " ")
        inside = target == mount_point or target.startswith(mount_point.rstrip("/") + "/")
        if inside and len(mount_point) >= len(best):
            best, kind = mount_point, parts[2]
    return kind


def _windows_network(path: Path) -> bool:
    text = str(path)
    if text.startswith("\\\\"):
        return True  # \\server\share
    if sys.platform != "win32":
        return False
    import ctypes

    drive = os.path.splitdrive(text)[0] + "\\"
    return ctypes.windll.kernel32.GetDriveTypeW(drive) == 4  # DRIVE_REMOTE


def location_warnings(database: Path, mounts_file: Path = Path("/proc/mounts")) -> list[str]:
    # A UNC path (\\server\share) is recognised before resolve(), which on POSIX would
    # take it for a relative name.
    unc = _windows_network(database)
    folder = database.resolve().parent
    warnings = []
    if (
        unc
        or _windows_network(folder)
        or (_mount_type(folder, mounts_file) or "") in NETWORK_FILESYSTEMS
    ):
        warnings.append(WHY_NETWORK)
    for part in folder.parts:
        name = part.casefold()
        if any(
            name == c or name.startswith(c + " ") or name.startswith(c + "-") for c in CLOUD_FOLDERS
        ):
            warnings.append(WHY_CLOUD.format(name=part))
            break
    return warnings
