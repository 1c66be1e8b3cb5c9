"""Against a real `claimtrack serve`: slow sites being fetched never take the threads the public pages need."""

from __future__ import annotations

import http.cookiejar
import re
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.servers import LiveServer, start_server, stop_server, trickling_site

pytestmark = pytest.mark.slow

PASSWORD = "a long enough password"  # a throwaway account in a throwaway database


@pytest.fixture
def slow_site() -> Iterator[str]:
    with trickling_site() as url:
        yield url


@pytest.fixture
def live(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[LiveServer]:
    monkeypatch.setenv("CLAIMTRACK_FETCH_ALLOW_PRIVATE", "true")
    # Longer than the test: the fetches hang for as long as the test looks at the server.
    monkeypatch.setenv("CLAIMTRACK_FETCH_DEADLINE", "120")
    server = start_server(tmp_path)
    done = server.cli("users", "create", "checker@example.org", "--role", "fact-checker", stdin=PASSWORD + "\n")
    assert done.returncode == 0, done.stderr
    yield server
    stop_server(server)


def _csrf(opener: urllib.request.OpenerDirector, url: str) -> str:
    page = opener.open(url, timeout=30).read().decode()
    found = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page)
    assert found, page
    return found.group(1)


def _logged_in(server: LiveServer) -> urllib.request.OpenerDirector:
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))
    form = {"csrf_token": _csrf(opener, server.url + "/login"), "email": "checker@example.org", "password": PASSWORD}
    opener.open(server.url + "/login", urllib.parse.urlencode(form).encode(), timeout=30).close()
    return opener


def test_the_home_page_answers_while_slow_sites_are_being_fetched(live: LiveServer, slow_site: str) -> None:
    opener = _logged_in(live)
    token = _csrf(opener, live.url + "/desk/match")
    answers: list[tuple[int, str]] = []

    def check_slow_site() -> None:
        body = urllib.parse.urlencode({"csrf_token": token, "url": slow_site}).encode()
        try:
            with opener.open(live.url + "/desk/match", body, timeout=150) as response:
                answers.append((response.status, response.read().decode()))
        except urllib.error.HTTPError as refused:
            answers.append((refused.code, refused.read().decode()))
        except OSError:
            pass  # still hanging when the server stopped

    # As many fetches as `claimtrack serve` has threads (8).
    fetches = [threading.Thread(target=check_slow_site, daemon=True) for _ in range(8)]
    for fetch in fetches:
        fetch.start()
    deadline = time.monotonic() + 30
    while len(answers) < 6 and time.monotonic() < deadline:
        time.sleep(0.1)

    started = time.monotonic()
    with urllib.request.urlopen(live.url + "/", timeout=10) as home:
        assert home.status == 200
    assert time.monotonic() - started < 5
    # Two fetches hold their slots; the others were told at once to come back, and hold no thread.
    assert len(answers) == 6
    assert all(status == 503 and "being fetched right now" in page for status, page in answers)
