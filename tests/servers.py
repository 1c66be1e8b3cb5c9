"""A real claimtrack server for end-to-end tests: `claimtrack serve` in a subprocess.

Only serving needs a process of its own: the database is migrated and the demo loaded in the test's
process, and :meth:`LiveServer.cli` runs commands in-process against the server's database.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import IO

CLAIMTRACK = [sys.executable, "-c", "from claimtrack.cli import main; main()"]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class LiveServer:
    url: str
    env: dict[str, str]
    process: subprocess.Popen[bytes]
    log: IO[bytes]

    def cli(self, *args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
        """Run a claimtrack command in this process against this server's database."""
        from claimtrack import create_app
        from claimtrack.cli import main

        instance = Path(self.env["CLAIMTRACK_INSTANCE_PATH"])
        database_url = self.env["CLAIMTRACK_DATABASE_URL"]
        app = create_app({"TESTING": True, "SECRET_KEY": "cli-in-tests", "DATABASE_URL": database_url,
                          "MATCH_INDEX_DIR": str(instance / "match-index")})
        try:
            result = app.test_cli_runner().invoke(main, list(args), input=stdin)
        finally:
            app.extensions["claimtrack.engine"].dispose()
        return subprocess.CompletedProcess(["claimtrack", *args], result.exit_code, result.stdout, result.stderr)


def run_cli(env: dict[str, str], *args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*CLAIMTRACK, *args], env=env, input=stdin, capture_output=True, text=True, timeout=120)


def prepare_database(database_url: str, load_demo: bool = True) -> None:
    """Migrate the database at ``database_url`` and load the demo, as `db upgrade` and `load-fixtures` do."""
    from claimtrack.db import make_engine, make_session_factory, upgrade
    from claimtrack.demo import load_fixtures

    engine = make_engine(database_url)
    try:
        upgrade(engine)
        if load_demo:
            with make_session_factory(engine)() as session:
                load_fixtures(session)
                session.commit()
    finally:
        engine.dispose()


def start_server(workdir: Path, database_url: str | None = None, load_demo: bool = True,
                 extra_env: dict[str, str] | None = None) -> LiveServer:
    """Migrate a database (SQLite in ``workdir`` by default), load the demo, and serve it (``extra_env`` added)."""
    workdir.mkdir(parents=True, exist_ok=True)
    env = {**os.environ, **(extra_env or {})}
    env["CLAIMTRACK_INSTANCE_PATH"] = str(workdir / "instance")
    env["CLAIMTRACK_DATABASE_URL"] = database_url or f"sqlite:///{workdir / 'live.db'}"
    prepare_database(env["CLAIMTRACK_DATABASE_URL"], load_demo)
    port = free_port()
    log = open(workdir / "server.log", "wb")  # noqa: SIM115 -- the server writes to it until stop_server closes it
    process = subprocess.Popen([*CLAIMTRACK, "serve", "--port", str(port)], env=env, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if process.poll() is not None:
            log.close()
            raise RuntimeError(f"the server exited: {(workdir / 'server.log').read_text()}")
        try:
            urllib.request.urlopen(url + "/", timeout=2).close()
            return LiveServer(url=url, env=env, process=process, log=log)
        except OSError:
            time.sleep(0.2)
    process.terminate()
    process.wait(timeout=10)
    log.close()
    raise RuntimeError("the server did not answer within 30 s")


def stop_server(server: LiveServer) -> None:
    server.process.terminate()
    try:
        server.process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        server.process.kill()
        server.process.wait()
    server.log.close()


class _Trickle(BaseHTTPRequestHandler):
    """A site that sends its page a byte every 0.3 s: each read is quick, and the page lasts a minute."""

    def do_GET(self) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "text/plain")
        self.end_headers()
        try:
            for _ in range(200):
                self.wfile.write(b"x")
                self.wfile.flush()
                time.sleep(0.3)
        except OSError:
            return

    def log_message(self, *args: object) -> None:
        pass


@contextmanager
def trickling_site() -> Iterator[str]:
    """The address of a local page that trickles (see :class:`_Trickle`), for fetch deadlines and slots."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Trickle)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/story"
    finally:
        server.shutdown()
        server.server_close()
