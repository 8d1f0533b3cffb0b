"""The project's Dockerfile, built with buildah and run as the runner runs a container action.

No Docker engine here: buildah builds the real Dockerfile on a Debian base made with
debootstrap (`--build-arg BASE=...`, since Docker Hub cannot be reached), then `buildah run`
starts the image the way GitHub's runner starts a container action: the workspace, the
event payload, the file-command files and HOME mounted under /github and owned by the
runner's user (uid 1001) while the container runs as root, `--workdir /github/workspace`,
every input of action.yml as an `INPUT_<NAME>` variable with its hyphens kept, and
GITHUB_API_URL pointing at a fake GitHub in this process on 127.0.0.1.

`buildah run` does not run the image's ENTRYPOINT: the tests read it from the image's config
and run that command, so a wrong ENTRYPOINT fails them.

The measured image size and start-to-verdict times go to MEASURED.md beside this file.
"""

from __future__ import annotations

import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import buildah
import pytest
import yaml
from buildah import Container, Ran

from fakegithub import FakeGitHub
from gitrepo import Repo
from image_docs_audit import __version__

ROOT = Path(__file__).resolve().parents[2]  # the checkout: Dockerfile, action.yml
EVENTS = Path(__file__).resolve().parents[1] / "fixtures" / "github" / "events"
MEASURED = Path(__file__).resolve().parent / "MEASURED.md"
SAMPLE = ROOT / "src" / "image_docs_audit" / "sample"
TOKEN = "ghs_c0nta1nerT0kenThatMustNeverBePrinted"
REPOSITORY = "Codertocat/Hello-World"
RUNNER_UID = 1001  # the runner's user on GitHub's machines; the container runs as root
SCRIPT = "scripts/pull-images.sh"
BASE = {
    SCRIPT: "IMAGES=(\n  # Core\n  example/app-api:1\n  example/app-web:1\n)\n",
    "docs/app-api.md": "# app-api\n",
    "docs/app-web.md": "# app-web\n",
}
DELETE_DOC: dict[str, str | None] = {"docs/app-web.md": None}
ADD_DOCUMENTED: dict[str, str | None] = {
    SCRIPT: BASE[SCRIPT].replace(")\n", "  example/app-new:1\n)\n"),
    "docs/app-new.md": "# app-new\n",
}

pytestmark = pytest.mark.container

# Filled by the tests, written to MEASURED.md when the module ends with all of them.
measured: dict[str, str] = {}
MEASURES = (
    "buildah python base build size layers layer-table true demo action-fail action-pass "
    "action-sample apt-layer-table"
)
OWN_LAYERS_LIMIT = 20_000_000  # bytes: the budget for what the Dockerfile adds


@pytest.fixture(scope="module")
def entrypoint(tmp_path_factory: pytest.TempPathFactory) -> Iterator[list[str]]:
    """Build the base (once per machine) and the image; the image's ENTRYPOINT."""
    measured["buildah"] = buildah.ensure_tools().split(" (")[0].replace("version ", "")
    base_seconds, cached = buildah.ensure_base(tmp_path_factory.mktemp("base"))
    measured["base"] = f"{base_seconds:.0f} s" + (", cached from an earlier run" if cached else "")
    started = datetime.now(UTC)
    buildah.build_image(ROOT, buildah.pip_settings(), __version__)
    measured["build"] = f"{(datetime.now(UTC) - started).total_seconds():.0f} s"
    layers = buildah.layer_sizes(buildah.IMAGE)
    ours = layers[len(buildah.layer_sizes(buildah.BASE_IMAGE)) :]
    measured["size"] = f"{sum(layers) / 1e6:.1f} MB"
    measured["layers"] = f"{sum(layers[: -len(ours)]) / 1e6:.1f} MB base + {sum(ours) / 1e6:.1f} MB"
    measured["layer-table"] = layer_table(buildah.IMAGE, buildah.BASE)
    assert sum(ours) < OWN_LAYERS_LIMIT, measured["layer-table"]
    command = buildah.config(buildah.IMAGE).get("Entrypoint")
    assert isinstance(command, list)
    yield [str(part) for part in command]
    if all(key in measured for key in MEASURES.split()):
        MEASURED.write_text(_measured_markdown(), encoding="utf-8")


@pytest.fixture
def github() -> Iterator[FakeGitHub]:
    with FakeGitHub() as fake:
        fake.require_token = TOKEN  # any other token gets 401: a posted comment proves it passed
        yield fake


class Step:
    """One container-action step: the runner's folders, owned by its user, and its variables."""

    def __init__(self, root: Path, github: FakeGitHub) -> None:
        self.root = root
        self.github = github
        temp = root / "_temp"
        self.home = temp / "_github_home"
        self.workflow = temp / "_github_workflow"
        self.files = temp / "_runner_file_commands"
        for folder in (self.home, self.workflow, self.files):
            folder.mkdir(parents=True)
        step = uuid.uuid4()
        self.output = self.files / f"set_output_{step}"
        self.summary = self.files / f"step_summary_{step}"
        self.output.touch()  # the runner creates both before the step starts
        self.summary.touch()
        self.repo = Repo(root / "work" / "repo")
        self.env = {
            "HOME": "/github/home",
            "CI": "true",
            "GITHUB_ACTIONS": "true",
            "GITHUB_WORKSPACE": "/github/workspace",
            "GITHUB_EVENT_PATH": "/github/workflow/event.json",
            "GITHUB_OUTPUT": f"/github/file_commands/{self.output.name}",
            "GITHUB_STEP_SUMMARY": f"/github/file_commands/{self.summary.name}",
            "GITHUB_REPOSITORY": REPOSITORY,
            "GITHUB_API_URL": github.url,
            "GITHUB_SERVER_URL": "https://github.com",
            "RUNNER_OS": "Linux",
            **action_inputs(),
        }

    def event(self, name: str, fixture: str, base: str | None = None) -> dict[str, Any]:
        """A real payload from tests/fixtures/github, its shas pointed at this repository."""
        payload: dict[str, Any] = json.loads((EVENTS / fixture).read_text(encoding="utf-8"))
        head = self.repo.git("rev-parse", "HEAD")
        if "pull_request" in payload:
            assert base is not None
            payload["pull_request"]["base"]["sha"] = base
            payload["pull_request"]["head"]["sha"] = head
        (self.workflow / "event.json").write_text(json.dumps(payload), encoding="utf-8")
        self.env.update(GITHUB_EVENT_NAME=name, GITHUB_SHA=head)
        return payload

    def run(self, command: list[str]) -> Ran:
        # As on a runner: everything belongs to its user, not to the container's root.
        subprocess.run(["chown", "-R", f"{RUNNER_UID}:{RUNNER_UID}", self.root], check=True)
        volumes = {
            self.repo.root: "/github/workspace",
            self.home: "/github/home",
            self.workflow: "/github/workflow",
            self.files: "/github/file_commands",
        }
        with Container() as container:
            ran = container.run(command, env=self.env, volumes=volumes, workdir="/github/workspace")
        for text in (ran.stdout, ran.stderr, self.output_text(), self.summary_text()):
            assert TOKEN not in text
        return ran

    def output_text(self) -> str:
        return self.output.read_text(encoding="utf-8")

    def outputs(self) -> dict[str, str]:
        return dict(re.findall(r"^([a-z-]+)=(.*)$", self.output_text(), re.MULTILINE))

    def summary_text(self) -> str:
        return self.summary.read_text(encoding="utf-8")

    def report(self) -> dict[str, Any]:
        path = self.repo.root / "image-docs-audit-report.json"
        data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
        return data


def action_inputs() -> dict[str, str]:
    """Every input of action.yml as the runner passes it: its default, hyphens kept."""
    spec = yaml.safe_load((ROOT / "action.yml").read_text(encoding="utf-8"))
    env: dict[str, str] = {}
    for name, item in spec["inputs"].items():
        default = str(item.get("default", ""))
        env[f"INPUT_{name.upper()}"] = TOKEN if default == "${{ github.token }}" else default
    assert "INPUT_GITHUB-TOKEN" in env and "INPUT_FAIL-UNDER" in env
    return env


@pytest.fixture
def step(tmp_path: Path, github: FakeGitHub) -> Step:
    return Step(tmp_path, github)


def test_the_image_holds_the_action_and_nothing_that_built_it(entrypoint: list[str]) -> None:
    assert entrypoint == ["image-docs-audit", "action"]
    config = buildah.config(buildah.IMAGE)
    labels = config.get("Labels")
    assert isinstance(labels, dict)
    assert labels["org.opencontainers.image.version"] == __version__
    assert labels["org.opencontainers.image.licenses"] == "MIT"
    assert labels["org.opencontainers.image.source"].startswith("https://")
    assert labels["org.opencontainers.image.title"] == "image-docs-audit"
    assert labels["org.opencontainers.image.description"]
    env = dict(str(item).split("=", 1) for item in config.get("Env") or [])
    assert env["PATH"].startswith("/opt/venv/bin:")
    assert not any(name.startswith("PIP_") for name in env)
    assert env["PYTHONDONTWRITEBYTECODE"] == env["PYTHONUNBUFFERED"] == "1"
    # The build stage's pip settings stay there: not in the final image's config or history.
    everything = json.dumps(buildah.inspect(buildah.IMAGE))
    for name in ("PIP_INDEX_URL", "PIP_EXTRA_INDEX_URL", "PIP_FIND_LINKS", "PIP_CERT"):
        assert name not in everything
    script = (
        "for tool in gcc cc pip pip3; do command -v $tool >/dev/null && echo has-$tool; done;"
        "for path in /opt/venv/bin/pip /root/.cache/pip /wheels /src; do"
        " test -e $path && echo has-$path; done;"
        "python3 -m pip --version >/dev/null 2>&1 && echo has-pip-module;"
        "echo safe=$(git config --system --get-all safe.directory);"
        "git --version; python3 --version; image-docs-audit --version"
    )
    with Container() as container:
        ran = container.run(["sh", "-c", script])
    assert ran.code == 0, ran.stderr
    lines = ran.stdout.splitlines()
    assert [line for line in lines if line.startswith("has-")] == []
    assert "safe=*" in lines
    measured["python"] = next(line for line in lines if line.startswith("Python "))
    assert f"image-docs-audit {__version__} (compiled)" in lines  # setup.py's build
    assert any(line.startswith("git version ") for line in lines)


def test_a_pull_request_that_deletes_a_doc_fails_with_one_comment(
    entrypoint: list[str], step: Step, github: FakeGitHub
) -> None:
    base = step.repo.commit(BASE, "base")
    step.repo.commit(DELETE_DOC, "head")
    payload = step.event("pull_request", "pull_request.opened.json", base)
    # A hyphenated input that changes the verdict: it must reach the action as it is named.
    step.env["INPUT_FAIL-UNDER"] = "75"
    ran = step.run(entrypoint)
    measured["action-fail"] = f"{ran.seconds:.2f} s"
    assert ran.code == 1, ran.stdout + ran.stderr
    assert "Traceback" not in ran.stderr
    [comment] = github.comments(REPOSITORY, payload["number"])
    body = comment["body"]
    assert comment["user"]["login"] == "github-actions[bot]"
    assert body.startswith("<!-- image-docs-audit: sticky comment ")
    for word in ("Lost their docs", "`example/app-web:1`", "Below the threshold"):
        assert word in body
    assert f"::error file={SCRIPT},line=4," in ran.stdout
    outputs = step.outputs()
    assert outputs["verdict"] == "fail"
    assert (outputs["coverage"], outputs["base-coverage"]) == ("50.0", "100.0")
    assert outputs["comment-url"] == comment["html_url"]
    # The job summary is the same page without the comment's marker (and, on a big change,
    # with every row the comment leaves out).
    marker_line, page = body.split("\n", 1)
    assert marker_line.startswith("<!-- image-docs-audit: sticky comment ")
    assert step.summary_text() == page + ("" if page.endswith("\n") else "\n")
    report = step.report()  # written by root into the runner user's workspace
    assert report["verdict"] == "fail" and report["base"]["sha"] == base


def test_a_pull_request_that_adds_a_documented_image_passes(
    entrypoint: list[str], step: Step, github: FakeGitHub
) -> None:
    base = step.repo.commit(BASE, "base")
    step.repo.commit(ADD_DOCUMENTED, "head")
    payload = step.event("pull_request", "pull_request.opened.json", base)
    ran = step.run(entrypoint)
    measured["action-pass"] = f"{ran.seconds:.2f} s"
    assert ran.code == 0, ran.stdout + ran.stderr
    assert ran.stderr == ""
    outputs = step.outputs()
    assert (outputs["verdict"], outputs["coverage"], outputs["total"]) == ("pass", "100.0", "3")
    assert github.comments(REPOSITORY, payload["number"]) == []  # comment: auto, nothing to fix
    assert "## ✅" in step.summary_text()
    assert step.report()["verdict"] == "pass"


def test_the_sample_project_start_to_verdict(
    entrypoint: list[str], step: Step, github: FakeGitHub
) -> None:
    # workflow_dispatch: the full audit of the sample project shipped in the package.
    shutil.copytree(SAMPLE, step.repo.root, dirs_exist_ok=True)
    step.repo.commit({}, "sample")
    step.event("workflow_dispatch", "workflow_dispatch.json")
    ran = step.run(entrypoint)
    measured["action-sample"] = f"{ran.seconds:.2f} s"
    assert ran.code == 0, ran.stdout + ran.stderr
    assert step.outputs()["verdict"] == "pass"
    assert "redis:7-alpine" in step.summary_text()
    assert github.requests == []  # no pull request: GitHub is not called

    # `image-docs-audit demo` prints the same in the image as from this checkout, so the
    # wheel carries the sample and the templates; `true` is buildah's own start-up.
    host = subprocess.run(
        [sys.executable, "-m", "image_docs_audit", "demo"],
        capture_output=True,
        text=True,
        check=False,
    )
    with Container() as container:
        demo = [container.run(["image-docs-audit", "demo"]) for _ in range(3)]
        bare = [container.run(["true"]) for _ in range(3)]
    assert {(run.code, run.stdout) for run in demo} == {(host.returncode, host.stdout)}
    measured["demo"] = f"{statistics.median(run.seconds for run in demo):.2f} s"
    measured["true"] = f"{statistics.median(run.seconds for run in bare):.2f} s"


def test_on_a_base_without_git_the_dockerfile_adds_git_and_nothing_else(
    entrypoint: list[str], tmp_path_factory: pytest.TempPathFactory
) -> None:
    # python:3.12-slim has no git: the Dockerfile's apt step runs there, so it runs here too,
    # on a base that lacks git as that one does, and its cost is measured layer by layer.
    buildah.ensure_base(tmp_path_factory.mktemp("bare"), buildah.BARE_BASE)
    tag = "localhost/image-docs-audit:test-apt"
    buildah.build_image(ROOT, buildah.pip_settings(), __version__, buildah.BARE_BASE, tag)
    try:
        measured["apt-layer-table"] = layer_table(tag, buildah.BARE_BASE)
        # Without Perl, what the gate runs still works: a commit, rev-parse, ls-tree,
        # cat-file and a fetch; https transport loads all its libraries.
        git = " && ".join(
            (
                "cd /tmp && git init -q a && cd a",
                "git config user.email t@t && git config user.name t",
                "echo x > f && git add f && git commit -q -m c",
                "git rev-parse -q --verify HEAD >/dev/null",
                "git ls-tree -r HEAD >/dev/null",
                "echo HEAD | git cat-file --batch >/dev/null",
                "cd /tmp && git init -q b && cd b && git fetch -q /tmp/a HEAD",
                "! ldd /usr/lib/git-core/git-remote-https | grep -q 'not found'",
                "echo git;",
            )
        )
        script = (
            git + "for path in /usr/share/doc/git /usr/share/man/man1 /var/lib/apt/lists/partial"
            " /var/cache/apt/pkgcache.bin /usr/share/perl/*; do test -e $path && echo has-$path;"
            " done;"
            "image-docs-audit demo --format json"
        )
        with Container(tag) as container:
            ran = container.run(["sh", "-c", script])
        with Container() as container:
            same = container.run(["image-docs-audit", "demo", "--format", "json"])
    finally:
        buildah.sh(*buildah.BUILDAH, "rmi", tag, check=False)  # vfs: every layer is a copy
    assert ran.code == 0, ran.stderr
    assert ran.stdout == "git\n" + same.stdout  # the same results as on the base with git


def layer_table(image: str, base: buildah.Base) -> str:
    """A Markdown table: each layer of `image` above `base`, the instruction that made it and
    its size."""
    skip = len(buildah.layer_sizes(base.image))
    made = buildah.layers(image)
    rows = [
        f"| the base ({', '.join(base.packages)}) | {sum(n for _, n in made[:skip]) / 1e6:.1f} MB |"
    ]
    for step, size in made[skip:]:
        words = " ".join(step.split("/bin/sh -c ", 1)[-1].split())
        rows.append(f"| `{words[:70]}{'…' if len(words) > 70 else ''}` | {size / 1e6:.1f} MB |")
    return "| layer | size, uncompressed |\n|---|---|\n" + "\n".join(rows)


def _measured_markdown() -> str:
    m = measured
    return f"""# Measured by tests/container

Written by `tests/container/test_container.py` on every full run (do not edit by hand);
{datetime.now(UTC):%Y-%m-%d}, {platform.machine()}, {_cores()} cores, {m["buildah"]}
(vfs storage, chroot isolation), on the {buildah.SUITE} base the test makes with
debootstrap ({m["python"]}). Times are wall-clock seconds of one `buildah run`, from
the start of the container to its exit with the verdict; `true` is the start-up cost of
`buildah run` itself.

| what | measured |
|---|---|
| image size, uncompressed | {m["size"]} ({m["layers"]} of our own: venv, git config) |
| `buildah run ... true` | {m["true"]} |
| `image-docs-audit demo` (sample project, text report) | {m["demo"]} |
| action, workflow_dispatch audit of the sample project | {m["action-sample"]} |
| action, pull request that deletes a doc (fail, comment posted) | {m["action-fail"]} |
| action, pull request that adds a documented image (pass) | {m["action-pass"]} |
| base image: debootstrap and copy into buildah, once per machine | {m["base"]} |
| `buildah bud` of the Dockerfile on that base | {m["build"]} |

On GitHub the base is `python:3.12-slim`, to which the Dockerfile adds Debian's git: the
size differs by the base and git, our venv layer is the same; `docker run` has its own
start-up cost in place of buildah's.

## Layers

One layer per instruction, as Docker builds them (`buildah bud --layers`). On the base of
the tests, which has git:

{m["layer-table"]}

On a base without git, as `python:3.12-slim` is (the same Debian packages less git), the
Dockerfile installs git with apt:

{m["apt-layer-table"]}
"""


def _cores() -> int:
    return len(os.sched_getaffinity(0))
