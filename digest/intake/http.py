"""The one HTTP client the importers use: polite to the services, clear when they fail.

arXiv asks API users for at most one request every three seconds and Hugging Face
rate-limits too, so every request carries a User-Agent naming the project, waits
``min_interval`` after the previous request to the same host, and retries 429 and
5xx answers a bounded number of times, honouring ``Retry-After``. Bodies are
streamed and refused past a size cap, so a runaway answer cannot fill the memory.
Every failure is a one-line DigestError naming the source and what to do.

Base URLs come from the environment so that tests point the real client at a local
server: ``DIGEST_ARXIV_API``, ``DIGEST_HF_API``, ``DIGEST_CROSSREF_API``;
``DIGEST_ARXIV_INTERVAL`` and ``DIGEST_CROSSREF_INTERVAL`` change the spacing of
arXiv and Crossref requests (tests set 0) and ``DIGEST_HTTP_TIMEOUT`` the connect
and read timeouts, in seconds.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import email.utils
import os
import time
from collections.abc import Callable, Mapping
from http import HTTPStatus
from importlib.metadata import PackageNotFoundError, version
from types import TracebackType
from urllib.parse import urlsplit, urlunsplit

import httpx

from digest.errors import DigestError

ARXIV_API_ENV = "DIGEST_ARXIV_API"
HF_API_ENV = "DIGEST_HF_API"
ARXIV_INTERVAL_ENV = "DIGEST_ARXIV_INTERVAL"
CROSSREF_API_ENV = "DIGEST_CROSSREF_API"
CROSSREF_INTERVAL_ENV = "DIGEST_CROSSREF_INTERVAL"
TIMEOUT_ENV = "DIGEST_HTTP_TIMEOUT"
DEFAULT_ARXIV_API = "http://export.arxiv.org/api/query"
DEFAULT_HF_API = "https://huggingface.co/api"
DEFAULT_CROSSREF_API = "https://api.crossref.org"
ARXIV_INTERVAL = 3.0  # arXiv's API terms: no more than one request every three seconds
CROSSREF_INTERVAL = 0.5  # well under the few requests a second Crossref allows either pool
CONNECT_TIMEOUT = 10.0
READ_TIMEOUT = 30.0
MAX_BYTES = 20 * 1024 * 1024  # the largest real answer (2,000 Atom entries) is ~5 MB
TRIES = 3
MAX_WAIT = 60.0  # seconds of retry waits per request, in total
RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
AGAIN = "check your network or try again later"


def user_agent(repo: str, mailto: str | None = None) -> str:
    """'paper-digest/0.1.0 (+https://github.com/...)': who is asking, and where to read why;
    with ``mailto`` (Crossref asks for one) also whom to write to about a problem."""
    try:
        ours = version("paper-digest")
    except PackageNotFoundError:  # running from a source tree that was never installed
        ours = "0"
    contact = f"; mailto:{mailto}" if mailto else ""
    return f"paper-digest/{ours} (+{repo}{contact})"


def _where(url: str) -> str:
    """The address without its query, for messages: the query can be kilobytes of ids."""
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, parts.path, "", ""))


def retry_after(value: str | None, date_header: str | None = None) -> float | None:
    """Seconds to wait from a Retry-After header: a number of seconds or an HTTP date.

    A date is measured from the response's own Date header when it has one, so a
    server whose clock differs from ours still gets the wait it asked for.
    """
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    now = dt.datetime.now(dt.UTC)
    if date_header:
        with contextlib.suppress(TypeError, ValueError):
            now = email.utils.parsedate_to_datetime(date_header)
    if when.tzinfo is None or now.tzinfo is None:
        return None
    return max(0.0, (when - now).total_seconds())


class Client:
    """GET requests to one service, named ``source`` in every message.

    ``sleep`` and ``clock`` (monotonic seconds) are injectable so tests neither wait
    nor depend on timing.
    """

    def __init__(self, source: str, *, user_agent: str, min_interval: float = 0.0,
                 connect_timeout: float = CONNECT_TIMEOUT, read_timeout: float = READ_TIMEOUT,
                 max_bytes: int = MAX_BYTES, tries: int = TRIES, max_wait: float = MAX_WAIT,
                 sleep: Callable[[float], None] = time.sleep,
                 clock: Callable[[], float] = time.monotonic,
                 env_var: str | None = None) -> None:
        self.source = source
        self.min_interval = min_interval
        self.read_timeout = read_timeout
        self.max_bytes = max_bytes
        self.tries = max(1, tries)
        self.max_wait = max_wait
        self.sleep = sleep
        self.clock = clock
        self.env_var = env_var
        self.requests = 0
        self._last: dict[str, float] = {}
        self._http = httpx.Client(
            headers={"User-Agent": user_agent},
            timeout=httpx.Timeout(read_timeout, connect=connect_timeout),
            follow_redirects=True, max_redirects=5)

    def __enter__(self) -> Client:
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 trace: TracebackType | None) -> None:
        self.close()

    def close(self) -> None:
        self._http.close()

    def _fail(self, url: str, message: str) -> DigestError:
        return DigestError(f"{self.source} ({_where(url)}): {message}")

    def _space(self, host: str) -> None:
        """Wait until min_interval has passed since the last request to this host."""
        last = self._last.get(host)
        if last is not None and self.min_interval > 0:
            wait = last + self.min_interval - self.clock()
            if wait > 0:
                self.sleep(wait)
        self._last[host] = self.clock()

    def get(self, url: str, params: Mapping[str, str] | None = None, *,
            not_found: str = "the address was not found",
            explain: Mapping[int, str] | None = None) -> bytes:
        """The body of a successful GET, or a DigestError saying what went wrong.

        ``not_found`` says what a 404 means for this request; ``explain`` gives the
        whole message for other statuses the caller understands (e.g. 400).
        """
        body = self._get(url, params, not_found, explain or {}, missing_ok=False)
        assert body is not None  # a 404 raised
        return body

    def find(self, url: str, params: Mapping[str, str] | None = None) -> bytes | None:
        """Like :meth:`get`, but None for a 404: the thing asked about does not exist
        (a DOI Crossref does not know), which the caller reports and goes on."""
        return self._get(url, params, "", {}, missing_ok=True)

    def _get(self, url: str, params: Mapping[str, str] | None, not_found: str,
             explain: Mapping[int, str], *, missing_ok: bool) -> bytes | None:
        try:
            request = self._http.build_request("GET", url, params=params)
        except (httpx.InvalidURL, httpx.UnsupportedProtocol, ValueError) as exc:
            raise self._bad_address(url, exc) from None
        if request.url.scheme not in ("http", "https"):
            raise self._bad_address(url, None)
        waited = 0.0
        for attempt in range(1, self.tries + 1):
            self._space(request.url.host)
            status, body, headers = self._send(request, url)
            if status < 300:
                return body
            if status == 404 and missing_ok:
                return None
            if status in RETRY_STATUSES and attempt < self.tries:
                asked = retry_after(headers.get("retry-after"), headers.get("date"))
                delay = asked if asked is not None else float(2 ** (attempt - 1))
                if waited + delay > self.max_wait:
                    raise self._fail(url, f"HTTP {status}: asks to wait {delay:.0f} s before "
                                     "trying again; try again later")
                waited += delay
                self.sleep(delay)
                continue
            raise self._status_error(url, status, attempt, not_found, explain)
        raise AssertionError("unreachable")  # the loop returns or raises

    def _bad_address(self, url: str, exc: Exception | None) -> DigestError:
        hint = f"; check {self.env_var}" if self.env_var else ""
        return self._fail(url, f"{url!r} is not an http(s) address{hint}")

    def _status_error(self, url: str, status: int, attempt: int, not_found: str,
                      explain: Mapping[int, str]) -> DigestError:
        if status in explain:
            return DigestError(explain[status])
        phrase = _phrase(status)
        if status == 404:
            return self._fail(url, f"HTTP 404 {phrase}: {not_found}")
        tries = f" after {attempt} tries" if attempt > 1 else ""
        if status == 429:
            return self._fail(url, f"HTTP 429 {phrase}{tries}: the service limits how often "
                              "it is asked; wait a few minutes and try again")
        if status >= 500:
            return self._fail(url, f"HTTP {status} {phrase}{tries}: the service has a "
                              "problem; try again later")
        hint = f" (is {self.env_var} right?)" if self.env_var else ""
        return self._fail(url, f"HTTP {status} {phrase}: the service refused the "
                          f"request{hint}; try again later")

    def _send(self, request: httpx.Request, url: str) -> tuple[int, bytes, httpx.Headers]:
        """One request: (status, body, headers); network failures become DigestError."""
        self.requests += 1
        try:
            response = self._http.send(request, stream=True)
            try:
                if response.status_code >= 300:
                    return response.status_code, b"", response.headers
                length = response.headers.get("content-length", "")
                if length.isdigit() and int(length) > self.max_bytes:
                    raise self._too_big(url)
                chunks: list[bytes] = []
                size = 0
                for chunk in response.iter_bytes():
                    size += len(chunk)
                    if size > self.max_bytes:
                        raise self._too_big(url)
                    chunks.append(chunk)
                return response.status_code, b"".join(chunks), response.headers
            finally:
                response.close()
        except httpx.TimeoutException as exc:
            what = ("could not connect" if isinstance(exc, httpx.ConnectTimeout)
                    else "sent no answer")
            raise self._fail(url, f"{what} within {self.read_timeout:g} s; {AGAIN}") from None
        except httpx.ConnectError as exc:
            raise self._fail(url, f"cannot connect ({_reason(exc)}); {AGAIN}") from None
        except httpx.TooManyRedirects:
            raise self._fail(url, f"too many redirects; {AGAIN}") from None
        except (httpx.RemoteProtocolError, httpx.ReadError, httpx.DecodingError) as exc:
            raise self._fail(url, f"the answer broke off or was garbled ({_reason(exc)}); "
                             f"{AGAIN}") from None
        except httpx.HTTPError as exc:
            raise self._fail(url, f"request failed ({_reason(exc)}); {AGAIN}") from None

    def _too_big(self, url: str) -> DigestError:
        cap = self.max_bytes
        size = f"{cap // (1024 * 1024)} MB" if cap >= 1024 * 1024 else f"{cap:,} bytes"
        return self._fail(url, f"the answer is larger than {size}, more than any real "
                          "answer; ask for fewer papers at a time")


def _phrase(status: int) -> str:
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "error"


def _reason(exc: Exception) -> str:
    text = " ".join(str(exc).split()) or type(exc).__name__
    return text[:200]


def _seconds(name: str, default: float) -> float:
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    try:
        value = float(raw)
    except ValueError:
        value = -1.0
    if value < 0 or value != value:
        raise DigestError(f"{name}={raw!r} is not a number of seconds; unset it or give "
                          "e.g. 3")
    return value


def arxiv_api() -> str:
    """The arXiv API query address: $DIGEST_ARXIV_API or arXiv's own."""
    return os.environ.get(ARXIV_API_ENV, "").strip() or DEFAULT_ARXIV_API


def hf_api() -> str:
    """The Hugging Face API base address: $DIGEST_HF_API or huggingface.co/api."""
    return (os.environ.get(HF_API_ENV, "").strip() or DEFAULT_HF_API).rstrip("/")


def crossref_api() -> str:
    """The Crossref REST API base address: $DIGEST_CROSSREF_API or api.crossref.org."""
    return (os.environ.get(CROSSREF_API_ENV, "").strip() or DEFAULT_CROSSREF_API).rstrip("/")


def _timeouts() -> dict[str, float]:
    seconds = _seconds(TIMEOUT_ENV, 0.0)
    return {"connect_timeout": seconds, "read_timeout": seconds} if seconds else {}


def arxiv_client(repo: str, **options: object) -> Client:
    """A client for arXiv's API, spaced ARXIV_INTERVAL s apart (or $DIGEST_ARXIV_INTERVAL)."""
    settings: dict[str, object] = {"min_interval": _seconds(ARXIV_INTERVAL_ENV, ARXIV_INTERVAL),
                                   **_timeouts(), **options}
    return Client("arXiv API", user_agent=user_agent(repo), env_var=ARXIV_API_ENV,
                  **settings)  # type: ignore[arg-type]


def hf_client(repo: str, **options: object) -> Client:
    """A client for the Hugging Face API."""
    settings: dict[str, object] = {**_timeouts(), **options}
    return Client("Hugging Face API", user_agent=user_agent(repo), env_var=HF_API_ENV,
                  **settings)  # type: ignore[arg-type]


def crossref_client(repo: str, mailto: str | None = None, **options: object) -> Client:
    """A client for Crossref's REST API, spaced CROSSREF_INTERVAL s apart (or
    $DIGEST_CROSSREF_INTERVAL); ``mailto`` in the User-Agent puts it in Crossref's
    "polite pool", as Crossref asks."""
    settings: dict[str, object] = {
        "min_interval": _seconds(CROSSREF_INTERVAL_ENV, CROSSREF_INTERVAL),
        **_timeouts(), **options}
    return Client("Crossref API", user_agent=user_agent(repo, mailto),
                  env_var=CROSSREF_API_ENV, **settings)  # type: ignore[arg-type]
