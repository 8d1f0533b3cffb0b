"""buildah and debootstrap for the container tests: no Docker engine, no Docker Hub.

The machine's own Debian archive gives a base image (debootstrap, built once per machine
and cached in buildah's storage), buildah builds the project's real Dockerfile on it, and
`buildah run` runs the image as the runner runs a container action. Every call uses the
vfs storage driver and chroot isolation, which need root but no kernel overlay, user
namespaces or daemon.

Nothing here names a package host: the Debian mirror is read from the machine's apt
sources, and pip's index settings from `pip config list`, when the test runs.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shlex
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

BUILDAH = ("buildah", "--storage-driver", "vfs")
ISOLATION = ("--isolation", "chroot")
TOOLS = ("buildah", "debootstrap")


def _codename() -> str:
    """The machine's own release (bookworm here; noble on GitHub's Ubuntu runners): its
    archive is the one the apt sources name, and debootstrap knows how to build it."""
    os_release = Path("/etc/os-release")
    text = os_release.read_text(encoding="utf-8") if os_release.is_file() else ""
    match = re.search(r"^VERSION_CODENAME=\"?([a-z]+)", text, re.MULTILINE)
    return match[1] if match else "bookworm"


SUITE = _codename()
# No python3-pip: the Dockerfile runs pip from a venv (Debian's own pip refuses to touch
# the system, PEP 668), and a base without it shows the Dockerfile needs none.
PACKAGES = ("python3", "python3-venv", "git", "ca-certificates")
IMAGE = "localhost/image-docs-audit:test"


@dataclass(frozen=True)
class Base:
    """A Debian base image made with debootstrap: its name and the packages it holds."""

    image: str
    packages: tuple[str, ...]

    @property
    def recipe(self) -> str:
        """A changed recipe gets a new base; the label also keeps the cold build's time."""
        text = f"{SUITE} minbase {' '.join(self.packages)} trim-1"
        return hashlib.sha256(text.encode()).hexdigest()[:16]


BASE = Base(f"localhost/image-docs-audit-base:{SUITE}", PACKAGES)
BASE_IMAGE = BASE.image
# As python:3.12-slim is: Python and no git, so the Dockerfile installs git with apt.
BARE_BASE = Base(
    f"localhost/image-docs-audit-base-nogit:{SUITE}",
    tuple(package for package in PACKAGES if package != "git"),
)
RECIPE_LABEL = "image-docs-audit.base-recipe"
SECONDS_LABEL = "image-docs-audit.base-build-seconds"
CA_BUNDLE = Path("/etc/ssl/certs/ca-certificates.crt")
PIP_KEYS = ("index-url", "extra-index-url", "trusted-host", "find-links", "cert", "default-timeout")
# What a slim image leaves out too: the .debs debootstrap kept, apt lists, docs.
TRIM = (
    "var/cache/apt/archives",
    "var/lib/apt/lists",
    *(f"usr/share/{d}" for d in ("doc", "man", "info", "locale")),
)


def sh(
    *args: str | Path, timeout: float = 600, check: bool = True
) -> subprocess.CompletedProcess[str]:
    """Run a command; on failure, fail the test with the command and what it printed."""
    argv = [str(arg) for arg in args]
    try:
        done = subprocess.run(argv, capture_output=True, text=True, timeout=timeout, check=False)
    except FileNotFoundError:
        pytest.fail(f"{argv[0]} is not installed: cannot run {shlex.join(argv)}", pytrace=False)
    except subprocess.TimeoutExpired:
        pytest.fail(f"{shlex.join(argv)} ran longer than {timeout:.0f} s", pytrace=False)
    if check and done.returncode != 0:
        output = (done.stdout + done.stderr)[-4000:]
        pytest.fail(f"{shlex.join(argv)} exited {done.returncode}:\n{output}", pytrace=False)
    return done


# ---- tools ----


def ensure_tools() -> str:
    """Install buildah and debootstrap when missing, check buildah runs; its version."""
    if os.geteuid() != 0:
        pytest.fail(
            "the container tests need root: debootstrap, buildah's chroot isolation with vfs "
            "storage, and a workspace owned by another uid all do (run .ci/run as root)",
            pytrace=False,
        )
    missing = [tool for tool in TOOLS if shutil.which(tool) is None]
    if missing:
        env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
        for argv in (
            ["apt-get", "update", "-q"],
            ["apt-get", "install", "-y", "-q", "--no-install-recommends", *TOOLS],
        ):
            done = subprocess.run(argv, capture_output=True, text=True, env=env, check=False)
            if done.returncode != 0:
                pytest.fail(
                    f"{' '.join(missing)} missing and `{shlex.join(argv)}` failed "
                    f"({done.returncode}):\n{done.stderr[-3000:]}",
                    pytrace=False,
                )
    probe = subprocess.run([*BUILDAH, "images"], capture_output=True, text=True, check=False)
    if probe.returncode != 0:
        pytest.fail(
            "buildah cannot run on this machine (`buildah --storage-driver vfs images` exited "
            f"{probe.returncode}):\n{probe.stderr[-3000:]}",
            pytrace=False,
        )
    return sh("buildah", "--version").stdout.strip()


# ---- the Debian mirror, from the machine's apt sources ----


def _sources() -> Iterator[tuple[list[str], list[str]]]:
    """(URIs, suites) of every `deb` source: deb822 files, then one-line lists."""
    for path in sorted(Path("/etc/apt/sources.list.d").glob("*.sources")):
        for stanza in re.split(r"\n\s*\n", path.read_text(encoding="utf-8")):
            fields: dict[str, str] = {}
            for line in stanza.splitlines():
                if line and not line.startswith("#") and ":" in line:
                    key, _, value = line.partition(":")
                    fields[key.strip().lower()] = value.strip()
            if "deb" in fields.get("types", "").split() and fields.get("enabled") != "no":
                yield fields.get("uris", "").split(), fields.get("suites", "").split()
    lists = [Path("/etc/apt/sources.list"), *sorted(Path("/etc/apt/sources.list.d").glob("*.list"))]
    for path in lists:
        if not path.is_file():
            continue
        for line in path.read_text(encoding="utf-8").splitlines():
            words = re.sub(r"\[[^]]*\]", " ", line.split("#", 1)[0]).split()
            if len(words) >= 3 and words[0] == "deb":
                yield [words[1]], [words[2]]


def debian_mirror() -> str:
    """The archive the machine installs from: the one serving SUITE, else any main one."""
    found = list(_sources())
    for uris, suites in found:
        if SUITE in suites and uris:
            return uris[0]
    for uris, suites in found:
        if uris and not any(re.search(r"-(security|updates|backports)$", s) for s in suites):
            return uris[0]
    pytest.fail("no Debian archive in /etc/apt/sources.list{,.d}: debootstrap needs one")


# ---- pip's settings, passed to the build stage ----


@dataclass(frozen=True)
class PipSettings:
    build_args: dict[str, str]  # PIP_* for the Dockerfile's ARGs
    mounts: tuple[Path, ...]  # local folders and files those settings name, mounted read-only


def _pip_config() -> dict[str, str]:
    """pip's effective global settings: `:env:` (PIP_* variables) over files' [global]."""
    done = sh(sys.executable, "-m", "pip", "config", "list", check=False)
    if done.returncode != 0:  # no pip beside this Python: pip's defaults, nothing to pass
        return {}
    found: dict[str, dict[str, str]] = {"global": {}, ":env:": {}}
    for line in done.stdout.splitlines():
        match = re.fullmatch(r"(?P<section>[^.]*)\.(?P<key>[a-z-]+)='(?P<value>.*)'", line)
        if match and match["section"] in found and match["key"] in PIP_KEYS:
            found[match["section"]][match["key"]] = match["value"]
    return {**found["global"], **found[":env:"]}


def _local(entry: str) -> Path | None:
    """The local path an index or find-links entry names, None for a remote one."""
    if entry.startswith("file:"):
        return Path(unquote(urlsplit(entry).path))
    return None if "://" in entry else Path(entry)


def pip_settings() -> PipSettings:
    build_args: dict[str, str] = {}
    mounts: set[Path] = set()
    for key, value in _pip_config().items():
        kept: list[str] = []
        for entry in value.split() if key != "cert" else [value]:
            path = _local(entry) if key in ("index-url", "extra-index-url", "find-links") else None
            if key == "cert":
                path = Path(entry)
            if path is None:
                kept.append(entry)
            elif path.exists():
                kept.append(entry)
                # A simple index links its files as ../../files/...: mount the index's parent.
                local = path.parent if path.name == "simple" and "index" in key else path
                mounts.add(local)
        if kept:
            build_args["PIP_" + key.upper().replace("-", "_")] = " ".join(kept)
    if CA_BUNDLE.is_file():
        mounts.add(CA_BUNDLE)
    return PipSettings(build_args, tuple(sorted(mounts)))


# ---- images ----


def image_id(name: str) -> str | None:
    done = sh(
        *BUILDAH, "images", "--noheading", "--no-trunc", "--format", "{{.ID}}", name, check=False
    )
    return done.stdout.split()[0] if done.returncode == 0 and done.stdout.strip() else None


def inspect(name: str) -> dict[str, object]:
    data: dict[str, object] = json.loads(sh(*BUILDAH, "inspect", "--type", "image", name).stdout)
    return data


def config(name: str) -> dict[str, object]:
    oci = inspect(name)["OCIv1"]
    assert isinstance(oci, dict)
    return dict(oci.get("config") or {})


def layer_sizes(name: str) -> list[int]:
    """Bytes of each layer, uncompressed, base first."""
    manifest = json.loads(str(inspect(name)["Manifest"]))
    return [int(layer["size"]) for layer in manifest["layers"]]


def layers(name: str) -> list[tuple[str, int]]:
    """(the instruction that made it, bytes uncompressed) of each layer, base first."""
    oci = inspect(name)["OCIv1"]
    assert isinstance(oci, dict)
    made = [
        str(step.get("created_by", "")) for step in oci["history"] if not step.get("empty_layer")
    ]
    sizes = layer_sizes(name)
    assert len(made) == len(sizes), (made, sizes)
    return list(zip(made, sizes, strict=True))


def ensure_base(workdir: Path, base: Base = BASE) -> tuple[float, bool]:
    """The Debian base image: (seconds its build took, whether it was cached)."""
    if image_id(base.image):
        labels = config(base.image).get("Labels") or {}
        assert isinstance(labels, dict)
        if labels.get(RECIPE_LABEL) == base.recipe:
            return float(labels.get(SECONDS_LABEL, "nan")), True
        sh(*BUILDAH, "rmi", "-f", base.image)
    started = time.perf_counter()
    rootfs = workdir / "rootfs"
    try:
        sh(
            "debootstrap",
            "--variant=minbase",
            f"--include={','.join(base.packages)}",
            SUITE,
            rootfs,
            debian_mirror(),
            timeout=1200,
        )
        for folder in TRIM:
            for child in (rootfs / folder).glob("*"):
                _remove(child)
        python = rootfs / "usr/bin/python"
        if not python.exists():
            python.symlink_to("python3")  # as python:3.12-slim has it
        _commit_rootfs(rootfs, started, base)
    finally:
        shutil.rmtree(rootfs, ignore_errors=True)
    return time.perf_counter() - started, False


def _remove(path: Path) -> None:
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path)
    else:
        path.unlink()


def _commit_rootfs(rootfs: Path, started: float, base: Base) -> None:
    container = sh(*BUILDAH, "from", "scratch").stdout.strip()
    try:
        mountpoint = sh(*BUILDAH, "mount", container).stdout.strip()
        sh("cp", "-a", f"{rootfs}/.", mountpoint)  # keeps owners, modes and links
        sh(*BUILDAH, "umount", container)
        seconds = time.perf_counter() - started
        settings = {
            "--env": "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
            "--cmd": "/bin/bash",
            "--label": f"{RECIPE_LABEL}={base.recipe}",
        }
        flags = [word for pair in settings.items() for word in pair]
        seconds_label = f"{SECONDS_LABEL}={seconds:.0f}"
        sh(*BUILDAH, "config", *flags, "--env", "LANG=C.UTF-8", "--label", seconds_label, container)
        sh(*BUILDAH, "commit", "-q", container, base.image, timeout=900)
    finally:
        sh(*BUILDAH, "rm", container, check=False)


def build_image(
    context: Path, pip: PipSettings, version: str, base: Base = BASE, tag: str = IMAGE
) -> str:
    """`buildah bud` the project's Dockerfile on a Debian base; the build's log.

    One layer per instruction, as Docker makes them, so each can be measured; no cache,
    so the build's time is a cold build's.
    """
    previous = image_id(tag)
    argv: list[str | Path] = [*BUILDAH, "bud", *ISOLATION, "--layers", "--no-cache"]
    argv += ["--build-arg", f"BASE={base.image}", "--build-arg", f"VERSION={version}"]
    for name, value in pip.build_args.items():
        argv += ["--build-arg", f"{name}={value}"]
    for path in pip.mounts:
        argv += ["-v", f"{path}:{path}:ro"]
    argv += ["-t", tag, "-f", context / "Dockerfile", context]
    log = sh(*argv, timeout=1200).stdout
    if previous and previous != image_id(tag):
        sh(*BUILDAH, "rmi", previous, check=False)  # vfs copies every layer: free the old one
    # The builder stage's images are left untagged (`--layers`): about 800 MB a build
    # with vfs, which filled a CI machine's disk after some eighty builds.
    sh(*BUILDAH, "rmi", "--prune", check=False)
    return log


# ---- containers ----


@dataclass(frozen=True)
class Ran:
    code: int
    stdout: str
    stderr: str  # the command's, then buildah's own lines when it exits non-zero
    seconds: float


class Container:
    """A working container from IMAGE, removed on exit (vfs copies the image: ~10 s)."""

    def __init__(self, image: str = IMAGE) -> None:
        self.image = image
        self.name = ""

    def __enter__(self) -> Container:
        self.name = sh(*BUILDAH, "from", "--pull-never", self.image).stdout.strip()
        return self

    def __exit__(self, *exc: object) -> None:
        sh(*BUILDAH, "rm", self.name, check=False)

    def run(
        self,
        command: Sequence[str],
        *,
        env: dict[str, str] | None = None,
        volumes: dict[Path, str] | None = None,
        workdir: str | None = None,
        timeout: float = 300,
    ) -> Ran:
        """`buildah run`: the container shares the host's network (chroot isolation makes
        no network namespace), so a server on the host's 127.0.0.1 is reachable. Names
        with hyphens (INPUT_FAIL-UNDER) pass through --env unchanged."""
        argv = [*BUILDAH, "run", *ISOLATION]
        if workdir:
            argv += ["--workingdir", workdir]
        for host, inside in (volumes or {}).items():
            argv += ["-v", f"{host}:{inside}"]
        for name, value in (env or {}).items():
            argv += ["--env", f"{name}={value}"]
        argv += [self.name, "--", *command]
        started = time.perf_counter()
        done = subprocess.run(argv, capture_output=True, text=True, timeout=timeout, check=False)
        return Ran(done.returncode, done.stdout, done.stderr, time.perf_counter() - started)
