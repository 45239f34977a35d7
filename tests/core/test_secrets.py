from __future__ import annotations

import hashlib
import re
from pathlib import Path

import pytest

from parity_gui.core.secrets import (
    MASK,
    Masking,
    is_secret_key,
    is_secret_path,
    mask_text,
    mask_value,
    new_report,
    secret_status,
)


@pytest.mark.parametrize(
    "key",
    ["POSTGRES_PASSWORD", "api-key", "AWS_SECRET_ACCESS_KEY", "githubToken", "SENTRY_DSN", "DB_PASS",
     "private_key", "STRIPE_API_KEY", "JWT_SECRET"],
)
def test_secret_looking_keys(key: str) -> None:
    assert is_secret_key(key)


@pytest.mark.parametrize(
    "key", ["POSTGRES_USER", "DEBUG", "PASSWORD_FILE", "keyboard_layout", "TOKEN_PATH", "monkey", "PUBLIC_KEY_ID"]
)
def test_ordinary_keys(key: str) -> None:
    assert not is_secret_key(key)


def test_secret_paths_look_at_the_user_chosen_key() -> None:
    assert is_secret_path(("services", "db", "environment", "POSTGRES_PASSWORD"))
    assert is_secret_path(("variables", "API_TOKEN"))
    assert not is_secret_path(("services", "password-reset", "image", "tag"))


def test_masked_values_still_tell_whether_two_secrets_differ() -> None:
    path = ("services", "db", "environment", "POSTGRES_PASSWORD")
    one, same, other = mask_value(path, "hunter2"), mask_value(path, "hunter2"), mask_value(path, "swordfish")
    assert MASK in one and "hunter2" not in one
    assert one == same != other


def test_passwords_inside_urls_are_hidden_whatever_the_key() -> None:
    assert mask_text("postgres://shop:s3cret@db:5432/shop") == f"postgres://shop:{MASK}@db:5432/shop"
    assert mask_text("redis://cache:6379/0") == "redis://cache:6379/0"
    path = ("services", "web", "environment", "DATABASE_URL")
    assert "s3cret" not in mask_value(path, "postgres://shop:s3cret@db/shop")


def test_terraform_variables_are_masked_by_the_variable_name() -> None:
    assert is_secret_path(("infrastructure", "variable.db_password", "value"))
    assert is_secret_path(("infrastructure", "variable.db_password", "default"))
    assert not is_secret_path(("infrastructure", "variable.region", "value"))


# --- the secrets module: key rules, formats, free text, entropy, tags ---------------------

TOKENS = {
    "github": "ghp_" + "aB3dE5fG7hJ9kL1mN3pQ5rS7tU9vW1xY3zA5",
    "github-fine-grained": "github_pat_11ABCDEFG0123456789_abcdefghijklmnopqrstuvwxyz0123",
    "gitlab": "glpat-xYz12AbC34dEf56GhI78",
    "aws-access-key": "AKIAIOSFODNN7EXAMPLE",
    "slack": "xoxb-1234567890-1234567890123-AbCdEfGhIjKlMnOpQrStUvWx",
    "stripe": "sk_live_4eC39HqLyjWDarjtT1zdp7dc",
    "google": "AIzaSyD-9tSrke72PouQMnMX-a7eZSW0jkFMBWY",
    "npm": "npm_" + "a1B2c3D4e5F6g7H8i9J0k1L2m3N4o5P6q7R8",
    "pypi": "pypi-AgEIcHlwaS5vcmcCJDU3OTM5NjY4LWFhYjAtNDg3ZS1iYmRmLTk0ZmM3NzZkZjM1NwACKlsz",
    "jwt": "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0."
           "dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U",
    "aws-secret-key": "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
}
PEM = "-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEA7bq98\n-----END RSA PRIVATE KEY-----"


@pytest.mark.parametrize("name", sorted(TOKENS))
def test_known_token_formats_are_masked_under_any_key(name: str) -> None:
    token = TOKENS[name]
    shown = mask_value(("services", "web", "labels", "com.example.note"), token)
    assert token not in str(shown) and MASK in shown
    assert token not in mask_text(f"run --flag {token} now")


def test_a_pem_private_key_is_masked_as_a_whole() -> None:
    shown = mask_value(("services", "web", "environment", "TLS_MATERIAL"), PEM)
    assert "MIIE" not in shown and MASK in shown


@pytest.mark.parametrize(
    ("text", "leak"),
    [
        ("psql postgres://admin:Canary-pw-1@db/shop", "Canary-pw-1"),
        ("curl -H 'Authorization: Bearer abc.def-ghi' https://api", "abc.def-ghi"),
        ("curl -H 'X-Api-Key: k3y-value-9' https://api", "k3y-value-9"),
        ("mysqldump --password=Hunter2x --user root", "Hunter2x"),
        ("vault login --token s.Abcdef123 -method=token", "s.Abcdef123"),
        ("PGPASSWORD=swordfish42 psql -h db", "swordfish42"),
        ('export API_TOKEN="quoted value here"', "quoted value here"),
        ("curl -fsS -u deploy:Tr1ckyPw https://repo.example/pkg", "Tr1ckyPw"),
        ("wget --user=deploy:An0therPw https://repo.example/pkg", "An0therPw"),
    ],
)
def test_credentials_inside_free_text_are_hidden_and_the_rest_kept(text: str, leak: str) -> None:
    shown = mask_text(text)
    assert leak not in shown
    assert MASK in shown
    assert shown[:4] == text[:4] and len(shown) > len(MASK) + 4


@pytest.mark.parametrize(
    "value",
    [
        "nginx:1.25-alpine", "sha256:" + "0f" * 32, "3f2a9c1d4e5b6a7980f1e2d3c4b5a6978f0e1d2c", "unless-stopped",
        "123e4567-e89b-12d3-a456-426614174000", "${DATABASE_PASSWORD}", "/var/lib/postgresql/data",
        "gunicorn -b 0.0.0.0:8000 shop.wsgi:application --workers 4", "ami-0abcdef1234567890",
        "org.opencontainers.image.source", "https://github.com/acme/shop/tree/main/services",
        "arn:aws:iam::123456789012:role/deploy", "eu-west-1a", "PASSWORD_FILE=/run/secrets/db",
        "--password-file /run/secrets/db", "AUTH_ENABLED=true", "docker run -u 1000:1000 app",
        "curl -u deploy https://repo.example", "--user root",
    ],
)
def test_ordinary_configuration_is_shown_as_written(value: str) -> None:
    assert mask_value(("services", "web", "command"), value) == value


def test_exempt_key_names_point_at_a_secret_rather_than_hold_one() -> None:
    for key in ("DB_PASSWORD_FILE", "TOKEN_PATH", "AWS_ACCESS_KEY_ID", "AUTH_ENABLED", "SECRET_NAME"):
        assert not is_secret_key(key), key
    for key in ("DATABASE_CONNECTION_STRING", "CLIENT_SECRET", "SESSION_COOKIE", "REDIS_PASSPHRASE"):
        assert is_secret_key(key), key


def test_tags_match_equal_secrets_within_a_report_and_change_with_the_next() -> None:
    path = ("variables", "DB_PASSWORD")
    one, two = mask_value(path, "hunter2"), mask_value(path, "hunter2")
    assert one == two and re.fullmatch(rf"{MASK} \[[0-9a-f]{{8}}\]", one)
    assert hashlib.sha256(b"'hunter2'").hexdigest()[:8] not in one
    new_report()
    assert mask_value(path, "hunter2") != one


def test_secret_status_says_whether_the_secret_differs() -> None:
    path = ("services", "db", "environment", "POSTGRES_PASSWORD")
    assert secret_status(path, ["a", "b"]) == "(secret changed)"
    assert secret_status(path, ["a", "a"]) == "(secret, unchanged)"
    assert secret_status(("services", "db", "image", "tag"), ["14", "15"]) is None


def test_terraform_sensitive_variables_are_secret_and_their_values_hidden_elsewhere() -> None:
    tree = {
        "infrastructure": {
            "variable.connection": {"sensitive": True, "value": "Server=db;Uid=app;Pwd=T0pS3cret!"},
            "module.app": {"inputs": {"conn": "Server=db;Uid=app;Pwd=T0pS3cret!"}},
            "variable.region": {"value": "eu-west-1"},
        }
    }
    masking = Masking.of([tree])
    assert is_secret_path(("infrastructure", "variable.connection", "value"), masking)
    assert not is_secret_path(("infrastructure", "variable.connection", "value"))
    assert not is_secret_path(("infrastructure", "variable.region", "value"), masking)
    shown = mask_value(("infrastructure", "module.app", "inputs", "conn"), "Server=db;Uid=app;Pwd=T0pS3cret!", masking)
    assert "T0pS3cret" not in shown
    assert "T0pS3cret" not in mask_text("error near Server=db;Uid=app;Pwd=T0pS3cret!", masking)


def test_a_command_holding_a_password_shows_the_command_with_the_password_hidden() -> None:
    shown = mask_value(("services", "web", "command"), ["sh", "-c", "PGPASSWORD=Swordfish-42 psql -h db"])
    assert shown == ["sh", "-c", f"PGPASSWORD={MASK} psql -h db"]


def test_numbers_under_secret_keys_are_masked_too() -> None:
    assert MASK in mask_value(("variables", "PIN"), 4711)


def test_a_plain_word_used_as_a_password_does_not_hide_the_same_word_elsewhere() -> None:
    tree = {"services": {"db": {"image": {"repository": "library/postgres"},
                                "environment": {"POSTGRES_PASSWORD": "postgres"}}}}
    masking = Masking.of([tree])
    assert mask_value(("services", "db", "image", "repository"), "library/postgres", masking) == "library/postgres"
    assert MASK in mask_value(("services", "db", "environment", "POSTGRES_PASSWORD"), "postgres", masking)


def test_secrets_found_when_loading_are_not_looked_for_again() -> None:
    from parity_gui.core.secrets import Masking, secrets_in
    from parity_gui.core.tree import Environment

    tree = {"services": {"db": {"environment": {"POSTGRES_PASSWORD": "Tr1cky-Pa55word"}}}}
    assert secrets_in(tree) == frozenset({"Tr1cky-Pa55word"})
    loaded = Environment("dev", "a", tree=tree, secrets=frozenset({"found-by-the-loader-1"}))
    assert Masking.of([loaded]).known == frozenset({"found-by-the-loader-1"})
    assert Masking.of([Environment("dev", "a", tree=tree)]).known == frozenset({"Tr1cky-Pa55word"})


def test_combined_environments_unite_their_secrets() -> None:
    from parity_gui.core.tree import Environment, combine

    one = Environment("dev", "a", secrets=frozenset({"a-Secret-1"}))
    two = Environment("dev", "b", secrets=frozenset({"b-Secret-2"}))
    assert combine([one, two], "dev", "a+b").secrets == frozenset({"a-Secret-1", "b-Secret-2"})
    assert combine([one, Environment("dev", "c")], "dev", "a+c").secrets is None


def test_a_loaded_environment_carries_its_secrets(tmp_path: Path) -> None:
    from parity_gui.sources.registry import load

    env_file = tmp_path / ".env"
    env_file.write_text("API_TOKEN=Zx9-canary-Qp27\nDEBUG=1\n", encoding="utf-8")
    assert load(str(env_file), "dev").secrets == frozenset({"Zx9-canary-Qp27"})


@pytest.mark.parametrize(
    ("text", "kept"),
    [
        ("Server=sql.internal;Database=shop;User Id=shop_app;Password=Pr0d S3cret;", "Server=sql.internal;"),
        ("Host=db;Username=app;Pwd='with;semicolon';Pooling=true", "Pooling=true"),
        ("Endpoint=sb://bus.example.net/;SharedAccessKeyName=Root;SharedAccessKey=abc def=",
         "SharedAccessKeyName=Root"),
    ],
)
def test_a_password_inside_a_connection_string_is_hidden_to_the_next_semicolon(text: str, kept: str) -> None:
    shown = mask_text(text)
    assert kept in shown
    assert not any(word in shown for word in ("Pr0d", "S3cret", "with", "semicolon", "abc def"))


def test_connection_string_masking_is_linear_on_adversarial_text() -> None:
    import time

    for text in (";a=\"" * 50_000, ";Password='" + "x " * 100_000, "a b" * 70_000 + ";Password=x",
                 ";" + "a " * 100_000 + "=", "Password=" * 25_000 + ";"):
        started = time.perf_counter()
        mask_text(text)
        assert time.perf_counter() - started < 2.0
