"""Secrets that leaked through hostile input, one test per cause: masking that took minutes,
Terraform ``sensitive`` values reused elsewhere, credentials as separate command words, URL
passwords holding ``/`` or ``@``, error text in the GUI, the patch's removed and context lines,
``--debug`` tracebacks. Each true case has a real-looking false positive beside it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from parity_gui.cli.main import main
from parity_gui.core.secret_text import MASK, hide_in_words, is_identifier, looks_secret
from parity_gui.core.secrets import Masking, is_secret_key, mask_text, mask_value
from parity_gui.export.patch.secrets import SecretPolicy
from tests.export.patching import apply, git, patched
from tests.hostile import secret_inputs
from tests.hostile.conftest import within_memory

FORMATS = ["text", "json", "markdown", "html", "sarif"]


# --- time: every pattern is linear ---------------------------------------------------------


@pytest.mark.timeout(20)
@pytest.mark.parametrize("name", sorted(secret_inputs.FRAGMENTS))
def test_each_pattern_masks_a_200000_character_adversarial_value(name: str) -> None:
    """Before, one such value took 32 s; a hang shows here as the timeout. None of these values
    holds a credential but the PEM header (which runs to the end of the text), so each comes
    back as it was: the masker neither hangs nor eats text."""
    text = secret_inputs.adversarial(secret_inputs.FRAGMENTS[name])
    expected = MASK if name == "PEM headers" else text
    masking = Masking(known=frozenset({"hunter", "Tr1cky-Pa55word"}))
    assert within_memory(lambda: mask_text(text, masking)) == expected
    assert mask_value(("services", "web", "command"), text, masking) in (expected, text) or name == "PEM headers"
    words = text.split(" ")[:20_000]
    assert hide_in_words(words, is_secret_key) == [mask_text(w) for w in words] or name == "-p flags"
    assert SecretPolicy(masking=masking).line(text) == expected
    assert not is_identifier(text) or name in ("cloud paths",)
    assert looks_secret(text) == (name == "PEM headers")


@pytest.mark.timeout(20)
def test_a_long_value_holding_a_credential_is_masked_and_the_rest_kept() -> None:
    filler = secret_inputs.adversarial("a://b:", 100_000)
    text = f"{filler} postgres://shop:pa/ss@w0rd@db/shop {filler}"
    shown = mask_text(text)
    assert "w0rd" not in shown and shown.startswith(filler) and shown.endswith(filler)


@pytest.mark.timeout(90)
def test_a_terraform_file_doubling_a_string_40_times_is_compared(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """1.5 KB of locals doubling a string: over 100 s before; ``bench/masking.py`` times it."""
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    (tmp_path / "a" / "main.tf").write_text(secret_inputs.doubling_terraform())
    (tmp_path / "b" / "main.tf").write_text('resource "aws_instance" "web" {\n  ami = "ami-0abcdef1234567890"\n}\n')
    code = main(["compare", "--format", "json", str(tmp_path / "a" / "main.tf"), str(tmp_path / "b" / "main.tf")])
    out, err = capsys.readouterr()
    assert code == 1, err
    assert json.loads(out)["drift"]


# --- Terraform sensitive values, wherever they flow ------------------------------------------

TERRAFORM = """\
variable "db_password" {
  type      = string
  sensitive = true
}

variable "office_auth_cidr" {
  type    = string
}

locals {
  # a comment, as real modules have
  conn = "host=db user=app password=${var.db_password}"
  greeting = "hello ${var.db_password}"
}

resource "aws_instance" "web" {
  ami       = "ami-0abcdef1234567890"
  user_data = <<-EOT
    #!/bin/sh
    echo ${upper(var.db_password)} > /etc/app/pw
    useradd hunters
    EOT
  tags = {
    Name  = "web-${var.db_password}"
    Owner = "platform"
  }
}

resource "aws_security_group_rule" "office" {
  cidr_blocks = [var.office_auth_cidr]
}

output "db" {
  value     = var.db_password
  sensitive = true
}
"""


def terraform_sides(root: Path) -> tuple[str, str]:
    for side, password, cidr in (("dev", "hunter", "10.16.40.0/21"), ("prod", "sw0rd", "10.16.48.0/21")):
        (root / side).mkdir()
        (root / side / "main.tf").write_text(TERRAFORM)
        (root / side / "terraform.tfvars").write_text(
            f'db_password      = "{password}"\r\noffice_auth_cidr = "{cidr}" # the VPN range\r\n'
        )
    return str(root / "dev" / "main.tf"), str(root / "prod" / "main.tf")


@pytest.mark.timeout(60)
@pytest.mark.parametrize("output_format", FORMATS)
def test_a_short_lowercase_sensitive_value_is_masked_wherever_it_is_reused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], output_format: str
) -> None:
    left, right = terraform_sides(tmp_path)
    assert main(["compare", "--format", output_format, left, right]) == 1
    out, err = capsys.readouterr()
    for leak in ("hunter ", "hunter\\", "HUNTER", "web-hunter", "sw0rd", "SW0RD", "hello hunter"):
        assert leak not in out + err, leak
    assert "hunters" in out  # the same letters inside another word are not the secret
    assert "10.16.40.0/21" in out and "10.16.48.0/21" in out  # a network range is not a secret


def test_a_sensitive_value_is_masked_in_the_gui_and_the_patch(tmp_path: Path) -> None:
    from parity_gui.app.compare import request_for, run
    from parity_gui.export.patch.fix import make_patch
    from parity_gui.ui.models.values import masking_of, shown_normalised, shown_text

    left, right = terraform_sides(tmp_path)
    comparison = run(request_for([left, right], cwd=tmp_path))
    masking = masking_of(comparison)
    shown = []
    for drift in (*comparison.drifts, *comparison.context):
        for env, value in zip(comparison.environments, drift.values, strict=True):
            shown.append(shown_text(env, drift.path, value, reveal=False, masking=masking))
            shown.append(shown_normalised(drift.path, value, reveal=False, masking=masking))
    assert shown and not [s for s in shown if "sw0rd" in s.lower() or "hunter " in s.lower()]
    text = make_patch(comparison, reference=0, target=1, base=tmp_path).text.decode()
    assert "sw0rd" not in text and "hunter" not in text


# --- credentials as separate command words, in reports and the patch ------------------------

COMMANDS = """\
services:
  cache:
    image: redis:7
    command: redis-server --appendonly yes --requirepass {pw}-cache
    ports: ["6379:6379"]
  db:
    image: mysql:8
    command: ["mysqld", "--password", "{pw}-db", "-p", "8080:80"]
  vault:
    image: hashicorp/vault:1.15
    command:
      - vault
      - login
      - --token
      - "{pw}-vault"
  tools:
    image: busybox
    command: sh -c "mkdir -p data && mysql -h db -p {pw}-mysql shop"
"""


@pytest.mark.timeout(60)
def test_credentials_as_separate_command_words_are_masked_in_reports_and_patch_lines(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "ref.yml").write_text(COMMANDS.format(pw="Canary1"))
    (tmp_path / "compose.yml").write_text(COMMANDS.format(pw="Canary2"))
    git(tmp_path, "init", "-q")
    for output_format in FORMATS:
        main(["compare", "--format", output_format, str(tmp_path / "ref.yml"), str(tmp_path / "compose.yml")])
        out, err = capsys.readouterr()
        assert "Canary" not in out + err, output_format
        assert "8080:80" in out and "mkdir -p data" in out  # port and path flags stay readable
    patch = patched(tmp_path, "ref.yml", "compose.yml")
    text = patch.text.decode()
    assert "Canary" not in text
    assert "line(s) of this patch show secrets masked" in text


# --- URL passwords, and errors in the GUI and with --debug --------------------------------


def url_compose(root: Path) -> Path:
    compose = root / "compose.yml"
    compose.write_text(
        "include:\n  - https://deploy:Pa/ss@w0rd@git.example.com//acme/base.yml\n"
        "services:\n  web:\n    image: nginx\n"
    )
    return compose


@pytest.mark.parametrize("debug", [[], ["--debug"]])
def test_a_url_password_in_an_include_error_is_masked_even_with_debug(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], debug: list[str]
) -> None:
    good = tmp_path / "good.yml"
    good.write_text("services:\n  web:\n    image: nginx\n")
    assert main([*debug, "compare", str(url_compose(tmp_path)), str(good)]) == 2
    _, err = capsys.readouterr()
    assert "compose.yml" in err and "git.example.com" in err
    assert "Pa/ss" not in err and "w0rd" not in err and "ss@" not in err
    assert ("Traceback" in err) == bool(debug)


def test_the_gui_masks_the_text_of_a_failed_load(tmp_path: Path) -> None:
    from parity_gui.app.compare import load_environment
    from parity_gui.errors import ParityError
    from parity_gui.ui.loading import Failure

    with pytest.raises(ParityError) as raised:
        load_environment(str(url_compose(tmp_path)), "dev", base=tmp_path)
    assert "w0rd" in str(raised.value)  # the error itself carries it: only what is shown is masked
    failure = Failure.of(raised.value)
    assert "w0rd" not in failure.message + failure.location() and "git.example.com" in failure.message
    internal = Failure.of(RuntimeError("connect to postgres://app:Hunter2@db failed"))
    assert "Hunter2" not in internal.message and "postgres://app:" in internal.message


# --- the patch's removed and context lines ---------------------------------------------------

TARGET = """\
services:
  web:
    environment:
      AUTH_ENABLED: "true"
      POSTGRES_PASSWORD: target-only-Pw1
      TOKEN_PATH: /run/secrets/token
    image: acme/web:1.0
    labels:
      backup.target: redis://:target-redis-pw@cache:6379/0
"""


def test_removed_and_context_lines_hide_the_targets_secrets_and_the_header_says_to_restore(tmp_path: Path) -> None:
    (tmp_path / "ref.yml").write_text(TARGET.replace("acme/web:1.0", "acme/web:1.1"))
    (tmp_path / "compose.yml").write_text(TARGET)
    git(tmp_path, "init", "-q")
    masked = patched(tmp_path, "ref.yml", "compose.yml")
    text = masked.text.decode()
    assert "target-only-Pw1" not in text and "target-redis-pw" not in text
    assert "-    image: acme/web:1.0" in text and "+    image: acme/web:1.1" in text
    assert " TOKEN_PATH: /run/secrets/token" in text and ' AUTH_ENABLED: "true"' in text  # not secrets
    assert "2 line(s) of this patch show secrets masked" in text
    clear = patched(tmp_path, "ref.yml", "compose.yml", reveal_secrets=True)
    assert "target-only-Pw1" in clear.text.decode()
    apply(tmp_path, clear)
    assert "acme/web:1.1" in (tmp_path / "compose.yml").read_text()


def test_a_patch_without_secrets_in_its_lines_applies_as_it_is(tmp_path: Path) -> None:
    plain = "services:\n  web:\n    image: acme/web:1.0\n    environment:\n      LOG_LEVEL: info\n"
    (tmp_path / "ref.yml").write_text(plain.replace("info", "debug"))
    (tmp_path / "compose.yml").write_text(plain)
    git(tmp_path, "init", "-q")
    patch = patched(tmp_path, "ref.yml", "compose.yml")
    assert "show secrets masked" not in patch.text.decode()
    apply(tmp_path, patch)


@pytest.mark.parametrize(
    ("line", "shown"),
    [
        ('db_password      = "hunter"  # dev only\r\n', f'db_password      = "{MASK}"  # dev only\r\n'),
        ("ENV API_SECRET s3cr3t-value\n", f"ENV API_SECRET {MASK}\n"),
        ("export GITHUB_PAT=k9Xq2mWvz\n", f"export GITHUB_PAT={MASK}\n"),
        ("      - REDIS_REQUIREPASS=sw0rdfish\n", f"      - REDIS_REQUIREPASS={MASK}\n"),
        # false positives beside them
        ('office_auth_cidr = "10.16.40.0/21"\n', None),
        ("      POSTGRES_PASSWORD: ${POSTGRES_PASSWORD}\n", None),
        ("    password_file: /run/secrets/db\n", None),
        ("      JWT_ISSUER: https://auth.example.com/\n", None),
        ("    secrets:\n", None),
        ("      API_TOKEN: |\n", None),
    ],
)
def test_a_patch_line_hides_the_value_of_a_secret_setting(line: str, shown: str | None) -> None:
    assert SecretPolicy().line(line) == (line if shown is None else shown)


def test_a_secret_written_as_a_yaml_block_is_masked_in_the_patch() -> None:
    body = (b"diff --git a/compose.yml b/compose.yml\n--- a/compose.yml\n+++ b/compose.yml\n@@ -1,7 +1,7 @@\n"
            b" services:\n   web:\n     environment:\n       TLS_PRIVATE_KEY: |\n"
            b"         MIIEowIBAAKCAQEA7bq98\n         Zm9vYmFy\n-    image: acme/web:1.0\n+    image: acme/web:1.1\n")
    masked, count = SecretPolicy().hunks(body)
    assert b"MIIE" not in masked and b"Zm9v" not in masked and count == 2
    assert b"       TLS_PRIVATE_KEY: |\n" in masked and b"-    image: acme/web:1.0\n" in masked


# --- URL passwords of any shape, generated ---------------------------------------------------

_PASSWORD_CHARACTERS = st.characters(
    min_codepoint=33, max_codepoint=126, exclude_characters="\"'<>?#`"
)


@settings(max_examples=300, deadline=None)
@given(
    user=st.from_regex(r"[a-z][a-z0-9_.-]{0,12}", fullmatch=True),
    password=st.text(_PASSWORD_CHARACTERS, min_size=1, max_size=40).filter(
        lambda p: not p[0].isdigit() or "/" not in p  # "443/…" after a host is a port and a path
    ),
    host=st.from_regex(r"[a-z][a-z0-9-]{0,10}(\.[a-z]{2,6}){0,2}", fullmatch=True),
    slashes=st.sampled_from(["//", "/"]),
)
def test_a_url_password_of_any_shape_is_masked_whole(user: str, password: str, host: str, slashes: str) -> None:
    """Passwords holding ``/``, ``@`` or ``:``, after ``//`` or a collapsed ``/``: the whole
    password goes, user, host and path stay."""
    text = f"env_file postgres:{slashes}{user}:{password}@{host}:5432/shop not found"
    assert mask_text(text) == f"env_file postgres:{slashes}{user}:{MASK}@{host}:5432/shop not found"


@settings(max_examples=300, deadline=None)
@given(
    flag=st.sampled_from(["--password", "--requirepass", "--token", "--masterauth", "-p"]),
    secret=st.text(st.characters(min_codepoint=33, max_codepoint=126, exclude_characters="\"'`,]"),
                   min_size=1, max_size=30).filter(lambda s: not s.startswith(("-", "/", "./", "~/", "$"))),
)
def test_a_secret_flag_value_of_any_shape_is_masked_in_both_command_forms(flag: str, secret: str) -> None:
    """Every value but a port, a number or a path after ``-p``; every value after the others."""
    if flag == "-p" and all(c.isdigit() or c in ".:/[]-" for c in secret):
        return  # a port or a port mapping: shown, as the false-positive cases above check
    words = ["redis-server", "--appendonly", "yes", flag, secret, "--port", "6379"]
    assert mask_text(" ".join(words)) == " ".join([*words[:4], MASK, *words[5:]])
    shown = mask_value(("services", "cache", "command"), words)
    assert shown[:4] == words[:4] and shown[4].startswith(MASK) and shown[5:] == ["--port", "6379"]
