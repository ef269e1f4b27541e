"""``POST /match`` under a steady load: throughput, latency and memory of a real server.

    python bench/load_match.py [--rate 500] [--duration 60] [--workers N] [--distinct N]
                               [--probe 700,900]

Set-up (timed, not measured): every list in ../shared/data (the 36 EU regimes, OFAC's
2021 release, the UN consolidated list) is imported into a fresh SQLite registry in a
temporary folder, its index built once (``sanctio screen``), and ``sanctio serve
--workers N`` (default: one process a core) started on it as a separate process on
127.0.0.1 at a free port; the benchmark waits for /readyz (the index loaded).

Load: an open-loop generator. Request *i* is due at ``start + i / rate`` whatever
happened to the ones before, and its latency runs from that due time to the last byte
of the answer, so a slow answer delays nothing and hides nothing (no coordinated
omission): a request waiting for a free connection is late, and counted so. Requests
go over a bounded pool of keep-alive HTTP/1.1 connections (opened 10 ms apart, so that
each server process accepts its share), written and read with plain asyncio streams
from bytes built before the run, so the generator costs little CPU (its share is
printed). Each request is one query: a name drawn (seeded) from the lists' own names,
as listed, reordered or with a typo, about a fifth of them in Cyrillic, and a third
made of the lists' given and family names recombined (a customer who is not listed);
a birth date on about a third. Every request is a new draw unless ``--distinct N``
cycles through N queries.

Measured: ``--duration`` seconds after ``--warm-up`` seconds at the same rate. The
answers per second, p50/p95/p99/max latency, every answer that is not a 200 with a
screened query, the CPU of the server (each process) and of the generator, and the
server's resident memory (every process of it, read from /proc each second): at the
start of the measurement, at its end, and the least-squares slope in MB per minute.
The screening caches (``functools.lru_cache``, bounded by entry count) grow with every
new name, so with a new query every request memory rises until they are full; with
``--distinct 2000`` they hold every query after the warm-up, and growth left is a leak.

Anchor, cited: yente's documentation gives rough throughputs of ~4 (logic-v2) to ~15
(logic-v1) requests per second on one vCPU; printed is our rate per core over each.

Targets, each printed PASS or FAIL (exit status 1 when one fails): the offered rate
achieved (at least 99% of it answered within the run), p99 under 50 ms, every answer
a 200, and resident memory at the end within 5% of the start. ``--probe`` runs further
rates after the measurement (``--probe-duration`` each, not judged) to see where the
service stops keeping up.

Loopback only: the server and the load stay on 127.0.0.1.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import gc
import json
import os
import platform
import random
import re
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from screening_speed import SOURCES, varied  # the same lists, the same name variations

from sanctio.lists import read_list
from sanctio.model import Entity
from sanctio.registry import Registry

HOST = "127.0.0.1"
#: yente's "rough guidance for a single GCE N4 vCPU" (requests per second).
YENTE_URL = "https://yente.followthemoney.tech/deploy/scaling/"
YENTE = {"logic-v1": 15.0, "logic-v2": 4.0}
#: Targets.
P99_MS = 50.0
ACHIEVED_SHARE = 0.99
RSS_GROWTH = 0.05

CYRILLIC = re.compile("[\u0400-\u04ff]")
WORD = re.compile(r"[^\W\d_]{2,}")


# -- queries ----------------------------------------------------------------------


@dataclass
class Material:
    """What queries are drawn from: the lists' names, by script, and name parts."""

    latin: list[tuple[str, str, list[str]]] = field(default_factory=list)
    cyrillic: list[tuple[str, str, list[str]]] = field(default_factory=list)
    given: list[str] = field(default_factory=list)
    family: list[str] = field(default_factory=list)


def import_lists(url: str) -> tuple[int, Material]:
    """Import every list into the registry at ``url``; the names to draw queries from."""
    material = Material()
    registry = Registry(url)
    entities = 0
    try:
        for source in SOURCES:
            parsed = read_list(source)
            registry.import_list(parsed)
            for entity in parsed.entities:
                if entity.target:
                    entities += 1
                    collect(entity, material)
    finally:
        registry.close()
    return entities, material


def collect(entity: Entity, material: Material) -> None:
    dates = entity.get("birthDate") if entity.schema.name == "Person" else []
    for name in entity.names:
        if not any(c.isalpha() for c in name):
            continue  # a list's stray value (one entity's name is a lone '"'): no query
        found = (entity.schema.name, name, dates)
        (material.cyrillic if CYRILLIC.search(name) else material.latin).append(found)
    if entity.schema.name == "Person" and not CYRILLIC.search(entity.caption):
        words = WORD.findall(entity.caption)
        if len(words) >= 2:
            material.given.append(words[0].title())
            material.family.append(words[-1].upper())


def make_query(material: Material, rng: random.Random) -> dict[str, Any]:
    """One yente query example: a fifth Cyrillic names, a third recombined customers."""
    draw = rng.random()
    if draw < 1 / 3:
        schema, dates = "Person", []
        name = f"{rng.choice(material.given)} {rng.choice(material.family)}"
        if rng.random() < 0.3:
            dates = [
                f"{rng.randrange(1940, 2002)}-{rng.randrange(1, 13):02d}-{rng.randrange(1, 29):02d}"
            ]
    else:
        pool = material.cyrillic if draw > 0.8 else material.latin
        schema, listed, known = rng.choice(pool)
        name = varied(listed, rng)
        dates = known[:1] if known and rng.random() < 0.4 else []
    properties: dict[str, list[str]] = {"name": [name]}
    if dates:
        properties["birthDate"] = dates
    return {"schema": schema, "properties": properties}


def requests(material: Material, count: int, port: int, seed: int) -> list[bytes]:
    """``count`` POST /match requests, one query each, as the bytes sent."""
    rng = random.Random(seed)
    head = (
        f"POST /match/default HTTP/1.1\r\nHost: {HOST}:{port}\r\n"
        "Content-Type: application/json\r\nAccept: application/json\r\n"
    )
    built = []
    for _ in range(count):
        body = json.dumps({"queries": {"q1": make_query(material, rng)}}).encode()
        built.append(f"{head}Content-Length: {len(body)}\r\n\r\n".encode() + body)
    return built


# -- the server ---------------------------------------------------------------------


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((HOST, 0))
        port: int = sock.getsockname()[1]
        return port


def server_env(folder: Path) -> dict[str, str]:
    return {
        **os.environ,
        "SANCTIO_DB": f"sqlite:///{folder / 'registry.db'}",
        "SANCTIO_DATA_DIR": str(folder),
        "SANCTIO_API_REQUIRE_TOKEN": "false",
    }


def build_index(folder: Path) -> None:
    """The index of every list, built and saved once by ``sanctio screen`` (as a user's
    first screening does), so each server process loads it instead of building it."""
    subprocess.run(
        [sys.executable, "-m", "sanctio", "screen", "Lidia Yermoshina"],
        env=server_env(folder), check=True, capture_output=True,
    )  # fmt: skip


def start_server(folder: Path, port: int, workers: int, log: Path) -> subprocess.Popen[bytes]:
    """``sanctio serve`` on the registry in ``folder``, as its own process."""
    env = server_env(folder)
    command = [sys.executable, "-m", "sanctio", "serve", "--host", HOST, "--port", str(port)]
    if workers > 1:
        command += ["--workers", str(workers)]
    with log.open("wb") as out:
        return subprocess.Popen(command, env=env, stdout=out, stderr=subprocess.STDOUT)


def wait_ready(server: subprocess.Popen[bytes], port: int, log: Path, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            sys.exit(f"the server stopped (exit {server.returncode}):\n{log.read_text()[-3000:]}")
        try:
            with urllib.request.urlopen(f"http://{HOST}:{port}/readyz", timeout=2) as answer:
                if answer.status == 200:
                    return
        except OSError:
            pass
        time.sleep(0.2)
    sys.exit(f"the server was not ready within {timeout:.0f} s:\n{log.read_text()[-3000:]}")


def process_tree(pid: int) -> list[int]:
    """``pid`` and its descendants (uvicorn's workers), from /proc."""
    found, queue = [], [pid]
    while queue:
        current = queue.pop()
        found.append(current)
        with contextlib.suppress(OSError):
            for task in Path(f"/proc/{current}/task").iterdir():
                queue.extend(int(c) for c in (task / "children").read_text().split())
    return found


def rss_mb(pids: list[int]) -> float:
    """Resident memory of these processes together (VmRSS), in MB."""
    total = 0
    for pid in pids:
        with contextlib.suppress(OSError):
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
    return total / 1024


def cpu_seconds(pids: list[int]) -> float:
    """User and system CPU time of these processes together."""
    ticks = 0
    for pid in pids:
        with contextlib.suppress(OSError):
            fields = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
            ticks += int(fields[11]) + int(fields[12])
    return ticks / os.sysconf("SC_CLK_TCK")


# -- the load -----------------------------------------------------------------------


@dataclass
class Run:
    """What one run at one rate saw."""

    rate: float
    measured_from: float = 0.0
    measured_to: float = 0.0
    latencies: list[float] = field(default_factory=list)
    errors: dict[str, int] = field(default_factory=dict)
    answered: int = 0
    failed: int = 0
    sent: int = 0
    last_answer: float = 0.0
    rss: list[tuple[float, float]] = field(default_factory=list)
    server_cpu: float = 0.0
    by_process: list[float] = field(default_factory=list)
    client_cpu: float = 0.0

    def error(self, kind: str) -> None:
        self.errors[kind] = self.errors.get(kind, 0) + 1


Stream = tuple[asyncio.StreamReader, asyncio.StreamWriter]


async def connect(port: int, count: int) -> list[Stream]:
    """``count`` connections, opened 10 ms apart: opened all at once, they would nearly
    all be accepted by whichever server process woke first (uvicorn's processes share
    one listening socket), and the others would get too few to take their share."""
    streams = []
    for _ in range(count):
        streams.append(await asyncio.open_connection(HOST, port))
        await asyncio.sleep(0.01)
    return streams


async def connection(
    port: int,
    stream: Stream,
    queue: asyncio.Queue[tuple[float, bytes, bool] | None],
    run: Run,
) -> None:
    """One keep-alive connection: send a due request, read its answer, record it. The
    connections take requests from one queue, so a slower server process is given
    fewer."""
    reader, writer = stream
    try:
        while True:
            item = await queue.get()
            if item is None:
                return
            due, payload, measured = item
            try:
                writer.write(payload)
                head = await reader.readuntil(b"\r\n\r\n")
                status = int(head[9:12])
                length = re.search(rb"(?i)\r\ncontent-length: *(\d+)", head)
                if length is None:
                    raise ValueError("no Content-Length")
                body = await reader.readexactly(int(length.group(1)))
            except (OSError, ValueError, asyncio.IncompleteReadError) as exc:
                if measured:
                    run.failed += 1
                    run.error(type(exc).__name__)
                writer.close()
                reader, writer = await asyncio.open_connection(HOST, port)
                continue
            done = time.perf_counter()
            if not measured:
                continue
            run.answered += 1
            run.last_answer = done
            run.latencies.append(done - due)
            if status != 200:
                run.error(f"HTTP {status}")
            elif b'"status":200' not in body[:200]:
                run.error("query not screened")
    finally:
        writer.close()


async def sample_rss(pids: list[int], run: Run, until: float) -> None:
    """The server's resident memory once a second until ``until``."""
    start = time.perf_counter()
    while (now := time.perf_counter()) < until:
        run.rss.append((now - start, rss_mb(pids)))
        await asyncio.sleep(1.0 - (time.perf_counter() - start) % 1.0)
    run.rss.append((time.perf_counter() - start, rss_mb(pids)))


async def load(
    port: int,
    payloads: list[bytes],
    rate: float,
    warm_up: float,
    duration: float,
    connections: int,
    pids: list[int],
    grace: float,
) -> Run:
    """Send ``rate`` requests a second for ``warm_up + duration`` seconds, open loop."""
    run = Run(rate)
    queue: asyncio.Queue[tuple[float, bytes, bool] | None] = asyncio.Queue()
    streams = await connect(port, connections)
    workers = [asyncio.create_task(connection(port, stream, queue, run)) for stream in streams]
    start = time.perf_counter() + 0.05
    run.measured_from = start + warm_up
    run.measured_to = run.measured_from + duration
    total = int((warm_up + duration) * rate)
    first_measured = int(warm_up * rate)
    sampler: asyncio.Task[None] | None = None
    cpu_start = (0.0, 0.0)
    each_start = [0.0 for _ in pids]
    for i in range(total):
        due = start + i / rate
        ahead = due - time.perf_counter()
        if ahead > 0.0005:
            await asyncio.sleep(ahead)
        if i == first_measured:
            sampler = asyncio.create_task(sample_rss(pids, run, run.measured_to))
            cpu_start = (cpu_seconds(pids), _own_cpu())
            each_start = [cpu_seconds([pid]) for pid in pids]
        queue.put_nowait((due, payloads[i % len(payloads)], i >= first_measured))
        if i >= first_measured:
            run.sent += 1
    # the last requests are answered, or given up on after ``grace`` seconds
    for _ in workers:
        queue.put_nowait(None)
    # CPU over the measured span, so its last answers' work is counted but not the grace
    await asyncio.sleep(max(0.0, run.measured_to - time.perf_counter()))
    cpu_end = (cpu_seconds(pids), _own_cpu())
    run.by_process = [cpu_seconds([pid]) - s for pid, s in zip(pids, each_start, strict=True)]
    done, pending = await asyncio.wait(workers, timeout=grace)
    for task in pending:
        task.cancel()
    run.server_cpu, run.client_cpu = cpu_end[0] - cpu_start[0], cpu_end[1] - cpu_start[1]
    if sampler is not None:
        sampler.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await sampler
    for task in done:
        if task.exception() is not None:
            run.error(f"connection lost: {task.exception()!r}")
    unanswered = run.sent - run.answered - run.failed
    if unanswered > 0:
        run.errors[f"not answered within {grace:.0f} s of the end"] = unanswered
    return run


def _own_cpu() -> float:
    times = os.times()
    return times.user + times.system


# -- the report ---------------------------------------------------------------------


def percentile(ordered: list[float], share: float) -> float:
    return ordered[min(len(ordered) - 1, int(len(ordered) * share))] if ordered else float("nan")


def slope_per_minute(points: list[tuple[float, float]]) -> float:
    """Least-squares slope of (seconds, MB), in MB per minute."""
    if len(points) < 2:
        return 0.0
    n = len(points)
    mx = sum(x for x, _ in points) / n
    my = sum(y for _, y in points) / n
    sxx = sum((x - mx) ** 2 for x, _ in points)
    sxy = sum((x - mx) * (y - my) for x, y in points)
    return 60.0 * sxy / sxx if sxx else 0.0


@dataclass
class Summary:
    achieved: float
    p50: float
    p95: float
    p99: float
    worst: float
    errors: int
    elapsed: float


def summarize(run: Run) -> Summary:
    # answers per second from the first due time to the last answer (or the end)
    elapsed = max(run.measured_to, run.last_answer) - run.measured_from
    ordered = sorted(run.latencies)
    ms = [1000 * percentile(ordered, s) for s in (0.5, 0.95, 0.99)]
    return Summary(
        achieved=run.answered / elapsed if elapsed else 0.0,
        p50=ms[0],
        p95=ms[1],
        p99=ms[2],
        worst=1000 * ordered[-1] if ordered else float("nan"),
        errors=sum(run.errors.values()),
        elapsed=elapsed,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rate", type=float, default=500.0, help="requests per second offered")
    parser.add_argument("--duration", type=float, default=60.0, help="seconds measured")
    parser.add_argument("--warm-up", type=float, default=10.0, help="seconds before measuring")
    parser.add_argument("--connections", type=int, default=32, help="keep-alive connections")
    parser.add_argument(
        "--workers",
        type=int,
        default=os.cpu_count() or 1,
        help="server processes, sanctio serve --workers (default: one a core)",
    )
    parser.add_argument(
        "--probe", default="", help="further rates to try after the run, e.g. 700,900"
    )
    parser.add_argument("--probe-duration", type=float, default=10.0)
    parser.add_argument(
        "--distinct",
        type=int,
        default=0,
        help="cycle through this many distinct queries (default: a new one every request); "
        "with a few thousand, the server's caches hold them all and any memory growth left "
        "is a leak",
    )
    parser.add_argument("--grace", type=float, default=10.0, help="seconds to wait for the last")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument(
        "--host", default=HOST, help="only 127.0.0.1: this load is never sent elsewhere"
    )
    args = parser.parse_args()
    if args.host != HOST:
        parser.error(f"--host {args.host!r} refused: the load goes to {HOST} only")
    if not 0 < args.rate <= 5000 or not 0 < args.duration <= 600 or not 0 < args.connections <= 256:
        parser.error("--rate 1-5000, --duration 1-600 s and --connections 1-256 only")
    if not 1 <= args.workers <= 16 or args.distinct < 0:
        parser.error("--workers 1-16 and --distinct 0 or more only")
    probes = [float(r) for r in args.probe.split(",") if r.strip()]
    if any(not 0 < r <= 5000 for r in probes) or args.probe_duration > 120:
        parser.error("--probe rates 1-5000 and --probe-duration up to 120 s only")
    load_before = os.getloadavg()
    print(
        f"{datetime.now(UTC):%Y-%m-%d %H:%M} UTC; {os.cpu_count()} cores; Python "
        f"{platform.python_version()}; load average {load_before[0]:.2f} {load_before[1]:.2f} "
        f"{load_before[2]:.2f}"
    )

    with tempfile.TemporaryDirectory(prefix="sanctio-load-") as tmp:
        folder = Path(tmp)
        t = time.perf_counter()
        entities, material = import_lists(f"sqlite:///{folder / 'registry.db'}")
        imported = time.perf_counter() - t
        t = time.perf_counter()
        build_index(folder)
        print(
            f"set-up: {len(SOURCES)} lists, {entities:,} listed entities imported in "
            f"{imported:.1f} s, index built in {time.perf_counter() - t:.1f} s; "
            f"{len(material.latin):,} Latin and {len(material.cyrillic):,} Cyrillic names "
            "to draw from"
        )
        port = free_port()
        count = int((args.warm_up + args.duration) * args.rate)
        for rate in probes:
            count = max(count, int((1 + args.probe_duration) * rate))
        payloads = requests(material, args.distinct or count, port, args.seed)
        del material
        gc.collect()
        gc.freeze()  # what was built is kept; the collector skips it during the run
        log = folder / "server.log"
        t = time.perf_counter()
        server = start_server(folder, port, args.workers, log)
        try:
            wait_ready(server, port, log, timeout=120)
            pids = process_tree(server.pid)
            print(
                f"server: sanctio serve on {HOST}:{port}, {len(pids)} process(es), ready "
                f"(index loaded) in {time.perf_counter() - t:.1f} s; "
                f"{len(payloads):,} distinct requests built"
            )
            run = asyncio.run(
                load(
                    port, payloads, args.rate, args.warm_up, args.duration,
                    args.connections, pids, args.grace,
                )
            )  # fmt: skip
            report(run, args)
            passed = judge(run, args.rate)
            for rate in probes:
                probe = asyncio.run(
                    load(
                        port, payloads, rate, 1.0, args.probe_duration,
                        args.connections, pids, args.grace,
                    )
                )  # fmt: skip
                s = summarize(probe)
                print(
                    f"probe {rate:6.0f} req/s offered: {s.achieved:6.1f} answered/s, "
                    f"p50 {s.p50:6.1f} ms, p99 {s.p99:7.1f} ms, max {s.worst:7.1f} ms, "
                    f"errors {s.errors}; server CPU {probe.server_cpu / args.probe_duration:.2f} "
                    f"cores"
                )
        finally:
            server.terminate()
            try:
                server.wait(timeout=15)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait()
    load_after = os.getloadavg()
    print(f"load average at the end {load_after[0]:.2f} {load_after[1]:.2f} {load_after[2]:.2f}")
    sys.exit(0 if passed else 1)


def report(run: Run, args: argparse.Namespace) -> None:
    s = summarize(run)
    cores = os.cpu_count() or 1
    print(
        f"\nPOST /match/default, one query a request, {args.rate:.0f} req/s offered for "
        f"{args.duration:.0f} s (after {args.warm_up:.0f} s warm-up), open loop over "
        f"{args.connections} keep-alive connections"
    )
    print(f"  requests   {run.sent:,} sent, {run.answered:,} answered, errors {s.errors}")
    for kind, n in sorted(run.errors.items()):
        print(f"             {n:,} {kind}")
    print(f"  achieved   {s.achieved:.1f} answers/s")
    print(
        f"  latency    p50 {s.p50:.1f} ms   p95 {s.p95:.1f} ms   p99 {s.p99:.1f} ms   "
        f"max {s.worst:.1f} ms   (from each request's due time)"
    )
    each = ", ".join(f"{c / args.duration:.2f}" for c in run.by_process)
    print(
        f"  CPU        server {run.server_cpu / args.duration:.2f} cores "
        f"({1000 * run.server_cpu / max(1, run.answered):.2f} ms an answer; by process {each}), "
        f"load generator {run.client_cpu / args.duration:.2f} cores"
    )
    first, last = run.rss[0][1], run.rss[-1][1]
    print(
        f"  memory     server RSS {first:.0f} MB at the start, {last:.0f} MB at the end "
        f"({last - first:+.1f} MB), min {min(m for _, m in run.rss):.0f}, "
        f"max {max(m for _, m in run.rss):.0f}; slope {slope_per_minute(run.rss):+.1f} MB/min "
        f"({len(run.rss)} samples)"
    )
    per_core = s.achieved / cores
    per_server_core = s.achieved / (run.server_cpu / args.duration) if run.server_cpu else 0.0
    print(
        f"\nyente, rough guidance for one vCPU (GCE N4): ~{YENTE['logic-v1']:.0f} req/s with "
        f"logic-v1, ~{YENTE['logic-v2']:.0f} req/s with logic-v2, the default ({YENTE_URL})"
    )
    print(
        f"  sanctio    {per_core:.0f} req/s per core of this machine ({cores} cores, the load "
        f"generator included): {per_core / YENTE['logic-v1']:.0f}x logic-v1, "
        f"{per_core / YENTE['logic-v2']:.0f}x logic-v2"
    )
    print(
        f"             {per_server_core:.0f} req/s per core the server used: "
        f"{per_server_core / YENTE['logic-v1']:.0f}x logic-v1, "
        f"{per_server_core / YENTE['logic-v2']:.0f}x logic-v2"
    )


def judge(run: Run, rate: float) -> bool:
    s = summarize(run)
    first, last = run.rss[0][1], run.rss[-1][1]
    checks = [
        (
            f"rate: {s.achieved:.1f} of {rate:.0f} req/s offered answered "
            f"(at least {ACHIEVED_SHARE:.0%}, every request answered)",
            s.achieved >= ACHIEVED_SHARE * rate and run.answered == run.sent,
        ),
        (f"p99 {s.p99:.1f} ms < {P99_MS:.0f} ms", s.p99 < P99_MS),
        (f"errors: {s.errors}", s.errors == 0),
        (
            f"memory: RSS {last - first:+.1f} MB over the run, within {RSS_GROWTH:.0%} "
            f"of {first:.0f} MB",
            abs(last - first) <= RSS_GROWTH * first,
        ),
    ]
    print()
    for text, ok in checks:
        print(f"  {'PASS' if ok else 'FAIL'}  {text}")
    return all(ok for _, ok in checks)


if __name__ == "__main__":
    main()
