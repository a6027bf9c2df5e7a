"""Which index generations a reader still uses, across processes: each engine holds a shared
advisory lock on the generation it reads (`reader-g<N>.lock` in the index directory); a rebuild
drops an old generation only when it can take that lock exclusively. The OS drops a dead
process's locks, so a crashed reader never pins a generation."""
from __future__ import annotations

import fcntl
import os
from pathlib import Path
from typing import Callable


def _path(directory: Path, gen: int) -> Path:
    return Path(directory) / f"reader-g{gen}.lock"


def hold(directory: Path, gen: int) -> int:
    """A shared lock on `gen`, kept until `release`: returns its file descriptor."""
    Path(directory).mkdir(parents=True, exist_ok=True)
    fd = os.open(_path(directory, gen), os.O_RDWR | os.O_CREAT, 0o644)
    fcntl.flock(fd, fcntl.LOCK_SH)
    return fd


def release(fd: int | None) -> None:
    if fd is not None:
        os.close(fd)  # closing drops the lock


def hold_current(directory: Path, current: Callable[[], int]) -> tuple[int, int]:
    """(generation, fd): a hold on the current generation, taken before opening it and checked
    after, so that a generation switched away from (and maybe dropped) meanwhile is never opened."""
    gen = current()
    while True:
        fd = hold(directory, gen)
        now = current()
        if now == gen:
            return gen, fd
        release(fd)
        gen = now


def drop_unheld(directory: Path, gen: int, drop: Callable[[int], None]) -> bool:
    """Run `drop(gen)` if no reader holds `gen`; False (nothing done) if one does."""
    path = _path(directory, gen)
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return False
        drop(gen)
        path.unlink(missing_ok=True)
        return True
    finally:
        os.close(fd)
