"""Point action.yml at the prebuilt image of a release.

    python tools/release_action.py 1.2.3 --image ghcr.io/owner/repo [--file action.yml]

On `main`, action.yml says `image: Dockerfile`, so `uses: owner/repo@main` (or a sha)
builds the image from the checkout. A release commit says
`image: docker://ghcr.io/owner/repo:1.2.3` instead, so a run only pulls the image the
release workflow pushed. This script makes that one change and no other: every other byte
of the file stays as it is (line endings, comments, order), which is why it edits the line
and does not load and dump the YAML.

Exit codes: 0 rewritten, 2 bad input (one line on stderr saying what to do).
"""

from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Sequence
from pathlib import Path

VERSION = re.compile(r"v?(\d+\.\d+\.\d+)")
# A registry host, then a lower-case repository path: what `docker://` accepts.
IMAGE = re.compile(r"[a-z0-9.-]+(?::\d+)?(?:/[a-z0-9]+(?:[._-][a-z0-9]+)*)+")
# The `image:` key of `runs:`, indented, with the Dockerfile as its value (quoted or not).
LINE = re.compile(
    rb"^(?P<indent>[ \t]+)image:[ \t]*(?P<q>['\"]?)Dockerfile(?P=q)[ \t]*(?P<end>\r?\n?)$"
)


class ReleaseError(Exception):
    """Bad input: the message names it and says what to do."""


def released(action: bytes, version: str, image: str) -> bytes:
    """`action` (action.yml's bytes) with its `image: Dockerfile` line pointing at
    `image:version`."""
    match = VERSION.fullmatch(version)
    if match is None:
        raise ReleaseError(f"version '{version}' is not X.Y.Z; give the release's version")
    if IMAGE.fullmatch(image) is None:
        raise ReleaseError(
            f"image '{image}' is not a lower-case image name such as ghcr.io/owner/repo; "
            "give it without a tag"
        )
    lines = action.splitlines(keepends=True)
    found = [number for number, line in enumerate(lines) if LINE.match(line)]
    if len(found) != 1:
        raise ReleaseError(
            f"found {len(found)} 'image: Dockerfile' lines, not 1; run this on action.yml "
            "as main has it (a release commit points at an image already)"
        )
    [number] = found
    parts = LINE.match(lines[number])
    assert parts is not None
    reference = f"docker://{image}:{match[1]}".encode()
    lines[number] = parts["indent"] + b"image: " + reference + parts["end"]
    return b"".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("version", help="the release, X.Y.Z (a leading v is allowed)")
    parser.add_argument("--image", required=True, help="the image without tag: ghcr.io/o/r")
    parser.add_argument("--file", default="action.yml", type=Path, help="default: action.yml")
    options = parser.parse_args(argv)
    path: Path = options.file
    try:
        path.write_bytes(released(_read(path), options.version, options.image.lower()))
    except ReleaseError as error:
        sys.stderr.write(f"release_action: {path}: {error}\n")
        return 2
    return 0


def _read(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as error:
        raise ReleaseError(f"cannot read it ({error.strerror}); give action.yml's path") from None


if __name__ == "__main__":
    sys.exit(main())
