"""Conformance: the canonical tree of a compose project is what docker compose v2 passes to the
engine. One case per rule, table-driven: the files of a project (compose files, ``.env``,
``env_file``s), and the values, origins and warnings the tree must show; or the one-line error
compose's refusal becomes. Each case cites the compose specification section
(https://github.com/compose-spec/compose-spec) or the compose-go code
(https://github.com/compose-spec/compose-go, the reference where the two disagree) it follows.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from parity_gui.cli.main import main
from parity_gui.core.drift import DriftKind
from parity_gui.core.pointer import from_pointer, to_pointer
from parity_gui.core.tree import MISSING, Environment
from parity_gui.engine.compare import compare
from parity_gui.errors import ParseError
from parity_gui.sources.compose.load import load_compose_files
from parity_gui.sources.registry import SpecFile

SHELL = "(from the shell at run time)"


@dataclass(frozen=True)
class Case:
    """Files as a project holds them; what the canonical tree must say after loading them."""

    rule: str
    cites: str  #: the specification section or compose-go code the expectation follows
    files: dict[str, str]  #: path in the project → text (the ``.env`` beside the first file too)
    expected: dict[str, Any]  #: JSON Pointer → value (MISSING: absent)
    compose: tuple[str, ...] = ("compose.yaml",)  #: merged in this order, like ``-f a -f b``
    origins: dict[str, str] = field(default_factory=dict)  #: pointer → "file:line"
    raws: dict[str, str] = field(default_factory=dict)  #: pointer → raw text shown
    warnings: tuple[tuple[str, str], ...] = ()  #: ("file:line", words the warning holds)

    def __str__(self) -> str:
        return self.rule


@dataclass(frozen=True)
class Refusal:
    """Files compose refuses to load, and the one line parity must refuse them with."""

    rule: str
    cites: str
    files: dict[str, str]
    where: str  #: "file:line" the error names
    message: str  #: words the error holds
    compose: tuple[str, ...] = ("compose.yaml",)

    def __str__(self) -> str:
        return self.rule


def write(folder: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(text.encode("utf-8"))


def load(folder: Path, compose: tuple[str, ...]) -> Environment:
    """The compose files loaded as ``parity compare`` loads ``a.yml+b.yml`` from ``folder``."""
    specs = [SpecFile(folder / name, name) for name in compose]
    return load_compose_files(specs, "case", "+".join(compose))


def at(env: Environment, pointer: str) -> Any:
    return env.get(from_pointer(pointer))


def origin_of(env: Environment, pointer: str) -> str | None:
    origin = env.origin(from_pointer(pointer))
    return None if origin is None else f"{origin.file}:{origin.line}"


# --- what the tree says --------------------------------------------------------------------

CASES = [
    # 1. Paths are cleaned
    Case(
        rule="volume targets and bind sources are path-cleaned",
        cites="compose-go transform/volume.go cleanTarget and loader/normalize.go (path.Clean of "
              "every target); paths/resolve.go absVolumeMount (bind sources joined, so cleaned)",
        files={"compose.yaml": """\
services:
  app:
    image: ghcr.io/acme/app:2.3
    volumes:
      - ./data/:/var/lib/app/          # trailing slashes, as people write them
      - type: bind
        source: ./cache//build/./out/
        target: /app/./cache/
      - logs:/var/log//app
volumes:
  logs: {}
"""},
        expected={
            "/services/app/volumes/~1var~1lib~1app/source": "./data",
            "/services/app/volumes/~1app~1cache/source": "./cache/build/out",
            "/services/app/volumes/~1var~1log~1app/source": "logs",
            "/services/app/volumes/~1var~1lib~1app~1": MISSING,
        },
    ),
    # 2. Pass-through variables
    Case(
        rule="a pass-through variable takes its value from the project .env, with that line as origin",
        cites="compose-spec 05-services.md#environment (a variable without value is resolved from "
              "the environment); compose-go loader/normalize.go resolve(), types/mapping.go Resolve",
        files={
            ".env": "# staging values\nCOMPOSE_PROJECT_NAME=shop\nSTRIPE_KEY=sk_test_4eC39H\nEMPTY=\n",
            "compose.yaml": """\
services:
  api:
    image: ghcr.io/acme/api:1.4
    environment:
      - STRIPE_KEY          # from .env
      - EMPTY
      - HOSTNAME_OF_CI      # set nowhere: the shell running compose decides
  worker:
    image: ghcr.io/acme/worker:1.4
    environment:
      STRIPE_KEY:
""",
        },
        expected={
            "/services/api/environment/STRIPE_KEY": "sk_test_4eC39H",
            "/services/api/environment/EMPTY": "",
            "/services/api/environment/HOSTNAME_OF_CI": SHELL,
            "/services/worker/environment/STRIPE_KEY": "sk_test_4eC39H",
        },
        origins={
            "/services/api/environment/STRIPE_KEY": ".env:3",
            "/services/worker/environment/STRIPE_KEY": ".env:3",
            "/services/api/environment/HOSTNAME_OF_CI": "compose.yaml:7",
        },
    ),
    Case(
        rule="a pass-through build arg takes its value from the project .env",
        cites="compose-spec build.md#args (an arg without value is taken from the environment); "
              "compose-go loader/normalize.go resolve() on build.args",
        files={
            ".env": "GIT_SHA=3f9c2ab\n",
            "compose.yaml": "services:\n  api:\n    build:\n      context: ./api\n      args:\n"
                            "        - GIT_SHA\n        - NODE_ENV=production\n",
        },
        expected={"/services/api/build/args": {"GIT_SHA": "3f9c2ab", "NODE_ENV": "production"}},
        origins={"/services/api/build/args/GIT_SHA": ".env:1"},
    ),
    # 3. Relative paths in override files
    Case(
        rule="relative paths in an override in another folder start at the project folder",
        cites="docs.docker.com/compose/how-tos/multiple-compose-files/merge (paths are relative to "
              "the base file); compose-go paths/resolve.go ResolveRelativePaths(project, workingDir)",
        compose=("compose.yaml", "overrides/prod.yaml"),
        files={
            "compose.yaml": "services:\n  api:\n    image: ghcr.io/acme/api:1.4\n",
            "prod.env": "WORKERS=8\n",
            "overrides/prod.yaml": """\
services:
  api:
    build: ./api            # the project's api folder, not overrides/api
    env_file: prod.env
    volumes:
      - ./config:/etc/api:ro
""",
        },
        expected={
            "/services/api/build/context": "./api",
            "/services/api/environment/WORKERS": "8",
            "/services/api/volumes/~1etc~1api/source": "./config",
        },
        origins={"/services/api/environment/WORKERS": "prod.env:1"},
    ),
    # 4. Override volume entry replaces the whole entry
    Case(
        rule="an override's volume entry for a target replaces the whole base entry",
        cites="compose-spec 13-merge.md#unique-resources (volumes are unique by target); "
              "compose-go override/uncity.go volumeIndexer (the later entry replaces the earlier)",
        compose=("compose.yaml", "compose.override.yaml"),
        files={
            "compose.yaml": """\
services:
  db:
    image: postgres:16
    volumes:
      - type: bind
        source: ./pgdata
        target: /var/lib/postgresql/data
        read_only: true
        bind:
          propagation: rshared
""",
            "compose.override.yaml": """\
services:
  db:
    volumes:
      - pgdata:/var/lib/postgresql/data
volumes:
  pgdata:
""",
        },
        expected={"/services/db/volumes/~1var~1lib~1postgresql~1data": {
            "type": "volume", "source": "pgdata", "read_only": False,
        }},
    ),
    # 5. Unquoted numbers in environment, labels and build args
    Case(
        rule="unquoted YAML numbers and booleans reach the container as compose-go's text",
        cites="compose-go types/mapping.go mappingValue and types/labels.go labelValue (fmt.Sprint "
              "of the yaml.v3 value); yaml.v3 resolve (YAML 1.2 core schema, 0755 octal)",
        files={"compose.yaml": """\
services:
  app:
    image: python:3.10-slim
    build:
      context: .
      args:
        NODE_VERSION: 18.0
    environment:
      PYTHON_VERSION: 3.10
      UMASK: 0755
      BATCH: 1e3
      RATIO: 1.0
      LIMIT: 1e6
      DEBUG: True
      QUOTED: "3.10"
      LIST_FORM: off        # a string in YAML 1.2
    labels:
      com.acme.version: 1.10
"""},
        expected={
            "/services/app/environment": {
                "PYTHON_VERSION": "3.1", "UMASK": "493", "BATCH": "1000", "RATIO": "1",
                "LIMIT": "1e+06", "DEBUG": "true", "QUOTED": "3.10", "LIST_FORM": "off",
            },
            "/services/app/labels/com.acme.version": "1.1",
            "/services/app/build/args/NODE_VERSION": "18",
        },
        warnings=(
            ("compose.yaml:7", "'18'"), ("compose.yaml:9", "'3.1'"), ("compose.yaml:10", "'493'"),
            ("compose.yaml:11", "'1000'"), ("compose.yaml:12", "'1'"), ("compose.yaml:13", "'1e+06'"),
            ("compose.yaml:14", "'true'"), ("compose.yaml:18", "'1.1'"),
        ),
    ),
    # 6. healthcheck.test NONE as a string
    Case(
        rule="healthcheck test NONE as a string is a shell test; only [NONE] or disable disables",
        cites="compose-go types/healthcheck.go HealthCheckTest.DecodeMapstructure (a string is "
              "[CMD-SHELL, string]); compose-spec 05-services.md#healthcheck",
        files={"compose.yaml": """\
services:
  string:
    image: busybox:1.36
    healthcheck:
      test: NONE
  list:
    image: busybox:1.36
    healthcheck:
      test: ["NONE"]
  disabled:
    image: busybox:1.36
    healthcheck:
      disable: true
"""},
        expected={
            "/services/string/healthcheck/test": ["CMD-SHELL", "NONE"],
            "/services/string/healthcheck/interval": 30,
            "/services/list/healthcheck": {"test": ["NONE"]},
            "/services/disabled/healthcheck": {"test": ["NONE"]},
        },
    ),
    # 8. Defaults compose fills in
    Case(
        rule="defaults compose-go fills in are in the tree, marked (default)",
        cites="compose-go format/volume.go populateType and transform/defaults.go defaultVolumeBind "
              "(create_host_path), loader/normalize.go (build.dockerfile, pull_policy "
              "if_not_present → missing, an external resource named by its key)",
        files={"compose.yaml": """\
services:
  api:
    build: ./api
    pull_policy: if_not_present
    volumes:
      - ./src:/app/src
      - type: bind               # long syntax without bind settings: not created
        source: ./static
        target: /app/static
      - type: bind
        source: ./media
        target: /app/media
        bind:
          propagation: rprivate
  cache:
    image: redis:7.2
    pull_policy: missing
    volumes:
      - shared:/data
volumes:
  shared:
    external: true
  named:
    external: true
    name: acme_named
"""},
        expected={
            "/services/api/volumes/~1app~1src/bind/create_host_path": True,
            "/services/api/volumes/~1app~1static/bind": MISSING,
            "/services/api/volumes/~1app~1media/bind": {"propagation": "rprivate", "create_host_path": True},
            "/services/api/build/dockerfile": "Dockerfile",
            "/services/api/pull_policy": "missing",
            "/services/cache/pull_policy": "missing",
            "/volumes/shared/name": "shared",
            "/volumes/named/name": "acme_named",
        },
        raws={
            "/services/api/volumes/~1app~1src/bind/create_host_path": "(default)",
            "/services/api/build/dockerfile": "(default)",
            "/volumes/shared/name": "(default)",
            "/services/api/pull_policy": "if_not_present",
        },
    ),
    # 9. env_file interpolation, format raw, volume consistency modes
    Case(
        rule="env_file lines interpolate from the project's variables, then the lines above",
        cites="compose-go types/project.go WithServicesEnvironmentResolved (lookup: project "
              "environment first) and dotenv/godotenv.go expandVariables; docs.docker.com "
              "compose/how-tos/environment-variables/variable-interpolation",
        files={
            ".env": "REGION=eu-west-1\nBUCKET_SUFFIX=prod\n",
            "api.env": "# per-service settings\r\nBUCKET=shop-${REGION}-${BUCKET_SUFFIX}\r\n"
                       "LOCAL=x\r\nCOMBINED=\"${LOCAL}-y\"\r\nLITERAL='${REGION}'\r\nREGION\r\n",
            "compose.yaml": "services:\n  api:\n    image: ghcr.io/acme/api:1.4\n    env_file: api.env\n",
        },
        expected={"/services/api/environment": {
            "BUCKET": "shop-eu-west-1-prod", "LOCAL": "x", "COMBINED": "x-y", "LITERAL": "${REGION}",
            "REGION": "eu-west-1",
        }},
        origins={"/services/api/environment/BUCKET": "api.env:2", "/services/api/environment/REGION": ".env:1"},
    ),
    Case(
        rule="env_file lines read the service's environment and the files read before",
        cites="compose-go types/project.go WithServicesEnvironmentResolved (lookup: project "
              "environment, then service.environment; then what the files set so far)",
        compose=("compose.yaml", "compose.override.yaml"),
        files={
            ".env": "REGION=eu-west-1\n",
            "base.env": "PREFIX=base\nREGION=ignored-by-lookup\n",
            "api.env": "LABEL=${APP_NAME}-${REGION}\nFROM_EARLIER=${PREFIX}-x\nPREFIX=mine\n"
                       "AFTER=${PREFIX}\n",
            "compose.yaml": "services:\n  api:\n    image: ghcr.io/acme/api:1.4\n    env_file: [base.env]\n",
            "compose.override.yaml": "services:\n  api:\n    environment:\n      APP_NAME: shop\n"
                                     "    env_file: [api.env]\n",
        },
        expected={"/services/api/environment": {
            "APP_NAME": "shop", "PREFIX": "mine", "REGION": "ignored-by-lookup",
            "LABEL": "shop-eu-west-1", "FROM_EARLIER": "base-x", "AFTER": "mine",
        }},
        origins={"/services/api/environment/PREFIX": "api.env:3"},
    ),
    Case(
        rule="env_file with format: raw takes each line as written",
        cites="compose-spec 05-services.md#format (env_file: raw, no interpolation nor quote handling)",
        files={
            ".env": "PASSWORD=from-dotenv\n",
            "raw.env": "# exported by the vault\nPASSWORD='p$ss#1'\nGREETING=hello # not a comment\n",
            "compose.yaml": "services:\n  api:\n    image: ghcr.io/acme/api:1.4\n    env_file:\n"
                            "      - path: raw.env\n        format: raw\n",
        },
        expected={"/services/api/environment": {"PASSWORD": "'p$ss#1'", "GREETING": "hello # not a comment"}},
        origins={"/services/api/environment/PASSWORD": "raw.env:2"},
    ),
    Case(
        rule="volume modes cached, delegated and consistent are accepted and change nothing",
        cites="compose-go format/volume.go populateFieldFromBuffer (options it does not know are "
              "ignored); Docker Desktop's old file-sharing consistency modes",
        files={"compose.yaml": """\
services:
  web:
    image: nginx:1.27
    volumes:
      - ./site:/usr/share/nginx/html:cached
      - ./logs:/var/log/nginx:ro,delegated
      - ./conf:/etc/nginx/conf.d:consistent
"""},
        expected={
            "/services/web/volumes/~1usr~1share~1nginx~1html": {
                "type": "bind", "source": "./site", "read_only": False, "bind": {"create_host_path": True},
            },
            "/services/web/volumes/~1var~1log~1nginx/read_only": True,
            "/services/web/volumes/~1etc~1nginx~1conf.d/source": "./conf",
        },
    ),
    # 10. COMPOSE_PROFILES and COMPOSE_PROJECT_NAME from .env
    Case(
        rule="COMPOSE_PROFILES and COMPOSE_PROJECT_NAME in the .env apply",
        cites="compose-go cli/options.go WithDefaultProfiles and withNamePrecedenceLoad (the "
              "variable wins over name:); types/services.go HasProfile",
        files={
            ".env": "COMPOSE_PROJECT_NAME=shop-staging\nCOMPOSE_PROFILES=debug, metrics\n",
            "compose.yaml": """\
name: shop
services:
  api:
    image: ghcr.io/acme/api:1.4
  debugger:
    image: ghcr.io/acme/debug:1
    profiles: [debug]
  grafana:
    image: grafana/grafana:11.1.0
    profiles: [metrics, ops]
  seed:
    image: ghcr.io/acme/seed:1
    profiles: [tools]
""",
        },
        expected={
            "/project/name": "shop-staging",
            "/services/debugger/image/tag": "1",
            "/services/grafana/image/tag": "11.1.0",
            "/services/seed": MISSING,
        },
        origins={"/project/name": ".env:1"},
    ),
    Case(
        rule="without COMPOSE_PROFILES a service with profiles is left out",
        cites="compose-go types/services.go HasProfile (no profile enabled: only services without "
              "profiles); compose-spec 15-profiles.md",
        files={"compose.yaml": "services:\n  api:\n    image: ghcr.io/acme/api:1.4\n"
                               "  mailhog:\n    image: mailhog/mailhog\n    profiles: [dev]\n"},
        expected={"/services/mailhog": MISSING, "/services/api/image/tag": "1.4"},
    ),
    # 11. A null override keeps the base value
    Case(
        rule="a null override keeps the base value",
        cites="compose-go override/merge.go MergeYaml (an override that is nil keeps the base)",
        compose=("compose.yaml", "compose.override.yaml"),
        files={
            "compose.yaml": "services:\n  api:\n    image: ghcr.io/acme/api:1.4\n    user: \"1000\"\n"
                            "    working_dir: /srv/api\n    deploy:\n      replicas: 2\n",
            "compose.override.yaml": "services:\n  api:\n    user:            # left empty on purpose\n"
                                     "    working_dir: ~\n    deploy:\n      replicas:\n",
        },
        expected={
            "/services/api/user": "1000",
            "/services/api/working_dir": "/srv/api",
            "/services/api/deploy/replicas": 2,
        },
        origins={"/services/api/user": "compose.yaml:4"},
    ),
    Case(
        rule="command or entrypoint left empty in an override clears the base value",
        cites="compose-go override/merge.go (services.*.command and entrypoint merge by "
              "override(): the later value, even nil, replaces)",
        compose=("compose.yaml", "compose.debug.yaml"),
        files={
            "compose.yaml": "services:\n  api:\n    image: ghcr.io/acme/api:1.4\n"
                            "    entrypoint: [/usr/bin/tini, --]\n    command: gunicorn app:app -w 4\n",
            "compose.debug.yaml": "services:\n  api:\n    command:   # the image's own CMD\n"
                                  "    entrypoint: null\n",
        },
        expected={"/services/api/command": MISSING, "/services/api/entrypoint": MISSING,
                  "/services/api/image/tag": "1.4"},
    ),
]


@pytest.mark.parametrize("case", CASES, ids=str)
def test_the_tree_holds_what_compose_passes_to_the_engine(tmp_path: Path, case: Case) -> None:
    write(tmp_path, case.files)
    env = load(tmp_path, case.compose)
    for pointer, value in case.expected.items():
        assert at(env, pointer) == value, pointer
    for pointer, where in case.origins.items():
        assert origin_of(env, pointer) == where, pointer
    for pointer, raw in case.raws.items():
        assert env.raw.get(from_pointer(pointer)) == raw, pointer
    for where, words in case.warnings:
        found = [d.message for d in env.diagnostics if f"{d.file}:{d.line}" == where]
        assert any(words in message for message in found), (where, words, found)


def test_the_same_compose_file_with_two_dotenv_files_drifts(tmp_path: Path) -> None:
    """compose-spec 05-services.md#environment: ``- STRIPE_KEY`` is whatever the environment
    compose runs with holds, so two .env files make two different containers."""
    compose = "services:\n  api:\n    image: ghcr.io/acme/api:1.4\n    environment:\n      - STRIPE_KEY\n"
    for name, key in (("staging", "sk_test_4eC39H"), ("production", "sk_live_9Xq2")):
        write(tmp_path / name, {"compose.yaml": compose, ".env": f"STRIPE_KEY={key}\n"})
    staging = load(tmp_path / "staging", ("compose.yaml",))
    production = load(tmp_path / "production", ("compose.yaml",))
    drifts = compare(staging, production).drifts
    assert [(to_pointer(d.path), d.kind) for d in drifts] == [
        ("/services/api/environment/STRIPE_KEY", DriftKind.CHANGED),
    ]


# --- what compose refuses --------------------------------------------------------------------

REFUSALS = [
    Refusal(
        rule="a required variable that is unset",
        cites="compose-spec 12-interpolation.md (${VAR:?err} exits with an error when VAR is unset "
              "or empty); compose-go template/template.go",
        files={"compose.yaml": "services:\n  db:\n    image: postgres:16\n    environment:\n"
                               "      POSTGRES_PASSWORD: ${DB_PASSWORD:?set DB_PASSWORD in .env}\n"},
        where="compose.yaml:5",
        message="required variable DB_PASSWORD is missing a value: set DB_PASSWORD in .env",
    ),
    Refusal(
        rule="a required variable that is empty",
        cites="compose-spec 12-interpolation.md (${VAR:?err}: unset or empty)",
        files={".env": "DB_PASSWORD=\n",
               "compose.yaml": "services:\n  db:\n    image: postgres:${PG_TAG:-16}\n    environment:\n"
                               "      - POSTGRES_PASSWORD=${DB_PASSWORD:?}\n"},
        where="compose.yaml:5",
        message="required variable DB_PASSWORD is missing a value",
    ),
    Refusal(
        rule="a required variable unset inside an env_file",
        cites="compose-go dotenv/godotenv.go expandVariables (template.Substitute errors stop the load)",
        files={"api.env": "# secrets\nTOKEN=${API_TOKEN:?the deploy pipeline sets API_TOKEN}\n",
               "compose.yaml": "services:\n  api:\n    image: ghcr.io/acme/api:1.4\n    env_file: api.env\n"},
        where="api.env:2",
        message="the deploy pipeline sets API_TOKEN",
    ),
    Refusal(
        rule="a required variable unset inside the project .env",
        cites="compose-go dotenv/env.go GetEnvFromFile (the project .env is interpolated; an "
              "error stops the load)",
        files={".env": "DB_HOST=db\nDATABASE_URL=postgres://${DB_HOST}:${DB_PORT:?set DB_PORT}/shop\n",
               "compose.yaml": "services:\n  api:\n    image: ghcr.io/acme/api:1.4\n"
                               "    environment:\n      - DATABASE_URL\n"},
        where=".env:2",
        message="required variable DB_PORT is missing a value: set DB_PORT",
    ),
    Refusal(
        rule="a missing required env_file",
        cites="compose-spec 05-services.md#env_file (required defaults to true); compose-go "
              "types/project.go loadEnvFile",
        files={"compose.yaml": "services:\n  api:\n    image: ghcr.io/acme/api:1.4\n    env_file:\n"
                               "      - path: ./optional.env\n        required: false\n"
                               "      - ./secrets/api.env\n"},
        where="compose.yaml:7",
        message="env_file ./secrets/api.env not found",
    ),
    Refusal(
        rule="mem_limit and deploy.resources.limits.memory disagree",
        cites="compose-go loader/validate.go checkConsistency (can't set distinct values on "
              "'mem_limit' and 'deploy.resources.limits.memory')",
        files={"compose.yaml": """\
x-limits: &limits
  deploy:
    resources:
      limits:
        memory: 512M
services:
  api:
    <<: *limits
    image: ghcr.io/acme/api:1.4
    mem_limit: 1g
"""},
        where="compose.yaml:10",
        message="can't set distinct values on 'mem_limit' and 'deploy.resources.limits.memory'",
    ),
    Refusal(
        rule="cpus and deploy.resources.limits.cpus disagree",
        cites="compose-go loader/validate.go checkConsistency (can't set distinct values on "
              "'cpus' and 'deploy.resources.limits.cpus')",
        files={"compose.yaml": "services:\n  api:\n    image: ghcr.io/acme/api:1.4\n    cpus: 1.5\n"
                               "    deploy:\n      resources:\n        limits:\n          cpus: '0.5'\n"},
        where="compose.yaml:4",
        message="can't set distinct values on 'cpus' and 'deploy.resources.limits.cpus'",
    ),
    Refusal(
        rule="scale and deploy.replicas disagree across files",
        cites="compose-go loader/validate.go checkConsistency (can't set distinct values on "
              "'scale' and 'deploy.replicas'), checked after the files are merged",
        compose=("compose.yaml", "compose.prod.yaml"),
        files={"compose.yaml": "services:\n  worker:\n    image: ghcr.io/acme/worker:1.4\n    scale: 2\n",
               "compose.prod.yaml": "services:\n  worker:\n    deploy:\n      replicas: 6\n"},
        where="compose.yaml:4",
        message="can't set distinct values on 'scale' and 'deploy.replicas'",
    ),
    Refusal(
        rule="a service with neither image nor build",
        cites="compose-go loader/validate.go checkConsistency (has neither an image nor a build "
              "context specified)",
        files={"compose.yaml": "services:\n  api:\n    image: ghcr.io/acme/api:1.4\n"
                               "  sidecar:\n    command: [sleep, infinity]\n"},
        where="compose.yaml:4",
        message="service 'sidecar' has neither an image nor a build context specified",
    ),
]


@pytest.mark.parametrize("refusal", REFUSALS, ids=str)
def test_what_compose_refuses_parity_refuses_at_the_line(tmp_path: Path, refusal: Refusal) -> None:
    write(tmp_path, refusal.files)
    with pytest.raises(ParseError) as caught:
        load(tmp_path, refusal.compose)
    assert f"{caught.value.file}:{caught.value.line}" == refusal.where
    assert refusal.message in caught.value.message


@pytest.mark.parametrize("refusal", REFUSALS, ids=str)
def test_a_refusal_is_one_line_and_exit_status_2(
    tmp_path: Path, refusal: Refusal, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    write(tmp_path / "left", refusal.files)
    write(tmp_path / "right", {"compose.yaml": "services:\n  api:\n    image: ghcr.io/acme/api:1.4\n"})
    monkeypatch.chdir(tmp_path)
    left = "+".join(f"left/{name}" for name in refusal.compose)
    assert main(["compare", left, "right/compose.yaml"]) == 2
    out, err = capsys.readouterr()
    assert "No drift" not in out
    assert err.count("\n") == 1 and f"left/{refusal.where}" in err, err


def test_an_unreadable_file_in_a_folder_is_never_followed_by_no_drift(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A folder still loads its other files (DESIGN.md: the rest of what could be loaded is
    shown), but the comparison is then incomplete: it exits 2 and does not claim "No drift."."""
    for side in ("left", "right"):
        write(tmp_path / side, {"Dockerfile": "FROM busybox:1.36\nUSER 1000\n",
                                "compose.yaml": "services:\n  api:\n    image: ghcr.io/acme/api:1.4\n"})
    (tmp_path / "left" / "compose.yaml").write_text(
        "services:\n  api:\n    image: ghcr.io/acme/api:1.4\n    env_file: [api.env]\n")
    monkeypatch.chdir(tmp_path)
    assert main(["compare", "left", "right", "--color", "never"]) == 2
    out, _ = capsys.readouterr()
    assert "error: left: left/compose.yaml:4" in out
    assert "No drift." not in out
