"""Hostile load and input at the HTTP service (issue 22, findings 7 and 11): a body
limit on every endpoint, a cap on names per /match request and on forensic draws for
non-officers, and heavy work off the event loop in a bounded pool, so that /healthz
answers at once meanwhile and a full pool says 503, not "wait forever"."""

from __future__ import annotations

import socket
import statistics
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from sanctio.api.limits import WorkPool
from sanctio.designation.auth import Role
from sanctio.designation.workflow import Designation
from sanctio.registry import Registry
from tests.api import person
from tests.api.live import Live, live_server
from tests.api.test_own_forensics import generic_csv

#: The Belarus list's own spellings, repeated: one query of many names, each of them
#: costing the screener real work.
NAMES = [
    "Lidia Yermoshina",
    "Aleksandr Lukashenko",
    "Viktor Sheiman",
    "Natalia Kochanova",
    "Ivan Tertel",
    "Yury Karaeu",
    "Dmitri Shumilin",
    "Aliaksandr Barsukou",
]


@pytest.fixture(scope="module")
def live(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Live]:
    with live_server(tmp_path_factory.mktemp("limits")) as server:
        yield server


def _many_names(count: int) -> dict[str, Any]:
    names = [f"{NAMES[i % len(NAMES)]} {chr(65 + i % 26)}" for i in range(count)]
    return {"queries": {"q1": person(names)}}


def _raw(port: int, head: bytes, chunks: Iterator[bytes]) -> tuple[bytes, int]:
    """The answer to a request written as it is, and how many body bytes the server
    let the client send before it answered and closed."""
    sent = 0
    with socket.create_connection(("127.0.0.1", port), timeout=10) as sock:
        sock.sendall(head)
        try:
            for chunk in chunks:
                sock.sendall(chunk)
                sent += len(chunk)
        except (BrokenPipeError, ConnectionResetError):
            pass
        answer = b""
        try:
            while block := sock.recv(65536):
                answer += block
        except ConnectionResetError:
            pass
    return answer, sent


def test_a_60_mb_match_body_is_refused_before_it_is_read(live: Live) -> None:
    """Finding 7: /match accepted a 60 MB body and echoed it. Declared by its length,
    it is refused at once; the service goes on answering."""
    body = (
        b'{"queries": {"q1": {"schema": "Person", "properties": {"name": ["'
        + b"A" * (60 * 2**20)
        + b'"]}}}}'
    )
    response = httpx.post(
        f"{live.url}/match/default",
        content=body,
        headers={"Content-Type": "application/json"},
        timeout=30,
    )
    assert response.status_code == 413
    assert "larger than 2 MiB" in response.json()["detail"]
    assert "SANCTIO_MAX_BODY_BYTES" in response.json()["detail"]
    assert httpx.get(f"{live.url}/healthz", timeout=5).status_code == 200


def test_a_chunked_body_without_length_is_cut_off_at_the_limit(live: Live) -> None:
    """No Content-Length (chunked): the bytes are counted as they come, and the server
    answers 413 once they pass the limit, long before 60 MB were sent."""
    head = (
        b"POST /match/default HTTP/1.1\r\nHost: test\r\nContent-Type: application/json\r\n"
        b"Transfer-Encoding: chunked\r\n\r\n"
    )
    block = 2**20
    chunk = f"{block:x}\r\n".encode() + b" " * block + b"\r\n"
    answer, sent = _raw(live.port, head, iter([chunk] * 60))
    assert answer.startswith(b"HTTP/1.1 413"), answer[:200]
    assert sent < 20 * 2**20
    assert httpx.get(f"{live.url}/healthz", timeout=5).status_code == 200


@pytest.mark.parametrize("path", ["/ui/login", "/match/default", "/lists", "/dossiers"])
def test_every_endpoint_and_form_has_the_limit(live: Live, path: str) -> None:
    """POST /ui/login read an unbounded body; so may any route: one limit for all."""
    response = httpx.post(
        f"{live.url}{path}",
        content=b"x" * (3 * 2**20),
        headers={"Content-Type": "application/x-www-form-urlencoded"},
        timeout=30,
    )
    assert response.status_code == 413, response.text


def test_too_many_names_in_one_match_request_are_refused(live: Live) -> None:
    """Finding 11: one query of 100,000 names held the event loop for 13 s."""
    response = httpx.post(f"{live.url}/match/default", json=_many_names(1001), timeout=30)
    assert response.status_code == 422
    (problem,) = response.json()["detail"]  # FastAPI's shape of a 422
    assert problem["loc"] == ["body", "queries"]
    assert problem["msg"].startswith("Too many names in one request: 1001; expected at most 1000")
    assert "SANCTIO_MAX_MATCH_NAMES" in problem["msg"]


def _healthz_latencies(url: str, busy: threading.Event, samples: int) -> list[float]:
    latencies = []
    with httpx.Client(timeout=10) as client:
        client.get(f"{url}/healthz")  # a connection open before the load
        while len(latencies) < samples and busy.is_set():
            started = time.perf_counter()
            assert client.get(f"{url}/healthz").status_code == 200
            latencies.append(time.perf_counter() - started)
            time.sleep(0.02)
    return latencies


def test_healthz_answers_within_100_ms_while_heavy_requests_are_screened(live: Live) -> None:
    """Single queries of many names (the route used to screen a one-query request on
    the event loop) and batches, several at once: /healthz keeps answering within
    100 ms meanwhile."""
    heavy = [_many_names(1000), {"queries": {f"q{i}": person(n) for i, n in enumerate(NAMES)}}]
    busy = threading.Event()
    statuses: list[int] = []

    def screen(body: dict[str, Any]) -> None:
        with httpx.Client(timeout=120) as client:
            for _ in range(2):
                statuses.append(client.post(f"{live.url}/match/default", json=body).status_code)

    threads = [threading.Thread(target=screen, args=(heavy[i % 2],)) for i in range(4)]
    busy.set()
    for thread in threads:
        thread.start()
    time.sleep(0.3)  # the requests are being screened
    latencies = _healthz_latencies(live.url, busy, 20)
    for thread in threads:
        thread.join()
    assert statuses == [200] * 8
    assert len(latencies) >= 15
    # on a shared CI machine one sample in ten may be late for reasons of its own (an
    # idle server's took up to 22 ms there); screened on the event loop, as before,
    # most samples waited for a query of 1,000 names: 300-600 ms
    shown = sorted(round(s * 1000) for s in latencies)
    assert statistics.median(latencies) < 0.05, shown
    assert sum(s < 0.1 for s in latencies) >= 0.9 * len(latencies), shown


def test_a_full_pool_answers_503_with_retry_after(live: Live) -> None:
    """One thread and no queue: of three heavy requests at once, the ones that find it
    busy are told to come back, at once, instead of waiting without end."""
    live.app.state.pool = WorkPool(1, 0)
    try:
        answers: list[httpx.Response] = []

        def screen() -> None:
            answers.append(
                httpx.post(f"{live.url}/match/default", json=_many_names(400), timeout=120)
            )

        threads = [threading.Thread(target=screen) for _ in range(3)]
        for thread in threads:
            thread.start()
            time.sleep(0.05)
        for thread in threads:
            thread.join()
    finally:
        live.app.state.pool = WorkPool(2, 64)
    statuses = sorted(a.status_code for a in answers)
    assert statuses[0] == 200
    assert 503 in statuses
    refused = next(a for a in answers if a.status_code == 503)
    assert refused.headers["retry-after"] == "1"
    assert "The service is busy" in refused.json()["detail"]


def test_forensic_draws_beyond_the_public_cap_need_an_officer(live: Live) -> None:
    """Finding 11: an anonymous report of 10,000 draws cost 94 s of CPU. Anonymous and
    non-officers get 422 naming the limit; an officer's token lifts it."""
    files = {"file": ("election.csv", generic_csv(), "text/csv")}
    for path, params in (
        ("/forensics/integer-test", {"draws": 5000}),
        ("/forensics/report", {"draws": 5000}),
        ("/forensics/report", {"replicates": 10}),
    ):
        response = httpx.post(f"{live.url}{path}", files=files, params=params, timeout=60)
        assert response.status_code == 422, response.text
        field = next(iter(params))
        (problem,) = response.json()["detail"]
        assert problem["loc"] == ["query", field]
        assert problem["msg"].startswith(f"{field}: {params[field]}; expected at most")
        assert "without an officer's token" in problem["msg"]

    registry = Registry(live.db_url)
    try:
        officer = Designation(registry).add_user(None, "officer", Role.OFFICER)
    finally:
        registry.close()
    response = httpx.post(
        f"{live.url}/forensics/integer-test",
        files=files,
        params={"draws": 1500},
        headers={"Authorization": f"Bearer {officer}"},
        timeout=60,
    )
    assert response.status_code == 200, response.text
    assert response.json()["draws"] == 1500


def test_the_limits_are_settings(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """SANCTIO_MAX_BODY_BYTES and SANCTIO_MAX_MATCH_NAMES, read at start-up; a typo is
    refused with the setting's name."""
    from sanctio import settings
    from sanctio.errors import SanctioError

    monkeypatch.setenv("SANCTIO_MAX_BODY_BYTES", "4096")
    monkeypatch.setenv("SANCTIO_MAX_MATCH_NAMES", "3")
    with live_server(tmp_path) as server:
        big = httpx.post(f"{server.url}/match/default", json=_many_names(2) | {"x": "y" * 5000})
        assert big.status_code == 413
        assert "4 KiB" in big.json()["detail"]
        many = httpx.post(f"{server.url}/match/default", json=_many_names(4))
        assert many.status_code == 422
        assert "expected at most 3" in many.json()["detail"][0]["msg"]
    monkeypatch.setenv("SANCTIO_MAX_MATCH_NAMES", "many")
    with pytest.raises(SanctioError, match="SANCTIO_MAX_MATCH_NAMES: 'many'; expected a whole"):
        settings.max_match_names()


def test_the_web_report_form_has_the_same_caps(live: Live) -> None:
    """The page's form reaches the same report: the same caps for non-officers."""
    response = httpx.post(
        f"{live.url}/ui/forensics/report",
        files={"results": ("election.csv", generic_csv(), "text/csv")},
        data={"draws": "5000", "replicates": "0"},
        headers={"Origin": live.url},
        timeout=60,
    )
    assert response.status_code == 400, response.text[:500]
    assert "draws: expected a whole number from 2 to 1000, not &#39;5000&#39;" in response.text


def test_search_text_is_bounded_and_screened_in_the_pool(live: Live) -> None:
    """/search screens its text: a name's length at most, and in the bounded pool (a
    full pool refuses it like a batch)."""
    long = httpx.get(f"{live.url}/search/default", params={"q": "Lukashenka " * 100})
    assert long.status_code == 422
    assert httpx.get(f"{live.url}/search/default", params={"q": "Lukashenka"}).json()["results"]
    live.app.state.pool = WorkPool(0, 0)  # nothing admitted
    try:
        busy = httpx.get(f"{live.url}/search/default", params={"q": "Lukashenka"})
    finally:
        live.app.state.pool = WorkPool(2, 64)
    assert busy.status_code == 503
