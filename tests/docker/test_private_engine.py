"""The suite's own engine starts, answers, runs busybox containers and leaves nothing behind."""

from __future__ import annotations

from tests.docker.engine import PrivateEngine, build_image, image_dockerfile


def test_private_engine_answers_on_its_own_socket(engine: PrivateEngine) -> None:
    assert engine.socket.is_socket()
    assert "Storage Driver" in engine.docker("info")
    print(f"dockerd ({engine.storage_driver}) answered /_ping after {engine.started_in:.2f}s")


def test_a_scratch_busybox_container_runs_without_network(engine: PrivateEngine) -> None:
    build_image(engine, "probe:1", image_dockerfile({"GREETING": "hello"}))
    out = engine.docker("run", "--rm", "--network", "none", "probe:1", "sh", "-c", "echo $GREETING")
    assert out.strip() == "hello"
