from __future__ import annotations

import hashlib
import re
from pathlib import Path

import pytest

from parity_gui.core.secret_text import looks_secret
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


# --- every rule with a real-looking false positive beside the true case --------------------

@pytest.mark.parametrize(
    ("secret_key", "ordinary_key"),
    [
        ("VAULT_SECRET_ID", "VAULT_ROLE_ID"),
        ("CLIENT_SECRET_ID", "CLIENT_ID"),
        ("GITHUB_PAT", "GITHUB_PAT_EXPIRY"),
        ("GITLAB_PAT", "GITLAB_URL"),
        ("JWT", "JWT_ISSUER"),
        ("STRIPE_SK", "STRIPE_PK"),
        ("DB_PW", "DB_PW_FILE"),
        ("REDIS_REQUIREPASS", "REDIS_MAXMEMORY"),
        ("redis_masterauth", "redis_master_host"),
    ],
)
def test_short_secret_names_hide_even_short_values(secret_key: str, ordinary_key: str) -> None:
    value = "k9Xq2mWvz"  # nine characters: no entropy rule could catch it
    assert mask_value(("services", "api", "environment", secret_key), value) != value
    assert mask_value(("services", "api", "environment", ordinary_key), value) == value


@pytest.mark.parametrize(
    ("key", "value"),
    [
        ("auth_cidr", "10.16.40.0/21"),
        ("private_subnets", ["10.0.1.0/24", "10.0.2.0/24"]),
        ("private_ip", "10.0.3.17"),
        ("secret_store_endpoint", "fd00:ec2::254"),
        ("token_signing_key_arn", "arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"),
        ("auth_vpc", "vpc-0a1b2c3d4e5f60718"),
        ("secret_scope", "/subscriptions/0000/resourceGroups/rg-shop/providers/Microsoft.KeyVault/vaults/kv-shop"),
    ],
)
def test_structured_identifiers_are_not_secrets_under_any_key(key: str, value: object) -> None:
    path = ("infrastructure", "module.network", "inputs", key)
    assert mask_value(path, value) == value
    assert MASK in str(mask_value(("infrastructure", "module.network", "inputs", "auth_token"), "10.16.40.0-x"))


def test_a_network_range_declared_sensitive_is_still_masked() -> None:
    tree = {"infrastructure": {"variable.office_cidr": {"sensitive": True, "value": "10.16.40.0/21"}}}
    masking = Masking.of([tree])
    assert MASK in mask_value(("infrastructure", "variable.office_cidr", "value"), "10.16.40.0/21", masking)
    assert mask_value(("infrastructure", "variable.office_cidr", "type"), "string", masking) == "string"


def test_sensitive_terraform_values_are_hidden_wherever_they_flow_whatever_their_length_or_case() -> None:
    tree = {"infrastructure": {
        "variable.db_password": {"sensitive": True, "value": "hunter"},
        "variable.pin": {"sensitive": True, "default": "42"},
        "variable.region": {"value": "eu-west-1"},
    }}
    masking = Masking.of([tree])
    user_data = ("infrastructure", "aws_instance.web", "user_data")
    assert mask_value(user_data, "#!/bin/sh\necho hunter > /etc/pw\n", masking) == f"#!/bin/sh\necho {MASK} > /etc/pw\n"
    assert mask_value(("infrastructure", "aws_instance.web", "tags", "Name"), "web-HUNTER", masking) == f"web-{MASK}"
    assert MASK in mask_value(("infrastructure", "locals", "pin"), "42", masking)
    # beside them: the same letters inside a longer word, a two-character value inside text, the region
    assert mask_value(user_data, "useradd hunters", masking) == "useradd hunters"
    assert mask_value(user_data, "port 8042 42x", masking) == "port 8042 42x"
    assert mask_value(("infrastructure", "variable.region", "value"), "eu-west-1", masking) == "eu-west-1"


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("redis-server --requirepass S3cretRedis", f"redis-server --requirepass {MASK}"),
        ("vault login --token s.k9Xq2mWv", f"vault login --token {MASK}"),
        ("mysqldump --password hunter2 shop", f"mysqldump --password {MASK} shop"),
        ("mysql -u root -p hunter2 shop", f"mysql -u root -p {MASK} shop"),
        ('command: ["redis-server", "--requirepass", "S3cret"]',
         f'command: ["redis-server", "--requirepass", "{MASK}"]'),
        ("  - --requirepass\n  - S3cret\n", f"  - --requirepass\n  - {MASK}\n"),
        # false positives beside them
        ("docker run -p 8080:80 -p 127.0.0.1:5432:5432/tcp nginx", None),
        ("psql -p 5432 -h db", None),
        ("mkdir -p data/cache", None),
        ('["mkdir", "-p", "data"]', None),
        ("redis-server --port 6379 --requirepass ${REDIS_PASSWORD}", None),
        ("app --password-file /run/secrets/db --token-ttl 3600", None),
        ("nginx-proxy --tls-key /etc/ssl/private/shop.key --cert ./certs/shop.pem", None),
    ],
)
def test_credentials_written_as_separate_command_words(text: str, shown: str | None) -> None:
    assert mask_text(text) == (text if shown is None else shown)


def test_a_command_list_masks_the_word_after_a_secret_flag_and_not_a_port() -> None:
    path = ("services", "cache", "command")
    shown = mask_value(path, ["redis-server", "--requirepass", "S3cret", "--token", "t0k", "-p", "8080:80"])
    assert shown[:2] == ["redis-server", "--requirepass"] and MASK in shown[2] and MASK in shown[4]
    assert shown[5:] == ["-p", "8080:80"]
    assert mask_value(path, ["mysql", "-p", "hunter2"])[2].startswith(MASK)
    assert mask_value(path, ["mkdir", "-p", "data"]) == ["mkdir", "-p", "data"]


@pytest.mark.parametrize(
    ("text", "leak"),
    [
        ("postgres://shop:pa/ss@db:5432/shop", "pa/ss"),
        ("postgres://shop:p@ss@w0rd@db:5432/shop", "ss@w0rd"),
        ("amqp://guest:G/u@st!@rabbit/vhost", "u@st"),
        ("include: file https:/deploy:Tr1cky@git.example.com/base.yml not found", "Tr1cky"),
        ("/srv/app/ftp:/u:Hunter2@files/base.yml", "Hunter2"),
        ("redis://:S3cret@cache:6379/0", "S3cret"),
    ],
)
def test_url_passwords_holding_slashes_or_at_signs_and_collapsed_slashes(text: str, leak: str) -> None:
    shown = mask_text(text)
    assert leak not in shown and MASK in shown


@pytest.mark.parametrize(
    "text",
    [
        "https://registry.npmjs.org:443/@babel/core",
        "http://cache:6379/0?user=a@b",
        "git@github.com:acme/shop.git",
        "https://user@example.com/path",
        "see https://example.com/a:b@c",
    ],
)
def test_urls_without_a_password_are_shown_as_written(text: str) -> None:
    assert mask_text(text) == text


@pytest.mark.parametrize(
    "message",
    [
        "compose.yml:3:5: duplicate key: cannot be empty",
        "main.tf:12:3: key: line 12, column 3",
        "secrets.yml: token: 12:7: unexpected end",
        "api key: must be a string",
    ],
)
def test_error_messages_keep_their_words(message: str) -> None:
    assert mask_text(message) == message
    shown = mask_text(f"{message} (sent X-Api-Key: k3y-value-9, password: hunter22)")
    assert shown.startswith(message) and "k3y-value-9" not in shown and "hunter22" not in shown


def test_an_image_pinned_by_digest_is_not_a_secret() -> None:
    image = "acme/app@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"
    assert mask_text(f"image: {image}") == f"image: {image}"
    assert MASK in mask_text("seed: q8Zt2vXw9LmN4pRs7KjH3gFd6CanaryY")


@pytest.mark.parametrize(
    "lookalike",
    [
        "ghp_docs-example",  # the prefix of a GitHub token, far too short to be one
        "AKIAEXAMPLE",  # an AWS key id needs 16 more characters
        "sk_live_ in the Stripe dashboard",
        "xoxb-token",
        "eyJhbGciOiJIUzI1NiJ9",  # one base64 JSON segment, not a three-part JWT
        "-----BEGIN PUBLIC KEY-----",
        "npm_config_cache=/tmp/npm",
        "see glpat-…",
    ],
)
def test_text_shaped_like_a_token_prefix_is_not_a_token(lookalike: str) -> None:
    assert mask_value(("services", "web", "labels", "com.example.note"), lookalike) == lookalike


@pytest.mark.parametrize(
    "name",
    ["gke-prod-default-pool-3f2a9c1d-x7k2", "acme-shop-tfstate-9f3k2x7q1m", "subnet-0123456789abcdef0",
     "d111111abcdef8.cloudfront.net", "ocid1.instance.oc1.phx.abuw4ljrlsfiqw6vzzxb43vyypt4pkodawglp3wqxjq"],
)
def test_generated_resource_names_are_not_random_secrets(name: str) -> None:
    path = ("infrastructure", "aws_instance.web", "tags", "Name")
    assert mask_value(path, name) == name
    # beside them: random tokens that mix cases, or have no word in them, still are
    assert MASK in mask_value(path, "Gk3-Prod-9fK2xQ7w1mZt4vB8nR2s")
    assert MASK in mask_value(path, "k3j2h4g5-x9z8w7v6u5t4s3r2q1p0")


@pytest.mark.parametrize(
    "reference",
    ["ghcr.io/acme/node-agent:1.0", "registry.example.com:5000/team/api-gateway:2.14.3-rc1",
     "quay.io/prometheus/node-exporter:v1.8.2"],
)
def test_an_image_reference_is_not_a_secret(reference: str) -> None:
    """Image references (distribution spec: lower-case path components, a tag) read as random
    text to an entropy rule; a real token beside them still does."""
    assert not looks_secret(reference)
    assert mask_text(f"image: {reference}") == f"image: {reference}"
    assert looks_secret("Zp9XqAb7Kd2mWvN4rT8sLq3Yh6Fj")  # a random token of the same length


def test_the_image_reference_pattern_is_linear() -> None:
    import time

    for text in ("a-" * 100_000 + "/", "a_" * 100_000 + "/b:", "ab" * 100_000 + "/" + "c-" * 50_000 + "1"):
        started = time.perf_counter()
        looks_secret(text)
        assert time.perf_counter() - started < 1.0
