"""Fix patches for compose projects: they apply, fix what they claim, and touch nothing else."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from parity_gui.core.origin import Origin
from parity_gui.core.tree import Environment
from parity_gui.engine import compare
from parity_gui.errors import OptionsError
from parity_gui.export.patch.fix import check_sources, make_patch
from tests.export.patching import DATA, EXAMPLES, apply, compared, git, patched, project, unexpected

SHOP_DEV = "docker-compose.yml+docker-compose.override.yml"
SHOP_PROD = "docker-compose.yml+docker-compose.prod.yml"


# --- the bundled example ----------------------------------------------------------------


@pytest.mark.parametrize(("reference", "target"), [(SHOP_PROD, SHOP_DEV), (SHOP_DEV, SHOP_PROD)])
def test_the_shop_patch_applies_and_leaves_no_drift_when_secrets_may_be_written(
    tmp_path: Path, reference: str, target: str
) -> None:
    folder = project(EXAMPLES / "shop", tmp_path / "shop")
    patch = patched(folder, reference, target, reveal_secrets=True)
    assert patch.checked and not patch.not_fixed
    apply(folder, patch)
    assert unexpected(folder, reference, target) == []


def test_the_shop_patch_keeps_secrets_out_and_says_which_drift_remains(tmp_path: Path) -> None:
    folder = project(EXAMPLES / "shop", tmp_path / "shop")
    patch = patched(folder, SHOP_PROD, SHOP_DEV)
    text = patch.text.decode()
    assert "4f2c1a9e@o1234" not in text  # the Sentry DSN of prod
    assert "CHANGE-ME-secret-" in text
    assert [str(n.drift.pointer) for n in patch.not_fixed] == ["/services/web/environment/SENTRY_DSN"]
    assert "placeholder" in patch.not_fixed[0].reason
    apply(folder, patch)
    assert unexpected(folder, SHOP_PROD, SHOP_DEV) == ["/services/web/environment/SENTRY_DSN"]


def test_the_patch_never_changes_the_users_files(tmp_path: Path) -> None:
    folder = project(EXAMPLES / "shop", tmp_path / "shop")
    before = {p.name: p.read_bytes() for p in folder.iterdir() if p.is_file()}
    patched(folder, SHOP_PROD, SHOP_DEV)
    assert {p.name: p.read_bytes() for p in folder.iterdir() if p.is_file()} == before


# --- formatting is kept -------------------------------------------------------------------


def test_crlf_bom_tabs_and_missing_final_newline_survive_byte_for_byte(tmp_path: Path) -> None:
    folder = project(DATA / "crlf", tmp_path / "crlf")
    original = (folder / "compose.yml").read_bytes()
    patch = patched(folder, "reference.yml", "compose.yml")
    assert b"\\ No newline at end of file" in patch.text
    apply(folder, patch)
    after = (folder / "compose.yml").read_bytes()
    expected = original
    for old, new in [(b"api:4.2.0", b"api:4.3.1"), (b"'unless-stopped'", b"'always'"),
                     (b"LOG_LEVEL=info", b"LOG_LEVEL=warning"), (b'"8443:8443"', b'"443:8443"'),
                     (b"postgres:13", b"postgres:14.7"), (b"TZ: Europe/Paris\t#", b"TZ: UTC\t#"),
                     (b"replicas: 1", b"replicas: 2")]:
        assert expected.count(old) == 1
        expected = expected.replace(old, new)
    assert after == expected
    assert after.startswith(b"\xef\xbb\xbf") and after.count(b"\r\n") == original.count(b"\r\n")
    assert unexpected(folder, "reference.yml", "compose.yml") == []


def test_quoting_comments_and_indentation_are_the_files_own(tmp_path: Path) -> None:
    folder = project(DATA / "anchors", tmp_path / "anchors")
    patch = patched(folder, "reference.yml", "docker-compose.yml")
    apply(folder, patch)
    text = (folder / "docker-compose.yml").read_text()
    assert "GREETING: 'Hello, team'" in text  # single quotes kept
    assert '            TIMEZONE: UTC\n' in text  # 4-space steps, as the file writes them
    assert '        healthcheck:\n            test: ["CMD", "curl", "-f", "http://localhost/health"]\n' in text
    assert text.startswith("# Two workers share their settings through an anchor")


# --- variables ----------------------------------------------------------------------------


def test_a_value_from_a_variable_is_fixed_in_the_env_file(tmp_path: Path) -> None:
    folder = project(DATA / "anchors", tmp_path / "anchors")
    patch = patched(folder, "reference.yml", "docker-compose.yml", only=["/services/web/image"])
    apply(folder, patch)
    assert (folder / ".env").read_text() == "# Image tags for this environment\nWEB_TAG=2.1.0\n"
    assert "ghcr.io/acme/web:${WEB_TAG}" in (folder / "docker-compose.yml").read_text()
    assert any("WEB_TAG" in note for note in patch.notes)


def test_a_value_from_a_default_is_fixed_in_the_default(tmp_path: Path) -> None:
    folder = project(DATA / "anchors", tmp_path / "anchors")
    patch = patched(folder, "reference.yml", "docker-compose.yml",
                    only=["/services/mailer/image", "/services/reports/image"])
    apply(folder, patch)
    assert "image: ghcr.io/acme/jobs:${JOBS_TAG:-1.9.0}" in (folder / "docker-compose.yml").read_text()
    assert [d.pointer for d in patch.fixed] == ["/services/mailer/image/tag", "/services/reports/image/tag"]


def test_a_value_taken_from_the_shell_is_not_fixed_and_the_patch_says_why(tmp_path: Path) -> None:
    folder = project(DATA / "anchors", tmp_path / "anchors")
    (folder / ".env").write_text("# nothing set here\n")
    patch = patched(folder, "reference.yml", "docker-compose.yml", only=["/services/web/image"])
    assert patch.fixed == ()
    assert "no file parity read sets" in patch.not_fixed[0].reason


# --- anchors and repeated blocks -----------------------------------------------------------


def test_a_value_shared_through_an_anchor_is_left_alone_when_only_one_service_needs_it(tmp_path: Path) -> None:
    folder = project(DATA / "anchors", tmp_path / "anchors")
    patch = patched(folder, "reference.yml", "docker-compose.yml")
    reasons = {n.drift.pointer: n.reason for n in patch.not_fixed}
    reason = reasons["/services/mailer/environment/CONCURRENCY"]
    assert "shared (through a YAML anchor) with /services/reports" in reason
    changed = [line for line in patch.text.splitlines() if line[:1] in (b"+", b"-") and not line.startswith(b"+++")]
    assert not [line for line in changed if b"CONCURRENCY" in line]


def test_the_sha256_guard_refuses_a_file_whose_repeated_blocks_moved(tmp_path: Path) -> None:
    folder = project(DATA / "repeated", tmp_path / "repeated")
    patch = patched(folder, "reference.yml", "compose.yml")
    assert check_sources(patch.text, folder) == []
    text = (folder / "compose.yml").read_text()
    b = text.index("  worker-b:")
    drifted = text[:b] + text[b:].replace('WORKERS: "2"', 'WORKERS: "3"', 1)  # someone scaled worker-b meanwhile
    (folder / "compose.yml").write_text(drifted)
    assert git(folder, "apply", "--check", "-", data=patch.text).returncode == 0  # context alone says yes…
    git(folder, "apply", "-", data=patch.text)
    applied = (folder / "compose.yml").read_text()
    worker_b = applied[applied.index("  worker-b:"):applied.index("  worker-c:")]
    assert "acme/worker:1.0.0" in worker_b and "acme/worker:1.1.0" in applied  # …and edits another worker
    (folder / "compose.yml").write_text(drifted)
    assert check_sources(patch.text, folder) == ["compose.yml: changed since the patch was made; make the patch again"]


# --- selection, additions, removals ------------------------------------------------------------


def test_only_the_selected_rows_are_fixed(tmp_path: Path) -> None:
    folder = project(DATA / "crlf", tmp_path / "crlf")
    patch = patched(folder, "reference.yml", "compose.yml", only=["/services/ledger"])
    assert {d.pointer for d in patch.fixed} == {"/services/ledger/image/tag", "/services/ledger/environment/TZ",
                                                "/services/ledger/deploy/replicas"}
    apply(folder, patch)
    assert all(p.startswith("/services/api") for p in unexpected(folder, "reference.yml", "compose.yml"))


def test_a_pointer_with_no_drift_is_refused_by_name(tmp_path: Path) -> None:
    folder = project(DATA / "crlf", tmp_path / "crlf")
    with pytest.raises(OptionsError, match="no drift at /services/nope"):
        patched(folder, "reference.yml", "compose.yml", only=["/services/nope"])


def test_whole_services_are_added_and_removed(tmp_path: Path) -> None:
    folder = project(DATA / "crlf", tmp_path / "crlf")
    reference = (folder / "reference.yml").read_text()
    cache = '  cache:\n    image: redis:7.2\n    command: ["redis-server", "--save", ""]\n\n  ledger:'
    (folder / "reference.yml").write_text(reference.replace("  ledger:", cache))
    target = (folder / "compose.yml").read_bytes()
    (folder / "compose.yml").write_bytes(target.replace(b"  ledger:", b"  mail:\r\n    image: mailhog/mailhog\r\n\r\n"
                                                        b"  ledger:"))
    patch = patched(folder, "reference.yml", "compose.yml", only=["/services/cache", "/services/mail"])
    apply(folder, patch)
    remaining = unexpected(folder, "reference.yml", "compose.yml")
    assert not [p for p in remaining if p.startswith(("/services/cache", "/services/mail"))]
    assert b"mailhog" not in (folder / "compose.yml").read_bytes()


def test_a_path_with_spaces_is_quoted_and_applies(tmp_path: Path) -> None:
    folder = project(DATA / "repeated", tmp_path / "repeated")
    (folder / "deploy dir").mkdir()
    shutil.move(folder / "compose.yml", folder / "deploy dir" / "my compose.yml")
    patch = patched(folder, "reference.yml", "deploy dir/my compose.yml")
    assert b'diff --git "a/deploy dir/my compose.yml" "b/deploy dir/my compose.yml"' in patch.text
    apply(folder, patch)
    assert unexpected(folder, "reference.yml", "deploy dir/my compose.yml") == []


# --- honesty -----------------------------------------------------------------------------


def test_a_live_target_gets_a_new_override_file(tmp_path: Path) -> None:
    reference = Environment("dev", "compose.yml", tree={"services": {"web": {
        "image": {"registry": "docker.io", "repository": "library/nginx", "tag": "1.25"},
        "environment": {"MODE": "dev", "API_TOKEN": "t0ps3cret"}}}}, sources=["compose.yml"])
    live = Environment("live", "docker://default/shop", tree={"services": {"web": {
        "image": {"registry": "docker.io", "repository": "library/nginx", "tag": "1.24"},
        "environment": {"MODE": "prod", "EXTRA": "1"}}}}, origins={(): Origin(context="default")})
    (tmp_path / "x").mkdir()
    patch = make_patch(compare(reference, live), base=tmp_path / "x")
    text = patch.text.decode()
    assert patch.checked
    assert {d.pointer for d in patch.fixed} == {"/services/web/image/tag", "/services/web/environment/MODE"}
    assert "--- /dev/null\n+++ b/compose.parity-override.yml\n" in text
    assert "+      MODE: dev\n" in text and "+    image: nginx:1.25\n" in text
    assert "t0ps3cret" not in text
    reasons = {n.drift.pointer: n.reason for n in patch.not_fixed}
    assert "cannot take a setting away" in reasons["/services/web/environment/EXTRA"]
    assert "placeholder" in reasons["/services/web/environment/API_TOKEN"]
    git(tmp_path / "x", "init", "-q", ".")
    assert git(tmp_path / "x", "apply", "-", data=patch.text).returncode == 0


#: Realistic edits a drifted copy may carry; the property test picks any non-empty set of them.
_EDITS = [
    ("image: acme/api:3.1.0", "image: acme/api:3.{minor}.0"),
    ("LOG_LEVEL: info", "LOG_LEVEL: debug"),
    ("      TIMEOUT: \"30\"\n", ""),
    ("restart: always", "restart: on-failure"),
    ("      - \"8080:80\"", "      - \"9090:80\""),
    ("image: postgres:15.4", "image: postgres:16.0"),
    ("    command: [\"worker\", \"--queue\", \"jobs\"]", "    command: [\"worker\", \"--queue\", \"mail\"]"),
    ("      WORKERS: \"4\"\n", "      WORKERS: \"4\"\n      EXTRA_FLAG: \"yes\"\n"),
]


def _drifted_copy(text: str, chosen: list[int], minor: int) -> str:
    """A copy of a compose file with the chosen realistic edits."""
    for index in chosen:
        old, new = _EDITS[index]
        text = text.replace(old, new.format(minor=minor), 1)
    return text


_BASE = """# Realistic service set for random drift
x-common: &common
  restart: always
services:
  api:
    <<: *common
    image: acme/api:3.1.0
    environment:
      LOG_LEVEL: info
      TIMEOUT: "30"
    ports:
      - "8080:80"
  worker:
    image: acme/api:3.1.0
    command: ["worker", "--queue", "jobs"]
    environment:
      WORKERS: "4"
  db:
    image: postgres:15.4
    environment:
      POSTGRES_DB: app
"""


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    chosen=st.lists(st.integers(0, len(_EDITS) - 1), min_size=1, max_size=len(_EDITS), unique=True),
    minor=st.integers(2, 9),
)
def test_the_self_check_never_claims_more_than_the_patch_does(chosen: list[int], minor: int) -> None:
    with tempfile.TemporaryDirectory(prefix="parity-property-") as tmp:
        folder = Path(tmp)
        (folder / "reference.yml").write_text(_BASE)
        (folder / "compose.yml").write_text(_drifted_copy(_BASE, chosen, minor))
        git(folder, "init", "-q", ".")
        comparison = compared(folder, "reference.yml", "compose.yml")
        patch = make_patch(comparison, base=folder)
        claimed = {d.pointer for d in patch.fixed}
        assert claimed | {n.drift.pointer for n in patch.not_fixed} == {d.pointer for d in comparison.unexpected}
        if patch.files:
            apply(folder, patch)
        left = set(unexpected(folder, "reference.yml", "compose.yml"))
        assert not claimed & left
        assert left <= {n.drift.pointer for n in patch.not_fixed}


def test_either_side_can_be_made_to_match_the_other(tmp_path: Path) -> None:
    folder = project(DATA / "crlf", tmp_path / "crlf")
    comparison = compared(folder, "reference.yml", "compose.yml")
    patch = make_patch(comparison, reference=1, target=0, base=folder)
    assert [c.path for c in patch.files] == ["reference.yml"] and not patch.not_fixed
    apply(folder, patch)
    assert unexpected(folder, "reference.yml", "compose.yml") == []


def test_two_matching_environments_give_an_empty_patch_that_says_so(tmp_path: Path) -> None:
    folder = project(DATA / "crlf", tmp_path / "crlf")
    patch = patched(folder, "compose.yml", "compose.yml")
    assert patch.empty and patch.text == b""
    assert patch.summary().endswith("nothing to change")


def test_every_way_of_writing_a_setting_is_edited_in_its_own_form(tmp_path: Path) -> None:
    folder = project(DATA / "forms", tmp_path / "forms")
    patch = patched(folder, "reference.yml", "compose.yml")
    assert not patch.not_fixed
    apply(folder, patch)
    text = (folder / "compose.yml").read_text()
    for written in [
        "image: acme/app:2.0@sha256:fedcba98",  # tag added before the digest
        "command: ./run --slow\n",  # a string stays a string
        "      - /bin/bash\n      - -c\n",  # only the item that differs changes
        "environment: {MODE: prod, LEVEL: \"2\", NEW: x}\n",  # flow style kept, new key inside
        '      - "traefik.enable=false"\n      - traefik.port=80\n',  # list form: entry edited, one added
        'test: ["CMD", "wget", "-q", "localhost"]\n      interval: 1m\n',  # exec form written as a list
        "      - target: 80\n        published: 9090\n",  # long syntax port keeps its form
        "      PASSTHROUGH: set-now\n",  # an empty value gains one
    ]:
        assert written in text
    assert unexpected(folder, "reference.yml", "compose.yml") == []


def test_a_patch_that_writes_secrets_starts_with_the_notice(tmp_path: Path) -> None:
    from parity_gui.core.secrets import REVEALED_NOTICE

    folder = project(EXAMPLES / "shop", tmp_path / "shop")
    assert patched(folder, SHOP_PROD, SHOP_DEV, reveal_secrets=True).text.startswith(f"# {REVEALED_NOTICE}\n".encode())
    assert REVEALED_NOTICE.encode() not in patched(folder, SHOP_PROD, SHOP_DEV).text



def test_a_service_built_from_anchors_is_added_whole_keeping_variables_and_spacing(tmp_path: Path) -> None:
    folder = project(EXAMPLES / "shop", tmp_path / "shop")
    reference = (folder / "docker-compose.yml").read_text()
    (folder / "reference.yml").write_text(reference)
    cut = reference[:reference.index("  worker:")] + reference[reference.index("  db:"):]
    (folder / "docker-compose.yml").write_text(cut)
    patch = patched(folder, "reference.yml", "docker-compose.yml")
    assert [d.pointer for d in patch.fixed] == ["/services/worker"]
    apply(folder, patch)
    text = (folder / "docker-compose.yml").read_text()
    assert "      - redisdata:/data\n\n  worker:\n    build:\n" in text
    assert "POSTGRES_PASSWORD: ${POSTGRES_PASSWORD:-CHANGE-ME-secret-POSTGRES_PASSWORD}\n" in text
    assert unexpected(folder, "reference.yml", "docker-compose.yml") == []


def test_a_volume_setting_is_changed_in_the_entrys_own_syntax(tmp_path: Path) -> None:
    folder = tmp_path / "p"
    folder.mkdir()
    (folder / "reference.yml").write_text(
        "services:\n  web:\n    image: nginx:1.27\n    volumes:\n      - ./site:/usr/share/nginx/html:ro\n"
        "      - type: volume\n        source: logs\n        target: /var/log/nginx\n        read_only: true\n"
    )
    (folder / "compose.yml").write_text(
        "services:\n  web:\n    image: nginx:1.27\n    volumes:\n      - ./site:/usr/share/nginx/html  # live edit\n"
        "      - type: volume\n        source: logs\n        target: /var/log/nginx\n        read_only: false\n"
    )
    git(folder, "init", "-q", ".")
    patch = patched(folder, "reference.yml", "compose.yml")
    assert not patch.not_fixed
    apply(folder, patch)
    text = (folder / "compose.yml").read_text()
    assert "      - ./site:/usr/share/nginx/html:ro  # live edit\n" in text
    assert "        read_only: true\n" in text
    assert unexpected(folder, "reference.yml", "compose.yml") == []


def test_a_variable_passed_through_from_the_shell_is_written_bare(tmp_path: Path) -> None:
    """``- MODE`` in the reference (set in no .env) means "whatever the shell holds": the fix
    writes it back as a pass-through variable in either syntax, never as the marker text."""
    folder = tmp_path / "p"
    folder.mkdir()
    (folder / "reference.yml").write_text(
        "services:\n  api:\n    image: acme/api:1\n    environment:\n      - MODE\n      - LEVEL=2\n"
        "  worker:\n    image: acme/worker:1\n    environment:\n      MODE:\n"
    )
    (folder / "compose.yml").write_text(
        "services:\n  api:\n    image: acme/api:1\n    environment:\n      - MODE=fast  # tuned\n      - LEVEL=2\n"
        "  worker:\n    image: acme/worker:1\n    environment:\n      MODE: fast\n"
    )
    git(folder, "init", "-q", ".")
    patch = patched(folder, "reference.yml", "compose.yml")
    assert not patch.not_fixed
    apply(folder, patch)
    text = (folder / "compose.yml").read_text()
    assert "      - MODE  # tuned\n" in text
    assert "      MODE: ~\n" in text
    assert unexpected(folder, "reference.yml", "compose.yml") == []


def test_a_live_target_override_leaves_list_settings_to_the_user(tmp_path: Path) -> None:
    """Secrets, a port's publish mode and placement preferences are lists in compose; the
    override does not write the canonical maps back, it says what to do."""
    service = {"image": {"registry": "docker.io", "repository": "shop/web", "tag": "1.4"}}
    reference = Environment("file", "stack.yml", tree={"services": {"web": {
        **service, "environment": {"MODE": "production"}, "secrets": {"db_password": {"source": "db_password"}},
        "publish_mode": {"9100/tcp": "host"},
        "deploy": {"placement": {"preferences": {"0": {"spread": "node.labels.zone"}}}}}}}, sources=["stack.yml"])
    live = Environment("live", "docker://prod/shop", tree={"services": {"web": {
        **service, "environment": {"MODE": "debug"}}}}, origins={(): Origin(context="prod")})
    (tmp_path / "x").mkdir()
    patch = make_patch(compare(reference, live), base=tmp_path / "x")
    assert {d.pointer for d in patch.fixed} == {"/services/web/environment/MODE"}
    reasons = {n.drift.pointer: n.reason for n in patch.not_fixed}
    assert "secrets by hand" in reasons["/services/web/secrets"]
    assert "set mode: on the port by hand" in reasons["/services/web/publish_mode"]
    assert "preferences are a list" in reasons["/services/web/deploy"]
