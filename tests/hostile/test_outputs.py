"""Where ``-o FILE`` and ``--screenshot FILE`` may write: a regular file atomically, a device,
FIFO or link to standard output by opening it (never replacing it with a regular file), a link
to a regular file replaced rather than written through, and never over one of the inputs."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from parity_gui.cli.main import main
from tests.hostile import inputs

LEFT = """\
# the shop, as developers run it
x-common: &common
  restart: unless-stopped
services:
  web:
    <<: *common
    image: "nginx:1.25"
    ports: ["8080:80"]
"""
RIGHT = LEFT.replace("nginx:1.25", "nginx:1.27")
GUI = "import sys; from parity_gui.ui.main import main; sys.exit(main())"


@pytest.fixture
def pair(tmp_path: Path) -> tuple[Path, Path]:
    left, right = tmp_path / "compose.yml", tmp_path / "compose.prod.yml"
    left.write_text(LEFT)
    right.write_text(RIGHT)
    return left, right


@pytest.mark.timeout(30)
def test_a_fifo_output_is_written_through_and_stays_a_fifo(pair: tuple[Path, Path], tmp_path: Path) -> None:
    fifo = tmp_path / "report.fifo"
    inputs.fifo(fifo)
    received: list[bytes] = []
    reader = threading.Thread(target=lambda: received.append(fifo.read_bytes()))
    reader.start()
    code = main(["compare", str(pair[0]), str(pair[1]), "--format", "json", "-o", str(fifo)])
    reader.join(10)
    assert code == 1
    assert stat.S_ISFIFO(fifo.lstat().st_mode)
    assert b'"nginx:1.27"' in received[0] or b"1.27" in received[0]


@pytest.mark.timeout(30)
def test_the_null_device_stays_a_device(pair: tuple[Path, Path]) -> None:
    assert main(["compare", str(pair[0]), str(pair[1]), "-o", os.devnull]) == 1
    assert stat.S_ISCHR(Path(os.devnull).stat().st_mode)


@pytest.mark.timeout(60)
def test_a_link_to_standard_output_writes_to_standard_output(pair: tuple[Path, Path], tmp_path: Path) -> None:
    link = tmp_path / "out.md"
    link.symlink_to("/dev/stdout")
    done = subprocess.run(
        [sys.executable, "-m", "parity_gui.cli.main", "compare", str(pair[0]), str(pair[1]),
         "--format", "markdown", "-o", str(link)],
        capture_output=True, timeout=50, check=False,
    )
    assert done.returncode == 1, done.stderr
    assert b"1.27" in done.stdout
    assert link.is_symlink() and str(link.readlink()) == "/dev/stdout"


@pytest.mark.timeout(30)
def test_a_link_to_a_file_elsewhere_is_replaced_not_written_through(pair: tuple[Path, Path], tmp_path: Path) -> None:
    precious = tmp_path / "home" / ".bashrc"
    precious.parent.mkdir()
    precious.write_text("export PATH=$HOME/bin:$PATH\n")
    link = tmp_path / "report.html"
    link.symlink_to(precious)
    assert main(["compare", str(pair[0]), str(pair[1]), "--format", "html", "-o", str(link)]) == 1
    assert precious.read_text() == "export PATH=$HOME/bin:$PATH\n"
    assert not link.is_symlink() and "1.27" in link.read_text()


@pytest.mark.timeout(30)
@pytest.mark.parametrize("through_link", [False, True], ids=["same-path", "link-to-input"])
def test_an_output_that_is_an_input_is_refused(
    pair: tuple[Path, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str], through_link: bool
) -> None:
    output = pair[1]
    if through_link:
        output = tmp_path / "out.yml"
        output.symlink_to(pair[1])
    assert main(["compare", str(pair[0]), str(pair[1]), "-o", str(output)]) == 2
    assert pair[1].read_text() == RIGHT
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "is one of the inputs" in err


@pytest.mark.timeout(30)
def test_a_patch_is_not_written_over_the_file_it_edits(
    pair: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["patch", str(pair[0]), str(pair[1]), "-o", str(pair[1])]) == 2
    assert pair[1].read_text() == RIGHT
    assert "is one of the inputs" in capsys.readouterr().err


@pytest.mark.timeout(120)
def test_a_screenshot_replaces_a_link_instead_of_writing_through_it(pair: tuple[Path, Path], tmp_path: Path) -> None:
    precious = tmp_path / "id_ed25519.pub"
    precious.write_text("ssh-ed25519 AAAA user@host\n")
    link = tmp_path / "shot.png"
    link.symlink_to(precious)
    done = subprocess.run(
        [sys.executable, "-c", GUI, "--screenshot", str(link), "--size", "640x480", str(pair[0]), str(pair[1])],
        capture_output=True, timeout=110, check=False,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen", "HOME": str(tmp_path)},
    )
    assert done.returncode == 0, done.stderr
    assert precious.read_text() == "ssh-ed25519 AAAA user@host\n"
    assert not link.is_symlink() and link.read_bytes().startswith(b"\x89PNG")
