"""The EU journal CSV reader on the real Belarus regime file, and on broken copies of it."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from sanctio.errors import InputError
from sanctio.lists import detect_format, read_list
from sanctio.lists.eu_journal import COLUMNS
from tests.listfiles import read_rows, write_rows


def _by_caption(path: Path, caption: str):  # type: ignore[no-untyped-def]
    parsed = read_list(path)
    return parsed, next(e for e in parsed.targets if e.caption == caption)


def test_belarus_regime_counts(belarus_csv: Path) -> None:
    parsed = read_list(belarus_csv)
    assert parsed.name == "eu-32006R0765"
    assert parsed.format == "eu-journal-csv"
    assert len(parsed.targets) == 408
    assert parsed.by_schema() == {"Person": 312, "LegalEntity": 95, "Asset": 1}
    # one Sanction per row, pointing at its target
    sanctions = [e for e in parsed.entities if e.schema.name == "Sanction"]
    assert len(sanctions) == 408
    assert {s.first("entity") for s in sanctions} == {t.id for t in parsed.targets}


def test_yarmoshina_spellings_birth_date_and_sanction(belarus_csv: Path) -> None:
    parsed, person = _by_caption(belarus_csv, "Lidzia Mihailauna YARMOSHINA")
    assert person.schema.name == "Person"
    assert person.names == [
        "Lidzia Mihailauna YARMOSHINA",
        "Lidia Mikhailovna YERMOSHINA",
        "Лiдзiя Мiхайлаўна ЯРМОШЫНА",
        "Лидия Михайловна ЕРМОШИНА",
    ]
    assert person.get("birthDate") == ["1953-01-29"]
    assert person.get("gender") == ["female"]
    sanction = next(e for e in parsed.entities if e.first("entity") == person.id)
    assert sanction.get("listingDate") == ["2020-10-02"]
    assert sanction.get("authority") == ["European Union"]
    assert sanction.get("programId") == ["EU-BLR"]
    assert sanction.get("provisions") == ["Asset freeze"]
    (reason,) = sanction.get("reason")
    assert reason.startswith("In her former position as Chairwoman of the Central Electoral")
    assert "falsification of election results" in reason


def test_ids_are_stable_when_rows_move_or_are_added(belarus_csv: Path, tmp_path: Path) -> None:
    rows = read_rows(belarus_csv)
    original = {(e.id, e.caption) for e in read_list(belarus_csv).targets}
    header, body = rows[0], rows[1:]
    extra = list(body[0])
    extra[COLUMNS.index("recordId")] = "9999"
    extra[COLUMNS.index("name")] = "Newly LISTED"
    shuffled = write_rows(tmp_path / "shuffled.csv", [header, extra, *reversed(body)])
    moved = {(e.id, e.caption) for e in read_list(shuffled).targets}
    assert moved - original == {("eu-32006r0765-i-a-9999", "Newly LISTED")}
    assert original <= moved
    # annex I.A, record 33
    assert ("eu-32006r0765-i-a-33", "Lidzia Mihailauna YARMOSHINA") in original
    all_ids = [e.id for e in read_list(shuffled).entities]
    assert len(all_ids) == len(set(all_ids))


def test_sanction_ids_never_clash_with_target_ids(belarus_csv: Path, tmp_path: Path) -> None:
    rows = read_rows(belarus_csv)
    acme = list(rows[1])
    acme[COLUMNS.index("recordId")] = ""
    acme[COLUMNS.index("name")] = "Acme"
    acme_sanction = list(acme)
    acme_sanction[COLUMNS.index("name")] = "Acme Sanction"
    parsed = read_list(write_rows(tmp_path / "acme.csv", [rows[0], acme, acme_sanction]))
    ids = [e.id for e in parsed.entities]
    assert len(ids) == len(set(ids)) == 4


def test_rows_without_record_id_get_ids_from_annex_and_name(belarus_csv: Path) -> None:
    parsed = read_list(belarus_csv)
    ids = {e.id for e in parsed.targets}
    assert "eu-32006r0765-v-belarus-ministry-of-defence" in ids
    # the same bank in annexes IX and XV is two records with two ids
    assert {"eu-32006r0765-ix-belagroprombank", "eu-32006r0765-xv-belagroprombank"} <= ids


def test_columns_map_to_ftm_properties(belarus_csv: Path) -> None:
    parsed = read_list(belarus_csv)
    by_id = {e.id: e for e in parsed.targets}
    dzmitry = by_id["eu-32006r0765-i-a-120"]
    assert dzmitry.get("nationality") == ["by"]  # "Belarusian"
    assert dzmitry.get("position") == ["Businessman, chairman of President’s Sport Club"]
    viktar = by_id["eu-32006r0765-i-a-46"]
    assert viktar.get("idNumber") == ["3281175A014PB8"]
    # a maiden name in brackets becomes a spelling of its own
    liliya = by_id["eu-32006r0765-i-a-121"]
    assert "Liliya Valereuna SIAMASHKA" in liliya.get("alias")
    assert "Лилия Валерьевна СЕМАШКО" in liliya.get("alias")
    # partial birth dates stay partial
    assert any(e.get("birthDate") == ["1966"] for e in parsed.targets)
    companies = [e for e in parsed.targets if e.schema.name == "LegalEntity"]
    assert any(e.get("registrationNumber") for e in companies)
    assert any(e.get("website") for e in companies)


def test_detects_format_from_content(belarus_csv: Path, tmp_path: Path) -> None:
    renamed = tmp_path / "whatever.txt"
    renamed.write_bytes(belarus_csv.read_bytes())
    assert detect_format(renamed) == "eu-journal-csv"


# -- bad input -----------------------------------------------------------------


def _line_of(path: Path, needle: str) -> int:
    for number, line in enumerate(path.read_text("utf-8").splitlines(), 1):
        if needle in line:
            return number
    raise AssertionError(needle)


def test_wrong_header_names_missing_column(belarus_csv: Path, tmp_path: Path) -> None:
    rows = read_rows(belarus_csv)
    rows[0][COLUMNS.index("birthDate")] = "dob"
    bad = write_rows(tmp_path / "bad.csv", rows)
    with pytest.raises(InputError) as info:
        read_list(bad, "eu-journal-csv")
    assert info.value.line == 1
    assert "missing birthDate" in str(info.value)
    assert "unexpected 'dob'" in str(info.value)
    assert str(bad) in str(info.value)


def test_unparseable_date_names_line_and_column(belarus_csv: Path, tmp_path: Path) -> None:
    rows = read_rows(belarus_csv)
    row = next(r for r in rows if r[8] == "Lidzia Mihailauna YARMOSHINA")
    row[COLUMNS.index("birthDate")] = "31.2.1953"
    bad = write_rows(tmp_path / "bad.csv", rows)
    with pytest.raises(InputError) as info:
        read_list(bad)
    assert info.value.line == _line_of(bad, "Lidzia Mihailauna YARMOSHINA")
    assert info.value.column == "birthDate"
    assert "'31.2.1953'" in str(info.value)
    assert "day.month.year" in str(info.value)


def test_bad_listing_date(belarus_csv: Path, tmp_path: Path) -> None:
    rows = read_rows(belarus_csv)
    rows[5][COLUMNS.index("startDate")] = "2.13.2020"
    bad = write_rows(tmp_path / "bad.csv", rows)
    with pytest.raises(InputError) as info:
        read_list(bad)
    assert (info.value.line, info.value.column) == (6, "startDate")


def test_broken_quoting_names_line_and_column(belarus_csv: Path, tmp_path: Path) -> None:
    lines = belarus_csv.read_text("utf-8").split("\n")
    number = next(i for i, line in enumerate(lines) if "Lidzia Mihailauna YARMOSHINA" in line)
    lines[number] = lines[number].replace(
        "Lidzia Mihailauna YARMOSHINA", 'Lidzia "Mihailauna" YARMOSHINA', 1
    )
    lines[number] = lines[number].replace(",Person,", ',"Person"x,', 1)
    bad = tmp_path / "bad.csv"
    bad.write_text("\n".join(lines), "utf-8")
    with pytest.raises(InputError) as info:
        read_list(bad)
    assert info.value.line == number + 1
    assert info.value.column == "schema"
    assert "after a closing quote" in str(info.value)


def test_unclosed_quote_names_where_it_opened(belarus_csv: Path, tmp_path: Path) -> None:
    lines = belarus_csv.read_text("utf-8").split("\n")
    lines[5] = lines[5].replace(",Asset freeze,", ',"Asset freeze,', 1)
    bad = tmp_path / "bad.csv"
    bad.write_text("\n".join(lines), "utf-8")
    with pytest.raises(InputError) as info:
        read_list(bad)
    # the parser stumbles later in the row; the error points at the field the quote opened
    assert (info.value.line, info.value.column) == (6, "measure")
    assert "quote" in str(info.value)


def test_quote_open_at_end_of_file(belarus_csv: Path, tmp_path: Path) -> None:
    text = belarus_csv.read_text("utf-8").rstrip("\n") + '\n32006R0765,999,EU-BLR,I.A,"Asset\n'
    bad = tmp_path / "bad.csv"
    bad.write_text(text, "utf-8")
    with pytest.raises(InputError) as info:
        read_list(bad)
    assert (info.value.line, info.value.column) == (410, "measure")
    assert "never closed" in str(info.value)


def test_wrong_encoding_names_line_and_character(belarus_csv: Path, tmp_path: Path) -> None:
    text = belarus_csv.read_text("utf-8")
    line_no, line = next(
        (n, line) for n, line in enumerate(text.split("\n"), 1) if "ЕРМОШИНА" in line
    )
    bad = tmp_path / "bad-byte.csv"
    bad.write_bytes(
        text.encode("utf-8").replace("ЕРМОШИНА".encode(), "ЕРМОШИНА".encode() + b"\xff")
    )
    with pytest.raises(InputError) as info:
        read_list(bad)
    # counted in characters, not bytes: the Cyrillic before the bad byte is 2 bytes a letter
    assert (info.value.line, info.value.column) == (line_no, line.index("ЕРМОШИНА") + 9)
    assert "byte 0xff is not valid UTF-8" in str(info.value)


def test_windows_1251_file_is_refused_at_its_first_non_ascii_character(
    belarus_csv: Path, tmp_path: Path
) -> None:
    text = belarus_csv.read_text("utf-8")
    bad = tmp_path / "cp1251.csv"
    bad.write_bytes(text.encode("cp1251", errors="replace"))
    line_no, line = next((n, t) for n, t in enumerate(text.split("\n"), 1) if not t.isascii())
    first = next(i for i, c in enumerate(line) if not c.isascii())
    with pytest.raises(InputError) as info:
        read_list(bad)
    assert (info.value.line, info.value.column) == (line_no, first + 1)


def test_control_characters_are_refused(belarus_csv: Path, tmp_path: Path) -> None:
    lines = belarus_csv.read_text("utf-8").split("\n")
    lines[4] = lines[4].replace("Asset freeze", "Asset\x00freeze", 1)
    bad = tmp_path / "nul.csv"
    bad.write_text("\n".join(lines), "utf-8")
    with pytest.raises(InputError, match="U\\+0000") as info:
        read_list(bad)
    assert (info.value.line, info.value.column) == (5, lines[4].index("\x00") + 1)


def test_bom_quoted_header_crlf_and_blank_lines_are_fine(belarus_csv: Path, tmp_path: Path) -> None:
    rows = read_rows(belarus_csv)
    buffer = io.StringIO(newline="")
    csv.writer(buffer, quoting=csv.QUOTE_ALL, lineterminator="\r\n").writerows(rows)
    path = tmp_path / "excel.csv"
    path.write_bytes(b"\xef\xbb\xbf" + buffer.getvalue().encode("utf-8") + b"   \r\n\r\n")
    assert detect_format(path) == "eu-journal-csv"
    parsed = read_list(path)
    assert len(parsed.targets) == 408
    assert parsed.content_hash() == read_list(belarus_csv).content_hash()


def test_line_separator_in_a_cell_keeps_line_numbers_right(
    belarus_csv: Path, tmp_path: Path
) -> None:
    lines = belarus_csv.read_text("utf-8").split("\n")
    lines[1] = lines[1].replace("Asset freeze", "Asset\u2028freeze", 1)
    lines[3] = lines[3].replace(",Person,", ',"Person"x,', 1)
    bad = tmp_path / "bad.csv"
    bad.write_text("\n".join(lines), "utf-8")
    with pytest.raises(InputError) as info:
        read_list(bad)
    assert (info.value.line, info.value.column) == (4, "schema")


@pytest.mark.parametrize("content", [b"", b"\n  \n", b"\xef\xbb\xbf"])
def test_empty_file(tmp_path: Path, content: bytes) -> None:
    empty = tmp_path / "empty.csv"
    empty.write_bytes(content)
    with pytest.raises(InputError, match="empty"):
        read_list(empty)
    with pytest.raises(InputError, match="empty"):
        read_list(empty, "eu-journal-csv")


def test_header_only_file_is_refused(tmp_path: Path) -> None:
    bad = write_rows(tmp_path / "header.csv", [list(COLUMNS)])
    with pytest.raises(InputError, match="no records") as info:
        read_list(bad)
    assert info.value.line == 2


def test_record_ids_that_give_the_same_id_are_refused(belarus_csv: Path, tmp_path: Path) -> None:
    rows = read_rows(belarus_csv)
    rows[1][COLUMNS.index("recordId")] = "5.a"
    rows[2][COLUMNS.index("recordId")] = "5-a"
    with pytest.raises(InputError, match="same id as line 2") as info:
        read_list(write_rows(tmp_path / "bad.csv", rows))
    assert (info.value.line, info.value.column) == (3, "recordId")


def test_duplicate_record_id_names_both_lines(belarus_csv: Path, tmp_path: Path) -> None:
    rows = read_rows(belarus_csv)
    rows[7][COLUMNS.index("recordId")] = rows[3][COLUMNS.index("recordId")]
    bad = write_rows(tmp_path / "bad.csv", rows)
    with pytest.raises(InputError) as info:
        read_list(bad)
    assert (info.value.line, info.value.column) == (8, "recordId")
    assert "same id as line 4" in str(info.value)


def test_wrong_field_count(belarus_csv: Path, tmp_path: Path) -> None:
    rows = read_rows(belarus_csv)
    rows[2] = rows[2][:-3]
    bad = write_rows(tmp_path / "bad.csv", rows)
    with pytest.raises(InputError, match="expected 45 fields") as info:
        read_list(bad)
    assert info.value.line == 3


def test_listing_date_text_is_kept_and_two_dates_refused(belarus_csv: Path, tmp_path: Path) -> None:
    rows = read_rows(belarus_csv)
    rows[1][COLUMNS.index("startDate")] = "pending publication"
    parsed = read_list(write_rows(tmp_path / "a.csv", rows))
    target = parsed.targets[0]
    assert "startDate: pending publication" in target.get("notes")
    assert not parsed.entities[1].get("listingDate")
    rows[1][COLUMNS.index("startDate")] = "2.10.2020 or 6.11.2020"
    with pytest.raises(InputError, match="expected one") as info:
        read_list(write_rows(tmp_path / "b.csv", rows))
    assert (info.value.line, info.value.column) == (2, "startDate")


def test_one_regime_per_file(belarus_csv: Path, tmp_path: Path) -> None:
    rows = read_rows(belarus_csv)
    rows[9][COLUMNS.index("celex")] = "32014R0833"
    with pytest.raises(InputError, match="one regime per file") as info:
        read_list(write_rows(tmp_path / "a.csv", rows))
    assert (info.value.line, info.value.column) == (10, "celex")


def test_records_about_targets_cannot_be_designated(belarus_csv: Path, tmp_path: Path) -> None:
    rows = read_rows(belarus_csv)
    rows[1][COLUMNS.index("schema")] = "Sanction"
    with pytest.raises(InputError, match="unknown schema 'Sanction'") as info:
        read_list(write_rows(tmp_path / "a.csv", rows))
    assert "Person" in str(info.value)
    assert "Passport" not in str(info.value)


def test_unknown_schema_and_gender(belarus_csv: Path, tmp_path: Path) -> None:
    rows = read_rows(belarus_csv)
    rows[1][COLUMNS.index("schema")] = "Persn"
    with pytest.raises(InputError, match="unknown schema 'Persn'") as info:
        read_list(write_rows(tmp_path / "a.csv", rows))
    assert (info.value.line, info.value.column) == (2, "schema")
    rows = read_rows(belarus_csv)
    rows[1][COLUMNS.index("gender")] = "Female\n"
    assert read_list(write_rows(tmp_path / "c.csv", rows)).targets[0].get("gender") == ["female"]
    rows[1][COLUMNS.index("gender")] = "unknown-x"
    with pytest.raises(InputError) as info:
        read_list(write_rows(tmp_path / "b.csv", rows))
    assert (info.value.line, info.value.column) == (2, "gender")


def test_every_eu_regime_in_shared_data_reads(shared_data: Path) -> None:
    """All 36 real regime files read, one target per row."""
    files = sorted((shared_data / "lists" / "eu").glob("*.csv"))
    assert len(files) == 36
    for path in files:
        with path.open(encoding="utf-8", newline="") as handle:
            rows = sum(1 for _ in csv.DictReader(handle))
        parsed = read_list(path)
        assert len(parsed.targets) == rows, path.name
        assert parsed.name == f"eu-{path.stem}"


def test_troshev_alias_label_and_two_scripts(shared_data: Path) -> None:
    parsed = read_list(shared_data / "lists" / "eu" / "32012R0036.csv")
    troshev = next(e for e in parsed.targets if "TROSHEV" in e.caption)
    aliases = troshev.get("alias")
    assert "Andrei Mykolayvych TROSHEV" in aliases
    assert "Andrey Nikolaevich TROSHEV" in aliases
    assert "Андрей Николаевич ТРОШЕВ" in aliases
    assert not any(a.lower().startswith("a.k.a") for a in aliases)
