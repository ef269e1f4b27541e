"""``sanctio serve --workers N``: N server processes, each listening on a socket of its own.

uvicorn's ``--workers`` shares one listening socket among its processes: whichever
wakes first accepts a new connection, and since a client keeps its connections open,
a process that won more of them answers more of the requests for as long as they stay
open (one process at 0.94 of a core while the other idled at 0.52 under the same load,
``bench/load_match.py``). With a socket each, bound to the same address with
SO_REUSEPORT, the kernel hands each new connection to a process by a hash of the two
ends' addresses, independent of which process happens to be awake
(https://lwn.net/Articles/542629/).

The parent only starts the processes and stops them: on SIGINT or SIGTERM, or when one
of them ends, it stops the rest and returns.
"""

from __future__ import annotations

import multiprocessing
import signal
import socket
import time
from collections.abc import Sequence
from multiprocessing.connection import wait
from types import FrameType

from sanctio.errors import SanctioError

#: Whether this system can share a port between sockets (Linux, the BSDs, macOS).
AVAILABLE = hasattr(socket, "SO_REUSEPORT")
APP = "sanctio.api.app:create_app"
#: Seconds a process is given to finish its requests once asked to stop.
STOP_GRACE = 10.0


class PortInUseError(SanctioError):
    """The address to listen on is taken by another program."""


def serve_processes(host: str, port: int, workers: int, access_log: bool = True) -> int:
    """Run ``workers`` server processes on ``host:port`` until stopped (each logging
    every request unless ``access_log`` is false); the exit status: 0 when stopped by
    a signal, 1 when a process ended by itself (it failed)."""
    _check_free(host, port)
    context = multiprocessing.get_context("spawn")
    processes = [
        context.Process(target=_serve_one, args=(host, port, access_log), name=f"sanctio-serve-{n}")
        for n in range(1, workers + 1)
    ]
    asked_to_stop: list[int] = []

    def stop(signum: int, _frame: FrameType | None) -> None:
        asked_to_stop.append(signum)

    previous = {sig: signal.signal(sig, stop) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        for process in processes:
            process.start()
        while not asked_to_stop and all(p.is_alive() for p in processes):
            wait([p.sentinel for p in processes], timeout=0.5)
    finally:
        _stop(processes)
        for sig, handler in previous.items():
            signal.signal(sig, handler)
    return 0 if asked_to_stop else 1


def _serve_one(host: str, port: int, access_log: bool) -> None:
    """One server process: the app from the environment, on a socket of its own."""
    import uvicorn

    listening = _socket(host, port, share=True)
    config = uvicorn.Config(
        APP, factory=True, host=host, port=port, log_level="info", access_log=access_log
    )
    uvicorn.Server(config).run(sockets=[listening])


def _socket(host: str, port: int, share: bool) -> socket.socket:
    family, kind, protocol, _, address = socket.getaddrinfo(
        host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE
    )[0]
    listening = socket.socket(family, kind, protocol)
    listening.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    if share:
        listening.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
    try:
        listening.bind(address)
    except OSError:
        listening.close()
        raise
    listening.listen(2048)
    return listening


def _check_free(host: str, port: int) -> None:
    """PortInUseError unless ``host:port`` is free: bound without sharing, so that a
    service already listening there, this one's processes included, is not joined."""
    try:
        _socket(host, port, share=False).close()
    except OSError as exc:
        raise PortInUseError(
            f"Cannot listen on {host}:{port}: {exc.strerror}; expected a free port "
            "(choose one with --port)"
        ) from None


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
