"""A real S3-compatible server for the tests: moto in server mode, as its own process on 127.0.0.1.

Clients reach it through s3fs with ``endpoint_url`` exactly as a user's bucket would be configured
(``storage_options`` or ``AWS_ENDPOINT_URL``). Faults:

- ``S3Server.stop()`` / ``start()``: the server killed mid-class and started again (moto keeps its data in
  memory, so a restarted server is empty: tests snapshot what was there before the kill);
- ``FaultProxy``: a TCP proxy on 127.0.0.1 in front of it that can delay every answer (a slow store) or
  answer 503 to every PUT (a store refusing writes);
- ``S3Server(auth=True)``: moto checks signatures against IAM access keys (INITIAL_NO_AUTH_ACTION_COUNT
  lets the first few calls create the user, its key and the bucket), so wrong credentials get 403.
"""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import threading
import time
from collections import Counter
from pathlib import Path
from typing import Any

ACCESS_KEY = "testing"
SECRET_KEY = "testing"
REGION = "us-east-1"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _port_open(port: int) -> bool:
    with socket.socket() as s:
        s.settimeout(0.2)
        return s.connect_ex(("127.0.0.1", port)) == 0


class S3Server:
    """``python -m moto.server`` on a free port; ``endpoint`` is its URL."""

    def __init__(self, *, auth: bool = False, log_dir: Path | None = None) -> None:
        self.port = free_port()
        self.auth = auth
        self.proc: subprocess.Popen | None = None
        self.log_dir = log_dir
        self.access_key = ACCESS_KEY
        self.secret_key = SECRET_KEY

    @property
    def endpoint(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self, timeout: float = 30.0) -> S3Server:
        env = dict(os.environ)
        env.pop("AWS_ENDPOINT_URL", None)
        if self.auth:
            # Four unauthenticated calls (create user, create access key, put user policy, create bucket);
            # every later call is checked against IAM.
            env["INITIAL_NO_AUTH_ACTION_COUNT"] = "4"
        log = (
            open(self.log_dir / f"moto-{self.port}.log", "ab")  # noqa: SIM115 (closed with the process)
            if self.log_dir
            else subprocess.DEVNULL
        )
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(self.port)],
            stdout=log,
            stderr=log,
            env=env,
        )
        deadline = time.monotonic() + timeout
        while not _port_open(self.port):
            if self.proc.poll() is not None:
                raise RuntimeError(f"moto server exited with {self.proc.returncode}")
            if time.monotonic() > deadline:
                self.stop()
                raise RuntimeError(f"moto server did not listen on {self.port} within {timeout} s")
            time.sleep(0.05)
        return self

    def stop(self) -> None:
        """Kill the server (SIGKILL: a crash, not a graceful shutdown)."""
        if self.proc is not None and self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait(timeout=10)
        self.proc = None

    def storage_options(self, endpoint: str | None = None, **extra: Any) -> dict[str, Any]:
        """What a user passes as ``storage_options=`` for this bucket."""
        return {
            "key": self.access_key,
            "secret": self.secret_key,
            "endpoint_url": endpoint or self.endpoint,
            "client_kwargs": {"region_name": REGION},
            **extra,
        }

    def client(self) -> Any:
        import boto3

        return boto3.client(
            "s3",
            endpoint_url=self.endpoint,
            aws_access_key_id=self.access_key,
            aws_secret_access_key=self.secret_key,
            region_name=REGION,
        )

    def make_bucket(self, name: str) -> None:
        self.client().create_bucket(Bucket=name)

    def keys(self, bucket: str) -> list[str]:
        """Every key in *bucket* (boto3 directly: no s3fs listing cache in the way)."""
        paginator = self.client().get_paginator("list_objects_v2")
        return [o["Key"] for page in paginator.paginate(Bucket=bucket) for o in page.get("Contents", [])]

    def get(self, bucket: str, key: str) -> bytes:
        return self.client().get_object(Bucket=bucket, Key=key)["Body"].read()

    def create_iam_user(self, bucket: str) -> tuple[str, str]:
        """With auth on: an IAM user allowed everything, its key pair, and *bucket*; returns the keys."""
        import boto3

        iam = boto3.client(
            "iam",
            endpoint_url=self.endpoint,
            aws_access_key_id="bootstrap",
            aws_secret_access_key="bootstrap",
            region_name=REGION,
        )
        iam.create_user(UserName="instructor")
        key = iam.create_access_key(UserName="instructor")["AccessKey"]
        iam.put_user_policy(
            UserName="instructor",
            PolicyName="all",
            PolicyDocument='{"Version": "2012-10-17", "Statement": '
            '[{"Effect": "Allow", "Action": "*", "Resource": "*"}]}',
        )
        self.access_key, self.secret_key = key["AccessKeyId"], key["SecretAccessKey"]
        self.make_bucket(bucket)
        return self.access_key, self.secret_key

    def __enter__(self) -> S3Server:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


_METHODS = {b"GET", b"PUT", b"POST", b"HEAD", b"DELETE"}

_UNAVAILABLE = (
    b"HTTP/1.1 503 Service Unavailable\r\nContent-Type: application/xml\r\nConnection: close\r\n"
    b"Content-Length: 130\r\n\r\n"
    + b'<?xml version="1.0" encoding="UTF-8"?><Error><Code>ServiceUnavailable</Code>'
    b"<Message>Please reduce</Message></Error>".ljust(130)
)


class FaultProxy:
    """A TCP proxy on 127.0.0.1 in front of *upstream_port*.

    ``delay``: seconds to hold every chunk the server sends back (a slow store); ``refuse_puts``: answer
    503 ServiceUnavailable to any request starting with PUT, without passing it on. ``request_delay``:
    seconds added to each request before it goes on (a store's round trip, whatever the answer's size).
    ``requests`` counts the requests that went through, by method (what a store would bill).
    """

    def __init__(self, upstream_port: int) -> None:
        self.upstream_port = upstream_port
        self.delay = 0.0
        self.request_delay = 0.0
        self.refuse_puts = False
        self.refused = 0
        self.requests: Counter[str] = Counter()
        self._server = socket.socket()
        self._server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._server.bind(("127.0.0.1", 0))
        self._server.listen(64)
        self.port = self._server.getsockname()[1]
        self._closed = False
        self._sockets: set[socket.socket] = set()
        threading.Thread(target=self._accept, daemon=True).start()

    @property
    def endpoint(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def _accept(self) -> None:
        while not self._closed:
            try:
                client, _ = self._server.accept()
            except OSError:
                return
            try:
                upstream = socket.create_connection(("127.0.0.1", self.upstream_port), timeout=5)
            except OSError:
                client.close()
                continue
            upstream.settimeout(None)
            self._sockets |= {client, upstream}
            threading.Thread(target=self._pump_up, args=(client, upstream), daemon=True).start()
            threading.Thread(target=self._pump_down, args=(upstream, client), daemon=True).start()

    def _pump_up(self, client: socket.socket, upstream: socket.socket) -> None:
        try:
            while True:
                data = client.recv(65536)
                if not data:
                    break
                method = data.split(b" ", 1)[0]
                if method in _METHODS:
                    self.requests[method.decode()] += 1
                    if self.request_delay:
                        time.sleep(self.request_delay)
                if self.refuse_puts and data.startswith(b"PUT "):
                    self.refused += 1
                    client.sendall(_UNAVAILABLE)
                    break
                upstream.sendall(data)
        except OSError:
            pass
        finally:
            # Closed, not only shut down: a benchmark's thousands of connections would run out of files.
            for s in (client, upstream):
                with contextlib.suppress(OSError):
                    s.shutdown(socket.SHUT_RDWR)
                s.close()
                self._sockets.discard(s)

    def _pump_down(self, upstream: socket.socket, client: socket.socket) -> None:
        try:
            while True:
                data = upstream.recv(65536)
                if not data:
                    break
                if self.delay:
                    time.sleep(self.delay)
                client.sendall(data)
        except OSError:
            pass
        finally:
            with contextlib.suppress(OSError):
                client.shutdown(socket.SHUT_RDWR)

    def close(self) -> None:
        self._closed = True
        self._server.close()
        for s in list(self._sockets):
            with contextlib.suppress(OSError):
                s.close()
