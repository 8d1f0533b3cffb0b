"""Which listed image an image whose start is not known may be. Pure.

`${MIRROR}/acme/api:1` may be `ghcr.io/acme/api:1`: the inventory folds a mirror's copy
into the image it copies (one image, as its docs are one), and the gate pairs such an
image at the head with the base's image it was (a registry moved into a variable is no
new image). Both ask the same question here.
"""

from __future__ import annotations

from collections.abc import Sequence

from .model import UNKNOWN_DOMAIN, ImageRef


def fit(unknown: ImageRef, known: ImageRef) -> int:
    """How well `unknown`, whose start is not known, may be `known`: 2 when the path it
    knows spells `known`'s repository whole (`${M}/ghcr.io/acme/api`, `${M}/acme/api`
    of Docker Hub's, `${M}/library/redis`), 1 when it ends it (`${M}/api`), 0 when it
    cannot be it. The tags must be the same, or `unknown`'s not known."""
    if not unknown.tag_unknown and (known.tag_unknown or _tagged(unknown) != _tagged(known)):
        return 0
    return spelled(unknown, known)


def spelled(unknown: ImageRef, known: ImageRef) -> int:
    """How well the path `unknown` knows, its start not known, spells the repository of
    `known`: 2 whole, 1 its end, 0 not (their tags aside; see `fit`)."""
    if unknown.domain != UNKNOWN_DOMAIN:
        return 0
    tail = unknown.path
    spellings = (f"{known.domain}/{known.path}", known.familiar_repository, known.path)
    if tail in spellings:
        return 2
    return 1 if any(spelling.endswith(f"/{tail}") for spelling in spellings) else 0


def counterpart(unknown: ImageRef, candidates: Sequence[ImageRef], tags: bool = True) -> int | None:
    """The index of the one of `candidates` that `unknown`, whose start is not known,
    names: of those it may be (see `fit`; without `tags`, of any tag: `spelled`), the
    ones it spells best; where they are tags of one repository, the first; None where
    they are of several (which, only running the script tells) or where there is none."""
    best, found = 0, []
    for index, candidate in enumerate(candidates):
        score = fit(unknown, candidate) if tags else spelled(unknown, candidate)
        if score > best:
            best, found = score, [index]
        elif score and score == best:
            found.append(index)
    repositories = {candidates[index].repository for index in found}
    return found[0] if len(repositories) == 1 else None


def _tagged(parsed: ImageRef) -> tuple[str | None, str | None]:
    """The tag and digest of a reference, `latest` where it names neither."""
    if parsed.tag is None and parsed.digest is None:
        return "latest", None
    return parsed.tag, parsed.digest
