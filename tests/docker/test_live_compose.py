"""Compose projects brought up with docker-compose, read back from the engine and compared."""

from __future__ import annotations

import shutil
import time
from pathlib import Path

import pytest

from parity_gui.core.drift import DriftKind
from parity_gui.core.pointer import PathGlob, to_pointer
from parity_gui.core.tree import MISSING, Environment
from parity_gui.engine.compare import compare
from parity_gui.engine.comparison import Comparison
from parity_gui.sources.docker import engine as docker_engine
from parity_gui.sources.registry import load
from tests.docker.engine import PrivateEngine

#: What only the engine knows about a service: compose files never say which state it is in.
RUNTIME_ONLY = PathGlob("/services/*/state")


def drifts(comparison: Comparison) -> list[tuple[str, DriftKind, tuple[object, ...]]]:
    """Every drift but the services' run state, as (pointer, kind, values)."""
    return [(to_pointer(d.path), d.kind, d.values) for d in comparison.drifts if not RUNTIME_ONLY.matches(d.path)]


def up_copy(engine: PrivateEngine, shop: Path, project: str) -> Path:
    """A copy of the shop project brought up under another project name; its compose file."""
    folder = engine.root / "projects" / project
    shutil.copytree(shop, folder, ignore=shutil.ignore_patterns(".*"))
    compose_file = folder / "docker-compose.yml"
    engine.compose(project, [compose_file], "up", "-d")
    return compose_file


def test_a_project_compared_with_the_file_it_was_started_from_shows_no_drift(
    on_engine: PrivateEngine, shop: Path
) -> None:
    files = load(str(shop / "docker-compose.yml"), "file")
    live = load("docker://default/shop", "live")
    comparison = compare(files, live)
    assert drifts(comparison) == []
    context = {to_pointer(d.path) for d in comparison.context}
    assert {"/engine", "/images"} <= context


def test_changing_one_variable_and_upping_again_shows_exactly_that_drift(on_engine: PrivateEngine, shop: Path) -> None:
    compose_file = up_copy(on_engine, shop, "checkout")
    changed = compose_file.with_name("docker-compose.changed.yml")
    changed.write_text(compose_file.read_text().replace("SHOP_CURRENCY: EUR", "SHOP_CURRENCY: USD"))
    on_engine.compose("checkout", [changed], "up", "-d")
    comparison = compare(load(str(compose_file), "file"), load("docker://default/checkout", "live"))
    assert drifts(comparison) == [("/services/web/environment/SHOP_CURRENCY", DriftKind.CHANGED, ("EUR", "USD"))]


def test_bind_paths_written_with_trailing_slashes_meet_the_live_mount(on_engine: PrivateEngine, shop: Path) -> None:
    """compose-go cleans volume targets and bind sources (Go's path.Clean), and so does the
    engine; parity cleans both sides, so ``./conf/:/etc/shop/:ro`` is the live mount's key."""
    compose_file = up_copy(on_engine, shop, "slashes")
    slashed = compose_file.with_name("docker-compose.slashes.yml")
    slashed.write_text(compose_file.read_text().replace("./conf:/etc/shop:ro", "./conf/:/etc/shop/:ro"))
    on_engine.compose("slashes", [slashed], "up", "-d")
    files = load(str(slashed), "file")
    assert files.get(("services", "web", "volumes", "/etc/shop", "source")) == "./conf"
    assert drifts(compare(files, load("docker://default/slashes", "live"))) == []


def test_two_projects_on_one_engine_are_two_environments(on_engine: PrivateEngine, shop: Path) -> None:
    compose_file = up_copy(on_engine, shop, "outlet")
    on_engine.compose("outlet", [compose_file], "up", "-d", "--scale", "worker=3")
    shop_env = load("docker://default/shop", "shop")
    outlet = load("docker://default/outlet", "outlet")
    assert drifts(compare(shop_env, outlet)) == [("/services/worker/deploy/replicas", DriftKind.CHANGED, (2, 3))]


def test_scaled_services_count_their_containers(on_engine: PrivateEngine, shop: Path) -> None:
    live = load("docker://default/shop", "live")
    assert live.get(("services", "worker", "deploy", "replicas")) == 2
    assert live.get(("services", "web", "deploy", "replicas")) == 1


def test_what_the_image_brings_is_under_images_not_the_service(on_engine: PrivateEngine, shop: Path) -> None:
    live = load("docker://default/shop", "live")
    assert live.get(("services", "web", "environment")) == {
        "LOG_LEVEL": "info",
        "SHOP_CURRENCY": "EUR",
        "DATABASE_URL": "postgres://shop:s3cret@db:5432/shop",
    }
    assert live.get(("images", "shop/web:1.4", "env", "SHOP_HOME")) == "/srv"
    assert live.get(("images", "shop/web:1.4", "env", "LOG_LEVEL")) == "warn"
    assert live.get(("services", "web", "entrypoint")) is MISSING
    assert live.get(("images", "shop/web:1.4", "entrypoint")) == ["/bin/busybox"]


def test_every_value_names_its_context_container_and_attribute(on_engine: PrivateEngine, shop: Path) -> None:
    live = load("docker://default/shop", "live")
    origin = live.origin(("services", "web", "environment", "SHOP_CURRENCY"))
    assert origin is not None
    web_id = on_engine.docker("inspect", "--format", "{{.Id}}", "shop_web_1").strip()
    assert (origin.context, origin.object_id, origin.attribute) == ("default", web_id, "Config.Env")


def test_the_whole_engine_keys_compose_services_by_project_and_plain_containers_by_name(
    on_engine: PrivateEngine, shop: Path
) -> None:
    on_engine.docker(
        "run",
        "-d",
        "--network",
        "none",
        "--name",
        "billing",
        "-e",
        "BILLING_MODE=batch",
        "--restart",
        "on-failure:3",
        "--memory",
        "16m",
        "shop/worker:1.4",
    )
    try:
        live = load("docker://", "engine")
    finally:
        on_engine.docker("rm", "-f", "billing")
    services = live.get(("services",))
    assert {"shop/web", "shop/worker", "billing"} <= set(services)
    assert services["billing"]["environment"] == {"BILLING_MODE": "batch"}
    assert services["billing"]["restart"] == "on-failure:3"
    assert services["billing"]["deploy"]["resources"]["limits"]["memory"] == 16 * 1024 * 1024


def test_loading_changes_nothing_on_the_engine(on_engine: PrivateEngine, shop: Path) -> None:
    listings = (
        ("ps", "-a", "--no-trunc", "--format", "{{.ID}} {{.Names}} {{.Image}}"),
        ("images", "--no-trunc", "--format", "{{.ID}} {{.Repository}}:{{.Tag}}"),
        ("network", "ls", "--no-trunc", "--format", "{{.ID}} {{.Name}}"),
        ("volume", "ls", "--format", "{{.Name}}"),
    )

    def state() -> list[list[str]]:
        return [sorted(on_engine.docker(*listing).splitlines()) for listing in listings]

    before = state()
    since = f"{time.time() - 0.01:.3f}"
    load("docker://", "engine")
    load("docker://default/shop", "shop")
    until = f"{time.time() + 0.5:.3f}"
    time.sleep(0.6)
    events = on_engine.docker(
        "events", "--since", since, "--until", until, "--format", "{{.Type}} {{.Action}} {{.Actor.ID}}"
    ).splitlines()
    assert state() == before
    healthchecks = ("exec_create", "exec_start", "exec_die", "health_status")
    assert [e for e in events if not e.split(" ")[1].startswith(healthchecks)] == []


def test_containers_removed_during_the_load_are_reported_and_the_load_completes(
    on_engine: PrivateEngine, shop_images: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    names = [f"batch-{i}" for i in range(6)]
    for name in names:
        on_engine.docker("create", "--network", "none", "--name", name, "shop/worker:1.4")
    monkeypatch.setattr(docker_engine, "INSPECT_WORKERS", 1)
    removed: list[str] = []

    def remove_the_rest(done: int, total: int) -> None:
        if not removed:
            removed.extend(names)
            on_engine.docker("rm", "-f", *names)

    live = docker_engine.load_docker("docker://", "engine", progress=remove_the_rest)
    left = [n for n in names if n in live.get(("services",))]
    gone = [d.message for d in live.diagnostics if "removed while loading" in d.message]
    assert len(left) + len(gone) == len(names)
    assert gone, "the sequential load inspects every batch container after the removal"


def test_a_load_reports_its_progress(on_engine: PrivateEngine, shop: Path) -> None:
    seen: list[tuple[int, int]] = []
    docker_engine.load_docker("docker://default/shop", "live", progress=lambda *p: seen.append(p))
    containers_and_images = 3 + 2
    assert sorted(seen) == [(n, containers_and_images) for n in range(1, containers_and_images + 1)]


def test_a_container_restarted_with_another_variable_shows_that_drift(
    on_engine: PrivateEngine, shop_images: dict[str, str]
) -> None:
    def run_billing(mode: str) -> Environment:
        on_engine.docker(
            "run",
            "-d",
            "--network",
            "none",
            "--name",
            "billing",
            "--label",
            "team=payments",
            "-e",
            f"BILLING_MODE={mode}",
            "-e",
            "BILLING_CURRENCY=EUR",
            "shop/worker:1.4",
        )
        try:
            return load("docker://", f"billing-{mode}")
        finally:
            on_engine.docker("rm", "-f", "billing")

    before, after = run_billing("batch"), run_billing("stream")
    changed = [d for d in drifts(compare(before, after)) if d[0].startswith("/services/billing/")]
    assert changed == [("/services/billing/environment/BILLING_MODE", DriftKind.CHANGED, ("batch", "stream"))]
