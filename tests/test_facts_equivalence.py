"""The fast paths of the facts and the audit give what the plain rules give.

Each test compares a function with a reference written as the rule reads: the
region's names tested line by line, port conflicts grouped with a dict per port,
evidence sorted by its key. Hypothesis makes the inputs small and dense, so that
ranges overlap, repositories repeat and ties between places happen often.
"""

from __future__ import annotations

from collections.abc import Sequence

from hypothesis import given, settings
from hypothesis import strategies as st

from image_docs_audit.audit import audit_rows
from image_docs_audit.config import AuditSettings
from image_docs_audit.docs.outline import Heading, Outline, PortMentions, Section, Skim, Table
from image_docs_audit.docs.ports import PortKey, conflicts, merge_ports
from image_docs_audit.docs.rubric import Rubric, SectionIndex, grade, section_names
from image_docs_audit.docs.scopes import Region
from image_docs_audit.inventory.reference import parse_reference
from image_docs_audit.model import (
    Image,
    Inventory,
    Kind,
    Location,
    Port,
    PortConflict,
    PortFact,
    PortSource,
    PortUse,
)

_LINE = st.integers(0, 30)
_TEXT = st.sampled_from(["Ports", "Port", "Dependencies", "Smoke test", "Known issues", "Notes"])


@st.composite
def _outlines(draw: st.DrawFn) -> Outline:
    sections = tuple(
        Section(Heading(line, 2, text), line + extra, placeholder)
        for line, text, extra, placeholder in draw(
            st.lists(st.tuples(_LINE, _TEXT, st.integers(0, 8), st.booleans()), max_size=6)
        )
    )
    keys = tuple(draw(st.lists(st.tuples(_LINE, _TEXT), max_size=6)))
    tables = tuple(
        Table(header, header + extra, tuple(columns))
        for header, extra, columns in draw(
            st.lists(st.tuples(_LINE, st.integers(-1, 6), st.lists(_TEXT, max_size=3)), max_size=3)
        )
    )
    return Outline(Skim(False, None, ()), sections, keys, tables, (), PortMentions(), ())


_RANGES = st.lists(st.tuples(_LINE, st.integers(-2, 6)), max_size=5).map(
    lambda pairs: tuple(sorted((first, first + extra) for first, extra in pairs))
)
_REGIONS = st.one_of(st.just(Region(True)), _RANGES.map(lambda ranges: Region(False, ranges)))


@settings(max_examples=300, deadline=None)
@given(_outlines(), _REGIONS)
def test_the_section_index_finds_the_names_section_names_finds(
    outline: Outline, region: Region
) -> None:
    assert set(SectionIndex(outline).names(region)) == set(section_names(outline, region))


@settings(max_examples=200, deadline=None)
@given(
    st.lists(_TEXT, min_size=1, max_size=4),
    st.lists(st.lists(_TEXT | st.just("Smoke-test results"), max_size=5), max_size=4),
)
def test_the_rubric_grades_as_grade_does(required: list[str], names: list[list[str]]) -> None:
    rubric = Rubric(required)  # one rubric for every image: its memory must not leak
    for found in names:
        assert rubric.grade(found) == grade(required, found)


def _reference_conflicts(
    images: Sequence[Image], ports: dict[str, tuple[Port, ...]]
) -> list[PortConflict]:
    """A dict of repositories per port, filled image by image."""
    claims: dict[tuple[int, str], dict[str, list[PortUse]]] = {}
    for image in images:
        repository = f"{image.parsed.domain}/{image.parsed.path}"
        for port in ports.get(image.key, ()):
            by_repo = claims.setdefault((port.number, port.protocol), {})
            use = PortUse(image.ref, port.location, port.source)
            by_repo.setdefault(repository, []).append(use)
    return [
        PortConflict(number, protocol, tuple(u for uses in by_repo.values() for u in uses))
        for (number, protocol), by_repo in sorted(claims.items())
        if len(by_repo) > 1
    ]


_REFS = st.lists(
    st.sampled_from(["app-a:1", "app-a:2", "app-b:1", "app-c:1", "app-c:3", "app-d:1"]),
    min_size=1,
    max_size=6,
    unique=True,
)
_PORT = st.builds(
    Port,
    st.integers(80, 83),
    st.sampled_from(["tcp", "udp"]),
    st.builds(Location, st.sampled_from(["a.md", "b.md"]), st.integers(0, 3)),
    st.sampled_from(list(PortSource)),
)


@settings(max_examples=300, deadline=None)
@given(_REFS, st.data())
def test_port_conflicts_are_those_of_the_plain_grouping(
    refs: list[str], data: st.DataObject
) -> None:
    images = [
        Image(ref, parse_reference(ref), None, Location("pull.sh", n)) for n, ref in enumerate(refs)
    ]
    ports = {
        image.key: tuple(sorted(set(data.draw(st.lists(_PORT, max_size=4))))) for image in images
    }
    assert conflicts(images, ports) == _reference_conflicts(images, ports)


_KEYS = st.sampled_from(["app-a", "app-b"])
_PORT_KEYS = st.tuples(
    st.integers(80, 81), st.sampled_from(["tcp", "udp"]), st.sampled_from(["a.md", "b.md"]),
    st.integers(0, 2), st.just(PortSource.DOC.value),
)  # fmt: skip


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.dictionaries(_KEYS, st.lists(_PORT_KEYS, max_size=4)), max_size=3),
    st.lists(st.tuples(_KEYS, _PORT), max_size=4),
)
def test_merged_ports_are_the_sorted_set_of_every_doc_and_fact(
    by_doc: list[dict[str, list[PortKey]]], facts: list[tuple[str, Port]]
) -> None:
    """Each image's ports: every key any doc or fact gives it, once, in `Port`'s order
    (the keys drawn repeat within a doc and across docs, and facts repeat too)."""
    expected: dict[str, set[Port]] = {}
    for found in by_doc:
        for image, keys in found.items():
            expected.setdefault(image, set()).update(
                Port(number, protocol, Location(path, line), PortSource(source))
                for number, protocol, path, line, source in keys
            )
    for image, port in facts:
        expected.setdefault(image, set()).add(port)
    copies = [{image: list(keys) for image, keys in found.items()} for found in by_doc]
    merged = merge_ports(copies, [PortFact(image, port) for image, port in facts])
    assert merged == {image: tuple(sorted(ports)) for image, ports in expected.items()}


_KINDS = st.sampled_from([k for k in Kind if k is not Kind.CONFIG])
_ROWS = st.lists(
    st.tuples(
        st.sampled_from(["docker.io/example/app-a:1", "docker.io/example/app-b:1"]),
        # Ties are frequent among small lines; a large one widens the packed line field.
        st.one_of(st.integers(0, 3), st.integers(0, 1 << 40)),
        _KINDS,
        st.sampled_from([None, "", "2", "10", "3"]),  # an empty tag is not a missing one
        st.booleans(),
    ),
    max_size=12,
)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["a.md", "B.md", "c.md", "ä.md"]), _ROWS), max_size=3))
def test_evidence_comes_strong_first_then_by_place_each_piece_once(
    scans: list[tuple[str, list[tuple[str, int, Kind, str | None, bool]]]],
) -> None:
    refs = ["example/app-a:1", "example/app-b:1"]
    images = tuple(Image(ref, parse_reference(ref), None, Location("pull.sh", 1)) for ref in refs)
    report = audit_rows(Inventory(images, ("pull.sh",)), scans, AuditSettings(), frozenset())
    for result in report.images:
        given_rows = {
            (path, line, kind, other_tag)
            for path, rows in scans
            for image, line, kind, other_tag, _ in rows
            if image == result.image.key
        }
        found = [(e.path, e.line, e.kind, e.other_tag) for e in result.evidence]
        assert len(found) == len(set(found))
        assert set(found) == given_rows  # no index doc, no ordinary name: kinds stay
        rank = [0 if kind.strong else 2 if kind is Kind.INDEX else 1 for _, _, kind, _ in found]
        keys = [
            (r, path, line, kind.value, other or "", other is None)
            for r, (path, line, kind, other) in zip(rank, found, strict=True)
        ]
        assert keys == sorted(keys)
