"""A change cannot loosen the gate unnoticed, nor pass by removing what the gate looks at."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import pytest

from gitrepo import Repo
from image_docs_audit.cli import main
from image_docs_audit.github.action import SERVICES, Services, run_action
from image_docs_audit.github.client import GitHubClient
from image_docs_audit.github.settings import ActionSettings
from image_docs_audit.policy import POINTS_EXPECTED
from test_action import DELETE_DOC, REPOSITORY, Run, comments

CONFIG = ".github/image-docs-audit.yml"
SCRIPT = "pull-images.sh"
FOUR = "IMAGES=(\n  example/app-a:1\n  example/app-b:1\n  example/app-c:1\n  example/app-d:1\n)\n"
DOCS = {f"docs/app-{name}.md": f"# app-{name}\n" for name in "abcd"}


def cli(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    return main(list(argv), stdout=out, stderr=err), out.getvalue(), err.getvalue()


@pytest.fixture
def repo(tmp_path: Path) -> Repo:
    repo = Repo(tmp_path / "repo")
    repo.commit({SCRIPT: FOUR, CONFIG: "fail-under: 90\n", **DOCS}, "base")
    return repo


def check_change(repo: Repo) -> tuple[int, Any, str]:
    """`check` of the last commit against the one before, as JSON: exit code, data, stderr."""
    code, out, err = cli(
        "check", str(repo.root), "--base", "HEAD~1", "--head", "HEAD", "--format", "json"
    )
    return code, json.loads(out), err


def check_json(repo: Repo) -> tuple[int, dict[str, object]]:
    code, out, err = cli("check", str(repo.root), "--base", "HEAD", "--format", "json")
    assert err == ""
    return code, json.loads(out)


def test_hostile_lowering_fail_under_to_pass_fails(repo: Repo) -> None:
    repo.write({"docs/app-c.md": None, "docs/app-d.md": None, CONFIG: "fail-under: 10\n"})
    code, data = check_json(repo)
    assert (code, data["verdict"]) == (1, "fail")
    [loosened] = [r for r in data["regressions"] if r["kind"] == "policy_loosened"]  # type: ignore[attr-defined]
    assert loosened == {
        "kind": "policy_loosened",
        "image": None,
        "path": CONFIG,
        "line": None,
        "detail": "this change lowers fail-under from 90 to 10; under the base's policy the "
        "head fails: coverage 50.0% is below the threshold of 90%",
    }


def test_hostile_raising_max_drop_to_pass_fails(repo: Repo) -> None:
    repo.commit({CONFIG: "max-drop: 0\n"}, "no drop allowed")
    repo.write({CONFIG: "max-drop: 100%\nignore:\n  app-d: gone\n", "docs/app-c.md": None})
    code, data = check_json(repo)
    assert code == 1
    kinds = [r["kind"] for r in data["regressions"]]  # type: ignore[attr-defined]
    assert "policy_loosened" in kinds
    assert data["config_change"]["policy_changes"] == [  # type: ignore[index]
        "raises max-drop from 0 to 100",
        "adds ignore rules for app-d",
    ]


def test_a_loosening_the_head_does_not_need_is_shown_and_passes(repo: Repo) -> None:
    repo.write({CONFIG: "fail-under: 80%\n"})
    code, data = check_json(repo)
    assert (code, data["regressions"]) == (0, [])
    assert data["config_change"]["policy_changes"] == ["lowers fail-under from 90 to 80"]  # type: ignore[index]
    _, text, _ = cli("check", str(repo.root), "--base", "HEAD")
    assert (
        "warning: This change edits the config .github/image-docs-audit.yml: under the base's "
        "config the head would have 100.0% coverage and 0 regressions. This change lowers "
        "fail-under from 90 to 80.\n"
    ) in text


@pytest.mark.parametrize(
    ("value", "accepted"), [("80", True), ("80%", True), ("0.5 %", True), ("150", False)]
)
def test_one_syntax_for_the_policy_everywhere(repo: Repo, value: str, accepted: bool) -> None:
    repo.write({CONFIG: f"max-drop: '{value}'\n"})
    from_config = cli("check", str(repo.root), "--base", "HEAD")
    repo.write({CONFIG: ""})
    from_cli = cli("check", str(repo.root), "--base", "HEAD", "--max-drop", value)
    env = {
        "GITHUB_WORKSPACE": str(repo.root),
        "GITHUB_EVENT_NAME": "workflow_dispatch",
        "INPUT_MAX-DROP": value,
    }
    from_action = _action(env)
    codes = {from_config[0], from_cli[0], from_action[0]}
    if accepted:
        assert codes == {0}
        return
    assert codes == {2}
    assert (
        from_config[2]
        == f"image-docs-audit: {CONFIG}:1: 'max-drop' must be {POINTS_EXPECTED}, not '150'\n"
    )
    assert from_cli[2].startswith(
        f"image-docs-audit: argument --max-drop: '150' is not {POINTS_EXPECTED}"
    )
    assert from_action[2] == f"image-docs-audit: input 'max-drop': '150' is not {POINTS_EXPECTED}\n"


def _action(env: dict[str, str]) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    return main(["action"], stdout=out, stderr=err, env=env), out.getvalue(), err.getvalue()


def test_hostile_deleting_the_pull_script_is_a_regression(repo: Repo) -> None:
    repo.write({SCRIPT: None})
    code, data = check_json(repo)
    assert code == 1
    assert data["regressions"][0] == {  # type: ignore[index]
        "kind": "inventory_removed",
        "image": None,
        "path": SCRIPT,
        "line": None,
        "detail": "the change removes the whole inventory (4 images at base): "
        "pull-images.sh was deleted",
    }


def test_hostile_emptying_the_pull_script_is_a_regression(repo: Repo) -> None:
    repo.write({SCRIPT: "# nothing to pull any more\n"})
    code, data = check_json(repo)
    assert code == 1
    assert data["regressions"][0]["detail"] == (  # type: ignore[index]
        "the change removes the whole inventory (4 images at base): pull-images.sh lists no image"
    )


def test_an_empty_inventory_is_exit_2_for_audit(repo: Repo) -> None:
    repo.write({SCRIPT: "echo nothing\n"})
    assert cli("audit", str(repo.root)) == (
        2,
        "",
        "image-docs-audit: pull-scripts: no image found in pull-images.sh; check the pull script\n",
    )


def test_an_empty_inventory_says_the_first_warning_that_explains_it(repo: Repo) -> None:
    # The warnings would not be shown under the error: the first one goes with it.
    repo.write({SCRIPT: 'for i in $(curl -s "$URL"); do docker pull "$i"; done\ndocker pull $X\n'})
    assert cli("audit", str(repo.root)) == (
        2,
        "",
        "image-docs-audit: pull-scripts: no image found in pull-images.sh (it warns: "
        'pull-images.sh:1: cannot know the value of $(curl -s "$URL") without running the '
        "script; the image is not audited (set the variable in the script or list the image "
        "literally), and 1 more warning); check the pull script\n",
    )


def test_a_docs_folder_that_does_not_exist_is_exit_2(repo: Repo) -> None:
    assert cli("audit", str(repo.root), "--docs", "nodocs") == (
        2,
        "",
        "image-docs-audit: docs 'nodocs': the docs folder does not exist (Markdown is under "
        "docs/ (4 docs)); check --docs or 'docs' in the config\n",
    )
    (repo.root / "empty").mkdir()
    code, out, err = cli("audit", str(repo.root), "--docs", "empty", "--fail-under", "0")
    assert (code, err) == (0, "")
    assert "docs folder 'empty' holds no Markdown file" in out


def test_the_github_client_is_injected_so_no_test_sleeps(run: Run) -> None:
    run_ = run
    run_.github.fail("POST", r"/repos/.*/issues/2/comments", 429, headers={"Retry-After": "30"})
    run_.head(DELETE_DOC)
    run_.event("pull_request", "pull_request.opened.json")
    slept: list[float] = []

    def connect(settings: ActionSettings) -> GitHubClient:
        return GitHubClient(settings.token, settings.api_url, sleep=slept.append)

    out = io.StringIO()
    code = run_action(run_.env, out, Services(open_base=SERVICES.open_base, connect=connect))
    assert code == 1 and slept == [30.0]
    assert len(comments(run_.github)) == 1 and REPOSITORY in run_.env["GITHUB_REPOSITORY"]


FIVE = FOUR.replace(")\n", "  example/app-e:1\n)\n")
NEW_E = (
    "example/app-e:1 is new in the pull script and has no documentation; "
    "coverage fell from 100.0% to 80.0% (-20.0 points; none allowed)"
)
SECTIONS = "required-sections: [Ports, Dependencies]\n"


def full_doc(name: str, port: int) -> str:
    return f"# app-{name}\n\n## Ports\n\n- {port}\n\n## Dependencies\n\nnone\n"


FULL_DOCS = {f"docs/app-{name}.md": full_doc(name, 8081 + i) for i, name in enumerate("abcd")}


def loosened(data: dict[str, object]) -> str:
    """The one policy_loosened detail of a check."""
    [finding] = [r for r in data["regressions"] if r["kind"] == "policy_loosened"]  # type: ignore[attr-defined]
    assert (finding["path"], finding["line"]) == (CONFIG, None)
    return str(finding["detail"])


# Each row: the base's config, what the change writes, what it loosens, what it then hides.
LOOSENINGS = [
    pytest.param(
        SECTIONS + "min-completeness: 100\n",
        {
            SCRIPT: FIVE,
            "docs/app-e.md": "# app-e\n\n## Ports\n\n- 8099\n",
            CONFIG: SECTIONS + "min-completeness: 50\n",
        },
        "lowers min-completeness from 100 to 50",
        "example/app-e:1 has 50% of the required sections (min-completeness 100%); "
        "missing: Dependencies",
        id="min-completeness-lowered",
    ),
    pytest.param(
        SECTIONS + "min-completeness: 100\n",
        {SCRIPT: FIVE, "docs/app-e.md": "# app-e\n\n## Ports\n\n- 8099\n", CONFIG: ""},
        "removes min-completeness (was 100) and drops required sections Ports, Dependencies",
        "example/app-e:1 has 50% of the required sections (min-completeness 100%); "
        "missing: Dependencies",
        id="min-completeness-removed",
    ),
    pytest.param(
        "fail-on-port-conflict: true\n",
        {"docs/app-d.md": full_doc("d", 8081), CONFIG: "fail-on-port-conflict: false\n"},
        "turns fail-on-port-conflict off",
        "port 8081 is claimed by more than one image: example/app-a:1 (docs/app-a.md:5); "
        "example/app-d:1 (docs/app-d.md:5)",
        id="fail-on-port-conflict-off",
    ),
    pytest.param(
        "require: dedicated\n",
        {
            SCRIPT: FIVE,
            "docs/app-a.md": full_doc("a", 8081) + "\n## app-e\n\nIts notes.\n",
            CONFIG: "require: section\n",
        },
        "changes require from dedicated to section",
        NEW_E,
        id="require-dedicated-to-section",
    ),
    pytest.param(
        "",
        {
            SCRIPT: FIVE,
            "docs/app-a.md": full_doc("a", 8081) + "\n```\ndocker run example/app-e:1\n```\n",
            CONFIG: "count-mentioned: true\n",
        },
        "turns count-mentioned on",
        NEW_E,
        id="count-mentioned-on",
    ),
    pytest.param(
        "fail-under: 90\n",
        {SCRIPT: FIVE, CONFIG: "fail-under: 90\nignore:\n  app-e: later\n"},
        "adds ignore rules for app-e",
        f"{NEW_E}; coverage 80.0% is below the threshold of 90%",
        id="ignore-rule-added",
    ),
    pytest.param(
        "",
        {SCRIPT: FIVE, CONFIG: "documentation:\n  app-e: docs/app-a.md\n"},
        "adds documentation entries for app-e",
        NEW_E,
        id="documentation-entry-added",
    ),
    pytest.param(
        "",
        {SCRIPT: FIVE, CONFIG: "aliases:\n  app-e: [Dependencies]\n"},
        "adds aliases for app-e",
        NEW_E,
        id="alias-added",
    ),
    pytest.param(
        "strip-prefix: []\n",
        {
            SCRIPT: FOUR.replace(")", "  example/app-ledgerd:1\n)"),
            "docs/ledgerd.md": "# ledgerd\n\nNotes.\n",
            CONFIG: "strip-prefix: [app-]\n",
        },
        "changes strip-prefix from [] to [app-]",
        NEW_E.replace("app-e:1", "app-ledgerd:1"),
        id="strip-prefix-added",
    ),
    # Both sides are read with the head's config: a pull script or inventory file it stops
    # reading leaves the base too, so only the base's reading shows the image it adds.
    pytest.param(
        "pull-scripts: [pull-images.sh]\n",
        {SCRIPT: FIVE, "other.sh": FOUR, CONFIG: "pull-scripts: [other.sh]\n"},
        "stops reading pull scripts pull-images.sh",
        NEW_E,
        id="pull-script-dropped",
    ),
    pytest.param(
        "",
        {"tools/pull-images.sh": "docker pull example/app-e:1\n", CONFIG: "exclude: [tools]\n"},
        "excludes tools",
        NEW_E,
        id="pull-script-excluded",
    ),
    pytest.param(
        "inventory-mode: all\n",
        {
            "docker-compose.yml": "services:\n  e:\n    image: example/app-e:1\n",
            CONFIG: "inventory-mode: pull-scripts\n",
        },
        "changes inventory-mode from all to pull-scripts",
        NEW_E.replace("the pull script", "a compose file"),
        id="inventory-mode-narrowed",
    ),
]


@pytest.mark.parametrize(("base_config", "change", "named", "hidden"), LOOSENINGS)
def test_hostile_each_gate_loosening_is_named_and_fails(
    tmp_path: Path, base_config: str, change: dict[str, str | None], named: str, hidden: str
) -> None:
    repo = Repo(tmp_path / "repo")
    repo.commit({SCRIPT: FOUR, CONFIG: base_config, **FULL_DOCS}, "base")
    repo.commit(change, "head")
    code, data, err = check_change(repo)
    assert (code, err, data["verdict"]) == (1, "", "fail")
    assert data["config_change"]["policy_changes"] == named.split(" and ")
    assert (
        loosened(data) == f"this change {named}; under the base's policy the head fails: {hidden}"
    )
    # The only regression: without the loosening the head passes nothing else.
    assert [r["kind"] for r in data["regressions"]] == ["policy_loosened"]


def test_a_gate_loosening_the_head_does_not_need_is_named_and_passes(tmp_path: Path) -> None:
    repo = Repo(tmp_path / "repo")
    repo.commit({SCRIPT: FOUR, CONFIG: "require: dedicated\n", **FULL_DOCS}, "base")
    repo.commit({CONFIG: "count-mentioned: true\n"}, "head")
    code, out, err = cli("check", str(repo.root), "--base", "HEAD~1", "--head", "HEAD")
    assert (code, err) == (0, "")
    assert (
        "This change changes require from dedicated to section. This change turns "
        "count-mentioned on.\n"
    ) in out


def test_a_loosening_is_judged_apart_from_the_rest_of_the_config_edit(tmp_path: Path) -> None:
    """The change moves its docs (and says so in `docs:`) and loosens what it does not
    need: the move is not what the loosening is judged by."""
    repo = Repo(tmp_path / "repo")
    repo.commit({SCRIPT: FOUR, CONFIG: "", **FULL_DOCS}, "base")
    moved = {f"documentation/app-{n}.md": full_doc(n, 8081 + i) for i, n in enumerate("abcd")}
    gone = dict.fromkeys(FULL_DOCS)
    repo.commit({**gone, **moved, CONFIG: "docs: documentation\ncount-mentioned: true\n"}, "head")
    code, out, _ = cli(
        "check", str(repo.root), "--base", "HEAD~1", "--head", "HEAD", "--format", "json"
    )
    data = json.loads(out)
    assert (code, data["regressions"]) == (0, [])
    assert data["config_change"]["policy_changes"] == ["turns count-mentioned on"]


@pytest.mark.parametrize(
    "change",
    [
        # the script moves, and the config follows it
        {SCRIPT: None, "scripts/pull-images.sh": FOUR, CONFIG: "pull-scripts: [scripts/*.sh]\n"},
        # a folder of old docs is left out: no image is read from it
        {"docs/archive/old.md": "# app-a\n", CONFIG: "exclude: [docs/archive]\n"},
    ],
)
def test_an_edit_of_what_is_read_that_drops_no_image_is_no_loosening(
    tmp_path: Path, change: dict[str, str | None]
) -> None:
    repo = Repo(tmp_path / "repo")
    repo.commit({SCRIPT: FOUR, CONFIG: "", **FULL_DOCS}, "base")
    repo.commit(change, "head")
    code, data, err = check_change(repo)
    assert (code, err, data["regressions"]) == (0, "", [])
    assert data["config_change"]["policy_changes"] == []


# A change that deletes app-d's only doc and edits the config so that the base, read
# under the head's config, has no docs for app-d either: without the base's config, the
# loss would be "missing before this change".
_OTHERS = {k: v for k, v in FULL_DOCS.items() if k != "docs/app-d.md"}
_MOVED = {f"docs/current/{k.removeprefix('docs/')}": v for k, v in _OTHERS.items()}
HIDING_EDITS = [
    pytest.param(
        "",
        {},
        {"docs/app-d.md": None, CONFIG: 'exclude: ["docs/app-d.md"]\n'},
        "docs/app-d.md was deleted or moved out of the docs",
        id="exclude-the-deleted-doc",
    ),
    pytest.param(
        "",
        {},
        {**dict.fromkeys(FULL_DOCS), **_MOVED, CONFIG: "docs: [docs/current]\n"},
        "docs/app-d.md was deleted or moved out of the docs",
        id="docs-folder-narrowed",
    ),
    pytest.param(
        "",
        {"docs/app-d.md": None, "docs/storage.md": "# Storage report\n\n## app-d\n\nPort 5432.\n"},
        {"docs/storage.md": None, CONFIG: "require: dedicated\n"},
        "docs/storage.md:3 was deleted or moved out of the docs",
        id="require-dedicated",
    ),
    pytest.param(
        "aliases:\n  app-d: [primary store]\n",
        {"docs/app-d.md": None, "docs/primary-store.md": "# Primary store\n"},
        {"docs/primary-store.md": None, CONFIG: ""},
        "docs/primary-store.md was deleted or moved out of the docs",
        id="alias-dropped",
    ),
]


@pytest.mark.parametrize(("base_config", "base_docs", "change", "lost"), HIDING_EDITS)
def test_hostile_a_config_edit_cannot_hide_a_doc_the_change_deletes(
    tmp_path: Path,
    base_config: str,
    base_docs: dict[str, str | None],
    change: dict[str, str | None],
    lost: str,
) -> None:
    repo = Repo(tmp_path / "repo")
    docs = {path: text for path, text in {**FULL_DOCS, **base_docs}.items() if text is not None}
    repo.commit({SCRIPT: FOUR, CONFIG: base_config, **docs}, "base")
    repo.commit(change, "head")
    code, data, err = check_change(repo)
    assert (code, err, data["verdict"]) == (1, "", "fail")
    [finding] = [r for r in data["regressions"] if r["kind"] == "newly_missing"]
    assert finding == {
        "kind": "newly_missing",
        "image": "example/app-d:1",
        "path": SCRIPT,
        "line": 5,
        "detail": f"example/app-d:1 lost its documentation: {lost} (under the base's config:"
        " this change's config edit reads the base without its docs too)",
    }


def test_a_stricter_config_alone_fails_no_image_it_reads_anew(tmp_path: Path) -> None:
    """`require: dedicated` makes app-d (a section of another doc) missing at both sides:
    the change took no doc away, and nothing is lost under the base's config."""
    repo = Repo(tmp_path / "repo")
    storage = {"docs/storage.md": "# Storage\n\n## app-d\n\nPort 1.\n"}
    repo.commit({SCRIPT: FOUR, CONFIG: "", **_OTHERS, **storage}, "base")
    repo.commit({CONFIG: "require: dedicated\n"}, "head")
    code, data, err = check_change(repo)
    assert (code, err, data["regressions"]) == (0, "", [])
    assert data["config_change"]["regressions_under_base_config"] == 0


def test_hostile_images_a_change_adds_cannot_take_the_bases_short_names(tmp_path: Path) -> None:
    """app-db's only doc names it `db` (the prefix `app-` is detected in the base). The
    change adds three documented `lib-` images, as many as the `app-` ones, so no prefix
    is found in the head's names, and deletes app-db's doc: read with the head's names
    alone, the base had no doc for app-db either."""
    script = 'IMAGES=(\n  "example/app-api:1"\n  "example/app-web:1"\n  "example/app-db:1"\n)\n'
    docs = {"docs/app-api.md": "# App API\n", "docs/app-web.md": "# App Web\n"}
    repo = Repo(tmp_path / "repo")
    repo.commit({SCRIPT: script, **docs, "docs/step03-db-smoke-test.md": "# db\n\nok\n"}, "base")
    libs = "".join(f'  "example/lib-{n}:1"\n' for n in "xyz")
    lib_docs = {f"docs/lib-{n}.md": f"# lib-{n}\n" for n in "xyz"}
    grown = script.replace(")\n", libs + ")\n")
    repo.commit({SCRIPT: grown, "docs/step03-db-smoke-test.md": None, **lib_docs}, "head")
    code, data, err = check_change(repo)
    assert (code, err) == (1, "")
    assert [(r["kind"], r["image"]) for r in data["regressions"]] == [
        ("newly_missing", "example/app-db:1"),
        ("coverage_drop", None),
    ]
    assert data["base"]["summary"]["coverage"] == 100.0


def services(names: str) -> str:
    return "IMAGES=(\n" + "".join(f'  "example/svc-{n}:1"\n' for n in names) + ")\n"


def svc_docs(names: str) -> dict[str, str | None]:
    return {f"docs/svc-{n}.md": f"# svc-{n}\n\nreport\n" for n in names}


def test_hostile_images_added_cannot_turn_an_old_audit_into_evidence(tmp_path: Path) -> None:
    """An old audit's table names every image as missing docs: an index doc at base (it
    names all 6). The change deletes svc-a's doc and adds six documented images: the
    audit names 6 of 12, no index doc by itself any more, and its row would document
    svc-a."""
    table = "".join(f"| svc-{n} | missing docs |\n" for n in "abcdef")
    audit = f"# Container documentation audit\n\n| Image | Status |\n|---|---|\n{table}"
    repo = Repo(tmp_path / "repo")
    repo.commit({SCRIPT: services("abcdef"), **svc_docs("abcdef"), "docs/AUDIT.md": audit})
    more = "ghijkl"
    repo.commit({SCRIPT: services("abcdef" + more), "docs/svc-a.md": None, **svc_docs(more)})
    code, data, err = check_change(repo)
    assert (code, err) == (1, "")
    assert [(r["kind"], r["image"]) for r in data["regressions"]] == [
        ("newly_missing", "example/svc-a:1"),
        ("coverage_drop", None),
    ]
    [evidence] = [image["evidence"] for image in data["images"] if image["name"] == "svc-a"]
    assert evidence == [{"path": "docs/AUDIT.md", "line": 5, "kind": "index"}]


def test_an_image_retired_does_not_turn_a_composite_report_into_an_index(tmp_path: Path) -> None:
    """A composite report documents svc-a..j: 10 of 20 images, no index doc. Retiring svc-t
    leaves it naming 10 of 19, an index doc by itself: its images must not be said to have
    lost their docs."""
    sections = "".join(f"\n## svc-{n}\n\nruns fine\n" for n in "abcdefghij")
    repo = Repo(tmp_path / "repo")
    repo.commit(
        {
            SCRIPT: services("abcdefghijklmnopqrst"),
            **svc_docs("klmnopqrst"),
            "docs/composite.md": sections,
        }
    )
    repo.commit({SCRIPT: services("abcdefghijklmnopqrs"), "docs/svc-t.md": None})
    code, data, err = check_change(repo)
    assert (code, err) == (1, "")
    assert [r["kind"] for r in data["regressions"]] == ["coverage_drop"]  # svc-j was documented
    kinds = {image["name"]: [e["kind"] for e in image["evidence"]] for image in data["images"]}
    assert kinds["svc-a"] == ["index"]


INVISIBLE = [
    pytest.param("# Notes\n\n- <!-- app-e -->\n", id="list-item-of-a-comment"),
    pytest.param("# Notes\n\n## <!-- app-e -->\n", id="heading-of-a-comment"),
    pytest.param("# Notes\n\n- [see here](https://example.com/app-e)\n", id="link-destination"),
    pytest.param("# Notes\n\n- ![](app-e.png)\n", id="image-file"),
    pytest.param("# Notes\n\n- ![app-e](shot.png)\n", id="image-alt-text"),
    pytest.param('# Notes\n\n## Status <img alt="app-e" src="x.png">\n', id="tag-attribute"),
    pytest.param("# Notes\n\n| Image |\n|---|\n| <!-- app-e --> |\n", id="table-cell-comment"),
]


@pytest.mark.parametrize("doc", INVISIBLE)
def test_hostile_a_name_no_reader_sees_documents_nothing(tmp_path: Path, doc: str) -> None:
    repo = Repo(tmp_path / "repo")
    repo.commit({SCRIPT: FOUR, **DOCS}, "base")
    five = FOUR.replace(")\n", "  example/app-e:1\n)\n")
    repo.commit({SCRIPT: five, "docs/notes.md": doc}, "head")
    code, data, err = check_change(repo)
    assert (code, err) == (1, "")
    assert [(r["kind"], r["image"]) for r in data["regressions"]] == [
        ("new_undocumented", "example/app-e:1"),
        ("coverage_drop", None),
    ]
    [evidence] = [image["evidence"] for image in data["images"] if image["name"] == "app-e"]
    assert [e["kind"] for e in evidence] == ["body"]


@pytest.mark.parametrize(
    ("line", "kind"),
    [
        ("- [app-e](https://example.com/x)", "list"),  # the link's text is read
        ("- `<!-- app-e -->`", "list"),  # a code span shows the comment
        ("## app-e <!-- draft -->", "heading"),
        ("- x<y then app-e", "list"),  # no tag: `<y then` never closes
    ],
)
def test_a_name_a_reader_sees_beside_markup_documents(tmp_path: Path, line: str, kind: str) -> None:
    repo = Repo(tmp_path / "repo")
    repo.commit({SCRIPT: FOUR.replace(")\n", "  example/app-e:1\n)\n"), **DOCS})
    repo.write({"docs/notes.md": f"# Notes\n\n{line}\n"})
    code, out, err = cli("audit", str(repo.root), "--format", "json")
    [image] = [image for image in json.loads(out)["images"] if image["name"] == "app-e"]
    assert (code, err, image["status"], image["evidence"][0]["kind"]) == (0, "", "documented", kind)


def test_hostile_an_empty_doc_named_for_an_image_documents_nothing(tmp_path: Path) -> None:
    repo = Repo(tmp_path / "repo")
    repo.commit({SCRIPT: FOUR, **DOCS}, "base")
    five = FOUR.replace(")\n", "  example/app-e:1\n)\n")
    repo.commit({SCRIPT: five, "docs/app-e.md": "\n  \n"}, "head")
    code, data, err = check_change(repo)
    assert (code, err) == (1, "")
    assert ("new_undocumented", "example/app-e:1") in [
        (r["kind"], r["image"]) for r in data["regressions"]
    ]
    assert {
        "path": "docs/app-e.md",
        "line": 0,
        "message": "empty: the doc has no text, so its file name documents no image",
    } in data["warnings"]


def test_a_doc_in_a_folder_named_for_an_image_is_its_own(tmp_path: Path) -> None:
    """mkdocs keeps a folder per service: its pages (`build.md`, `smoke-test.md`) are the
    image's docs, as its README is; not where the file's own name names an image, nor in
    the top folder of the docs."""
    repo = Repo(tmp_path / "repo")
    repo.commit(
        {
            SCRIPT: FOUR,
            "docs/services/app-a/build.md": "# Build\n",
            "docs/services/app-a/app-b.md": "# B\n",
            "docs/app-c/notes.md": "# Notes\n",  # `docs/app-c/`: a folder of the docs
            "docs/app-d.md": "# app-d\n",
        }
    )
    code, out, err = cli("audit", str(repo.root), "--format", "json")
    assert (code, err) == (0, "")
    data = json.loads(out)
    evidence = {i["name"]: [(e["path"], e["kind"]) for e in i["evidence"]] for i in data["images"]}
    assert evidence == {
        "app-a": [("docs/services/app-a/build.md", "filename")],
        "app-b": [("docs/services/app-a/app-b.md", "filename")],
        "app-c": [("docs/app-c/notes.md", "filename")],
        "app-d": [("docs/app-d.md", "filename"), ("docs/app-d.md", "title")],
    }


def test_a_doc_moved_within_the_docs_folders_that_no_longer_names_its_image(
    tmp_path: Path,
) -> None:
    """A report moved into another folder and retitled (`docs/checks/smoke-test.md`, `#
    Smoke test`) lost its image: the fix says so, not that it left the docs folders."""
    body = "\nThe smoke test of the container: port 8080, health checks pass, logs clean.\n"
    repo = Repo(tmp_path / "repo")
    repo.commit({SCRIPT: FOUR, **DOCS, "docs/app-a.md": "# app-a\n" + body})
    moved = "docs/checks/smoke-test.md"
    repo.commit({"docs/app-a.md": None, moved: "# Smoke test\n" + body})
    code, out, err = cli(
        "check", str(repo.root), "--base", "HEAD~1", "--head", "HEAD", "--format", "markdown"
    )
    assert (code, err) == (1, "")
    rows = [line for line in out.splitlines() if line.startswith("| `example/app-a:1`")]
    assert rows[0].endswith(
        f"| moved to `{moved}`, which no longer names it: name `app-a` in its file name, "
        "title, a heading, a table row or a list item |"
    ), rows
