"""Soak: ``POST /match`` at a steady rate for an hour against ``sanctio serve --workers
2``: is every serving process's memory flat, and the p99 latency the same at the end?

    python bench/soak.py [--minutes 60] [--rate 300] [--workers 2] [--distinct 2000]

Set-up (not measured): the bundled EU Belarus list (``sanctio.data.demo``, 408 rows)
imported into a fresh SQLite registry in a temporary folder, its index built once,
and ``sanctio serve --workers N`` started on it on 127.0.0.1 at a free port, with its
access log on (as deployed). Queries: a fixed set of ``--distinct`` realistic ones,
made as ``bench/load_match.py`` makes them (the list's own names as listed, reordered,
with a typo, a fifth in Cyrillic, a third given and family names recombined into a
customer who is not listed, birth dates on some), cycled, so that once the first
minute has gone by every cache has seen every query and growth left is a leak.

Load: open loop, request *i* due at ``start + i / rate`` (no coordinated omission,
see ``bench/load_match.py``), over 32 keep-alive connections. Measured: each answer's
latency from its due time, by minute (p50, p99); each server process's resident
memory (VmRSS from /proc, or psutil when installed) every 10 s. The first minute is
the warm-up.

Targets, printed PASS or FAIL (exit status 1 when one fails): every serving process's
RSS at the end within 5% of its RSS at the end of the warm-up; the last minute's p99
within 10% of the first minute's after the warm-up (or both under 5 ms, where the
machine's noise is larger than that); every answer a 200 with its query screened.
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
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from importlib import resources
from pathlib import Path

from load_match import (
    HOST,
    Material,
    collect,
    free_port,
    make_query,
    process_tree,
    start_server,
    wait_ready,
)

from sanctio.lists import read_list
from sanctio.registry import Registry

#: Targets: memory flat within this share after the warm-up, and the last minute's
#: p99 within this share of the first minute's after it...
RSS_GROWTH = 0.05
P99_GROWTH = 0.10
#: ...unless both are below this many milliseconds (a scheduler's hiccup is larger).
P99_FLOOR_MS = 5.0
SAMPLE_EVERY = 10.0
WARM_UP_MINUTES = 1


@dataclass
class Soak:
    """What the run saw: answers by minute, memory by process over time."""

    latencies: dict[int, list[float]] = field(default_factory=dict)
    rss: dict[int, list[tuple[float, float]]] = field(default_factory=dict)
    errors: dict[str, int] = field(default_factory=dict)
    sent: int = 0
    answered: int = 0

    def error(self, kind: str) -> None:
        self.errors[kind] = self.errors.get(kind, 0) + 1


def import_belarus(url: str) -> Material:
    """The bundled Belarus list in a registry at ``url``; its names to draw queries from."""
    source = resources.files("sanctio.data.demo").joinpath("32006R0765.csv")
    material = Material()
    registry = Registry(url)
    try:
        with resources.as_file(source) as path:
            parsed = read_list(path)
        registry.import_list(parsed)
        for entity in parsed.entities:
            if entity.target:
                collect(entity, material)
    finally:
        registry.close()
    return material


def build_index(folder: Path) -> None:
    """The index built and saved once (``sanctio screen``), so each process loads it."""
    env = {**os.environ, "SANCTIO_DB": f"sqlite:///{folder / 'registry.db'}"}
    env["SANCTIO_DATA_DIR"] = str(folder)
    subprocess.run(
        [sys.executable, "-m", "sanctio", "screen", "Lidia Yermoshina"],
        env=env, check=True, capture_output=True,
    )  # fmt: skip


def payloads(material: Material, count: int, port: int, seed: int) -> list[bytes]:
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


def rss_mb(pid: int) -> float:
    """One process's resident memory in MB (psutil when installed, else /proc)."""
    try:
        import psutil

        return float(psutil.Process(pid).memory_info().rss) / 2**20
    except ImportError:
        pass
    except Exception:  # psutil.NoSuchProcess and the like: the process has ended
        return float("nan")
    with contextlib.suppress(OSError):
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return float("nan")


async def sample(pids: list[int], soak: Soak, start: float, until: float) -> None:
    while (now := time.perf_counter()) < until:
        for pid in pids:
            soak.rss.setdefault(pid, []).append((now - start, rss_mb(pid)))
        await asyncio.sleep(SAMPLE_EVERY - (time.perf_counter() - start) % SAMPLE_EVERY)


Queue = asyncio.Queue[tuple[float, bytes] | None]


async def connection(port: int, queue: Queue, soak: Soak, start: float) -> None:
    reader, writer = await asyncio.open_connection(HOST, port)
    try:
        while (item := await queue.get()) is not None:
            due, payload = item
            try:
                writer.write(payload)
                head = await reader.readuntil(b"\r\n\r\n")
                length = re.search(rb"(?i)\r\ncontent-length: *(\d+)", head)
                if length is None:
                    raise ValueError("no Content-Length")
                body = await reader.readexactly(int(length.group(1)))
            except (OSError, ValueError, asyncio.IncompleteReadError) as exc:
                soak.error(type(exc).__name__)
                writer.close()
                reader, writer = await asyncio.open_connection(HOST, port)
                continue
            done = time.perf_counter()
            soak.answered += 1
            minute = int((due - start) // 60)
            soak.latencies.setdefault(minute, []).append(done - due)
            if head[9:12] != b"200":
                soak.error(f"HTTP {head[9:12].decode()}")
            elif b'"status":200' not in body[:200]:
                soak.error("query not screened")
    finally:
        writer.close()


async def drive(
    port: int, requests: list[bytes], rate: float, minutes: float, pids: list[int]
) -> Soak:
    soak = Soak()
    queue: Queue = asyncio.Queue()
    start = time.perf_counter() + 0.5
    workers = []
    for _ in range(32):  # opened 10 ms apart: each server process gets its share
        workers.append(asyncio.create_task(connection(port, queue, soak, start)))
        await asyncio.sleep(0.01)
    until = start + 60 * minutes
    sampler = asyncio.create_task(sample(pids, soak, start, until + 0.1))
    total = int(60 * minutes * rate)
    for i in range(total):
        due = start + i / rate
        ahead = due - time.perf_counter()
        if ahead > 0.0005:
            await asyncio.sleep(ahead)
        queue.put_nowait((due, requests[i % len(requests)]))
        soak.sent += 1
    for _ in workers:
        queue.put_nowait(None)
    await asyncio.wait(workers, timeout=30)
    await sampler
    return soak


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return 1000 * ordered[min(len(ordered) - 1, int(len(ordered) * share))]


def report(soak: Soak, minutes: int) -> bool:
    print("\nminute  answers   p50 ms   p99 ms   RSS MB by process (at the minute's end)")
    for minute in range(minutes):
        found = soak.latencies.get(minute, [])
        memory = [
            next((m for t, m in reversed(points) if t <= 60 * (minute + 1) + 1), float("nan"))
            for points in soak.rss.values()
        ]
        shown = " ".join(f"{m:7.1f}" for m in memory)
        if found:
            print(
                f"{minute + 1:6d} {len(found):8d} {percentile(found, 0.5):8.2f} "
                f"{percentile(found, 0.99):8.2f}   {shown}"
            )
    checks: list[tuple[str, bool]] = []
    warm = WARM_UP_MINUTES * 60
    for pid, points in soak.rss.items():
        after = [m for t, m in points if t >= warm]
        if not after:
            continue
        first, last = after[0], after[-1]
        checks.append(
            (
                f"process {pid}: RSS {first:.1f} MB after the warm-up, {last:.1f} MB at the end: "
                f"{last / first:.3f}x (flat within {RSS_GROWTH:.0%})",
                abs(last - first) <= RSS_GROWTH * first,
            )
        )
    measured = sorted(m for m in soak.latencies if m >= WARM_UP_MINUTES)
    if len(measured) >= 2:
        first_p99 = percentile(soak.latencies[measured[0]], 0.99)
        last_p99 = percentile(soak.latencies[measured[-1]], 0.99)
        checks.append(
            (
                f"p99 {first_p99:.2f} ms in minute {measured[0] + 1}, {last_p99:.2f} ms in "
                f"minute {measured[-1] + 1}: {last_p99 / first_p99:.2f}x (within "
                f"{P99_GROWTH:.0%}, or both under {P99_FLOOR_MS:.0f} ms)",
                last_p99 <= (1 + P99_GROWTH) * first_p99 or last_p99 < P99_FLOOR_MS,
            )
        )
    errors = sum(soak.errors.values())
    checks.append((f"answers: {soak.answered:,} of {soak.sent:,}, errors {errors}", errors == 0))
    for kind, n in sorted(soak.errors.items()):
        print(f"    {n:,} {kind}")
    print()
    for text, ok in checks:
        print(f"  {'PASS' if ok else 'FAIL'}  {text}")
    return all(ok for _, ok in checks)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--minutes", type=int, default=60, help="minutes of load (2 or more)")
    parser.add_argument("--rate", type=float, default=300.0, help="requests per second")
    parser.add_argument("--workers", type=int, default=2, help="sanctio serve --workers")
    parser.add_argument("--distinct", type=int, default=2000, help="distinct queries cycled")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    if not 2 <= args.minutes <= 24 * 60 or not 0 < args.rate <= 2000:
        parser.error("--minutes 2 to 1440 and --rate 1-2000 only")
    if not 1 <= args.workers <= 16 or args.distinct < 1:
        parser.error("--workers 1-16 and --distinct 1 or more only")
    load = os.getloadavg()
    print(
        f"{datetime.now(UTC):%Y-%m-%d %H:%M} UTC; {os.cpu_count()} cores; Python "
        f"{platform.python_version()}; load average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}"
    )
    with tempfile.TemporaryDirectory(prefix="sanctio-soak-") as tmp:
        folder = Path(tmp)
        material = import_belarus(f"sqlite:///{folder / 'registry.db'}")
        build_index(folder)
        port = free_port()
        requests = payloads(material, args.distinct, port, args.seed)
        gc.collect()
        gc.freeze()
        log = folder / "server.log"
        server = start_server(folder, port, args.workers, log)
        try:
            wait_ready(server, port, log, timeout=120)
            pids = process_tree(server.pid)
            print(
                f"sanctio serve --workers {args.workers} on {HOST}:{port} (Belarus list, "
                f"{len(material.latin) + len(material.cyrillic):,} names); processes "
                f"{', '.join(map(str, pids))} (the first deals connections to the serving "
                f"ones, the largest; a small one is multiprocessing's helper); "
                f"{args.rate:.0f} req/s for {args.minutes} min, {len(requests):,} distinct "
                f"queries cycled; minute 1 is the warm-up"
            )
            soak = asyncio.run(drive(port, requests, args.rate, args.minutes, pids))
        finally:
            server.terminate()
            try:
                server.wait(timeout=15)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait()
    passed = report(soak, args.minutes)
    load = os.getloadavg()
    print(f"load average at the end {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}")
    sys.exit(0 if passed else 1)


if __name__ == "__main__":
    main()
