"""The config file: its YAML forms, its one-line errors, the command line on top of it."""

from __future__ import annotations

from pathlib import Path

import pytest

from image_docs_audit.config import (
    CONFIG_PATH,
    AuditSettings,
    IgnoreRule,
    parse_config,
    read_config,
    with_overrides,
)
from image_docs_audit.errors import InputError
from image_docs_audit.model import Depth, Location
from image_docs_audit.policy import POINTS_EXPECTED as POINTS
from image_docs_audit.policy import Policy

PATH = ".github/image-docs-audit.yml"

FULL = """\
# Every key, in every form.
pull-scripts:
  - scripts/pull-images.sh
  - "tools/*.sh"
docs: handbook
exclude: [handbook/drafts/**, "*.tmp.md"]
aliases:
  example/app-api-gateway: [gateway, api gateway]
  redis: cache
documentation:
  postgres: handbook/db.md
ignore:
  example/old: retired in 2023
  "ghcr.io/example/*": internal images
strip-prefix: registry.example.com/
count-mentioned: yes
fail-under: 80
max-drop: 2.5
"""


def test_full_config() -> None:
    assert parse_config(FULL, PATH) == AuditSettings(
        pull_scripts=("scripts/pull-images.sh", "tools/*.sh"),
        docs=("handbook",),
        exclude=("handbook/drafts/**", "*.tmp.md"),
        aliases=(
            ("example/app-api-gateway", ("gateway", "api gateway")),
            ("redis", ("cache",)),
        ),
        documentation=(("postgres", ("handbook/db.md",)),),
        ignore=(
            IgnoreRule("example/old", "retired in 2023", Location(PATH, 13)),
            IgnoreRule("ghcr.io/example/*", "internal images", Location(PATH, 14)),
        ),
        strip_prefix=("registry.example.com/",),
        count_mentioned=True,
        policy=Policy(fail_under=80.0, max_drop=2.5),
        config_path=PATH,
    )


def test_ignore_as_a_list() -> None:
    text = """\
ignore:
  - image: example/old
    reason: retired
  - {image: "redis:6", reason: replaced by valkey}
"""
    assert parse_config(text, PATH).ignore == (
        IgnoreRule("example/old", "retired", Location(PATH, 2)),
        IgnoreRule("redis:6", "replaced by valkey", Location(PATH, 4)),
    )


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("fail-under: 0", 0.0),
        ("fail-under: 100", 100.0),
        ("fail-under: 99.5", 99.5),
        ("fail-under: '75'", 75.0),
        ("count-mentioned: false", False),
        ("count-mentioned: on", True),
        ("max-drop: 0", 0.0),
        ("max-drop: 100", 100.0),
        ("max-drop: 0.5%", 0.5),
        ("fail-under: 80%", 80.0),
        ("docs: 2024", ("2024",)),
        ("exclude: []", ()),
        ("require: dedicated", Depth.DEDICATED),
        ("require: Section", Depth.SECTION),
        # The project prefix: detected unless the config names prefixes or turns it off.
        ("strip-prefix: acme-", ("acme-",)),
        ("strip-prefix: [acme-, acme-platform-]", ("acme-", "acme-platform-")),
        ("strip-prefix: []", ()),
        ("strip-prefix: false", ()),
        ("strip-prefix: true", None),
    ],
)
def test_values(text: str, expected: object) -> None:
    key = text.split(":", 1)[0].replace("-", "_")
    settings = parse_config(text, PATH)
    holder = settings.policy if key in ("fail_under", "max_drop") else settings
    assert getattr(holder, key) == expected


@pytest.mark.parametrize("text", ["", "\n", "# only a comment\n", "---\n", "~\n", "{}\n"])
def test_empty_config_gives_the_defaults(text: str) -> None:
    assert parse_config(text, PATH) == AuditSettings(config_path=PATH)


BAD = [
    ("pul-scripts: x\n", "c.yml:1: unknown key 'pul-scripts'; did you mean 'pull-scripts'?"),
    (
        "docs: d\nfoo: 1\n",
        "c.yml:2: unknown key 'foo'; valid keys: aliases, count-mentioned, docs, documentation,"
        " exclude, fail-on-port-conflict, fail-under, ignore, inventory, inventory-mode,"
        " max-drop, min-completeness, pull-scripts, require, required-sections, strip-prefix",
    ),
    ("require: all\n", "c.yml:1: 'require' must be dedicated or section, not 'all'"),
    ("require: config\n", "c.yml:1: 'require' must be dedicated or section, not 'config'"),
    ("require:\n", "c.yml:1: 'require' must be dedicated or section, not an empty value"),
    (
        "strip-prefix: [app-, '']\n",
        "c.yml:1: 'strip-prefix' has an empty entry; remove it or fill it in",
    ),
    (
        "fail-under: high\n",
        f"c.yml:1: 'fail-under' must be {POINTS}, not 'high'",
    ),
    (
        "fail-under: true\n",
        f"c.yml:1: 'fail-under' must be {POINTS}, not 'true'",
    ),
    (
        "fail-under: 101\n",
        f"c.yml:1: 'fail-under' must be {POINTS}, not '101'",
    ),
    (
        "fail-under: .nan\n",
        f"c.yml:1: 'fail-under' must be {POINTS}, not '.nan'",
    ),
    (
        "fail-under:\n",
        f"c.yml:1: 'fail-under' must be {POINTS}, not an empty value",
    ),
    (
        "fail-under: [1]\n",
        f"c.yml:1: 'fail-under' must be {POINTS}, not a list",
    ),
    ("max-drop: -1\n", f"c.yml:1: 'max-drop' must be {POINTS}, not '-1'"),
    ("max-drop: no\n", f"c.yml:1: 'max-drop' must be {POINTS}, not 'no'"),
    ("max-drop: 150\n", f"c.yml:1: 'max-drop' must be {POINTS}, not '150'"),
    ("docs: {a: b}\n", "c.yml:1: 'docs' must be a string or a list of strings"),
    ("docs:\n", "c.yml:1: 'docs' must be a string or a list of strings"),
    ("docs:\n  - a\n  - [b]\n", "c.yml:3: 'docs' must be a string or a list of strings"),
    ("exclude: [a, '']\n", "c.yml:1: 'exclude' has an empty entry; remove it or fill it in"),
    ("docs: []\n", "c.yml:1: 'docs' is an empty list; name at least one or remove it"),
    ("count-mentioned: 1\n", "c.yml:1: 'count-mentioned' must be true or false"),
    ("count-mentioned: 'true'\n", "c.yml:1: 'count-mentioned' must be true or false"),
    ("ignore:\n  example/old:\n", "c.yml:2: 'ignore' entry 'example/old' needs a reason"),
    ("ignore:\n  example/old: ''\n", "c.yml:2: 'ignore' entry 'example/old' needs a reason"),
    (
        "ignore:\n  example/old: [a]\n",
        "c.yml:2: 'ignore' entry 'example/old' must have a reason in text, not a list",
    ),
    ("ignore:\n  - image: redis\n", "c.yml:2: 'ignore' entry 'redis' needs a reason"),
    ("ignore:\n  - reason: old\n", "c.yml:2: 'ignore' entry needs an 'image'"),
    (
        "ignore:\n  - image: redis\n    resaon: old\n",
        "c.yml:3: unknown key 'resaon' in an 'ignore' entry; did you mean 'reason'?",
    ),
    ("ignore: [redis]\n", "c.yml:1: 'ignore' entries must be mappings with 'image' and 'reason'"),
    (
        "ignore: redis\n",
        "c.yml:1: 'ignore' must be a mapping of image to reason,"
        " or a list of image and reason entries",
    ),
    (
        "aliases: [redis]\n",
        "c.yml:1: 'aliases' must be a mapping of image to a string or a list of strings",
    ),
    (
        "aliases:\n  redis:\n",
        "c.yml:2: 'aliases' of 'redis' must be a string or a list of strings",
    ),
    (
        "documentation:\n  redis: []\n",
        "c.yml:2: 'documentation' of 'redis' is an empty list; name at least one or remove it",
    ),
    (
        "aliases:\n  '': cache\n",
        "c.yml:2: 'aliases' has an empty image; name one or remove the entry",
    ),
    ("aliases:\n  yes: cache\n", "c.yml:2: 'aliases' image 'yes' must be text; quote it"),
    ("docs: a\nexclude: b\ndocs: c\n", "c.yml:3: duplicate key 'docs' (first at line 1)"),
    (
        "aliases:\n  redis: a\n  'redis': b\n",
        "c.yml:3: duplicate key 'redis' (first at line 2)",
    ),
    ("? [a]\n: b\n", "c.yml:1: keys must be text, not a list"),
    ("- docs\n", "c.yml:1: the config must be a mapping of keys"),
    ("just text\n", "c.yml:1: the config must be a mapping of keys"),
    (
        "docs:\n\t- a\n",
        "c.yml:2: not valid YAML: found character '\\t' that cannot start any token;"
        " indent with spaces, not tabs",
    ),
    ("docs: [a\n", "c.yml:2: not valid YAML: expected ',' or ']', but got '<stream end>'"),
    ("docs: a: b\n", "c.yml:1: not valid YAML: mapping values are not allowed here"),
    ("docs: *x\n", "c.yml:1: YAML aliases (*name) are not supported; write the value out in full"),
    (
        "docs: a\n---\ndocs: b\n",
        "c.yml:2: not valid YAML: expected a single document in the stream,"
        " but found another document",
    ),
    (
        "docs: a\nexclude: \x00\n",
        "c.yml:2: not valid YAML: unacceptable character #x0000; remove it",
    ),
    ("[" * 5000, "c.yml: not valid config: nested too deeply; a config needs three levels at most"),
    (
        "docs: " + "x" * (1 << 20),
        "c.yml: the config is larger than 1 MiB; it should be a short YAML file",
    ),
]


@pytest.mark.parametrize(("text", "message"), BAD, ids=[str(i) for i in range(len(BAD))])
def test_bad_config(text: str, message: str) -> None:
    with pytest.raises(InputError) as caught:
        parse_config(text, "c.yml")
    assert str(caught.value) == message


def write(root: Path, relative: str, data: bytes) -> None:
    path = root / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)


def test_read_auto_discovered(tmp_path: Path) -> None:
    write(tmp_path, CONFIG_PATH, b"docs: handbook\n")
    settings = read_config(tmp_path, None)
    assert settings.docs == ("handbook",)
    assert settings.config_path == ".github/image-docs-audit.yml"


@pytest.mark.parametrize("explicit", [None, ""])
def test_read_absent_default_gives_the_defaults(tmp_path: Path, explicit: str | None) -> None:
    assert read_config(tmp_path, explicit) == AuditSettings()


def test_read_explicit(tmp_path: Path) -> None:
    write(tmp_path, "ci/audit.yml", b"fail-under: 50\n")
    settings = read_config(tmp_path, "ci/audit.yml")
    assert (settings.policy.fail_under, settings.config_path) == (50.0, "ci/audit.yml")
    assert read_config(tmp_path, str(tmp_path / "ci/audit.yml")).config_path == "ci/audit.yml"


def test_read_explicit_outside_the_root(tmp_path: Path) -> None:
    write(tmp_path, "audit.yml", b"docs: d\n")
    (tmp_path / "repo").mkdir()
    settings = read_config(tmp_path / "repo", "../audit.yml")
    assert settings.config_path == str(tmp_path / "audit.yml")


def test_read_explicit_missing(tmp_path: Path) -> None:
    with pytest.raises(InputError) as caught:
        read_config(tmp_path, "ci/audit.yml")
    assert str(caught.value) == (
        "ci/audit.yml: config file not found; check --config or the 'config' input"
    )


def test_read_explicit_directory(tmp_path: Path) -> None:
    (tmp_path / "ci").mkdir()
    with pytest.raises(InputError) as caught:
        read_config(tmp_path, "ci")
    assert str(caught.value).startswith("ci: cannot read the config file (")


def test_read_bom(tmp_path: Path) -> None:
    write(tmp_path, CONFIG_PATH, b"\xef\xbb\xbfdocs: handbook\nfail-under: 10\n")
    settings = read_config(tmp_path, None)
    assert (settings.docs, settings.policy.fail_under) == (("handbook",), 10.0)


def test_read_undecodable(tmp_path: Path) -> None:
    write(tmp_path, CONFIG_PATH, b"docs: a\nexclude: caf\xe9\n")
    with pytest.raises(InputError) as caught:
        read_config(tmp_path, None)
    assert str(caught.value) == (
        ".github/image-docs-audit.yml:2: not valid UTF-8; save the config as UTF-8"
    )


def test_read_undecodable_after_a_bom(tmp_path: Path) -> None:
    write(tmp_path, CONFIG_PATH, b"\xef\xbb\xbfa\n\xe9\n")
    with pytest.raises(InputError, match=r"^\.github/image-docs-audit\.yml:2: not valid UTF-8"):
        read_config(tmp_path, None)


def test_read_error_names_the_file_and_line(tmp_path: Path) -> None:
    write(tmp_path, CONFIG_PATH, b"docs: a\nfail-under: high\n")
    with pytest.raises(InputError) as caught:
        read_config(tmp_path, None)
    assert str(caught.value) == (
        f".github/image-docs-audit.yml:2: 'fail-under' must be {POINTS}, not 'high'"
    )


def test_read_too_large(tmp_path: Path) -> None:
    write(tmp_path, CONFIG_PATH, b"#" * (2 << 20))
    with pytest.raises(InputError, match="larger than 1 MiB"):
        read_config(tmp_path, None)


CONFIGURED = AuditSettings(
    pull_scripts=("pull.sh",),
    docs=("handbook",),
    exclude=("drafts/**",),
    policy=Policy(fail_under=80.0, max_drop=1.0),
    config_path=PATH,
)


def test_overrides_absent_keep_the_config() -> None:
    assert with_overrides(CONFIGURED) == CONFIGURED


def test_overrides_replace_scripts_docs_and_numbers() -> None:
    settings = with_overrides(
        CONFIGURED, pull_scripts=["a.sh", "b.sh"], docs=["site"], fail_under=90, max_drop=0
    )
    assert settings.pull_scripts == ("a.sh", "b.sh")
    assert settings.docs == ("site",)
    assert (settings.policy.fail_under, settings.policy.max_drop) == (90.0, 0.0)
    assert isinstance(settings.policy.fail_under, float)


def test_overrides_add_excludes() -> None:
    settings = with_overrides(CONFIGURED, exclude=["old/**", "drafts/**", "old/**"])
    assert settings.exclude == ("drafts/**", "old/**")
    assert settings.config_path == PATH


def test_overrides_take_a_lone_string_as_one_value() -> None:
    assert with_overrides(AuditSettings(), docs="site").docs == ("site",)


TAG = "YAML tags ({}) are not supported; write the value plainly, quoted if text"
TAGS = [
    # A tag makes a value of any text: a boolean neither true nor false, a number of words.
    ("count-mentioned: !!bool maybe\n", "c.yml:1: " + TAG.format("!!bool")),
    ("fail-on-port-conflict: !!bool 1\n", "c.yml:1: " + TAG.format("!!bool")),
    ("strip-prefix: !!bool x\n", "c.yml:1: " + TAG.format("!!bool")),
    ("require: !!bool dedicated\n", "c.yml:1: " + TAG.format("!!bool")),
    ("docs: d\nfail-under: !!bool 95\n", "c.yml:2: " + TAG.format("!!bool")),
    ("docs: !!str 2024\n", "c.yml:1: " + TAG.format("!!str")),
    ("!!str docs: d\n", "c.yml:1: " + TAG.format("!!str")),
    ("docs: !!seq [a]\n", "c.yml:1: " + TAG.format("!!seq")),
    ("docs: ! a\n", "c.yml:1: " + TAG.format("!")),
    ("docs: !local a\n", "c.yml:1: " + TAG.format("!local")),
    ("docs: !<tag:x%00y> a\n", "c.yml:1: " + TAG.format("'tag:x\\x00y'")),
]


CONTROL = "has a control character"
# No path or name holds a control character, a line end or half a character: each entry is
# the config, where and what its message names, and what it says of the character.
UNWRITABLE = [
    ('docs: "docs\\0x"\n', "1: 'docs' entry 'docs\\x00x'", f"{CONTROL} (U+0000)"),
    ('docs: "\\ud800"\n', "1: 'docs' entry '\\ud800'", "has a lone surrogate (U+D800)"),
    (
        'pull-scripts: [a.sh, "b\\tc.sh"]\n',
        "1: 'pull-scripts' entry 'b\\tc.sh'",
        f"{CONTROL} (U+0009)",
    ),
    ('exclude: "x\\e"\n', "1: 'exclude' entry 'x\\x1b'", f"{CONTROL} (U+001B)"),
    (
        'aliases: {app-gamma: "\\0"}\n',
        "1: 'aliases' of 'app-gamma' entry '\\x00'",
        f"{CONTROL} (U+0000)",
    ),
    (
        'aliases: {app-gamma: "zzz\\0qq"}\n',
        "1: 'aliases' of 'app-gamma' entry 'zzz\\x00qq'",
        f"{CONTROL} (U+0000)",
    ),
    (
        'aliases:\n  app: [ok, "two\\nlines"]\n',
        "2: 'aliases' of 'app' entry 'two\\nlines'",
        f"{CONTROL} (U+000A)",
    ),
    (
        'aliases: {app: "a\\Lb"}\n',
        "1: 'aliases' of 'app' entry 'a\\u2028b'",
        "has a line end (U+2028)",
    ),
    ('aliases: {app: "a\\Nb"}\n', "1: 'aliases' of 'app' entry 'a\\x85b'", f"{CONTROL} (U+0085)"),
    ('aliases: {"app\\0": x}\n', "1: 'aliases' image 'app\\x00'", f"{CONTROL} (U+0000)"),
    (
        'documentation: {app: "\\ud800"}\n',
        "1: 'documentation' of 'app' entry '\\ud800'",
        "has a lone surrogate (U+D800)",
    ),
    (
        'ignore: {"app\\ud800": r}\n',
        "1: 'ignore' image 'app\\ud800'",
        "has a lone surrogate (U+D800)",
    ),
    (
        'ignore:\n  - image: "a\\rb"\n    reason: r\n',
        "2: 'ignore' image 'a\\rb'",
        f"{CONTROL} (U+000D)",
    ),
    ('strip-prefix: ["acme-\\0"]\n', "1: 'strip-prefix' entry 'acme-\\x00'", f"{CONTROL} (U+0000)"),
    (
        'required-sections: ["Ports\\0"]\n',
        "1: 'required-sections' entry 'Ports\\x00'",
        f"{CONTROL} (U+0000)",
    ),
    (
        'inventory:\n  - type: compose\n    paths: ["c\\0.yml"]\n',
        "3: 'inventory' paths entry 'c\\x00.yml'",
        f"{CONTROL} (U+0000)",
    ),
]


@pytest.mark.parametrize(("text", "message"), TAGS, ids=[str(i) for i in range(len(TAGS))])
def test_yaml_tags_are_refused(text: str, message: str) -> None:
    with pytest.raises(InputError) as caught:
        parse_config(text, "c.yml")
    assert str(caught.value) == message


@pytest.mark.parametrize(
    ("text", "where", "what"), UNWRITABLE, ids=[str(i) for i in range(len(UNWRITABLE))]
)
def test_unwritable_characters_are_refused(text: str, where: str, what: str) -> None:
    with pytest.raises(InputError) as caught:
        parse_config(text, "c.yml")
    assert str(caught.value) == f"c.yml:{where} {what}; remove it"


def test_any_other_character_is_kept() -> None:
    text = 'docs: "dökümanlar ☃"\naliases: {app: ["日本", "a b"]}\nignore: {x: "why\\tso"}\n'
    settings = parse_config(text, PATH)
    assert settings.docs == ("dökümanlar ☃",)
    assert settings.aliases == (("app", ("日本", "a b")),)
    assert settings.ignore[0].reason == "why\tso"  # a reason is prose: the outputs show it
