"""``POST /match``: a yente client's request, answered the way yente answers it, by
Sanctio's screener; tokens when the service requires them; a real server process."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import Any

import httpx
import pytest

from sanctio.api.routers.match import MatchOptions
from sanctio.designation.auth import Role
from sanctio.designation.workflow import Designation
from sanctio.registry import Registry
from tests.api import (
    BELARUS,
    LUKASHENKA,
    VIKTAR,
    TestClient,
    import_belarus,
    make_app,
    open_belarus_service,
    person,
    started,
)
from tests.listfiles import NAME, read_rows, write_rows

#: The fields of yente's ScoredEntityResponse (yente/data/common.py).
YENTE_RESULT_FIELDS = {
    "id", "caption", "schema", "properties", "datasets", "referents", "target",
    "first_seen", "last_seen", "last_change", "score", "features", "explanations", "match",
}  # fmt: skip


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    """An open service over an SQLite registry holding the Belarus list (read-only tests)."""
    with open_belarus_service(tmp_path_factory.mktemp("api-match")) as client:
        yield client


def match(
    client: TestClient, queries: dict[str, Any], dataset: str = "default", **params: Any
) -> dict[str, Any]:
    """The body of a /match answer that must succeed."""
    response = client.post(f"/match/{dataset}", json={"queries": queries}, params=params)
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def test_yente_request_finds_lukashenka_first_with_an_explanation(client: TestClient) -> None:
    body = match(
        client,
        {"q1": person(["Alexander Lukashenko"], birthDate=["1954-08-30"], nationality=["by"])},
    )
    assert set(body) >= {"responses", "matcher", "limit"}
    assert body["limit"] == 5
    assert body["algorithm"]["name"] == "sanctio"
    answer = body["responses"]["q1"]
    assert answer["status"] == 200
    assert answer["query"]["properties"]["name"] == ["Alexander Lukashenko"]
    first = answer["results"][0]
    assert set(first) >= YENTE_RESULT_FIELDS
    assert first["id"] == LUKASHENKA
    assert first["caption"] == "Aliaksandr Ryhoravich LUKASHENKA"
    assert first["match"] is True
    assert first["score"] >= 0.95
    assert first["datasets"] == [BELARUS]
    assert first["referents"] == []
    why = first["explanations"]["sanctio"]
    assert "lukashenko matches" in why["detail"]
    assert "birth date 1954-08-30 confirms" in why["detail"]
    assert why["query"] == "Alexander Lukashenko"
    # his son shares the family name and the patronymic is his father's given name
    assert all(r["id"] != VIKTAR or not r["match"] for r in answer["results"])
    assert answer["total"] == {"value": 1, "relation": "eq"}


def test_a_query_without_a_name_fails_alone(client: TestClient) -> None:
    response = client.post(
        "/match/default",
        json={"queries": {"empty": person([""]), "ok": person("Lidia Yermoshina")}},
    )
    assert response.status_code == 200
    assert response.headers["x-batch-size"] == "2"
    answers = response.json()["responses"]
    assert answers["empty"]["status"] == 400
    assert "name: empty" in answers["empty"]["detail"]
    assert answers["empty"]["results"] == []
    assert answers["ok"]["status"] == 200
    assert answers["ok"]["results"][0]["caption"].endswith("YARMOSHINA")
    assert answers["ok"]["results"][0]["match"] is True


def test_unknown_schema_and_unreadable_values(client: TestClient) -> None:
    body = match(
        client,
        {
            "bad-schema": {"schema": "Spaceship", "properties": {"name": ["Apollo"]}},
            "odd-values": person(
                "Alexander Lukashenko", birthDate="sometime", country=["Atlantis"]
            ),
        },
    )
    assert body["responses"]["bad-schema"]["status"] == 400
    assert "Spaceship" in body["responses"]["bad-schema"]["detail"]
    odd = body["responses"]["odd-values"]
    assert odd["status"] == 200
    assert odd["results"][0]["id"] == LUKASHENKA
    assert len(odd["warnings"]) == 2
    assert "'sometime'" in odd["warnings"][0]
    assert "'Atlantis'" in odd["warnings"][1]


def test_name_parts_and_identifiers_are_read(client: TestClient) -> None:
    parts = {"schema": "Person", "properties": {"firstName": "Viktar", "lastName": "Lukashenka"}}
    by_parts = match(client, {"q": parts})["responses"]["q"]["results"][0]
    assert (by_parts["id"], by_parts["match"]) == (VIKTAR, True)
    other_name = person("John Smith", idNumber=["3281175 A014PB8"])
    by_id = match(client, {"q": other_name})["responses"]["q"]["results"][0]
    assert (by_id["id"], by_id["match"]) == (VIKTAR, True)
    assert by_id["explanations"]["sanctio"]["detail"].endswith("idNumber matches")


def test_threshold_and_limit_are_honoured(client: TestClient) -> None:
    family = {"q": person("Lukashenka")}
    strict = match(client, family)["responses"]["q"]  # a family name alone: no alert
    assert strict["total"]["value"] == 0
    assert all(not r["match"] for r in strict["results"])

    loose = match(client, family, threshold=0.7, limit=10)["responses"]["q"]
    assert loose["total"]["value"] == 4
    assert all("LUKASHENKA" in r["caption"] for r in loose["results"] if r["match"])

    two = match(client, family, threshold=0.7, limit=2)
    assert two["limit"] == 2
    assert len(two["responses"]["q"]["results"]) == 2
    assert two["responses"]["q"]["total"] == {"value": 2, "relation": "gte"}

    bad = (("limit=0", "limit"), ("threshold=2", "threshold"), ("cutoff=x", "cutoff"))
    for query, field in bad:
        refused = client.post(f"/match/default?{query}", json={"queries": family})
        assert refused.status_code == 422
        assert [e["loc"] for e in refused.json()["detail"]] == [["query", field]]


def test_every_option_is_documented(client: TestClient) -> None:
    """/match reads its options itself (api/query_params.py); the OpenAPI schema must
    still list each, as yente's does, and say a token may be sent."""
    operation = client.get("/openapi.json").json()["paths"]["/match/{dataset}"]["post"]
    documented = {p["name"]: p for p in operation["parameters"]}
    assert documented["dataset"]["in"] == "path"
    assert set(documented) == {"dataset", *MatchOptions.model_fields}
    assert documented["limit"]["schema"]["maximum"] == 500  # the options' own schema
    assert {"HTTPBearer": []} in operation["security"]


def test_result_filters(client: TestClient) -> None:
    family = {"q": person("Lukashenka")}
    everyone = match(client, family, threshold=0.7, limit=10)["responses"]["q"]["results"]
    ids = [r["id"] for r in everyone]
    assert LUKASHENKA in ids
    without = match(client, family, threshold=0.7, limit=10, exclude_entity_ids=[LUKASHENKA])
    assert [r["id"] for r in without["responses"]["q"]["results"]] == [
        i for i in ids if i != LUKASHENKA
    ]
    two_cleared = match(client, family, threshold=0.7, limit=10, exclude_entity_ids=ids[:2])
    assert [r["id"] for r in two_cleared["responses"]["q"]["results"]] == ids[2:]
    no_people = match(client, family, threshold=0.7, exclude_schema=["Person"])
    assert no_people["responses"]["q"]["results"] == []
    other_list = match(client, family, threshold=0.7, include_dataset=["other-list"])
    assert other_list["responses"]["q"]["results"] == []


def test_datasets_and_algorithms(client: TestClient) -> None:
    query = {"q": person("Alexander Lukashenko")}
    by_list = match(client, query, dataset=BELARUS)
    assert by_list["responses"]["q"]["results"][0]["id"] == LUKASHENKA
    assert match(client, query, dataset=BELARUS.lower())["responses"]["q"]["results"]

    missing = client.post("/match/eu", json={"queries": query})
    assert missing.status_code == 404
    assert missing.json()["detail"] == f"No such dataset: 'eu'; known datasets: default, {BELARUS}"

    for name in ("logic-v2", "best", "sanctio"):
        ran = match(client, query, algorithm=name)["algorithm"]
        assert (ran["name"], ran["requested"]) == ("sanctio", name)
    refused = client.post("/match/default?algorithm=magic", json={"queries": query})
    assert refused.status_code == 400
    assert "logic-v2" in refused.json()["detail"]
    listed = client.get("/algorithms").json()
    assert listed["best"] == "sanctio"
    assert {"sanctio", "logic-v2", "best"} <= {a["name"] for a in listed["algorithms"]}

    assert client.post("/match/default", json={"queries": {}}).status_code == 400
    many = {f"q{i}": person("A B") for i in range(101)}
    assert client.post("/match/default", json={"queries": many}).status_code == 400
    assert client.post("/match/default", json={"nothing": 1}).status_code == 422


def test_a_new_list_version_is_screened_from_the_next_request(
    db_url: str, tmp_path: Path, belarus_csv: Path
) -> None:
    import_belarus(db_url)
    query = {"q": person("Lidia Yermoshina")}
    with started(make_app(db_url, tmp_path / "data", require_token=False)) as client:
        assert match(client, query)["responses"]["q"]["results"][0]["match"]
        rows = read_rows(belarus_csv)
        kept = [rows[0], *(r for r in rows[1:] if "YARMOSHINA" not in r[NAME])]
        import_belarus(db_url, write_rows(tmp_path / "smaller.csv", kept))
        after = match(client, query)["responses"]["q"]["results"]
        assert all(not r["match"] for r in after)
        versions = {d["name"]: d["version"] for d in client.get("/catalog").json()["datasets"]}
        assert versions[BELARUS] == "2"


def test_a_token_is_required_when_the_setting_says_so(
    registry: Registry, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import_belarus(registry.url)
    token = Designation(registry).add_user(None, "officer", Role.OFFICER)
    monkeypatch.setenv("SANCTIO_API_REQUIRE_TOKEN", "true")
    body = {"queries": {"q": person("Alexander Lukashenko")}}
    with started(make_app(registry.url, tmp_path)) as client:
        refused = client.post("/match/default", json=body)
        assert refused.status_code == 401
        assert refused.headers["www-authenticate"] == "Bearer"
        assert "Authorization: Bearer" in refused.json()["detail"]
        for path in ("/catalog", f"/entities/{LUKASHENKA}", "/search/default?q=Lukashenka"):
            assert client.get(path).status_code == 401
        wrong = client.post("/match/default", json=body, headers={"Authorization": "Bearer x"})
        assert wrong.status_code == 401
        assert wrong.json()["detail"] == "unknown token."

        bearer = {"Authorization": f"Bearer {token}"}
        allowed = client.post("/match/default", json=body, headers=bearer)
        assert allowed.status_code == 200
        assert allowed.json()["responses"]["q"]["results"][0]["id"] == LUKASHENKA
        assert client.get(f"/entities/{LUKASHENKA}", headers=bearer).status_code == 200
        # OpenSanctions' hosted API is called with "ApiKey"; such a client needs only the key
        api_key = {"Authorization": f"ApiKey {token}"}
        assert client.post("/match/default", json=body, headers=api_key).status_code == 200
        assert client.get("/healthz").status_code == 200  # probes stay open


def test_the_token_setting_refuses_a_typo(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    from sanctio.errors import SanctioError

    monkeypatch.setenv("SANCTIO_API_REQUIRE_TOKEN", "ture")
    with pytest.raises(SanctioError, match="SANCTIO_API_REQUIRE_TOKEN: 'ture'"):
        make_app(f"sqlite:///{tmp_path / 'r.db'}", tmp_path)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _serve_command() -> list[str]:
    """``sanctio serve``, run as a user runs it."""
    return [sys.executable, "-m", "sanctio", "serve"]


@contextmanager
def _serving(
    tmp_path: Path, workers: int, log: list[str], *options: str
) -> Iterator[tuple[str, int]]:
    """``sanctio serve --workers N`` over the Belarus list, as a real process, once it
    is ready: its address and pid; what it printed is added to ``log`` once stopped."""
    url = f"sqlite:///{tmp_path / 'registry.db'}"
    import_belarus(url)
    port = _free_port()
    env = {**os.environ, "SANCTIO_DB": url, "SANCTIO_API_PORT": str(port)}
    server = subprocess.Popen(
        [*_serve_command(), "--host", "127.0.0.1", "--workers", str(workers), *options],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            assert server.poll() is None, server.communicate()[0]
            try:
                if httpx.get(f"{base}/readyz", timeout=2).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            assert time.monotonic() < deadline, "the server did not become ready"
            time.sleep(0.1)
        yield base, server.pid
    finally:
        server.terminate()
        try:
            log.append(server.communicate(timeout=15)[0])
            # stopped as asked, not failed (uvicorn alone ends by the signal it was sent)
            assert server.returncode in (0, -signal.SIGTERM), log[-1]
        except subprocess.TimeoutExpired:
            server.kill()
            log.append(server.communicate()[0])


@pytest.mark.parametrize(("workers", "access_log"), [(1, True), (2, True), (2, False)])
def test_a_real_server_answers_a_yente_request(
    tmp_path: Path, workers: int, access_log: bool
) -> None:
    """One process, and several (``--workers``, each with its own index, all on the
    registry and data directory the command was given); each request logged unless
    ``--no-access-log``."""
    log: list[str] = []
    option = "--access-log" if access_log else "--no-access-log"
    with _serving(tmp_path, workers, log, option) as (base, _):
        for _ in range(4 * workers):  # new connections, so each process answers some
            response = httpx.post(
                f"{base}/match/default",
                json={"queries": {"q1": person(["Александр Лукашенко"], birthDate=["1954"])}},
                timeout=30,
            )
            assert response.status_code == 200
            first = response.json()["responses"]["q1"]["results"][0]
            assert (first["id"], first["match"]) == (LUKASHENKA, True)
    [output] = log
    assert "Sanctio API on http://127.0.0.1" in output
    assert ("2 processes" in output) == (workers == 2)
    logged = output.count('"POST /match/default HTTP/1.1" 200')
    assert logged == (4 * workers if access_log else 0)
    assert "Лукашенко" not in output  # a query's names are never logged


def test_connections_are_dealt_evenly_to_the_processes(tmp_path: Path) -> None:
    """A client's pool opened at once is split exactly between the processes, since a
    process answers the requests of the connections it holds (with a shared listening
    socket the first process to wake took all 40 of them; with SO_REUSEPORT's hash
    they split 14/26 one time in 20)."""
    log: list[str] = []
    with _serving(tmp_path, 2, log) as (base, pid), ExitStack() as pool:
        port = int(base.rsplit(":", 1)[1])
        for _ in range(40):
            pool.enter_context(socket.create_connection(("127.0.0.1", port)))
        deadline = time.monotonic() + 10
        while sum(held := _connections_by_process(pid, port)) < 40:
            assert time.monotonic() < deadline, f"accepted: {held}"
            time.sleep(0.05)
    assert sorted(held) == [20, 20]


def _connections_by_process(parent: int, port: int) -> list[int]:
    """How many established connections to ``port`` each child of ``parent`` holds
    (from /proc: the children's socket descriptors, looked up in the TCP table)."""
    established = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        for line in Path(table).read_text().splitlines()[1:]:
            fields = line.split()
            if int(fields[1].rsplit(":", 1)[1], 16) == port and fields[3] == "01":
                established.add(fields[9])
    held = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            ppid = int(stat.read_text().rsplit(")", 1)[1].split()[1])
            if ppid != parent:
                continue
            links = [os.readlink(fd) for fd in (stat.parent / "fd").iterdir()]
        except OSError:
            continue  # a process that ended meanwhile
        inodes = {link[8:-1] for link in links if link.startswith("socket:[")}
        if inodes & established:
            held.append(len(inodes & established))
    return held


def test_a_port_in_use_is_refused_clearly(tmp_path: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        env = {**os.environ, "SANCTIO_DB": f"sqlite:///{tmp_path / 'registry.db'}"}
        refused = subprocess.run(
            [*_serve_command(), "--host", "127.0.0.1", "--port", str(port), "--workers", "2"],
            env=env,
            capture_output=True,
            text=True,
            timeout=60,
        )
    assert refused.returncode != 0
    assert f"Cannot listen on 127.0.0.1:{port}" in refused.stderr
    assert "--port" in refused.stderr
