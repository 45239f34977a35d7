"""``parity compare`` end to end: output, JSON contract, exit codes, errors."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.cli.conftest import SHOP, run_cli

DEV = f"{SHOP / 'docker-compose.yml'}+{SHOP / 'docker-compose.override.yml'}"
PROD = f"{SHOP / 'docker-compose.yml'}+{SHOP / 'docker-compose.prod.yml'}"



def write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def test_the_examples_show_each_rule(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run_cli(capsys, "compare", "--name", "dev", "--name", "prod", "--format", "json", DEV, PROD)
    assert code == 1
    report = json.loads(out)
    found = {d["path"]: (d["severity"], d["rule"]) for d in report["drift"]}
    assert found == {
        "/services/web/command": ("medium", "value-changed"),
        "/services/web/environment/DEBUG": ("medium", "variable-only-on-one-side"),
        "/services/web/environment/DATABASE_URL": ("critical", "different-backing-service"),
        "/services/web/environment/REDIS_URL": ("medium", "variable-only-on-one-side"),
        "/services/web/environment/FEATURE_NEW_CHECKOUT": ("medium", "variable-only-on-one-side"),
        "/services/web/environment/SENTRY_DSN": ("medium", "variable-only-on-one-side"),
        "/services/web/ports/8000~1tcp": ("medium", "value-changed"),
        "/services/web/volumes": ("medium", "setting-only-on-one-side"),
        "/services/web/deploy/replicas": ("medium", "replica-drift"),
        "/services/web/deploy/resources": ("medium", "setting-only-on-one-side"),
        "/services/web/logging": ("low", "setting-only-on-one-side"),
        "/services/worker/image/tag": ("high", "unpinned-image"),
        "/services/worker/environment/DATABASE_URL": ("critical", "different-backing-service"),
        "/services/worker/environment/REDIS_URL": ("medium", "variable-only-on-one-side"),
        "/services/worker/volumes": ("medium", "setting-only-on-one-side"),
        "/services/worker/deploy/replicas": ("medium", "replica-drift"),
        "/services/db/image/tag": ("high", "image-version-drift"),
        "/services/db/ports": ("medium", "setting-only-on-one-side"),
        "/services/cache/image/tag": ("high", "image-version-drift"),
    }


def test_the_json_contract(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run_cli(capsys, "compare", "--format", "json", "--name", "dev", "--name", "prod", DEV, PROD)
    report = json.loads(out)
    assert code == 1
    assert report["schema"] == "parity.report/v1"
    assert [e["name"] for e in report["environments"]] == ["dev", "prod"]
    assert report["environments"][0]["spec"] == DEV
    assert set(report["summary"]) == {"drift", "by_severity", "by_kind", "expected", "context"}
    assert report["summary"]["drift"] == len(report["drift"])
    assert list(report["summary"]["by_severity"]) == ["critical", "high", "medium", "low", "info"]
    tag = next(d for d in report["drift"] if d["path"] == "/services/db/image/tag")
    assert tag["kind"] == "changed" and tag["values"] == ["13", "14.7"] and tag["expected"] is False
    dev_origin, prod_origin = tag["origins"]
    assert dev_origin["file"].endswith("docker-compose.override.yml") and dev_origin["line"] == 25
    assert prod_origin["file"].endswith("docker-compose.yml") and prod_origin["line"] == 39
    redis = next(d for d in report["drift"] if d["path"] == "/services/web/environment/REDIS_URL")
    assert redis["kind"] == "removed" and redis["values"] == ["redis://cache:6379/0", None]
    assert redis["origins"][1] is None


def test_secrets_are_masked_unless_asked(capsys: pytest.CaptureFixture[str]) -> None:
    _, masked, _ = run_cli(capsys, "compare", "--format", "json", DEV, PROD)
    assert "4f2c1a9e" not in masked and "change-me" not in masked
    _, clear, _ = run_cli(capsys, "compare", "--format", "json", "--show-secrets", DEV, PROD)
    assert "4f2c1a9e" in clear


def test_text_output_groups_by_service_with_file_and_line(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run_cli(capsys, "compare", "--name", "dev", "--name", "prod", DEV, PROD)
    assert code == 1
    assert "/services/db\n" in out
    assert "HIGH     ~ image/tag  image-version-drift" in out
    assert "docker-compose.override.yml:25:12" in out
    assert "\033[" not in out  # no colour when not a terminal
    assert out.rstrip().endswith(".")


def test_identical_environments_exit_zero(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    compose = write(tmp_path, "compose.yml", "services:\n  web:\n    image: nginx:1.25\n")
    code, out, _ = run_cli(capsys, "compare", str(compose), str(compose))
    assert code == 0
    assert "No drift." in out


def test_a_folder_is_a_compose_project_with_its_override(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write(tmp_path, "compose.yaml", "services:\n  web:\n    image: nginx:1.25\n")
    write(tmp_path, "compose.override.yaml", "services:\n  web:\n    image: nginx:1.27\n")
    other = tmp_path / "other"
    other.mkdir()
    write(other, "docker-compose.yml", "services:\n  web:\n    image: nginx:1.25\n")
    code, out, _ = run_cli(capsys, "compare", "--format", "json", str(tmp_path), str(other))
    assert code == 1
    assert [d["path"] for d in json.loads(out)["drift"]] == ["/services/web/image/tag"]


def test_output_file_is_written_and_stdout_stays_empty(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "report.json"
    code, out, _ = run_cli(capsys, "compare", "--format", "json", "-o", str(target), DEV, PROD)
    assert code == 1 and out == ""
    assert json.loads(target.read_text())["schema"] == "parity.report/v1"
    assert [p.name for p in tmp_path.iterdir()] == ["report.json"]


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        ("services:\n  web:\n    image: [unclosed\n", "bad.yml:4"),
        ("services:\n  web:\n    image: nginx\n    image: nginx:2\n", "bad.yml:4"),
        ("services:\n{% for s in services %}\n  {{ s }}: {}\n{% endfor %}\n", "Jinja"),
    ],
)
def test_bad_files_give_one_line_errors_with_file_and_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], content: str, expected: str
) -> None:
    bad = write(tmp_path, "bad.yml", content)
    good = write(tmp_path, "good.yml", "services: {}\n")
    code, out, err = run_cli(capsys, "compare", str(good), str(bad))
    assert code == 2
    assert out == ""
    assert len(err.strip().splitlines()) == 1
    assert expected in err
    assert "Traceback" not in err


def test_a_missing_file_is_trouble(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run_cli(capsys, "compare", str(tmp_path / "nope.yml"), str(tmp_path / "nope.yml"))
    assert code == 2
    assert "nope.yml: no such file" in err


def test_a_folder_without_compose_file_is_trouble(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run_cli(capsys, "compare", str(tmp_path), str(tmp_path))
    assert code == 2
    assert str(tmp_path) in err


def test_an_empty_file_is_an_empty_environment_with_a_warning(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    empty = write(tmp_path, "empty.yml", "")
    code, out, _ = run_cli(capsys, "compare", "--format", "json", str(empty), str(empty))
    assert code == 0
    assert json.loads(out)["warnings"]


def test_one_environment_is_not_enough(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run_cli(capsys, "compare", DEV)
    assert code == 2 and "at least two" in err


def test_debug_shows_the_traceback(tmp_path: Path) -> None:
    missing = str(tmp_path / "gone.yml")
    done = subprocess.run(
        [sys.executable, "-m", "parity_gui.cli.main", "compare", "--debug", missing, missing],
        capture_output=True, text=True, check=False, timeout=60,
    )
    assert done.returncode == 2
    assert "Traceback" in done.stderr and "gone.yml: no such file" in done.stderr


def test_crlf_and_lf_copies_compare_equal_with_a_note(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    text = "services:\n  web:\n    image: nginx:1.25  # the proxy\n    environment:\n      MODE: prod\n"
    (tmp_path / "lf").mkdir()
    (tmp_path / "crlf").mkdir()
    (tmp_path / "lf" / "compose.yml").write_bytes(text.encode())
    (tmp_path / "crlf" / "compose.yml").write_bytes(text.replace("\n", "\r\n").encode())
    code, out, _ = run_cli(capsys, "compare", "--format", "json", str(tmp_path / "lf"), str(tmp_path / "crlf"))
    report = json.loads(out)
    assert code == 0 and report["drift"] == []
    notes = [w["message"] for w in report["warnings"] if w["environment"] is None]
    assert notes == ["line endings differ in compose.yml (lf: LF, crlf: CRLF); the values compare equal"]


def test_errors_never_print_a_secret(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    missing = tmp_path / "postgres:__pw__@db"
    code, _, err = run_cli(capsys, "compare", f"postgres://admin:hunter2@{missing}", str(missing))
    assert code == 2
    assert "hunter2" not in err
