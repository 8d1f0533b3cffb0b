"""The subject index gives the answers of comparing a subject with every image's names.

`Names.named` and `variant_of` look only at the names an index picks; the
reference functions here compare with all of them, as the rules read.
"""

from __future__ import annotations

import difflib
import time
from collections.abc import Sequence

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from image_docs_audit.docs import subjects as subjects_module
from image_docs_audit.docs.subjects import (
    Names,
    _distinctive,
    _filler,
    _variant,
    _without_prefix,
    variant_of,
)
from image_docs_audit.docs.subjects import subject as subject_of

# Few, similar words, so that plurals, abbreviations and near spellings meet often.
_WORDS = st.sampled_from(
    [
        "acme", "api", "apis", "gateway", "gw", "gateways", "payment", "payments", "pay",
        "router", "routers", "xrdp", "integration", "cache", "caches", "redis", "reddis",
        "postgres", "postgre", "auth", "authz", "service", "billing", "biling", "policy",
        "policies", "a1", "ledger", "ledgr",
        # One word against one-word names: abbreviations (`pymnt`), near spellings with
        # another first letter (`xgateway`, `eledger`), and alike words that are neither.
        "pymnt", "xgateway", "gatewey", "eledger", "ledgers", "kafka", "kafkas", "kafak",
        "routr", "billling", "zzzzz", "gxtxwxy", "itgtn",  # `itgtn`: no pair of `integration`
    ]
)  # fmt: skip
_LIST = st.lists(_WORDS, min_size=1, max_size=4).map(tuple)
_IMAGES = st.dictionaries(
    st.text("abcdefgh", min_size=1, max_size=3),
    st.lists(_LIST, min_size=1, max_size=3).map(lambda lists: tuple(dict.fromkeys(lists))),
    max_size=12,
)
_PREFIX = st.sampled_from([(), ("acme",), ("acme", "api")])


def _named(names: Names, subject: Sequence[str]) -> bool:
    return any(
        tuple(subject[i : i + len(name)]) == name
        for lists in names.by_image.values()
        for name in lists
        for i in range(len(subject) - len(name) + 1)
    )


def _variants(found: Sequence[str], names: Names) -> list[str]:
    rest = _without_prefix(found, names.prefix)
    if not rest or not any(_distinctive(word) for word in rest):
        return []
    return [
        image
        for image, lists in names.by_image.items()
        if any(_variant(rest, _without_prefix(name, names.prefix)) for name in lists)
    ]


@settings(max_examples=400, deadline=None)
@given(_IMAGES, _PREFIX, st.lists(_LIST, min_size=1, max_size=6))
def test_index_agrees_with_comparing_every_name(
    by_image: dict[str, tuple[tuple[str, ...], ...]],
    prefix: tuple[str, ...],
    subjects: list[tuple[str, ...]],
) -> None:
    names = Names(by_image, prefix)
    for subject in [*subjects, *subjects]:  # twice: the second answer is remembered
        assert names.named(subject) == _named(names, subject)
        assert variant_of(subject, names) == _variants(subject, names)


def test_plural_abbreviation_and_part_of_a_name() -> None:
    names = Names(
        {
            "a": (("acme", "payment", "gateway"), ("payment", "gateway")),
            "b": (("acme", "xrdp", "integration"), ("xrdp", "integration")),
            "c": (("redis",),),
        },
        ("acme",),
    )
    assert variant_of(["payments", "gw"], names) == ["a"]
    assert variant_of(["xrdp"], names) == ["b"]
    assert variant_of(["reddis"], names) == ["c"]
    assert variant_of(["acme", "billing"], names) == []
    assert names.named(["step", "payment", "gateway"])
    assert not names.named(["payment"])


def test_only_short_pairs_of_words_are_remembered() -> None:
    """A heading may be one megabyte-long word: pairs of words are compared the same way
    whatever their length, and only pairs of short words are remembered."""
    from image_docs_audit.docs import subjects  # noqa: PLC0415

    subjects._close_cached.cache_clear()
    long_word = "q" * 300
    assert subjects._close("gateways", "gateway") is True
    assert subjects._close(long_word, "gateway") is False
    assert subjects._close(long_word, long_word) is True
    assert subjects._close_cached.cache_info().currsize == 1


def _close_by_difflib(a: str, b: str) -> bool:
    """Two words alike as the rule reads it, with difflib's three ratios."""
    matcher = difflib.SequenceMatcher(None, a, b)
    return min(len(a), len(b)) >= 4 and (
        matcher.real_quick_ratio() >= subjects_module._CLOSE_RATIO
        and matcher.quick_ratio() >= subjects_module._CLOSE_RATIO
        and matcher.ratio() >= subjects_module._CLOSE_RATIO
    )


@settings(max_examples=500, deadline=None)
@given(st.text("abcdeé", min_size=1, max_size=12), st.text("abcdeé", min_size=1, max_size=12))
def test_the_quick_ratios_before_the_matcher_are_difflib_s(a: str, b: str) -> None:
    """The upper bounds of the ratio are worked out without a matcher: they refuse the
    pairs difflib's refuse (only the stems and abbreviations come before them)."""
    abbreviated = subjects_module.stem(a) == subjects_module.stem(b) or (
        min(len(a), len(b)) >= 2 and len(a) != len(b) and a[0] == b[0]
    )
    if not abbreviated:
        assert subjects_module._close_words(a, b) == _close_by_difflib(a, b), (a, b)
    assert subjects_module._common_letters(a, b) == sum(
        min(a.count(letter), b.count(letter)) for letter in set(a)
    )


_SUBJECT_WORDS = st.lists(
    st.sampled_from(["report", "build", "step3", "phase12b", "api", "gateway", "2", "x"]),
    max_size=10,
)


@settings(max_examples=300, deadline=None)
@given(_SUBJECT_WORDS)
def test_a_subject_is_its_words_less_report_words_and_counters_at_either_end(
    found: list[str],
) -> None:
    expected = list(found)
    while expected and _filler(expected[0]):
        expected.pop(0)
    while expected and _filler(expected[-1]):
        expected.pop()
    assert subject_of(" ".join(found)) == expected


def test_a_heading_of_a_million_report_words_is_cut_at_once() -> None:
    """Report words dropped one by one from the front took the square of their number;
    the bound allows for a slow machine."""
    started = time.perf_counter()
    assert subject_of("report " * 500_000 + "api " + "build " * 500_000) == ["api"]
    assert time.perf_counter() - started < 30


def test_one_word_subjects_are_compared_with_the_one_word_names_spelled_alike() -> None:
    """A one-word subject is compared with one-word names by stem, first letter or a pair
    of letters in common: not with every one-word name of the inventory."""
    by_image = {f"i{n}": ((f"svc{n}",),) for n in range(1000)}
    by_image["k"] = (("kafka",),)
    by_image["n"] = (("integration",),)
    names = Names(by_image, ())
    assert variant_of(["kafkas"], names) == ["k"]  # its stem
    assert variant_of(["kafak"], names) == ["k"]  # as close as the ratio asks
    assert variant_of(["itgtn"], names) == ["n"]  # an abbreviation: its first letter
    spent = subjects_module.COMPARISONS - names._index.budget
    assert spent == 3  # `kafka` twice, `integration` once, never the thousand `svcN`
    assert variant_of(["h1234"], names) == []  # shares `12`, `23`, `34` with some `svcN`
    assert subjects_module.COMPARISONS - names._index.budget < 200


def test_past_the_budget_no_subject_is_compared(monkeypatch: pytest.MonkeyPatch) -> None:
    """The comparisons of an audit's subjects are bounded: the subject that would go past
    the budget and every one after it are not compared; those remembered still answer."""
    monkeypatch.setattr(subjects_module, "COMPARISONS", 3)
    names = Names({"a": (("payment", "gateway"),), "b": (("payment", "router"),)}, ())
    assert variant_of(["payments"], names) == ["a", "b"]  # two comparisons
    assert not names.exhausted
    assert variant_of(["payment", "gw"], names) == []  # two more: past the budget
    assert names.exhausted
    assert variant_of(["routers"], names) == []  # one comparison would do: none
    assert variant_of(["payments"], names) == ["a", "b"]  # remembered
