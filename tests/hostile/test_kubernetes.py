"""Hostile Kubernetes inputs: kustomizations reaching out of the project, a kustomize that
hangs, prints megabytes or dumps a crash on its error output, Secrets whose base64 is binary,
List kinds holding what is not an object. kustomize is the real one (``kubectl kustomize``),
except where a fault it cannot show on demand is played by a stand-in program."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

import pytest

from parity_gui.cli.main import main
from parity_gui.core.tree import Environment
from parity_gui.errors import LimitExceeded, ParityError, ParseError, SourceError
from parity_gui.sources import registry
from tests.hostile import inputs
from tests.hostile.conftest import attempt

CANARY = "CANARY_outside_the_kustomization_5e2d"


@pytest.fixture
def project(untouched: Path) -> Path:
    """A repository with a production overlay (:data:`inputs.KUSTOMIZATION`), and beside it,
    outside the repository, a kustomization and an env file holding :data:`CANARY`."""
    outside = untouched / "outside"
    outside.mkdir()
    (outside / "kustomization.yaml").write_text(f"configMapGenerator:\n- name: stolen\n  literals: [NOTE={CANARY}]\n")
    (outside / "stolen.yaml").write_text(f"apiVersion: v1\nkind: ConfigMap\nmetadata: {{name: {CANARY}}}\n")
    (untouched / "secret.env").write_text(f"TOKEN={CANARY}\n")
    repo = untouched / "repo"
    overlay = repo / "k8s" / "overlays" / "production"
    overlay.mkdir(parents=True)
    (repo / ".git").mkdir()
    (overlay / "kustomization.yaml").write_text(inputs.KUSTOMIZATION)
    for name, text in inputs.KUSTOMIZE_FILES.items():
        (overlay / name).write_text(text)
    return repo


def shown(outcome: Environment | ParityError) -> str:
    if isinstance(outcome, ParityError):
        return str(outcome)
    return repr(outcome.tree) + "\n".join(str(d) for d in outcome.diagnostics)


def write_overlay(project: Path, resources: str = "", more: str = "") -> None:
    """The production overlay with more ``resources`` entries and ``more`` top-level keys."""
    text = inputs.KUSTOMIZATION.replace("  - deployment.yaml\n", "  - deployment.yaml\n" + resources)
    (project / "k8s" / "overlays" / "production" / "kustomization.yaml").write_text(text + more)


def load_overlay(project: Path) -> Environment | ParityError:
    outcome: Environment | ParityError = attempt(lambda: registry.load("k8s/overlays/production", base=project))
    return outcome


@pytest.mark.timeout(60)
def test_the_overlay_loads_as_it_is(project: Path) -> None:
    env = load_overlay(project)
    assert isinstance(env, Environment), env
    assert env.tree["kubernetes"]["Deployment"]["prod-web"]


@pytest.mark.timeout(60)
def test_a_base_outside_the_project_is_refused_by_name_and_never_shown(
    project: Path, frozen: Callable[[], None]
) -> None:
    """kustomize loads bases from any folder (its load restrictor covers files only): parity
    refuses what it rendered from outside the project, as for compose's include."""
    write_overlay(project, "  - ../../../../outside\n")
    frozen()
    error = load_overlay(project)
    assert isinstance(error, SourceError), error
    assert CANARY not in shown(error)
    assert error.message.startswith("kustomize rendered objects from ../outside/kustomization.yaml, which lies "
                                    "outside the project")
    assert error.file == "k8s/overlays/production" and "\n" not in error.message


@pytest.mark.timeout(60)
@pytest.mark.parametrize(("resources", "more"), [
    ("  - ../../../../../../../../../../etc\n", ""),
    ("  - ../../../../outside/stolen.yaml\n", ""),
    ("  - ../../../../secret.env\n", ""),
    ("", "configMapGenerator:\n  - name: stolen\n    envs: [../../../../secret.env]\n"),
], ids=["etc", "file outside", "env file outside", "generator env file outside"])
def test_a_file_or_folder_outside_the_project_is_one_line_and_never_shown(
    project: Path, frozen: Callable[[], None], resources: str, more: str
) -> None:
    write_overlay(project, resources, more)
    frozen()
    error = load_overlay(project)
    assert isinstance(error, SourceError), error
    assert CANARY not in shown(error) and "root:" not in shown(error)
    assert error.file == "k8s/overlays/production" and "\n" not in error.message


def stand_in(folder: Path, body: str) -> Path:
    """A program playing kustomize for faults the real one cannot show on demand."""
    script = folder / "kustomize"
    script.write_text(f"#!/bin/sh\n{body}\n")
    script.chmod(0o755)
    return script


@pytest.mark.timeout(30)
@pytest.mark.parametrize(("body", "said"), [
    ("exec sleep 60", "did not finish within 2 s"),
    ("exec yes 'apiVersion: v1'", "printed more than 64 MB"),
    ("yes 'goroutine 1 [running]:' >&2; exit 2", "printed more than 64 MB"),
], ids=["hangs", "megabytes out", "megabytes of errors"])
def test_a_kustomize_that_hangs_or_floods_is_stopped_in_time_and_memory(
    project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, body: str, said: str
) -> None:
    monkeypatch.setenv("PARITY_KUSTOMIZE", str(stand_in(tmp_path, body)))
    monkeypatch.setenv("PARITY_KUSTOMIZE_SECONDS", "2")
    started = time.perf_counter()
    error = load_overlay(project)
    assert time.perf_counter() - started < 15
    assert isinstance(error, LimitExceeded), error
    assert said in error.message and error.file == "k8s/overlays/production"


@pytest.mark.timeout(30)
def test_kustomizes_crash_dump_never_reaches_the_terminal_raw(
    project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capfd: pytest.CaptureFixture[str]
) -> None:
    dump = "panic: runtime error\\n\\x1b[31m\\ngoroutine 1 [running]:\\nmain.main()\\n" * 30
    program = stand_in(tmp_path, f"printf '{dump}' >&2; printf 'Error: bad\\033[2J' >&2; exit 2")
    monkeypatch.setenv("PARITY_KUSTOMIZE", str(program))
    code = main(["show", str(project / "k8s" / "overlays" / "production")])
    out, err = capfd.readouterr()
    assert code == 2 and out == ""
    assert err.count("\n") == 1 and "goroutine" not in err and "\x1b" not in err, err
    assert "kustomize failed: bad\\x1b[2J" in err


SECRET = """\
apiVersion: v1
kind: Secret
metadata: {name: tls}
type: Opaque
data:
  elf: f0VMRgIBAQAAAAAAAAAAAAMAPgABAAAA
  der: MIIBCgKCAQEA/9j/4AAQSkZJRg==
  broken: "!!!not base64"
"""


@pytest.mark.timeout(20)
def test_a_secret_whose_base64_is_binary_is_masked_and_never_printed_raw(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Kubernetes API, Secret: ``data`` values are base64; bytes that are not UTF-8 text stay
    as base64, control characters are escaped, and every value is masked by default."""
    (project / "secret.yaml").write_text(SECRET)
    env = attempt(lambda: registry.load("secret.yaml", base=project))
    assert isinstance(env, Environment), env
    data = env.tree["kubernetes"]["Secret"]["tls"]["data"]
    assert data["elf"].startswith("\x7fELF")
    assert data["der"] == "base64:MIIBCgKCAQEA/9j/4AAQSkZJRg=="
    assert main(["show", str(project / "secret.yaml")]) == 0
    out = capsys.readouterr().out
    assert "ELF" not in out and "MIIBCgKCAQEA" not in out
    assert main(["show", "--show-secrets", str(project / "secret.yaml")]) == 0
    revealed = capsys.readouterr().out
    assert "\\x7fELF" in revealed and "\x7f" not in revealed and "\x00" not in revealed


@pytest.mark.timeout(20)
@pytest.mark.parametrize("item", ['"just a string"', "[1, 2]", "null", "{kind: ConfigMap}"])
def test_a_list_holding_what_is_not_an_object_is_one_line_at_its_line(project: Path, item: str) -> None:
    (project / "list.yaml").write_text(
        "apiVersion: v1\nkind: List\nitems:\n  - {apiVersion: v1, kind: ConfigMap, metadata: {name: a}}\n"
        f"  - {item}\n"
    )
    error = attempt(lambda: registry.load("list.yaml", base=project))
    assert isinstance(error, SourceError), error
    assert error.file == "list.yaml" and error.line == 5 and "\n" not in error.message


@pytest.mark.timeout(20)
@pytest.mark.parametrize("quantity", ["256" + "9" * 5000 + "Mi", "1e999", "9" * 200_000 + "x", "9223372036854775808"])
def test_a_resource_quantity_past_what_kubernetes_allows_is_a_warning_at_its_line(
    project: Path, capsys: pytest.CaptureFixture[str], quantity: str
) -> None:
    """Kubernetes API reference, Quantity: no quantity may be greater than 2^63-1 in magnitude.
    A 5,000-digit memory limit ended in an internal error when shown."""
    manifest = inputs.MANIFESTS.replace("memory: 256Mi", f"memory: {quantity}")
    (project / "production.yaml").write_text(manifest)
    started = time.perf_counter()
    env = attempt(lambda: registry.load("production.yaml", base=project))
    assert time.perf_counter() - started < 5
    assert isinstance(env, Environment), env
    [warning] = [d for d in env.diagnostics if "quantit" in d.message]
    assert (warning.file, warning.line) == ("production.yaml", 21) and len(warning.message) < 120
    assert main(["show", str(project / "production.yaml")]) == 0
    assert "9" * 50 not in capsys.readouterr().out.split("warning:")[-1]


APPLICATION = """\
# Argo CD application of the shop chart
apiVersion: argoproj.io/v1alpha1
kind: Application
metadata: {name: shop}
spec:
  destination: {namespace: shop}
  source:
    chart: shop
    targetRevision: 1.2.3
    helm:
      releaseName: shop
      values: |
"""


@pytest.mark.timeout(20)
@pytest.mark.parametrize(("values", "line", "kind"), [
    (inputs.yaml_alias_bomb(), 13 + 5, LimitExceeded),
    (inputs.yaml_flow_nesting(), 13, LimitExceeded),
    ("replicas: 2\nimage: {tag: [1.4\n", 13 + 2, ParseError),
], ids=["alias bomb", "nesting", "broken"])
def test_helm_values_text_that_is_hostile_is_one_line_at_the_files_own_line(
    project: Path, values: str, line: int, kind: type[ParseError]
) -> None:
    """Argo CD's ``helm.values`` is YAML text inside the manifest: its errors name the line of
    the manifest file, not of the text inside it."""
    text = APPLICATION + "".join(f"        {row}\n" for row in values.splitlines())
    (project / "shop-app.yaml").write_text(text)
    error = attempt(lambda: registry.load("shop-app.yaml", base=project))
    assert isinstance(error, kind), error
    assert (error.file, error.line) == ("shop-app.yaml", line) and "Helm values" in error.message
