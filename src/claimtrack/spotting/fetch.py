"""Fetching an article by URL without letting the server be used against its own network.

Every address a host name resolves to is checked before connecting, and the
connection goes to the checked address itself (not a second DNS lookup), so a
name that rebinds to 127.0.0.1 or 10.x between check and use cannot get
through. IPv6 addresses that carry an IPv4 address (mapped, IPv4-compatible,
NAT64, 6to4) are judged by the IPv4 address they reach. Redirects are followed
by hand and checked the same way.

A fetch has one total deadline, across connecting, every read and every
redirect: a server that sends a byte a second cannot keep a worker. And a
:class:`FetchSlots` lets only a few fetches run at once, so slow sites never
take every thread the public pages need.
"""

from __future__ import annotations

import http.client
import ipaddress
import socket
import ssl
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from typing import TypeVar
from urllib.parse import urljoin, urlsplit

#: Seconds to wait for any one step (connecting, a read).
DEFAULT_TIMEOUT = 10.0
#: Seconds for the whole fetch, redirects included.
DEFAULT_DEADLINE = 20.0
DEFAULT_MAX_BYTES = 5 * 1024 * 1024
MAX_REDIRECTS = 5
S = TypeVar("S", bound=socket.socket)
USER_AGENT = "claimtrack/0.1 (+fact-check repeat detection)"


class FetchError(ValueError):
    """The URL cannot or may not be fetched; the message says why."""


class FetchBusy(FetchError):
    """Too many fetches are running already; the message says to try again shortly."""


@dataclass(frozen=True)
class Fetched:
    url: str
    content_type: str
    charset: str | None
    body: bytes


_NAT64 = ipaddress.IPv6Network("64:ff9b::/96")  # RFC 6052: the IPv4 address is the last 32 bits
_LOCAL_NAT64 = ipaddress.IPv6Network("64:ff9b:1::/48")  # RFC 8215: for one network's own use
_IPV4_COMPATIBLE = ipaddress.IPv6Network("::/96")  # deprecated ::a.b.c.d


def _embedded_ipv4(ip: ipaddress.IPv6Address) -> ipaddress.IPv4Address | None:
    """The IPv4 address an IPv6 address leads to: mapped, NAT64, 6to4 or IPv4-compatible."""
    if ip.ipv4_mapped is not None:
        return ip.ipv4_mapped
    if ip.sixtofour is not None:
        return ip.sixtofour
    if ip in _NAT64 or (ip in _IPV4_COMPATIBLE and int(ip) > 1):  # not :: or ::1, judged as themselves
        return ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
    return None


def is_public_address(address: str) -> bool:
    """Whether ``address`` is a public unicast address, also when an IPv6 form carries an IPv4 one.

    The standard library (before Python 3.13) calls ``64:ff9b::127.0.0.1`` or ``2002:7f00:1::``
    global; they reach 127.0.0.1 through a translator or a relay, so they are judged as 127.0.0.1.
    """
    ip = ipaddress.ip_address(address.split("%", 1)[0])  # an IPv6 zone ("fe80::1%eth0") is link-local anyway
    if isinstance(ip, ipaddress.IPv6Address):
        if ip in _LOCAL_NAT64 or ip.teredo is not None:
            return False
        embedded = _embedded_ipv4(ip)
        if embedded is not None:
            return embedded.is_global and not embedded.is_multicast
    return ip.is_global and not ip.is_multicast


def resolve_allowed(host: str, port: int, allow_private: bool) -> str:
    """The first address of ``host`` that may be contacted.

    :raise FetchError: when the name does not resolve or resolves to a private,
        loopback, link-local or reserved address (unless ``allow_private``).
    """
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except socket.gaierror:
        raise FetchError(f"cannot resolve the host {host!r}") from None
    addresses = [str(info[4][0]) for info in infos]
    if not allow_private:
        blocked = [a for a in addresses if not is_public_address(a)]
        if blocked:
            raise FetchError(f"refusing to fetch from {host} ({blocked[0]}): it is a private or local address")
    return addresses[0]


class _PinnedHTTPConnection(http.client.HTTPConnection):
    def __init__(self, host: str, address: str, port: int, timeout: float, deadline: _Deadline) -> None:
        super().__init__(host, port, timeout=timeout)
        self._address = address
        self._deadline = deadline

    def connect(self) -> None:
        self.sock = self._deadline.watch(socket.create_connection((self._address, self.port), self.timeout))


class _PinnedHTTPSConnection(http.client.HTTPSConnection):
    def __init__(self, host: str, address: str, port: int, timeout: float, deadline: _Deadline) -> None:
        context = ssl.create_default_context()
        super().__init__(host, port, timeout=timeout, context=context)
        self._address = address
        self._deadline = deadline
        self._tls = context  # our own name for it: the base class keeps it in an undeclared attribute

    def connect(self) -> None:
        raw = self._deadline.watch(socket.create_connection((self._address, self.port), self.timeout))
        # Certificate and SNI are checked against the host name, not the pinned address.
        self.sock = self._deadline.watch(self._tls.wrap_socket(raw, server_hostname=self.host))


class _Deadline:
    """The time a fetch must be over by; then it cuts the fetch's connections, whatever they wait for.

    A socket timeout bounds each read, not their sum: a server sending a byte every few seconds
    never trips it. So a timer shuts the sockets down at the deadline, which ends a read that is
    waiting (for headers, the TLS handshake or the body) at once. Use it as a context manager
    around the whole fetch, redirects included.
    """

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.at = time.monotonic() + seconds
        self.passed = False
        self._lock = threading.Lock()
        self._sockets: list[socket.socket] = []
        self._timer = threading.Timer(seconds, self._cut)
        self._timer.daemon = True

    def __enter__(self) -> _Deadline:
        self._timer.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        self._timer.cancel()

    def remaining(self) -> float:
        return self.at - time.monotonic()

    def check(self, url: str) -> None:
        """:raise FetchError: when the deadline has passed."""
        if self.passed or self.remaining() <= 0:
            self.passed = True
            raise FetchError(f"{url} did not send the page within {self.seconds:g} s; nothing was checked")

    def watch(self, sock: S) -> S:
        """Cut ``sock`` at the deadline (at once, when it has passed already)."""
        with self._lock:
            self._sockets.append(sock)
            if self.passed:
                self._shut(sock)
        return sock

    def _cut(self) -> None:
        with self._lock:
            self.passed = True
            for sock in self._sockets:
                self._shut(sock)

    @staticmethod
    def _shut(sock: socket.socket) -> None:
        # The plain socket's shutdown, also under TLS: it wakes a waiting read without touching the TLS state.
        with suppress(OSError):
            socket.socket.shutdown(sock, socket.SHUT_RDWR)


def declared_length(value: str | None) -> int | None:
    """The Content-Length a server declares, when it is one plain non-negative number; else None.

    Servers send anything here ("12, 12", "-1", "²", "lots"): such a value is ignored, and the
    body is read up to the size cap as if none had been given.
    """
    if value is None or not value.strip().isascii() or not value.strip().isdigit():
        return None
    return int(value.strip())


def fetch_url(
    url: str,
    *,
    timeout: float = DEFAULT_TIMEOUT,
    deadline: float = DEFAULT_DEADLINE,
    max_bytes: int = DEFAULT_MAX_BYTES,
    allow_private: bool = False,
) -> Fetched:
    """GET ``url`` and return its body, at most ``max_bytes``, all within ``deadline`` seconds.

    :raise FetchError: for a non-http(s) URL, a refused address, a step slower than ``timeout``,
        a fetch longer than ``deadline`` (redirects included), an HTTP error status, too many
        redirects, a body over the cap or shorter than the server declared.
    """
    with _Deadline(deadline) as limit:
        return _fetch_within(url, limit, timeout, max_bytes, allow_private)


def _fetch_within(url: str, limit: _Deadline, timeout: float, max_bytes: int, allow_private: bool) -> Fetched:
    for _ in range(MAX_REDIRECTS + 1):
        limit.check(url)
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise FetchError(f"only http and https URLs can be fetched, not {url!r}")
        try:
            port = parts.port or (443 if parts.scheme == "https" else 80)
        except ValueError:
            raise FetchError(f"the address {url!r} has an invalid port") from None
        address = resolve_allowed(parts.hostname, port, allow_private)
        cls = _PinnedHTTPSConnection if parts.scheme == "https" else _PinnedHTTPConnection
        connection = cls(parts.hostname, address, port, max(min(timeout, limit.remaining()), 0.001), limit)
        path = parts.path or "/"
        if parts.query:
            path += "?" + parts.query
        try:
            fetched = _get(connection, url, path, max_bytes)
            limit.check(url)  # a read cut short by the deadline is not a page
            if isinstance(fetched, Fetched):
                return fetched
            url = fetched
        except FetchError:
            raise
        except TimeoutError:
            limit.check(url)
            raise FetchError(f"{url} did not answer within {timeout:g} s") from None
        except (OSError, ValueError, http.client.HTTPException) as exc:
            limit.check(url)
            raise FetchError(f"cannot fetch {url}: {exc}") from None
        finally:
            connection.close()
    raise FetchError(f"more than {MAX_REDIRECTS} redirects from {url}")


def _get(connection: http.client.HTTPConnection, url: str, path: str, max_bytes: int) -> Fetched | str:
    """One GET: the page, or the address a redirect leads to.

    :raise FetchError: for an error status, a body over ``max_bytes`` or short of its declared length.
    """
    connection.request("GET", path, headers={"User-Agent": USER_AGENT, "Accept": "text/html, text/plain;q=0.9"})
    response = connection.getresponse()
    if response.status in (301, 302, 303, 307, 308) and response.getheader("Location"):
        return urljoin(url, response.getheader("Location"))
    if response.status >= 400:
        raise FetchError(f"the server answered {response.status} {response.reason} for {url}")
    too_large = f"the page is larger than the {max_bytes // 1024 // 1024} MB limit"
    declared = declared_length(response.getheader("Content-Length"))
    if declared is not None and declared > max_bytes:
        raise FetchError(too_large)
    body = response.read(max_bytes + 1)
    if len(body) > max_bytes:
        raise FetchError(too_large)
    if declared is not None and len(body) < declared:
        raise FetchError(f"{url} ended after {len(body):,} of the {declared:,} bytes it announced; try again later")
    content_type = response.getheader("Content-Type", "application/octet-stream")
    charset = response.msg.get_content_charset()
    return Fetched(url=url, content_type=content_type.split(";")[0].strip().lower(), charset=charset, body=body)


class FetchSlots:
    """At most ``size`` fetches at once in this process; one more is refused at once, not queued.

    A fetch holds a server thread for up to its deadline. Sized below the server's thread
    count, the slots leave threads for the public pages however many slow sites are asked for;
    refusing (rather than waiting for a slot) keeps the extra requests from holding threads too.
    """

    def __init__(self, size: int) -> None:
        if size < 1:
            raise ValueError("at least one fetch must be allowed at a time")
        self.size = size
        self._slots = threading.BoundedSemaphore(size)

    @contextmanager
    def slot(self) -> Iterator[None]:
        """:raise FetchBusy: when all slots are taken."""
        if not self._slots.acquire(blocking=False):
            raise FetchBusy(
                f"{self.size} other {'page is' if self.size == 1 else 'pages are'} being fetched right now; "
                "try again in a minute, or paste the article's text"
            )
        try:
            yield
        finally:
            self._slots.release()
