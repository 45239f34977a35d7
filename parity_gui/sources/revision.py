"""Environments as they were at a git revision: ``SPEC@REV``; the one seam to git.

``compose.yml+compose.prod.yml@v1.4``, ``k8s/overlays/production@HEAD~3`` and ``prod@main``
(a ``.parity.toml`` name) read every file the spec pulls in — overrides, ``.env``,
``env_file``, ``extends``, ``include``, Terraform modules, kustomize bases — as it was at the
revision.

How, and the decisions behind it:

* Only git objects are read, with ``git ls-tree`` and one ``git cat-file --batch``: the work
  tree, the index, the stash and the refs are never touched (``GIT_OPTIONAL_LOCKS=0``, so not
  even git's own opportunistic index refresh runs). git itself is used rather than a library so
  that whatever the user's git understands (packs, alternates, worktrees, partial clones)
  works the same.
* The revision's whole tree is written into a private temporary folder (mode 0700), once per
  revision and process, and the spec is loaded from there by the same sources as any folder;
  the folder is removed when the process ends. Every origin, source and message then names the
  file as it is in the repository with ``@REV`` after it (``compose.yml@main:12``).
* Symbolic links are written as links (what a link leaving the project reaches is refused by
  the sources, as for any folder); submodules are left out; a file larger than the size limit
  for one file (``PARITY_MAX_FILE_BYTES``, 8 MB) is not read from git: a sparse file of its
  size stands in for it (taking no disk), so a spec that needs it is refused from its size
  alone, as the same file in the work tree would be. A revision of more than :data:`MAX_FILES`
  files or :data:`MAX_BYTES` bytes is refused with a message saying so.
* Every git call has a deadline (:data:`GIT_SECONDS`); a missing revision, a path the revision
  does not have and a folder that is not in a repository are each one line.
"""

from __future__ import annotations

import atexit
import contextlib
import os
import shutil
import subprocess
import tempfile
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import IO

from parity_gui.errors import LimitExceeded, SourceError
from parity_gui.sources.text import max_file_bytes

GIT_SECONDS = 60.0
MAX_FILES = 200_000
MAX_BYTES = 2 * 1024**3
#: How many revisions one process keeps written out at once (the oldest is removed first).
KEPT_REVISIONS = 8


@dataclass(frozen=True, slots=True)
class Revision:
    """A commit of a repository, and how the user named it."""

    root: Path  #: the repository's top folder (of its work tree)
    commit: str  #: the full object name
    name: str  #: as written after ``@`` (``main``, ``HEAD~3``, ``v1.4``)


def split_revision(spec: str) -> tuple[str, str | None]:
    """``("compose.yml", "main")`` for ``compose.yml@main``; ``(spec, None)`` when it names no
    revision (no ``@``, a ``docker://`` spec, or nothing on one side of the last ``@``)."""
    if spec.startswith("docker://") or "@" not in spec:
        return spec, None
    left, _, right = spec.rpartition("@")
    if not left or not right:
        return spec, None
    return left, right


def resolve(name: str, folder: Path) -> Revision:
    """The revision ``name`` of the repository ``folder`` is in; one-line errors otherwise."""
    top = _git(folder, "rev-parse", "--show-toplevel", what=f"{folder} is not inside a git repository")
    root = Path(top.strip())
    if name.startswith("-"):
        raise SourceError(f"no revision {name!r} in the repository at {root}")
    found = _git(root, "rev-parse", "--verify", "--quiet", "--end-of-options", f"{name}^{{commit}}",
                 what=f"no revision {name!r} in the repository at {root}")
    return Revision(root, found.strip(), name)


@dataclass(frozen=True, slots=True)
class RevisionChoice:
    """A revision a user can pick: a branch, a tag or a recent commit."""

    kind: str  #: "branch", "tag" or "commit"
    name: str  #: what to write after ``@``
    summary: str  #: the commit's subject and date


def revision_choices(folder: Path, recent: int = 30) -> list[RevisionChoice]:
    """Local branches, tags (newest first) and the ``recent`` latest commits of the repository
    ``folder`` is in; none when it is not in one."""
    fields = "%(refname:short)%00%(subject)%00%(creatordate:short)"
    choices: list[RevisionChoice] = []
    with contextlib.suppress(SourceError):
        for kind, refs in (("branch", "refs/heads"), ("tag", "refs/tags")):
            listing = _git(folder, "for-each-ref", "--sort=-creatordate", f"--format={fields}", refs,
                           what="cannot list the repository's references")
            choices += [_choice(kind, line) for line in listing.splitlines()]
        log = _git(folder, "log", f"-{recent}", "--format=%h%x00%s%x00%cs", what="cannot list recent commits")
        choices += [_choice("commit", line) for line in log.splitlines()]
    return choices


def _choice(kind: str, line: str) -> RevisionChoice:
    """A choice from a line of ``NAME\\0SUBJECT\\0DATE``."""
    name, subject, date = [*line.split("\0"), "", ""][:3]
    return RevisionChoice(kind, name, f"{subject} ({date})")


def default_base(folder: Path) -> str:
    """What a change in ``folder``'s repository is reviewed against: the merge base of ``HEAD``
    with the default branch (``origin/HEAD``, else ``main``, else ``master``), else ``HEAD``."""
    for branch in _default_branches(folder):
        with contextlib.suppress(SourceError):
            found = _git(folder, "merge-base", "HEAD", branch, what="no merge base").strip()
            if found:
                return found[:12]
    return "HEAD"


def _default_branches(folder: Path) -> list[str]:
    branches = []
    with contextlib.suppress(SourceError):
        remote = _git(folder, "symbolic-ref", "--quiet", "refs/remotes/origin/HEAD", what="no origin/HEAD").strip()
        branches.append(remote.removeprefix("refs/remotes/"))
    for name in ("main", "master"):
        with contextlib.suppress(SourceError):
            _git(folder, "rev-parse", "--verify", "--quiet", f"refs/heads/{name}", what="no such branch")
            branches.append(name)
    return branches


def checkout(revision: Revision) -> Path:
    """A private folder holding the revision's tree (written once per process and revision)."""
    with _lock:
        kept = _kept.get(revision.commit)
        if kept is not None:
            _order.remove(revision.commit)
            _order.append(revision.commit)
            return kept
    folder = Path(tempfile.mkdtemp(prefix=f"parity-rev-{revision.commit[:12]}-"))
    try:
        _write_tree(revision, folder)
        # The checkout is the repository: files anywhere in it belong to the project (a module in
        # ../../modules), as they do in the work tree (see sources.text.project_root).
        (folder / ".git").mkdir()
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise
    with _lock:
        _kept[revision.commit] = folder
        _order.append(revision.commit)
        while len(_order) > KEPT_REVISIONS:
            shutil.rmtree(_kept.pop(_order.pop(0)), ignore_errors=True)
    return folder


def label(path: str, checked_out: Path, shown_from: Path, revision: Revision) -> str:
    """How a file read from the checkout is named: as in the repository, relative to the
    folder the user works in where it is below it, with ``@REV`` after it."""
    candidate = Path(path)
    if candidate.is_absolute():
        with contextlib.suppress(ValueError):
            inside = candidate.relative_to(checked_out)
            with contextlib.suppress(ValueError):
                return f"{PurePosixPath(revision.root / inside).relative_to(shown_from)}@{revision.name}"
            return f"{PurePosixPath(inside)}@{revision.name}"
    return f"{path}@{revision.name}"


# --- writing a tree -------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Entry:
    mode: str
    object: str
    size: int
    path: str


def _write_tree(revision: Revision, folder: Path) -> None:
    entries = _entries(revision)
    limit = max_file_bytes()
    wanted = [e for e in entries if e.mode == "120000" or e.size <= limit]
    places: dict[str, list[_Entry]] = {}
    for entry in wanted:
        places.setdefault(entry.object, []).append(entry)
    for name, content in _blobs(revision.root, list(places)):
        for entry in places[name]:
            _write_entry(folder, entry, content)
    for entry in entries:
        if entry.mode != "120000" and entry.size > limit:
            _write_stand_in(folder, entry)


def _write_stand_in(folder: Path, entry: _Entry) -> None:
    """A sparse file of the entry's size, for a blob too large to read (module docstring)."""
    target = _inside(folder, entry.path)
    target.parent.mkdir(parents=True, exist_ok=True)
    with target.open("wb") as handle:
        handle.truncate(entry.size)


def _write_entry(folder: Path, entry: _Entry, content: bytes) -> None:
    target = _inside(folder, entry.path)
    target.parent.mkdir(parents=True, exist_ok=True)
    if entry.mode == "120000":
        with contextlib.suppress(OSError):
            target.symlink_to(os.fsdecode(content))
        return
    target.write_bytes(content)
    if entry.mode == "100755":
        target.chmod(0o755)


def _entries(revision: Revision) -> list[_Entry]:
    """Every blob and link of the revision's tree, with its size (submodules left out)."""
    listing = _git(revision.root, "ls-tree", "-r", "-z", "--long", "--full-tree", revision.commit,
                   what=f"cannot list the files of {revision.name}")
    entries = []
    total = 0
    for record in listing.split("\0"):
        if not record:
            continue
        meta, _, path = record.partition("\t")
        mode, kind, name, size = meta.split()
        if kind != "blob":
            continue
        entries.append(_Entry(mode, name, int(size) if size.isdigit() else 0, path))
        total += entries[-1].size
        if len(entries) > MAX_FILES or total > MAX_BYTES:
            raise LimitExceeded(f"revision {revision.name} holds more than {MAX_FILES:,} files or "
                                f"{MAX_BYTES // 1024**3} GB; name a smaller repository")
    return entries


def _blobs(root: Path, names: list[str]) -> Iterator[tuple[str, bytes]]:
    """Each object's name and content, streamed from one ``git cat-file --batch`` under the
    deadline (the requests are written by a thread, so neither side's pipe fills up)."""
    if not names:
        return
    process = _start(root, ["cat-file", "--batch"])
    assert process.stdin is not None and process.stdout is not None
    timer = threading.Timer(GIT_SECONDS, process.kill)
    timer.start()
    feeder = threading.Thread(target=_feed, args=(process.stdin, names), daemon=True)
    feeder.start()
    try:
        for name in names:
            header = process.stdout.readline().split()
            if len(header) != 3 or header[1] != b"blob":
                raise SourceError("cannot read the revision's files (git stopped answering)")
            content = process.stdout.read(int(header[2]))
            process.stdout.read(1)
            yield name, content
    finally:
        timer.cancel()
        process.kill()
        process.wait()
        feeder.join()
        process.stdout.close()
        with contextlib.suppress(OSError):
            process.stdin.close()


def _feed(stdin: IO[bytes], names: list[str]) -> None:
    with contextlib.suppress(OSError):
        for name in names:
            stdin.write(f"{name}\n".encode("ascii"))
        stdin.close()


def _inside(folder: Path, path: str) -> Path:
    """Where a repository path goes in ``folder``; git never stores ``..`` or absolute paths,
    and a tree that claims one is refused."""
    parts = PurePosixPath(path).parts
    if not parts or PurePosixPath(path).is_absolute() or ".." in parts or ".git" in parts:
        raise SourceError(f"the revision holds a path parity will not write: {path!r}")
    return folder.joinpath(*parts)


# --- running git -----------------------------------------------------------------------------


def _git(folder: Path, *arguments: str, what: str) -> str:
    return _run(folder, list(arguments), None, what=what).decode("utf-8", "surrogateescape")


def _command(arguments: list[str]) -> tuple[list[str], dict[str, str]]:
    command = ["git", "-c", "core.fsmonitor=false", "-c", "core.quotePath=false", *arguments]
    environment = {**os.environ, "GIT_OPTIONAL_LOCKS": "0", "GIT_TERMINAL_PROMPT": "0", "LC_ALL": "C"}
    return command, environment


def _start(folder: Path, arguments: list[str]) -> subprocess.Popen[bytes]:
    command, environment = _command(arguments)
    try:
        return subprocess.Popen(command, cwd=folder, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                stderr=subprocess.DEVNULL, env=environment)
    except OSError as e:
        raise SourceError(f"cannot run git: {e.strerror or e}") from e


def _run(folder: Path, arguments: list[str], stdin: bytes | None, *, what: str) -> bytes:
    command, environment = _command(arguments)
    try:
        done = subprocess.run(command, cwd=folder, input=stdin, capture_output=True, timeout=GIT_SECONDS,
                              env=environment, check=False)
    except FileNotFoundError as e:
        raise SourceError("git is not installed, and reading a revision needs it") from e
    except subprocess.TimeoutExpired as e:
        raise SourceError(f"{what}: git took longer than {GIT_SECONDS:.0f} s") from e
    except OSError as e:
        raise SourceError(f"{what}: {e.strerror or e}") from e
    if done.returncode != 0:
        raise SourceError(what)
    return done.stdout


_lock = threading.Lock()
_kept: dict[str, Path] = {}
_order: list[str] = []


@atexit.register
def _remove_checkouts() -> None:
    for folder in list(_kept.values()):
        shutil.rmtree(folder, ignore_errors=True)
