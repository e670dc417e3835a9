"""Files only the server's own user may read: the data folder 0700 and every file in it 0600.

The data folder holds the customers' data (the database, its journals, files people sent), the key that
signs sessions and links, and the mail outbox with live password-reset links. The process umask is
narrowed at start as well, but every file the server creates is given its mode here explicitly, so the
outcome never depends on the umask of whoever started it.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import stat
from pathlib import Path

FOLDER_MODE = 0o700
FILE_MODE = 0o600


def private_folder(path: Path) -> bool:
    """Creates ``path`` (and missing parents) as 0700, or narrows it to 0700; whether it was looser."""
    path.mkdir(mode=FOLDER_MODE, parents=True, exist_ok=True)
    mode = stat.S_IMODE(path.stat().st_mode)
    if mode & ~FOLDER_MODE:
        path.chmod(FOLDER_MODE)
        return True
    return False


def private_file(path: Path) -> bool:
    """Creates an empty ``path`` as 0600 if missing, or narrows it to 0600; whether it was looser.

    For a file another library opens later (SQLite copies the database file's mode to its journals).
    """
    with contextlib.suppress(FileExistsError):
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, FILE_MODE))
        return False
    mode = stat.S_IMODE(path.stat().st_mode)
    if mode & ~FILE_MODE:
        path.chmod(FILE_MODE)
        return True
    return False


def write_private(path: Path, data: bytes, *, replace: bool = True) -> bool:
    """Writes ``path`` whole or not at all: a 0600 temporary file beside it, synced, then moved into place.

    ``replace=False`` never overwrites: when ``path`` appeared meanwhile (another worker's first
    start), that file stands and ``False`` is returned. A failed write (a full disk) leaves nothing
    behind, so a later read never finds a half-written file.
    """
    tmp = path.with_name(f".{path.name}.{secrets.token_hex(6)}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, FILE_MODE)
    try:
        try:
            view = memoryview(data)
            while view:
                view = view[os.write(fd, view) :]
            os.fsync(fd)
        finally:
            os.close(fd)
        if replace:
            os.replace(tmp, path)
            written = True
        else:
            try:
                os.link(tmp, path)  # fails if the name exists: never two different files under it
                written = True
            except FileExistsError:
                written = False
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
    _sync_folder(path.parent)
    return written


def _sync_folder(folder: Path) -> None:
    """Makes the new name durable too (a crash right after the write keeps the file)."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        with contextlib.suppress(OSError):
            os.fsync(fd)
    finally:
        os.close(fd)


def private_tree(folder: Path) -> list[Path]:
    """Narrows ``folder`` and everything under it to 0700 folders and 0600 files; what was looser.

    Symbolic links are left alone (changing one would change its target, which may not be ours).
    """
    if not folder.is_dir():
        return []
    tightened = [folder] if private_folder(folder) else []
    for root, dirs, files in os.walk(folder):
        for name in dirs + files:
            path = Path(root, name)
            info = path.lstat()
            if stat.S_ISLNK(info.st_mode):
                continue
            wanted = FOLDER_MODE if stat.S_ISDIR(info.st_mode) else FILE_MODE
            if stat.S_IMODE(info.st_mode) & ~wanted:
                path.chmod(wanted)
                tightened.append(path)
    return tightened
