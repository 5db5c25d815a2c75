"""Opening files in a shared folder as what they must be (issue 11).

A batch folder is shared: every annotator can write into results/ and audits/. A colleague
(careless or not) can plant a symlink, a FIFO or a folder where labeldesk expects its own
file. Everything labeldesk writes there is opened through this module:

- never through a symlink (O_NOFOLLOW), never inherited by child processes (O_CLOEXEC);
- checked to be a regular file (fstat S_ISREG) before a byte is read or written;
- created with an explicit mode (0600 files, 0700 folders) whatever the umask.

Refusals are UnsafeFileError with a message that names the path and what was found there;
the target of a symlink is never opened, let alone written.
"""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path

from tui.core.i18n import N_, _

FILE_MODE = 0o600
DIR_MODE = 0o700
_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
_CLOEXEC = getattr(os, "O_CLOEXEC", 0)
_NONBLOCK = getattr(os, "O_NONBLOCK", 0)


class UnsafeFileError(OSError):
    """Something other than a regular file (or folder) of ours is where one belongs."""

    def __str__(self) -> str:
        return str(self.strerror)


def _kind(mode: int) -> str:
    if stat.S_ISLNK(mode):
        return _("a symbolic link")
    if stat.S_ISDIR(mode):
        return _("a folder")
    if stat.S_ISFIFO(mode):
        return _("a named pipe (FIFO)")
    if stat.S_ISSOCK(mode):
        return _("a socket")
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return _("a device")
    return _("not a regular file")


def _link_note(path: Path) -> str:
    try:
        return _(" (to {target})").format(target=os.readlink(path))
    except OSError:
        return ""


def refuse_symlink(path: Path, what: str = N_("file")) -> UnsafeFileError:
    """`what` is English marked with N_() (a noun after "not a"), translated here."""
    return UnsafeFileError(
        errno.ELOOP,
        _(
            "{path} is a symbolic link{note}, not a {what} of labeldesk's own; it is refused "
            "and its target is left untouched (someone with write access to this folder put "
            "it there: remove it, or choose another folder)"
        ).format(path=path, note=_link_note(path), what=_(what)),
    )


def _not_regular(path: Path, kind: str) -> str:
    return _("cannot read {path}: it is {kind}, not a regular file; refused").format(
        path=path, kind=kind
    )


def open_regular(
    path: Path, flags: int, *, mode: int = FILE_MODE, owned: bool = False
) -> tuple[int, bool]:
    """Open `path` without following a symlink and check it is a regular file.

    `flags` are os.open flags (O_CREAT allowed: a new file gets exactly `mode`, whatever the
    umask). With `owned`, a file owned by another user is refused too. Returns (descriptor,
    created). Raises UnsafeFileError for a symlink or a non-regular file, OSError otherwise.
    """
    base = flags | _NOFOLLOW | _CLOEXEC | _NONBLOCK
    created = False
    fd: int | None = None
    if flags & os.O_CREAT:
        try:
            fd = os.open(path, base | os.O_EXCL, mode)
            created = True
        except FileExistsError:
            if flags & os.O_EXCL:
                raise
            base &= ~os.O_CREAT
        except OSError as exc:
            if exc.errno == errno.ELOOP:
                raise refuse_symlink(path) from None
            raise
    if fd is None:
        try:
            fd = os.open(path, base & ~os.O_CREAT)
        except OSError as exc:
            if exc.errno == errno.ELOOP or (exc.errno == errno.EISDIR and path.is_symlink()):
                raise refuse_symlink(path) from None
            if exc.errno in (errno.EISDIR, errno.ENXIO):
                # ENXIO: a FIFO without a reader, opened for writing without blocking.
                try:
                    kind = _kind(os.lstat(path).st_mode)
                except OSError:
                    kind = _("not a regular file")
                raise UnsafeFileError(exc.errno, _not_regular(path, kind)) from None
            raise
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise UnsafeFileError(errno.EINVAL, _not_regular(path, _kind(info.st_mode)))
        if owned and not created and info.st_uid != os.geteuid():
            raise UnsafeFileError(
                errno.EPERM,
                _(
                    "{path} belongs to another user (uid {uid}); labeldesk writes only into "
                    "files of your own; it is refused"
                ).format(path=path, uid=info.st_uid),
            )
        if created:
            os.fchmod(fd, mode)
        if _NONBLOCK:
            os.set_blocking(fd, True)
    except BaseException:
        os.close(fd)
        raise
    return fd, created


def create_new(path: Path, mode: int = FILE_MODE) -> int:
    """A file this call creates at `path` (O_EXCL), open for writing: for temporary files
    that are renamed into place. A file already there is never written: a colleague's own
    world-writable file, renamed into place, would leave them a file they can edit (a plan,
    a merged results file). A leftover of our own (a crashed run with the same pid) is
    removed and the name created again; a symlink or someone else's file is refused."""
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL
    try:
        return open_regular(path, flags, mode=mode)[0]
    except FileExistsError:
        info = os.lstat(path)
        if stat.S_ISLNK(info.st_mode):
            raise refuse_symlink(path) from None
        if not stat.S_ISREG(info.st_mode) or info.st_uid != os.geteuid():
            whose = (
                _kind(info.st_mode)
                if not stat.S_ISREG(info.st_mode)
                else _("a file of another user (uid {uid})").format(uid=info.st_uid)
            )
            raise UnsafeFileError(
                errno.EEXIST,
                _(
                    "{path} is {whose}, where labeldesk writes a temporary file of its own; it "
                    "is refused and left untouched (remove it, or choose another folder)"
                ).format(path=path, whose=whose),
            ) from None
        os.unlink(path)
        return open_regular(path, flags, mode=mode)[0]


def open_readable(path: Path) -> int:
    """A descriptor for reading a file of the batch that may be a symlink (guidelines.md,
    batch.toml): followed, but only to a regular file, and the open never blocks (a named
    pipe with no writer would freeze whoever reads it; a device such as /dev/zero never
    ends). Raises UnsafeFileError naming the path and what is there, OSError otherwise."""
    fd = os.open(path, os.O_RDONLY | _NONBLOCK | _CLOEXEC)
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise UnsafeFileError(errno.EINVAL, _not_regular(path, _kind(info.st_mode)))
        if _NONBLOCK:
            os.set_blocking(fd, True)
    except BaseException:
        os.close(fd)
        raise
    return fd


def read_regular(path: Path) -> bytes:
    """The bytes of `path` through open_readable()."""
    fd = open_readable(path)
    try:
        return read_all(fd)
    finally:
        os.close(fd)


def make_private_dirs(folder: Path, mode: int = DIR_MODE) -> Path:
    """Create `folder` and any missing parents with exactly `mode` (os.mkdir + chmod, so the
    umask cannot widen or narrow it). Existing parents are left as they are; an existing
    `folder` that is a symlink, or not a folder, is refused (UnsafeFileError /
    NotADirectoryError). Returns the folder."""
    missing: list[Path] = []
    current = folder
    while True:
        try:
            info = os.lstat(current)
        except FileNotFoundError:
            missing.append(current)
            if current.parent == current:
                break
            current = current.parent
            continue
        if current == folder:
            if stat.S_ISLNK(info.st_mode):
                raise refuse_symlink(folder, N_("folder"))
            if not stat.S_ISDIR(info.st_mode):
                raise NotADirectoryError(
                    errno.ENOTDIR, _("{folder} is a file, not a folder").format(folder=folder)
                )
        break
    for path in reversed(missing):
        try:
            os.mkdir(path, mode)
        except FileExistsError:
            if path == folder and os.path.islink(path):
                raise refuse_symlink(folder, N_("folder")) from None
            continue
        # fchmod through a descriptor that cannot be a symlink: nobody swaps it in between.
        fd = os.open(path, os.O_RDONLY | os.O_DIRECTORY | _NOFOLLOW | _CLOEXEC)
        try:
            os.fchmod(fd, mode)
        finally:
            os.close(fd)
    return folder


def read_all(fd: int) -> bytes:
    """The whole file behind `fd`, read with pread (the offset is left alone)."""
    chunks: list[bytes] = []
    offset = 0
    while True:
        chunk = os.pread(fd, 1 << 20, offset)
        if not chunk:
            return b"".join(chunks)
        chunks.append(chunk)
        offset += len(chunk)


def same_file(fd: int, path: Path) -> bool:
    """Whether `path` (not followed if a symlink) still names the file open as `fd`."""
    try:
        here = os.stat(path, follow_symlinks=False)
    except OSError:
        return False
    there = os.fstat(fd)
    return (here.st_dev, here.st_ino) == (there.st_dev, there.st_ino) and there.st_nlink > 0
