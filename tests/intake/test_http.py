"""digest/intake/http.py against a real server on 127.0.0.1: politeness, retries, clear failures."""

from __future__ import annotations

import email.utils
import time

import pytest

from digest.errors import DigestError
from digest.intake.http import ARXIV_INTERVAL, Client, arxiv_client, retry_after, user_agent
from tests.support.recorded_server import RecordedServer, Reply, closed_port, server  # noqa: F401

REPO = "https://github.com/paper-digest/paper-digest"


class FakeTime:
    """An injected clock and sleep: sleeping moves the clock, nothing waits."""

    def __init__(self) -> None:
        self.now = 1000.0
        self.slept: list[float] = []

    def clock(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.now += seconds


def client(fake: FakeTime | None = None, **options: object) -> Client:
    fake = fake or FakeTime()
    settings = {"user_agent": user_agent(REPO), "sleep": fake.sleep, "clock": fake.clock,
                "read_timeout": 2.0, **options}
    return Client("Test API", **settings)  # type: ignore[arg-type]


def test_user_agent_names_the_project_and_its_repository(server: RecordedServer) -> None:
    server.on("/x", Reply(200, b"ok"))
    with client() as http:
        assert http.get(server.base + "/x", {"q": "a b"}) == b"ok"
    agent = server.requests[0].headers["User-Agent"]
    assert agent.startswith("paper-digest/") and REPO in agent
    assert server.requests[0].query == {"q": ["a b"]}


def test_arxiv_requests_are_three_seconds_apart_by_default(
        server: RecordedServer, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("DIGEST_ARXIV_INTERVAL")
    server.on("/api/query", Reply(200, b"<feed/>"))
    fake = FakeTime()
    with arxiv_client(REPO, sleep=fake.sleep, clock=fake.clock) as http:
        http.get(server.base + "/api/query")
        fake.now += 1.0  # one second of work between the two requests
        http.get(server.base + "/api/query")
    assert ARXIV_INTERVAL == 3.0
    assert fake.slept == [pytest.approx(2.0)]
    assert len(server.requests) == 2


def test_429_waits_as_retry_after_says_then_succeeds(server: RecordedServer) -> None:
    server.on("/x", Reply(429, headers={"Retry-After": "7"}), Reply(200, b"done"))
    fake = FakeTime()
    with client(fake) as http:
        assert http.get(server.base + "/x") == b"done"
    assert fake.slept == [7.0]
    assert len(server.requests) == 2


def test_retry_after_as_an_http_date_is_measured_from_the_servers_date() -> None:
    now = time.time()
    assert retry_after(email.utils.formatdate(now + 30, usegmt=True),
                       email.utils.formatdate(now, usegmt=True)) == pytest.approx(30, abs=1)
    assert retry_after("12") == 12.0
    assert retry_after("soon") is None


def test_5xx_is_retried_with_backoff_then_fails_clearly(server: RecordedServer) -> None:
    server.on("/x", Reply(503))
    fake = FakeTime()
    with client(fake) as http, pytest.raises(DigestError) as caught:
        http.get(server.base + "/x?id=1")
    assert fake.slept == [1.0, 2.0]
    assert len(server.requests) == 3
    assert str(caught.value) == (f"Test API ({server.base}/x): HTTP 503 Service Unavailable "
                                 "after 3 tries: the service has a problem; try again later")


def test_a_retry_after_beyond_the_budget_fails_at_once(server: RecordedServer) -> None:
    server.on("/x", Reply(429, headers={"Retry-After": "3600"}))
    fake = FakeTime()
    with client(fake) as http, pytest.raises(DigestError, match="asks to wait 3600 s"):
        http.get(server.base + "/x")
    assert fake.slept == [] and len(server.requests) == 1


def test_404_says_what_was_not_found(server: RecordedServer) -> None:
    with client() as http, pytest.raises(DigestError) as caught:
        http.get(server.base + "/missing", not_found="no such list; check DIGEST_HF_API")
    assert str(caught.value) == (f"Test API ({server.base}/missing): HTTP 404 Not Found: "
                                 "no such list; check DIGEST_HF_API")


def test_an_answer_over_the_cap_is_refused(server: RecordedServer) -> None:
    server.on("/big", Reply(200, b"x" * 5000))
    server.on("/unsized", Reply(200, b"x" * 5000, length=-1))
    with client(max_bytes=1000) as http:
        for path in ("/big", "/unsized"):
            with pytest.raises(DigestError, match="larger than 1,000 bytes"):
                http.get(server.base + path)


def test_a_cut_off_answer_is_an_error_not_a_short_body(server: RecordedServer) -> None:
    server.on("/cut", Reply(200, b"[{\"paper\":", length=5000))
    with client() as http, pytest.raises(DigestError, match="broke off"):
        http.get(server.base + "/cut")


def test_a_slow_server_times_out(server: RecordedServer) -> None:
    server.on("/slow", Reply(200, b"late", delay=1.5))
    with client(read_timeout=0.3) as http, pytest.raises(DigestError) as caught:
        http.get(server.base + "/slow")
    assert str(caught.value) == (f"Test API ({server.base}/slow): sent no answer within "
                                 "0.3 s; check your network or try again later")


def test_an_unreachable_host_is_one_clear_line() -> None:
    url = f"http://127.0.0.1:{closed_port()}/api/query"
    with client() as http, pytest.raises(DigestError) as caught:
        http.get(url, {"id_list": "2305.18290"})
    message = str(caught.value)
    assert message.startswith(f"Test API ({url}): cannot connect (")
    assert message.endswith("check your network or try again later")
    assert "\n" not in message and "id_list" not in message


def test_an_address_that_is_not_http_names_the_variable() -> None:
    http = client(env_var="DIGEST_HF_API")
    with pytest.raises(DigestError, match="not an http\\(s\\) address; check DIGEST_HF_API"):
        http.get("ftp://example.org/api")
