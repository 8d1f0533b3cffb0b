"""What to do for the event that started the run: audit, or check against which base.

With `mode: auto`, a pull request, a merge queue group and a push are checked
against the commit they change; a manual or scheduled run audits the whole
inventory. `base-ref` overrides the base of any event.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from ..errors import InputError
from ..records import record
from .settings import ActionSettings

PULL_REQUEST_EVENTS = frozenset({"pull_request", "pull_request_target"})
_NO_COMMIT = "0" * 40


@record
class Plan:
    mode: str  # "audit" or "check"
    base: str | None  # the commit to compare with, in check mode
    base_source: str  # where the base came from, for messages: "input 'base-ref'", ...
    pull_request: int | None  # the pull request to comment on
    head_sha: str | None  # the commit whose files are audited, for links
    base_label: str = ""  # how the base is named to people: a branch, or the commit
    head_label: str = "head"


def load_event(path: Path | None) -> dict[str, Any]:
    """The event payload the runner wrote; an empty one when there is none."""
    if path is None:
        return {}
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        raise InputError("GITHUB_EVENT_PATH", f"cannot read the event payload: {error}") from None
    return data if isinstance(data, dict) else {}


def plan(settings: ActionSettings, event: dict[str, Any]) -> Plan:
    """The mode and base for this run."""
    number = _pull_request_number(settings.event_name, event)
    head_sha = _dig(event, "pull_request", "head", "sha") or settings.sha
    head = _dig(event, "pull_request", "head", "ref") or _branch(event) or "head"
    if settings.mode == "audit":
        return Plan("audit", None, "", number, head_sha)
    if settings.base_ref:
        base_ref = settings.base_ref
        return Plan("check", base_ref, "input 'base-ref'", number, head_sha, base_ref, head)
    base, source = _event_base(settings.event_name, event)
    if base is not None:
        label = _dig(event, "pull_request", "base", "ref") or base[:12]
        return Plan("check", base, source, number, head_sha, label, head)
    if settings.mode == "check":
        raise InputError(
            "input 'mode'",
            f"check needs a base commit and a {settings.event_name or 'manual'} event has none; "
            "set 'base-ref' or use mode: auto",
        )
    return Plan("audit", None, "", number, head_sha)


def _event_base(event_name: str, event: dict[str, Any]) -> tuple[str | None, str]:
    if event_name in PULL_REQUEST_EVENTS:
        return _dig(event, "pull_request", "base", "sha"), "pull_request.base.sha"
    if event_name == "merge_group":
        return _dig(event, "merge_group", "base_sha"), "merge_group.base_sha"
    if event_name == "push":
        before = _dig(event, "before")
        # A new branch has no commit before it: there is nothing to compare with.
        return (before if before and before != _NO_COMMIT else None), "push before"
    return None, ""


def _branch(event: dict[str, Any]) -> str | None:
    ref = _dig(event, "ref")
    return ref.removeprefix("refs/heads/") if ref else None


def _pull_request_number(event_name: str, event: dict[str, Any]) -> int | None:
    if event_name not in PULL_REQUEST_EVENTS:
        return None
    number = event.get("number") or _dig(event, "pull_request", "number")
    return number if isinstance(number, int) else None


def _dig(data: dict[str, Any], *keys: str) -> str | None:
    value: Any = data
    for key in keys:
        value = value.get(key) if isinstance(value, dict) else None
    return value if isinstance(value, str) and value else None
