"""Dockerfiles become /images/<stage> trees: stages, inheritance, forms, heredocs, directives."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from parity_gui.core.pointer import from_pointer
from parity_gui.core.tree import Environment
from parity_gui.errors import ParseError, SourceError
from parity_gui.sources.dockerfile.load import IMAGE_KEY, load_dockerfiles, parse_dockerfile
from parity_gui.sources.registry import SpecFile, load


def stage_values(text: str, stage: str = "0") -> dict[str, Any]:
    parsed = parse_dockerfile(text, "Dockerfile")
    entries = parsed.stage(stage).entries
    return {"/".join(path): entry.value for path, entry in entries.items()}


def at(env: Environment, pointer: str) -> Any:
    return env.get(from_pointer(pointer))


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture
def multistage(data: Path) -> Environment:
    path = data / "dockerfile" / "Dockerfile"
    return load_dockerfiles([SpecFile(path, "Dockerfile")], "dev", "Dockerfile")


def test_each_stage_is_an_image_keyed_by_its_lower_cased_name(multistage: Environment) -> None:
    assert set(multistage.tree["images"]) == {"base", "dev", "Dockerfile"}


def test_base_image_is_split_with_global_args_substituted(multistage: Environment) -> None:
    assert at(multistage, "/images/base/base") == {
        "registry": "docker.io",
        "repository": "library/python",
        "tag": "3.12-slim",
        "digest": None,
        "platform": "linux/amd64",
    }


def test_values_keep_their_line_and_raw_text(multistage: Environment) -> None:
    path = from_pointer("/images/Dockerfile/user")
    origin = multistage.origin(path)
    assert origin is not None
    assert (origin.file, origin.line) == ("Dockerfile", 25)
    assert multistage.raw[path] == "USER app:app"


def test_a_stage_built_from_an_earlier_stage_inherits_its_image_settings(
    multistage: Environment,
) -> None:
    prod = multistage.tree["images"]["Dockerfile"]
    assert prod["env"] == {
        "APP_HOME": "/srv/app",
        "PYTHONUNBUFFERED": "1",
        "PATH": "/srv/app/bin:$PATH",
    }
    assert prod["labels"]["team"] == "payments"
    assert set(prod["expose"]) == {"8000/tcp", "9000/udp", "9001/udp", "9002/udp"}
    assert prod["base"]["stage"] == "base"
    assert prod["base"]["tag"] == "3.12-slim"
    assert prod["packages"]["apt"] == {"curl": "7.88.1-10+deb12u5", "libpq5": None}


def test_inherited_values_keep_the_origin_of_the_parent_stage(multistage: Environment) -> None:
    origin = multistage.origin(from_pointer("/images/dev/env/APP_HOME"))
    assert origin is not None and origin.line == 5


def test_workdir_is_relative_to_the_previous_one(multistage: Environment) -> None:
    assert at(multistage, "/images/Dockerfile/workdir") == "/srv/app/src"
    assert at(multistage, "/images/dev/workdir") == "/srv/app"


def test_shell_form_becomes_a_shell_command_line_and_keeps_the_raw(multistage: Environment) -> None:
    assert at(multistage, "/images/dev/cmd") == ["/bin/sh", "-c", "python -m app --reload"]
    assert multistage.raw[from_pointer("/images/dev/cmd")] == "CMD python -m app --reload"


def test_exec_form_is_kept_as_a_list(multistage: Environment) -> None:
    assert at(multistage, "/images/Dockerfile/entrypoint") == ["gunicorn"]
    assert at(multistage, "/images/Dockerfile/cmd") == ["app.wsgi"]


def test_healthcheck_options_become_seconds_and_counts(multistage: Environment) -> None:
    assert at(multistage, "/images/Dockerfile/healthcheck") == {
        "test": ["CMD-SHELL", "curl -fsS http://localhost:8000/health || exit 1"],
        "interval": 30,
        "timeout": 5,
        "retries": 3,
    }


def test_volumes_and_stop_signal(multistage: Environment) -> None:
    assert at(multistage, "/images/Dockerfile/volumes") == {"/srv/app/media": True}
    assert at(multistage, "/images/Dockerfile/stopsignal") == "SIGQUIT"


def test_packages_from_a_run_heredoc_with_pins_and_specifiers(multistage: Environment) -> None:
    assert at(multistage, "/images/dev/packages/pip") == {"debugpy": "1.8.1", "pytest": ">=8"}
    assert at(multistage, "/images/Dockerfile/packages/pip") == {"gunicorn": "21.2.0"}


def test_syntax_directive_is_kept_per_stage(multistage: Environment) -> None:
    assert at(multistage, "/images/dev/syntax") == "docker/dockerfile:1.7"


def test_redeclared_global_arg_takes_the_global_default(multistage: Environment) -> None:
    assert at(multistage, "/images/Dockerfile/args") == {"PYTHON_VERSION": "3.12"}


def test_env_in_both_forms() -> None:
    values = stage_values("FROM alpine\nENV A=1 B=\"two words\" C='$A'\nENV LEGACY value with spaces\n")
    assert values["env/A"] == "1"
    assert values["env/B"] == "two words"
    assert values["env/C"] == "$A"
    assert values["env/LEGACY"] == "value with spaces"


def test_env_substitutes_args_and_earlier_env_with_defaults() -> None:
    text = (
        "FROM alpine\nARG VERSION=1.4\nARG EMPTY\nENV HOME_DIR=/opt/app\n"
        "ENV V=${VERSION} D=${MISSING_IN_FILE:-fallback} E=${EMPTY:-none} P=$HOME_DIR/bin\n"
    )
    values = stage_values(text)
    assert values["env/V"] == "1.4"
    assert values["env/D"] == "${MISSING_IN_FILE:-fallback}"
    assert values["env/E"] == "none"
    assert values["env/P"] == "/opt/app/bin"
    assert values["args/EMPTY"] is None


def test_expose_forms_and_protocols() -> None:
    values = stage_values("FROM nginx\nEXPOSE 80 443/TCP 53/udp 7000-7001\nEXPOSE 1-65535\n")
    exposed = {k.removeprefix("expose/") for k in values if k.startswith("expose/")}
    assert exposed == {"80/tcp", "443/tcp", "53/udp", "7000/tcp", "7001/tcp", "1-65535/tcp"}


def test_entrypoint_clears_an_inherited_cmd_but_not_its_own() -> None:
    text = (
        'FROM alpine AS a\nCMD ["serve"]\nFROM a AS b\nENTRYPOINT ["tini"]\nFROM a AS c\nCMD ["x"]\nENTRYPOINT ["y"]\n'
    )
    assert "cmd" not in stage_values(text, "b")
    assert stage_values(text, "c")["cmd"] == ["x"]


def test_shell_instruction_changes_the_shell_form() -> None:
    values = stage_values('FROM debian\nSHELL ["/bin/bash", "-o", "pipefail", "-c"]\nCMD echo $HOME\n')
    assert values["cmd"] == ["/bin/bash", "-o", "pipefail", "-c", "echo $HOME"]
    assert values["shell"] == ["/bin/bash", "-o", "pipefail", "-c"]


def test_healthcheck_exec_form_and_none() -> None:
    text = (
        'FROM a AS x\nHEALTHCHECK --start-period=1m30s CMD ["pg_isready", "-U", "app"]\nFROM a AS y\nHEALTHCHECK NONE\n'
    )
    assert stage_values(text, "x")["healthcheck/test"] == ["CMD", "pg_isready", "-U", "app"]
    assert stage_values(text, "x")["healthcheck/start_period"] == 90
    assert stage_values(text, "y")["healthcheck/test"] == ["NONE"]


def test_unnamed_stages_are_keyed_by_index_and_names_ignore_case() -> None:
    parsed = parse_dockerfile("FROM alpine\nFROM debian AS Final\nFROM final\n", "Dockerfile")
    assert [s.key for s in parsed.stages] == ["0", "final", "2"]
    assert parsed.stages[2].entries[("base", "stage")].value == "final"


def test_line_continuations_with_comments_inside() -> None:
    values = stage_values(
        "FROM debian\nRUN apt-get install -y \\\n  # the client\n  postgresql-client=15.6 \\\n  make\n"
    )
    assert values["packages/apt/postgresql-client"] == "15.6"
    assert values["packages/apt/make"] is None


def test_heredoc_with_dash_strips_tabs_and_copy_heredoc_is_not_a_script() -> None:
    text = "FROM alpine\nRUN <<-EOT sh\n\tapk add curl=8.5.0-r0\n\tEOT\nCOPY <<EOF /etc/motd\napk add nothing\nEOF\n"
    values = stage_values(text)
    assert values["packages/apk/curl"] == "8.5.0-r0"
    assert "packages/apk/nothing" not in values


def test_heredoc_fed_to_another_program_is_not_read_as_shell() -> None:
    values = stage_values("FROM python\nRUN python3 <<'PY'\nprint('pip install nope')\nPY\n")
    assert not any(k.startswith("packages/") for k in values)


def test_npm_and_apk_virtual_packages() -> None:
    text = "FROM node:20\nRUN npm install -g @angular/cli@17.1.0 typescript && apk add -t .deps gcc\n"
    values = stage_values(text)
    assert values["packages/npm/@angular/cli"] == "17.1.0"
    assert values["packages/npm/typescript"] is None
    assert values["packages/apk/gcc"] is None
    assert "packages/apk/.deps" not in values


def test_escape_directive_backtick(data: Path) -> None:
    path = data / "dockerfile" / "worker.Dockerfile"
    env = load_dockerfiles([SpecFile(path, "worker.Dockerfile")], "w", "worker.Dockerfile")
    build = env.tree["images"]["Dockerfile"]  # the final stage: the image the file builds
    assert build["env"] == {"TOOLS": "C:\\tools", "MODE": "release build"}
    assert build["workdir"] == "C:\\app"
    assert build["base"]["registry"] == "mcr.microsoft.com"
    assert build["base"]["digest"].startswith("sha256:")
    assert build["base"]["tag"] == "ltsc2022"


def test_crlf_file_reads_like_lf(data: Path) -> None:
    path = data / "dockerfile" / "crlf.Dockerfile"
    env = load_dockerfiles([SpecFile(path, "crlf.Dockerfile")], "c", "crlf.Dockerfile")
    base = env.tree["images"]["Dockerfile"]
    assert base["env"] == {"A": "1", "B": "2"}
    assert base["packages"]["apk"] == {"gcc": "13.2.1_git20231014-r0", "musl-dev": None}
    assert base["cmd"] == ["sh"]


def test_selected_stages_of_one_file_compare_under_one_key(data: Path) -> None:
    dev = load(str(data / "dockerfile" / "Dockerfile") + "#dev", "dev")
    prod = load(str(data / "dockerfile" / "Dockerfile") + "#Production", "prod")
    assert list(dev.tree["images"]) == list(prod.tree["images"]) == ["Dockerfile"]
    assert dev.tree["images"]["Dockerfile"]["user"] == "root"
    assert prod.tree["images"]["Dockerfile"]["user"] == "app:app"


def test_selecting_an_unknown_stage_names_the_stages(data: Path) -> None:
    with pytest.raises(SourceError, match=r"no build stage 'staging' \(stages: base, dev, production\)"):
        load(str(data / "dockerfile" / "Dockerfile") + "#staging")


def test_the_image_a_single_file_builds_is_keyed_alike_whatever_the_file_is_called(tmp_path: Path) -> None:
    # Dockerfile reference, "Multi-stage builds": without --target, docker build builds the last stage.
    dev = write(tmp_path, "dev.Dockerfile", "FROM node:20 AS deps\nRUN npm ci\nFROM node:20-slim AS run\nUSER node\n")
    prod = write(
        tmp_path, "Dockerfile.prod", "FROM node:20 AS deps\nRUN npm ci\nFROM gcr.io/distroless/nodejs20 AS app\n"
    )
    for path in (dev, prod):
        env = load_dockerfiles([SpecFile(path, path.name)], "e", path.name)
        assert set(env.tree["images"]) == {"deps", IMAGE_KEY}


def test_several_dockerfiles_in_one_environment_do_not_collide(tmp_path: Path) -> None:
    api = write(tmp_path, "api.Dockerfile", "FROM python:3.12\n")
    worker = write(tmp_path, "worker.Dockerfile", "FROM python:3.11\n")
    env = load_dockerfiles([SpecFile(api, "api.Dockerfile"), SpecFile(worker, "worker.Dockerfile")], "e", "x")
    assert set(env.tree["images"]) == {"api.dockerfile", "worker.dockerfile"}
    assert env.sources == ["api.Dockerfile", "worker.Dockerfile"]
    assert [g.pattern for g in env.coverage.include] == ["/images/**"]


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        ("# just a comment\nRUN echo hi\n", 2, "no FROM instruction"),
        ("# a comment\nRUN echo hi\nFROM alpine\n", 2, "RUN before the first FROM"),
        ("ARG X=1\n", 1, "no FROM instruction"),
        ("FROM alpine\nRUNN echo\n", 2, "unknown instruction RUNN"),
        ("FROM alpine\nRUN true\nRUN <<EOF\necho never closed\n", 3, "unterminated heredoc"),
        ("FROM {{ base_image }}\nRUN x\n", 1, "looks like a template"),
        ("FROM alpine\n{% if debug %}\nRUN x\n{% endif %}\n", 2, "looks like a template"),
        ("ARG BASE\nFROM ${BASE}\n", 2, "names no image"),
        ("FROM a AS x\nFROM b AS X\n", 2, "duplicate stage name"),
        (
            "FROM a\nHEALTHCHECK --interval=soon CMD true\n",
            2,
            "--interval=soon is not a valid value",
        ),
        ("FROM a\nSHELL /bin/bash -c\n", 2, "SHELL takes the JSON form"),
    ],
)
def test_bad_dockerfiles_give_one_line_errors_with_file_and_line(text: str, line: int, message: str) -> None:
    with pytest.raises(ParseError, match=message) as caught:
        parse_dockerfile(text, "Dockerfile")
    assert caught.value.file == "Dockerfile"
    assert caught.value.line == line
    assert "\n" not in str(caught.value)


def test_a_lone_backslash_at_the_end_of_the_file_is_ignored() -> None:
    assert stage_values("FROM alpine\nUSER app\n\\")["user"] == "app"


def test_copy_from_an_image_or_a_stage_index_is_fine() -> None:
    text = (
        "FROM alpine AS a\n"
        "COPY --from=nginx:1.25 /etc/nginx /n\n"
        "COPY --from=0 /a /b\n"
        "COPY --from=A /a /b\n"
        "COPY --from=${BUILDER} /c /d\n"
    )
    assert parse_dockerfile(text, "Dockerfile").stages[0].key == "a"


def test_empty_file_is_a_parse_error(tmp_path: Path) -> None:
    path = write(tmp_path, "Dockerfile", "\n# nothing here\n")
    with pytest.raises(ParseError, match="Dockerfile"):
        load_dockerfiles([SpecFile(path, "Dockerfile")], "e", "Dockerfile")
