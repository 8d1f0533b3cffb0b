"""The GitHub REST client against a real HTTP server on loopback (tests/fakegithub.py).

Time is faked: `sleep` records and advances a clock, so retries are checked to the second and
nothing really waits.
"""

from __future__ import annotations

import socket
import time
import traceback
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from fakegithub import (
    RATE_LIMITED,
    READ_ONLY,
    SECONDARY_RATE_LIMIT,
    VALIDATION_FAILED,
    FakeGitHub,
)
from image_docs_audit import __version__
from image_docs_audit.github.client import GitHubClient, GitHubError, parse_links

TOKEN = "ghs_S3cr3tT0k3nThatMustNeverBeShown0123"
WALL = 1_700_000_000.0
COMMENTS = "/repos/o/r/issues/7/comments"
# Page 2 of 5 in paginate-issues.json (octokit/fixtures), the shape the fake must copy.
RECORDED_PAGE_2 = (
    '<https://api.github.com/repositories/1000/issues?per_page=3&page=1>; rel="prev", '
    '<https://api.github.com/repositories/1000/issues?per_page=3&page=3>; rel="next", '
    '<https://api.github.com/repositories/1000/issues?per_page=3&page=5>; rel="last", '
    '<https://api.github.com/repositories/1000/issues?per_page=3&page=1>; rel="first"'
)


class FakeTime:
    """`sleep` records the wait and moves both clocks; nothing waits for real."""

    def __init__(self) -> None:
        self.now = 0.0
        self.sleeps: list[float] = []

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds

    def clock(self) -> float:
        return self.now

    def wall(self) -> float:
        return WALL + self.now


def make_client(url: str, fake_time: FakeTime, **options: Any) -> GitHubClient:
    return GitHubClient(
        TOKEN,
        url,
        sleep=fake_time.sleep,
        clock=fake_time.clock,
        wall=fake_time.wall,
        **{"timeout": 2.0, **options},
    )


@pytest.fixture
def client(gh: FakeGitHub, fake_time: FakeTime) -> Iterator[GitHubClient]:
    with make_client(gh.url, fake_time) as github:
        yield github


def raised(call: Callable[[], object]) -> GitHubError:
    with pytest.raises(GitHubError) as caught:
        call()
    return caught.value


def free_port() -> int:
    """A port nothing listens on: bound, read, closed."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
    return port


# -- pagination ---------------------------------------------------------------------------------


def test_paginate_yields_three_pages_in_order(
    gh: FakeGitHub, client: GitHubClient, fake_time: FakeTime
) -> None:
    ids = [gh.add_comment("o/r", 7, f"comment {n}")["id"] for n in range(250)]

    items = list(client.paginate(COMMENTS))

    assert [item["id"] for item in items] == ids
    assert [(r.method, r.path, r.query) for r in gh.requests] == [
        ("GET", COMMENTS, {"per_page": "100"}),
        ("GET", "/repositories/1000/issues/7/comments", {"per_page": "100", "page": "2"}),
        ("GET", "/repositories/1000/issues/7/comments", {"per_page": "100", "page": "3"}),
    ]
    assert fake_time.sleeps == []


def test_paginate_keeps_the_callers_params(gh: FakeGitHub, client: GitHubClient) -> None:
    ids = [gh.add_comment("o/r", 7, f"comment {n}")["id"] for n in range(5)]

    items = list(client.paginate(COMMENTS, {"per_page": 2, "since": "2024-01-01T00:00:00Z"}))

    assert [item["id"] for item in items] == ids
    assert [r.query.get("page") for r in gh.requests] == [None, "2", "3"]
    assert all(r.query["since"] == "2024-01-01T00:00:00Z" for r in gh.requests)


def test_fake_pagination_links_have_the_recorded_shape(
    gh: FakeGitHub, client: GitHubClient
) -> None:
    ids = [gh.add_comment("o/r", 1, f"comment {n}")["id"] for n in range(13)]

    page = client.request("GET", "/repos/o/r/issues/1/comments", params={"per_page": 3, "page": 2})

    assert [item["id"] for item in page.data] == ids[3:6]
    recorded = RECORDED_PAGE_2.replace(
        "https://api.github.com/repositories/1000/issues",
        f"{gh.url}/repositories/1000/issues/1/comments",
    )
    assert page.headers["link"] == recorded


@pytest.mark.parametrize(
    "target",
    [
        "https://evil.example/repositories/1000/issues/7/comments?page=2",
        "http://localhost:{port}/repositories/1000/issues/7/comments?page=2",
        "https://127.0.0.1:{port}/repositories/1000/issues/7/comments?page=2",
        "http://127.0.0.1:9/repositories/1000/issues/7/comments?page=2",
    ],
    ids=["other-host", "other-name", "other-scheme", "other-port"],
)
def test_paginate_refuses_a_next_link_elsewhere(
    gh: FakeGitHub, client: GitHubClient, target: str
) -> None:
    target = target.format(port=gh.port)
    gh.fail("GET", COMMENTS, 200, body=[{"id": 1}], headers={"Link": f'<{target}>; rel="next"'})
    seen: list[Any] = []

    error = raised(lambda: seen.extend(client.paginate(COMMENTS)))

    assert seen == [{"id": 1}]
    assert len(gh.requests) == 1
    assert error.status == 0
    assert str(error) == (
        f"GitHub API: GET {COMMENTS} -> not sending the token outside {gh.url}: "
        f"{target.split('?')[0]}"
    )


def test_paginate_refuses_an_object_body(gh: FakeGitHub, client: GitHubClient) -> None:
    gh.fail("GET", COMMENTS, 200, body={"total_count": 0, "items": []})

    error = raised(lambda: list(client.paginate(COMMENTS)))

    assert str(error) == f"GitHub API: GET {COMMENTS} -> 200 expected a JSON list"


def test_paginate_stops_a_link_that_loops(gh: FakeGitHub, client: GitHubClient) -> None:
    again = f"{gh.url}{COMMENTS}?per_page=100"
    gh.fail("GET", COMMENTS, 200, body=[1], headers={"Link": f'<{again}>; rel="next"'}, times=5)

    error = raised(lambda: list(client.paginate(COMMENTS)))

    assert "pagination loops back" in str(error)
    assert len(gh.requests) == 2


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        (
            RECORDED_PAGE_2,
            {"prev": "page=1", "next": "page=3", "last": "page=5", "first": "page=1"},
        ),
        (
            '<https://x/?page=2>; rel="next", <https://x/?page=9>; rel="last"',
            {"next": "page=2", "last": "page=9"},
        ),
        ('<https://x/a,b?page=2>; title="a, <b>; rel=prev"; rel="next"', {"next": "page=2"}),
        ("<https://x/?page=2>;rel=next", {"next": "page=2"}),
        ('<https://x/?page=2>; rel="prev next"', {"prev": "page=2", "next": "page=2"}),
        ('<https://x/?page=2>; rel="next"; rel="prev"', {"next": "page=2"}),
        ('<https://x/?page=2>; REL="Next"', {"next": "page=2"}),
        ('<https://x/?page=1>; rel="prev"', {"prev": "page=1"}),
        ("", {}),
        ("garbage", {}),
    ],
)
def test_parse_links_reads_rfc_8288(header: str, expected: dict[str, str]) -> None:
    links = parse_links(header)

    assert {
        rel: uri.rsplit("&", 1)[-1].rsplit("?", 1)[-1] for rel, uri in links.items()
    } == expected


# -- retries ------------------------------------------------------------------------------------


def test_a_502_is_retried_once(gh: FakeGitHub, client: GitHubClient, fake_time: FakeTime) -> None:
    gh.fail("GET", "/user", 502)

    response = client.request("GET", "/user")

    assert response.status == 200
    assert response.data["login"] == "github-actions[bot]"
    assert len(fake_time.sleeps) == 1
    assert 1.0 <= fake_time.sleeps[0] <= 1.1
    assert len(gh.requests) == 2


def test_a_429_waits_for_retry_after(
    gh: FakeGitHub, client: GitHubClient, fake_time: FakeTime
) -> None:
    gh.fail("POST", r"/repos/o/r/issues/\d+/comments", 429, headers={"Retry-After": "2"})

    response = client.request("POST", COMMENTS, json={"body": "audit"})

    assert fake_time.sleeps == [2.0]
    assert response.status == 201
    assert [c["body"] for c in gh.comments("o/r", 7)] == ["audit"]
    assert response.data == gh.comments("o/r", 7)[0]


@pytest.mark.parametrize(
    ("status", "headers"),
    [(403, {}), (403, {"Retry-After": "60"}), (429, {})],
)
def test_a_secondary_rate_limit_is_retried(
    gh: FakeGitHub,
    client: GitHubClient,
    fake_time: FakeTime,
    status: int,
    headers: dict[str, str],
) -> None:
    comment = gh.add_comment("o/r", 7, "old")
    body = {**SECONDARY_RATE_LIMIT, "status": str(status)}
    gh.fail("PATCH", r"/repos/o/r/issues/comments/\d+", status, body=body, headers=headers)
    path = f"/repos/o/r/issues/comments/{comment['id']}"

    response = client.request("PATCH", path, json={"body": "new"})

    assert response.data["body"] == "new"
    assert [c["body"] for c in gh.comments("o/r", 7)] == ["new"]
    assert len(fake_time.sleeps) == 1
    if "Retry-After" in headers:
        assert fake_time.sleeps == [60.0]
    else:  # no hint: the first backoff step, 1 s and up to 10% jitter
        assert 1.0 <= fake_time.sleeps[0] <= 1.1


def test_an_exhausted_rate_limit_waits_until_the_reset(
    gh: FakeGitHub, client: GitHubClient, fake_time: FakeTime
) -> None:
    comment = gh.add_comment("o/r", 7, "stale")
    reset = {"X-RateLimit-Remaining": "0", "X-RateLimit-Reset": str(int(WALL) + 42)}
    gh.fail("DELETE", r"/repos/o/r/issues/comments/\d+", 403, body=RATE_LIMITED, headers=reset)

    response = client.request("DELETE", f"/repos/o/r/issues/comments/{comment['id']}")

    assert fake_time.sleeps == [42.0]
    assert (response.status, response.data) == (204, None)
    assert gh.comments("o/r", 7) == []


def test_retries_stop_within_the_budget(gh: FakeGitHub, fake_time: FakeTime) -> None:
    gh.fail("GET", "/user", 502, times=100)

    with make_client(gh.url, fake_time, retry_budget=10) as client:
        error = raised(lambda: client.request("GET", "/user"))

    assert (error.status, error.message) == (502, "Bad Gateway")
    assert [round(s) for s in fake_time.sleeps] == [1, 2, 4]  # the next, 8 s, would overrun
    assert sum(fake_time.sleeps) <= 10
    assert len(gh.requests) == 4


@pytest.mark.parametrize(
    "headers",
    [
        {"Retry-After": "120"},
        {"X-RateLimit-Remaining": "0", "X-RateLimit-Reset": str(int(WALL) + 3600)},
    ],
    ids=["retry-after", "reset"],
)
def test_a_wait_beyond_the_budget_gives_up_at_once(
    gh: FakeGitHub, client: GitHubClient, fake_time: FakeTime, headers: dict[str, str]
) -> None:
    gh.fail("GET", "/user", 403, body=RATE_LIMITED, headers=headers)

    error = raised(lambda: client.request("GET", "/user"))

    assert error.status == 403
    assert error.message == "API rate limit exceeded for installation ID 1000."
    assert fake_time.sleeps == []
    assert len(gh.requests) == 1


# -- errors that are not retried -----------------------------------------------------------------


def test_a_read_only_token_is_not_retried(
    gh: FakeGitHub, client: GitHubClient, fake_time: FakeTime
) -> None:
    comment = gh.add_comment("o/r", 7, "old")
    gh.fail("PATCH", r"/repos/o/r/issues/comments/\d+", 403, body=READ_ONLY)
    path = f"/repos/o/r/issues/comments/{comment['id']}"

    error = raised(lambda: client.request("PATCH", path, json={"body": "new"}))

    assert str(error) == f"GitHub API: PATCH {path} -> 403 Resource not accessible by integration"
    assert error.documentation_url == READ_ONLY["documentation_url"]
    assert fake_time.sleeps == []
    assert len(gh.requests) == 1
    assert [c["body"] for c in gh.comments("o/r", 7)] == ["old"]


def test_get_user_with_an_installation_token(
    gh: FakeGitHub, client: GitHubClient, fake_time: FakeTime
) -> None:
    gh.user_forbidden = True

    error = raised(lambda: client.request("GET", "/user"))

    assert str(error) == "GitHub API: GET /user -> 403 Resource not accessible by integration"
    assert error.documentation_url is not None
    assert error.documentation_url.endswith("#get-the-authenticated-user")
    assert fake_time.sleeps == []


def test_an_unknown_pull_request_is_404(
    gh: FakeGitHub, client: GitHubClient, fake_time: FakeTime
) -> None:
    gh.known_issues = {("o/r", 7)}

    error = raised(lambda: list(client.paginate("/repos/o/r/issues/8/comments")))

    assert str(error) == "GitHub API: GET /repos/o/r/issues/8/comments -> 404 Not Found"
    assert (
        error.documentation_url
        == "https://docs.github.com/rest/issues/comments#list-issue-comments"
    )
    assert fake_time.sleeps == []


def test_a_422_keeps_githubs_message_and_errors(
    gh: FakeGitHub, client: GitHubClient, fake_time: FakeTime
) -> None:
    gh.fail("POST", "/repos/o/r/labels", 422, body=VALIDATION_FAILED)

    error = raised(lambda: client.request("POST", "/repos/o/r/labels", json={"color": "x"}))

    assert (error.status, error.message) == (422, "Validation Failed")
    assert error.details == ("Label.color: invalid",)
    assert error.documentation_url == VALIDATION_FAILED["documentation_url"]
    assert str(error) == (
        "GitHub API: POST /repos/o/r/labels -> 422 Validation Failed (Label.color: invalid)"
    )
    assert fake_time.sleeps == []


@pytest.mark.parametrize(
    ("payload", "expected"),
    [
        (
            {"body": "x" * 65537},
            "422 Validation Failed (Body is too long (maximum is 65536 characters))",
        ),
        ({}, '422 Invalid request. "body" wasn\'t supplied.'),
    ],
)
def test_a_422_is_one_line(client: GitHubClient, payload: dict[str, str], expected: str) -> None:
    error = raised(lambda: client.request("POST", COMMENTS, json=payload))

    assert str(error) == f"GitHub API: POST {COMMENTS} -> {expected}"


def test_bad_credentials_are_not_retried(gh: FakeGitHub, fake_time: FakeTime) -> None:
    gh.require_token = "another"

    with make_client(gh.url, fake_time) as client:
        error = raised(lambda: client.request("GET", "/user"))

    assert str(error) == "GitHub API: GET /user -> 401 Bad credentials"
    assert fake_time.sleeps == []


def test_an_answer_that_is_not_json(gh: FakeGitHub, client: GitHubClient) -> None:
    gh.fail("GET", "/user", 200, body="<html>Unicorn!</html>")

    error = raised(lambda: client.request("GET", "/user"))

    assert str(error) == "GitHub API: GET /user -> 200 answer is not JSON"


def test_an_html_502_uses_the_status_phrase(gh: FakeGitHub, fake_time: FakeTime) -> None:
    gh.fail("GET", "/user", 502, body="<html>Unicorn!</html>", times=10)

    with make_client(gh.url, fake_time, retry_budget=0) as client:
        error = raised(lambda: client.request("GET", "/user"))

    assert str(error) == "GitHub API: GET /user -> 502 Bad Gateway"


# -- network failures -----------------------------------------------------------------------------


def test_connection_refused_gives_status_0(fake_time: FakeTime) -> None:
    url = f"http://127.0.0.1:{free_port()}"
    started = time.monotonic()

    with make_client(url, fake_time, timeout=1.0, retry_budget=5) as client:
        error = raised(lambda: client.request("GET", "/user"))

    assert time.monotonic() - started < 2
    assert error.status == 0
    assert error.message == f"cannot reach {url}: Connection refused"
    assert str(error) == f"GitHub API: GET /user -> cannot reach {url}: Connection refused"
    assert [round(s) for s in fake_time.sleeps] == [1, 2]  # then 4 s would overrun 5 s


def test_a_timeout_gives_status_0(gh: FakeGitHub, fake_time: FakeTime) -> None:
    gh.fail("GET", "/user", 200, body={}, delay=1.0)

    with make_client(gh.url, fake_time, timeout=0.1, retry_budget=0) as client:
        error = raised(lambda: client.request("GET", "/user"))

    assert str(error) == f"GitHub API: GET /user -> cannot reach {gh.url}: timed out (ReadTimeout)"


# -- the token never shows -----------------------------------------------------------------------


def _read_only(gh: FakeGitHub, client: GitHubClient) -> object:
    gh.fail("PATCH", r".*", 403, body=READ_ONLY)
    return client.request("PATCH", "/repos/o/r/issues/comments/1", json={"body": TOKEN})


def _bad_credentials(gh: FakeGitHub, client: GitHubClient) -> object:
    gh.require_token = "another"
    return client.request("GET", "/user")


def _echoed(gh: FakeGitHub, client: GitHubClient) -> object:
    gh.fail("GET", "/user", 400, body={"message": f"bad header Bearer {TOKEN}", "errors": [TOKEN]})
    return client.request("GET", "/user")


def _exhausted(gh: FakeGitHub, client: GitHubClient) -> object:
    gh.fail("GET", "/user", 503, times=100)
    return client.request("GET", "/user")


def _not_json(gh: FakeGitHub, client: GitHubClient) -> object:
    gh.fail("GET", "/user", 200, body=f"<html>{TOKEN}")
    return client.request("GET", "/user")


def _elsewhere(gh: FakeGitHub, client: GitHubClient) -> object:
    gh.fail("GET", COMMENTS, 200, body=[], headers={"Link": '<https://evil.example/>; rel="next"'})
    return list(client.paginate(COMMENTS))


def _reflected_in_links(gh: FakeGitHub, client: GitHubClient) -> object:
    # Page 2's link carries the token back to api_url; page 3's goes elsewhere with it.
    page_2 = f"{gh.url}{COMMENTS}?page=2&t={TOKEN}"
    gh.fail("GET", COMMENTS, 200, body=[], headers={"Link": f'<{page_2}>; rel="next"'})
    page_3 = f"https://evil.example/{TOKEN}?t={TOKEN}"
    gh.fail("GET", COMMENTS, 200, body=[], headers={"Link": f'<{page_3}>; rel="next"'})
    return list(client.paginate(COMMENTS))


def _reflected_in_documentation_url(gh: FakeGitHub, client: GitHubClient) -> object:
    gh.fail("GET", "/user", 404, body={"message": "Not Found", "documentation_url": TOKEN})
    return client.request("GET", "/user")


def _not_found(gh: FakeGitHub, client: GitHubClient) -> object:
    return client.request("DELETE", "/repos/o/r/issues/comments/99")


def _validation(gh: FakeGitHub, client: GitHubClient) -> object:
    return client.request("POST", COMMENTS, json={"body": TOKEN * 3000})


@pytest.mark.parametrize(
    "scenario",
    [
        _read_only,
        _bad_credentials,
        _echoed,
        _exhausted,
        _not_json,
        _elsewhere,
        _reflected_in_links,
        _reflected_in_documentation_url,
        _not_found,
        _validation,
    ],
)
def test_the_token_is_never_in_an_error(
    gh: FakeGitHub,
    client: GitHubClient,
    scenario: Callable[[FakeGitHub, GitHubClient], object],
) -> None:
    error = raised(lambda: scenario(gh, client))

    assert_no_token(error)


@pytest.mark.parametrize("kind", ["refused", "timeout"])
def test_the_token_is_never_in_a_network_error(
    gh: FakeGitHub, fake_time: FakeTime, kind: str
) -> None:
    gh.fail("GET", "/user", 200, body={}, delay=1.0)
    url = f"http://127.0.0.1:{free_port()}" if kind == "refused" else gh.url

    with make_client(url, fake_time, timeout=0.1, retry_budget=0) as client:
        error = raised(lambda: client.request("GET", "/user"))

    assert error.status == 0
    assert_no_token(error)


def assert_no_token(error: GitHubError) -> None:
    shown = [str(error), repr(error), "".join(traceback.format_exception(error)), str(vars(error))]
    assert all(TOKEN not in text for text in shown)


def test_the_client_repr_has_no_token(client: GitHubClient) -> None:
    assert TOKEN not in repr(client)


@pytest.mark.parametrize("token", ["", "   ", "has space", "line\nbreak", "caf\u00e9"])
def test_a_token_that_cannot_go_in_a_header_is_refused(token: str) -> None:
    with pytest.raises(ValueError, match="GitHub token") as caught:
        GitHubClient(token)

    assert token.strip() == "" or token not in str(caught.value)


def test_a_token_with_a_trailing_newline_is_trimmed(gh: FakeGitHub, fake_time: FakeTime) -> None:
    with GitHubClient(TOKEN + "\n", gh.url, sleep=fake_time.sleep) as client:
        assert client.request("GET", "/user").status == 200


# -- what every request carries ----------------------------------------------------------------


def test_every_request_carries_githubs_headers(gh: FakeGitHub, client: GitHubClient) -> None:
    for n in range(120):
        gh.add_comment("o/r", 7, f"comment {n}")
    gh.fail("GET", "/user", 502)

    client.request("GET", "/user")
    list(client.paginate(COMMENTS))

    assert len(gh.requests) == 4
    for request in gh.requests:
        assert request.headers["authorization"] == f"Bearer {TOKEN}"
        assert request.headers["accept"] == "application/vnd.github+json"
        assert request.headers["x-github-api-version"] == "2022-11-28"
        assert request.headers["user-agent"] == f"image-docs-audit/{__version__}"


def test_response_headers_have_lower_case_names(client: GitHubClient) -> None:
    response = client.request("GET", "/user")

    assert response.headers["x-ratelimit-limit"] == "5000"
    assert response.headers["content-type"] == "application/json; charset=utf-8"


def test_an_absolute_url_under_api_url_is_followed(gh: FakeGitHub, client: GitHubClient) -> None:
    comment = gh.add_comment("o/r", 7, "old")

    response = client.request("PATCH", comment["url"], json={"body": "new"})

    assert response.data["body"] == "new"


def test_an_absolute_url_elsewhere_is_refused(gh: FakeGitHub, client: GitHubClient) -> None:
    error = raised(lambda: client.request("GET", "https://evil.example/user"))

    assert error.status == 0
    assert gh.requests == []


# -- GitHub Enterprise ----------------------------------------------------------------------------


def test_an_enterprise_api_url_keeps_its_prefix(fake_time: FakeTime) -> None:
    with FakeGitHub(api_prefix="/api/v3") as gh:
        for n in range(150):
            gh.add_comment("o/r", 7, f"comment {n}")

        with make_client(gh.url + "/", fake_time) as client:
            user = client.request("GET", "/user")
            items = list(client.paginate(COMMENTS))

        assert gh.url.endswith("/api/v3")
        assert user.data["login"] == "github-actions[bot]"
        assert len(items) == 150
        assert [r.path for r in gh.requests] == [
            "/user",
            COMMENTS,
            "/repositories/1000/issues/7/comments",
        ]


def test_an_enterprise_link_outside_the_prefix_is_refused(fake_time: FakeTime) -> None:
    with FakeGitHub(api_prefix="/api/v3") as gh:
        outside = f"http://127.0.0.1:{gh.port}/uploads/x?page=2"
        gh.fail("GET", COMMENTS, 200, body=[], headers={"Link": f'<{outside}>; rel="next"'})

        with make_client(gh.url, fake_time) as client:
            error = raised(lambda: list(client.paginate(COMMENTS)))

        assert "not sending the token outside" in str(error)
        assert len(gh.requests) == 1


def test_without_the_prefix_the_enterprise_server_answers_404(fake_time: FakeTime) -> None:
    with FakeGitHub(api_prefix="/api/v3") as gh:
        root = f"http://127.0.0.1:{gh.port}"

        with make_client(root, fake_time) as client:
            error = raised(lambda: client.request("GET", "/user"))

        assert error.status == 404


@pytest.mark.parametrize("api_url", ["ftp://ghe.example.com", "ghe.example.com/api/v3", ""])
def test_an_api_url_that_is_not_http_is_refused(api_url: str) -> None:
    with pytest.raises(ValueError, match="GitHub API URL"):
        GitHubClient(TOKEN, api_url)
