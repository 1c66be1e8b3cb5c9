"""Fetching an article by URL without letting the server be used against its own network.

Every address a host name resolves to is checked before connecting, and the
connection goes to the checked address itself (not a second DNS lookup), so a
name that rebinds to 127.0.0.1 or 10.x between check and use cannot get
through. Redirects are followed by hand and checked the same way.
"""

from __future__ import annotations

import http.client
import ipaddress
import socket
import ssl
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

DEFAULT_TIMEOUT = 10.0
DEFAULT_MAX_BYTES = 5 * 1024 * 1024
MAX_REDIRECTS = 5
USER_AGENT = "claimtrack/0.1 (+fact-check repeat detection)"


class FetchError(ValueError):
    """The URL cannot or may not be fetched; the message says why."""


@dataclass(frozen=True)
class Fetched:
    url: str
    content_type: str
    charset: str | None
    body: bytes


def _is_public(address: str) -> bool:
    ip = ipaddress.ip_address(address)
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped:
        ip = ip.ipv4_mapped
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
        blocked = [a for a in addresses if not _is_public(a)]
        if blocked:
            raise FetchError(f"refusing to fetch from {host} ({blocked[0]}): it is a private or local address")
    return addresses[0]


class _PinnedHTTPConnection(http.client.HTTPConnection):
    def __init__(self, host: str, address: str, port: int, timeout: float) -> None:
        super().__init__(host, port, timeout=timeout)
        self._address = address

    def connect(self) -> None:
        self.sock = socket.create_connection((self._address, self.port), self.timeout)


class _PinnedHTTPSConnection(http.client.HTTPSConnection):
    def __init__(self, host: str, address: str, port: int, timeout: float) -> None:
        context = ssl.create_default_context()
        super().__init__(host, port, timeout=timeout, context=context)
        self._address = address
        self._tls = context  # our own name for it: the base class keeps it in an undeclared attribute

    def connect(self) -> None:
        raw = socket.create_connection((self._address, self.port), self.timeout)
        # Certificate and SNI are checked against the host name, not the pinned address.
        self.sock = self._tls.wrap_socket(raw, server_hostname=self.host)


def fetch_url(
    url: str,
    *,
    timeout: float = DEFAULT_TIMEOUT,
    max_bytes: int = DEFAULT_MAX_BYTES,
    allow_private: bool = False,
) -> Fetched:
    """GET ``url`` and return its body, at most ``max_bytes``.

    :raise FetchError: for a non-http(s) URL, a refused address, a timeout, an
        HTTP error status, too many redirects or a body over the cap.
    """
    for _ in range(MAX_REDIRECTS + 1):
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise FetchError(f"only http and https URLs can be fetched, not {url!r}")
        port = parts.port or (443 if parts.scheme == "https" else 80)
        address = resolve_allowed(parts.hostname, port, allow_private)
        cls = _PinnedHTTPSConnection if parts.scheme == "https" else _PinnedHTTPConnection
        connection = cls(parts.hostname, address, port, timeout)
        path = parts.path or "/"
        if parts.query:
            path += "?" + parts.query
        try:
            connection.request("GET", path, headers={"User-Agent": USER_AGENT, "Accept": "text/html, text/plain;q=0.9"})
            response = connection.getresponse()
            if response.status in (301, 302, 303, 307, 308) and response.getheader("Location"):
                url = urljoin(url, response.getheader("Location"))
                continue
            if response.status >= 400:
                raise FetchError(f"the server answered {response.status} {response.reason} for {url}")
            declared = response.getheader("Content-Length")
            if declared and declared.isdigit() and int(declared) > max_bytes:
                raise FetchError(f"the page is larger than the {max_bytes // 1024 // 1024} MB limit")
            body = response.read(max_bytes + 1)
            if len(body) > max_bytes:
                raise FetchError(f"the page is larger than the {max_bytes // 1024 // 1024} MB limit")
            content_type = response.getheader("Content-Type", "application/octet-stream")
            charset = response.msg.get_content_charset()
            return Fetched(url=url, content_type=content_type.split(";")[0].strip().lower(), charset=charset, body=body)
        except TimeoutError:
            raise FetchError(f"{url} did not answer within {timeout:g} s") from None
        except (OSError, http.client.HTTPException) as exc:
            raise FetchError(f"cannot fetch {url}: {exc}") from None
        finally:
            connection.close()
    raise FetchError(f"more than {MAX_REDIRECTS} redirects from {url}")
