"""The action's settings: the inputs and the runner's variables, parsed once.

The runner hands a container action its inputs as `INPUT_<NAME>` variables,
the name upper-cased with its hyphens kept (`INPUT_FAIL-UNDER`); some runners
and test harnesses write underscores, so both spellings are read. Every input
is passed, defaults included, so an empty value means "not set". A bad value
names its input and what was expected.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping
from dataclasses import field
from pathlib import Path, PurePosixPath

from ..config import CONFIG_PATH
from ..errors import InputError
from ..policy import POINTS_EXPECTED, parse_points
from ..records import record

MODES = ("auto", "audit", "check", "comment")
COMMENT_POLICIES = ("auto", "always", "never")
# The sticky comment's life: edited in place, hidden as outdated under a new one, or only
# ever edited (never created). The first is the default.
COMMENT_MODES = ("update", "hide-and-recreate", "only-update")
DEFAULT_API_URL = "https://api.github.com"
DEFAULT_SERVER_URL = "https://github.com"
DEFAULT_API_BUDGET = 60.0


@record
class ActionSettings:
    workspace: Path
    event_name: str
    event_path: Path | None
    repository: str  # owner/name
    api_url: str
    server_url: str
    sha: str | None
    output_path: Path | None
    summary_path: Path | None
    config: str | None  # None: the default config file, if there is one
    pull_scripts: tuple[str, ...]
    docs: tuple[str, ...]
    exclude: tuple[str, ...]
    fail_under: float | None
    max_drop: float | None
    mode: str
    comment: str
    base_ref: str | None
    api_budget: float  # seconds the API client may spend waiting to retry
    comment_body_file: Path | None  # mode: comment, the rendered body to post
    token: str = field(repr=False)
    sarif: str | None = None  # where to write the SARIF log, relative to the workspace
    comment_mode: str = COMMENT_MODES[0]
    badge: str | None = None  # where to write the SVG coverage badge, in the workspace
    index_check: str | None = None  # the living index to check, in the workspace

    @property
    def comment_id(self) -> str:
        """Tells this action's comments from another workflow's on the same pull request."""
        key = "\0".join((self.config or CONFIG_PATH, *self.pull_scripts, "|", *self.docs))
        return hashlib.sha256(key.encode("utf-8", "surrogateescape")).hexdigest()[:12]


def read_action_settings(env: Mapping[str, str]) -> ActionSettings:
    """Parse the environment a runner gives a container action."""
    config = _input(env, "config")
    return ActionSettings(
        workspace=Path(env.get("GITHUB_WORKSPACE") or "."),
        event_name=env.get("GITHUB_EVENT_NAME", ""),
        event_path=_path(env, "GITHUB_EVENT_PATH"),
        repository=env.get("GITHUB_REPOSITORY", ""),
        api_url=(env.get("GITHUB_API_URL") or DEFAULT_API_URL).rstrip("/"),
        server_url=(env.get("GITHUB_SERVER_URL") or DEFAULT_SERVER_URL).rstrip("/"),
        sha=env.get("GITHUB_SHA") or None,
        output_path=_path(env, "GITHUB_OUTPUT"),
        summary_path=_path(env, "GITHUB_STEP_SUMMARY"),
        config=None if config in ("", CONFIG_PATH, f"./{CONFIG_PATH}") else config,
        pull_scripts=_lines(env, "pull-script"),
        docs=_lines(env, "docs"),
        exclude=_lines(env, "exclude"),
        fail_under=_number(env, "fail-under"),
        max_drop=_number(env, "max-drop"),
        mode=_choice(env, "mode", MODES),
        comment=_choice(env, "comment", COMMENT_POLICIES),
        base_ref=_input(env, "base-ref") or None,
        api_budget=_budget(env.get("IMAGE_DOCS_AUDIT_API_BUDGET", "")),
        comment_body_file=Path(_input(env, "comment-body-file"))
        if _input(env, "comment-body-file")
        else None,
        token=_input(env, "github-token"),
        sarif=workspace_path(_input(env, "sarif"), "input 'sarif'"),
        comment_mode=_choice(env, "comment-mode", COMMENT_MODES),
        badge=_input(env, "badge") or None,
        index_check=workspace_path(
            _input(env, "index-check"), "input 'index-check'", example="docs/IMAGES.md"
        ),
    )


def _budget(text: str) -> float:
    """IMAGE_DOCS_AUDIT_API_BUDGET: how long to keep retrying GitHub, 60 s unless set."""
    try:
        value = float(text) if text.strip() else DEFAULT_API_BUDGET
    except ValueError:
        message = f"'{text}' is not a number of seconds"
        raise InputError("IMAGE_DOCS_AUDIT_API_BUDGET", message) from None
    return max(0.0, value)


def _input(env: Mapping[str, str], name: str) -> str:
    upper = name.upper()
    for variable in (f"INPUT_{upper}", f"INPUT_{upper.replace('-', '_')}"):
        if variable in env:
            return env[variable].strip()
    return ""


def _path(env: Mapping[str, str], variable: str) -> Path | None:
    value = env.get(variable, "")
    return Path(value) if value else None


def _lines(env: Mapping[str, str], name: str) -> tuple[str, ...]:
    """A list input: one value a line (commas too, as many actions accept)."""
    return tuple(part.strip() for part in re.split(r"[\n,]", _input(env, name)) if part.strip())


def _number(env: Mapping[str, str], name: str) -> float | None:
    """fail-under and max-drop, by the validator the config and the command line use."""
    text = _input(env, name)
    if not text:
        return None
    value = parse_points(text)
    if value is None:
        raise InputError(f"input '{name}'", f"'{text}' is not {POINTS_EXPECTED}")
    return value


def _choice(env: Mapping[str, str], name: str, choices: tuple[str, ...]) -> str:
    text = _input(env, name).lower() or choices[0]
    if text not in choices:
        raise InputError(f"input '{name}'", f"'{text}' is not one of {', '.join(choices)}")
    return text


# A path an input names: where the action writes a file the user asked for (`sarif`).
def workspace_path(text: str, source: str, example: str = "image-docs-audit.sarif") -> str | None:
    """`text` as a relative path inside the workspace, or None when empty."""
    clean = text.strip()
    if not clean:
        return None
    parts = PurePosixPath(clean).parts
    if PurePosixPath(clean).is_absolute() or ".." in parts or "\\" in clean or "\0" in clean:
        raise InputError(
            source,
            f"'{clean}' is not a path inside the workspace; give a relative path such as {example}",
        )
    return clean
