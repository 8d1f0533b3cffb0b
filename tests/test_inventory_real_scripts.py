"""Pull scripts as teams write them, each read statically and run under bash.

Each script stands in a temporary repository with the files it reads. The static
inventory (refs, lines, categories, warnings) is exact; where the run is cheap, the
script also runs under bash with a stub `docker` that logs its arguments, and the
images it pulled are the ones the inventory reports.
"""

from __future__ import annotations

import shutil
from collections.abc import Sequence
from pathlib import Path

import pytest

from image_docs_audit.inventory import build_inventory, parse_pull_script
from image_docs_audit.model import Inventory
from test_inventory_usage import images_used_by_a_run

SCRIPT = "scripts/pull-images.sh"


def _repository(tmp_path: Path, script: str, files: dict[str, str]) -> Path:
    root = tmp_path / "repo"
    for path, content in {SCRIPT: script, **files}.items():
        (root / path).parent.mkdir(parents=True, exist_ok=True)
        (root / path).write_text(content)
    return root


def _inventory(root: Path) -> Inventory:
    def read_file(path: str) -> bytes | None:
        found = root / path
        return found.read_bytes() if found.is_file() else None

    script = parse_pull_script(SCRIPT, (root / SCRIPT).read_bytes(), read_file)
    return build_inventory([script])


def _rows(found: Inventory) -> list[tuple[str, str, str | None]]:
    return [(str(image.source), image.ref, image.category) for image in found.images]


def _pulled(root: Path, tmp_path: Path, args: Sequence[str] = ()) -> set[str]:
    """The images a run of the script uses, with logging stubs (see test_inventory_usage)."""
    if shutil.which("bash") is None:
        pytest.skip("bash not installed")
    return images_used_by_a_run(root / SCRIPT, tmp_path / "run", {}, args)


# --- a default that starts with a name and a dash: `${IMAGE_LIST:-k3s-images.txt}` ------

K3S_IMAGES = """\
docker.io/rancher/klipper-lb:v0.4.7
docker.io/rancher/local-path-provisioner:v0.0.27
docker.io/rancher/mirrored-pause:3.6
"""

K3S_SCRIPT = """\
#!/bin/bash
# Mirror the k3s airgap images into the private registry.
set -e
cd "$(dirname "$0")"
IMAGE_LIST=${IMAGE_LIST:-k3s-images.txt}
xargs -P4 -n1 docker pull < "$IMAGE_LIST"
APP="${APP_IMAGE:-my-app:1.2}"
docker pull "$APP"
docker pull "${PROXY_IMAGE:-nginx-unprivileged:1.27}"
"""


def test_a_default_with_a_dash_is_its_text(tmp_path: Path) -> None:
    # tree-sitter-bash reads `k3s-images.txt` in `${X:-k3s-images.txt}` as a name, `k3s`,
    # then `-images.txt`: that name is text, not a variable.
    root = _repository(tmp_path, K3S_SCRIPT, {"scripts/k3s-images.txt": K3S_IMAGES})
    found = _inventory(root)
    assert _rows(found) == [
        (f"{SCRIPT}:7", "my-app:1.2", None),
        (f"{SCRIPT}:9", "nginx-unprivileged:1.27", None),
        ("scripts/k3s-images.txt:1", "docker.io/rancher/klipper-lb:v0.4.7", None),
        ("scripts/k3s-images.txt:2", "docker.io/rancher/local-path-provisioner:v0.0.27", None),
        ("scripts/k3s-images.txt:3", "docker.io/rancher/mirrored-pause:3.6", None),
    ]
    assert found.warnings == ()
    assert _pulled(root, tmp_path) == {ref for _, ref, _ in _rows(found)}


# --- `getopts` choosing a mirror: `MIRROR=""`, then `${MIRROR:-ghcr.io/acme}` ----------

GETOPTS_SCRIPT = """\
#!/usr/bin/env bash
set -euo pipefail
MIRROR=""
while getopts ":m:n" opt; do
  case "$opt" in
    m)
      case "$OPTARG" in
        cn) MIRROR="registry.cn-hangzhou.aliyuncs.com/acme" ;;
        eu) MIRROR='eu.gcr.io/acme-mirror' ;;
        *) exit 1 ;;
      esac
      ;;
    n) DRY_RUN=true ;;
    *) exit 1 ;;
  esac
done
shift $((OPTIND - 1))
REGISTRY="${MIRROR:-ghcr.io/acme}"

# Platform
for svc in gateway billing; do
  docker pull "${REGISTRY}/${svc}:2.4.1"
done
"""


def test_an_empty_value_of_several_takes_the_default(tmp_path: Path) -> None:
    """`MIRROR=""` or a mirror an option sets: with no option, the default registry; the
    loop that reads the options only ever sets fixed texts, so nothing else is possible."""
    root = _repository(tmp_path, GETOPTS_SCRIPT, {})
    found = _inventory(root)
    registries = ("registry.cn-hangzhou.aliyuncs.com/acme", "eu.gcr.io/acme-mirror", "ghcr.io/acme")
    assert _rows(found) == [
        (f"{SCRIPT}:21", f"{registry}/{svc}:2.4.1", "Platform")
        for svc in ("gateway", "billing")
        for registry in registries
    ]
    assert found.warnings == ()
    pulled: set[str] = set()
    for number, args in enumerate(([], ["-m", "cn"], ["-n", "-m", "eu"])):
        (tmp_path / str(number)).mkdir()
        pulled |= _pulled(root, tmp_path / str(number), args)
    assert pulled == {ref for _, ref, _ in _rows(found)}


def test_a_loop_reads_the_fixed_text_a_later_pass_sees(tmp_path: Path) -> None:
    """`X=redis:7.2` at the end of one pass is what the next pass pulls, where the lines
    the loop reads are not known (any number of passes)."""
    script = (
        "X=nginx:1.27\n"
        "while read -r line; do\n"
        '  docker pull "$X"\n'
        "  X=redis:7.2\n"
        "done < <(cat /etc/hosts)\n"
    )
    found = _inventory(_repository(tmp_path, script, {}))
    assert [ref for _, ref, _ in _rows(found)] == ["nginx:1.27", "redis:7.2"]
