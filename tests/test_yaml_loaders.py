"""The two YAML loaders read the same nodes: libyaml's parser (what PyYAML's wheels bundle)
and PyYAML's own, the fallback where a build of PyYAML lacks libyaml. Every value, tag
and line the readers of compose files, manifests and values files use is compared, and
where a text is not YAML, the line its warning names."""

from __future__ import annotations

import string
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from image_docs_audit.inventory import yamlnodes
from image_docs_audit.inventory.compose import read_compose
from image_docs_audit.inventory.yamlnodes import MAX_NODES, PureLoader, documents, error_line

FAST = yamlnodes.LOADER
needs_libyaml = pytest.mark.skipif(
    FAST is PureLoader, reason="this PyYAML is built without libyaml"
)


def shape(node: yaml.Node) -> tuple[Any, ...]:
    """What the readers read of a node: its tag, value and the line it starts on (not its
    column: an empty value's differs by one). An empty value at the end of a text with no
    line end (`? a`, `---`) libyaml places on the line after: none is a reader's."""
    where = (node.tag, node.start_mark.line)
    if isinstance(node, yaml.ScalarNode):
        return (node.tag, node.value) if _empty(node) else (*where, node.value)
    if isinstance(node, yaml.SequenceNode):
        return (*where, [shape(item) for item in node.value])
    return (*where, [(shape(key), shape(value)) for key, value in node.value])


def _empty(node: yaml.ScalarNode) -> bool:
    return node.tag.endswith(":null") and not node.value


def read_with(loader: Any, data: bytes, monkeypatch: pytest.MonkeyPatch) -> object:
    monkeypatch.setattr(yamlnodes, "LOADER", loader)
    try:
        return [shape(document) for document in documents(data)]
    except yaml.YAMLError as error:
        return ("not YAML", error_line(error))
    except yamlnodes.WalkLimitError:
        return ("too large",)


def assert_same(data: bytes, monkeypatch: pytest.MonkeyPatch) -> object:
    """What PyYAML reads, the reading reads alike; what PyYAML refuses, it refuses on the
    same line (PyYAML reads again what libyaml refuses), or reads: libyaml takes tabs in
    more places (`--\tx`), as compose's own YAML reader does."""
    pure = read_with(PureLoader, data, monkeypatch)
    fast = read_with(FAST, data, monkeypatch)
    assert fast == pure or (isinstance(pure, tuple) and isinstance(fast, list)), data
    return pure


CASES = [
    # compose files and manifests as repositories write them
    b"services:\n  web:\n    image: nginx:1.27\n    ports:\n      - '8080:80'\n",
    b"x-base: &base\n  image: app:1\nservices:\n  a:\n    <<: *base\n  b:\n    <<: *base\n",
    b"apiVersion: v1\nkind: Pod\n---\napiVersion: apps/v1\nkind: Deployment\n...\n---\n",
    b'spec:\n  containers:\n    - name: a\n      image: "ghcr.io/acme/a@sha256:abc"\n',
    b"image:\n  repository: bitnami/redis\n  tag: 7.2  # pinned\n",
    b"\xef\xbb\xbfservices:\n  a:\n    image: a:1\n",
    b"services:\r\n  a:\r\n    image: a:1\r\n",
    b"a: |\n  text\n  more\nb: >-\n  folded\n  text\nc: |+\n  kept\n\n",
    b"a: |\n  no line end",
    b"a: 'it''s'\nb: \"esc \\u263A \\x41 \\t\"\nc: \"multi\n  line\"\n",
    b"{a: 1, b: [x, y], c: {d: e}}\n",
    b"? complex key\n: value\n[a, b]: c\n",
    b"a: !!str 1\nb: !!binary aGk=\nc: !custom x\nd: !!int '3'\n",
    b"%YAML 1.1\n---\na: 1\n",
    b"- - - deep\n    - er\n",
    b"a: \xc3\xa9t\xc3\xa9 \xf0\x9f\x90\xb3\n",
    b"k: v # comment\n# only a comment\n",
    b"a:\n  b:\n    c: &anchor [1, 2]\nd: *anchor\n",
    b"",
    b"# nothing\n",
    b"---\n---\n",
    # not YAML: the line each error names
    b"a: [1, 2",
    b"a: [1, 2\n",
    b"a: {b: 1",
    b"- a\n- [b",
    b"a: b: c\n",
    b"- a\n b: c\n",
    b"key: 'unterminated",
    b"key: 'unterminated\n",
    b"a:\n\t- b\n",
    b"x: |\n  a\n\ty\n",
    b"a: *nope\n",
    b"a:\n  - b\n - c\n",
    b"a: b\n  c: d\n",
    b"a: @x\n",
    b"a: `x`\n",
    b"\x00a: b\n",
    b"a: \x07\n",
    b"a: &x 1\na: &x 2\n",
    b"!!python/object:os.system x\n",
]


@needs_libyaml
@pytest.mark.parametrize("data", CASES)
def test_both_loaders_read_a_case_alike(data: bytes, monkeypatch: pytest.MonkeyPatch) -> None:
    assert_same(data, monkeypatch)


@needs_libyaml
def test_the_cases_cover_both_valid_and_broken_yaml(monkeypatch: pytest.MonkeyPatch) -> None:
    results = [read_with(PureLoader, data, monkeypatch) for data in CASES]
    broken = [result for result in results if isinstance(result, tuple)]
    assert 15 <= len(broken) < len(CASES) - 15
    assert ("not YAML", 1) in broken  # `a: [1, 2`: the end of a text with no line end
    assert ("not YAML", 2) in broken


@needs_libyaml
def test_the_fixtures_read_alike(monkeypatch: pytest.MonkeyPatch) -> None:
    found = sorted(Path(__file__).parent.rglob("*.y*ml"))
    assert found
    for path in found:
        assert_same(path.read_bytes(), monkeypatch)


_KEY_CHARACTERS = string.ascii_letters + "-_./"
_SCALARS = st.one_of(
    st.text(alphabet=string.printable + "éß🐳", max_size=20),
    st.integers(),
    st.booleans(),
    st.none(),
    st.floats(allow_nan=False),
)
_VALUES = st.recursive(
    _SCALARS,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4),
        st.dictionaries(
            st.text(alphabet=string.ascii_letters + "-_./", max_size=8), inner, max_size=4
        ),
    ),
    max_leaves=20,
)
_STYLES = st.fixed_dictionaries(
    {
        "default_flow_style": st.sampled_from([False, True, None]),
        "default_style": st.sampled_from([None, '"', "'", "|", ">"]),
        "width": st.sampled_from([20, 80, 1000]),
        "indent": st.sampled_from([2, 4]),
        "allow_unicode": st.booleans(),
        "explicit_start": st.booleans(),
    }
)
# What a hand edit breaks YAML with. Not a tag (`!`): libyaml and PyYAML each refuse some
# tags the other takes (`!:!int`, `!!,int`); no reader here reads a value's tag.
_EDITS = st.lists(
    st.tuples(st.integers(min_value=0), st.sampled_from([*":-[]{}'\"\n #|>&*?,\t", "", "  "])),
    max_size=3,
)


@needs_libyaml
@settings(max_examples=300, deadline=None)
@given(value=_VALUES, style=_STYLES, edits=_EDITS)
def test_random_yaml_reads_alike(value: object, style: dict[str, Any], edits: Any) -> None:
    text = yaml.safe_dump(value, **style)
    assume(not edits or "!" not in text)  # see `_EDITS`: an edit in a tag
    for position, inserted in edits:
        at = position % (len(text) + 1)
        # An empty insertion deletes the character there.
        text = text[:at] + inserted + text[at + (inserted == "") :]
    with pytest.MonkeyPatch.context() as monkeypatch:
        assert_same(text.encode(), monkeypatch)


@pytest.mark.parametrize("loader", [PureLoader, FAST], ids=["pure", "libyaml"])
@pytest.mark.parametrize("spare", [0, 1])
def test_both_loaders_stop_at_the_node_budget(
    loader: Any, spare: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Nodes no walk visits (a compose extension field) count too: the file is composed
    whole before a walk starts, and composing is what took the time and memory."""
    monkeypatch.setattr(yamlnodes, "LOADER", loader)
    # The top mapping, `services` and its mapping, `x` and its mapping, `image` and its
    # value, `x-junk` and its sequence: nine nodes, then `items` and one more item.
    items = MAX_NODES + 1 - 10 - spare
    text = "services:\n  x:\n    image: example/app-y:1\nx-junk: [" + "1," * items + "1]\n"
    found = read_compose("compose.yaml", text.encode())
    if spare:
        assert [candidate.written for candidate, _ in found.candidates] == ["example/app-y:1"]
        assert found.warnings == ()
    else:
        assert found.candidates == ()
        [warning] = found.warnings
        assert warning.message == (
            "the compose file is too large or intricate to read; its images are unread"
        )


@needs_libyaml
def test_pyyaml_reads_on_from_the_document_libyaml_refuses(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Each document once: those libyaml read, then PyYAML's from the one it refused."""
    data = b"a: 1\n---\nb: !!,int 2\n---\nc: 3\n"
    with pytest.raises(yaml.YAMLError):
        list(yaml.compose_all(data.decode(), Loader=FAST))  # type: ignore[arg-type]
    read = assert_same(data, monkeypatch)
    assert isinstance(read, list)
    # Each document is a mapping of one key: (tag, line, [((tag, line, key), value)]).
    assert [document[2][0][0][2] for document in read] == ["a", "b", "c"]
