"""Formula injection: names that start like a formula are text in every CSV and XLSX netplan writes.

A system, department or site named ``=HYPERLINK("http://x","y")``, ``+1+1``, ``-1+1`` or
``@SUM(A1)`` must never become a live formula: a CSV field gets a leading ``'``, an XLSX cell
is a text cell. Numbers, negative ones included, stay numbers. The checker
:func:`tests.spreadsheets.assert_no_formulas` walks a whole output folder.
"""

from __future__ import annotations

import csv
import datetime as dt

import openpyxl
import pandas as pd
import pytest

from netplan.io.cells import csv_frame, csv_text, uncsv_text, write_xlsx
from netplan.io.inventory_io import read_inventory, write_inventory, write_three_lists
from netplan.report.tables import write_csv, write_workbook
from tests.report.hostile import FORMULAS as HOSTILE
from tests.report.hostile import hostile_inventory
from tests.spreadsheets import assert_no_formulas


def _csv_rows(path) -> list[list[str]]:
    with open(path, encoding="utf-8-sig", newline="") as fh:
        return list(csv.reader(fh))


@pytest.mark.parametrize(("value", "written"), [
    ('=HYPERLINK("http://x","y")', '\'=HYPERLINK("http://x","y")'),
    ("+1+1", "'+1+1"), ("-1+1", "'-1+1"), ("@SUM(A1)", "'@SUM(A1)"),
    ("\tx", "'\tx"), ("\rx", "'\rx"),
    ("-12.5", "-12.5"), ("+3", "+3"), ("-1e-3", "-1e-3"),  # numbers as text: not formulas
    ("梅州市", "梅州市"), ("a=b", "a=b"), ("'t Hooft", "'t Hooft"), ("", ""),
    (-3, -3), (-2.5, -2.5), (None, None),
])
def test_the_csv_rule(value, written):
    assert csv_text(value) == written
    if isinstance(value, str):
        assert uncsv_text(csv_text(value)) == value


def test_write_csv_guards_text_and_keeps_negative_numbers(tmp_path):
    df = pd.DataFrame({"name": [*HOSTILE, "市公安局"], "delta_mbps": [-5, -1.5, 0, 7, -2],
                       "=col": ["a", "b", "c", "d", "e"]})
    write_csv(df, tmp_path / "t.csv")
    rows = _csv_rows(tmp_path / "t.csv")
    assert rows[0] == ["name", "delta_mbps", "'=col"]
    assert [r[0] for r in rows[1:]] == ["'" + h for h in HOSTILE] + ["市公安局"]
    assert [r[1] for r in rows[1:]] == ["-5.0", "-1.5", "0.0", "7.0", "-2.0"]
    scanned = assert_no_formulas(tmp_path)
    assert set(HOSTILE) <= scanned.texts
    # pandas reads the numbers back as numbers
    assert pd.read_csv(tmp_path / "t.csv", encoding="utf-8-sig")["delta_mbps"].sum() == -1.5


def test_csv_frame_guards_the_index_and_categories():
    df = pd.DataFrame({"dept": pd.Categorical(["=A1", "ok"]), "x": [-1, -2]},
                      index=pd.Index(["@x", "y"], name="-site"))
    out = csv_frame(df, index=True)
    assert out["dept"].tolist() == ["'=A1", "ok"]
    assert out["x"].tolist() == [-1, -2]
    assert out.index.tolist() == ["'@x", "y"] and out.index.name == "'-site"
    assert df["dept"].tolist() == ["=A1", "ok"]  # the input is not changed


def test_write_xlsx_text_numbers_dates(tmp_path):
    df = pd.DataFrame({"name": list(HOSTILE), "x": [-1, -2.5, 3, 0],
                       "day": [dt.date(2026, 1, 5), None, pd.Timestamp("2026-02-01"), None]})
    write_xlsx(tmp_path / "t.xlsx", {"t": df})
    ws = openpyxl.load_workbook(tmp_path / "t.xlsx")["t"]
    assert [c.value for c in ws["A"][1:]] == list(HOSTILE)
    assert {c.data_type for c in ws["A"][1:]} == {"s"}
    assert [c.value for c in ws["B"][1:]] == [-1, -2.5, 3, 0]
    assert ws["C2"].value == dt.datetime(2026, 1, 5) and ws["C3"].value is None
    assert ws["C2"].number_format == "yyyy-mm-dd"
    assert_no_formulas(tmp_path)


def test_the_run_workbook_shows_names_without_the_apostrophe(tmp_path):
    (tmp_path / "t").mkdir()
    write_csv(pd.DataFrame({"unit": list(HOSTILE), "mbps": [-1, 2, 3, 4]}),
              tmp_path / "t" / "u.csv")
    write_workbook(tmp_path, ["t/u.csv"], tmp_path / "tables.xlsx")
    ws = openpyxl.load_workbook(tmp_path / "tables.xlsx")["t-u"]
    assert [c.value for c in ws["A"][1:]] == list(HOSTILE)
    assert [c.value for c in ws["B"][1:]] == [-1, 2, 3, 4]
    assert_no_formulas(tmp_path)


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
@pytest.mark.parametrize("language", ["zh", "en"])
def test_a_written_inventory_reads_back_equal(tmp_path, suffix, language):
    inv = hostile_inventory()
    path = write_inventory(inv, tmp_path / f"systems{suffix}", language=language)
    scanned = assert_no_formulas(tmp_path)
    assert set(HOSTILE) <= scanned.texts
    back = read_inventory(path)
    assert back == inv
    assert {s.department for s in back} >= set(HOSTILE)


def test_a_hand_typed_apostrophe_is_kept_unless_it_guards_a_formula(tmp_path):
    # the reader's rule: "'=x" is the text "=x" (as in Excel); "'t Hooft" stays as typed
    (tmp_path / "s.csv").write_text("name,department\n'=x,'t Hooft\n'-1+1,局\n",
                                    encoding="utf-8")
    back = read_inventory(tmp_path / "s.csv")
    assert [(s.name, s.department) for s in back] == [("=x", "'t Hooft"), ("-1+1", "局")]


def test_the_three_lists(tmp_path):
    from netplan.migration.triage import three_lists, triage

    inv = hostile_inventory()
    write_three_lists(three_lists(triage(inv, as_of=dt.date(2026, 1, 1)), inv), tmp_path,
                      language="zh")
    scanned = assert_no_formulas(tmp_path)
    assert len(scanned.xlsx) == 1 and len(scanned.csv) == 3
    assert set(HOSTILE) <= scanned.texts


def test_netbox_prefixes_with_a_formula_vrf(tmp_path):
    from netplan.capacity.addressing import address_plan
    from netplan.examples import tiny_scenario
    from netplan.io.netbox_io import write_netbox_prefixes
    from netplan.model.capacity import AddressingSettings
    from netplan.topology import build_topology

    plan = address_plan(build_topology(tiny_scenario()), AddressingSettings(ipv4="10.8.0.0/16"))
    path = write_netbox_prefixes(plan, tmp_path / "p.csv", vrf=HOSTILE[0])
    rows = _csv_rows(path)
    assert rows[0][1] == "vrf" and {r[1] for r in rows[1:]} == {"'" + HOSTILE[0]}
    assert_no_formulas(tmp_path)


def test_a_tiny_run_writes_no_formula_anywhere(hostile_run):
    out = hostile_run  # netplan run on tests/report/hostile.py's scenario and inventory
    scanned = assert_no_formulas(out)
    names = {p.relative_to(out).as_posix() for p in scanned.xlsx}
    assert {"migration/schedule.xlsx", "tables.xlsx", "migration/lists/三张清单.xlsx"} <= names
    assert len(scanned.csv) > 30
    assert set(HOSTILE) <= scanned.texts
    ws = openpyxl.load_workbook(out / "migration" / "schedule.xlsx")["schedule"]
    header = [c.value for c in ws[1]]
    shown = {r[header.index("name")] for r in ws.iter_rows(min_row=2, values_only=True)}
    assert set(HOSTILE) <= shown


def test_the_checker_finds_a_formula_cell_and_a_raw_csv_field(tmp_path):
    wb = openpyxl.Workbook()
    wb.active["A1"] = '=HYPERLINK("http://x","y")'  # openpyxl makes it a formula
    wb.save(tmp_path / "f.xlsx")
    with pytest.raises(AssertionError, match=r"f.xlsx!Sheet!A1: formula"):
        assert_no_formulas(tmp_path)
    (tmp_path / "f.xlsx").unlink()
    (tmp_path / "t.csv").write_text("name,x\n-1+1,-2\n", encoding="utf-8")
    with pytest.raises(AssertionError, match=r"t.csv line 2: field '-1\+1'"):
        assert_no_formulas(tmp_path)
    (tmp_path / "t.csv").write_text("name,x\n'-1+1,-2\n", encoding="utf-8")
    assert assert_no_formulas(tmp_path).texts == {"name", "x", "-1+1", "-2"}
