"""``parity init``: a starting ``.parity.toml`` written from what a folder holds.

Environments are recognised by the words in file names: ``dev``/``development``/``local``,
``staging``/``stage`` and ``prod``/``production``. For each environment found:

* compose: the compose file, plus the override file for dev and ``compose.<word>.yaml`` (or
  ``docker-compose.<word>.yml`` …) for the others;
* Dockerfile: the stage of the top-level ``Dockerfile`` named after the environment
  (``Dockerfile#production``), else ``Dockerfile.<word>``, else the whole ``Dockerfile``;
* Terraform: a var file named after the environment (``infra/prod.tfvars``);
* ``.env.<word>``; dev falls back to ``.env``.

``prod`` becomes the baseline when it exists. Expected differences are written as commented
examples, so that a fresh project file never warns about paths that match nothing. Nothing is
asked and nothing is overwritten: :func:`create_project_file` refuses an existing file.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from fnmatch import fnmatch
from pathlib import Path

from parity_gui.errors import ParityError, ProjectFileError
from parity_gui.sources.compose.load import compose_files_in
from parity_gui.sources.dockerfile.load import parse_dockerfile
from parity_gui.sources.folder import Findings, discover
from parity_gui.sources.text import read_text

FILE_NAME = ".parity.toml"
ENVIRONMENT_WORDS: dict[str, tuple[str, ...]] = {
    "dev": ("dev", "development", "local"),
    "staging": ("staging", "stage"),
    "prod": ("prod", "production"),
}


def init_project(folder: Path) -> str:
    """The text of a starting ``.parity.toml`` for ``folder``."""
    found = discover(folder)
    files = {env: _files_for(env, folder, found) for env in ENVIRONMENT_WORDS}
    named = {env: fs for env, fs in files.items() if fs and (env == "dev" or _has_variant(fs, env))}
    if not named:
        return _empty_template()
    baseline = "prod" if "prod" in named else None
    return _render(named, baseline, found)


def create_project_file(folder: Path) -> Path:
    """Write :func:`init_project`'s text to ``folder/.parity.toml``; never overwrite one."""
    path = folder / FILE_NAME
    text = init_project(folder)
    try:
        with path.open("x", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
    except FileExistsError:
        raise ProjectFileError("already exists; parity init never overwrites it", file=str(path)) from None
    except OSError as e:
        raise ProjectFileError(f"cannot write: {e.strerror or e}", file=str(path)) from e
    return path


def _files_for(env: str, folder: Path, found: Findings) -> list[str]:
    words = ENVIRONMENT_WORDS[env]
    return [
        *_compose_files(env, folder, words),
        *_dockerfile(folder, found, words),
        *_var_files(folder, found, words),
        *_env_files(env, folder, words),
    ]


def _has_variant(files: Sequence[str], env: str) -> bool:
    """True when one of ``files`` is specific to ``env`` (not shared by every environment)."""
    return any(_mentions(f.lower(), ENVIRONMENT_WORDS[env]) for f in files)


def _mentions(name: str, words: Sequence[str]) -> bool:
    stem = name.replace("#", ".").replace("/", ".").replace("-", ".").replace("_", ".")
    return any(word in stem.split(".") for word in words)


def _compose_files(env: str, folder: Path, words: Sequence[str]) -> list[str]:
    base = compose_files_in(folder)
    if not base:
        return []
    if env == "dev":
        return [p.name for p in base]
    variants = sorted(
        p.name
        for p in folder.iterdir()
        if fnmatch(p.name.lower(), "*compose*.y*ml") and _mentions(p.name.lower(), words)
    )
    return [base[0].name, variants[0]] if variants else []


def _dockerfile(folder: Path, found: Findings, words: Sequence[str]) -> list[str]:
    top = sorted(p for p in found.dockerfiles if p.parent == folder)
    main = next((p for p in top if p.name.lower() == "dockerfile"), None)
    if main is not None:
        stage = _stage_named(main, words)
        if stage is not None:
            return [f"{main.name}#{stage}"]
    variants = [p.name for p in top if _mentions(p.name.lower(), words)]
    if variants:
        return variants[:1]
    return [main.name] if main is not None else []


def _stage_named(path: Path, words: Sequence[str]) -> str | None:
    try:
        parsed = parse_dockerfile(read_text(path).content, path.name)
    except ParityError:
        return None
    names = [s.name for s in parsed.stages if s.name]
    return next((n for word in words for n in names if n.lower() == word), None)


def _var_files(folder: Path, found: Findings, words: Sequence[str]) -> list[str]:
    matches = sorted(p.relative_to(folder).as_posix() for p in found.var_files if p.name.split(".")[0].lower() in words)
    return matches[:1]


def _env_files(env: str, folder: Path, words: Sequence[str]) -> list[str]:
    for word in words:
        if (folder / f".env.{word}").is_file():
            return [f".env.{word}"]
    return [".env"] if env == "dev" and (folder / ".env").is_file() else []


def _render(named: dict[str, list[str]], baseline: str | None, found: Findings) -> str:
    lines = [
        "# parity project file: the environments of this repository and the differences",
        "# between them that are there by design. `parity compare dev prod` compares two;",
        "# `parity compare dev` compares one with the baseline. Paths are relative to this file.",
        "",
    ]
    if baseline:
        lines += [f"baseline = {json.dumps(baseline)}", ""]
    for env, files in named.items():
        lines += [f"[environments.{env}]", f"files = [{', '.join(json.dumps(f) for f in files)}]", ""]
    lines += _expected_examples(found)
    return "\n".join(lines).rstrip("\n") + "\n"


def _expected_examples(found: Findings) -> list[str]:
    examples = ["# Differences by design: uncomment and adapt. Each needs a reason."]
    if found.compose:
        examples += ["# [[expected]]", '# path = "/services/*/deploy/replicas"', '# reason = "prod scales out"']
    if found.terraform or found.var_files:
        examples += [
            "# [[expected]]",
            '# path = "/infrastructure/**/instance_type"',
            '# reason = "smaller instances outside prod"',
        ]
    examples += [
        "#",
        "# Rate drift under a path at a fixed severity (critical, high, medium, low, info):",
        "# [[severity]]",
        '# path = "/variables/LOG_LEVEL"',
        '# level = "low"',
    ]
    return examples


def _empty_template() -> str:
    return (
        "# parity project file. parity found no compose file, Dockerfile, Terraform or .env\n"
        "# file here; name each environment's files (relative to this file):\n"
        "#\n"
        '# baseline = "prod"\n'
        "#\n"
        "# [environments.dev]\n"
        '# files = ["compose.yaml", ".env"]\n'
        "#\n"
        "# [environments.prod]\n"
        '# files = ["compose.yaml", "compose.prod.yaml", ".env.production"]\n'
    )
