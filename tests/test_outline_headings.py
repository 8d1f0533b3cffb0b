"""The skim's headings against markdown-it's (the `skim` of outline_reference.py: the
headings markdown-it reads whose `#`s or underline open their line): setext headings,
`#` lines in HTML blocks and fenced code, front matter, over a table of cases, random
docs of the line shapes that decide them and the benchmark's reports; how rarely the
skim asks the classifier or markdown-it; and what an audit then reads (a port under a
setext `Ports` heading, a changelog's title under a license's `#` lines)."""

from __future__ import annotations

import random
import sys
import time
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import outline_reference as reference
from image_docs_audit.docs import outline as outline_module
from image_docs_audit.docs.outline import Heading, Skim, skim
from test_facts import audit, by_name, ports, project

sys.path.insert(0, str(Path(__file__).parent.parent / "benchmarks"))

from corpus import DENSE, make_doc, make_images  # the benchmark's generator (its densest)

LICENSE = (
    "<!--\n#\n# Licensed to the Apache Software Foundation (ASF) under one\n"
    "# or more contributor license agreements.\n#\n-->\n"
)

CASES = [
    # HTML blocks: a `#` line in one is no heading, a fence in one no fence
    LICENSE + "# Real title\n\n## Usage\n",
    "<!--\n```\n-->\n# After a fence in a comment\n```\n# in a fence\n",
    "<pre>\n# not a heading\n</pre>\n# heading\n",
    "<PRE class=x>\n# no\n</pre>\n",
    "<script>\n# no\n</script>\n\n<style>\n## no\n</style>\n## yes\n",
    "<textarea>\n# no\n</textarea>\n",
    "<details>\n## in details\n</details>\n",
    "<details>\n<summary>More</summary>\n\n## after a blank line\n</details>\n",
    "<div>\n# no\n\n# yes\n",
    "<span>\n# no: a tag alone opens a block after a blank line\n",
    "para\n<span>\n# yes: it ends no paragraph\n",
    "para \x00\n<span>\n# yes, with a NUL the classifier leaves to markdown-it\n",
    "text\n\n<img src=x>\n```\n# fenced? not after an HTML block\n```\n",
    "<?php\n# no\n?>\n# yes\n",
    "<!DOCTYPE html>\n# yes\n",
    "<![CDATA[\n# no\n]]>\n# yes\n",
    "<!-- one line -->\n# yes\n",
    "```\n<!--\n```\n# yes: the comment was code\n",
    "  <!--\n# no\n  -->\n",
    "    <!--\n# yes: indented code\n",
    "<a href=x>\n\n---\n",
    # setext headings
    "Title\n=====\n\nSub\n---\n\ntext",
    "Two lines\nof title\n===\n",
    "2.0.1 / 2025-11-20\n==================\n\n- fix\n",
    # a title's badges under it, over its underline: its lines (a definition only first)
    "Embedded templates<br/>\n[![Known Vulnerabilities](/badge.svg)](/ejs)\n===\n",
    "Title\n[a]: /u\n[b]\n---\n",
    "[a]: /u\nTitle\n===\n",
    "[a]: /u\n[b]\nTitle\n===\n",
    "[not a definition]\n===\n",
    "Title\n[a | b]\n---\n",
    "[Python-Markdown][]\n===\n",
    "[![b](/x)](/y)\n===\n",
    "**I recommend reading this**\n---\n",
    "text\n\n*it*\n_it_\n__b__\n-rc1\n==x\n---\n",
    "***Bold***\n---\n",
    "** **x\n---\n",
    "- - x\n---\n",
    "---x\n---\n",
    # lines behind blanks: they go on a paragraph (lazy behind four), open none
    "Name: x\nContributors:\n  Mark Stacey <m@example.invalid>\n    lazy\nLicense Text:\n===\n",
    "- item\n\n   para in the item\n=\n",
    "text\n\n  para\n===\n",
    "\tcode\n===\n",
    "a\n  - item\n---\n",
    "1. item\n---\n",
    "1.0\n---\n",
    "- item\n---\n",
    "- item\n  ---\n",
    "> quote\n---\n",
    "| a | b |\n---\n",
    "a | b\n---\n",
    "  indented para\n---\n",
    "    code\n---\n",
    "# ATX\n===\n---\n",
    "para\n\n---\n",
    "para\n=\n",
    "para\n-\n",
    "A\n===\n===\n",
    "**Bold**\n---\n",
    "[ref]: /url\n===\n",
    "\x0c\n===\n",
    "text\n<!--\n-->\nafter\n---\n",
    "<!--\n\nfoo -->\nbar\n---\n",
    "```\nin code\n---\n```\n",
    "!!! note\n---\n",
    # front matter
    "---\n# a YAML comment\ntitle: T\n---\n# Heading\n",
    "---\n```\n<span>\npara\n---\n# After\n",
    "---\ntitle: x\n  ---\n# After an indented closer\n",
    "---\ntitle: x\n...\nPara\n---\n",
    "---\ntitle: X\n---\nPara\n---\n",
    "+++\ntitle = 'T'\n+++\nSub\n---\n",
    "- x--\n# after a list item read as a front matter start\n",
    # fences
    "```js``` inline code\n\n## a heading\n",
    "~~~ ```\n# no\n~~~\n",
    "```\n# no\n``` x\n# no\n```\n# yes\n",
    # containers
    "- item\n  # nested at two spaces\n",
    "- # behind a marker\n> # in a quote\n",
    "a\n---\nb\n---\n",
    "a\n===\nb\n---\n\nc\n---\n",
    "- TODO: later\n   ```\n# Title",
    "-\n\t```\n  # in a fence in the item\n  ```\n",
    "- item\n\n      ```\n  # in a fence in the item\n      ```\n# after\n",
    "- item\n    <div>\n  # in the item's HTML block\n",
    "    <div>\n# indented code above\n",
    "- a\n  ```\n# x\n```\n# y\n",
    "- item\n  <!--\n# x\n-->\n",
    "1. step\n\n   ```bash\n   docker run -p 80:80 x\n   ```\n\nUsage\n-----\n",
    # blocks opened behind blanks or a marker: in a list item, or at the top level
    "- ```\n  # in the item's fence\n- - -\n# after the list\n",
    "1. <div>\n   # in the item's HTML block\n\n# after\n",
    "* ~~~\n# ends the item and its fence\n",
    "  - ```\n    # in the nested item's fence\n",
    "- item\n\ntext at the margin\n  ```\n# in a top-level fence\n  ```\n# after\n",
    "- item\n\ntext\n    ```\n# after a paragraph's line\n",
    "- item\n  ```\n\nx\n  ```\n# in the second fence\n",
    "> quote\n\nx\n   <div>\n# in a top-level HTML block\n",
    "para\n\n  <!--\n# in a comment\n-->\n# after\n",
    "- item\n\n**bold at the margin**\n  ```\n# in a fence\n",
    "1. step\n    ```sh\n    $ # a comment\n    ```\n# after\n",
    "1. step\n\n    ```\n    code\n      ```\n# after a deeper closer\n",
    "- a\n  ```\n code less indented\n  ```\n# x\n",
    "- a\n   ```\n   code\n  ```\n# closer less indented\n",
    "- a\n  ````\n  ```\n  ````\n# after\n",
    "- a\n  ```js\n\t# tab\n  ```\n# after\n",
    "- a\n  ~~~\n  ```\n  ~~~\n## after\n",
    "- a\n  ```\n  code\n",
    "* <del>old</del> text\n# after\n",
    "- <https://example.com>\n  # in the item\n",
    "- <div>\n  # in the item's HTML\n",
    "+ c\n</pre>\n- a\n    <!--\n\n  # in the item's comment\n",
]


def _same(text: str) -> Skim:
    found = skim(text)
    assert found == reference.skim(text)
    assert skim(text.replace("\n", "\r\n")) == reference.skim(text.replace("\n", "\r\n"))
    return found


def test_cases_are_many() -> None:
    assert len(CASES) >= 50


@pytest.mark.parametrize("text", CASES)
def test_cases(text: str) -> None:
    _same(text)


def test_answers() -> None:
    """A few answers spelt out: the two readers could agree and both be wrong."""
    assert _same(LICENSE + "# Real title\n\n## Usage\n") == Skim(
        False, Heading(7, 1, "Real title"), (Heading(9, 2, "Usage"),)
    )
    assert _same("Title\n=====\n\nPorts\n-----\n\n- 8080\n") == Skim(
        False, Heading(1, 1, "Title"), (Heading(4, 2, "Ports"),)
    )
    assert _same("Two lines\nof title\n===\n").title == Heading(1, 1, "Two lines of title")
    assert _same("<details>\n## in details\n</details>\n") == Skim(False, None, ())
    assert _same("<pre>\n# not a heading\n</pre>\n# heading\n") == Skim(
        False, Heading(4, 1, "heading"), ()
    )
    assert _same("- item\n---\n") == Skim(False, None, ())
    assert _same("2.0.1 / 2025-11-20\n====\n").title == Heading(1, 1, "2.0.1 / 2025-11-20")
    assert _same("---\n# a YAML comment\ntitle: T\n---\n# Heading\n") == Skim(
        False, Heading(3, 1, "T"), (Heading(5, 1, "Heading"),)
    )
    assert _same("```js``` inline code\n\n## a heading\n").headings == (Heading(3, 2, "a heading"),)


SHAPES = [
    *("```", "~~~", "``` js```", "# T", "## Ports", "#", "  # indented", "    # code"),
    *("===", "---", "-", "=", "  ---", "   ===  ", "para", "  para", "text | x"),
    *("| a | b |", "|---|---|", "- item", "  - item", "1. one", "> quote", "> # q"),
    *("- # li", "<!--", "-->", "<!-- c -->", "<pre>", "</pre>", "<details>", "</details>"),
    *("<div>", "<span>", "<br>", "<img src=x>", "<?php", "?>", "<![CDATA[", "]]>"),
    *("<!DOCTYPE x>", "[ref]: /url", "", "", "", "   ", "\t", "title: T", "+++", "**bold**"),
    *("_it_", "***", "___", "!!! note", "    indented", "\tx", "* star", "+ plus", "2) two"),
    *("1986. year", "2.0.1 / 2024", "para # x", "<script>", "</script>", "x\x0cy", "\x0c"),
    *("   ```", "  ```", " ~~~", " <!--", "  <div>", "  code", "   para", "- TODO: later"),
    *("\t```", "    ```", "\t<div>", "    <!--", "-"),
    *("- ```", "1. <div>", "* ~~~", "  - ```", "    - ```", "-\t<!--", "x", "> q"),
    *("- <https://x>", "* <b>x</b> y", "  ````", " code", "     ```", "   ~~~ x"),
    *("[![badge](/b.svg)](/x)", "[x] y", "[a]:", "[a | b]", "[a]: /u 'title'"),
    *("[x][]", "[x]: /u", "*it*", "**b**", "_i_", "__b__", "-rc1", "==x", "***b***", "- - x"),
    *("--", "==", "-- x", "__", "**"),
]


@st.composite
def documents(draw: st.DrawFn) -> str:
    lines = draw(st.lists(st.sampled_from(SHAPES), min_size=1, max_size=30))
    front = draw(st.sampled_from(["", "---\ntitle: X\n---\n", "---\n# c\n---\n"]))
    return front + "\n".join(lines) + draw(st.sampled_from(["", "\n"]))


@settings(max_examples=400, deadline=None)
@given(documents())
def test_random_documents(text: str) -> None:
    _same(text)


def test_generated_reports() -> None:
    rng = random.Random(5)
    images = make_images(40, rng)
    for index in range(40):
        _same(make_doc(index, rng, images, DENSE)[1])


@pytest.mark.pure_python
def test_the_classifier_and_markdown_it_read_only_what_the_rules_cannot_tell(
    monkeypatch: Any,
) -> None:
    """Plain setext headings (emphasis, a title with its badges under it, a link of its
    own, indented lines after the first too), HTML comments, `<pre>`, `<details>` and
    fences are read without the classifier or markdown-it; an underline under a list
    item asks the classifier (a thematic break), one under what starts like a thematic
    break markdown-it too (a heading: the classifier does not bound its lines), as does
    a heading after an unclosed fence in a list item; not one after a fence closed in
    its item, nor after a line at the margin."""
    asked: list[str] = []

    def kinds_of(*args: Any, **kwargs: Any) -> Any:
        asked.append("classifier")
        return reference_kinds(*args, **kwargs)

    def tokens(text: str, parser: Any) -> list[Any]:
        asked.append("markdown-it")
        return reference_tokens(text, parser)

    reference_kinds, reference_tokens = outline_module.kinds_of, outline_module._tokens
    monkeypatch.setattr(outline_module, "kinds_of", kinds_of)
    monkeypatch.setattr(outline_module, "_tokens", tokens)
    plain = (
        "Title\n=====\n\n" + LICENSE + "Ports\n-----\n\n<pre>\n# x\n</pre>\n\n"
        "<details>\n## y\n</details>\n\n```\n# z\n```\n## Usage\n"
    )
    assert skim(plain) == reference.skim(plain)
    badges = "Embedded templates<br/>\n[![Known Vulnerabilities](/badge.svg)](/ejs)\n===\n"
    assert _same(badges).title == Heading(
        1, 1, "Embedded templates<br/> [![Known Vulnerabilities](/badge.svg)](/ejs)"
    )
    assert _same("[Python-Markdown][]\n===\n").title == Heading(1, 1, "[Python-Markdown][]")
    assert _same("text\n\n**Bold**\n---\n").headings == (Heading(3, 2, "Bold"),)
    assert _same("-rc1 notes\n===\n").title == Heading(1, 1, "-rc1 notes")
    licenses = "Name: x\nContributors:\n  Mark Stacey\n    lazy\nLicense Text:\n===\n"
    assert _same(licenses).title == Heading(
        1, 1, "Name: x Contributors: Mark Stacey lazy License Text:"
    )
    assert asked == []
    assert _same("text\n\n- item\n---\n") == Skim(False, None, ())
    assert asked == ["classifier"] * 2  # (twice: `_same` reads CRLF too)
    asked.clear()
    assert _same("text\n\n***Bold***\n---\n").headings == (Heading(3, 2, "Bold"),)
    assert asked == ["classifier", "markdown-it"] * 2
    asked.clear()
    assert _same("- item\n\n  ```\n  code\n# After\n").title == Heading(5, 1, "After")
    assert asked == ["classifier"] * 2
    asked.clear()
    # A fence in an item that a line as indented closes, every line up to it indented as
    # much, ends there; a line at the margin after a blank line ends the list, and the
    # fences after it stand at the top level.
    closed = "- item\n\n  ```\n  code\n  ```\n# After\n\n    ```\n    code\n    ```\n"
    assert _same(closed) == Skim(False, Heading(6, 1, "After"), ())
    top = "- item\n\nText\n  ```\n# code\n  ```\n    ```\n# After\n"
    assert _same(top) == Skim(False, Heading(8, 1, "After"), ())
    assert asked == []


@pytest.mark.pure_python
def test_many_underlines_are_read_once(monkeypatch: Any) -> None:
    """A pull request's doc of 20,000 setext headings: each paragraph line is looked at
    once, not once for every underline below it."""
    looked: list[str] = []
    plain = outline_module._plain

    def counted(line: str) -> bool:
        looked.append(line)
        return plain(line)

    monkeypatch.setattr(outline_module, "_plain", counted)
    text = "".join(f"Heading {n}\n---\n\n" for n in range(20_000))
    found = skim(text)
    assert found.title is None
    assert found.headings[-1] == Heading(59_998, 2, "Heading 19999")
    assert len(found.headings) == 20_000
    assert len(looked) == 20_000


def test_many_fences_after_html_are_read_once() -> None:
    """A pull request's doc of 200,000 fenced code blocks below an HTML block: each fence
    line is looked at once (a copy of the fences left for each block took their square:
    about 100 s, where this takes 2)."""
    text = "<div>\n\n" + "```\n# no\n```\n" * 200_000 + "# Last\n"
    started = time.perf_counter()
    assert skim(text) == Skim(False, Heading(600_003, 1, "Last"), ())
    assert time.perf_counter() - started < 30


def test_a_list_item_opens_a_block_after_a_number_of_up_to_nine_digits() -> None:
    """As markdown-it reads an ordered list item's marker (a constant of the same name for
    ports' five digits once hid this one)."""
    for marker, item in (("123456789.", True), ("1234567890.", False), ("1)", True)):
        assert outline_module._opens_in_item(f"\n{marker} ```\n", 1) is item, marker
    assert not outline_module._opens_in_item("\n123. text\n", 1)


def test_many_fences_in_list_items_are_walked_once() -> None:
    """A pull request's doc of 100,000 list items, each with a fence behind blanks and
    another behind four: each body is walked once to its closer; a fence whose closer
    never comes costs one walk, bounded by the doc's length."""
    item = "- item\n  ```\n  # no\n  ```\n    ```\n    code\n    ```\n"
    text = item * 100_000 + "# Last\n"
    started = time.perf_counter()
    assert skim(text) == Skim(False, Heading(700_001, 1, "Last"), ())
    unclosed = "- item\n" + "".join(f"    {'~' * run}\n" for run in range(3_000, 3, -1))
    assert skim(unclosed + "# Last\n") == reference.skim(unclosed + "# Last\n")
    # No list item above 50,000 fences behind four blanks, each looked up from to the
    # doc's first line: the budget of the lines looked at ends that.
    code = "Text\n" + "    ```\n    code\n" * 50_000 + "# Last\n"
    assert skim(code) == Skim(False, Heading(100_002, 1, "Last"), ())
    assert time.perf_counter() - started < 30


def test_a_setext_ports_section_gives_its_ports(tmp_path: Path) -> None:
    root = project(
        tmp_path,
        ["ghcr.io/acme/app-web:2.0"],
        {"docs/app-web.md": "App Web\n=======\n\nThe web front end.\n\nPorts\n-----\n\n- 8443\n"},
    )
    _, data = audit(root)
    assert ports(by_name(data)["app-web"]) == [(8443, "tcp", "docs/app-web.md:9")]


def test_a_license_comment_hides_no_title(tmp_path: Path) -> None:
    """A changelog under an Apache license's comment of `#` lines: its title tells it
    records changes, and an old tag it names is no drift."""
    changelog = LICENSE + "# Changelog\n\n- 1.0: shipped `ghcr.io/acme/app-api:1.0`\n"
    root = project(
        tmp_path,
        ["ghcr.io/acme/app-api:2.0"],
        {"docs/updates.md": changelog, "docs/app-api.md": "# App API\n\nServes the API.\n"},
    )
    _, data = audit(root)
    assert data["drift"] == []
    assert by_name(data)["app-api"]["status"] == "documented"
