"""The SARIF 2.1.0 report, for code-scanning views that show drift on the line that causes it.

One result per unexpected drift (expected differences are by design and are left out; the
JSON report lists them). The result's location is the origin of the value in the first
environment after the baseline that has one — the file a fix would edit; when that side does
not have the path at all (an entry only the baseline has), the location is the baseline's
origin. A drift with no file behind it (a live Docker engine) has a logical location (its path)
only. Columns count characters (``columnKind: unicodeCodePoints``). Relative file names are
relative to the folder the comparison ran from (``uriBaseId: SRCROOT``).

Rule ids are the severity rules' names; each rule carries help text saying what it checks and
how to fix it. The level is ``error`` for critical and high drift, ``warning`` for medium and
``note`` for low and info.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from pathlib import PurePosixPath, PureWindowsPath
from typing import Any
from urllib.parse import quote

from parity_gui import __version__
from parity_gui.core.drift import Drift, Severity
from parity_gui.core.origin import Origin
from parity_gui.core.secrets import REVEALED_NOTICE
from parity_gui.engine.comparison import Comparison
from parity_gui.export import json_report
from parity_gui.export.sections import declared_expectations

SCHEMA_URI = "https://json.schemastore.org/sarif-2.1.0.json"
VERSION = "2.1.0"

LEVELS = {
    Severity.CRITICAL: "error",
    Severity.HIGH: "error",
    Severity.MEDIUM: "warning",
    Severity.LOW: "note",
    Severity.INFO: "note",
}

#: What each severity rule checks, and what to do about it: (short description, help).
RULE_HELP: dict[str, tuple[str, str]] = {
    "different-backing-service": (
        "A service talks to a different kind of backing service",
        "One environment runs a different database, cache or broker (or none) where another runs "
        "this one. Code tested against one will meet the other in production. Use the same "
        "backing service everywhere, or declare the difference expected in .parity.toml.",
    ),
    "service-only-on-one-side": (
        "A service or image exists in only some environments",
        "A whole service (or Dockerfile stage) is missing from an environment. Add it, remove it "
        "from the other side, or declare it expected (e.g. a mail catcher only in dev).",
    ),
    "unpinned-image": (
        "An image floats: tag latest or none, and no digest",
        "What runs can change without any file changing. Pin a version tag, and a digest "
        "(image@sha256:…) where reproducibility matters.",
    ),
    "image-version-drift": (
        "The same image runs at different versions",
        "Major and minor version drift rates high, patch drift medium. Align the tags, or "
        "declare the difference expected while a rollout is under way.",
    ),
    "image-digest-drift": (
        "The same tag resolves to different image digests",
        "A tag was pushed again, so the environments run different builds under the same name. "
        "Pin the digest, or pull again.",
    ),
    "image-repository-changed": (
        "An image comes from a different repository",
        "Environments build from different images (a fork, a mirror, another vendor). Use the "
        "same repository, or declare the difference expected.",
    ),
    "variable-only-on-one-side": (
        "A variable is set in only some environments",
        "Code that reads it behaves differently where it is missing. Set it everywhere (with the "
        "value each environment needs), or remove it.",
    ),
    "labels": (
        "Labels differ",
        "Labels are metadata and rarely change behaviour, but tools (proxies, monitoring) may "
        "read them. Align them if a tool depends on them.",
    ),
    "value-changed": (
        "A setting differs",
        "A setting has different values. Settings that change behaviour (environment, ports, "
        "volumes, commands, resources…) rate medium, others low.",
    ),
    "setting-only-on-one-side": (
        "A setting is present in only some environments",
        "A setting is set on one side and left at its default on the other. Set it on both "
        "sides, or remove it.",
    ),
    "severity-override": (
        "Rated by the project file",
        "The severity of this drift was set by a severity override in .parity.toml.",
    ),
}


def report(
    comparison: Comparison, *, reveal_secrets: bool = False, keep: Callable[[Drift], bool] | None = None
) -> dict[str, Any]:
    """The SARIF log as plain data, ready for ``json.dumps``: a result for each unexpected drift
    (``keep`` narrows them further); expected and known drift are listed in the run's properties."""
    contract = json_report.report(comparison, reveal_secrets=reveal_secrets)
    entries = contract["drift"]
    found = [
        (d, e) for d, e in zip(comparison.drifts, entries, strict=True)
        if not d.expected and not d.known and (keep is None or keep(d))
    ]
    rule_ids = list(dict.fromkeys(d.rule for d, _ in found))
    index = {rule: i for i, rule in enumerate(rule_ids)}
    run = {
        "tool": {"driver": _driver(rule_ids)},
        "originalUriBaseIds": {"SRCROOT": {"description": {"text": "the folder parity compared from"}}},
        "columnKind": "unicodeCodePoints",
        "results": [_result(d, e, index[d.rule], comparison) for d, e in found],
        "properties": {
            "environments": [{"name": e.name, "spec": e.spec, "sources": list(e.sources)}
                             for e in comparison.environments],
            "baseline": comparison.baseline.name,
            "expected": [{"path": d.pointer, "reason": d.reason} for d in comparison.drifts if d.expected],
            "known": [d.pointer for d in comparison.drifts if d.known and not d.expected],
            "expectedDifferences": [{"path": glob, "reason": reason, "declaredAt": source or None}
                                    for glob, reason, source in declared_expectations(comparison)],
        },
    }
    log: dict[str, Any] = {"$schema": SCHEMA_URI, "version": VERSION}
    if reveal_secrets:
        log["properties"] = {"notice": contract.get("notice") or REVEALED_NOTICE}
    return {**log, "runs": [run]}


def render(comparison: Comparison, *, reveal_secrets: bool = False) -> str:
    return json.dumps(report(comparison, reveal_secrets=reveal_secrets), indent=2, ensure_ascii=False) + "\n"


def _driver(rule_ids: list[str]) -> dict[str, Any]:
    return {
        "name": "parity",
        "semanticVersion": __version__,
        "rules": [_rule(rule) for rule in rule_ids],
    }


def _rule(rule: str) -> dict[str, Any]:
    short, help_text = RULE_HELP.get(rule, (rule.replace("-", " ").capitalize(), f"Drift rated by rule {rule}."))
    return {
        "id": rule,
        "name": "".join(word.capitalize() for word in rule.split("-")),
        "shortDescription": {"text": short},
        "fullDescription": {"text": help_text},
        "help": {"text": help_text, "markdown": f"**{short}.** {help_text}"},
        "properties": {"tags": ["drift", "configuration"]},
    }


def _result(drift: Drift, entry: dict[str, Any], rule_index: int, comparison: Comparison) -> dict[str, Any]:
    result: dict[str, Any] = {
        "ruleId": drift.rule,
        "ruleIndex": rule_index,
        "level": LEVELS[drift.severity],
        "kind": "fail",
        "message": {"text": _message(drift, entry, comparison)},
        "locations": [_location(drift)],
        "partialFingerprints": {"parityDriftPath/v1": hashlib.sha256(drift.pointer.encode()).hexdigest()},
        "properties": {"severity": drift.severity.value, "kind": drift.kind.value, "path": drift.pointer,
                       "values": entry["values"]},
    }
    return result


def _message(drift: Drift, entry: dict[str, Any], comparison: Comparison) -> str:
    values = "; ".join(
        f"{name}: {json.dumps(shown, ensure_ascii=False) if here else 'absent'}"
        for name, shown, here in zip(comparison.names, entry["values"], drift.present(), strict=True)
    )
    return f"{drift.pointer} {drift.kind.value}: {entry['explanation']} ({values})"


def _location(drift: Drift) -> dict[str, Any]:
    location: dict[str, Any] = {
        "logicalLocations": [{"fullyQualifiedName": drift.pointer, "kind": "member"}],
    }
    origin = target_origin(drift)
    if origin is not None and origin.file is not None:
        physical: dict[str, Any] = {"artifactLocation": artifact(origin.file)}
        if origin.line is not None:
            region: dict[str, int] = {"startLine": origin.line}
            if origin.column is not None:
                region["startColumn"] = origin.column
            physical["region"] = region
        location["physicalLocation"] = physical
    return location


def target_origin(drift: Drift) -> Origin | None:
    """The file origin a fix would edit: the first non-baseline side that has one, else the baseline's."""
    for origin in drift.origins[1:]:
        if origin is not None and origin.file is not None:
            return origin
    first = drift.origins[0] if drift.origins else None
    return first if first is not None and first.file is not None else None


def artifact(file: str) -> dict[str, str]:
    """A SARIF artifact location: relative names against SRCROOT, absolute ones as file URIs."""
    if PureWindowsPath(file).drive:
        return {"uri": PureWindowsPath(file).as_uri()}
    path = PurePosixPath(file)
    if path.is_absolute():
        return {"uri": path.as_uri()}
    return {"uri": quote(path.as_posix()), "uriBaseId": "SRCROOT"}
