"""Generated inputs far past what real projects hold stay inside time and memory: port ranges
stay ranges, and services, .env variables and Dockerfile stages have caps named in the error.
A parser's crash dump never reaches the terminal."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from parity_gui.core.tree import Environment
from parity_gui.errors import LimitExceeded, ParityError
from parity_gui.sources import registry
from parity_gui.sources.compose.project import MAX_SERVICES
from parity_gui.sources.dockerfile.load import MAX_STAGES
from parity_gui.sources.dotenv.load import MAX_VARIABLES
from tests.hostile import inputs
from tests.hostile.conftest import attempt


def load(folder: Path, name: str) -> Environment | ParityError:
    outcome: Environment | ParityError = attempt(lambda: registry.load(name, base=folder))
    return outcome


@pytest.mark.timeout(30)
def test_whole_port_ranges_stay_ranges(untouched: Path) -> None:
    """compose spec, ports: "1-65535:1-65535" publishes each port of the range."""
    (untouched / "compose.yml").write_text(inputs.port_ranges(12))
    env = load(untouched, "compose.yml")
    assert isinstance(env, Environment), env
    ports = env.tree["services"]["s0"]["ports"]
    assert list(ports) == ["1-65535/tcp"] and "1-65535" in str(ports["1-65535/tcp"])


@pytest.mark.timeout(30)
def test_short_port_ranges_still_expand_port_by_port(untouched: Path) -> None:
    (untouched / "compose.yml").write_text(
        "services:\n  web:\n    image: nginx\n    ports:\n      - \"8000-8002:9000-9002\"\n"
        "    expose: [\"7000-7001/udp\"]\n")
    env = load(untouched, "compose.yml")
    assert isinstance(env, Environment), env
    web = env.tree["services"]["web"]
    assert sorted(web["ports"]) == ["9000/tcp", "9001/tcp", "9002/tcp"]
    assert "8002" in str(web["ports"]["9002/tcp"])
    assert sorted(web["expose"]) == ["7000/udp", "7001/udp"]


@pytest.mark.timeout(60)
@pytest.mark.parametrize(("name", "make", "cap"), [
    ("compose.yml", inputs.many_services, MAX_SERVICES),
    (".env", inputs.many_variables, MAX_VARIABLES),
    ("Dockerfile", inputs.many_stages, MAX_STAGES),
], ids=["services", "variables", "stages"])
def test_past_a_cap_the_file_is_refused_naming_the_cap(
    untouched: Path, name: str, make: object, cap: int
) -> None:
    assert callable(make)
    (untouched / name).write_text(make(cap + 1))
    error = load(untouched, name)
    assert isinstance(error, LimitExceeded), error
    assert error.file == name and f"{cap:,}" in error.message and error.line


@pytest.mark.timeout(60)
def test_ten_thousand_dockerfile_stages_load_within_the_memory_limit(untouched: Path) -> None:
    """The Go parser's start-up reserves address space, not memory: it is not counted."""
    (untouched / "Dockerfile").write_text(inputs.many_stages(MAX_STAGES))
    env = load(untouched, "Dockerfile")
    assert isinstance(env, Environment), env
    assert len(env.tree["images"]) == MAX_STAGES


@pytest.mark.timeout(60)
def test_a_crashing_parsers_dump_never_reaches_the_terminal(tmp_path: Path) -> None:
    (tmp_path / "compose.yml").write_text(inputs.COMPOSE)
    script = (
        "import sys; from pathlib import Path; from tests.hostile import workers; "
        "from parity_gui.errors import ParityError; "
        "from parity_gui.sources.isolation import run_isolated\n"
        "try:\n    run_isolated(workers.read_then_dump_and_abort, Path(sys.argv[1]))\n"
        "except ParityError as e:\n    print(e)\n"
    )
    done = subprocess.run([sys.executable, "-c", script, str(tmp_path / "compose.yml")],
                          cwd=Path(__file__).parents[2], capture_output=True, text=True, timeout=50, check=False)
    assert done.stderr == ""
    assert "the parser crashed reading this file (signal 6" in done.stdout


@pytest.mark.timeout(60)
def test_a_yaml_file_of_too_many_entries_is_refused_before_parsing(untouched: Path) -> None:
    (untouched / "compose.yml").write_text("services:\n" + "".join(
        f"  s{i}: {{image: busybox, labels: {{a: b, c: d}}}}\n" for i in range(60_000)))
    error = load(untouched, "compose.yml")
    assert isinstance(error, LimitExceeded), error
    assert "over the limit of 200,000" in error.message
