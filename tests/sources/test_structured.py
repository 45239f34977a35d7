"""Structured configuration files: YAML, JSON, TOML, INI and .properties as their own trees,
every value with its file and line."""

from __future__ import annotations

from pathlib import Path

import pytest

from parity_gui.core.origin import Origin
from parity_gui.core.secrets import mask_value
from parity_gui.core.tree import Environment, Level
from parity_gui.errors import LimitExceeded, ParseError, SourceError
from parity_gui.sources.registry import SpecFile
from parity_gui.sources.structured.load import load_structured
from parity_gui.sources.structured.tree import identity_field
from parity_gui.sources.yamlfile import Scalar, YMap, YSeq

STRUCTURED = Path(__file__).resolve().parent.parent / "data" / "structured"


def load(path: Path, form: str, display: str | None = None) -> Environment:
    return load_structured([SpecFile(path, display or path.name)], "prod", path.name, form)


def write(tmp_path: Path, name: str, content: str | bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(content.encode() if isinstance(content, str) else content)
    return path


def warnings(env: Environment) -> list[str]:
    return [str(d) for d in env.diagnostics if d.level is Level.WARNING]


# --- YAML -------------------------------------------------------------------------------------


def test_helm_values_keep_their_tree_anchors_and_merge_keys() -> None:
    env = load(STRUCTURED / "values-production.yaml", "yaml")
    values = env.tree["files"]["yaml"]
    assert values["replicaCount"] == 3
    assert values["image"]["tag"] == "1.4.2"  # quoted: stays a string
    assert values["resources"]["limits"] == {"memory": "1Gi", "cpu": "500m"}  # <<: *defaults, own key wins
    assert values["ingress"]["hosts"] == ["shop.example.com", "www.shop.example.com"]


def test_a_list_of_mappings_with_names_is_keyed_by_name() -> None:
    env = load(STRUCTURED / "values-production.yaml", "yaml")
    entries = env.tree["files"]["yaml"]["env"]
    assert entries == {"LOG_LEVEL": {"name": "LOG_LEVEL", "value": "warn"},
                       "FEATURE_CHECKOUT_V2": {"name": "FEATURE_CHECKOUT_V2", "value": "true"}}
    assert env.origins[("files", "yaml", "env", "FEATURE_CHECKOUT_V2", "value")] == \
        Origin("values-production.yaml", 22, 12)


def test_every_yaml_value_has_its_line_and_raw_text() -> None:
    env = load(STRUCTURED / "values-production.yaml", "yaml")
    assert env.origins[("files", "yaml", "image", "tag")] == Origin("values-production.yaml", 6, 8)
    assert env.raw[("files", "yaml", "image", "tag")] == '"1.4.2"'
    assert env.origins[("files", "yaml", "replicaCount")] == Origin("values-production.yaml", 2, 15)


def test_multi_document_yaml_is_keyed_by_kind_namespace_and_name() -> None:
    env = load(STRUCTURED / "manifests.yaml", "yaml")
    documents = env.tree["files"]["yaml"]
    assert set(documents) == {"ConfigMap/prod/shop", "Deployment/prod/shop"}  # the empty third is dropped
    assert documents["ConfigMap/prod/shop"]["data"] == {"LEVEL": "warn"}
    containers = documents["Deployment/prod/shop"]["spec"]["template"]["spec"]["containers"]
    assert containers["web"]["image"] == "registry.example.com/shop/web:1.4.2"
    assert env.origins[("files", "yaml", "Deployment/prod/shop", "spec", "replicas")].line == 16


def test_documents_without_identity_are_keyed_by_position(tmp_path: Path) -> None:
    path = write(tmp_path, "steps.yaml", "# first\nstep: build\n---\nstep: test\n...\n---\nstep: deploy\n")
    env = load(path, "yaml")
    assert env.tree["files"]["yaml"] == {"0": {"step": "build"}, "1": {"step": "test"}, "2": {"step": "deploy"}}
    assert env.origins[("files", "yaml", "2", "step")].line == 7


def test_a_duplicate_yaml_key_is_an_error_naming_both_lines(tmp_path: Path) -> None:
    path = write(tmp_path, "dup.yaml", "a: 1\nb: 2\na: 3\n")
    with pytest.raises(ParseError, match="duplicate key 'a' \\(first at line 1\\)") as caught:
        load(path, "yaml")
    assert caught.value.line == 3


def test_a_yaml_alias_bomb_over_several_documents_is_refused(tmp_path: Path) -> None:
    bomb = "a: &a [x, x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]\n" \
           "c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]\n"
    path = write(tmp_path, "bomb.yaml", "---\n".join([bomb] * 30))
    with pytest.raises(LimitExceeded):
        load(path, "yaml")


def test_crlf_yaml_reads_as_its_lf_copy(tmp_path: Path) -> None:
    text = (STRUCTURED / "values-production.yaml").read_text()
    lf = load(write(tmp_path, "lf.yaml", text), "yaml")
    crlf = load(write(tmp_path, "crlf.yaml", text.replace("\n", "\r\n")), "yaml")
    assert lf.tree == crlf.tree


# --- JSON -------------------------------------------------------------------------------------


def test_appsettings_json_with_comments_and_trailing_commas() -> None:
    env = load(STRUCTURED / "appsettings.Production.json", "json")
    settings = env.tree["files"]["json"]
    assert settings["Logging"]["LogLevel"]["Microsoft.AspNetCore"] == "Warning"
    assert settings["Kestrel"]["Endpoints"]["https"]["Url"] == "https://0.0.0.0:8443"
    assert settings["FeatureFlags"] == ["checkout-v2", "search"]
    assert (settings["Retries"], settings["Timeout"], settings["Tracing"]) == (5, 2.5, None)
    assert settings["Unicode"] == 'café "quoted"'


def test_json_values_have_lines_and_columns() -> None:
    env = load(STRUCTURED / "appsettings.Production.json", "json")
    assert env.origins[("files", "json", "AllowedHosts")] == Origin("appsettings.Production.json", 12, 19)
    assert env.origins[("files", "json", "Kestrel", "Endpoints", "http")].line == 15
    assert env.raw[("files", "json", "Unicode")] == '"caf\\u00e9 \\"quoted\\""'


def test_a_duplicate_json_key_is_a_warning_and_the_last_wins(tmp_path: Path) -> None:
    path = write(tmp_path, "dup.json", '{\n  "level": "debug",\n  "level": "info"\n}\n')
    env = load(path, "json")
    assert env.tree["files"]["json"] == {"level": "info"}
    assert warnings(env) == ["dup.json:3:3: duplicate key 'level' (first at line 2); the last one is used"]


@pytest.mark.parametrize(("text", "line", "message"), [
    ('{\n  "a": 1\n  "b": 2\n}', 3, "expected ',' or '}'"),
    ('{"a": tru}', 1, "expected a JSON value"),
    ('{"a": "x\ny"}', 1, "unterminated string"),
    ('{"a": 1}\n{"b": 2}', 2, "unexpected text after the JSON value"),
    ("[" * 300, 1, "deeper than 256"),
])
def test_bad_json_names_the_line(tmp_path: Path, text: str, line: int, message: str) -> None:
    with pytest.raises(ParseError, match=message) as caught:
        load(write(tmp_path, "bad.json", text), "json")
    assert caught.value.line == line


def test_json_scanning_is_linear_on_adversarial_text(tmp_path: Path) -> None:
    for text in ('"' + "\\\\" * 100_000, "/*" + " " * 200_000, "[" + "1," * 100_000, " " * 200_000 + "x"):
        with pytest.raises(ParseError):
            load(write(tmp_path, "adversarial.json", text), "json")


# --- TOML -------------------------------------------------------------------------------------


def test_toml_tables_dotted_keys_inline_tables_and_arrays_of_tables() -> None:
    env = load(STRUCTURED / "config.production.toml", "toml")
    config = env.tree["files"]["toml"]
    assert config["server"]["tls"] == {"enabled": True, "cert": "/etc/tls/cert.pem"}
    assert config["database"]["pool"] == {"size": 20, "idle timeout": 30}
    assert config["upstreams"]["search"] == {"name": "search", "url": "https://search.internal", "timeout": 2.0}
    assert config["logging"]["started"] == "2024-03-01T10:00:00+00:00"
    assert config["logging"]["motd"] == "Welcome to shop.\nBe nice."


def test_toml_values_have_the_line_of_their_key() -> None:
    env = load(STRUCTURED / "config.production.toml", "toml")
    origin = env.origins
    assert origin[("files", "toml", "server", "port")] == Origin("config.production.toml", 6, 8)
    assert origin[("files", "toml", "database", "pool", "idle timeout")].line == 13
    assert origin[("files", "toml", "upstreams", "search", "timeout")].line == 23
    assert origin[("files", "toml", "upstreams", "search")].line == 20  # its [[upstreams]] header
    assert origin[("files", "toml", "upstreams")].line == 15  # the first [[upstreams]]
    assert origin[("files", "toml", "server", "tls")].line == 8
    assert env.raw[("files", "toml", "database", "url")] == "'postgres://shop@db.internal:5432/shop'"
    assert env.raw[("files", "toml", "server", "host")] == '"0.0.0.0"'  # not the comment after it


def test_a_key_defined_twice_in_toml_is_an_error_with_its_line(tmp_path: Path) -> None:
    path = write(tmp_path, "dup.toml", "[server]\nport = 1\nport = 2\n")
    with pytest.raises(ParseError, match="invalid TOML") as caught:
        load(path, "toml")
    assert caught.value.line == 3


# --- INI --------------------------------------------------------------------------------------


def test_ini_sections_continuations_and_crlf() -> None:
    env = load(STRUCTURED / "uwsgi.ini", "ini")
    ini = env.tree["files"]["ini"]
    assert ini["uwsgi"]["module"] == "shop.wsgi:application"
    assert ini["uwsgi"]["env"] == "DJANGO_SETTINGS_MODULE=shop.settings.production\nLANG=C.UTF-8"
    assert ini["static"] == {"map": "/static=/srv/static", "expires": "86400"}
    assert env.origins[("files", "ini", "static", "expires")] == Origin("uwsgi.ini", 12, 11)


def test_ini_duplicates_are_warnings_and_the_last_wins(tmp_path: Path) -> None:
    path = write(tmp_path, "my.cnf.ini", "top = 1\n[mysqld]\nport = 3306\nport = 3307\n[mysqld]\nuser = mysql\n")
    env = load(path, "ini")
    assert env.tree["files"]["ini"] == {"top": "1", "mysqld": {"port": "3307", "user": "mysql"}}
    assert warnings(env) == [
        "my.cnf.ini:4:1: duplicate key 'port' (first at line 3); the last one is used",
        "my.cnf.ini:5:1: section [mysqld] is written twice (first at line 2); its keys are added to the first",
    ]


# --- .properties ------------------------------------------------------------------------------


def test_properties_separators_continuations_and_escapes() -> None:
    env = load(STRUCTURED / "application-prod.properties", "properties")
    props = env.tree["files"]["properties"]
    assert props["spring.datasource.url"] == "jdbc:postgresql://db.internal:5432/shop"
    assert props["spring.datasource.username"] == "shop"
    assert props["server.port"] == "8080"  # a blank separates too
    assert props["app.greeting"] == "Hello, élève and welcome"
    assert props["app.path"] == "C:\\shop\\data"
    assert props["key with spaces"] == "value"
    assert env.origins[("files", "properties", "logging.level.root")] == Origin("application-prod.properties", 11, 20)


def test_a_bad_unicode_escape_in_properties_names_the_line(tmp_path: Path) -> None:
    with pytest.raises(ParseError, match="malformed") as caught:
        load(write(tmp_path, "bad.properties", "a=1\nb=\\u12\n"), "properties")
    assert caught.value.line == 2


# --- shared rules -----------------------------------------------------------------------------


def test_secrets_in_structured_files_are_masked() -> None:
    props = load(STRUCTURED / "application-prod.properties", "properties")
    path = ("files", "properties", "spring.datasource.password")
    assert "s3cr3t" not in str(mask_value(path, props.get(path)))
    settings = load(STRUCTURED / "appsettings.Production.json", "json")
    path = ("files", "json", "ConnectionStrings", "Default")
    shown = str(mask_value(path, settings.get(path)))
    assert "Pr0d" not in shown and "S3cret" not in shown and "sql-prod.internal" in shown


def test_a_list_without_identity_stays_one_value() -> None:
    items = YSeq(1, 1, 0, 0, None)
    for value in ("a", "a"):
        entry = YMap(1, 1, 0, 0, None)
        entry["name"] = Scalar(value, value, 1, 1, 0, 1)
        items.append(entry)
    assert identity_field(items) is None  # names repeat: by position


def test_files_of_one_format_are_keyed_by_name_when_there_are_several() -> None:
    files = [SpecFile(STRUCTURED / "manifests.yaml", "manifests.yaml"),
             SpecFile(STRUCTURED / "values-production.yaml", "values-production.yaml")]
    env = load_structured(files, "prod", "x", "yaml")
    assert set(env.tree["files"]) == {"manifests.yaml", "values-production.yaml"}


def test_one_unreadable_file_is_an_error_and_the_rest_loads(tmp_path: Path) -> None:
    bad = write(tmp_path, "bad.json", "{")
    files = [SpecFile(bad, "bad.json"), SpecFile(STRUCTURED / "appsettings.Production.json", "app.json")]
    env = load_structured(files, "prod", "x", "json")
    assert "app.json" in env.tree["files"]
    assert [d.file for d in env.errors] == ["bad.json"]
    with pytest.raises(SourceError):
        load_structured([SpecFile(bad, "bad.json")], "prod", "x", "json")


def test_an_empty_file_has_no_values_and_says_so(tmp_path: Path) -> None:
    env = load(write(tmp_path, "empty.toml", "# nothing yet\n"), "toml")
    assert env.tree["files"]["toml"] is None
    assert warnings(env) == ["empty.toml: no values in this TOML file"]


def test_a_latin_1_properties_file_is_read_as_java_reads_it(tmp_path: Path) -> None:
    # java.util.Properties.load(InputStream): "the input stream is in ISO 8859-1 character encoding"
    path = write(tmp_path, "messages.properties", "greeting=\xe9l\xe8ve\r\nnext=2\r\n".encode("latin-1"))
    env = load(path, "properties")
    assert env.tree["files"]["properties"] == {"greeting": "élève", "next": "2"}
    assert [d.message for d in env.diagnostics if d.level is Level.NOTE] == [
        "not UTF-8: read as ISO-8859-1 (Latin-1), as Properties.load reads it"]
    with pytest.raises(ParseError, match="not valid UTF-8"):
        load(write(tmp_path, "latin.json", '{"a": "\xe9"}'.encode("latin-1")), "json")
