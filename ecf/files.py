"""Every file ecf writes goes through here: private, never through a link, never half-written, never left behind.

A file is written to a temporary file created in the target's own folder with O_CREAT|O_EXCL|O_NOFOLLOW and mode
0600 (0640 with `ecf --share-group`), then renamed over the target: a link planted where the target goes is replaced,
never followed, and the target's old content stays whole until the new one is complete. Temporary files are removed
on any exit the process sees (an exception, Ctrl-C, kill -TERM: see `remove_on_terminate`); kill -9 leaves one behind,
private to its owner, whose name starts with '.' and ends with '.ecf-tmp'.
"""

from __future__ import annotations

import atexit
import os
import signal
import stat
import threading
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import IO, Any

APP_NAME = "ecf-tracker"
TEMP_SUFFIX = ".ecf-tmp"
_live: set[Path] = set()
_lock = threading.Lock()
_settings = {"share_group": False}


class FileWriteError(OSError):
    """The file cannot be written where asked; the message says where and why, in one line."""


def set_share_group(share: bool) -> None:
    """`ecf --share-group`: files readable by the owner's group too (0640), never by others."""
    _settings["share_group"] = share


def file_mode() -> int:
    return 0o640 if _settings["share_group"] else 0o600


def data_folder() -> Path:
    """The user's ecf data folder, created and kept private to its owner (0700)."""
    from platformdirs import user_data_dir

    return private_folder(Path(user_data_dir(APP_NAME, appauthor=False)))


def private_folder(folder: Path) -> Path:
    """Create the folder 0700, or tighten it to 0700 if it is ours and more open."""
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    info = folder.lstat()
    if stat.S_ISLNK(info.st_mode):
        raise FileWriteError(f"{folder} is a link; ecf keeps its data only in a real folder")
    if info.st_uid == os.getuid() and stat.S_IMODE(info.st_mode) & 0o077:
        folder.chmod(0o700)
    return folder


def new_temporary(target: Path) -> Path:
    """An empty private file beside `target`, created exclusively (never an existing file or link)."""
    folder = target.parent if str(target.parent) else Path(".")
    flags = os.O_CREAT | os.O_EXCL | os.O_WRONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0)
    for _ in range(20):
        temporary = folder / f".{target.name[:80]}.{os.urandom(6).hex()}{TEMP_SUFFIX}"
        try:
            handle = os.open(temporary, flags, 0o600)
        except FileExistsError:
            continue
        os.close(handle)
        with _lock:
            _live.add(temporary)
        return temporary
    raise FileWriteError(f"cannot create a temporary file in {folder}")


def discard(temporary: Path) -> None:
    with _lock:
        _live.discard(temporary)
    with suppress(FileNotFoundError):
        temporary.unlink()


def publish(temporary: Path, target: Path, overwrite: bool = True) -> Path:
    """Give the finished temporary file its mode and put it in place. `overwrite=False` refuses an existing target
    (even a link) instead of replacing it."""
    handle = os.open(temporary, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
    try:
        os.fchmod(handle, file_mode())
        os.fsync(handle)
    finally:
        os.close(handle)
    if overwrite:
        os.replace(temporary, target)  # a link at target is replaced, not followed
    else:
        os.link(temporary, target)  # fails if anything, even a dangling link, is there
        temporary.unlink()
    with _lock:
        _live.discard(temporary)
    return target


@contextmanager
def writing(target: Path, overwrite: bool = True) -> Iterator[Path]:
    """A private temporary path to write in full (for libraries that write by file name); published as `target` when
    the block ends, removed if it raises (Ctrl-C included)."""
    temporary = new_temporary(target)
    try:
        yield temporary
        publish(temporary, target, overwrite)
    except BaseException:
        discard(temporary)
        raise


@contextmanager
def open_private(target: Path, mode: str = "wb", overwrite: bool = True, **options: Any) -> Iterator[IO[Any]]:
    """`open(target, mode)` for writing, private and published only when complete."""
    with writing(target, overwrite) as temporary:
        flags = os.O_WRONLY | os.O_TRUNC | getattr(os, "O_NOFOLLOW", 0)
        with os.fdopen(os.open(temporary, flags), mode, **options) as handle:
            yield handle


def write_bytes(target: Path, data: bytes, overwrite: bool = True) -> Path:
    with open_private(target, "wb", overwrite) as handle:
        handle.write(data)
    return target


@contextmanager
def scratch_folder() -> Iterator[Path]:
    """A fresh private folder for a library's own temporary files (XlsxWriter's rows), in the data folder; removed
    with everything in it when the block ends, or on any exit the process sees."""
    import tempfile

    folder = Path(tempfile.mkdtemp(prefix="scratch-", dir=private_folder(data_folder() / "tmp")))
    with _lock:
        _live.add(folder)
    try:
        yield folder
    finally:
        _remove(folder)
        with _lock:
            _live.discard(folder)


def _remove(path: Path) -> None:
    import shutil

    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path, ignore_errors=True)
    else:
        with suppress(OSError):
            path.unlink()


def remove_leftovers() -> None:
    """Remove the temporary files and scratch folders still in use (at exit, or on kill -TERM before exiting)."""
    with _lock:
        leftovers = list(_live)
        _live.clear()
    for temporary in leftovers:
        _remove(temporary)


atexit.register(remove_leftovers)


def remove_on_terminate() -> None:
    """kill -TERM (and a closed terminal's SIGHUP) end the process as Ctrl-C does: with-blocks and finally clauses
    run, so transactions roll back and temporary files go. Only from the main thread, where signals are handled."""
    if threading.current_thread() is not threading.main_thread():
        return

    def terminate(signum: int, _frame: object) -> None:
        remove_leftovers()
        raise SystemExit(128 + signum)

    for name in ("SIGTERM", "SIGHUP"):
        number = getattr(signal, name, None)
        if number is not None and signal.getsignal(number) in (signal.SIG_DFL, None):
            signal.signal(number, terminate)
