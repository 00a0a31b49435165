"""Files the importer must refuse, and the encodings and layouts it must read alike."""

from __future__ import annotations

import csv
import io
from datetime import date, datetime
from pathlib import Path

import pytest
from openpyxl import Workbook

from cpmp.oversight.importing.errors import ImportFailed
from cpmp.oversight.importing.header import field_of
from cpmp.oversight.importing.kinds import read_kind
from cpmp.oversight.importing.reading import read_table
from cpmp.oversight.importing.report import build_report

AS_AT = date(2024, 3, 31)
POLICE = "police_cab_register.csv"


def _records(report: dict) -> list[dict]:
    return report["records"]


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b"", "the file is empty"),
        (b"  \r\n\r\n", "the file is empty"),
        (bytes(range(256)) * 4, "binary data"),
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n", "PDF document"),
        (b"PK\x03\x04not really a zip", "not a readable XLSX"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "Excel 97-2003"),
        (b"shopping list\nmilk\neggs\nbread\n", "no header row was found"),
        (b"Name,Age,Town\nA,1,B\n", "no header row was found"),
        # 0x81 is undefined in Windows-1252 and invalid alone in UTF-8.
        (b"URN,Authorisation Type,Granted\nDS/1,\x81\x8d,01/01/2024\n", "neither UTF-8 nor"),
    ],
)
def test_unreadable_file_rejected(content: bytes, reason: str) -> None:
    with pytest.raises(ImportFailed) as raised:
        build_report("register.csv", content, as_at=AS_AT)
    assert "register.csv" in raised.value.message
    assert reason in raised.value.message


def test_unknown_map_field_lists_fields(samples_dir: Path) -> None:
    content = (samples_dir / POLICE).read_bytes()
    with pytest.raises(ImportFailed) as raised:
        build_report(POLICE, content, as_at=AS_AT, mapping={"URN": "colour"})
    assert "unknown field 'colour'" in raised.value.message
    assert "reference" in raised.value.message
    assert POLICE in raised.value.message


def test_unknown_map_column_lists_columns(samples_dir: Path) -> None:
    content = (samples_dir / POLICE).read_bytes()
    with pytest.raises(ImportFailed) as raised:
        build_report(POLICE, content, as_at=AS_AT, mapping={"Colour": "notes"})
    assert "'Colour'" in raised.value.message
    assert "'URN'" in raised.value.message


def test_map_overrides_meaning(samples_dir: Path) -> None:
    content = (samples_dir / POLICE).read_bytes()
    report = build_report(POLICE, content, as_at=AS_AT, mapping={"Notes": "ignore"}).as_json()
    refused = next(r for r in report["records"] if r["reference"] == "DS/2023/015")
    # Without the notes column the AO's refusal is not seen.
    assert refused["status"] != "refused"


def test_map_names_unrecognised_header() -> None:
    content = b"Ref no,Kind of thing,When\nDS/2023/1,DS,04/01/2023\n"
    with pytest.raises(ImportFailed):
        build_report("x.csv", content, as_at=AS_AT)
    mapping = {"Kind of thing": "kind", "When": "granted", "Ref no": "reference"}
    report = build_report("x.csv", content, as_at=AS_AT, mapping=mapping).as_json()
    assert report["records"][0]["expires_at"] == "2023-04-04T00:00:00+01:00"


def _rewrite(
    samples_dir: Path,
    *,
    delimiter: str = ",",
    encoding: str = "utf-8",
    newline: str = "\r\n",
    bom: bool = False,
) -> bytes:
    rows = list(csv.reader(io.StringIO((samples_dir / POLICE).read_text(), newline="")))
    out = io.StringIO(newline="")
    csv.writer(out, delimiter=delimiter, lineterminator=newline).writerows(rows)
    data = out.getvalue().encode(encoding)
    return (b"\xef\xbb\xbf" + data) if bom else data


@pytest.mark.parametrize(
    "variant",
    [
        {"delimiter": ";"},
        {"delimiter": "\t"},
        {"bom": True},
        {"newline": "\n"},
        {"encoding": "cp1252"},
        {"encoding": "utf-16"},
    ],
    ids=["semicolon", "tab", "bom", "lf", "windows-1252", "utf-16"],
)
def test_csv_variants_read_alike(samples_dir: Path, variant: dict) -> None:
    original = build_report(POLICE, (samples_dir / POLICE).read_bytes(), as_at=AS_AT)
    rewritten = build_report(POLICE, _rewrite(samples_dir, **variant), as_at=AS_AT)
    assert _records(rewritten.as_json()) == _records(original.as_json())
    assert rewritten.as_json()["skipped"] == original.as_json()["skipped"]


def test_windows_1252_text_decoded() -> None:
    text = "URN,Authorisation Type,Granted,Notes\r\nDS/2024/1,DS,04/01/2024,“£50 paid” – ok\r\n"
    table = read_table("w.csv", text.encode("cp1252"))
    assert table.encoding == "cp1252"
    assert table.records[1].cells[3] == "“£50 paid” – ok"


def test_records_numbered_as_csv_reader(samples_dir: Path) -> None:
    content = (samples_dir / POLICE).read_bytes()
    table = read_table(POLICE, content)
    expected = list(csv.reader(io.StringIO(content.decode("utf-8"), newline="")))
    assert len(table.records) == len(expected)
    # Record 11 holds a quoted cell with a line break, and is still one record.
    assert table.records[10].cells[0] == "DS/2023/006"
    assert "\n" in table.records[10].cells[9]


def _xlsx(samples_dir: Path, *, serial: bool) -> bytes:
    """Build the police register as a workbook: header on row 3, dates as Excel dates."""
    rows = list(csv.reader(io.StringIO((samples_dir / POLICE).read_text(), newline="")))
    workbook = Workbook()
    sheet = workbook.active
    date_columns = {5, 8, 11}  # granted, first review due, date cancelled (0-based)
    for row in rows:
        values: list[object] = []
        for index, cell in enumerate(row):
            values.append(_excel_value(cell) if index in date_columns and row[0] != "URN" else cell)
        sheet.append(values)
    if serial:
        for cells in sheet.iter_rows():
            for cell in cells:
                if isinstance(cell.value, datetime) and cell.value.hour == 0:
                    epoch = datetime(1899, 12, 30)
                    cell.value = (cell.value - epoch).days
                    cell.number_format = "General"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _excel_value(text: str) -> object:
    for pattern in ("%d/%m/%Y %H:%M", "%d/%m/%Y"):
        try:
            return datetime.strptime(text, pattern)
        except ValueError:
            continue
    return text


@pytest.mark.parametrize("serial", [False, True], ids=["excel-dates", "serial-numbers"])
def test_xlsx_reads_as_csv(samples_dir: Path, serial: bool) -> None:
    original = build_report(POLICE, (samples_dir / POLICE).read_bytes(), as_at=AS_AT)
    workbook = build_report("register.xlsx", _xlsx(samples_dir, serial=serial), as_at=AS_AT)
    assert workbook.table.file_format == "xlsx"
    assert workbook.header.record_number == 3
    assert _records(workbook.as_json()) == _records(original.as_json())


@pytest.mark.parametrize(
    ("text", "kind", "urgent", "oral"),
    [
        ("Directed Surveillance (oral)", "directed-surveillance", True, True),
        ("DS", "directed-surveillance", False, False),
        ("Directed Surveillance (online)", "directed-surveillance", False, False),
        ("CHIS - relevant source (UCO)", "relevant-source", False, False),
        ("CHIS - juvenile (17)", "juvenile-chis", False, False),
        ("TEI warrant (urgent)", "equipment-interference", True, False),
        ("Property Interference (vehicle)", "property-interference", False, False),
        ("Intrusive Surveillance", "intrusive-surveillance", False, False),
        ("CHIS", "chis", False, False),
        ("Criminal conduct authorisation", "criminal-conduct", False, False),
    ],
)
def test_kind_text(text: str, kind: str, urgent: bool, oral: bool) -> None:
    reading = read_kind(text)
    assert reading is not None
    assert reading.kind is not None and reading.kind.value == kind
    assert reading.urgent is urgent
    assert reading.oral is oral


def test_communications_data_not_covert() -> None:
    reading = read_kind("Communications data")
    assert reading is not None
    assert reading.kind is None
    assert reading.not_covert


def test_multiplier_read() -> None:
    reading = read_kind("Directed surveillance (x2)")
    assert reading is not None
    assert reading.multiplier == 2


@pytest.mark.parametrize(
    ("header", "field"),
    [
        ("URN", "reference"),
        ("Renewal authorised by (name and grade)", "renewal_authoriser"),
        ("Time and date of decision", "court_decided"),
        ("Date of attendance at Magistrates' Court", "court_hearing"),
        ("AO directly involved in investigation?", "ao_involved"),
        ("Refused by magistrate?", "court_refused"),
        ("Maximum custodial sentence", "maximum_sentence"),
        ("JC Notified / Approved", "commissioner"),
    ],
)
def test_header_meaning(header: str, field: str) -> None:
    assert field_of(header) == field


def test_duplicate_row_skipped(samples_dir: Path) -> None:
    lines = (samples_dir / POLICE).read_bytes().split(b"\r\n")
    content = b"\r\n".join([*lines[:6], lines[5], *lines[6:]])
    report = build_report(POLICE, content, as_at=AS_AT).as_json()
    assert {"source_record": 7, "reason": "duplicate of record 6"} in report["skipped"]
    assert [r["reference"] for r in report["records"]].count("DS/2023/001") == 1


def test_footnote_after_data_skipped() -> None:
    content = (
        b"URN,Authorisation Type,Granted,Date Cancelled\n"
        b"DS/2024/001,DS,04/01/2024,05/01/2024\n"
        b"* Figures exclude authorisations held by the regional unit.,,,\n"
    )
    report = build_report("f.csv", content, as_at=AS_AT).as_json()
    assert report["skipped"][-1] == {"source_record": 3, "reason": "footnote"}
