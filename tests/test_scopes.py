"""Which image a line of a doc is about (`docs/scopes.py`): the innermost section that
names an image, found by bisection, against every section tried for every line; and a doc
of a hundred thousand sections read in time that grows with its size, not its square."""

from __future__ import annotations

import time

from hypothesis import given, settings
from hypothesis import strategies as st

from image_docs_audit.docs.outline import Outline, outline
from image_docs_audit.docs.scopes import Mention, Scopes
from image_docs_audit.model import Kind

_IMAGES = ("app", "db", "cache")


def _owners_by_trying_every_section(scopes: Scopes, line: int) -> tuple[str, ...]:
    """`Scopes.owners` as it read the sections before: each one tried for each line."""
    found = scopes.on_line.get(line)
    if found is not None:
        return found
    if scopes.in_code:
        if line in scopes.code_line:  # a line of a block that names images is theirs
            return scopes.code_line[line]
        block = next((b for b in scopes.outline.code if b[0] <= line <= b[1]), None)
        if block is not None and block[0] in scopes.in_code:
            return scopes.in_code[block[0]]
    ends = {section.heading.line: section.end for section in scopes.outline.sections}
    innermost = None
    for heading, images in scopes.headed.items():
        if heading < line <= ends[heading] and (innermost is None or heading > innermost[0]):
            innermost = (heading, images)
    return innermost[1] if innermost is not None else scopes.doc


@st.composite
def _docs(draw: st.DrawFn) -> tuple[str, list[Mention]]:
    """A doc of headings of any level, body lines, rows and a code block, and mentions of
    images at some of its headings and lines."""
    shapes = st.sampled_from(["heading", "heading", "text", "row", "blank", "fence"])
    lines: list[str] = []
    mentions: list[Mention] = []
    fenced = False
    for shape in draw(st.lists(shapes, min_size=1, max_size=40)):
        number = len(lines) + 1
        image = draw(st.sampled_from(_IMAGES))
        named = draw(st.booleans())
        if shape == "fence":
            lines.append("```")
            fenced = not fenced
        elif shape == "heading" and not fenced:
            lines.append("#" * draw(st.integers(1, 6)) + f" part {number}")
            if named:
                mentions.append((image, number, Kind.HEADING))
        elif shape == "row":
            lines.append(f"- {image} port 80")
            if named:
                mentions.append((image, number, Kind.CODE if fenced else Kind.LIST))
        else:
            lines.append("" if shape == "blank" else f"text {number}")
    if draw(st.booleans()):
        mentions.append((draw(st.sampled_from(_IMAGES)), 0, Kind.FILENAME))
    return "\n".join(lines), mentions


@settings(max_examples=400, deadline=None)
@given(_docs())
def test_each_line_is_the_innermost_naming_sections_as_when_every_section_is_tried(
    doc: tuple[str, list[Mention]],
) -> None:
    text, mentions = doc
    scopes = Scopes(outline(text, keys=False), mentions)
    for line in range(1, text.count("\n") + 3):
        assert scopes.owners(line) == _owners_by_trying_every_section(scopes, line), line


def test_nested_sections_give_a_line_to_the_innermost_that_names_an_image() -> None:
    text = "\n".join(
        [
            "# Title",  # 1 (the title: no section)
            "## app",  # 2
            "port 1",  # 3
            "### db",  # 4
            "port 2",  # 5
            "#### notes",  # 6: names nothing
            "port 3",  # 7
            "### more",  # 8: names nothing, inside `app`
            "port 4",  # 9
            "## other",  # 10
            "port 5",  # 11
        ]
    )
    mentions: list[Mention] = [("app", 2, Kind.HEADING), ("db", 4, Kind.HEADING)]
    scopes = Scopes(outline(text, keys=False), mentions)
    assert [scopes.owners(line) for line in (3, 5, 7, 9, 11)] == [
        ("app",),
        ("db",),
        ("db",),
        ("app",),
        (),
    ]


def _many_sections(count: int) -> Outline:
    return outline("intro\n" + "## app\n### detail\nPort: 80\n" * count, keys=False)


def test_a_doc_of_a_hundred_thousand_named_sections_is_read_in_linear_time() -> None:
    """Trying every section for every port line, or looking ahead from every heading for
    the end of its section, takes hours here; the bound allows for a slow machine."""
    count = 100_000
    started = time.perf_counter()
    made = _many_sections(count)
    mentions: list[Mention] = [("app", 2 + 3 * index, Kind.HEADING) for index in range(count)]
    scopes = Scopes(made, mentions)
    owned = [scopes.owners(line) for line, _, _ in made.ports.values()]
    assert len(made.sections) == 2 * count
    assert made.sections[-2].end == 3 * count + 2  # the last `## app` runs to the end
    assert owned == [("app",)] * count
    assert time.perf_counter() - started < 60


def test_each_place_holds_its_images_once_in_the_order_first_named() -> None:
    made = outline("# db\n| a | b |\n|---|---|\n| x | y |\n```\nrun\n```\n", keys=False)
    mentions: list[Mention] = [
        ("db", 0, Kind.FILENAME),
        ("app", 0, Kind.TITLE),
        ("db", 1, Kind.TITLE),
        ("cache", 4, Kind.TABLE),
        ("app", 4, Kind.TABLE),
        ("cache", 4, Kind.TABLE),
        ("app", 6, Kind.CODE),
        ("db", 6, Kind.CODE),
        ("app", 6, Kind.CODE),
    ]
    scopes = Scopes(made, mentions)
    assert scopes.doc == ("db", "app")
    assert scopes.on_line == {4: ("cache", "app")}
    assert scopes.in_code == {5: ("app", "db")}
    assert scopes.owners(4) == ("cache", "app")
    assert scopes.owners(6) == ("app", "db")
    assert scopes.owners(2) == ("db", "app")


def test_a_line_naming_a_hundred_thousand_images_is_read_in_linear_time() -> None:
    """A table row or a code block of a pull request's doc may name every image: testing
    each against those already kept takes the square of their number."""
    count = 100_000
    made = outline("| a |\n|---|\n| x |\n```\nrun\n```\n", keys=False)
    names = [f"image-{index}" for index in range(count)]
    started = time.perf_counter()
    mentions: list[Mention] = [(name, 3, Kind.TABLE) for name in names]
    mentions += [(name, 5, Kind.CODE) for name in names]
    mentions += [(name, 0, Kind.FILENAME) for name in names]
    scopes = Scopes(made, mentions * 2)
    assert scopes.owners(3) == scopes.owners(5) == scopes.doc == tuple(names)
    assert time.perf_counter() - started < 60


def test_a_place_naming_more_than_a_few_images_keeps_each_once_in_order() -> None:
    made = outline("| a |\n|---|\n| x |\n", keys=False)
    names = [f"image-{index}" for index in range(40)]
    named = [names[index // 2] for index in range(80)] + names[::-1]  # each twice, then again
    scopes = Scopes(made, [(name, 3, Kind.TABLE) for name in named])
    assert scopes.owners(3) == tuple(names)
