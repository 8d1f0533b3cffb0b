"""`scaffold` on a hostile repository: the starter doc holds every value of the
repository and its config as literal Markdown, escaped as the comment escapes it."""

from __future__ import annotations

import io
import json
from pathlib import Path

from markdown_it import MarkdownIt
from markdown_it.token import Token

from image_docs_audit.cli import main

CATEGORY = "Cat <!-- hidden @octocat #1 [x](javascript:alert(1)) \x1b[31mRED"
DOC = "notes\n## INJECTED <img src=x onerror=alert(2)>\n[click](javascript:alert(3)) @octocat.md"
COMPOSE_FOLDER = "svc\n## COMPOSE-INJ"
SECTIONS = (
    "Notes <img src=x onerror=alert(4)>",
    "# Ports [y](javascript:alert(5))",
    "Owner @octocat see #7 www.example.com",
    "<!-- x",
)
TEMPLATE_COMMENT = (
    "<!-- Starter doc from `image-docs-audit scaffold`: replace every TODO line. -->\n"
)

EXPECTED = (
    "# app-z\n"
    "\n" + TEMPLATE_COMMENT + "\n"
    "| Field | Value |\n"
    "|---|---|\n"
    "| Image | `example/app-z:1` |\n"
    "| Category | Cat \\<!-- hidden @&#8203;octocat #&#8203;1 \\[x\\](javascript:alert(1)) "
    "\\\\x1b\\[31mRED |\n"
    "| Source | `pull-images.sh:3` |\n"
    "\n"
    "## Notes \\<img src=x onerror=alert(4)\\>\n"
    "\n"
    "TODO: notes \\<img src=x onerror=alert(4)\\> of app-z.\n"
    "\n"
    "## \\# Ports \\[y\\](javascript:alert(5))\n"
    "\n"
    "- 8080/tcp (from svc ## COMPOSE-INJ/docker-compose.yml:5)\n"
    "- 9000/tcp (from docs/notes ## INJECTED \\<img src=x onerror=alert(2)\\> "
    "\\[click\\](javascript:alert(3)) @&#8203;octocat.md:4)\n"
    "\n"
    "## Owner @&#8203;octocat see #&#8203;7 www&#8203;.example.com\n"
    "\n"
    "TODO: owner @&#8203;octocat see #&#8203;7 www&#8203;.example.com of app-z.\n"
    "\n"
    "## \\<!-- x\n"
    "\n"
    "TODO: \\<!-- x of app-z.\n"
)


def run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(list(argv), stdout=out, stderr=err)
    return code, out.getvalue(), err.getvalue()


def hostile_repository(root: Path) -> Path:
    """A pull script whose category comment is markup, a doc whose name is markup and
    gives the image a port in a code block, a compose file in a folder whose name is a
    heading, and a config whose required sections are markup."""
    (root / "docs").mkdir(parents=True)
    (root / ".github").mkdir()
    (root / "pull-images.sh").write_text(
        f'IMAGES=(\n    # {CATEGORY}\n    "example/app-z:1"\n)\n'
        'for i in "${IMAGES[@]}"; do docker pull "$i"; done\n'
    )
    (root / "docs" / DOC).write_text(
        "# Notes\n\n```\ndocker run -p 9000:9000 example/app-z:1\n```\n"
    )
    compose = root / COMPOSE_FOLDER / "docker-compose.yml"
    compose.parent.mkdir()
    compose.write_text("services:\n  z:\n    image: example/app-z:1\n    ports:\n      - 8080:80\n")
    sections = "".join(f"  - {json.dumps(section)}\n" for section in SECTIONS)
    (root / ".github" / "image-docs-audit.yml").write_text(f"required-sections:\n{sections}")
    return root


def test_a_starter_doc_holds_hostile_values_as_literal_markdown(tmp_path: Path) -> None:
    root = hostile_repository(tmp_path / "repo")
    assert run("scaffold", "--root", str(root)) == (
        0,
        "wrote docs/app-z.md for example/app-z:1\n",
        "",
    )
    assert (root / "docs" / "app-z.md").read_text() == EXPECTED


def inline(tokens: list[Token]) -> list[Token]:
    return [child for token in tokens for child in (token.children or ())]


def test_a_hostile_starter_doc_renders_as_its_template_and_text_only(tmp_path: Path) -> None:
    """Rendered, it has the template's one HTML comment, its own headings and a table of
    two columns: no other HTML, no link, no heading of the repository's."""
    root = hostile_repository(tmp_path / "repo")
    assert run("scaffold", "--root", str(root))[0] == 0
    text = (root / "docs" / "app-z.md").read_text()
    tokens = MarkdownIt("commonmark", {"html": True}).enable("table").parse(text)
    assert [t.content for t in tokens if t.type == "html_block"] == [TEMPLATE_COMMENT]
    assert [t.type for t in inline(tokens) if t.type in ("html_inline", "link_open")] == []
    headings = [
        (t.tag, tokens[n + 1].content) for n, t in enumerate(tokens) if t.type == "heading_open"
    ]
    assert headings == [
        ("h1", "app-z"),
        ("h2", "Notes \\<img src=x onerror=alert(4)\\>"),
        ("h2", "\\# Ports \\[y\\](javascript:alert(5))"),
        ("h2", "Owner @&#8203;octocat see #&#8203;7 www&#8203;.example.com"),
        ("h2", "\\<!-- x"),
    ]
    cells: list[int] = []
    for token in tokens:
        if token.type == "tr_open":
            cells.append(0)
        elif token.type in ("th_open", "td_open"):
            cells[-1] += 1
    assert cells == [2, 2, 2, 2]
    shown = "".join(t.content for t in inline(tokens) if t.type == "text")
    # The values read as they are, a zero-width space in each mention and reference.
    assert "Cat <!-- hidden @\u200boctocat #\u200b1 [x](javascript:alert(1)) \\x1b[31mRED" in shown
    assert "\x1b" not in text


def test_a_starter_doc_still_documents_an_image_whose_name_is_escaped(tmp_path: Path) -> None:
    """`_` and `www.` are escaped in its title and text: its file name and its reference
    still make the doc the image's own."""
    root = tmp_path / "repo"
    (root / "docs").mkdir(parents=True)
    (root / "pull-images.sh").write_text(
        "docker pull example/www.example.com:1\ndocker pull example/my_app:1\n"
    )
    assert run("scaffold", "--root", str(root))[0] == 0
    assert (root / "docs" / "my_app.md").read_text().startswith("# my\\_app\n")
    assert (
        (root / "docs" / "www.example.com.md").read_text().startswith("# www&#8203;.example.com\n")
    )
    code, out, _ = run("audit", str(root), "--format", "json")
    images = json.loads(out)["images"]
    assert (code, [(i["ref"], i["status"], i["depth"]) for i in images]) == (
        0,
        [
            ("example/www.example.com:1", "documented", "dedicated"),
            ("example/my_app:1", "documented", "dedicated"),
        ],
    )
