"""The GitHub client against answers GitHub never sends: a server or proxy gone wrong.

Each answer is bounded (time, size, pages, `Link` header) and each odd one is a one-line
`GitHubError`, so the action warns that the comment was not written and keeps its verdict.
Served by the real loopback server (tests/fakegithub.py); retry waits pass on a fake clock.
"""

from __future__ import annotations

import gzip
import json
import time
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from fakegithub import FakeGitHub
from image_docs_audit.github.client import (
    MAX_BODY,
    MAX_LINK,
    MAX_PAGES,
    GitHubClient,
    parse_links,
)
from test_action import DELETE_DOC, REPOSITORY, Run, comments, marker_of
from test_action import TOKEN as ACTION_TOKEN
from test_github_client import TOKEN, FakeTime, make_client, raised

COMMENTS = "/repos/o/r/issues/7/comments"
MAX_COMMENT = 65536  # characters, GitHub's limit for a comment's body


@pytest.fixture
def client(gh: FakeGitHub, fake_time: FakeTime) -> Iterator[GitHubClient]:
    with make_client(gh.url, fake_time) as github:
        yield github


def next_link(gh: FakeGitHub, target: str) -> None:
    gh.fail("GET", COMMENTS, 200, body=[{"id": 1}], headers={"Link": f'<{target}>; rel="next"'})


# -- malformed answers are GitHubErrors ------------------------------------------------------------


@pytest.mark.parametrize("target", ["http://[::1/x", "http://h/\x7f[", "http://[::1"])
def test_a_next_link_that_is_not_a_url_is_an_error(
    gh: FakeGitHub, client: GitHubClient, target: str
) -> None:
    next_link(gh, target)

    error = raised(lambda: list(client.paginate(COMMENTS)))

    assert str(error) == f"GitHub API: GET {COMMENTS} -> pagination link is not a URL: {target}"
    assert len(gh.requests) == 1


def test_json_nested_too_deep_is_not_json(gh: FakeGitHub, client: GitHubClient) -> None:
    gh.fail("GET", "/user", 200, body=b"[" * 100_000)

    error = raised(lambda: client.request("GET", "/user"))

    assert str(error) == "GitHub API: GET /user -> 200 answer is not JSON"


@pytest.mark.parametrize("errors", [5, True])
def test_graphql_errors_that_are_not_a_list(
    gh: FakeGitHub, client: GitHubClient, errors: object
) -> None:
    gh.fail("POST", "/graphql", 200, body={"data": None, "errors": errors})

    error = raised(lambda: client.graphql("query { viewer { login } }", {}))

    assert str(error) == "GitHub API: POST /graphql -> 200 error"


# -- the token never shows, whatever the server reflects -------------------------------------------


def test_a_link_elsewhere_with_the_token_is_quoted_without_it(
    gh: FakeGitHub, client: GitHubClient
) -> None:
    next_link(gh, f"http://127.0.0.2/{TOKEN}")

    error = raised(lambda: list(client.paginate(COMMENTS)))

    assert str(error) == (
        f"GitHub API: GET {COMMENTS} -> not sending the token outside {gh.url}: http://127.0.0.2/***"
    )


def test_a_loop_through_a_link_with_the_token_is_quoted_without_it(
    gh: FakeGitHub, client: GitHubClient
) -> None:
    again = f"{gh.url}{COMMENTS}?t={TOKEN}"
    gh.fail("GET", COMMENTS, 200, body=[], headers={"Link": f'<{again}>; rel="next"'}, times=2)

    error = raised(lambda: list(client.paginate(COMMENTS)))

    assert str(error) == (
        f"GitHub API: GET {COMMENTS}?t=*** -> pagination loops back to {gh.url}{COMMENTS}?t=***"
    )


def test_a_long_link_is_quoted_short(gh: FakeGitHub, client: GitHubClient) -> None:
    next_link(gh, "https://evil.example/" + "a" * 5000 + TOKEN)

    error = raised(lambda: list(client.paginate(COMMENTS)))

    assert len(str(error)) < 1200 and str(error).endswith("aaa\u2026")


# -- bounds: pages, Link header, body, time --------------------------------------------------------


def test_a_listing_follows_at_most_max_pages(gh: FakeGitHub, client: GitHubClient) -> None:
    per_page = 100
    for n in range(MAX_PAGES * per_page):
        gh.add_comment("o/r", 7, str(n))

    assert len(list(client.paginate(COMMENTS))) == MAX_PAGES * per_page  # the last page: fine

    gh.add_comment("o/r", 7, "one page too many")
    gh.requests.clear()
    error = raised(lambda: sum(1 for _ in client.paginate(COMMENTS)))

    assert str(error) == (
        f"GitHub API: GET /repositories/1000/issues/7/comments?per_page=100&page={MAX_PAGES} -> "
        f"more than {MAX_PAGES} pages: the list is not read to its end"
    )
    assert len(gh.requests) == MAX_PAGES


def test_a_link_header_over_the_cap_is_refused(gh: FakeGitHub, client: GitHubClient) -> None:
    gh.fail("GET", COMMENTS, 200, body=[], headers={"Link": "<" * 20_000})

    error = raised(lambda: list(client.paginate(COMMENTS)))

    assert str(error) == (
        f"GitHub API: GET {COMMENTS} -> 200 Link header of 20000 characters, more than {MAX_LINK}"
    )


@pytest.mark.parametrize(
    "header",
    ["<" * 60_000, "<>" * 30_000, '<x>; a="' * 7_500, "<x>; rel=" * 6_000, "<x" + ";a" * 30_000],
    ids=["open", "empty", "open-quote", "rel", "params"],
)
def test_parse_links_reads_a_header_once(header: str) -> None:
    # A pattern that went back over the rest from each `<` took 14 s on 60 KB of `<`; a
    # single pass takes milliseconds: the ceiling is a hundred times that.
    started = time.monotonic()

    parse_links(header)

    assert time.monotonic() - started < 2


@pytest.mark.parametrize("where", ["declared", "inflated"])
def test_an_answer_over_max_body_is_refused(
    gh: FakeGitHub, fake_time: FakeTime, where: str
) -> None:
    page = json.dumps([{"id": 1, "body": "x" * 200_000}]).encode()
    if where == "declared":  # Content-Length says it all
        gh.fail("GET", COMMENTS, 200, body=page)
    else:  # 600 bytes on the wire, 200 KB once gunzipped
        zipped = gzip.compress(page)
        gh.fail("GET", COMMENTS, 200, body=zipped, headers={"Content-Encoding": "gzip"})

    with make_client(gh.url, fake_time, max_body=100_000) as client:
        error = raised(lambda: list(client.paginate(COMMENTS)))

    assert (
        str(error)
        == f"GitHub API: GET {COMMENTS} -> 200 answer is over 100000 bytes (not GitHub's)"
    )
    assert len(gh.requests) == 1  # not retried: the same answer would come again


def test_the_largest_real_page_fits_max_body(gh: FakeGitHub, client: GitHubClient) -> None:
    # 100 comments of the most characters GitHub takes, each sent as `\u0001` (6 bytes).
    for _ in range(100):
        gh.add_comment("o/r", 7, "\x01" * MAX_COMMENT)

    page = client.request("GET", COMMENTS, params={"per_page": 100})

    assert len(page.data) == 100
    assert 100 * MAX_COMMENT * 6 < MAX_BODY


@pytest.mark.parametrize("drip_head", [False, True], ids=["body", "headers"])
def test_an_answer_sent_a_byte_at_a_time_ends_at_the_deadline(
    gh: FakeGitHub, fake_time: FakeTime, drip_head: bool
) -> None:
    # 215 bytes 0.05 s apart: 11 s whole, where each read waits 0.05 s, far under `timeout`.
    gh.fail("GET", "/user", 200, body={"login": "a" * 200}, drip=0.05, drip_head=drip_head)
    started = time.monotonic()

    with make_client(gh.url, fake_time, deadline=0.5, retry_budget=0) as client:
        error = raised(lambda: client.request("GET", "/user"))
        after = client.request("GET", "/user")  # the next call gets a connection of its own

    timed_out = "timed out (no whole answer in 0.5 seconds)"
    assert str(error) == f"GitHub API: GET /user -> cannot reach {gh.url}: {timed_out}"
    assert time.monotonic() - started < 5
    assert after.data["login"] == "github-actions[bot]"


def test_an_attempt_past_the_deadline_is_retried_in_the_budget(
    gh: FakeGitHub, fake_time: FakeTime
) -> None:
    gh.fail("GET", "/user", 200, body={"login": "slow"}, drip=0.05)

    with make_client(gh.url, fake_time, deadline=0.3, retry_budget=5) as client:
        user = client.request("GET", "/user")

    assert user.data["login"] == "github-actions[bot]"
    assert [round(s) for s in fake_time.sleeps] == [1]
    assert len(gh.requests) == 2


# -- the action: an odd answer is a warning, never the verdict -------------------------------------


def _bad_link(github: FakeGitHub, run: Run) -> None:
    link = '<http://[::1/x>; rel="next"'
    github.fail("GET", r"/repos/.*/issues/2/comments", 200, body=[], headers={"Link": link})


def _user_list(github: FakeGitHub, run: Run) -> None:
    github.fail("GET", "/user", 200, body=[])


def _user_empty(github: FakeGitHub, run: Run) -> None:
    github.fail("GET", "/user", 200)


def _our_comment_without_id(github: FakeGitHub, run: Run) -> None:
    ours = {"id": "1", "body": marker_of(run) + "\nold", "user": {"login": "github-actions[bot]"}}
    github.fail("GET", r"/repos/.*/issues/2/comments", 200, body=[ours])


def _token_in_link(github: FakeGitHub, run: Run) -> None:
    link = f'<http://127.0.0.2/{ACTION_TOKEN}>; rel="next"'
    github.fail("GET", r"/repos/.*/issues/2/comments", 200, body=[], headers={"Link": link})


@pytest.mark.parametrize(
    ("fault", "reason"),
    [
        (_bad_link, "GET /repos/{repo}/issues/2/comments -> pagination link is not a URL"),
        (_user_list, "GET /user -> 200 expected a JSON object"),
        (_user_empty, "GET /user -> 200 expected a JSON object"),
        (_our_comment_without_id, "GET /repos/{repo}/issues/2/comments -> 200 our comment has no"),
        (_token_in_link, "GET /repos/{repo}/issues/2/comments -> not sending the token outside"),
    ],
)
def test_an_odd_answer_leaves_the_verdict(
    run: Run, fault: Callable[[FakeGitHub, Run], None], reason: str
) -> None:
    fault(run.github, run)
    run.head(DELETE_DOC)
    run.event("pull_request", "pull_request.opened.json")

    code, out, err = run.run()  # which also checks that the token is nowhere

    assert (code, err) == (1, "")
    warning = "::warning title=image-docs-audit::the pull-request comment was not written: "
    assert f"{warning}GitHub API: {reason.format(repo=REPOSITORY)}" in out
    assert run.outputs()["verdict"] == "fail"


def test_a_comment_whose_user_is_not_an_object_is_not_ours(run: Run) -> None:
    odd: dict[str, Any] = {"id": 1, "body": marker_of(run), "user": "github-actions[bot]"}
    run.github.fail("GET", r"/repos/.*/issues/2/comments", 200, body=[odd])
    run.head(DELETE_DOC)
    run.event("pull_request", "pull_request.opened.json")

    code, out, err = run.run()

    assert (code, err) == (1, "")
    assert "comment created" in out and "::warning" not in out
    assert len(comments(run.github)) == 1
