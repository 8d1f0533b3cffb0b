"""Folding, and the small vocabularies that tell a name from an ordinary word.

An image called `gateway`, `registry` or `transmission` shares its name with a word
people write in docs about anything else ("## Gateway timeouts", "- push to the
registry"). Such a name only counts where it stands as the subject; see `scan.py`
for the places and `audit.py` for the other test (the share of docs using the word).
"""

from __future__ import annotations

from typing import Final


def fold(text: str) -> str:
    """Lower case with `_`, spaces and tabs as `-`, one character for one.

    The folded text keeps every offset of the original, so a match can be
    checked against the original characters around it.
    """
    lowered = text.lower()
    if len(lowered) != len(text):  # a few letters lower to two characters (İ): keep those
        lowered = "".join(c if len(c.lower()) != 1 else c.lower() for c in text)
    # Three replaces, not a `str.translate` table: 0.06 µs for a name instead of 0.5
    # (translate looks each character up in a dict), and names are folded by the 10,000.
    return lowered.replace("_", "-").replace(" ", "-").replace("\t", "-")


# One-word image names that are also words of ordinary technical prose. Kept short
# on purpose: it names what real inventories call their images; the docs-share
# test in `audit.py` catches the rest.
_ORDINARY: Final = """
    adapter admin agent api app apps auth backend backup base bridge broker
    builder bus cache cert chat cleaner cli client cloud collector compiler config console
    controller core cron dashboard data database db debug default deploy docs editor engine
    exporter files frontend gateway git hello home hub index ingress init installer
    jobservice keeper loader log logger logs mail manager master media metrics migrator
    mirror monitor node notary notebook operator pilot plugin portal proxy
    queue registry relay reloader renderer reporter router runner scanner scheduler search
    secrets server service setup shell sidecar speaker storage store sync syncer tools
    tracker transmission tunnel ui updater uploader vault watcher web webhook worker
"""
ORDINARY_WORDS = frozenset(_ORDINARY.split())

# A heading or table cell that is the name plus one of these still has the name as subject:
# "## Gateway service", "| registry container |" (but see IMAGE_KINDS).
ROLE_WORDS = frozenset(
    {"service", "services", "container", "containers", "image", "images", "app", "server"}
)

# Words that say what part an image plays, not which image it is: before a role word they
# name a kind of image ("## Base image", "| Runtime image |", "Builder image", "Init
# container", "Docker image"), never an image whose name is the word alone (`example/base`).
_KINDS: Final = """
    base builder build runtime parent final intermediate stage init sidecar helper debug
    dev devel test ci release production prod staging golden custom official upstream
    vendor distroless slim minimal source target default docker oci container
"""
IMAGE_KINDS = frozenset(_KINDS.split())

# A table column headed by one of these (optionally with "name") holds the row's subject.
SUBJECT_HEADERS = frozenset(
    {
        "image",
        "images",
        "name",
        "service",
        "services",
        "container",
        "containers",
        "component",
        "components",
    }
)


_FOLD_BYTES: Final = bytes.maketrans(
    b"ABCDEFGHIJKLMNOPQRSTUVWXYZ_ \t", b"abcdefghijklmnopqrstuvwxyz---"
)


def fold_bytes(data: bytes) -> bytes:
    """`fold` for UTF-8 bytes whose characters do not lower into ASCII (see `scan.py`).

    Only ASCII bytes change, and only to ASCII: a byte of a multi-byte
    character stays what it is, so the offsets of both texts are the same.
    """
    return data.translate(_FOLD_BYTES)
