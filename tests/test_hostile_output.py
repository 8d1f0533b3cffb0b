"""What a hostile pull request cannot do to the action's output: push the comment past
GitHub's size limit, smuggle a link or a mention into it, hide annotations, or cut the
reason a run failed out of its job summary.

The pull requests are real commits run through `image-docs-audit action` against the fake
GitHub, so what is asserted is what GitHub would be sent.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from image_docs_audit.gate import Policy, decide
from image_docs_audit.github.poster import MAX_BODY, inert_body
from image_docs_audit.render import Target, render_check_markdown
from image_docs_audit.render.escape import md_cell
from test_action import REPOSITORY, SCRIPT, Run, comments
from test_comment_size import LINKS, MARKER, REFS, project

CONFIG = ".github/image-docs-audit.yml"
# GitHub refuses a comment body over this many characters.
GITHUB_COMMENT_LIMIT = 65_536


def posted_body(run: Run) -> str:
    """The one comment's body, checked to be what was rendered and within GitHub's limit."""
    [comment] = comments(run.github)
    body: str = comment["body"]
    assert len(body) <= 65_000
    assert body == (run.repo.root / "image-docs-audit-comment.md").read_text()
    return body


# The comment's size ---------------------------------------------------------------------


def test_498_long_ignore_rules_are_named_five_at_a_time(run: Run) -> None:
    run.base = run.repo.commit({CONFIG: "docs: [docs]\n"}, "config at base")
    rules = "".join(f"  app-web-{i:03d}-{'x' * 150}: not ours\n" for i in range(498))
    run.head({"docs/app-web.md": None, CONFIG: f"docs: [docs]\nignore:\n  app-web: x\n{rules}"})
    run.event("pull_request", "pull_request.opened.json")
    run.env["INPUT_COMMENT"] = "always"
    code, out, _ = run.run()
    assert code == 1 and "::warning" not in out
    body = posted_body(run)
    first = f"app-web-000-{'x' * 67}…"
    named = f"app-web, {first}, {first.replace('000', '001')}, {first.replace('000', '002')}, "
    named += f"{first.replace('000', '003')} and 494 more"
    assert (
        "> This change edits the config `.github/image-docs-audit.yml`: under the base's config "
        "the head would have 50.0% coverage and 2 regressions. This change adds ignore rules "
        f"for {named}.\n"
    ) in body
    assert f"- ❌ **Policy loosened**: this change adds ignore rules for {named}; under" in body
    report = json.loads((run.repo.root / "image-docs-audit-report.json").read_text())
    assert report["config_change"]["policy_changes"] == [f"adds ignore rules for {named}"]


def test_100_moved_folders_give_ten_sentences_and_a_count(run: Run) -> None:
    def folder(letter: str, i: int) -> str:
        return f"{letter * 240}{i:02d}"

    images = "".join(f"  example/app-s{i:02d}{k}:1\n" for i in range(100) for k in "ab")
    files: dict[str, str | None] = {SCRIPT: f"IMAGES=(\n  # Core\n{images})\n"}
    for i in range(100):
        for k in "ab":
            files[f"docs/{folder('o', i)}/app-s{i:02d}{k}.md"] = f"# app-s{i:02d}{k}\n"
    files.update({"docs/app-api.md": None, "docs/app-web.md": None})
    run.base = run.repo.commit(files, "base")
    for i in range(100):
        run.repo.git("mv", f"docs/{folder('o', i)}", folder("n", i))
    run.head({})
    run.event("pull_request", "pull_request.opened.json")
    code, out, _ = run.run()
    assert code == 1 and "::warning" not in out
    body = posted_body(run)
    moved = [line for line in body.splitlines() if line.startswith("📁 ")]
    old, new = f"`docs/{'o' * 74}…`", f"`{'n' * 79}…`"
    sentence = (
        f"📁 {old} moved to {new} (2 docs): update `docs:` in the config (or the docs input, "
        f"or --docs) to {new} and 2 images find their docs again."
    )
    assert moved == [sentence] * 10
    assert "\n_… and 90 more moved folders: the job summary names them all._\n" in body
    assert run.summary().count("\n📁 ") == 100


def test_30_categories_named_by_long_paths_are_clipped(run: Run) -> None:
    files: dict[str, str | None] = {CONFIG: "inventory-mode: all\n"}
    for i in range(30):
        deep = "/".join(f"{c * 240}{i:02d}" for c in "abcdefghij")
        files[f"build/{deep}/Dockerfile"] = f"FROM example/app-d{i:02d}:1\n"
    run.head(files)
    run.event("pull_request", "pull_request.opened.json")
    code, out, _ = run.run()
    assert code == 1 and "::warning" not in out
    rows = [line for line in posted_body(run).splitlines() if line.startswith("| build/")]
    assert rows == [f"| build/{'a' * 73}… | `░░░░░░░░░░` 0.0% | 0 of 1 | new |"] * 29


def test_a_page_whose_fixed_parts_pass_the_budget_is_cut_after_the_verdict() -> None:
    # No row budget can help: the parts before the rows alone pass 700 characters.
    verdict = decide(project(300, range(300)), project(300, range(100, 300)), Policy())
    comment = render_check_markdown(verdict, REFS, links=LINKS, marker=MARKER, budget=700)
    assert comment == (
        f"{MARKER}\n"
        "### ❌ Image docs: 100 images lost their docs and coverage fell 33.3 points\n"
        "\n"
        "**Coverage 100.0% → 66.7%** (-33.3 points) from base `main` (aaaaaaa) to head "
        "`feature/big` (bbbbbbb): 200 of 300 counted images documented.\n"
        "\n"
        "Dedicated docs: 66.7% (200 of 300 counted images have a doc of their own; 0 are "
        "documented in a section of another doc).\n"
        "\n"
        "| Category | Coverage | Documented | Change |\n"
        "|---|---|---:|---:|\n"
        "| Phase 1: Services 1 | `░░░░░░░░░░` 0.0% | 0 of 100 | -100.0 |\n"
        "| Phase 2: Services 2 | `██████████` 100.0% | 100 of 100 | ±0.0 |\n"
        "\n"
        "_… the rest of this comment was cut at GitHub's limit: the job summary has it._\n"
    )
    assert len(comment) <= 700


# Links and mentions ---------------------------------------------------------------------


def test_autolinks_are_broken_after_any_character() -> None:
    category = "Core _www.evil.com 1https://evil.com/a _https://evil.com/b éhttps://evil.com/c"
    assert md_cell(category) == (
        r"Core \_www&#8203;.evil.com 1https&#8203;://evil.com/a \_https&#8203;://evil.com/b "
        "éhttps&#8203;://evil.com/c"
    )
    # An address whose domain starts with a dot is linked too.
    assert md_cell("w@.tp and x@a.b") == "w@&#8203;.tp and x@&#8203;a.b"
    assert md_cell("redis@sha256:abc") == "redis@sha256:abc"  # no domain: nothing to break


# GitHub's autolinker (cmark-gfm) starts `www.` after `*_~(` or a blank, a scheme after any
# non-letter, and an address at a local part, `@` and a domain with a dot before an
# alphanumeric: none of these may survive unbroken in the escaped text.
_LIVE = re.compile(
    r"www\.|(?:https?|ftp):|[A-Za-z0-9.+_-]@[A-Za-z0-9_\\.-]*\.[A-Za-z0-9]"
    r"|(?<![A-Za-z0-9_])@(?!&#8203;)",
    re.IGNORECASE,
)
_PIECES = [
    "www.", "WWW.", "http://", "https://", "ftp://", "HTTPS:", "mailto:", "@", "a@b.com",
    "_", "*", "~", "(", "é", "1", "x", ".", "/", " ", "evil.com", ":", "&", "#", "\\", "w",
    "ww", "h", "tp", "s", "-",
]  # fmt: skip


@settings(max_examples=500, deadline=None)
@given(st.lists(st.sampled_from(_PIECES), max_size=12).map("".join))
def test_no_autolink_or_mention_survives_escaping(text: str) -> None:
    assert _LIVE.search(md_cell(text)) is None


def test_an_at_sign_both_rules_break_is_broken_once() -> None:
    """`-@octocat.md` is a mention after `-` and an address (`-@` then a dotted domain)."""
    assert md_cell("app-c7-@octocat.md") == "app-c7-@&#8203;octocat.md"
    assert md_cell("ops@example.com @x") == "ops@&#8203;example.com @&#8203;x"


def test_the_poster_breaks_mentions_written_as_character_references() -> None:
    body = inert_body("all good &#64;octocat &#x40;hubot &commat;mona @plain a@b __a__@x", "id")
    assert body.splitlines()[1] == (
        "all good @&#8203;octocat @&#8203;hubot @&#8203;mona @&#8203;plain a@b __a__@&#8203;x"
    )
    # What the check rendered is posted as it is.
    assert inert_body("@&#8203;octocat", "id").endswith("\n@&#8203;octocat")


def test_the_poster_breaks_issue_references_outside_code() -> None:
    """A reference in the posted body writes a note into the issue it names, in any
    repository: each is broken, however it is spelled; in what looks like a code span,
    by the zero-width space itself (Markdown shows no reference there), as the pairing of
    backticks here is no parser's: a span across a heading, or one in an HTML attribute,
    is text GitHub links."""
    zwsp = "\u200b"
    body = inert_body(
        "see #1, GH-2, torvalds/linux#3, &#35;4, &#x23;&#53;, #&#x36;, GH&#45;7, &num;8\n"
        "code `#9` and ``a ` #10`` stay; \\`#11` is no code; ` #12\n\n#13 ` is none\n\n"
        '`x\n# see #14\n`\n\n<span title="`">#15</span><span title="`"></span>\n\n'
        "see https://github.com/other/repo/issues/16 and https://github.com/o/r/blob/x/a.md",
        "id",
    )
    assert body.split("\n", 1)[1] == (
        "see #&#8203;1, GH-&#8203;2, torvalds/linux#&#8203;3, &#35;&#8203;4,"
        " &#x23;&#8203;&#53;, #&#8203;&#x36;, GH&#45;&#8203;7, &num;&#8203;8\n"
        f"code `#{zwsp}9` and ``a ` #{zwsp}10`` stay; \\`#&#8203;11` is no code; ` #&#8203;12\n\n"
        "#&#8203;13 ` is none\n\n"
        f'`x\n# see #{zwsp}14\n`\n\n<span title="`">#{zwsp}15</span><span title="`"></span>\n\n'
        f"see https://github{zwsp}.com/other/repo/issues/16 and https://github.com/o/r/blob/x/a.md"
    )


def test_the_poster_posts_the_checks_comment_as_it_was_rendered() -> None:
    """What the check renders has its references broken already (and `&#8203;` is no
    reference): the poster changes nothing in it but the marker."""
    rendered = (Path(__file__).parent / "golden" / "sample-fail.md").read_text()
    marker_line, text = rendered.split("\n", 1)
    assert inert_body(rendered, "0123456789ab") == f"{marker_line}\n{text}"


def test_the_poster_cuts_after_escaping(run: Run) -> None:
    event = {"action": "completed", "workflow_run": {"pull_requests": [{"number": 2}]}}
    (run.files / "event.json").write_text(json.dumps(event))
    (run.files / "comment.md").write_text("@a " * 20_000)
    run.env.update(
        GITHUB_EVENT_NAME="workflow_run",
        GITHUB_EVENT_PATH=str(run.files / "event.json"),
        **{"INPUT_MODE": "comment", "INPUT_COMMENT-BODY-FILE": str(run.files / "comment.md")},
    )
    code, out, _ = run.run()
    assert code == 0 and "::warning" not in out
    [comment] = comments(run.github)
    body = comment["body"]
    text = body.split("\n", 1)[1]
    assert len(body) <= GITHUB_COMMENT_LIMIT
    # 60,000 characters of `@&#8203;a ` (10 each), then the note.
    assert text == "@&#8203;a " * (MAX_BODY // 10) + (
        "\n\n_… the comment was cut; see the job summary of the check._\n"
    )


# Annotations and the job summary ---------------------------------------------------------


def test_the_note_on_hidden_annotations_and_the_token_hint_are_among_the_ten_shown(
    run: Run,
) -> None:
    images = [f"example/app-s{i:02d}:1" for i in range(3)]
    files = {SCRIPT: "IMAGES=(\n  # Core\n" + "".join(f"  {x}\n" for x in images) + ")\n"}
    files |= {f"docs/app-s{i:02d}.md": f"# app-s{i:02d}\n" for i in range(3)}
    run.base = run.repo.commit(files, "base")
    orphans: dict[str, str | None] = {f"docs/notes-{i:02d}.md": "# notes\n" for i in range(60)}
    run.head({"docs/app-s00.md": None, **orphans})
    run.event("pull_request", "pull_request.opened.json")
    message = {"message": "Resource not accessible by integration"}
    run.github.fail("POST", r"/repos/.*/issues/2/comments", 403, body=message, times=5)
    code, out, _ = run.run()
    assert code == 1
    warnings = [line for line in out.splitlines() if line.startswith("::warning")]
    assert len(warnings) == 10
    assert warnings[7] == (
        "::warning file=docs/notes-07.md::docs/notes-07.md names no image of the pull scripts"
    )
    assert warnings[8] == (
        "::warning title=image-docs-audit::52 more orphan docs not shown as annotations "
        "(GitHub shows 10 of each kind); see the job summary"
    )
    assert warnings[9].startswith(
        "::warning title=image-docs-audit::the token cannot write pull-request comments"
    )


def test_a_cut_audit_summary_still_says_why_the_run_failed(run: Run) -> None:
    # Earlier steps wrote nearly 1 MiB: this step's summary has a few hundred bytes left.
    summary = run.files / "summary"
    summary.write_text("x\n" * ((1024 * 1024 - 1_000) // 2))
    run.event("workflow_dispatch", "workflow_dispatch.json")
    run.env["INPUT_INDEX-CHECK"] = "docs/IMAGES.md"
    code, out, _ = run.run()
    assert code == 1 and "::notice::the job summary was cut at 1 MiB\n" in out
    text = summary.read_text()
    assert len(text.encode()) <= 1024 * 1024
    assert text.endswith(
        "\n_The summary was cut at 1 MiB; see the JSON report for everything._\n"
        "\n> [!CAUTION]\n> docs/IMAGES.md does not exist; refresh it with: image-docs-audit "
        "index --write docs/IMAGES.md\n"
    )


def test_ports_in_the_audit_summary_link_to_their_line_absolutely(run: Run) -> None:
    doc = "# app-api\n\n| Service | Port |\n|---|---|\n| x | 8080 |\n"
    sha = run.head({"docs/app-api.md": doc})
    run.event("workflow_dispatch", "workflow_dispatch.json")
    code, _, _ = run.run()
    assert code == 0
    blob = f"https://github.com/{REPOSITORY}/blob/{sha}/docs/app-api.md"
    [row] = [line for line in run.summary().splitlines() if line.startswith("| example/app-api")]
    assert row.startswith(f"| example/app-api:1 | dedicated | [8080]({blob}#L5) | ")


def test_no_budget_is_passed_and_the_verdict_is_kept_whatever_the_budget() -> None:
    verdict = decide(project(300, range(300)), project(300, range(100, 300)), Policy())
    headline = "### ❌ Image docs: 100 images lost their docs and coverage fell 33.3 points\n"
    for budget in (300, 700, 1_200, 2_000, 5_000, 20_000):
        comment = render_check_markdown(verdict, REFS, links=LINKS, marker=MARKER, budget=budget)
        assert len(comment) <= budget and comment.startswith(f"{MARKER}\n{headline}")
        # A fold the cut leaves open is closed before the note.
        assert comment.count("<details>") == comment.count("</details>")
        summary = render_check_markdown(
            verdict, REFS, links=LINKS, target=Target.SUMMARY, budget=budget
        )
        assert len(summary.encode()) <= budget and summary.startswith(headline)
