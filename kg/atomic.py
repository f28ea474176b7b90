"""Write outputs so that a crash never leaves a half-written file or folder.

Each output is written under a temporary name in the same folder and moved
into place with ``os.replace``, which is atomic on POSIX file systems.  A
folder is swapped with its replacement in one step where the system can
(Linux ``renameat2(RENAME_EXCHANGE)``); elsewhere it is renamed aside first,
and a build killed between the two renames gets it back on the next run.

Temporary names carry the writer's process id (``.NAME.PID-RANDOM.tmp``), so
``sweep`` can remove what a killed process left without touching the
temporaries of a process still running.
"""
from __future__ import annotations

import ctypes
import errno
import os
import re
import secrets
import shutil
import stat
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator


@contextmanager
def atomic_file(target: Path) -> Iterator[Path]:
    """Yield a temporary path next to ``target``; on success it replaces ``target``.

    A ``target`` that is a device, FIFO or socket (``-o /dev/stdout``) is yielded
    itself, to be written in place; a symbolic link to a file keeps pointing to
    it (the file is replaced, not the link).
    """
    try:
        mode = os.stat(target).st_mode
    except OSError:
        mode = None
    if mode is not None and not stat.S_ISREG(mode) and not stat.S_ISDIR(mode):
        yield target
        return
    if mode is not None and os.path.islink(target):
        target = Path(os.path.realpath(target))
    target.parent.mkdir(parents=True, exist_ok=True)
    # not mkstemp: its files are private (0600); this one gets the usual umask permissions
    tmp = _temporary(target)
    open(tmp, "xb").close()
    try:
        yield Path(tmp)
        _fsync(tmp)  # the data is on disk before the name points to it
        os.replace(tmp, target)
        _fsync(target.parent)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


@contextmanager
def atomic_dir(target: Path) -> Iterator[Path]:
    """Yield a temporary folder next to ``target``; on success it replaces ``target``."""
    target.parent.mkdir(parents=True, exist_ok=True)
    old = target.with_name(f".{target.name}.old")
    if not target.exists() and old.exists():  # a build was killed between the two renames below
        os.replace(old, target)
    tmp = _temporary(target)
    tmp.mkdir()  # (not mkdtemp, whose folders are private)
    try:
        yield tmp
        if target.exists() and _exchange(tmp, target):
            shutil.rmtree(tmp, ignore_errors=True)  # (now the old folder)
            return
        old = None
        if target.exists():
            old = target.with_name(f".{target.name}.old")
            if old.exists():
                shutil.rmtree(old)
            os.replace(target, old)
        os.replace(tmp, target)
        if old is not None:
            shutil.rmtree(old, ignore_errors=True)
    finally:
        if tmp.exists():
            shutil.rmtree(tmp, ignore_errors=True)


def temporary_dir(folder: Path, name: str) -> Path:
    """A new folder in ``folder`` for scratch files, named so that ``sweep`` removes it once its
    process is gone (the caller removes it when done)."""
    tmp = _temporary(Path(folder) / name)
    tmp.mkdir()
    return tmp


def _temporary(target: Path) -> Path:
    return target.parent / f".{target.name}.{os.getpid()}-{secrets.token_hex(6)}.tmp"


_TEMPORARY = re.compile(r"^\..+\.(\d+)-[0-9a-z_]+\.tmp$")


def sweep(folder: Path) -> list[Path]:
    """Remove the temporaries that processes no longer running left in ``folder``; what was removed."""
    removed = []
    try:
        names = os.listdir(folder)
    except OSError:
        return removed
    for name in names:
        m = _TEMPORARY.match(name)
        if m is None or _alive(int(m[1])):
            continue
        path = Path(folder) / name
        if path.is_dir() and not path.is_symlink():
            shutil.rmtree(path, ignore_errors=True)
        else:
            try:
                path.unlink()
            except OSError:
                continue
        removed.append(path)
    return removed


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # (EPERM: it exists, under another user)
        return True
    return True


def _fsync(path: Path) -> None:
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:  # (some file systems cannot sync a folder)
        pass
    finally:
        os.close(fd)


_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


def _exchange(a: Path, b: Path) -> bool:
    """Swap two paths in one atomic step (Linux ``renameat2``); False where that is not available."""
    renameat2 = _renameat2()
    if renameat2 is None:
        return False
    if renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE) == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.EINVAL, errno.ENOSYS, errno.EOPNOTSUPP, errno.EXDEV, errno.EPERM):
        return False  # not supported here: the caller renames in two steps
    raise OSError(code, os.strerror(code), str(b))


def _renameat2():
    global _RENAMEAT2
    if _RENAMEAT2 is False:
        try:
            func = ctypes.CDLL(None, use_errno=True).renameat2
            func.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
            func.restype = ctypes.c_int
            _RENAMEAT2 = func
        except (AttributeError, OSError):
            _RENAMEAT2 = None
    return _RENAMEAT2


_RENAMEAT2 = False
