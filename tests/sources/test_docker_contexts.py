"""Which engine a docker:// spec means: the docker CLI's order of precedence and context store."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from parity_gui.errors import DockerUnavailable
from parity_gui.sources.docker.contexts import (
    LOCAL_SOCKET,
    DockerSpec,
    context_hash,
    current_context,
    list_contexts,
    parse_spec,
    resolve_context,
)
from tests.docker.engine import write_context


@pytest.fixture
def config(tmp_path: Path) -> Path:
    folder = tmp_path / "docker-config"
    folder.mkdir()
    write_context(
        folder,
        "staging",
        "tcp://10.20.0.5:2376",
        description="staging host",
        tls={"ca.pem": "CA", "cert.pem": "CERT", "key.pem": "KEY"},
    )
    write_context(folder, "prod", "ssh://deploy@prod.example.com")
    return folder


def env(config: Path, **variables: str) -> dict[str, str]:
    return {"DOCKER_CONFIG": str(config), "HOME": str(config.parent), **variables}


def set_current(config: Path, name: str) -> None:
    (config / "config.json").write_text(json.dumps({"auths": {}, "currentContext": name}))


class TestSpecs:
    def test_bare_scheme_means_the_current_context_and_every_project(self) -> None:
        spec = parse_spec("docker://")
        assert (spec.context, spec.project) == (None, None)

    def test_named_context_and_project(self) -> None:
        spec = parse_spec("docker://staging/shop")
        assert (spec.context, spec.project) == ("staging", "shop")

    def test_a_project_on_the_current_context(self) -> None:
        spec = parse_spec("docker:///shop")
        assert (spec.context, spec.project) == (None, "shop")

    def test_project_and_stack_prefixes_say_which_is_meant(self) -> None:
        assert parse_spec("docker://prod/stack:shop") == DockerSpec("prod", "shop", "stack")
        assert parse_spec("docker:///project:shop") == DockerSpec(None, "shop", "project")
        assert parse_spec("docker://prod/shop").kind is None

    def test_an_unknown_prefix_or_a_missing_name_is_an_error(self) -> None:
        with pytest.raises(DockerUnavailable, match="'service' is not project: or stack:"):
            parse_spec("docker://prod/service:shop")
        with pytest.raises(DockerUnavailable, match="name the stack after 'stack:'"):
            parse_spec("docker://prod/stack:")
        with pytest.raises(DockerUnavailable, match="not a valid compose project name"):
            parse_spec("docker://prod/stack:Shop:x")

    def test_a_project_name_compose_would_refuse_is_an_error(self) -> None:
        with pytest.raises(DockerUnavailable, match="'Shop Front' is not a valid compose project"):
            parse_spec("docker://default/Shop Front")


class TestPrecedence:
    def test_docker_host_wins_over_docker_context_and_config(self, config: Path) -> None:
        set_current(config, "prod")
        chosen = resolve_context(None, env(config, DOCKER_HOST="tcp://127.0.0.1:2375", DOCKER_CONTEXT="staging"))
        assert (chosen.name, chosen.endpoint.host, chosen.source) == ("default", "tcp://127.0.0.1:2375", "DOCKER_HOST")

    def test_docker_context_wins_over_the_config_file(self, config: Path) -> None:
        set_current(config, "prod")
        chosen = resolve_context(None, env(config, DOCKER_CONTEXT="staging"))
        assert (chosen.name, chosen.source) == ("staging", "DOCKER_CONTEXT")

    def test_current_context_in_config_json_is_used_next(self, config: Path) -> None:
        set_current(config, "prod")
        chosen = resolve_context(None, env(config))
        assert chosen.endpoint.host == "ssh://deploy@prod.example.com"
        assert chosen.source == f"currentContext in {config / 'config.json'}"

    def test_without_any_setting_the_local_socket_is_used(self, config: Path) -> None:
        chosen = resolve_context(None, env(config))
        assert (chosen.name, chosen.endpoint.host) == ("default", LOCAL_SOCKET)

    def test_docker_config_defaults_to_dot_docker_in_home(self, tmp_path: Path) -> None:
        write_context(tmp_path / ".docker", "laptop", "unix:///run/user/1000/docker.sock")
        set_current(tmp_path / ".docker", "laptop")
        assert current_context({"HOME": str(tmp_path)})[0] == "laptop"

    def test_the_default_context_is_docker_host_when_it_is_set(self, config: Path) -> None:
        chosen = resolve_context("default", env(config, DOCKER_HOST="unix:///tmp/other.sock"))
        assert chosen.endpoint.host == "unix:///tmp/other.sock"
        assert chosen.source == "the spec docker://default"

    def test_docker_tls_verify_gives_the_default_context_tls(self, config: Path, tmp_path: Path) -> None:
        certs = tmp_path / "certs"
        certs.mkdir()
        (certs / "ca.pem").write_text("CA")
        chosen = resolve_context(
            None, env(config, DOCKER_HOST="tcp://build:2376", DOCKER_TLS_VERIFY="1", DOCKER_CERT_PATH=str(certs))
        )
        assert chosen.endpoint.tls is not None
        assert chosen.endpoint.tls.ca == certs / "ca.pem"
        assert chosen.endpoint.tls.verify


class TestContextStore:
    def test_tls_material_comes_from_the_context_store(self, config: Path) -> None:
        tls = resolve_context("staging", env(config)).endpoint.tls
        assert tls is not None
        folder = config / "contexts" / "tls" / context_hash("staging") / "docker"
        assert (tls.ca, tls.cert, tls.key, tls.verify) == (
            folder / "ca.pem",
            folder / "cert.pem",
            folder / "key.pem",
            True,
        )

    def test_a_context_with_only_a_ca_still_verifies_the_server(self, config: Path) -> None:
        write_context(config, "ci", "tcp://ci.internal:2376", tls={"ca.pem": "CA"})
        tls = resolve_context("ci", env(config)).endpoint.tls
        assert tls is not None
        assert tls.verify and tls.ca is not None and tls.cert is None

    def test_skip_tls_verify_keeps_tls_without_verification(self, config: Path) -> None:
        write_context(config, "lab", "tcp://lab:2376", skip_verify=True)
        tls = resolve_context("lab", env(config)).endpoint.tls
        assert tls is not None and not tls.verify

    def test_a_plain_tcp_context_has_no_tls(self, config: Path) -> None:
        write_context(config, "local-tcp", "tcp://127.0.0.1:2375")
        assert resolve_context("local-tcp", env(config)).endpoint.tls is None

    def test_a_certificate_without_its_key_is_an_error(self, config: Path) -> None:
        write_context(config, "half", "tcp://half:2376", tls={"cert.pem": "CERT"})
        with pytest.raises(DockerUnavailable, match="certificate without its key"):
            resolve_context("half", env(config))


class TestFailures:
    def test_an_unknown_context_names_itself_its_source_and_the_known_ones(self, config: Path) -> None:
        with pytest.raises(DockerUnavailable) as caught:
            resolve_context(None, env(config, DOCKER_CONTEXT="staging-old"))
        message = str(caught.value)
        assert "'staging-old'" in message
        assert "chosen by DOCKER_CONTEXT" in message
        assert "endpoint unknown" in message
        assert "known contexts: prod, staging" in message

    def test_an_unknown_current_context_in_config_json_is_not_silently_replaced(self, config: Path) -> None:
        set_current(config, "gone")
        with pytest.raises(DockerUnavailable, match=r"'gone' \(chosen by currentContext in .*config.json\)"):
            resolve_context(None, env(config))

    def test_a_corrupt_meta_json_is_an_error_with_file_and_line(self, config: Path) -> None:
        meta = write_context(config, "broken", "tcp://broken:2376")
        meta.write_text('{\n  "Name": "broken",\n  "Endpoints": {\n')
        with pytest.raises(DockerUnavailable) as caught:
            resolve_context("broken", env(config))
        assert caught.value.file == str(meta)
        assert caught.value.line == 4
        assert "chosen by the spec docker://broken" in str(caught.value)

    def test_a_meta_json_without_a_docker_endpoint_is_an_error(self, config: Path) -> None:
        meta = write_context(config, "k8s", "tcp://x:1")
        meta.write_text(json.dumps({"Name": "k8s", "Endpoints": {"kubernetes": {"Host": "https://k"}}}))
        with pytest.raises(DockerUnavailable, match=r"'k8s' .* has no usable docker endpoint"):
            resolve_context("k8s", env(config))

    def test_a_corrupt_config_json_is_an_error_naming_it(self, config: Path) -> None:
        (config / "config.json").write_text('{"currentContext": "prod",,}')
        with pytest.raises(DockerUnavailable, match="not valid JSON") as caught:
            resolve_context(None, env(config))
        assert caught.value.file == str(config / "config.json")


class TestListing:
    def test_contexts_are_listed_with_endpoints_and_the_current_one_marked(self, config: Path) -> None:
        set_current(config, "staging")
        listed = list_contexts(env(config))
        assert [(c.name, c.endpoint, c.current) for c in listed] == [
            ("default", LOCAL_SOCKET, False),
            ("prod", "ssh://deploy@prod.example.com", False),
            ("staging", "tcp://10.20.0.5:2376", True),
        ]
        assert listed[2].description == "staging host"
        assert listed[2].source.endswith("meta.json")

    def test_without_a_config_folder_only_the_default_context_exists(self, tmp_path: Path) -> None:
        listed = list_contexts({"DOCKER_CONFIG": str(tmp_path / "absent"), "DOCKER_HOST": "tcp://h:2375"})
        assert [(c.name, c.endpoint, c.current, c.source) for c in listed] == [
            ("default", "tcp://h:2375", True, "DOCKER_HOST")
        ]
