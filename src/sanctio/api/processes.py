"""``sanctio serve --workers N``: N server processes, and new connections dealt to them
in turn.

A client keeps its connections open and sends each request down whichever of its
pool is free, so a process answers a share of the requests in proportion to the
connections it holds, for as long as they stay open. How the connections are shared
out is therefore how the work is:

- uvicorn's ``--workers`` shares one listening socket among its processes, and
  whichever wakes first accepts: one process took all 40 connections of a pool
  opened at once.
- A socket each, bound to the same port with SO_REUSEPORT, lets the kernel pick a
  process by a hash of the two ends' addresses (https://lwn.net/Articles/542629/):
  at random, so 128 connections split 58/70 or worse about one time in three, and
  under load one process was at 0.85 of a core while the other was at 0.71; the
  busier one's queue, not the work, made the slowest answers (``bench/load_match.py``,
  docs/benchmarks.md).

So the parent accepts every connection itself and passes it on (``SCM_RIGHTS`` over a
socket pair, https://man7.org/linux/man-pages/man7/unix.7.html) to each process in
turn: a pool opened at once is split exactly. A process serves what it is handed
with uvicorn's own protocol, as if it had accepted it. The parent reads no request;
on SIGINT or SIGTERM, or when a process ends, it stops the rest and returns.
"""

from __future__ import annotations

import asyncio
import itertools
import multiprocessing
import signal
import socket
import threading
import time
from collections.abc import Sequence
from multiprocessing.connection import wait
from types import FrameType

import uvicorn

from sanctio.errors import SanctioError

#: How long accepting waits at a time before it looks whether to stop (seconds).
DEAL_WAIT = 0.5
#: Whether this system can pass connections between processes (Unix).
AVAILABLE = hasattr(socket, "send_fds") and hasattr(socket, "AF_UNIX")
APP = "sanctio.api.app:create_app"
#: Seconds a process is given to finish its requests once asked to stop.
STOP_GRACE = 10.0


class PortInUseError(SanctioError):
    """The address to listen on is taken by another program."""


def serve_processes(host: str, port: int, workers: int, access_log: bool = True) -> int:
    """Run ``workers`` server processes on ``host:port`` until stopped (each logging
    every request unless ``access_log`` is false); the exit status: 0 when stopped by
    a signal, 1 when a process ended by itself (it failed)."""
    listening = _listen(host, port)
    context = multiprocessing.get_context("spawn")
    # datagrams: one connection a message, never two run together
    channels = [socket.socketpair(socket.AF_UNIX, socket.SOCK_DGRAM) for _ in range(workers)]
    processes = [
        context.Process(target=_serve_one, args=(theirs, access_log), name=f"sanctio-serve-{n}")
        for n, (_, theirs) in enumerate(channels, start=1)
    ]
    asked_to_stop: list[int] = []
    stopping = threading.Event()

    def stop(signum: int, _frame: FrameType | None) -> None:
        asked_to_stop.append(signum)

    previous = {sig: signal.signal(sig, stop) for sig in (signal.SIGINT, signal.SIGTERM)}
    dealer = threading.Thread(
        target=_deal,
        args=(listening, [ours for ours, _ in channels], stopping),
        name="sanctio-deal",
        daemon=True,
    )
    try:
        for process in processes:
            process.start()
        for _, theirs in channels:
            theirs.close()  # the process has its own copy
        dealer.start()
        while not asked_to_stop and all(p.is_alive() for p in processes):
            wait([p.sentinel for p in processes], timeout=0.5)
    finally:
        stopping.set()
        if dealer.is_alive():
            dealer.join(STOP_GRACE)
        listening.close()
        _stop(processes)
        for ours, theirs in channels:
            ours.close()
            theirs.close()
        for sig, handler in previous.items():
            signal.signal(sig, handler)
    return 0 if asked_to_stop else 1


def _deal(
    listening: socket.socket, channels: list[socket.socket], stopping: threading.Event
) -> None:
    """Accept each new connection and hand it to the next process in turn, until
    ``stopping`` is set (looked at every ``DEAL_WAIT`` seconds)."""
    listening.settimeout(DEAL_WAIT)
    for channel in channels:  # a process too busy to take one for this long loses it
        channel.settimeout(STOP_GRACE)
    turns = itertools.cycle(channels)
    while not stopping.is_set():
        try:
            connection, _ = listening.accept()
        except TimeoutError:
            continue
        except OSError:  # out of file descriptors, or the client gave up: not fatal
            time.sleep(DEAL_WAIT / 10)
            continue
        with connection:  # the process holds its own copy once sent
            try:
                socket.send_fds(next(turns), [b"c"], [connection.fileno()])
            except OSError:  # the process has ended (the parent is stopping the rest),
                continue  # or is stuck: the client sees its connection closed


def _serve_one(channel: socket.socket, access_log: bool) -> None:
    """One server process: the app from the environment, serving the connections the
    parent hands it."""
    from sanctio.api.app import create_app

    # the app logs each request itself (``access_log.py``), not uvicorn
    app = create_app(access_log=access_log)
    config = uvicorn.Config(app, log_level="info", access_log=False)
    _HandedServer(config, channel).run(sockets=[])


class _HandedServer(uvicorn.Server):
    """uvicorn's server, listening on nothing, serving each connection that comes down
    ``channel`` with uvicorn's protocol for it (as its own listening socket would)."""

    def __init__(self, config: uvicorn.Config, channel: socket.socket) -> None:
        super().__init__(config)
        self.channel = channel
        self.handing: set[asyncio.Task[object]] = set()  # the loop holds tasks weakly

    async def startup(self, sockets: list[socket.socket] | None = None) -> None:
        await super().startup(sockets=[])
        if self.started:
            self.channel.setblocking(False)
            asyncio.get_running_loop().add_reader(self.channel.fileno(), self._take)

    def _take(self) -> None:
        loop = asyncio.get_running_loop()
        while True:
            try:
                message, handed, _, _ = socket.recv_fds(self.channel, 1, 1)
            except BlockingIOError:
                return
            if not message:  # the parent has closed its end: it is stopping
                loop.remove_reader(self.channel.fileno())
                return
            for descriptor in handed:
                connection = socket.socket(fileno=descriptor)
                connection.setblocking(False)
                task = loop.create_task(loop.connect_accepted_socket(self._protocol, connection))
                self.handing.add(task)
                task.add_done_callback(self.handing.discard)

    def _protocol(self) -> asyncio.Protocol:
        made: asyncio.Protocol = self.config.http_protocol_class(  # type: ignore[call-arg]
            config=self.config, server_state=self.server_state, app_state=self.lifespan.state
        )
        return made

    async def shutdown(self, sockets: list[socket.socket] | None = None) -> None:
        asyncio.get_running_loop().remove_reader(self.channel.fileno())
        await super().shutdown(sockets)


def _listen(host: str, port: int) -> socket.socket:
    """The listening socket, or PortInUseError naming the address."""
    family, kind, protocol, _, address = socket.getaddrinfo(
        host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE
    )[0]
    listening = socket.socket(family, kind, protocol)
    listening.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        listening.bind(address)
    except OSError as exc:
        listening.close()
        raise PortInUseError(
            f"Cannot listen on {host}:{port}: {exc.strerror}; expected a free port "
            "(choose one with --port)"
        ) from None
    listening.listen(2048)
    return listening


def _stop(processes: Sequence[multiprocessing.process.BaseProcess]) -> None:
    """Ask every process still running to stop (uvicorn finishes the requests it has),
    and kill those still running after ``STOP_GRACE`` seconds."""
    for process in processes:
        if process.is_alive():
            process.terminate()
    deadline = time.monotonic() + STOP_GRACE
    for process in processes:
        if process.pid is not None:
            process.join(max(0.0, deadline - time.monotonic()))
        if process.is_alive():
            process.kill()
            process.join()
