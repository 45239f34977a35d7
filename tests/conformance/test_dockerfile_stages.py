"""Dockerfiles as ``docker build`` (BuildKit) sees them: stage references, image references and
the image a file builds. Each case cites the section of the Dockerfile reference
(https://docs.docker.com/reference/dockerfile/) or BuildKit's frontend documentation it follows.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from parity_gui.core.drift import Severity
from parity_gui.core.pointer import from_pointer
from parity_gui.core.tree import MISSING, Environment
from parity_gui.engine import compare
from parity_gui.sources.dockerfile.load import load_dockerfiles
from parity_gui.sources.registry import SpecFile

ABSENT = MISSING  #: the path does not exist in the tree
DATA = Path(__file__).resolve().parent.parent / "data" / "dockerfile"


def load_text(folder: Path, text: str, name: str = "Dockerfile", fragment: str | None = None) -> Environment:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return load_dockerfiles([SpecFile(path, name, fragment)], name, name)


def values(env: Environment, pointer: str) -> Any:
    return env.get(from_pointer(pointer))


@dataclass(frozen=True)
class Case:
    section: str  #: the reference section the expectation follows
    text: str
    expected: dict[str, Any]  #: pointer → value, or ABSENT


DEPENDENCY_CASES = [
    Case(
        "COPY --from: 'In case a build stage with a specified name can't be found an image with "
        "the same name is attempted to be used instead'",
        "FROM golang:1.22 AS build\nRUN go build -o /out/app\n"
        "FROM gcr.io/distroless/static-debian12\n"
        "COPY --from=build /out/app /app\n"
        "COPY --from=docker/buildx-bin:0.12.1 /buildx /usr/libexec/docker/cli-plugins/docker-buildx\n",
        {
            "/images/Dockerfile/dependencies/docker.io~1docker~1buildx-bin/tag": "0.12.1",
            "/images/Dockerfile/dependencies/docker.io~1docker~1buildx-bin/repository": "docker/buildx-bin",
            "/images/Dockerfile/dependencies/build": ABSENT,
        },
    ),
    Case(
        "COPY --from: a stage may be named by its index ('--from=0')",
        "FROM node:20 AS deps\nRUN npm ci\nFROM node:20-slim\nCOPY --from=0 /app/node_modules ./node_modules\n",
        {"/images/Dockerfile/dependencies": ABSENT},
    ),
    Case(
        "RUN --mount=type=bind: 'from: Build stage, context, or image name for the root of the source'",
        "ARG LINT_VERSION=v1.55.2\nFROM golang:1.22-alpine AS lint\n"
        "RUN --mount=target=. \\\n"
        "    --mount=from=golangci/golangci-lint:${LINT_VERSION}-alpine,source=/usr/bin/golangci-lint,"
        "target=/usr/bin/golangci-lint \\\n    golangci-lint run ./...\n",
        {"/images/Dockerfile/dependencies/docker.io~1golangci~1golangci-lint/tag": "v1.55.2-alpine"},
    ),
    Case(
        "RUN --mount=type=bind,from=STAGE mounts an earlier stage: no image is pulled",
        "FROM alpine:3.19 AS binary\nRUN echo built > /out\n"
        "FROM alpine:3.19 AS releaser\nRUN --mount=from=binary cp /out /release\n",
        {"/images/Dockerfile/dependencies": ABSENT},
    ),
    Case(
        "Variable substitution: flags of COPY (--from) expand build arguments of the stage",
        "FROM alpine:3.19\nARG BUSYBOX=busybox:1.36-musl\nCOPY --link --from=${BUSYBOX} /bin/busybox /bin/\n",
        {"/images/Dockerfile/dependencies/docker.io~1library~1busybox/tag": "1.36-musl"},
    ),
    Case(
        "Automatic platform ARGs: TARGETOS is the builder's; 'ARG TARGETOS' without a value keeps it unknown",
        "FROM alpine:3.19 AS tools-linux\nFROM alpine:3.19\nARG TARGETOS\n"
        "COPY --from=tools-${TARGETOS} /usr/bin/tool /usr/bin/\n",
        {"/images/Dockerfile/dependencies/tools-${TARGETOS}/ref": "tools-${TARGETOS}"},
    ),
    Case(
        "Stage names are case-insensitive ('FROM … AS Builder', 'COPY --from=builder')",
        "FROM rust:1.77 AS Builder\nRUN cargo build\nFROM debian:bookworm-slim\nCOPY --from=builder /t /t\n",
        {"/images/Dockerfile/dependencies": ABSENT},
    ),
]


def test_a_bare_name_that_is_no_stage_is_an_image_and_a_warning_with_its_line(tmp_path: Path) -> None:
    # COPY --from: a name that is not a stage is an image; a misspelt stage is pulled from Docker Hub.
    env = load_text(tmp_path, "FROM alpine:3.19 AS builder\nRUN make\nFROM alpine:3.19\nCOPY --from=biulder /a /b\n")
    assert values(env, "/images/Dockerfile/dependencies/docker.io~1library~1biulder/tag") == "latest"
    [warning] = env.warnings
    assert (warning.file, warning.line) == ("Dockerfile", 4)
    assert "no stage has this name (stages: builder, 1)" in warning.message


def test_docker_composes_own_dockerfile_loads_with_its_image_dependencies() -> None:
    path = DATA / "compose-cli.Dockerfile"
    env = load_dockerfiles([SpecFile(path, path.name)], "cli", path.name)
    assert values(env, "/images/lint/dependencies/docker.io~1golangci~1golangci-lint/tag") == "v1.55.2-alpine"
    assert values(env, "/images/test/dependencies/docker.io~1docker~1buildx-bin/tag") == "0.12.1"
    assert values(env, "/images/test/dependencies/docker.io~1library~1busybox/tag") == "1.36-musl"
    assert values(env, "/images/base/dependencies") is ABSENT  # COPY --from=xx names the stage xx
    assert values(env, "/images/Dockerfile/base/stage") is ABSENT  # release: FROM scratch
    assert env.warnings == []


FINAL_STAGE_CASES = [
    Case(
        "Multi-stage builds: 'docker build' without --target builds the last stage",
        "FROM python:3.12 AS builder\nRUN pip wheel -w /w .\nFROM python:3.12-slim AS runtime\nUSER app\n",
        {"/images/Dockerfile/user": "app", "/images/builder/base/tag": "3.12", "/images/runtime": ABSENT},
    ),
    Case(
        "Multi-stage builds: an unnamed last stage is the image built",
        "FROM maven:3.9-eclipse-temurin-21 AS build\nRUN mvn package\nFROM eclipse-temurin:21-jre\n",
        {"/images/Dockerfile/base/repository": "library/eclipse-temurin", "/images/1": ABSENT},
    ),
    Case(
        "FROM: a single-stage file builds its only stage",
        "FROM nginx:1.25-alpine\nEXPOSE 80\n",
        {"/images/Dockerfile/expose/80~1tcp": True, "/images/0": ABSENT},
    ),
]


@pytest.mark.parametrize("case", DEPENDENCY_CASES + FINAL_STAGE_CASES, ids=lambda c: c.section[:50])
def test_stages_and_their_sources_read_as_buildkit_reads_them(case: Case, tmp_path: Path) -> None:
    env = load_text(tmp_path, case.text)
    for pointer, expected in case.expected.items():
        assert values(env, pointer) == expected, pointer


def test_dockerfile_against_dockerfile_prod_compares_the_images_that_run(tmp_path: Path) -> None:
    # Multi-stage builds: the final stages are named differently but are both what runs.
    dev = load_text(
        tmp_path, "FROM node:20 AS deps\nRUN npm ci\nFROM node:20 AS dev\nUSER root\nCMD [\"npm\", \"run\", \"dev\"]\n"
    )
    prod = load_text(
        tmp_path, "FROM node:20 AS deps\nRUN npm ci --omit=dev\nFROM node:20-slim AS production\n"
        "USER node\nCMD [\"node\", \"server.js\"]\n", "Dockerfile.prod",
    )
    comparison = compare(dev, prod)
    pointers = {d.pointer for d in comparison.drifts}
    assert {"/images/Dockerfile/user", "/images/Dockerfile/cmd", "/images/Dockerfile/base/tag"} <= pointers
    assert not any(p.startswith("/images/deps") for p in pointers)  # intermediate stages meet by name
    assert "/images/dev" not in pointers and "/images/production" not in pointers


def test_a_selected_stage_and_a_final_stage_meet(tmp_path: Path) -> None:
    # docker build --target production ≡ the Dockerfile whose last stage is production.
    text = "FROM python:3.12-slim AS base\nFROM base AS dev\nUSER root\nFROM base AS production\nUSER app\n"
    selected = load_text(tmp_path, text, fragment="production")
    final = load_text(tmp_path, text, "Dockerfile.release")
    only_in_whole_file = ["/images/base", "/images/dev"]
    assert [d.pointer for d in compare(selected, final).drifts] == only_in_whole_file
    assert selected.tree["images"]["Dockerfile"] == final.tree["images"]["Dockerfile"]


def test_a_dependency_image_bump_is_rated_like_a_base_image_bump(tmp_path: Path) -> None:
    old = load_text(tmp_path, "FROM alpine:3.19\nCOPY --from=docker/buildx-bin:0.12.1 /buildx /b\n")
    new = load_text(tmp_path, "FROM alpine:3.19\nCOPY --from=docker/buildx-bin:0.13.0 /buildx /b\n", "Dockerfile.new")
    [drift] = compare(old, new).drifts
    assert (drift.rule, drift.severity) == ("image-version-drift", Severity.HIGH)


COMPOSE_WITH_TARGET = """\
name: shop
services:
  web:
    build:
      context: .
      target: production   # the stage that runs; later stages (debug tools) are not built
    ports: ["8000:8000"]
  worker:
    build:
      context: ./services/worker
      dockerfile: Dockerfile
      target: runtime
"""

SHOP_DOCKERFILE = """\
FROM python:3.12-slim AS base
ENV PYTHONUNBUFFERED=1
FROM base AS production
USER app
CMD ["gunicorn", "shop.wsgi"]
FROM production AS debug
USER root
RUN pip install debugpy==1.8.1
"""


def test_a_compose_services_build_target_is_the_image_its_dockerfile_builds(tmp_path: Path) -> None:
    # Compose specification, "Build support": target selects the stage of a multi-stage Dockerfile.
    from parity_gui.sources.folder import load_folder

    (tmp_path / "compose.yaml").write_text(COMPOSE_WITH_TARGET)
    (tmp_path / "Dockerfile").write_text(SHOP_DOCKERFILE)
    (tmp_path / "services" / "worker").mkdir(parents=True)
    (tmp_path / "services" / "worker" / "Dockerfile").write_text(
        "FROM python:3.12-slim AS runtime\nUSER worker\nFROM runtime AS test\nRUN pip install pytest==8.1.1\n"
    )
    env = load_folder(tmp_path, "shop", "dev", "shop")
    images = env.tree["images"]
    assert images["dockerfile"]["user"] == "app"  # production, not the last stage (debug)
    assert images["dockerfile:debug"]["user"] == "root"
    assert images["services/worker/dockerfile"]["user"] == "worker"
    assert "dockerfile:production" not in images


def hints(comparison: Any) -> dict[str, str | None]:
    return {d.pointer: d.detail for d in comparison.drifts}


def test_a_rename_hint_only_where_intermediate_stages_really_look_alike(tmp_path: Path) -> None:
    # Multi-stage builds: intermediate stages are named freely; a renamed one keeps its content.
    dev = load_text(
        tmp_path, "FROM python:3.12 AS deps\nRUN pip install django==5.0.3 celery==5.3.6\n"
        "FROM python:3.12 AS lint\nRUN pip install ruff==0.3.4\nFROM python:3.12-slim\nUSER app\n",
    )
    prod = load_text(
        tmp_path, "FROM python:3.12 AS wheels\nRUN pip install django==5.0.3 celery==5.3.6\n"
        "FROM python:3.12 AS docs\nRUN pip install sphinx==7.2.6\nFROM python:3.12-slim\nUSER app\n",
        "Dockerfile.prod",
    )
    found = hints(compare(dev, prod))
    assert found["/images/deps"] == "probably renamed to 'wheels'"
    assert found["/images/wheels"] == "probably renamed from 'deps'"
    assert found["/images/lint"] is None and found["/images/docs"] is None  # one base, nothing else alike


def test_a_project_environment_builds_the_target_its_compose_file_names(tmp_path: Path) -> None:
    # Compose specification, "Build support": build.target, read the same way in a .parity.toml.
    from parity_gui.app.project import load_environment, read_project

    (tmp_path / ".git").mkdir()
    (tmp_path / "compose.yaml").write_text(COMPOSE_WITH_TARGET)
    (tmp_path / "Dockerfile").write_text(SHOP_DOCKERFILE)
    (tmp_path / ".parity.toml").write_text('[environments.dev]\nfiles = ["compose.yaml", "Dockerfile"]\n')
    env = load_environment(read_project(tmp_path / ".parity.toml"), "dev")
    assert env.tree["images"]["Dockerfile"]["user"] == "app"  # production, not debug
    assert env.tree["images"]["Dockerfile"]["cmd"] == ["gunicorn", "shop.wsgi"]
