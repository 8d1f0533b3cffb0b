"""Landing pages: a docs site's home page, a folder's index or README, a doc titled with
the project's own name. They describe the project or a folder, not an image: never an
orphan doc, while a doc about a retired image still is one."""

from __future__ import annotations

from pathlib import Path

import pytest

from gitrepo import Repo
from image_docs_audit.checking import run_check
from image_docs_audit.config import AuditSettings
from image_docs_audit.docs.subjects import LandingPages, home_page, project_name
from image_docs_audit.gitsource import GitTree
from image_docs_audit.worktree import WorkTree
from test_facts import SCRIPT, audit, project

ACME = ["ghcr.io/acme/acme-api:1.0", "ghcr.io/acme/acme-web:1.0", "ghcr.io/acme/acme-worker:1.0"]
SERVICE_DOCS = {
    "docs/services/acme-api.md": "# acme-api\n",
    "docs/services/acme-web.md": "# acme-web\n",
    "docs/services/acme-worker.md": "# acme-worker\n",
}


def orphans(root: Path, *extra: str) -> list[tuple[str, int, str, str | None]]:
    _, data = audit(root, *extra)
    return [(o["path"], o["line"], o["kind"], o["name"]) for o in data["orphan_docs"]]


def test_the_home_page_titled_with_the_project_name_is_no_orphan(tmp_path: Path) -> None:
    docs = {
        **SERVICE_DOCS,
        "docs/index.md": "# ACME Platform\n\nWelcome to the platform docs.\n",
        "docs/services/acme-billing.md": "# acme-billing\n\nInvoices.\n",
    }
    _, data = audit(project(tmp_path, ACME, docs))
    assert data["detected_prefix"] == "acme-"
    # The retired image's doc is still one, by its file name.
    assert orphans(tmp_path) == [
        ("docs/services/acme-billing.md", 0, "unknown_image", "acme-billing")
    ]


@pytest.mark.parametrize(
    "path", ["docs/index.md", "docs/README.md", "docs/Home.md", "docs/_index.md"]
)
def test_a_docs_folders_landing_page_is_never_an_orphan(tmp_path: Path, path: str) -> None:
    # Not even with a title that reads like a retired image's: it is the site's home page.
    docs = {**SERVICE_DOCS, path: "# acme-legacy\n\nWelcome.\n", "docs/notes.md": "# Retro\n"}
    assert orphans(project(tmp_path, ACME, docs)) == [("docs/notes.md", 0, "no_image", None)]


def test_a_folders_landing_page_is_an_orphan_only_by_a_retired_images_name(
    tmp_path: Path,
) -> None:
    docs = {
        **SERVICE_DOCS,
        "docs/runbooks/README.md": "# Runbooks\n\nHow we operate.\n",
        "docs/runbooks/_index.md": "Nothing here names an image.\n",
        "docs/acme-legacy/README.md": "# Legacy importer\n\nRetired.\n",
        "docs/acme-mailer/_index.md": "Retired too.\n",
        "docs/teams/index.md": "# acme-mailbox\n\nThe mailbox team.\n",
        "docs/runbooks/restart.md": "# Restarts\n",
    }
    assert orphans(project(tmp_path, ACME, docs)) == [
        ("docs/acme-legacy/README.md", 0, "unknown_image", "acme-legacy"),
        ("docs/acme-mailer/_index.md", 0, "unknown_image", "acme-mailer"),
        ("docs/runbooks/restart.md", 0, "no_image", None),
        ("docs/teams/index.md", 1, "unknown_image", "acme-mailbox"),
    ]


def test_a_doc_titled_with_the_project_name_is_a_landing_page(tmp_path: Path) -> None:
    docs = {
        **SERVICE_DOCS,
        "docs/platform.md": "# The ACME Platform\n\nWhat we run.\n",
        "docs/start.md": "---\ntitle: Acme stack documentation\n---\n\nHello.\n",
        "docs/acme.md": "# ACME\n",
        # More than the project's name: an image the inventory lacks, or no image at all.
        "docs/reports.md": "# ACME Platform Billing\n",
        "docs/other.md": "# Widgets\n",
    }
    assert orphans(project(tmp_path, ACME, docs)) == [
        ("docs/other.md", 0, "no_image", None),
        ("docs/reports.md", 1, "unknown_image", "acme-platform-billing"),
    ]


def test_the_home_page_of_each_configured_docs_folder(tmp_path: Path) -> None:
    docs = {
        **SERVICE_DOCS,
        "wiki/acme-guides/index.md": "# Guides\n",
        "wiki/acme-guides/setup.md": "# Setup\n",
        "README.md": "# acme-tools\n",
    }
    root = project(tmp_path, ACME, docs)
    # `wiki/acme-guides/index.md` is named after its folder, `acme-guides`: the home page of
    # that docs folder, no retired image; the root README is the home page of `.`.
    found = orphans(root, "--docs", "docs", "--docs", "wiki/acme-guides", "--docs", ".")
    assert found == [("wiki/acme-guides/setup.md", 0, "no_image", None)]
    # As the docs of `wiki` only, the folder's page names `acme-guides`, not an image.
    found = orphans(root, "--docs", "docs", "--docs", "wiki")
    assert found == [
        ("wiki/acme-guides/index.md", 0, "unknown_image", "acme-guides"),
        ("wiki/acme-guides/setup.md", 0, "no_image", None),
    ]


def test_a_check_never_counts_a_new_landing_page_as_a_new_orphan(tmp_path: Path) -> None:
    repo = Repo(tmp_path / "repo")
    script = "".join(f"docker pull {image}\n" for image in ACME)
    repo.commit({SCRIPT: script, **SERVICE_DOCS}, "base")
    repo.write(
        {
            "docs/index.md": "# ACME Platform\n",
            "docs/runbooks/README.md": "# Runbooks\n",
            "docs/overview.md": "# ACME stack\n",
            "docs/notes.md": "# Retro\n",
        }
    )
    with GitTree.open(repo.root, "HEAD") as base_tree:
        verdict = run_check(base_tree, WorkTree(repo.root), AuditSettings()).verdict
    assert verdict.orphans == ("docs/notes.md",)


def test_what_makes_a_landing_page() -> None:
    prefix = ("acme",)
    assert project_name(["acme"], prefix)
    assert project_name(["acme", "platform"], prefix)
    assert not project_name(["acme", "billing"], prefix)
    assert not project_name(["platform"], prefix)
    assert not project_name(["acme", "platform"], ())
    assert home_page("docs/index.md", ("./docs/",))
    assert home_page("README.md", (".",))
    assert not home_page("docs/services/index.md", ("docs",))
    assert not home_page("docs/acme-api.md", ("docs",))
    landing = LandingPages({"docs/a.md": "ACME Platform", "docs/b.md": None}, prefix)
    assert "docs/a.md" in landing
    assert "docs/b.md" not in landing
    assert "docs/x/README.markdown" in landing
    assert "docs/x/readme-old.md" not in landing


def test_the_project_name_is_no_alias_of_an_image_either(tmp_path: Path) -> None:
    images = ["ghcr.io/acme/acme-platform-api:1", *ACME[1:]]
    docs = {
        **SERVICE_DOCS,
        "docs/index.md": "# ACME Platform\n",
        "docs/overview.md": "# Overview\n\n## Acme platform\n",
        "docs/ops.md": "# Operations\n\n## Platform\n",
    }
    _, data = audit(project(tmp_path, images, docs))
    found = {image["name"]: image["alias_suggestions"] for image in data["images"]}
    # `Platform` alone may be the image renamed; the project's name is not.
    assert found["acme-platform-api"] == [
        {"alias": "platform", "path": "docs/ops.md", "line": 3, "kind": "heading"}
    ]
