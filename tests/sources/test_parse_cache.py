"""Terraform parses are cached by content and compiled in parallel; neither changes a result."""

from __future__ import annotations

import os
import threading
from pathlib import Path
from typing import Any

import pytest

from parity_gui.core.tree import Environment
from parity_gui.errors import ParseError
from parity_gui.sources.parse_cache import ParseCache, cache_folder
from parity_gui.sources.registry import SpecFile, load
from parity_gui.sources.terraform.load import load_terraform_files


def resources(count: int, name: str = "web") -> str:
    block = (
        'resource "aws_instance" "{name}_{i}" {{\n'
        '  instance_type = var.size == "large" ? "m5.large" : "t3.small"\n'
        '  tags = {{ Name = "{name}-{i}", Tier = "frontend" }}  # a comment\n'
        "}}\n"
    )
    return 'variable "size" {\n  default = "large"\n}\n' + "".join(
        block.format(name=name, i=i) for i in range(count)
    )


@pytest.fixture
def cache(tmp_path: Path) -> ParseCache:
    return ParseCache("hcl", "test", tmp_path / "cache")


def test_an_entry_reads_back_as_it_was_stored(cache: ParseCache) -> None:
    key = cache.key("text")
    cache.put(key, (("a", 1, 2.5, None, True), ()))
    assert cache.get(key) == (("a", 1, 2.5, None, True), ())


def test_a_corrupt_or_truncated_entry_is_ignored(cache: ParseCache) -> None:
    key = cache.key("text")
    cache.put(key, ("value",))
    path = next(cache.folder.rglob("*.bin"))  # type: ignore[union-attr]
    data = path.read_bytes()
    path.write_bytes(data[:-3] + b"xyz")
    assert cache.get(key) is None
    path.write_bytes(data[: len(data) // 2])
    assert cache.get(key) is None
    path.write_bytes(b"")
    assert cache.get(key) is None


def test_the_folder_is_pruned_to_its_bound_least_recently_used_first(cache: ParseCache) -> None:
    keys = [cache.key(str(i)) for i in range(40)]
    for i, key in enumerate(keys):
        cache.put(key, ("x" * 10_000,))
        entry = cache.folder / key[:2] / f"{key}.bin"  # type: ignore[operator]
        os.utime(entry, (1_000_000 + i, 1_000_000 + i))
    cache.prune(max_bytes=200_000)
    total = sum(p.stat().st_size for p in cache.folder.rglob("*.bin"))  # type: ignore[union-attr]
    assert total <= 150_000
    assert cache.get(keys[-1]) is not None  # the newest stay
    assert cache.get(keys[0]) is None


def test_concurrent_writers_leave_whole_entries(cache: ParseCache) -> None:
    key = cache.key("shared")
    value = tuple(range(50_000))
    threads = [threading.Thread(target=cache.put, args=(key, value)) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert cache.get(key) == value
    assert [p.name for p in cache.folder.rglob(".tmp-*")] == []  # type: ignore[union-attr]


def test_caching_is_off_with_an_empty_cache_dir(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("PARITY_CACHE_DIR", "")
    assert cache_folder() is None
    cache = ParseCache("hcl", "test")
    cache.put(cache.key("x"), ("y",))
    assert cache.get(cache.key("x")) is None


def test_the_default_folder_is_the_users_cache_folder(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv("PARITY_CACHE_DIR")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert cache_folder() == tmp_path / "xdg" / "parity"


def test_a_module_loads_the_same_cold_warm_and_in_parallel(tmp_path: Path) -> None:
    module = tmp_path / "infra"
    module.mkdir()
    for part in range(3):  # enough text over several files to be compiled in parallel
        (module / f"part{part}.tf").write_text(resources(300, f"p{part}"))
    in_process = load_terraform_files(
        [SpecFile(p, p.name) for p in sorted(module.glob("*.tf"))], "env", "spec"
    ).tree
    cold = load(str(module), "env").tree
    warm = load(str(module), "env").tree
    assert cold == in_process
    assert warm == in_process
    assert cold["infrastructure"]["aws_instance.p2_299"]["instance_type"] == "m5.large"


def test_a_syntax_error_in_parallel_names_its_own_file_and_line(tmp_path: Path) -> None:
    module = tmp_path / "infra"
    module.mkdir()
    (module / "a.tf").write_text(resources(300, "a"))
    (module / "b.tf").write_text(resources(300, "b") + 'resource "x" "y" {\n  broken = = 1\n}\n')
    (module / "c.tf").write_text(resources(300, "c"))
    with pytest.raises(ParseError) as raised:
        load(str(module / "a.tf") + "+" + str(module / "b.tf") + "+" + str(module / "c.tf"), "env")
    assert raised.value.file is not None and raised.value.file.endswith("b.tf")
    assert raised.value.line == 3 + 4 * 300 + 2  # the variable block, 300 resources, then the line


def test_a_cached_parse_is_never_read_for_other_content(tmp_path: Path) -> None:
    module = tmp_path / "main.tf"
    module.write_text('resource "aws_instance" "web" {\n  instance_type = "t3.small"\n}\n')
    assert load(str(module), "env").tree["infrastructure"]["aws_instance.web"]["instance_type"] == "t3.small"
    module.write_text('resource "aws_instance" "web" {\n  instance_type = "t3.large"\n}\n')
    assert load(str(module), "env").tree["infrastructure"]["aws_instance.web"]["instance_type"] == "t3.large"


# --- whole loads, remembered while nothing they read changes -------------------------------------


def _repository(root: Path) -> Path:
    (root / ".git").mkdir(parents=True)
    module = root / "modules" / "web"
    module.mkdir(parents=True)
    (module / "main.tf").write_text(
        'variable "size" {}\nresource "aws_instance" "web" {\n  instance_type = var.size\n}\n'
    )
    env = root / "envs" / "prod"
    env.mkdir(parents=True)
    (env / "main.tf").write_text('variable "size" {}\nmodule "web" {\n  source = "../../modules/web"\n'
                                 '  size   = var.size\n}\n')
    (env / "terraform.tfvars").write_text('size = "m5.large"\n')
    return env


def _snapshot(env: Environment) -> tuple[object, ...]:
    return (env.tree, env.origins, env.raw, env.sources, [str(d) for d in env.diagnostics])


def test_a_remembered_load_is_the_load_itself(tmp_path: Path) -> None:
    env = _repository(tmp_path / "repo")
    first, again = load(str(env), "prod"), load(str(env), "prod")
    assert _snapshot(again) == _snapshot(first)
    assert again.tree["infrastructure"]["module.web.aws_instance.web"]["instance_type"] == "m5.large"


def test_a_change_anywhere_the_load_read_or_looked_is_seen(tmp_path: Path) -> None:
    env = _repository(tmp_path / "repo")
    module = tmp_path / "repo" / "modules" / "web"

    def resources() -> dict[str, Any]:
        return load(str(env), "prod").tree["infrastructure"]

    assert "module.web.aws_instance.web" in resources()
    (env / "terraform.tfvars").write_text('size = "m5.xlarge"\n')  # a var file it read
    assert resources()["module.web.aws_instance.web"]["instance_type"] == "m5.xlarge"
    (module / "db.tf").write_text('resource "aws_db_instance" "db" {\n  engine = "postgres"\n}\n')  # a new file
    assert resources()["module.web.aws_db_instance.db"]["engine"] == "postgres"
    (env / "extra.auto.tfvars").write_text('size = "t3.small"\n')  # where it looked for auto var files
    assert resources()["module.web.aws_instance.web"]["instance_type"] == "t3.small"
    (module / "db.tf").unlink()
    assert "module.web.aws_db_instance.db" not in resources()


def test_a_damaged_remembered_load_is_not_used(tmp_path: Path) -> None:
    env = _repository(tmp_path / "repo")
    first = load(str(env), "prod")
    folder = Path(os.environ["PARITY_CACHE_DIR"]) / "terraform-loads"
    for entry in folder.rglob("*.bin"):
        entry.write_bytes(entry.read_bytes()[:-5] + b"junk!")
    assert _snapshot(load(str(env), "prod")) == _snapshot(first)
