"""Loading a real-looking compose project (tests/data/compose/shop): one file, and the base merged
with its development override or its production file, like ``docker compose -f a -f b``."""

from __future__ import annotations

from pathlib import Path

import pytest

from parity_gui.core.origin import Origin
from parity_gui.core.tree import MISSING, Environment, Level
from parity_gui.errors import ParseError
from parity_gui.sources.compose.load import compose_files_in, load_compose_files, load_folder
from parity_gui.sources.registry import SpecFile

SHOP = Path(__file__).resolve().parent.parent / "data" / "compose" / "shop"
FOLDERS = SHOP.parent / "folders"


def shop(*names: str) -> Environment:
    files = [SpecFile(SHOP / n, f"shop/{n}") for n in ("docker-compose.yml", *names)]
    return load_compose_files(files, "shop", "+".join(f.display for f in files))


def test_services_are_read_and_extension_fields_are_not_services() -> None:
    env = shop()
    assert sorted(env.tree["services"]) == ["api", "cache", "db", "web"]
    assert env.tree["project"] == {"name": "shop"}
    assert not any(key.startswith("x-") for key in env.tree)


def test_merge_keys_from_a_list_of_anchors_fill_a_service() -> None:
    db = shop().tree["services"]["db"]
    assert db["restart"] == "unless-stopped"
    assert db["logging"] == {"driver": "json-file", "options": {"max-size": "10m", "max-file": "3"}}


def test_an_image_reference_is_split_and_interpolated_from_the_dotenv_file() -> None:
    env = shop()
    assert env.tree["services"]["db"]["image"] == {
        "registry": "docker.io", "repository": "library/postgres", "tag": "14.7",
    }
    assert env.raw[("services", "db", "image")] == "postgres:${POSTGRES_TAG:-14.7}"
    api_image = env.tree["services"]["api"]["image"]
    assert (api_image["registry"], api_image["repository"], api_image["tag"]) == (
        "ghcr.io", "acme/shop-api", "1.4.2",
    )


def test_an_image_without_tag_is_latest_as_implied(tmp_path: Path) -> None:
    (tmp_path / "compose.yaml").write_text("services:\n  mail:\n    image: mailhog/mailhog\n")
    env = load_folder(tmp_path, "p", "p", "p")
    assert env.tree["services"]["mail"]["image"]["tag"] == "latest"
    assert env.raw[("services", "mail", "image", "tag")] == "(implied)"


def test_quoted_dotenv_values_are_read_without_quotes_and_hashes_kept() -> None:
    url = shop().tree["services"]["api"]["environment"]["DATABASE_URL"]
    assert url == "postgres://shop:s3cr3t#not-a-comment@db:5432/shop"


def test_dollar_dollar_is_a_literal_dollar() -> None:
    test = shop().tree["services"]["db"]["healthcheck"]["test"]
    assert test == ["CMD-SHELL", "pg_isready -U ${POSTGRES_USER}"]


def test_env_file_values_sit_under_environment_and_environment_wins() -> None:
    env = shop()
    environment = env.tree["services"]["api"]["environment"]
    assert environment["WORKERS"] == "4"
    assert environment["LOG_LEVEL"] == "info"  # environment: (through the anchor) beats api.env
    assert environment["TZ"] == "Europe/Berlin"
    assert env.origins[("services", "api", "environment", "WORKERS")] == Origin("shop/api.env", 3, 1)


def test_an_unquoted_yaml_number_in_build_args_is_the_text_compose_passes() -> None:
    """compose-go decodes ``PYTHON_VERSION: 3.10`` as the float 3.1 and passes "3.1" (Go's
    fmt.Sprint); the tree shows that, with a warning at the line saying how to keep 3.10."""
    env = shop()
    assert env.tree["services"]["api"]["build"]["args"] == {"PYTHON_VERSION": "3.1"}
    [warning] = [d for d in env.diagnostics if "PYTHON_VERSION" in d.message]
    assert (warning.file, warning.line) == ("shop/docker-compose.yml", 53)
    assert "'3.1'" in warning.message and '"3.10"' in warning.message


def test_every_file_read_is_listed_as_a_source() -> None:
    env = shop("docker-compose.prod.yml")
    assert env.sources == [
        "shop/.env", "shop/docker-compose.yml", "shop/api.env", "shop/docker-compose.prod.yml",
    ]


def test_origins_point_at_the_service_key_and_at_each_value() -> None:
    env = shop()
    assert env.origins[("services", "api")] == Origin("shop/docker-compose.yml", 48, 3)
    assert env.origins[("services", "db", "image", "tag")] == Origin("shop/docker-compose.yml", 24, 12)
    assert env.origins[("services", "db", "restart")] == Origin("shop/docker-compose.yml", 15, 12)


def test_the_obsolete_version_key_is_a_warning() -> None:
    warnings = [str(d) for d in shop().diagnostics if "PYTHON_VERSION" not in d.message]
    assert warnings == [
        "shop/docker-compose.yml:4:1: the top-level 'version' is obsolete and ignored by docker compose"
    ]


def test_the_development_override_merges_into_the_base() -> None:
    api = shop("docker-compose.override.yml").tree["services"]["api"]
    assert api["build"] == {"context": "./api", "args": {"PYTHON_VERSION": "3.1"}, "target": "dev",
                            "dockerfile": "Dockerfile"}
    assert api["command"] == ["uvicorn", "app.main:app", "--reload", "--host", "0.0.0.0"]
    assert api["environment"]["LOG_LEVEL"] == "debug"
    assert api["ports"] == {"8000/tcp": ["8000"], "5678/tcp": ["127.0.0.1:5678"]}
    assert api["volumes"]["/app"]["source"] == "./api"


def test_a_crlf_override_reports_the_right_lines() -> None:
    env = shop("docker-compose.override.yml")
    origin = env.origins[("services", "api", "build", "target")]
    assert (origin.file, origin.line) == ("shop/docker-compose.override.yml", 5)


def test_a_service_whose_profile_is_not_enabled_is_left_out_with_a_note() -> None:
    """compose v2 leaves out services whose profiles COMPOSE_PROFILES does not enable."""
    env = shop("docker-compose.override.yml")
    assert "mailhog" not in env.tree["services"]
    [note] = [d for d in env.diagnostics if "mailhog" in d.message]
    assert (note.level, note.file, note.line) == (Level.NOTE, "shop/docker-compose.override.yml", 19)
    assert "profiles (dev)" in note.message


def test_the_production_file_resets_and_overrides() -> None:
    services = shop("docker-compose.prod.yml").tree["services"]
    assert "ports" not in services["db"]  # ports: !reset []
    assert services["db"]["image"]["tag"] == "13"
    assert "build" not in services["api"]  # build: !reset null
    assert services["api"]["ports"] == {"8000/tcp": ["127.0.0.1:8000"]}  # !override
    assert services["web"]["ports"] == {"443/tcp": ["443"], "80/tcp": ["80"]}
    assert services["web"]["restart"] == "always"


def test_the_production_file_merges_deploy_settings_key_by_key() -> None:
    deploy = shop("docker-compose.prod.yml").tree["services"]["api"]["deploy"]
    assert deploy == {"replicas": 3, "resources": {"limits": {"cpus": 0.5, "memory": 1024**3}}}


def test_replicas_default_to_one_after_the_merge() -> None:
    env = shop()
    assert env.tree["services"]["web"]["deploy"]["replicas"] == 1
    assert env.raw[("services", "web", "deploy", "replicas")] == "(default)"


def test_top_level_resources_are_maps_even_when_empty() -> None:
    env = shop()
    assert env.tree["networks"] == {"frontend": {}, "backend": {}}
    assert env.tree["volumes"] == {"pgdata": {}}
    assert env.tree["secrets"] == {"db_password": {"file": "./secrets/db_password.txt"}}


def test_a_digest_the_file_does_not_pin_is_not_covered() -> None:
    env = shop()
    assert env.coverage.covers(("services", "db", "image", "tag"))
    assert not env.coverage.covers(("services", "db", "image", "digest"))
    assert env.coverage.covers(("networks", "frontend"))
    assert not env.coverage.covers(("engine", "version"))


def test_a_pinned_digest_is_covered(tmp_path: Path) -> None:
    digest = "sha256:" + "0f" * 32
    (tmp_path / "compose.yaml").write_text(
        f"services:\n  api:\n    image: ghcr.io/acme/api@{digest}\n  db:\n    image: postgres:16\n"
    )
    env = load_folder(tmp_path, "p", "p", "p")
    assert env.tree["services"]["api"]["image"] == {
        "registry": "ghcr.io", "repository": "acme/api", "digest": digest,
    }
    assert env.coverage.covers(("services", "api", "image", "digest"))
    assert not env.coverage.covers(("services", "db", "image", "digest"))


def test_a_folder_gives_its_compose_file_and_override() -> None:
    assert compose_files_in(FOLDERS / "classic") == [
        FOLDERS / "classic" / "docker-compose.yml", FOLDERS / "classic" / "docker-compose.override.yml",
    ]
    env = load_folder(FOLDERS / "classic", "classic", "classic", "classic")
    assert env.tree["services"]["web"]["ports"] == {"80/tcp": ["8080"]}
    assert env.sources == ["classic/docker-compose.yml", "classic/docker-compose.override.yml"]


def test_a_folder_with_several_compose_files_prefers_compose_yaml_and_warns() -> None:
    assert compose_files_in(FOLDERS / "modern") == [FOLDERS / "modern" / "compose.yaml"]
    env = load_folder(FOLDERS / "modern", "modern", "modern", "modern")
    assert env.tree["services"]["web"]["image"]["tag"] == "1.27"
    assert [d.message for d in env.diagnostics] == [
        "several compose files in this folder (compose.yaml, docker-compose.yml); using modern/compose.yaml"
    ]


def test_a_missing_required_env_file_is_an_error_naming_the_compose_line(tmp_path: Path) -> None:
    (tmp_path / "compose.yaml").write_text(
        "services:\n  api:\n    image: acme/api\n    env_file:\n      - api.env\n"
        "      - path: optional.env\n        required: false\n"
    )
    with pytest.raises(ParseError, match=r"env_file api\.env not found") as caught:
        load_folder(tmp_path, "p", "p", "p")
    assert (caught.value.file, caught.value.line) == ("p/compose.yaml", 5)


def test_a_missing_optional_env_file_is_skipped(tmp_path: Path) -> None:
    (tmp_path / "compose.yaml").write_text(
        "services:\n  api:\n    image: acme/api\n    env_file:\n"
        "      - path: optional.env\n        required: false\n"
    )
    env = load_folder(tmp_path, "p", "p", "p")
    assert "environment" not in env.tree["services"]["api"]
    assert env.diagnostics == []


@pytest.mark.parametrize("name", ["compose.yml", "docker-compose.yaml"])
def test_every_name_compose_looks_for_is_found(tmp_path: Path, name: str) -> None:
    (tmp_path / name).write_text("services:\n  web:\n    image: nginx\n")
    assert compose_files_in(tmp_path) == [tmp_path / name]


@pytest.mark.parametrize("extra", [(), ("docker-compose.override.yml",), ("docker-compose.prod.yml",)])
def test_the_tree_is_plain_data_and_every_value_knows_where_it_came_from(extra: tuple[str, ...]) -> None:
    env = shop(*extra)
    for path, value in env.leaves():
        if isinstance(value, list):
            assert all(isinstance(v, str) for v in value), path
        else:
            assert value is None or isinstance(value, str | int | float | bool | dict), path
        origin = env.origin(path)
        assert origin is not None and origin.file is not None and origin.line is not None, path
    for path in env.origins:
        assert env.get(path) is not MISSING, path


def test_compose_file_in_the_folder_dotenv_names_the_files(tmp_path: Path) -> None:
    (tmp_path / "docker-compose.yml").write_text("services:\n  web:\n    image: nginx:1.25\n")
    (tmp_path / "docker-compose.override.yml").write_text("services:\n  web:\n    ports: ['80:80']\n")
    (tmp_path / "docker-compose.prod.yml").write_text("services:\n  web:\n    image: nginx:1.27\n")
    (tmp_path / ".env").write_text("# pick production\nCOMPOSE_FILE=docker-compose.yml:docker-compose.prod.yml\n")
    assert compose_files_in(tmp_path) == [tmp_path / "docker-compose.yml", tmp_path / "docker-compose.prod.yml"]
    env = load_folder(tmp_path, "site", "site", "site")
    assert env.tree["services"]["web"]["image"]["tag"] == "1.27"
    assert "ports" not in env.tree["services"]["web"]


INCLUDE = SHOP.parent / "include"


def test_included_files_add_their_services_with_their_own_paths_and_variables() -> None:
    env = load_folder(INCLUDE, "include", "include", "include")
    services = env.tree["services"]
    assert sorted(services) == ["app", "db", "exporter", "grafana"]
    assert services["db"]["image"]["tag"] == "15"  # the including project's variable wins
    assert services["db"]["ports"] == {"5432/tcp": ["127.0.0.1:5433"]}  # filled in by db/.env
    assert services["db"]["volumes"]["/var/lib/postgresql/data"]["source"] == "./db/data"
    assert services["db"]["environment"] == {"POSTGRES_DB": "app"}
    assert services["grafana"]["image"]["tag"] == "11.1.0"  # from the include's env_file
    assert env.tree["networks"] == {"backend": {}}
    assert env.origins[("services", "db", "image", "tag")] == Origin("include/db/compose.yaml", 3, 12)


def test_a_service_both_included_and_defined_is_reported_and_the_local_one_used() -> None:
    env = load_folder(INCLUDE, "include", "include", "include")
    assert env.tree["services"]["exporter"]["image"]["tag"] == "v1.8.0"
    assert [str(d) for d in env.diagnostics] == [
        "include/compose.yaml:13:3: services 'exporter' is defined here and in an included file; "
        "this one is used"
    ]


def test_files_that_include_each_other_are_refused(tmp_path: Path) -> None:
    (tmp_path / "compose.yaml").write_text("include: [other.yaml]\nservices: {}\n")
    (tmp_path / "other.yaml").write_text("include: [compose.yaml]\n")
    with pytest.raises(ParseError, match="include nests deeper than 16 files"):
        load_folder(tmp_path, "loop", "loop", "loop")
