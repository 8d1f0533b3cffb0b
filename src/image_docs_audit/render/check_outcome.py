"""The renderer model of a check: the verdict in words, with a fix for every regression."""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Mapping

from ..gate import Counterparts, Finding, Verdict
from ..model import ImageResult, RegressionKind, Report, Status
from ..records import record
from ..renames import FolderMove, moved_path
from .outcome import (
    DETAIL_LIMIT,
    KIND_LABELS,
    CheckRefs,
    Counts,
    KindLine,
    Note,
    NoteKind,
    Outcome,
    Row,
    RowSection,
    Scope,
    add_doc,
    category_lines,
    change_words,
    clip,
    commit_label,
    counts_of,
    depth_phrase,
    evidence_place,
    finding_image,
    first_weak,
    gap_rows,
    located,
    mention_phrase,
    plural,
    policy_phrase,
    scaffold_command,
    signed,
    status_words,
    warning_section,
    what_counts,
)
from .phrase import Name, Phrase, Piece, Place, Strong, Text, words
from .view import category_of, headline_evidence


@record
class Lost:
    """An image that lost its docs: its head result, and the doc that documented it at base."""

    result: ImageResult
    doc_path: str | None
    doc_line: int
    move: FolderMove | None  # set when the doc moved out with its whole folder


def check_outcome(
    verdict: Verdict,
    refs: CheckRefs,
    renames: Mapping[str, str] | None = None,
    moves: tuple[FolderMove, ...] = (),
) -> Outcome:
    """Everything the check's renderings show. `renames` (old path to new, by git) and
    `moves` (the folders they add up to) let a moved doc be named as moved."""
    renames = renames or {}
    head = counts_of(verdict.head.summary, verdict.head.count_mentioned)
    base = counts_of(verdict.base.summary, verdict.base.count_mentioned)
    lost = _lost(verdict, renames, moves)
    return Outcome(
        passed=verdict.passed,
        headline=words(_sentence(verdict)),
        coverage=_coverage(base, head, refs, verdict.head),
        depth=depth_phrase(head, verdict.head),
        notes=_notes(verdict, base, refs),
        compare=base.counted > 0,
        categories=category_lines(verdict, verdict.head),
        kinds=_kinds(verdict, base, head),
        moves=tuple(
            _move_sentence(move, lost, verdict.head) for move in moves if _moved(move, lost)
        ),
        sections=_sections(verdict, lost, renames),
        policy=policy_phrase(verdict.policy.fail_under, verdict.policy.max_drop),
        head=head,
        base=base,
    )


# The headline ---------------------------------------------------------------------------


def _sentence(verdict: Verdict) -> str:
    """The verdict in words: "2 images lost their docs and 1 new image has none"."""
    found = Counter(finding.kind for finding in verdict.regressions)
    if not found:
        return _pass_sentence(verdict)
    lost, new = found[RegressionKind.NEWLY_MISSING], found[RegressionKind.NEW_UNDOCUMENTED]
    parts = []
    if found[RegressionKind.INVENTORY_REMOVED]:
        parts.append("the change removes every image from the pull scripts")
    if lost:
        parts.append(f"{plural(lost, 'image')} lost {'its' if lost == 1 else 'their'} docs")
    if new:
        has = "has" if new == 1 else "have"
        parts.append(f"{plural(new, 'new image')} {has} {'none' if lost else 'no docs'}")
    if found[RegressionKind.COVERAGE_DROP]:
        parts.append(f"coverage fell {abs(verdict.delta):.1f} points")
    if found[RegressionKind.BELOW_THRESHOLD]:
        parts.append(f"coverage is under {verdict.policy.fail_under:g}%")
    if found[RegressionKind.POLICY_LOOSENED]:
        parts.append("the change loosens the policy it needs to pass")
    parts += _fact_parts(found)
    return _capital(_join(parts))


def _fact_parts(found: Counter[str]) -> list[str]:
    """The headline's words for what fails beyond coverage."""
    parts = []
    if found[RegressionKind.PORT_CONFLICT]:
        parts.append(f"{plural(found[RegressionKind.PORT_CONFLICT], 'new port conflict')}")
    if found[RegressionKind.INCOMPLETE_DOCS]:
        count = found[RegressionKind.INCOMPLETE_DOCS]
        parts.append(
            f"{plural(count, 'doc')} {'lacks' if count == 1 else 'lack'} required sections"
        )
    if found[RegressionKind.INDEX_STALE]:
        parts.append("the image index is stale")
    return parts


def _pass_sentence(verdict: Verdict) -> str:
    kinds = Counter(finding.kind for finding in verdict.improvements)
    parts = ["no image lost its docs"]
    if kinds["new_documented"]:
        parts.append("every new image has docs")
    if kinds["newly_documented"]:
        gained = kinds["newly_documented"]
        parts.append(f"{plural(gained, 'image')} gained docs")
    return _capital(_join(parts))


def _join(parts: list[str]) -> str:
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def _commit(ref: str, sha: str | None) -> tuple[Piece, ...]:
    label, short = commit_label(ref, sha)
    return (Name(label), *((Text(f" ({short})"),) if short else ()))


def _coverage(base: Counts, head: Counts, refs: CheckRefs, report: Report) -> Phrase:
    at_head = _commit(refs.head_ref, refs.head_sha)
    if not head.counted:  # nothing left to cover: no percentage to claim
        return (
            Strong(f"Coverage {base.coverage:.1f}% → no images"),
            Text(" from base "),
            *_commit(refs.base_ref, refs.base_sha),
            Text(" to head "),
            *at_head,
            Text(": the head has no image to document."),
        )
    if base.counted:
        change = signed(head.coverage - base.coverage)
        lead: Phrase = (
            Strong(f"Coverage {base.coverage:.1f}% → {head.coverage:.1f}%"),
            Text(f" ({change} points) from base "),
            *_commit(refs.base_ref, refs.base_sha),
            Text(" to head "),
            *at_head,
        )
    else:
        lead = (Strong(f"Coverage {head.coverage:.1f}%"), Text(" at head "), *at_head)
    return (*lead, Text(": " + counted_words(head, report)))


def counted_words(counts: Counts, report: Report) -> str:
    """`17 of 29 counted images documented (1 ignored).`: the coverage's own fraction."""
    text = f"{counts.covered:,} of {plural(counts.counted, 'counted image')} documented"
    extra = [f"{counts.ignored:,} ignored"] if counts.ignored else []
    if report.count_mentioned and counts.mentioned:
        extra.append(f"{counts.mentioned:,} of them only mentioned, which counts here")
    return text + (f" ({'; '.join(extra)})" if extra else "") + "."


def _notes(verdict: Verdict, base: Counts, refs: CheckRefs) -> tuple[Note, ...]:
    notes = []
    if not base.counted:
        notes.append(
            Note(
                NoteKind.NOTE,
                words(
                    "The base ",
                    *_commit(refs.base_ref, refs.base_sha),
                    " has no images, so there is no coverage to compare with: each new image"
                    " is judged on its own, and no drop is counted.",
                ),
            )
        )
    effect = verdict.config_effect
    if effect is not None:
        said = (
            f": under the base's config the head would have {effect.coverage:.1f}% coverage "
            f"and {plural(effect.regressions, 'regression')}."
        )
        changes = "".join(
            f" This change {clip(change, DETAIL_LIMIT)}." for change in effect.policy_changes
        )
        notes.append(
            Note(
                NoteKind.WARNING,
                words("This change edits the config ", Name(clip(effect.path)), said + changes),
            )
        )
    return tuple(notes)


# What fails, and what to do -------------------------------------------------------------


def _kinds(verdict: Verdict, base: Counts, head: Counts) -> tuple[KindLine, ...]:
    found: dict[RegressionKind, list[Finding]] = {}
    for finding in verdict.regressions:
        found.setdefault(RegressionKind(finding.kind), []).append(finding)
    return tuple(
        KindLine(kind, len(found[kind]), _kind_fix(kind, found[kind], verdict, base, head))
        for kind in KIND_LABELS
        if kind in found
    )


def _kind_fix(
    kind: RegressionKind, found: list[Finding], verdict: Verdict, base: Counts, head: Counts
) -> Phrase:
    first = found[0]
    if kind is RegressionKind.NEWLY_MISSING:
        return words("restore each lost doc, or name the image again in a doc (rows below)")
    if kind is RegressionKind.NEW_UNDOCUMENTED:
        return words(
            "add a doc whose file name or title names each new image (rows below); ",
            Name(scaffold_command(finding.image or "" for finding in found)),
            " writes a starter doc",
        )
    if kind is RegressionKind.COVERAGE_DROP:
        allowed = verdict.policy.max_drop
        limit = f"at most {allowed:g} allowed" if allowed else "none allowed"
        text = (
            f"{base.coverage:.1f}% → {head.coverage:.1f}% "
            f"({signed(head.coverage - base.coverage)} points; {limit})"
        )
        return words(text + _reach(base.coverage - allowed, head, "keep the drop within it"))
    if kind is RegressionKind.BELOW_THRESHOLD:
        floor = verdict.policy.fail_under
        text = f"{head.coverage:.1f}% is under fail-under {floor:g}%"
        return words(text + _reach(floor, head, "reach it"))
    return words(clip(first.detail, DETAIL_LIMIT) + ". " + _DETAIL_FIXES[kind])


# The kinds whose detail says what failed: the fix follows it.
_DETAIL_FIXES = {
    RegressionKind.POLICY_LOOSENED: "Land the policy change in a pull request of its own "
    "first, or document the images",
    RegressionKind.INVENTORY_REMOVED: "Restore the pull script, or point pull-scripts at the "
    "new one",
    RegressionKind.PORT_CONFLICT: "Give one of the images another port, or correct the doc "
    "that claims it (rows below)",
    RegressionKind.INCOMPLETE_DOCS: "Add the missing sections to the image's own doc (rows below)",
    RegressionKind.INDEX_STALE: "Commit the refreshed index",
}


def _reach(target: float, head: Counts, goal: str) -> str:
    """`: 2 more documented images would reach it`, when documenting images can."""
    need = max(0, math.ceil(head.counted * target / 100 - head.covered - 1e-9))
    if not need or need > head.counted - head.covered:
        return ""
    return f": {plural(need, 'more documented image')} would {goal}"


# Rows -----------------------------------------------------------------------------------


def _lost(
    verdict: Verdict, renames: Mapping[str, str], moves: Iterable[FolderMove]
) -> tuple[Lost, ...]:
    images = located(verdict.head.images)
    before = Counterparts(verdict.base)
    found = []
    for finding in verdict.regressions:
        result = finding_image(finding, images)
        if finding.kind != RegressionKind.NEWLY_MISSING or result is None:
            continue
        old = before.get(result.image)
        doc = headline_evidence(old.evidence) if old else None
        # Only a doc git saw renamed moved with its folder; one deleted from it did not.
        move = moved_path(doc.path, moves) if doc and doc.path in renames else None
        found.append(Lost(result, doc.path if doc else None, doc.line if doc else 0, move))
    return tuple(found)


def _moved(move: FolderMove, lost: Iterable[Lost]) -> int:
    return sum(item.move == move for item in lost)


def _folder(path: str) -> Piece:
    return Name(clip(path + "/")) if path else Text("the top of the repository")


def _move_sentence(move: FolderMove, lost: Iterable[Lost], head: Report) -> Phrase:
    count = _moved(move, lost)
    return words(
        _folder(move.old),
        " moved to ",
        _folder(move.new),
        f" ({plural(move.files, 'doc')}): update ",
        Name("docs:"),
        " in the config (or the docs input, or --docs) to ",
        _folder(move.new),
        f" and {plural(count, 'image')} find {'its' if count == 1 else 'their'} docs again.",
    )


def _docs_folders(report: Report) -> tuple[Piece, ...]:
    folders = [f.rstrip("/") + "/" for f in report.docs_folders or ("docs",)]
    if len(folders) == 1:
        return (Name(folders[0]),)
    return (Text("one of "), *[piece for f in folders for piece in (Name(f), Text(" "))][:-1])


def _lost_fix(
    item: Lost, verdict: Verdict, renames: Mapping[str, str], docs: frozenset[str]
) -> Phrase:
    """`docs`: the head's docs, as a set (a check may lose thousands of images)."""
    head, name = verdict.head, item.result.image.name
    path = item.doc_path
    if path is None:
        return words("documented at base and not any more: ", *add_doc(head, name))
    if path in renames and renames[path] in docs:  # moved within them, and renamed
        return words(
            "moved to ",
            Place(renames[path]),
            ", which no longer names it: name ",
            Name(name),
            " in its file name, title, a heading, a table row or a list item",
        )
    if path in renames:
        return words(
            "moved to ",
            Place(renames[path]),
            ", outside the docs folders: move it back under ",
            *_docs_folders(head),
            ", or add its folder to ",
            Name("docs:"),
        )
    if path not in docs:
        return words("deleted: restore it, or move the docs under ", *_docs_folders(head))
    fix = words(
        "no longer names it: name ",
        Name(name),
        " again in its title, a heading, a table row or a list item",
    )
    weak = first_weak(item.result)
    return fix + (words("; now ", *mention_phrase(weak)) if weak else ())


def _lost_row(
    item: Lost, verdict: Verdict, renames: Mapping[str, str], docs: frozenset[str]
) -> Row:
    image = item.result.image
    doc = (Place(item.doc_path, item.doc_line, at_base=True),) if item.doc_path else words("—")
    cells = ((Name(image.ref),), (Place(image.source.path, image.source.line),), doc)
    fix = _lost_fix(item, verdict, renames, docs)
    return Row((*cells, fix), item.doc_path or image.source.path)


def _new_row(result: ImageResult, head: Report) -> Row:
    image = result.image
    weak = first_weak(result)
    fix = (
        words(*mention_phrase(weak), ": ", *what_counts(head, image.name))
        if weak
        else add_doc(head, image.name)
    )
    where = weak.path if weak else image.source.path
    return Row(((Name(image.ref),), (Place(image.source.path, image.source.line),), fix), where)


def _sections(
    verdict: Verdict, lost: tuple[Lost, ...], renames: Mapping[str, str]
) -> tuple[RowSection, ...]:
    head = verdict.head
    images = located(head.images)
    new = [
        result
        for finding in verdict.regressions
        if finding.kind == RegressionKind.NEW_UNDOCUMENTED
        and (result := finding_image(finding, images)) is not None
    ]
    flagged = {item.result.image.key for item in lost} | {result.image.key for result in new}
    before = Counterparts(verdict.base)
    docs = frozenset(head.docs)
    # Gaps the base had too: listed apart, as not caused by this change.
    old_gaps = [r for r in head.images if r.image.key not in flagged and before.get(r.image)]
    return (
        RowSection(
            "newly_missing",
            "Lost their docs",
            ("Image", "Pull script", "Lost doc", "Fix"),
            tuple(_lost_row(item, verdict, renames, docs) for item in lost if item.move is None),
        ),
        RowSection(
            "moved",
            "Lost their docs with a moved folder",
            ("Image", "Pull script", "Lost doc", "Fix"),
            tuple(
                _lost_row(item, verdict, renames, docs) for item in lost if item.move is not None
            ),
            scope=Scope.FULL,
        ),
        RowSection(
            "new_undocumented",
            "New without docs",
            ("Image", "Pull script", "Fix"),
            tuple(_new_row(result, head) for result in new),
        ),
        RowSection(
            "facts",
            "Ports and required sections",
            ("Regression", "Where", "Detail"),
            _fact_rows(verdict),
        ),
        warning_section(head, _WARNINGS_INTRO),
        *_gap_sections(old_gaps, head),
        *_change_sections(verdict),
    )


# The head's warnings: an image the audit could not read is in no other row.
_WARNINGS_INTRO = (
    "These do not fail the check. An image the audit of the head could not read is in no "
    "other row: its warning here names the line."
)


def _fact_rows(verdict: Verdict) -> tuple[Row, ...]:
    """A row for each port conflict and incomplete doc the change adds."""
    kinds = (RegressionKind.PORT_CONFLICT, RegressionKind.INCOMPLETE_DOCS)
    return tuple(
        Row(
            (
                words(KIND_LABELS[RegressionKind(finding.kind)]),
                (Place(finding.path, finding.line or 0),) if finding.path else words("—"),
                words(clip(finding.detail, DETAIL_LIMIT)),
            ),
            finding.path or "",
        )
        for finding in verdict.regressions
        if finding.kind in kinds
    )


def _gap_sections(old_gaps: list[ImageResult], head: Report) -> tuple[RowSection, ...]:
    sections = []
    if not head.count_mentioned:
        sections.append(
            RowSection(
                "mentioned",
                "Mentioned only",
                ("Image", "Category", "Named at"),
                gap_rows(old_gaps, Status.MENTIONED),
                intro=words(
                    "Not caused by this change. Body text and code do not count as docs: ",
                    "a heading, table row or list item naming the image would.",
                ),
                collapsed=True,
            )
        )
    sections.append(
        RowSection(
            "missing_before",
            "Missing before this change",
            ("Image", "Category", "Pull script"),
            gap_rows(old_gaps, Status.MISSING),
            intro=words("Not caused by this change: these images had no docs at base either."),
            collapsed=True,
        )
    )
    return tuple(sections)


def _change_sections(verdict: Verdict) -> tuple[RowSection, ...]:
    images = located(verdict.head.images)
    improved = [
        Row(
            ((Name(result.image.ref),), words(change_words(finding.kind)), evidence_place(result)),
            result.image.source.path,
        )
        for finding in verdict.improvements
        if (result := finding_image(finding, images)) is not None
    ]
    removed = [
        Row(
            ((Name(f.image or ""),), (Place(f.path or "", f.line or 0, at_base=True),)),
            f.path or "",
        )
        for f in verdict.removed
    ]
    orphans = [Row(((Place(path),),), path) for path in verdict.orphans]
    inventory = [
        Row(
            (
                (Name(r.image.ref),),
                words(clip(category_of(r))),
                words(status_words(r)),
                (Place(r.image.source.path, r.image.source.line),),
            ),
            r.image.source.path,
        )
        for r in verdict.head.images
    ]
    return (
        RowSection("improvements", "Improvements", ("Image", "Change", "Doc"), tuple(improved)),
        RowSection("removed", "Removed from the pull scripts", ("Image", "Was at"), tuple(removed)),
        RowSection("orphans", "Docs that name no image", ("Doc",), tuple(orphans)),
        RowSection(
            "inventory",
            "Full inventory",
            ("Image", "Category", "Status", "Pull script"),
            tuple(inventory),
            collapsed=True,
        ),
    )
