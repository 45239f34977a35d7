"""Triage decisions are appended to .parity.toml byte for byte, and read back as the project's rules."""

from __future__ import annotations

from pathlib import Path

import pytest

from parity_gui.app.project import read_project
from parity_gui.app.triage import Triage, patterns_for, record
from parity_gui.core.drift import Severity
from parity_gui.core.pointer import from_pointer
from parity_gui.errors import OptionsError, ParityError

ORIGINAL = (
    "# environments of the shop  \r\n"
    'baseline = "prod"   # reports name prod\r\n'
    "\r\n"
    "[environments.dev]\r\n"
    "files = [ 'compose.yml',\r\n"
    "          'compose.dev.yml' ]  # odd spacing kept\r\n"
    "[environments.prod]\r\n"
    'files = ["compose.yml"]'
)


def test_an_expected_difference_is_appended_and_everything_else_is_kept_byte_for_byte(tmp_path: Path) -> None:
    file = tmp_path / ".parity.toml"
    file.write_bytes(ORIGINAL.encode())
    record(file, Triage("/services/*/image/tag", 'dev runs the "rc" build', environments=("dev", "prod")))
    after = file.read_bytes()
    assert after.startswith(ORIGINAL.encode() + b"\r\n")
    assert after.endswith(b'[[expected]]\r\npath = "/services/*/image/tag"\r\nenvironments = ["dev", "prod"]\r\n'
                          b'reason = "dev runs the \\"rc\\" build"\r\n')
    expected = read_project(file).options.expected
    assert expected[-1].reason == 'dev runs the "rc" build'
    assert expected[-1].glob.matches(from_pointer("/services/web/image/tag"))


def test_a_severity_rating_is_appended_to_a_new_file_when_there_is_none(tmp_path: Path) -> None:
    file = tmp_path / ".parity.toml"
    record(file, Triage("/variables/LOG_LEVEL", "verbosity differs on purpose", Severity.LOW))
    assert file.read_text() == ('[[severity]]\npath = "/variables/LOG_LEVEL"\nlevel = "low"\n'
                                'reason = "verbosity differs on purpose"\n')
    assert read_project(file).options.overrides[0].severity is Severity.LOW


def test_nothing_is_written_without_a_reason_or_when_the_result_would_not_read(tmp_path: Path) -> None:
    file = tmp_path / ".parity.toml"
    file.write_text("[environments.dev]\nfiles = [\n")
    with pytest.raises(ParityError):
        record(file, Triage("/a", "why"))
    assert file.read_text() == "[environments.dev]\nfiles = [\n"
    with pytest.raises(OptionsError):
        Triage("/a", "  ").to_toml()


def test_a_drift_can_be_recorded_by_its_path_or_for_every_entity() -> None:
    assert patterns_for(("services", "web", "image", "tag")) == ["/services/web/image/tag", "/services/*/image/tag"]
    assert patterns_for(("variables", "LOG_LEVEL")) == ["/variables/LOG_LEVEL"]
    assert patterns_for(("services", "web", "ports", "80/tcp"))[1] == "/services/*/ports/80~1tcp"
