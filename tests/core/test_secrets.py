from __future__ import annotations

import pytest

from parity_gui.core.secrets import MASK, is_secret_key, is_secret_path, mask_text, mask_value


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
