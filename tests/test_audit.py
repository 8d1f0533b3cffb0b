"""Classification from plain data: statuses, index docs, ignore rules, explicit docs, coverage."""

from __future__ import annotations

from dataclasses import replace

import pytest

from image_docs_audit import audit as audit_module
from image_docs_audit.audit import audit, coverage
from image_docs_audit.config import AuditSettings, IgnoreRule
from image_docs_audit.inventory import read_inventory
from image_docs_audit.model import DocScan, Evidence, Hit, Inventory, Kind, Status

SCRIPT = b"""IMAGES=(
  # Core
  a/one:1
  a/two:1
  a/three:1
  # Edge
  a/four:1
  a/five:1
  a/six:1
)
"""


def key(name: str) -> str:
    return f"docker.io/a/{name}:1"


def inventory() -> Inventory:
    return read_inventory([("pull.sh", SCRIPT)])


def statuses(report_images: object) -> dict[str, str]:
    return {r.image.name: r.status.value for r in report_images}  # type: ignore[attr-defined]


def test_strong_weak_and_missing() -> None:
    scans = [
        DocScan("docs/one.md", (Hit(key("one"), 0, Kind.FILENAME), Hit(key("two"), 4, Kind.BODY))),
        DocScan("docs/three.md", (Hit(key("three"), 2, Kind.CODE), Hit(key("four"), 3, Kind.LIST))),
    ]
    report = audit(inventory(), scans, AuditSettings(), frozenset())
    assert statuses(report.images) == {
        "one": "documented",
        "two": "mentioned",
        "three": "mentioned",
        "four": "documented",
        "five": "missing",
        "six": "missing",
    }
    assert report.images[0].evidence == (Evidence("docs/one.md", 0, Kind.FILENAME),)
    assert (report.summary.total, report.summary.documented, report.summary.mentioned) == (6, 2, 2)
    assert report.summary.coverage == 33.3
    assert [(g.name, g.total, g.documented, g.coverage) for g in report.groups] == [
        ("Core", 3, 1, 33.3),
        ("Edge", 3, 1, 33.3),
    ]


def test_a_doc_naming_more_than_half_is_an_index_and_documents_nothing() -> None:
    names = ["one", "two", "three", "four"]
    audit_doc = DocScan(
        "docs/AUDIT.md", tuple(Hit(key(n), i + 1, Kind.TABLE) for i, n in enumerate(names))
    )
    report = audit(inventory(), [audit_doc], AuditSettings(), frozenset())
    assert report.index_docs == ()  # 4 images: fewer than 5
    five = DocScan("docs/AUDIT.md", (*audit_doc.hits, Hit(key("five"), 9, Kind.TABLE)))
    report = audit(inventory(), [five], AuditSettings(), frozenset())
    assert report.index_docs == ("docs/AUDIT.md",)
    assert set(statuses(report.images).values()) == {"missing"}
    assert report.images[0].evidence == (Evidence("docs/AUDIT.md", 1, Kind.INDEX),)


def _named(count: int) -> list[tuple[str, list[tuple[str, int, Kind, None, bool]]]]:
    """A doc naming `count` images of an inventory of 40, in sections."""
    rows = [(f"docker.io/a/s{n}:1", n + 1, Kind.HEADING, None, True) for n in range(count)]
    return [("docs/report.md", rows)]


@pytest.mark.parametrize(
    ("count", "total", "index"),
    [
        (5, 9, False),  # a composite report of five sections in a small inventory
        (6, 10, False),  # a gateway's report naming its upstreams
        (8, 10, True),  # 80 % of a small inventory: an index or an audit
        (5, 6, True),
        (9, 20, False),  # half of a larger one, or fewer than 10
        (10, 19, True),
        (4, 4, False),  # fewer than 5: never
    ],
)
def test_an_index_doc_names_most_of_a_small_inventory_or_half_of_a_large_one(
    count: int, total: int, index: bool
) -> None:
    assert audit_module._index_docs(_named(count), total) == (
        frozenset({"docs/report.md"}) if index else frozenset()
    )


def test_a_doc_that_says_it_is_an_audit_or_index_is_one_at_five_images() -> None:
    images = inventory().images
    titles = {
        "docs/CONTAINER_DOCUMENTATION_AUDIT.md": None,
        "docs/reports/ImageIndex.md": None,
        "docs/overview.md": "Image inventory (2024)",
        "docs/one.md": "One: build report",
        "docs/indexer.md": "The indexer",  # a word of its own, not `index`
    }
    listings = audit_module.Listings(titles, images)
    assert {path for path in titles if path in listings} == {
        "docs/CONTAINER_DOCUMENTATION_AUDIT.md",
        "docs/reports/ImageIndex.md",
        "docs/overview.md",
    }
    # Five of 40 images: not an index by their share, an index by what it says it is.
    assert audit_module._index_docs(_named(5), 40, frozenset({"docs/report.md"})) == {
        "docs/report.md"
    }
    assert audit_module._index_docs(_named(4), 40, frozenset({"docs/report.md"})) == set()
    # A word of an image's name says nothing: `app-inventory`'s report is no inventory.
    named = read_inventory([("pull.sh", b"docker pull acme/app-inventory:1\n")]).images
    assert "docs/x.md" not in audit_module.Listings({"docs/x.md": "Inventory build report"}, named)


def test_ignore_rules_and_counting_mentioned() -> None:
    scans = [DocScan("docs/x.md", (Hit(key("two"), 1, Kind.BODY),))]
    settings = AuditSettings(
        ignore=(IgnoreRule("a/f*", "vendor image"),),
        count_mentioned=True,
    )
    report = audit(inventory(), scans, settings, frozenset())
    four, five = report.images[3], report.images[4]
    assert (four.status, four.reason) == (Status.IGNORED, "vendor image")
    assert (five.status, five.reason) == (Status.IGNORED, "vendor image")
    # 1 mentioned counted, over 6 - 2 ignored.
    assert report.summary.coverage == 25.0
    assert report.count_mentioned


def test_documentation_names_each_doc_once_and_stops_at_its_bound(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A doc named for an image by several entries, or twice in one, is one piece of
    evidence; past `DOCUMENTATION_PAIRS` pairs of an image and a doc, the entries stop (a
    config of 500 selectors naming every image, each listing the same doc 500 times,
    made 250,000 pieces of evidence per image)."""
    files = frozenset({"docs/six.md", "docs/five.md"})
    twice = ("docs/six.md", "./docs/six.md", "docs/six.md")
    settings = AuditSettings(
        documentation=(("a/six", twice), ("*six*", ("docs/six.md",)), ("a/*", twice)),
        config_path="c.yml",
    )
    report = audit(inventory(), [], settings, files)
    assert report.images[5].evidence == (Evidence("docs/six.md", 0, Kind.CONFIG),)
    assert report.warnings == ()
    # Each entry's pairs: 1 (a/six), then 1 (*six*), then 6 images of a/* times one doc.
    monkeypatch.setattr(audit_module, "DOCUMENTATION_PAIRS", 8)
    settings = replace(settings, documentation=(*settings.documentation, ("*", ("docs/five.md",))))
    report = audit(inventory(), [], settings, files)
    assert [str(w) for w in report.warnings] == [
        "c.yml: documentation: '*' and the entries after it are not read: the entries name"
        " 8 pairs of an image and a doc, the most the config gives"
    ]
    assert [len(result.evidence) for result in report.images] == [1] * 6


def test_documentation_paths_from_the_config() -> None:
    settings = AuditSettings(
        documentation=(("a/six", ("docs/six.md", "docs/gone.md")), ("nothing", ("docs/six.md",))),
        config_path=".github/image-docs-audit.yml",
    )
    report = audit(inventory(), [], settings, frozenset({"docs/six.md"}))
    six = report.images[5]
    assert six.status is Status.DOCUMENTED
    assert six.evidence == (Evidence("docs/six.md", 0, Kind.CONFIG),)
    assert [str(w) for w in report.warnings] == [
        ".github/image-docs-audit.yml: documentation: 'docs/gone.md' does not exist",
        ".github/image-docs-audit.yml: documentation: 'nothing' names no image",
    ]


def test_coverage_rules() -> None:
    assert coverage(0, 0, 0, False) == 100.0
    assert coverage(1, 1, 3, False) == 33.3
    assert coverage(1, 1, 3, True) == 66.7


def test_uncategorized_images() -> None:
    report = audit(
        read_inventory([("p.sh", b"docker pull a/b:1\n")]), [], AuditSettings(), frozenset()
    )
    assert [(g.name, g.total, g.missing) for g in report.groups] == [("Uncategorized", 1, 1)]
    assert report.images[0].image.category is None
