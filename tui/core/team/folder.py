"""Team folders: Unix group access, setgid, and file systems whose locks do not work.

On a server with one Unix account per annotator, the batch folder, `results/` and `team/`
must belong to the team's group with group access and the setgid bit, so that every file
created in them gets the team's group and colleagues can read each other's results and
append to the shared ledger. This module checks that at open (with the command to run when
it is wrong), and creates team folders with the group modes whatever the umask.

The ledger is safe only if `flock` excludes processes that share the folder. On FUSE
file systems (sshfs, rclone, ...), NFS mounted without working locks, and folders kept by a
sync tool (Dropbox, Syncthing, ...), a lock taken in one place is not seen in another: team
mode refuses there, with the reason.
"""

from __future__ import annotations

import grp
import os
import stat
import time
from dataclasses import dataclass
from pathlib import Path

from tui.core.i18n import _
from tui.core.problems import Problem
from tui.core.safe_files import make_private_dirs
from tui.core.team.settings import TeamSettings

TEAM_DIR = "team"
RESULTS_DIR = "results"
# File systems where flock between processes (on this or other machines) is not reliable.
_NO_LOCK_FS_PREFIXES = ("fuse", "9p", "vboxsf", "vmhgfs", "davfs", "prl_fs")
_NFS = ("nfs", "nfs4")
_SYNC_MARKERS = (".dropbox", ".dropbox.cache", ".stfolder", ".sync", ".nextcloudsync.log")
_SYNC_NAMES = ("Dropbox", "OneDrive", "Google Drive", "Nextcloud", "ownCloud", "iCloud Drive")


@dataclass(frozen=True)
class Mount:
    point: str
    fstype: str
    options: str  # mount options and super options, comma-separated


def _unescape(field: str) -> str:
    # mountinfo writes space, tab, newline and backslash as octal escapes.
    for code, char in (("\\040", " "), ("\\011", "\t"), ("\\012", "\n"), ("\\134", "\\")):
        field = field.replace(code, char)
    return field


def parse_mountinfo(text: str) -> list[Mount]:
    mounts: list[Mount] = []
    for line in text.splitlines():
        left, sep, right = line.partition(" - ")
        if not sep:
            continue
        fields = left.split()
        rest = right.split()
        if len(fields) < 6 or not rest:
            continue
        supers = rest[2] if len(rest) > 2 else ""
        mounts.append(Mount(_unescape(fields[4]), rest[0], f"{fields[5]},{supers}"))
    return mounts


def mount_of(path: Path, mounts: list[Mount]) -> Mount | None:
    """The mount a path lives on: the longest mount point that contains it (later mounts
    over the same point win)."""
    real = os.path.realpath(path)
    best: Mount | None = None
    for mount in mounts:
        point = mount.point.rstrip("/") or "/"
        inside = real == point or real.startswith(point + "/") or point == "/"
        if inside and (best is None or len(point) >= len(best.point.rstrip("/") or "/")):
            best = mount
    return best


def lock_problem(path: Path, mountinfo: str | None = None) -> str | None:
    """Why locks between processes cannot be trusted for `path`, or None when they can."""
    if mountinfo is None:
        try:
            mountinfo = Path("/proc/self/mountinfo").read_text(encoding="utf-8", errors="replace")
        except OSError:
            mountinfo = ""
    mount = mount_of(path, parse_mountinfo(mountinfo)) if mountinfo else None
    if mount is not None:
        kind = mount.fstype
        options = set(mount.options.split(","))
        if kind.startswith(_NO_LOCK_FS_PREFIXES):
            return _(
                "{path} is on a {kind} file system (mounted at {point}): its locks do not "
                "reach other processes or machines, so two annotators could be given the same "
                "task. Put the team's batch on a local disk of the server everyone logs into "
                "(or NFS with locking)"
            ).format(path=path, kind=kind, point=mount.point)
        if kind in _NFS and (options & {"nolock", "local_lock=all", "local_lock=flock"}):
            return _(
                "{path} is on NFS mounted with local-only locks ({point}: {options}): other "
                "machines do not see them. Remount with locking (lock, local_lock=none) or "
                "use a local disk"
            ).format(
                path=path,
                point=mount.point,
                options=", ".join(
                    sorted(options & {"nolock", "local_lock=all", "local_lock=flock"})
                ),
            )
    real = Path(os.path.realpath(path))
    for folder in (real, *real.parents):
        for marker in _SYNC_MARKERS:
            if os.path.lexists(folder / marker):
                return _(
                    "{path} is inside a folder kept by a sync tool ({marker} found): sync "
                    "tools copy files between machines without their locks, so claims would "
                    "collide. Put the team's batch on the server everyone logs into"
                ).format(path=path, marker=folder / marker)
        if folder.name in _SYNC_NAMES:
            return _(
                "{path} is inside {folder} (a synced folder): sync tools copy files without "
                "their locks, so claims would collide. Put the team's batch on the server "
                "everyone logs into"
            ).format(path=path, folder=folder)
    return None


def _group_name(gid: int) -> str:
    try:
        return grp.getgrgid(gid).gr_name
    except KeyError:
        return str(gid)


def check_team_folder(folder: Path, settings: TeamSettings) -> list[Problem]:
    """Problems with the batch folder, results/ and team/ for team work: missing group
    access or setgid, another group than `settings.group`. Folders that do not exist yet
    are fine (they are created with the team's mode). Each message says what to run."""
    problems: list[Problem] = []
    wanted_group = settings.group
    for path, need in (
        (folder, 0o050),  # colleagues read the batch (tasks, batch.toml) and enter it
        (folder / RESULTS_DIR, 0o070),  # create their results file, read others'
        (folder / TEAM_DIR, 0o070),  # append to the ledger
    ):
        try:
            info = os.stat(path, follow_symlinks=False)
        except FileNotFoundError:
            continue
        except OSError as exc:
            problems.append(
                Problem(
                    path, _("cannot look at the folder: {error}").format(error=exc.strerror or exc)
                )
            )
            continue
        if stat.S_ISLNK(info.st_mode) or not stat.S_ISDIR(info.st_mode):
            problems.append(Problem(path, _("must be a folder (not a symbolic link or a file)")))
            continue
        group = _group_name(info.st_gid)
        mode = stat.S_IMODE(info.st_mode)
        fix_group = wanted_group or group
        if wanted_group is not None and group != wanted_group:
            problems.append(
                Problem(
                    path,
                    _(
                        "belongs to group {group!r}, the batch names group {wanted!r}: run "
                        "chgrp -R {wanted} {path}"
                    ).format(group=group, wanted=wanted_group, path=path),
                )
            )
        if mode & need != need:
            bits = "rwx" if need == 0o070 else "r-x"
            problems.append(
                Problem(
                    path,
                    _(
                        "the group ({group}) lacks {bits} on this folder (mode {mode:04o}); "
                        "colleagues cannot work in it: run chmod g+{fix} {path}"
                    ).format(
                        group=group, bits=bits, mode=mode, fix=bits.replace("-", ""), path=path
                    ),
                )
            )
        if path != folder and settings.dir_mode & stat.S_ISVTX and not mode & stat.S_ISVTX:
            problems.append(
                Problem(
                    path,
                    _(
                        "lacks the sticky bit (mode {mode:04o}): anyone in the group could "
                        "delete or rename a colleague's file here: run chmod +t {path}"
                    ).format(mode=mode, path=path),
                )
            )
        if path != folder and not mode & stat.S_ISGID:
            problems.append(
                Problem(
                    path,
                    _(
                        "lacks the setgid bit (mode {mode:04o}): files colleagues create here "
                        "would get their own primary group, not {group!r}, and others could not "
                        "read them: run chgrp {group} {path} && chmod g+s {path}"
                    ).format(mode=mode, group=fix_group, path=path),
                )
            )
    return problems


def make_team_dir(folder: Path, settings: TeamSettings) -> Path:
    """Create a team folder (and missing parents) with the team's folder mode, whatever the
    umask; an existing folder is left as it is (check_team_folder says what is wrong).

    A colleague may have just created it: mkdir gives a mode cut by their umask and fchmod
    widens it a moment later. Wait (briefly) for the group bits rather than fail in between."""
    make_private_dirs(folder, settings.dir_mode)
    deadline = time.monotonic() + 2.0
    while time.monotonic() < deadline:
        try:
            mode = os.stat(folder, follow_symlinks=False).st_mode
        except OSError:
            break
        if mode & 0o070 == settings.dir_mode & 0o070:
            break
        time.sleep(0.005)
    return folder


def make_team_dirs(folder: Path, settings: TeamSettings) -> list[Problem]:
    """results/ and team/ of a team batch, with the team's folder mode: call before opening
    the annotator's results store, so it never creates results/ with the private mode.
    Returns the problems (a batch folder annotators may not write in: set up by a lead)."""
    problems: list[Problem] = []
    for name in (RESULTS_DIR, TEAM_DIR):
        try:
            make_team_dir(folder / name, settings)
        except OSError as exc:
            mode = f"{settings.dir_mode:o}"
            problems.append(
                Problem(
                    folder / name,
                    _(
                        "cannot create the team folder: {error}. Whoever sets the batch up runs "
                        "once: mkdir {results} {team} && chgrp GROUP {results} {team} && chmod "
                        "{mode} {results} {team}"
                    ).format(
                        error=exc.strerror or exc,
                        results=folder / RESULTS_DIR,
                        team=folder / TEAM_DIR,
                        mode=mode,
                    ),
                )
            )
    return problems
