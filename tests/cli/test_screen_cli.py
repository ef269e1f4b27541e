"""Screening from the command line: one name, two names, a whole file."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.cli.test_cli import sanctio


@pytest.fixture(scope="module")
def loaded_db(tmp_path_factory: pytest.TempPathFactory) -> str:
    from importlib import resources

    db = f"sqlite:///{tmp_path_factory.mktemp('screen') / 'r.db'}"
    source = resources.files("sanctio.data.demo").joinpath("32006R0765.csv")
    with resources.as_file(source) as path:
        sanctio("--db", db, "lists", "import", str(path))
    return db


def test_screen_one_name(loaded_db: str) -> None:
    out = json.loads(sanctio("--db", loaded_db, "screen", "Лидия Ермошина", "--json").stdout)
    best = out["results"][0]
    assert best["entity_id"] == "eu-32006r0765-i-a-33"
    assert best["match"] is True
    assert best["lists"] == ["eu-32006R0765"]
    assert "lidiya" in best["explanation"]
    table = sanctio("--db", loaded_db, "screen", "Alexander Lukashenko").stdout
    assert "Aliaksandr Ryhoravich LUKASHENKA" in table
    assert "1 alerts at threshold" in table
    dated = sanctio(
        "--db", loaded_db, "screen", "Alexander Lukashenko", "--birth-date", "1954", "--json"
    ).stdout
    assert "birth date 1954 confirms" in json.loads(dated)["results"][0]["explanation"]


def test_screen_saves_its_index_and_reuses_it(loaded_db: str, private_data_dir: Path) -> None:
    first = sanctio("--db", loaded_db, "screen", "Lidia Yermoshina", "--json").stdout
    (saved,) = (private_data_dir / "index").glob("screening-index-*.npz")
    written = saved.stat().st_mtime_ns
    again = sanctio("--db", loaded_db, "screen", "Lidia Yermoshina", "--json").stdout
    assert json.loads(again) == json.loads(first)
    assert saved.stat().st_mtime_ns == written  # loaded, not built and written again


def test_screen_refuses_a_bad_query(loaded_db: str) -> None:
    result = sanctio(
        "--db", loaded_db, "screen", "Lukashenko", "--birth-date", "30.8.1954", ok=False
    )
    assert result.returncode == 2
    assert "birth date" in result.stderr


def test_compare_two_names() -> None:
    out = json.loads(sanctio("compare", "Lidzia YARMOSHINA", "Lidia Yermoshina", "--json").stdout)
    assert out["match"] is True
    assert out["score"] >= 0.8
    text = sanctio(
        "compare", "Viktar Aliaksandravich LUKASHENKA", "Aliaksandr Ryhoravich LUKASHENKA"
    ).stdout
    assert "no match" in text


def test_screen_file_reports_bad_rows_and_screens_the_rest(loaded_db: str, tmp_path: Path) -> None:
    source = tmp_path / "customers.csv"
    source.write_text(
        "id,name,birth_date,country\n"
        "c1,Лидия Ермошина,1953,by\n"
        "c2,Jane Doe,,\n"
        "c3,Alexander Lukashenko,30.8.1954,\n"
        "c4,Viktar Lukashenka,1975,\n",
        "utf-8",
    )
    out = tmp_path / "out.jsonl"
    result = sanctio("--db", loaded_db, "screen-file", str(source), "--out", str(out))
    assert f"{source}, line 4" in " ".join(result.stderr.split())
    rows = [json.loads(line) for line in out.read_text("utf-8").splitlines()]
    assert [r["id"] for r in rows] == ["c1", "c2", "c3", "c4"]
    assert rows[0]["matches"][0]["entity_id"] == "eu-32006r0765-i-a-33"
    assert rows[1]["matches"] == []
    assert rows[2]["line"] == 4
    assert "birth date" in rows[2]["error"]
    assert [m["entity_id"] for m in rows[3]["matches"]] == ["eu-32006r0765-i-a-46"]
    assert "1 refused" in result.stderr


def test_screen_file_in_parallel_gives_the_same_results(loaded_db: str, tmp_path: Path) -> None:
    names = ["Лидия Ермошина", "Alexander Lukashenko", "Karayev Yuri", "Jane Doe"] * 60
    source = tmp_path / "many.csv"
    source.write_text("id,name\n" + "".join(f"r{i},{n}\n" for i, n in enumerate(names)), "utf-8")
    one, two = tmp_path / "one.jsonl", tmp_path / "two.jsonl"
    sanctio("--db", loaded_db, "screen-file", str(source), "--out", str(one), "--workers", "1")
    sanctio("--db", loaded_db, "screen-file", str(source), "--out", str(two), "--workers", "2")
    assert one.read_text("utf-8") == two.read_text("utf-8")
    assert len(one.read_text("utf-8").splitlines()) == len(names)
