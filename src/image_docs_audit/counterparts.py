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


class Index:
    """`counterpart` over fixed candidates, in a few steps a lookup: each candidate is
    filed by each spelling of its repository (`spelled`: whole, and each end of it after
    a `/`) and by its tag. Looking each image up in a list of thousands of one name took
    the square of their number (2,450 mirrors of `r{n}.io/team/app`: 6 million tries)."""

    def __init__(self, candidates: Sequence[ImageRef]) -> None:
        self.groups: dict[tuple[int, str, _Tag], _Group] = {}
        for index, known in enumerate(candidates):
            tags: tuple[_Tag, ...] = (_ANY,) if known.tag_unknown else (_ANY, _tagged(known))
            whole = _spellings(known)
            ends = {spelling.split("/", cut)[cut] for spelling in whole for cut in _cuts(spelling)}
            for score, spellings in ((2, whole), (1, ends)):
                for spelling in spellings:
                    for tag in tags:
                        self._file((score, spelling, tag), index, known.repository)

    def _file(self, key: tuple[int, str, _Tag], index: int, repository: str) -> None:
        group = self.groups.get(key)
        if group is None:
            self.groups[key] = _Group(index, repository)
        elif group.repository != repository:
            group.repository = None  # tags of several repositories: which, only a run tells

    def find(self, unknown: ImageRef, tags: bool = True) -> int | None:
        """`counterpart(unknown, candidates, tags)`."""
        if unknown.domain != UNKNOWN_DOMAIN:
            return None
        tag = _ANY if unknown.tag_unknown or not tags else _tagged(unknown)
        for score in (2, 1):
            group = self.groups.get((score, unknown.path, tag))
            if group is not None:
                return group.first if group.repository is not None else None
        return None


class Unknowns:
    """The other way: of candidates whose start is not known, the first that may be a
    given image (`fit`), in a few steps a lookup: each filed by the path it knows and
    its tag."""

    def __init__(self, candidates: Sequence[ImageRef]) -> None:
        self.first: dict[tuple[str, _Tag], int] = {}
        for index, unknown in enumerate(candidates):
            if unknown.domain == UNKNOWN_DOMAIN:
                tag = _ANY if unknown.tag_unknown else _tagged(unknown)
                self.first.setdefault((unknown.path, tag), index)

    def find(self, known: ImageRef) -> int | None:
        """The index of the first candidate `c` with `fit(c, known)`, or None."""
        tails = _spellings(known)
        tails |= {tail.split("/", cut)[cut] for tail in set(tails) for cut in _cuts(tail)}
        tags = (_ANY,) if known.tag_unknown else (_ANY, _tagged(known))
        found = [self.first.get((tail, tag)) for tail in tails for tag in tags]
        return min((index for index in found if index is not None), default=None)


class _Group:
    """The candidates filed under one key: the first, and their repository (None: they
    are of several)."""

    def __init__(self, first: int, repository: str) -> None:
        self.first = first
        self.repository: str | None = repository


def _spellings(known: ImageRef) -> set[str]:
    return {f"{known.domain}/{known.path}", known.familiar_repository, known.path}


def _cuts(spelling: str) -> range:
    """How many parts may be cut off the start of `spelling` leaving an end of it."""
    return range(1, spelling.count("/") + 1)


_Tag = tuple[str | None, str | None] | None
_ANY: _Tag = None  # filed under any tag: a candidate whose tag is not known, or a lookup


def _tagged(parsed: ImageRef) -> tuple[str | None, str | None]:
    """The tag and digest of a reference, `latest` where it names neither."""
    if parsed.tag is None and parsed.digest is None:
        return "latest", None
    return parsed.tag, parsed.digest
