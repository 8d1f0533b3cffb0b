"""The fast paths give the answers of the plain ones: Hyperscan and the regex, bytes and str."""

from __future__ import annotations

import codecs
import itertools
import json
import random
import sys
import threading
from collections.abc import Sequence
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from image_docs_audit.config import AuditSettings
from image_docs_audit.docs import blocks, literals, scan, terms
from image_docs_audit.docs.blocks import LineKinds, markdown_kinds
from image_docs_audit.docs.literals import available_engines, make_finder
from image_docs_audit.docs.read import decode
from image_docs_audit.docs.scan import HITS_PER_DOC, LOWERS_TO_ASCII, data_rows, text_rows
from image_docs_audit.docs.terms import Matcher, build_terms
from image_docs_audit.docs.words import fold, fold_bytes
from image_docs_audit.inventory.reference import parse_reference
from image_docs_audit.model import Image, Kind, Location
from image_docs_audit.render.data import Streamed, dumps_indented, json_bytes, json_pieces

sys.path.insert(0, str(Path(__file__).parent.parent / "benchmarks"))

from corpus import DENSE, make_doc, make_images  # the benchmark's generator (its densest)


def _inventory(refs: list[str]) -> list[Image]:
    return [
        Image(ref, parse_reference(ref), None, Location("pull.sh", n)) for n, ref in enumerate(refs)
    ]


def _corpus(count: int) -> tuple[list[Image], list[str]]:
    rng = random.Random(11)
    generated = make_images(80, rng)
    images = _inventory([image.ref for image in generated])
    return images, [make_doc(index, rng, generated, DENSE)[1] for index in range(count)]


_FOLD = str.maketrans({"_": "-", " ": "-", "\t": "-"})


@given(st.text(st.sampled_from("aZ_ \t-\n\u0130\u212a\u1e9e\u00e9xY")) | st.text())
def test_fold_is_lower_case_with_dashes_for_one_character(text: str) -> None:
    lowered = "".join(c if len(c.lower()) != 1 else c.lower() for c in text)
    assert fold(text) == lowered.translate(_FOLD)


def test_only_two_characters_lower_into_ascii() -> None:
    found = [
        chr(code)
        for code in range(0x80, 0x110000)
        if any(ord(char) < 0x80 for char in chr(code).lower())
    ]
    assert found == list(LOWERS_TO_ASCII)


@pytest.mark.parametrize("engine", available_engines())
def test_finders_give_the_regex_spans(engine: str) -> None:
    terms = [b"app", b"app-api", b"app-api-gateway", b"api", b"gateway", b"a", b"redis:7"]
    texts = [
        b"app-api-gateway app-api-gatewayx app app-api a-app redis:7 redis:70 xapi api.",
        b"", b"app", b"a a a", b"app-app-api", b"\xc3\xa9app\xc3\xa9 gateway\xe2\x9c\x85",
    ]  # fmt: skip
    rng = random.Random(2)
    pieces = [b"app", b"-", b"api", b"gateway", b" ", b"x", b"a", b"redis", b":7", b"0", b"."]
    texts += [b"".join(rng.choices(pieces, k=30)) for _ in range(500)]
    reference = make_finder(terms, "regex")
    finder = make_finder(terms, engine)
    for text in texts:
        assert finder.spans(text) == reference.spans(text), text


def _nested_terms(rng: random.Random) -> list[bytes]:
    """Terms as an inventory gives them: references that hold repositories that hold
    names that hold short names, many tags of one repository, and a few short words."""
    terms = {"a", "app", "api", "ap", "-api", "api-"}
    for _ in range(40):
        name = "-".join(rng.choices(["app", "api", "gw", "a", "cache"], k=rng.randint(1, 3)))
        owner = rng.choice(["acme", "app", "acme-corp"])
        domain = rng.choice(["docker.io", "ghcr.io", "reg.app:5000"])
        tag = rng.choice(["v1", "v1.2", "latest", "app", "1", "12", "api-v1"])
        digest = rng.choice(["", "@sha256:ab12", "@sha256:ab"])
        reference = f"{owner}/{name}:{tag}{digest}"
        terms |= {name, f"{owner}/{name}", reference, f"{domain}/{reference}", f"x{name}"}
        terms.add(name.split("-", 1)[-1])
    return sorted(term.encode() for term in terms)


_CAP = literals.MAX_CHECKS


@pytest.mark.skipif("hyperscan" not in available_engines(), reason="no hyperscan wheel")
@pytest.mark.parametrize("cap", [0, 1, 2, _CAP, 1000])
def test_terms_found_around_the_terms_they_hold(cap: int, monkeypatch: pytest.MonkeyPatch) -> None:
    # Compiling only the terms that hold no other finds what compiling all of them finds,
    # with the checks per term capped anywhere (0: every term compiled).
    monkeypatch.setattr(literals, "MAX_CHECKS", cap)
    rng = random.Random(cap)
    terms = _nested_terms(rng)
    compiled, _ = literals._anchored(terms)
    assert sorted(compiled) == terms if cap == 0 else len(compiled) < len(terms)
    if cap >= _CAP:  # as many as it allows: most terms are found around others
        assert len(compiled) < len(terms) / 2
    finder = make_finder(terms, "hyperscan")
    reference = make_finder(terms, "regex")
    pieces = [term for term in terms if len(term) < 12] + [b" ", b"-", b"/", b":", b"x", b"@"]
    texts = [b" ".join(rng.choices(terms, k=20)) for _ in range(100)]
    texts += [b"".join(rng.choices(terms + pieces, k=30)) for _ in range(500)]
    for text in texts:
        assert finder.spans(text) == reference.spans(text), text


def test_the_checks_are_bounded_by_the_bytes_around_the_term_they_hold() -> None:
    # Nine tags of `app` of nine lengths all have a `:` right after it: the ninth is one
    # check too many for those bytes, and is compiled itself. Terms with other bytes
    # around `app` (`/` before it, `-` after it) are checks under keys of their own.
    tags = [b"app:" + b"1" * length for length in range(1, 10)]
    others = [b"acme/app", b"ghcr.io/acme/app", b"app-api", b"acme/app-api"]
    compiled, around = literals._anchored([b"app", *tags, *others])
    assert compiled == [b"app", tags[-1]]
    by_key = around[0]
    assert sum(map(len, by_key.values())) == len(tags) - 1 + len(others)
    assert max(map(len, by_key.values())) == literals.MAX_CHECKS == 8
    if "hyperscan" in available_engines():  # and it finds what the regex finds
        text = b"app:1 acme/app ghcr.io/acme/app:111 app-api acme/app-api app:111111111 app"
        finder = make_finder([b"app", *tags, *others], "hyperscan")
        reference = make_finder([b"app", *tags, *others], "regex")
        assert finder.spans(text) == reference.spans(text)
        assert len(finder.spans(text)) == 7


@pytest.mark.parametrize("engine", available_engines())
def test_bytes_path_gives_the_str_path_hits(engine: str) -> None:
    images, docs = _corpus(60)
    matcher = Matcher(build_terms(images, AuditSettings()), engine=engine)
    docs += [
        "# acme-x\n\n\u212aafka and acme\u212a",  # KELVIN SIGN: the str path only
        "| Image | Port |\n|---|---|\n| é é " + images[5].name + " | 80 |",
        "---\ntitle: " + images[3].name + "\n---\nü " + images[3].ref,
    ]
    for text in docs:
        data = text.encode("utf-8")
        rows = data_rows(data, text, matcher)
        expected = text_rows(text, matcher)
        if rows is None:
            assert any(char in text for char in LOWERS_TO_ASCII)
            continue
        assert rows == expected


@pytest.mark.parametrize("engine", available_engines())
def test_both_paths_stop_a_doc_at_the_same_hit(engine: str) -> None:
    """A doc's hits stop at the match that would take them past `HITS_PER_DOC`: a mention
    of one tag is a hit of every other tag of its repository, and a pull request's doc
    may repeat it. Both paths stop on the same line, with the same hits before it."""
    images = _inventory([f"example/app:{n}" for n in range(10)] + ["example/other:1"])
    matcher = Matcher(build_terms(images, AuditSettings()), engine=engine)
    per_line = len(images) - 1  # `example/app:5` and the 9 other tags
    lines = HITS_PER_DOC // per_line + 2
    text = "# Notes\n\n" + "Runs example/app:5 here.\n" * lines + "example/other:1\n"
    rows, stop = text_rows(text, matcher)
    assert data_rows(text.encode(), text, matcher) == (rows, stop)
    read = HITS_PER_DOC // per_line  # the lines whose hits fit
    assert stop == 3 + read
    assert len(rows) == read * per_line
    assert {row[1] for row in rows} == set(range(3, 3 + read))
    # So does a doc of more matches than that giving no hit: short names in prose.
    prefixed = _inventory(
        [f"example/acme-{name}:1" for name in ("api-gateway", "billing-service", "user-store")]
    )
    short = "# Notes\n\n" + "The api gateway.\n" * (HITS_PER_DOC + 2)
    matcher = Matcher(build_terms(prefixed, AuditSettings()), engine=engine)
    assert text_rows(short, matcher) == ((), HITS_PER_DOC + 3)
    assert data_rows(short.encode(), short, matcher) == ((), HITS_PER_DOC + 3)


def test_bytes_path_declines_what_it_cannot_tell() -> None:
    images = _inventory(["example/kafka:1"])
    matcher = Matcher(build_terms(images, AuditSettings()))
    kelvin = "# \u212aafka\n"
    assert data_rows(kelvin.encode(), kelvin, matcher) is None
    assert text_rows(kelvin, matcher)[0]  # the str path reads it as kafka
    with_bom = "\ufeff# kafka\n"
    assert data_rows(with_bom.encode("utf-8"), with_bom, matcher) is None
    aliased = Matcher(build_terms(images, AuditSettings(aliases=(("kafka", ("Käfka",)),))))
    assert not aliased.ascii
    assert data_rows(b"# x\n", "# x\n", aliased) is None


@pytest.mark.parametrize(
    ("bom", "encoding"),
    [
        (codecs.BOM_UTF8, "utf-8"),
        (codecs.BOM_UTF16_LE, "utf-16-le"),
        (codecs.BOM_UTF16_BE, "utf-16-be"),
        (codecs.BOM_UTF32_LE, "utf-32-le"),
        (codecs.BOM_UTF32_BE, "utf-32-be"),  # its hits were lost: the bytes path took it
    ],
)
def test_a_doc_with_a_byte_order_mark_is_read_by_its_text(bom: bytes, encoding: str) -> None:
    matcher = Matcher(build_terms(_inventory(["example/kafka:1"]), AuditSettings()))
    data = bom + "# Notes\n\n## kafka\n".encode(encoding)
    text, replaced = decode(data)
    assert (text, replaced) == ("# Notes\n\n## kafka\n", False)
    assert data_rows(data, text, matcher) is None
    assert text_rows(text, matcher) == (
        (("docker.io/example/kafka:1", 3, Kind.HEADING, None, True),),
        0,
    )


def test_a_finder_started_in_a_thread_finds_what_one_built_here_finds() -> None:
    images, docs = _corpus(20)
    started, here = (Matcher(build_terms(images, AuditSettings())) for _ in range(2))
    before = set(threading.enumerate())  # threads of other tests may end meanwhile
    started.start()
    started.start()  # once: a second call finds the finder building
    assert len(set(threading.enumerate()) - before) <= 1
    started.prepare()
    assert not set(threading.enumerate()) - before  # joined: a fork now copies a whole finder
    for text in docs:
        folded = fold_bytes(text.encode("utf-8"))
        assert started.find_bytes(folded, None) == here.find_bytes(folded, None)
    assert started.prepare() is started.prepare()


def test_a_matcher_the_bytes_path_cannot_serve_starts_no_thread() -> None:
    images = _inventory(["example/kafka:1"])
    aliased = Matcher(build_terms(images, AuditSettings(aliases=(("kafka", ("Käfka",)),))))
    before = set(threading.enumerate())
    aliased.start()
    Matcher([]).start()
    assert not set(threading.enumerate()) - before


class _Unbuildable:
    """A Hyperscan whose compile fails, as it does when a pattern is too large for it."""

    HS_MODE_BLOCK = 1

    class Database:
        def __init__(self, mode: int) -> None:
            self.mode = mode

        def compile(self, **arguments: object) -> None:
            raise RuntimeError("Pattern is too large")


def test_what_the_compile_thread_raises_ready_raises_and_nothing_is_printed(
    capsys: pytest.CaptureFixture[str],
) -> None:
    finder = literals.HyperscanFinder([b"kafka", b"redis"], _Unbuildable, background=True)
    with pytest.raises(RuntimeError, match="Pattern is too large"):
        finder.ready()
    assert capsys.readouterr() == ("", "")  # no traceback from the thread
    with pytest.raises(RuntimeError, match="Pattern is too large"):
        literals.HyperscanFinder([b"kafka"], _Unbuildable, background=False)


@pytest.mark.pure_python
def test_a_matcher_whose_finder_failed_builds_it_again(monkeypatch: pytest.MonkeyPatch) -> None:
    def unbuildable(found: Sequence[bytes], engine: str, *, background: bool) -> literals.Finder:
        return literals.HyperscanFinder(found, _Unbuildable, background=background)

    monkeypatch.setattr(terms, "make_finder", unbuildable)
    matcher = Matcher(build_terms(_inventory(["example/kafka:1"]), AuditSettings()))
    matcher.start()
    for _ in range(2):  # the second time without a thread, and not with a finder that cannot find
        with pytest.raises(RuntimeError, match="Pattern is too large"):
            matcher.prepare()


def test_fast_json_writes_the_bytes_of_json() -> None:
    values = [
        {"a": [1, 2.5, 100.0, 33.3, 0.0, {}], "b": 'x\x00\x1f\x7f\u2028é"\\/\t\n😀', "c": None},
        {"coverage": [round(n / 10, 1) for n in range(1001)], "e": [], "f": {"g": []}},
        {"surrogate": "docs/\udcff.md"},  # an undecodable file name: json writes it
        [2**70],
    ]
    for value in values:
        assert dumps_indented(value) == json.dumps(value, indent=2, ensure_ascii=False)


def test_json_in_pieces_is_the_json_whole() -> None:
    one = {"path": "docs/\u2028é.md", "line": 3, "kind": "table", "nested": {"e": [], "d": {}}}
    surrogate = {"path": "docs/\udcff.md", "line": 1}  # json writes it, orjson refuses it
    cases: list[dict[str, object]] = [
        {},
        {"a": []},
        {"a": [one], "b": [], "c": [one, surrogate, {}], "d": 1.5},
        {"warnings": [{"message": "##[error] x\ny"}], "z": {"k": [1, 2]}},
        # More elements than are encoded together, one of them in a chunk json writes.
        {"many": [*([one] * 40), surrogate, *([{}] * 30), *range(33)], "after": [1]},
    ]
    for value, per_piece in itertools.product(cases, (1, 4, 32)):
        # Every list streamed, a few elements at a time, from an iterator read once.
        streamed = {
            k: Streamed(iter(v), per_piece) if isinstance(v, list) else v for k, v in value.items()
        }
        expected = json.dumps(value, indent=2, ensure_ascii=False) + "\n"
        assert "".join(json_pieces(streamed)) == expected
        # As it is written: UTF-8, an undecodable file name's surrogate as `?`.
        again = {
            k: Streamed(iter(v), per_piece) if isinstance(v, list) else v for k, v in value.items()
        }
        assert b"".join(json_bytes(again)) == expected.encode("utf-8", "replace")


@pytest.mark.pure_python
def test_windows_line_ends_are_read_by_the_classifier_as_markdown_it_reads_them(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    images, docs = _corpus(40)
    matcher = Matcher(build_terms(images, AuditSettings()))
    name = images[2].name
    docs += [
        f"<!-- a comment -->\n# {name}\n\n<div>\n{name}\n</div>\n\n| {name} | 80 |\n|---|---|\n",
        f"# {name}\r\nlone\rcarriage return\r\n- {name}\r\n",  # a lone `\r`: markdown-it's
    ]
    texts = [doc.replace("\r\n", "\n").replace("\n", "\r\n") for doc in docs]
    referenced: list[str] = []

    def reference(text: str) -> LineKinds:
        referenced.append(text)
        return markdown_kinds(text)

    monkeypatch.setattr(blocks, "markdown_kinds", reference)
    read = [text_rows(text, matcher) for text in texts]
    assert len(referenced) <= len(texts) // 8  # the classifier read the others
    assert texts[-1] in referenced
    monkeypatch.setattr(blocks, "classify_lines", lambda text, lines, wanted: None)
    assert read == [text_rows(text, matcher) for text in texts]
    assert all(rows for rows, _ in read)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(["|", "\\|", "\\", "a", " ", ">", "é"]), max_size=20).map("".join))
def test_a_rows_pipes_are_those_the_pattern_finds(line: str) -> None:
    for start in range(len(line) + 1):
        expected = [found.start() for found in scan._PIPE.finditer(line, start)]
        assert scan._pipes(line, start) == expected, (line, start)


def test_only_short_header_cells_are_remembered() -> None:
    """A pull request's docs may hold megabyte-long table headers: the subject test
    remembers short cells only, and reads a long one the same way each time."""
    scan._cached_subject_header.cache_clear()
    cells = ["Image", "**Service name**", "Port", "image " + "x" * 300]
    assert [scan._is_subject_header(cell) for cell in cells] == [True, True, False, False]
    assert [scan._is_subject_header(cell) for cell in cells] == [True, True, False, False]
    info = scan._cached_subject_header.cache_info()
    assert (info.currsize, info.hits) == (3, 3)


def test_a_doc_whose_first_bytes_are_a_name_is_read() -> None:
    """Compiled, the bytes path sliced the byte before a match at offset 0 from -1, and the
    run ended in an internal error (SystemError) on such a doc: the container's build."""
    matcher = Matcher(build_terms(_inventory(["example/app-api:1"]), AuditSettings()))
    for text in ("app-api serves the API.\n", "app-api", "x app-api", "app-api-x app-api_y"):
        data = text.encode()
        rows = data_rows(data, text, matcher)
        assert rows == text_rows(text, matcher)
    assert data_rows(b"app-api\n", "app-api\n", matcher) == (
        (("docker.io/example/app-api:1", 1, Kind.BODY, None, True),),
        0,
    )
