"""A realistic comparison for the report tests: a dev and a prod compose project."""

from __future__ import annotations

from typing import Any

from parity_gui.core.options import CompareOptions, ExpectedDifference
from parity_gui.core.origin import Origin
from parity_gui.core.pointer import PathGlob, from_pointer
from parity_gui.core.tree import Diagnostic, Environment
from parity_gui.engine import Comparison, compare

SECRET_DEV = "s3cr3t-dev-pw"
SECRET_PROD = "pr0d-pw-XYZ"


def image(repository: str, tag: str) -> dict[str, Any]:
    return {"registry": "docker.io", "repository": f"library/{repository}", "tag": tag}


def environment(name: str, file: str, tag: str, password: str, extra: dict[str, Any]) -> Environment:
    tree: dict[str, Any] = {
        "services": {
            "db": {"image": image("postgres", tag), "deploy": {"replicas": 1}},
            "api": {
                "image": image("python", "3.12-slim"),
                "environment": {"DB_PASSWORD": password, "GREETING": extra.pop("greeting")},
            },
            **extra.pop("services", {}),
        },
    }
    origins = {
        from_pointer("/services/db/image/tag"): Origin(file, 4, 12),
        from_pointer("/services/db/deploy/replicas"): Origin(file, 7, 17),
        from_pointer("/services/api/environment/DB_PASSWORD"): Origin(file, 12, 20),
        from_pointer("/services/api/environment/GREETING"): Origin(file, 13, 17),
        from_pointer("/services/mail"): Origin(file, 15, 3),
    }
    return Environment(name, file, tree=tree, origins=origins, sources=[file, ".env"])


def shop_comparison() -> Comparison:
    dev = environment("dev", "compose.yml", "14.7", SECRET_DEV, {
        "greeting": "hello | `world`",
        "services": {"mail": {"image": image("mailhog", "v1.0.1")}},
    })
    prod = environment("prod", "deploy/compose prod.yml", "13", SECRET_PROD, {
        "greeting": "<script>alert('x')</script> & bye",
    })
    prod.tree["services"]["db"]["deploy"]["replicas"] = 3
    warning = Diagnostic("variable TAG is not set; using an empty string", "deploy/compose prod.yml", 9, 5)
    prod.diagnostics.append(warning)
    options = CompareOptions(expected=(
        ExpectedDifference(PathGlob("/services/*/deploy/replicas"), "prod runs more replicas"),
    ))
    return compare(dev, prod, options=options)
