"""YAML read as docker compose reads it: values, positions, anchors, limits and bad files."""

from __future__ import annotations

import math
from pathlib import Path

import pytest

from parity_gui.errors import LimitExceeded, ParseError
from parity_gui.sources.text import Text, decode, read_text
from parity_gui.sources.yamlfile import Scalar, YMap, YNode, YSeq, load_yaml, resolve_plain

YAML_DATA = Path(__file__).resolve().parent.parent / "data" / "yaml"


def text_of(content: str, name: str = "compose.yml") -> Text:
    return decode(content.encode(), Path(name), name)


def load(content: str, **limits: int) -> YNode | None:
    return load_yaml(text_of(content), **limits)


def mapping(node: YNode | None) -> YMap:
    assert isinstance(node, YMap)
    return node


def scalar(node: YNode | None) -> Scalar:
    assert isinstance(node, Scalar)
    return node


def value_of(plain: str) -> object:
    return scalar(mapping(load(f"v: {plain}\n"))["v"]).value


def plain_values(node: YNode | None) -> object:
    """The node as plain Python data, to compare whole documents at once."""
    if isinstance(node, YMap):
        return {k: plain_values(v) for k, v in node.items()}
    if isinstance(node, YSeq):
        return [plain_values(v) for v in node]
    return scalar(node).value


# --- scalar resolution: YAML 1.2 as Go yaml.v3 reads it ----------------------------------


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        ("22:22", "22:22"),  # PyYAML would read the sexagesimal 1342
        ("1:30:00", "1:30:00"),
        ("yes", "yes"),
        ("no", "no"),
        ("on", "on"),
        ("off", "off"),
        ("y", "y"),
        ("n", "n"),
        ("true", True),
        ("True", True),
        ("TRUE", True),
        ("false", False),
        ("FALSE", False),
        ("tRue", "tRue"),
        ("~", None),
        ("null", None),
        ("Null", None),
        ("NULL", None),
        ("", None),
        ("42", 42),
        ("-17", -17),
        ("+5", 5),
        ("0x1F", 31),
        ("0o17", 15),
        ("0b101", 5),
        ("0755", 493),  # yaml.v3 keeps YAML 1.1 octals for compatibility
        ("1_000_000", 1000000),
        ("08", 8.0),  # not an octal, but yaml.v3's float pattern matches
        ("0x", "0x"),
        ("1.5", 1.5),
        ("1.10", 1.1),
        ("1e3", 1000.0),
        ("-.5", -0.5),
        (".5", 0.5),
        ("1.", 1.0),
        (".inf", math.inf),
        ("-.Inf", -math.inf),
        ("+.INF", math.inf),
        ("1e400", "1e400"),  # out of float64 range: Go refuses it, so it stays text
        ("9223372036854775807", 9223372036854775807),
        ("18446744073709551615", 18446744073709551615),
        ("2001-12-14", "2001-12-14"),  # timestamps stay strings
        ("2001-12-14T21:59:43.10-05:00", "2001-12-14T21:59:43.10-05:00"),
        ("1m30s", "1m30s"),
        ("512m", "512m"),
        ("127.0.0.1:8080:80", "127.0.0.1:8080:80"),
        ("nginx:1.25", "nginx:1.25"),
        ("_1", "_1"),
    ],
)
def test_plain_values_resolve_like_compose(written: str, expected: object) -> None:
    value = value_of(written)
    assert value == expected
    assert type(value) is type(expected)


def test_nan_is_a_float_nan() -> None:
    value = value_of(".nan")
    assert isinstance(value, float)
    assert math.isnan(value)


def test_resolve_plain_alone_matches_the_loader() -> None:
    assert resolve_plain("0755") == 493
    assert resolve_plain("off") == "off"


@pytest.mark.parametrize("written", ['"8080"', "'true'", "'~'", '"0755"', "'22:22'"])
def test_quoted_values_are_always_strings(written: str) -> None:
    node = scalar(mapping(load(f"v: {written}\n"))["v"])
    assert node.value == written[1:-1]
    assert node.quoted
    assert node.raw == written


def test_block_scalars_are_strings_with_their_raw_text() -> None:
    content = "command: |\n  echo 1\n  echo 2\nfolded: >-\n  a\n  b\nafter: 1\n"
    root = mapping(load(content))
    command = scalar(root["command"])
    assert command.value == "echo 1\necho 2\n"
    assert command.quoted
    assert command.raw == "|\n  echo 1\n  echo 2\n"
    assert content[command.start:command.end] == command.raw
    assert scalar(root["folded"]).value == "a b"


@pytest.mark.parametrize(
    ("written", "expected"),
    [("!!str 123", "123"), ("!!str true", "true"), ('!!int "1"', 1), ("!!float 1", 1.0),
     ("!!bool 'false'", False), ("!!null ''", None), ("!!str", "")],
)
def test_standard_tags_convert_and_are_not_kept(written: str, expected: object) -> None:
    node = scalar(mapping(load(f"v: {written}\n"))["v"])
    assert node.value == expected
    assert type(node.value) is type(expected)
    assert node.tag is None


@pytest.mark.parametrize("written", ["!!int abc", "!!bool yes", "!!float 1:2", "!!null x"])
def test_a_value_that_cannot_take_its_tag_is_an_error(written: str) -> None:
    with pytest.raises(ParseError, match=r"cannot read .* as !!") as caught:
        load(f"services:\n  v: {written}\n")
    assert caught.value.line == 2


def test_custom_tags_in_flow_collections_are_not_part_of_the_value() -> None:
    content = "ports: [!reset , !override 80, !reset ]\n"
    ports = mapping(load(content))["ports"]
    assert isinstance(ports, YSeq)
    assert [(scalar(p).raw, scalar(p).value, scalar(p).tag) for p in ports] == [
        ("", None, "!reset"), ("80", 80, "!override"), ("", None, "!reset"),
    ]


def test_custom_tags_are_kept_and_the_value_read_as_untagged() -> None:
    root = mapping(load("ports: !reset []\nimage: !override nginx\nreplicas: !override 3\nx: !foo\n"))
    assert isinstance(root["ports"], YSeq)
    assert root["ports"].tag == "!reset"
    image = scalar(root["image"])
    assert (image.value, image.tag, image.raw) == ("nginx", "!override", "nginx")
    assert scalar(root["replicas"]).value == 3
    assert scalar(root["x"]).tag == "!foo"


def test_a_standard_tag_on_a_collection_of_another_kind_is_an_error() -> None:
    with pytest.raises(ParseError, match="cannot read a mapping as !!str"):
        load("v: !!str {a: 1}\n")


# --- keys -----------------------------------------------------------------------------------


def test_keys_are_the_text_as_written() -> None:
    root = mapping(load("80: http\n0x50: hex\ntrue: yes\n~: nothing\n'quoted': q\n1.10: f\n"))
    assert list(root) == ["80", "0x50", "true", "~", "quoted", "1.10"]


def test_key_positions_are_recorded() -> None:
    root = mapping(load("services:\n  web:\n    image: nginx\n"))
    web = mapping(mapping(root["services"])["web"])
    assert web.key_positions == {"image": (3, 5)}
    assert root.key_positions["services"] == (1, 1)


def test_duplicate_keys_name_both_lines() -> None:
    content = "services:\n  web:\n    # the image\n    image: nginx\n    ports: []\n    image: httpd\n"
    with pytest.raises(ParseError) as caught:
        load(content)
    error = caught.value
    assert error.message == "duplicate key 'image' (first at line 4)"
    assert (error.file, error.line, error.column) == ("compose.yml", 6, 5)


def test_a_quoted_and_a_plain_spelling_of_one_key_are_duplicates() -> None:
    with pytest.raises(ParseError, match="duplicate key '80'"):
        load("80: a\n'80': b\n")


def test_a_collection_as_key_is_an_error() -> None:
    with pytest.raises(ParseError, match="mapping key must be a plain value") as caught:
        load("? [a, b]\n: 1\n")
    assert caught.value.line == 1


# --- anchors, aliases and merge keys ---------------------------------------------------------


def test_realistic_compose_file_with_anchors_and_merge_keys() -> None:
    text = read_text(YAML_DATA / "compose-anchors.yml", "compose-anchors.yml")
    root = mapping(load_yaml(text))
    services = mapping(root["services"])
    web = mapping(services["web"])
    assert plain_values(web["environment"]) == {
        "DEBUG": "off", "FEATURE_FLAGS": "yes", "WORKERS": 4, "RATIO": 1.1, "UMASK": 493,
    }
    assert plain_values(web["ports"]) == ["127.0.0.1:8080:80/tcp", "22:22", "8443:443"]
    assert scalar(web["restart"]).value == "unless-stopped"
    assert scalar(web["command"]).value == "nginx -g 'daemon off;'\n"
    assert plain_values(web["healthcheck"]) == {
        "interval": "1m30s", "timeout": "10s", "retries": 3,
        "test": ["CMD", "curl", "-f", "http://localhost/"],
    }
    assert plain_values(mapping(web["logging"])["options"]) == {"max-size": "10m", "max-file": "3"}


def test_merged_values_keep_their_original_positions() -> None:
    text = read_text(YAML_DATA / "compose-anchors.yml", "compose-anchors.yml")
    root = mapping(load_yaml(text))
    web = mapping(mapping(root["services"])["web"])
    restart = scalar(web["restart"])
    assert (restart.line, restart.column) == (3, 12)
    assert web.key_positions["restart"] == (3, 3)
    assert text.content[restart.start:restart.end] == "unless-stopped"
    assert web.key_positions["image"] == (18, 5)


def test_explicit_keys_win_over_merged_and_earlier_merges_win() -> None:
    text = read_text(YAML_DATA / "compose-anchors.yml", "compose-anchors.yml")
    api = mapping(mapping(mapping(load_yaml(text))["services"])["api"])
    assert scalar(api["restart"]).value == "on-failure"  # written in api, after the merge
    assert scalar(api["user"]).value == "app"
    assert isinstance(api["logging"], YMap)
    assert api["ports"] == [] and isinstance(api["ports"], YSeq) and api["ports"].tag == "!reset"
    content = "a: &a {p: a, q: a}\nb: &b {p: b, r: b}\nc:\n  <<: [*a, *b]\n  q: c\n"
    assert plain_values(mapping(load(content))["c"]) == {"p": "a", "r": "b", "q": "c"}


def test_merged_keys_sit_where_the_merge_is_written() -> None:
    content = "base: &base {image: nginx, restart: always}\nweb:\n  ports: []\n  <<: *base\n"
    assert list(mapping(mapping(load(content))["web"])) == ["ports", "image", "restart"]


def test_a_quoted_merge_key_is_an_ordinary_key() -> None:
    root = mapping(load("base: &b {a: 1}\nweb:\n  '<<': *b\n"))
    assert "<<" in mapping(root["web"])


@pytest.mark.parametrize("value", ["*a", "[*a, 3]", "~", "plain"])
def test_a_merge_of_something_not_a_mapping_is_an_error(value: str) -> None:
    with pytest.raises(ParseError, match="merge key") as caught:
        load(f"a: &a [1]\nweb:\n  <<: {value}\n")
    assert caught.value.line == 3


def test_two_merge_keys_in_one_mapping_are_duplicates() -> None:
    with pytest.raises(ParseError, match=r"duplicate key '<<' \(first at line 3\)"):
        load("a: &a {x: 1}\nweb:\n  <<: *a\n  <<: *a\n")


def test_aliases_share_the_built_node() -> None:
    root = mapping(load("x: &env {A: 1}\nweb: {environment: *env}\napi: {environment: *env}\n"))
    assert mapping(root["web"])["environment"] is mapping(root["api"])["environment"]


@pytest.mark.timeout(10)
def test_alias_bomb_fails_instead_of_expanding() -> None:
    text = read_text(YAML_DATA / "alias-bomb.yml", "alias-bomb.yml")
    with pytest.raises(LimitExceeded, match=r"expand to more than 100000 values \(alias bomb\?\)") as caught:
        load_yaml(text)
    assert caught.value.file == "alias-bomb.yml"
    assert caught.value.line == 6  # the first level past the budget of a short file


def test_the_value_limit_counts_every_aliased_value_and_collection() -> None:
    content = "a: &a [1, 2, 3]\nb: [*a, *a]\n"  # root 1 + a 4 + b (1 + 4 + 4) = 14
    assert load(content, max_values=14) is not None
    with pytest.raises(LimitExceeded):
        load(content, max_values=13)


@pytest.mark.parametrize("content", ["a: &r\n  b: *r\n", "a: &r [1, [2, *r]]\n", "&r {x: *r}\n"])
def test_a_recursive_alias_is_an_error(content: str) -> None:
    with pytest.raises(ParseError, match="recursive alias"):
        load(content)


def test_an_undefined_alias_is_named() -> None:
    with pytest.raises(ParseError, match=r"found undefined alias \*commn") as caught:
        load("x-common: &common {a: 1}\nweb:\n  <<: *commn\n")
    assert caught.value.line == 3


# --- depth ----------------------------------------------------------------------------------


def test_nesting_past_the_depth_limit_is_refused() -> None:
    with pytest.raises(LimitExceeded, match="deeper than 256 levels") as caught:
        load("a: " + "[" * 300 + "]" * 300 + "\n")
    assert caught.value.line == 1
    assert load("a: " + "[" * 255 + "]" * 255 + "\n") is not None


def test_nesting_through_aliases_counts_toward_the_depth_limit() -> None:
    deep = "[" * 200 + "]" * 200
    with pytest.raises(LimitExceeded, match="deeper than 256 levels"):
        load(f"a: &a {deep}\nb: {'[' * 100}*a{']' * 100}\n")


def test_nesting_past_libyamls_own_limit_is_a_limit_error() -> None:
    with pytest.raises(LimitExceeded) as caught:
        load("[" * 5000 + "]" * 5000, max_depth=100_000)
    assert caught.value.line == 1


# --- positions -----------------------------------------------------------------------------


def test_positions_are_one_based_and_offsets_cut_the_raw_text() -> None:
    content = "services:\n  web:\n    image: \"nginx:1.25\"  # pinned\n    ports: [ '80:80' ]\n"
    web = mapping(mapping(mapping(load(content))["services"])["web"])
    image = scalar(web["image"])
    assert (image.line, image.column, image.raw) == (3, 12, '"nginx:1.25"')
    assert content[image.start:image.end] == image.raw
    ports = web["ports"]
    assert isinstance(ports, YSeq) and (ports.line, ports.column) == (4, 12)
    port = scalar(ports[0])
    assert (port.line, port.column, port.raw) == (4, 14, "'80:80'")


def test_offsets_count_characters_not_bytes() -> None:
    content = "labels:\n  team: \"équipe café\"\n  owner: zoë\n"
    labels = mapping(mapping(load(content))["labels"])
    owner = scalar(labels["owner"])
    assert content[owner.start:owner.end] == "zoë"
    assert (owner.line, owner.column) == (3, 10)


def test_anchors_and_tags_are_not_part_of_a_values_span() -> None:
    content = "a: &port 8080\nb: !override  &x 9090\nc: !reset\nd: *port\n"
    root = mapping(load(content))
    a, b, c = scalar(root["a"]), scalar(root["b"]), scalar(root["c"])
    assert (a.raw, a.column, content[a.start:a.end]) == ("8080", 10, "8080")
    assert (b.raw, b.column, b.tag) == ("9090", 18, "!override")
    assert (c.raw, c.value, c.tag) == ("", None, "!reset")
    assert root["d"] is a


def test_crlf_files_read_like_lf_files_with_true_offsets() -> None:
    lf = (YAML_DATA / "compose-anchors.yml").read_text(encoding="utf-8")
    crlf = lf.replace("\n", "\r\n")
    root = load_yaml(decode(crlf.encode(), Path("c.yml"), "c.yml"))
    assert plain_values(root) == plain_values(load(lf))
    image = scalar(mapping(mapping(mapping(root)["services"])["web"])["image"])
    assert crlf[image.start:image.end] == '"nginx:1.25-alpine"'
    assert image.line == 18
    command = scalar(mapping(mapping(mapping(root)["services"])["web"])["command"])
    assert command.value == "nginx -g 'daemon off;'\n"


# --- empty, bad and hostile files ----------------------------------------------------------


@pytest.mark.parametrize("content", ["", "\n\n", "# nothing here yet\n# really\n", "---\n", "--- ~\n"])
def test_an_empty_document_is_none(content: str) -> None:
    assert load(content) is None


def test_two_documents_are_an_error_at_the_second() -> None:
    with pytest.raises(ParseError, match="second YAML document") as caught:
        load("services:\n  web: {image: nginx}\n---\nservices: {}\n")
    assert caught.value.line == 3


@pytest.mark.parametrize(
    ("content", "line"),
    [
        ("services:\n  web:\n    image: [nginx\n", 4),
        ("services:\n  web:\n    image: 'nginx\n", 4),
        ("services:\n  web:\n  image: nginx\n    ports: []\n", 4),
    ],
)
def test_invalid_yaml_is_one_line_with_file_and_line(content: str, line: int) -> None:
    with pytest.raises(ParseError) as caught:
        load(content)
    error = caught.value
    assert error.file == "compose.yml"
    assert error.line == line
    assert "\n" not in str(error)


def test_a_syntax_error_does_not_echo_the_source_line() -> None:
    with pytest.raises(ParseError) as caught:
        load("db:\n  password: 's3cr3t-hunter2\n")
    assert "s3cr3t" not in str(caught.value)


def test_a_tab_used_for_indentation_is_named() -> None:
    with pytest.raises(ParseError, match="tab character") as caught:
        load("services:\n\tweb: {}\n")
    assert (caught.value.line, caught.value.column) == (2, 1)


def test_control_characters_are_an_error_with_position() -> None:
    with pytest.raises(ParseError, match="unacceptable character #x0007") as caught:
        load("services:\n  web: \x07\n")
    assert caught.value.line == 2


def test_a_non_utf8_file_is_refused_with_its_position() -> None:
    with pytest.raises(ParseError, match="not valid UTF-8") as caught:
        load_yaml(read_text(YAML_DATA / "latin1.yml", "latin1.yml"))
    assert (caught.value.line, caught.value.column) == (3, 15)


def test_a_binary_file_is_refused() -> None:
    with pytest.raises(ParseError, match="binary"):
        load_yaml(read_text(YAML_DATA / "binary.yml", "binary.yml"))


def test_a_jinja_template_asks_to_be_rendered_first() -> None:
    with pytest.raises(ParseError, match="Jinja template") as caught:
        load_yaml(read_text(YAML_DATA / "jinja.yml", "jinja.yml"))
    assert (caught.value.file, caught.value.line) == ("jinja.yml", 3)


def test_jinja_expressions_in_invalid_yaml_ask_to_be_rendered() -> None:
    with pytest.raises(ParseError, match="Jinja template") as caught:
        load_yaml(read_text(YAML_DATA / "jinja-expression.yml", "jinja-expression.yml"))
    assert caught.value.line == 3


def test_go_template_labels_in_valid_yaml_are_fine() -> None:
    text = read_text(YAML_DATA / "compose-anchors.yml", "compose-anchors.yml")
    api = mapping(mapping(mapping(load_yaml(text))["services"])["api"])
    assert "{{ .Name }}" in str(plain_values(api["labels"]))


def test_a_typo_in_a_file_with_go_template_labels_is_reported_as_the_typo() -> None:
    content = (
        'services:\n  web:\n    labels: ["traefik.rule={{ .Name }}"]\n'
        "    ports:\n    - 80:80\n   image: nginx\n"
    )
    with pytest.raises(ParseError) as caught:
        load(content)
    assert "Jinja" not in caught.value.message
    assert caught.value.line == 6


def test_a_quoted_jinja_expression_in_a_broken_file_is_named() -> None:
    content = 'services:\n  web:\n    image: "{{ registry }}/web"\n   ports: []\n'
    with pytest.raises(ParseError, match="Jinja template") as caught:
        load(content)
    assert caught.value.line == 3


def test_jinja_in_comments_is_ignored() -> None:
    content = "# rendered from {% include 'base.j2' %}\nservices:\n  web:  # {{ name }}\n    image: x\n"
    assert load(content) is not None


# --- speed ---------------------------------------------------------------------------------


def big_compose_file(services: int) -> str:
    """A generated compose project about as large as real monorepo files get."""
    parts = ["x-common: &common\n  restart: unless-stopped\n  logging: {driver: json-file}\n",
             "services:\n"]
    for i in range(services):
        env = "".join(f"      SETTING_{k}: value-{k}-{i % 13}\n" for k in range(32))
        labels = "".join(f'      com.example.label{k}: "label {k} of service {i}"\n' for k in range(20))
        parts.append(
            f"  svc{i}:\n    <<: *common\n    image: \"registry.example.com/app{i}:1.{i % 10}\"\n"
            f"    command: [\"python\", \"-m\", \"app\", \"--port\", \"80\"]\n"
            f"    ports:\n      - \"127.0.0.1:{8000 + i}:80/tcp\"\n      - 22:22\n"
            f"    environment:\n      DATABASE_URL: postgres://db:5432/app{i}\n      DEBUG: off\n{env}"
            f"    volumes:\n      - ./data/{i}:/var/lib/app:rw\n"
            f"      - {{type: volume, source: cache{i}, target: /cache}}\n"
            f"    healthcheck:\n      test: [\"CMD\", \"curl\", \"-f\", \"http://localhost/\"]\n"
            f"      interval: 1m30s\n      retries: 3\n"
            f"    deploy:\n      replicas: {i % 3 + 1}\n"
            f"      resources: {{limits: {{cpus: '0.50', memory: 512m}}}}\n"
            f"    labels:\n{labels}"
        )
    return "".join(parts)


def test_a_big_compose_file_loads_whole() -> None:
    # How fast is measured by bench/compare.py, not here.
    content = big_compose_file(1082)
    assert len(content) > 2_400_000
    root = load_yaml(text_of(content))
    assert len(mapping(mapping(root)["services"])) == 1082
