"""Workflow commands: exact escaping, exact annotation lines, the limit on their number."""

from __future__ import annotations

import pytest

from image_docs_audit.gate import Policy, Verdict, decide
from image_docs_audit.github.commands import (
    annotation,
    annotations_for,
    escape_data,
    escape_property,
)
from image_docs_audit.model import Image, ImageRef, ImageResult, Location, Report, Status, Summary

SCRIPT = "scripts/pull-images.sh"


@pytest.mark.parametrize(
    ("text", "data", "prop"),
    [
        ("plain text", "plain text", "plain text"),
        ("100%", "100%25", "100%25"),
        ("%0A", "%250A", "%250A"),  # an escape sequence as text stays text
        ("a\nb", "a%0Ab", "a%0Ab"),
        ("a\r\nb", "a%0D%0Ab", "a%0D%0Ab"),
        ("docs/a:b,c.md", "docs/a:b,c.md", "docs/a%3Ab%2Cc.md"),
        ("x\n::add-mask::secret", "x%0A::add-mask::secret", "x%0A%3A%3Aadd-mask%3A%3Asecret"),
        ("", "", ""),
    ],
)
def test_escaping(text: str, data: str, prop: str) -> None:
    assert escape_data(text) == data
    assert escape_property(text) == prop


@pytest.mark.parametrize(
    ("kwargs", "line"),
    [
        ({}, "::error::the message"),
        ({"file": "docs/x.md"}, "::error file=docs/x.md::the message"),
        ({"file": "docs/x.md", "line": 3}, "::error file=docs/x.md,line=3::the message"),
        ({"file": "docs/x.md", "line": 0}, "::error file=docs/x.md::the message"),
        (
            {"file": "docs/x.md", "line": 3, "title": "a: b, c"},
            "::error file=docs/x.md,line=3,title=a%3A b%2C c::the message",
        ),
        ({"title": "only a title"}, "::error title=only a title::the message"),
        ({"file": "", "title": ""}, "::error::the message"),
    ],
)
def test_annotation_has_only_the_properties_that_are_set(
    kwargs: dict[str, object], line: str
) -> None:
    assert annotation("error", "the message", **kwargs) == line  # type: ignore[arg-type]


def test_annotation_levels_and_a_hostile_message() -> None:
    # A line break from the repository shows as an escape: one annotation, one line.
    assert annotation("notice", "a\nb") == "::notice::a\\nb"
    assert annotation("notice", "\x1b[31mred\u202e\x9b") == "::notice::\\x1b[31mred\\u202e\\x9b"
    assert annotation("notice", "x ##[add-mask]y") == "::notice::x #\\x23[add-mask]y"
    assert annotation("warning", "50% done", file="a,b.md") == "::warning file=a%2Cb.md::50%25 done"


def image(name: str, line: int) -> ImageResult:
    ref = f"example/{name}:1"
    parsed = ImageRef("docker.io", f"example/{name}", "1", None)
    return ImageResult(Image(ref, parsed, None, Location(SCRIPT, line)), Status.MISSING, ())


def report(results: tuple[ImageResult, ...], orphans: tuple[str, ...] = ()) -> Report:
    total = len(results)
    summary = Summary(total, 0, 0, total, 0, 0.0 if total else 100.0)
    return Report(summary, (), results, (), orphans, (SCRIPT,), orphan_docs=orphans)


def verdict(new_images: int, orphans: tuple[str, ...], fail_under: float = 0) -> Verdict:
    """A base with one (missing) image, a head that adds `new_images` undocumented ones."""
    old = image("old", 1)
    head = report((old, *(image(f"new-{i}", i + 2) for i in range(new_images))), orphans)
    return decide(report((old,)), head, Policy(fail_under=fail_under))


def test_annotations_for_regressions_and_orphans() -> None:
    found = verdict(2, ("docs/old, notes.md",), fail_under=50)
    assert annotations_for(found) == [
        "::error file=scripts/pull-images.sh,line=2,title=image-docs-audit%3A new_undocumented"
        "::example/new-0:1 is new in the pull script and has no documentation",
        "::error file=scripts/pull-images.sh,line=3,title=image-docs-audit%3A new_undocumented"
        "::example/new-1:1 is new in the pull script and has no documentation",
        "::error title=image-docs-audit%3A below_threshold"
        "::coverage 0.0%25 is below the threshold of 50%25",
        "::warning file=docs/old%2C notes.md"
        "::docs/old, notes.md names no image of the pull scripts",
    ]


def test_a_passing_check_annotates_nothing() -> None:
    assert annotations_for(verdict(0, ())) == []


def test_at_most_ten_of_each_level_and_the_tenth_says_how_many_were_left_out() -> None:
    # GitHub shows 10 errors and 10 warnings a step: the note must be one of them.
    found = verdict(60, tuple(f"docs/orphan-{i:02d}.md" for i in range(12)))
    lines = annotations_for(found)
    assert [line.split(" ", 1)[0] for line in lines] == ["::error"] * 10 + ["::warning"] * 10
    assert lines[8].startswith("::error file=scripts/pull-images.sh,line=10,")
    assert lines[9] == (
        "::error title=image-docs-audit::51 more regressions not shown as annotations "
        "(GitHub shows 10 of each kind); see the job summary"
    )
    assert lines[18] == (
        "::warning file=docs/orphan-08.md::docs/orphan-08.md names no image of the pull scripts"
    )
    assert lines[19] == (
        "::warning title=image-docs-audit::3 more orphan docs not shown as annotations "
        "(GitHub shows 10 of each kind); see the job summary"
    )
    # Room for the warnings the caller prints after these.
    later = annotations_for(found, warnings_after=1)
    assert later[:18] == lines[:18] and len(later) == 19
    assert later[18].startswith("::warning title=image-docs-audit::4 more orphan docs not shown")
    assert annotations_for(found, warnings_after=10) == lines[:10]


def test_ten_of_a_level_are_shown_without_a_note() -> None:
    found = verdict(10, tuple(f"docs/orphan-{i}.md" for i in range(10)))
    lines = annotations_for(found)
    assert len(lines) == 20 and not any("not shown" in line for line in lines)
