"""The config file: its YAML composed (not constructed) into `AuditSettings`, every value
keeping its line for the error message, duplicate keys and aliases refused.

Imported by `config.parse_config` only when there is a config file to read.
"""

from __future__ import annotations

import difflib
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import fields
from typing import TypeVar

import yaml

from .config import MAX_CONFIG_SIZE, AuditSettings, IgnoreRule, InventoryEntry, too_large
from .errors import InputError
from .model import Depth, InventoryMode, Location, SourceKind
from .policy import POINTS_EXPECTED, Policy, parse_points

_NULL = "tag:yaml.org,2002:null"
_BOOL = "tag:yaml.org,2002:bool"
# Every selector is tried on every image, and every alias is a search term: these keep a
# hostile config from multiplying the audit's work, far above what people write.
MAX_ENTRIES = 500  # entries of one list or mapping
MAX_ALIAS = 200  # characters of one alias

# The policy's two numbers are keys of their own; where the settings came from is not a key.
_NOT_KEYS = ("config_path", "policy")
KEYS = tuple(
    sorted(
        [
            *(f.name.replace("_", "-") for f in fields(AuditSettings) if f.name not in _NOT_KEYS),
            "fail-under",
            "max-drop",
        ]
    )
)

_T = TypeVar("_T")
_Parse = Callable[[str, str, yaml.Node], _T]
_SelectorMap = tuple[tuple[str, tuple[str, ...]], ...]


def parse_config(text: str, path: str) -> AuditSettings:
    """The settings written in `text`, a config file called `path` in messages."""
    root = _compose(text, path)
    if root is None or (isinstance(root, yaml.ScalarNode) and root.tag == _NULL):
        return AuditSettings(config_path=path)
    nodes = _top_level(path, root)
    base = AuditSettings()

    def get(key: str, parse: _Parse[_T], default: _T) -> _T:
        node = nodes.get(key)
        return default if node is None else parse(path, f"'{key}'", node)

    if "min-completeness" in nodes and "required-sections" not in nodes:
        message = "'min-completeness' needs 'required-sections': the sections to score docs by"
        raise InputError(_at(path, nodes["min-completeness"]), message)
    return AuditSettings(
        pull_scripts=get("pull-scripts", _some_strings, base.pull_scripts),
        docs=get("docs", _some_strings, base.docs),
        exclude=get("exclude", _strings, base.exclude),
        aliases=get("aliases", _alias_map, base.aliases),
        documentation=get("documentation", _selector_map, base.documentation),
        ignore=get("ignore", _ignore, base.ignore),
        strip_prefix=get("strip-prefix", _prefixes, base.strip_prefix),
        require=get("require", _require, base.require),
        count_mentioned=get("count-mentioned", _flag, base.count_mentioned),
        required_sections=get("required-sections", _sections, base.required_sections),
        min_completeness=get("min-completeness", _points, base.min_completeness),
        fail_on_port_conflict=get("fail-on-port-conflict", _flag, base.fail_on_port_conflict),
        policy=Policy(
            fail_under=get("fail-under", _points, base.policy.fail_under),
            max_drop=get("max-drop", _points, base.policy.max_drop),
        ),
        inventory=get("inventory", _inventory, base.inventory),
        inventory_mode=get("inventory-mode", _inventory_mode, base.inventory_mode),
        config_path=path,
    )


class _RefusedError(Exception):
    def __init__(self, line: int, message: str) -> None:
        super().__init__(line, message)
        self.line = line
        self.message = message


_ALIASES = "YAML aliases (*name) are not supported; write the value out in full"
_YAML_PREFIX = "tag:yaml.org,2002:"


class _Loader(yaml.SafeLoader):
    """Refuses aliases (`*name`, and `<<: *name` merges): a few hundred bytes of aliases
    to aliases expand to gigabytes, and a hand-written config never needs one.

    Refuses explicit tags (`!!bool maybe`) too: a tag makes a value of any text (a
    boolean that is neither true nor false), which every key would have to expect."""

    def compose_node(self, parent: yaml.Node | None, index: object) -> yaml.Node | None:
        event = self.peek_event()  # type: ignore[no-untyped-call]
        if self.check_event(yaml.AliasEvent):
            raise _RefusedError(event.start_mark.line + 1, _ALIASES)
        tag = getattr(event, "tag", None)
        if tag is not None:
            raise _RefusedError(event.start_mark.line + 1, _tag_message(str(tag)))
        return super().compose_node(parent, index)  # type: ignore[arg-type]


def _tag_message(tag: str) -> str:
    # Named as written when it is short and plain: the parser expands `!!` to its prefix.
    shown = "!!" + tag.removeprefix(_YAML_PREFIX) if tag.startswith(_YAML_PREFIX) else tag
    if len(shown) > 40 or not (shown.isascii() and shown.isprintable()):
        shown = _quote(shown)
    return f"YAML tags ({shown}) are not supported; write the value plainly, quoted if text"


def _compose(text: str, path: str) -> yaml.Node | None:
    if len(text) > MAX_CONFIG_SIZE:
        raise too_large(path)
    try:
        return yaml.compose(text, Loader=_Loader)
    except _RefusedError as err:
        raise InputError(f"{path}:{err.line}", err.message) from None
    except yaml.MarkedYAMLError as err:
        raise _syntax_error(err, path) from err
    except yaml.reader.ReaderError as err:
        line = text[: err.position].count("\n") + 1
        code = err.character if isinstance(err.character, int) else ord(err.character)
        message = f"not valid YAML: unacceptable character #x{code:04x}; remove it"
        raise InputError(f"{path}:{line}", message) from err
    except yaml.YAMLError as err:
        raise InputError(path, f"not valid YAML: {_one_line(str(err))}") from err
    except RecursionError as err:
        raise InputError(
            path, "not valid config: nested too deeply; a config needs three levels at most"
        ) from err


def _syntax_error(err: yaml.MarkedYAMLError, path: str) -> InputError:
    problem = err.problem or err.context or "syntax error"
    # Some problems only make sense after their context: "but found another document".
    if problem.startswith("but ") and err.context:
        problem = f"{err.context}, {problem}"
    message = f"not valid YAML: {_one_line(problem)}"
    if "'\\t'" in problem:
        message += "; indent with spaces, not tabs"
    mark = err.problem_mark or err.context_mark
    return InputError(f"{path}:{mark.line + 1}" if mark else path, message)


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _quote(text: str) -> str:
    return repr(text if len(text) <= 60 else text[:57] + "...")


def _at(path: str, node: yaml.Node) -> str:
    return f"{path}:{node.start_mark.line + 1}"


def _shown(node: yaml.Node) -> str:
    """How a wrong value is named in a message."""
    if isinstance(node, yaml.SequenceNode):
        return "a list"
    if isinstance(node, yaml.MappingNode):
        return "a mapping"
    return "an empty value" if node.tag == _NULL else _quote(str(node.value))


def _text(node: yaml.Node) -> str | None:
    """The scalar as written, unless it is no text at all (null, a boolean, a collection)."""
    if isinstance(node, yaml.ScalarNode) and node.tag not in (_NULL, _BOOL):
        return str(node.value)
    return None


# Characters no path or name in a config holds, by Unicode category: control characters
# and line ends break the one-line outputs and the search terms (and no system takes NUL
# in a path); a lone surrogate (from an escape like "\ud800") is half a character, which
# no output can encode.
_UNWRITABLE = {
    "Cc": "a control character",
    "Zl": "a line end",
    "Zp": "a line end",
    "Cs": "a lone surrogate",
}


def _require_writable(path: str, what: str, node: yaml.Node, value: str) -> None:
    """Refuse `value` (a path, glob or name `what` calls) if it holds such a character."""
    bad = next((c for c in value if unicodedata.category(c) in _UNWRITABLE), None)
    if bad is not None:
        kind = _UNWRITABLE[unicodedata.category(bad)]
        message = f"{what} {_quote(value)} has {kind} (U+{ord(bad):04X}); remove it"
        raise InputError(_at(path, node), message)


def _pairs(path: str, node: yaml.MappingNode) -> list[tuple[str, yaml.Node, yaml.Node]]:
    """The entries of a mapping as (key, key node, value node), refusing duplicates,
    which YAML would silently let the last one win."""
    _require_few(path, node)
    seen: dict[str, int] = {}
    pairs: list[tuple[str, yaml.Node, yaml.Node]] = []
    for key_node, value_node in node.value:
        if not isinstance(key_node, yaml.ScalarNode):
            raise InputError(_at(path, key_node), f"keys must be text, not {_shown(key_node)}")
        key = str(key_node.value)
        line = key_node.start_mark.line + 1
        if key in seen:
            message = f"duplicate key {_quote(key)} (first at line {seen[key]})"
            raise InputError(_at(path, key_node), message)
        seen[key] = line
        pairs.append((key, key_node, value_node))
    return pairs


def _unknown_key(key: str, valid: Sequence[str], where: str = "") -> str:
    close = difflib.get_close_matches(key, valid, n=1)
    if close:
        return f"unknown key {_quote(key)}{where}; did you mean '{close[0]}'?"
    return f"unknown key {_quote(key)}{where}; valid keys: {', '.join(valid)}"


def _top_level(path: str, root: yaml.Node) -> dict[str, yaml.Node]:
    if not isinstance(root, yaml.MappingNode):
        raise InputError(_at(path, root), "the config must be a mapping of keys")
    nodes = {}
    for key, key_node, value_node in _pairs(path, root):
        if key not in KEYS:
            raise InputError(_at(path, key_node), _unknown_key(key, KEYS))
        nodes[key] = value_node
    return nodes


def _require_few(path: str, node: yaml.Node) -> None:
    if isinstance(node, yaml.CollectionNode) and len(node.value) > MAX_ENTRIES:
        message = f"more than {MAX_ENTRIES:,} entries; a config lists at most that many"
        raise InputError(_at(path, node), message)


def _strings(path: str, label: str, node: yaml.Node) -> tuple[str, ...]:
    _require_few(path, node)
    items = node.value if isinstance(node, yaml.SequenceNode) else [node]
    values = []
    for item in items:
        value = _text(item)
        if value is None:
            raise InputError(_at(path, item), f"{label} must be a string or a list of strings")
        if not value.strip():
            raise InputError(
                _at(path, item), f"{label} has an empty entry; remove it or fill it in"
            )
        _require_writable(path, f"{label} entry", item, value)
        values.append(value)
    return tuple(values)


MAX_SECTION = 80  # characters of one required section: a heading, not a paragraph


def _sections(path: str, label: str, node: yaml.Node) -> tuple[str, ...]:
    """`required-sections`: headings to look for, each with a letter or digit in it."""
    values = _some_strings(path, label, node)
    items = node.value if isinstance(node, yaml.SequenceNode) else [node]
    for value, item in zip(values, items, strict=True):
        if len(value) > MAX_SECTION:
            message = f"{label} has a section longer than {MAX_SECTION} characters; shorten it"
            raise InputError(_at(path, item), message)
        if not any(c.isalnum() for c in value):
            message = f"{label} entry {_quote(value)} has no letter or digit to match a heading"
            raise InputError(_at(path, item), message)
    return values


def _some_strings(path: str, label: str, node: yaml.Node) -> tuple[str, ...]:
    values = _strings(path, label, node)
    if not values:
        message = f"{label} is an empty list; name at least one or remove it"
        raise InputError(_at(path, node), message)
    return values


def _selector(path: str, label: str, node: yaml.Node) -> str:
    selector = _text(node)
    if selector is not None and selector.strip():
        _require_writable(path, f"{label} image", node, selector)
        return selector
    if selector is not None or node.tag == _NULL:
        message = f"{label} has an empty image; name one or remove the entry"
    elif node.tag == _BOOL:
        # YAML reads yes, no, on, off as booleans.
        message = f"{label} image {_shown(node)} must be text; quote it"
    else:
        message = f"{label} image must be text, not {_shown(node)}"
    raise InputError(_at(path, node), message)


def _selector_map(path: str, label: str, node: yaml.Node) -> _SelectorMap:
    if not isinstance(node, yaml.MappingNode):
        message = f"{label} must be a mapping of image to a string or a list of strings"
        raise InputError(_at(path, node), message)
    entries = []
    for _, key_node, value_node in _pairs(path, node):
        selector = _selector(path, label, key_node)
        targets = _some_strings(path, f"{label} of {_quote(selector)}", value_node)
        entries.append((selector, targets))
    return tuple(entries)


def _alias_map(path: str, label: str, node: yaml.Node) -> _SelectorMap:
    """`aliases`: each alias becomes a search term, so each is a name, not a paragraph."""
    entries = _selector_map(path, label, node)
    for _, value_node in node.value:
        items = value_node.value if isinstance(value_node, yaml.SequenceNode) else [value_node]
        for item in items:
            if len(str(item.value)) > MAX_ALIAS:
                message = f"{label} has an alias longer than {MAX_ALIAS} characters; shorten it"
                raise InputError(_at(path, item), message)
    return entries


def _ignore(path: str, label: str, node: yaml.Node) -> tuple[IgnoreRule, ...]:
    _require_few(path, node)
    if isinstance(node, yaml.MappingNode):
        return tuple(
            _rule(path, label, _selector(path, label, key_node), value_node, key_node)
            for _, key_node, value_node in _pairs(path, node)
        )
    if isinstance(node, yaml.SequenceNode):
        return tuple(_ignore_entry(path, label, item) for item in node.value)
    message = f"{label} must be a mapping of image to reason, or a list of image and reason entries"
    raise InputError(_at(path, node), message)


def _ignore_entry(path: str, label: str, node: yaml.Node) -> IgnoreRule:
    if not isinstance(node, yaml.MappingNode):
        message = f"{label} entries must be mappings with 'image' and 'reason'"
        raise InputError(_at(path, node), message)
    values: dict[str, yaml.Node] = {}
    for key, key_node, value_node in _pairs(path, node):
        if key not in ("image", "reason"):
            message = _unknown_key(key, ("image", "reason"), f" in an {label} entry")
            raise InputError(_at(path, key_node), message)
        values[key] = value_node
    image = values.get("image")
    if image is None:
        raise InputError(_at(path, node), f"{label} entry needs an 'image'")
    selector = _selector(path, label, image)
    return _rule(path, label, selector, values.get("reason"), node)


def _rule(
    path: str, label: str, selector: str, reason: yaml.Node | None, entry: yaml.Node
) -> IgnoreRule:
    what = f"{label} entry {_quote(selector)}"
    text = None if reason is None else _text(reason)
    if reason is not None and text is None and reason.tag != _NULL:
        message = f"{what} must have a reason in text, not {_shown(reason)}"
        raise InputError(_at(path, reason), message)
    if text is None or not text.strip():
        raise InputError(_at(path, entry), f"{what} needs a reason")
    return IgnoreRule(selector, text, Location(path, entry.start_mark.line + 1))


def _prefixes(path: str, label: str, node: yaml.Node) -> tuple[str, ...] | None:
    """`true` detects the project prefix (as leaving the key out does), `false` or `[]`
    strips none, and a list strips exactly those."""
    if isinstance(node, yaml.ScalarNode) and node.tag == _BOOL:
        return None if _flag(path, label, node) else ()
    return _strings(path, label, node)


# Only these two: `config` is a depth an image has, not one to require.
_REQUIRED_DEPTHS = (Depth.DEDICATED, Depth.SECTION)


_SOURCE_KINDS = tuple(kind for kind in SourceKind if kind is not SourceKind.PULL_SCRIPT)
_ENTRY_KEYS = ("type", "paths")


def _inventory(path: str, label: str, node: yaml.Node) -> tuple[InventoryEntry, ...]:
    """`inventory`: a list of `{type, paths}`; an empty list reads no other source."""
    if not isinstance(node, yaml.SequenceNode):
        message = f"{label} must be a list of entries with 'type' and 'paths'"
        raise InputError(_at(path, node), message)
    _require_few(path, node)
    return tuple(_inventory_entry(path, label, item) for item in node.value)


def _inventory_entry(path: str, label: str, node: yaml.Node) -> InventoryEntry:
    if not isinstance(node, yaml.MappingNode):
        message = f"{label} entries must be mappings with 'type' and 'paths'"
        raise InputError(_at(path, node), message)
    values: dict[str, yaml.Node] = {}
    for key, key_node, value_node in _pairs(path, node):
        if key not in _ENTRY_KEYS:
            message = _unknown_key(key, _ENTRY_KEYS, f" in an {label} entry")
            raise InputError(_at(path, key_node), message)
        values[key] = value_node
    missing = [key for key in _ENTRY_KEYS if key not in values]
    if missing:
        raise InputError(_at(path, node), f"{label} entry needs '{missing[0]}'")
    kind_text = (_text(values["type"]) or "").strip().lower()
    kind = next((k for k in _SOURCE_KINDS if k.value == kind_text), None)
    if kind is None:
        valid = ", ".join(k.value for k in _SOURCE_KINDS)
        message = f"{label} type must be one of {valid}, not {_shown(values['type'])}"
        raise InputError(_at(path, values["type"]), message)
    return InventoryEntry(kind, _some_strings(path, f"{label} paths", values["paths"]))


def _inventory_mode(path: str, label: str, node: yaml.Node) -> InventoryMode:
    text = (_text(node) or "").strip().lower()
    for mode in InventoryMode:
        if text == mode.value:
            return mode
    valid = " or ".join(mode.value for mode in InventoryMode)
    raise InputError(_at(path, node), f"{label} must be {valid}, not {_shown(node)}")


def _require(path: str, label: str, node: yaml.Node) -> Depth:
    text = _text(node)
    for depth in _REQUIRED_DEPTHS:
        if text is not None and text.strip().lower() == depth.value:
            return depth
    valid = " or ".join(depth.value for depth in _REQUIRED_DEPTHS)
    raise InputError(_at(path, node), f"{label} must be {valid}, not {_shown(node)}")


def _points(path: str, label: str, node: yaml.Node) -> float:
    """`fail-under` and `max-drop`, by the validator the command line and the action use."""
    text = _text(node)
    value = None if text is None else parse_points(text)
    if value is None:
        raise InputError(_at(path, node), f"{label} must be {POINTS_EXPECTED}, not {_shown(node)}")
    return value


def _flag(path: str, label: str, node: yaml.Node) -> bool:
    if not (isinstance(node, yaml.ScalarNode) and node.tag == _BOOL):
        raise InputError(_at(path, node), f"{label} must be true or false")
    return yaml.SafeLoader.bool_values[str(node.value).lower()]
