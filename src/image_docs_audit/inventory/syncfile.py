"""Images of the YAML file `skopeo sync --src yaml FILE` mirrors. Pure.

The file maps each registry to its repositories: under `images:` a list of tags (or
digests) per repository, an empty one for every tag; under `images-by-tag-regex:` and
`images-by-semver:` a pattern that chooses the tags. Each tag is an image at its line;
a repository synced with every tag, or with the tags a pattern chooses, is audited by its
name, at the line of its key.
"""

from __future__ import annotations

import yaml

from ..model import Diagnostic, Location
from .sources import Candidate
from .yamlnodes import Walker, WalkLimitError, documents, error_line, scalar

_BY_PATTERN = ("images-by-tag-regex", "images-by-semver")


def synced_images(path: str, data: bytes) -> tuple[list[Candidate], list[Diagnostic]]:
    """The images the sync file `path` names, and the warnings of reading it."""
    walker = Walker()
    found: list[Candidate] = []
    try:
        for document in documents(data):
            for registry, _, entry in walker.pairs(document):
                found.extend(_registry(walker, registry, entry))
    except yaml.YAMLError as error:
        message = "not valid YAML; the images it syncs are not read"
        return found, [Diagnostic(Location(path, error_line(error)), message)]
    except WalkLimitError:
        message = "the sync file is too large or intricate to read; its images are unread"
        return found, [Diagnostic(Location(path, 1), message)]
    return found, []


def _registry(walker: Walker, registry: str, entry: yaml.Node) -> list[Candidate]:
    found: list[Candidate] = []
    images = walker.get(entry, "images")
    for repository, key, tags in walker.pairs(images) if images is not None else ():
        name = f"{registry}/{repository}"
        listed = [tag for tag in map(scalar, walker.items(tags)) if tag is not None]
        if not listed:  # every tag
            found.append(Candidate(name, key.start_mark.line + 1))
        for tag in listed:
            mark = "@" if tag.value.startswith("sha256:") else ":"
            found.append(Candidate(f"{name}{mark}{tag.value}", tag.line))
    for chooser in _BY_PATTERN:
        patterns = walker.get(entry, chooser)
        for repository, key, _ in walker.pairs(patterns) if patterns is not None else ():
            found.append(Candidate(f"{registry}/{repository}", key.start_mark.line + 1))
    return found
