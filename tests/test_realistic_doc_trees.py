"""Doc trees in the shapes real projects have, audited without configuration.

Each test writes one tree (a pull script and a docs folder) and checks every image's
status and evidence, and the facts, against what a careful reader of the docs says.
"""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

from image_docs_audit.cli import main


def _write(root: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


def _audit(root: Path) -> dict[str, Any]:
    out, err = io.StringIO(), io.StringIO()
    assert main(["audit", str(root), "--format", "json"], stdout=out, stderr=err) == 0
    assert err.getvalue() == ""
    data: dict[str, Any] = json.loads(out.getvalue())
    return data


def _verdicts(data: dict[str, Any]) -> dict[str, tuple[str, list[tuple[str, int, str]]]]:
    """Image name -> (status, [(path, line, kind)...])."""
    return {
        image["name"]: (
            image["status"],
            [(e["path"], e["line"], e["kind"]) for e in image["evidence"]],
        )
        for image in data["images"]
    }


def _suggestions(data: dict[str, Any]) -> dict[str, list[str]]:
    return {
        image["name"]: [s["alias"] for s in image["alias_suggestions"]]
        for image in data["images"]
        if image["alias_suggestions"]
    }


CATALOG = {
    "scripts/pull-images.sh": "#!/usr/bin/env bash\n"
    + "".join(
        f"docker pull docker.io/northwind/nw-{name}:2024.05\n"
        for name in ("storefront", "checkout", "accounts", "media", "warehouse-api", "audit-log")
    ),
    "docs/README.md": """# Northwind services catalog

| Service | Image | Owner | Docs |
|---|---|---|---|
| Storefront | `nw-storefront` | web | [docs](services/storefront.md) |
| Checkout | `nw-checkout` | web | - |
| Accounts | `nw-accounts` | identity | - |
| Media | `nw-media` | web | - |
| Warehouse API | `nw-warehouse-api` | logistics | [docs](services/warehouse-api.md) |
| Audit log | `nw-audit-log` | security | - |
""",
    "docs/services/storefront.md": "# Storefront\n\nTalks to nw-checkout.\n",
    "docs/services/warehouse-api.md": """# Warehouse API

Stock per warehouse.

## Audit log

Every stock change is written to nw-audit-log.
""",
}


def test_a_services_catalog_is_an_index_and_a_heading_spelling_a_name_suggests_nothing(
    tmp_path: Path,
) -> None:
    _write(tmp_path, CATALOG)
    data = _audit(tmp_path)
    assert data["index_docs"] == ["docs/README.md"]
    assert _verdicts(data) == {
        "nw-storefront": (
            "documented",
            [("docs/services/storefront.md", 0, "filename"), ("docs/README.md", 5, "index")],
        ),
        "nw-checkout": (
            "mentioned",
            [("docs/services/storefront.md", 3, "body"), ("docs/README.md", 6, "index")],
        ),
        "nw-accounts": ("missing", [("docs/README.md", 7, "index")]),
        "nw-media": ("missing", [("docs/README.md", 8, "index")]),
        "nw-warehouse-api": (
            "documented",
            [
                ("docs/services/warehouse-api.md", 0, "filename"),
                ("docs/services/warehouse-api.md", 1, "title"),
                ("docs/README.md", 9, "index"),
            ],
        ),
        "nw-audit-log": (
            "mentioned",
            [("docs/services/warehouse-api.md", 7, "body"), ("docs/README.md", 10, "index")],
        ),
    }
    # `## Audit log` is the image's short name as written (a two-word short name counts in
    # file names and titles only): `log` is a report word, but `audit` is no rename.
    assert _suggestions(data) == {}
    assert data["orphan_docs"] == []


def test_a_heading_with_a_counter_still_suggests_the_name_without_it(tmp_path: Path) -> None:
    _write(
        tmp_path,
        {
            "scripts/pull-images.sh": "".join(
                f"docker pull example/acme-{name}:1\n"
                for name in ("api", "worker", "schema-engine-51")
            ),
            "docs/acme-api.md": "# API\n\n## Schema Engine 51\n\nCalls it.\n",
        },
    )
    assert _suggestions(_audit(tmp_path)) == {"acme-schema-engine-51": ["schema-engine"]}


WIKI = {
    "scripts/pull-images.sh": """#!/usr/bin/env bash
for img in kiwi-billing-service kiwi-ledger-api kiwi-mq-bridge \\
    kiwi-geo-ip kiwi-pdf-render kiwi-sso; do
  docker pull "registry.gitlab.com/kiwi/$img:stable"
done
""",
    "docs/wiki/Home.md": "Welcome to the **Kiwi** wiki! See [[Deploying with Docker]].\n",
    "docs/wiki/_Sidebar.md": """**Services**

* [[Billing Service|Billing-Service]]
* [[Ledger API|LedgerApi]]
* [[MQ bridge|MQBridge]]
* [[GeoIP]]
""",
    "docs/wiki/_Footer.md": "Maintained by the platform team.\n",
    "docs/wiki/_Header.md": "**Internal**: do not share.\n",
    "docs/wiki/Billing-Service.md": "The billing service charges customers monthly.\n",
    "docs/wiki/LedgerApi.md": "# Ledger API\n\nREST API over the ledger.\n",
    "docs/wiki/MQBridge.md": "Bridges RabbitMQ to Kafka.\n",
    "docs/wiki/GeoIP.md": "Looks up countries by IP.\n",
    "docs/wiki/PdfRenderer.md": "Renders invoices to PDF.\n",
    "docs/wiki/Deploying-with-Docker.md": "# Deploying with Docker\n\nStart `kiwi-sso` first.\n",
    "docs/wiki/Glossary.md": "# Glossary\n\nTerms we use.\n",
}


def test_a_github_wiki_export_its_sidebar_and_footer_are_no_orphans(tmp_path: Path) -> None:
    _write(tmp_path, WIKI)
    data = _audit(tmp_path)
    wiki = "docs/wiki/"
    assert _verdicts(data) == {
        "kiwi-billing-service": ("documented", [(wiki + "Billing-Service.md", 0, "filename")]),
        "kiwi-ledger-api": (
            "documented",
            [(wiki + "LedgerApi.md", 0, "filename"), (wiki + "LedgerApi.md", 1, "title")],
        ),
        "kiwi-mq-bridge": ("documented", [(wiki + "MQBridge.md", 0, "filename")]),
        "kiwi-geo-ip": ("documented", [(wiki + "GeoIP.md", 0, "filename")]),
        "kiwi-pdf-render": ("missing", []),
        "kiwi-sso": ("mentioned", [(wiki + "Deploying-with-Docker.md", 3, "body")]),
    }
    assert _suggestions(data) == {"kiwi-pdf-render": ["pdf-renderer"]}
    # The sidebar, footer and header frame every page of the wiki: they are no pages of their
    # own. The home page is the wiki's landing page; a glossary is a page that names no image.
    assert data["orphan_docs"] == [
        {"path": wiki + "Glossary.md", "line": 0, "kind": "no_image", "name": None}
    ]


DOCUSAURUS = {
    "scripts/pull-images.sh": "docker pull ghcr.io/acme/acme-api:1.2\n"
    "docker pull ghcr.io/acme/acme-worker:2.0\ndocker pull redis:7\n",
    # MDX: front matter, `import` lines, JSX elements around Markdown, a table.
    "docs/guides/acme-api.mdx": """---
title: Acme API
sidebar_position: 2
---

import Tabs from '@theme/Tabs';
import TabItem from '@theme/TabItem';

The `acme-api` image serves the public API on port 8080.

<Tabs>
  <TabItem value="docker" label="Docker">

```bash
docker run -p 8080:8080 ghcr.io/acme/acme-api:1.2
```

  </TabItem>
</Tabs>

## Depends on

| Image | Why |
|---|---|
| redis:7 | sessions |
""",
    "docs/intro.md": "# Intro\n\nStart with the API.\n",
}


def test_a_docusaurus_site_s_mdx_docs_are_read_as_markdown(tmp_path: Path) -> None:
    _write(tmp_path, DOCUSAURUS)
    data = _audit(tmp_path)
    page = "docs/guides/acme-api.mdx"
    assert data["docs"] == [page, "docs/intro.md"]
    assert _verdicts(data) == {
        "acme-api": (
            "documented",
            [(page, 0, "filename"), (page, 2, "title"), (page, 9, "body"), (page, 15, "code")],
        ),
        "acme-worker": ("missing", []),
        "redis": ("documented", [(page, 25, "reference")]),
    }
    ports = data["images"][0]["ports"]
    assert [(port["port"], port["path"], port["line"]) for port in ports] == [
        (8080, page, 9),
        (8080, page, 15),
    ]


HUGO = {
    "scripts/pull-images.sh": "docker pull ghcr.io/acme/acme-api:1.2\n",
    # Hugo's TOML front matter: its title is the page's, as a YAML one's is.
    "docs/services/api.md": """+++
date = 2024-05-01
title = "acme-api"
weight = 10
+++

Serves the public API.
""",
}


def test_a_hugo_page_s_toml_front_matter_title_is_its_title(tmp_path: Path) -> None:
    _write(tmp_path, HUGO)
    data = _audit(tmp_path)
    page = "docs/services/api.md"
    assert _verdicts(data) == {"acme-api": ("documented", [(page, 3, "title")])}
    assert data["orphan_docs"] == []


JEKYLL = {
    "scripts/pull-images.sh": "docker pull ghcr.io/acme/acme-api:1.2\n"
    "docker pull ghcr.io/acme/acme-worker:3.1\ndocker pull ghcr.io/acme/acme-billing:2\n",
    # Titles written as YAML block scalars, and a plain one below its key: the text on the
    # lines after `title:` is the title, not `>-` or `|`.
    "docs/services/deploy.md": """---
layout: page
title: >-
  ghcr.io/acme/acme-api:1.2
  deployment guide
nav_order: 2
---

Serves the public API.
""",
    "docs/services/jobs.md": """---
title: |
  Acme Worker
---

Runs the queue.
""",
    "docs/services/retired.md": """---
title:
  acme-ledger
---

Kept for the record.
""",
}


def test_a_front_matter_title_written_below_its_key_is_the_title(tmp_path: Path) -> None:
    _write(tmp_path, JEKYLL)
    data = _audit(tmp_path)
    api, jobs, retired = (f"docs/services/{name}.md" for name in ("deploy", "jobs", "retired"))
    assert _verdicts(data) == {
        "acme-api": ("documented", [(api, 4, "title")]),
        "acme-worker": ("documented", [(jobs, 3, "title")]),
        "acme-billing": ("missing", []),
    }
    assert [image["depth"] for image in data["images"]] == ["dedicated", "dedicated", None]
    # Its text is read from there too: `acme-ledger` is an image the inventory lacks.
    assert data["orphan_docs"] == [
        {"path": retired, "line": 3, "kind": "unknown_image", "name": "acme-ledger"}
    ]


HISTORIES = {
    "scripts/pull-images.sh": "docker pull ghcr.io/acme/acme-api:2.0\n"
    "docker pull ghcr.io/acme/acme-worker:3.1\ndocker pull redis:7\n",
    "docs/CHANGELOG.md": "# Changelog\n\n## 2.0\n\n"
    "- acme-api: bumped to ghcr.io/acme/acme-api:2.0 (was ghcr.io/acme/acme-api:1.9)\n"
    "- acme-worker: moved to 3.1\n",
    "docs/releases/v1.md": "# v1\n\n- Added redis:6\n",
    "docs/releases/v0.md": "# v0\n\nNothing shipped yet.\n",
    "docs/ReleaseNotes-2023.md": "# 2023\n\n| Image | Change |\n|---|---|\n| acme-worker | new |\n",
    "docs/services/acme-api.md": "# acme-api\n\nServes the API. Uses redis.\n",
}


def test_changelogs_and_release_notes_give_no_drift_and_no_orphan(tmp_path: Path) -> None:
    # They name images as they change, with the tags they had then: what they say of an
    # image counts (release notes are often a build's report), their old tags are no
    # drift, and one that names no image is no orphan.
    _write(tmp_path, HISTORIES)
    data = _audit(tmp_path)
    log, notes, v1 = "docs/CHANGELOG.md", "docs/ReleaseNotes-2023.md", "docs/releases/v1.md"
    api = "docs/services/acme-api.md"
    assert _verdicts(data) == {
        "acme-api": (
            "documented",
            [(log, 5, "list"), (log, 5, "reference"), (api, 0, "filename"), (api, 1, "title")],
        ),
        "acme-worker": ("documented", [(log, 6, "list"), (notes, 5, "table")]),
        "redis": ("documented", [(v1, 3, "list"), (api, 3, "body")]),
    }
    assert data["orphan_docs"] == []
    assert data["drift"] == []


def test_a_changelog_word_in_an_image_s_name_says_nothing(tmp_path: Path) -> None:
    # `news.md` is the `news` image's doc: its old tag is drift; `history.md` records changes.
    _write(
        tmp_path,
        {
            "scripts/pull-images.sh": "docker pull acme/news:2\ndocker pull acme/api:2\n",
            "docs/news.md": "# News\n\nThe feed runs acme/news:1.\n",
            "docs/history.md": "# History\n\nWe shipped acme/api:1.\n",
            "docs/CHANGES.md": "# Changes\n\nNothing yet.\n",
        },
    )
    data = _audit(tmp_path)
    assert [(d["cited"], d["path"]) for d in data["drift"]] == [("acme/news:1", "docs/news.md")]
    assert data["orphan_docs"] == []
