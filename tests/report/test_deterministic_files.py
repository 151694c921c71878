"""The files netplan writes are the same bytes every time: CSV, XLSX, SVG, PNG, the page's font.

Each kind is written twice, in two folders, more than a second apart (the resolution of the
times that workbooks and zip archives store), and the bytes compared. Workbooks carry
2000-01-01 as their creation time, or ``SOURCE_DATE_EPOCH`` when set.
"""

from __future__ import annotations

import datetime as dt
import time
import zipfile

import matplotlib
import pandas as pd
import pytest

matplotlib.use("Agg")

HOSTILE = ('=HYPERLINK("http://x","y")', "+1+1", "-1+1", "@SUM(A1)")


def _write_everything(folder):
    import matplotlib.pyplot as plt

    from netplan.examples import tiny_migration
    from netplan.io.cells import write_xlsx
    from netplan.io.inventory_io import write_inventory
    from netplan.plot import save_figure
    from netplan.report.tables import write_csv, write_workbook

    folder.mkdir()
    df = pd.DataFrame({"name": [*HOSTILE, "梅州市"], "mbps": [-1.5, 2, 3, 4, 5],
                       "day": [dt.date(2026, 1, 5)] * 5})
    write_csv(df, folder / "t.csv")
    write_workbook(folder, ["t.csv"], folder / "tables.xlsx")  # xlsxwriter
    write_xlsx(folder / "schedule.xlsx", {"a": df, "b": df.head(2)})  # xlsxwriter
    inv = tiny_migration()[1]
    write_inventory(inv, folder / "systems.xlsx")  # openpyxl
    write_inventory(inv, folder / "systems.csv")
    fig, ax = plt.subplots(figsize=(3, 2))
    ax.plot([0, 1, 2], [1, -1, 0.5], label="电信")
    ax.set_title("梅州市 负载 −5%")
    ax.legend()
    save_figure(fig, folder / "plot", dpi=50)


@pytest.fixture(scope="module")
def twice(tmp_path_factory):
    root = tmp_path_factory.mktemp("twice")
    _write_everything(root / "a")
    time.sleep(1.1)  # the clock moves on: a time written into a file would differ
    _write_everything(root / "b")
    return root / "a", root / "b"


@pytest.mark.parametrize("name", ["t.csv", "tables.xlsx", "schedule.xlsx", "systems.xlsx",
                                  "systems.csv", "plot.png", "plot.svg"])
def test_the_same_bytes_twice(twice, name):
    a, b = twice
    assert (a / name).read_bytes() == (b / name).read_bytes()


def _tiny_font(path) -> None:
    """A two-glyph TrueType font with 梅 (U+6885): subsetting it takes milliseconds."""
    from fontTools.fontBuilder import FontBuilder
    from fontTools.pens.ttGlyphPen import TTGlyphPen

    pen = TTGlyphPen(None)
    pen.moveTo((0, 0))
    pen.lineTo((0, 500))
    pen.lineTo((500, 0))
    pen.closePath()
    glyph = pen.glyph()
    names = [".notdef", "uni6885"]
    fb = FontBuilder(1000, isTTF=True)
    fb.setupGlyphOrder(names)
    fb.setupCharacterMap({0x6885: "uni6885"})
    fb.setupGlyf({n: glyph for n in names})
    fb.setupHorizontalMetrics({n: (600, 0) for n in names})
    fb.setupHorizontalHeader(ascent=800, descent=-200)
    fb.setupNameTable({"familyName": "Tiny", "styleName": "Regular"})
    fb.setupOS2()
    fb.setupPost()
    fb.save(str(path))


def test_the_pages_font_subset_does_not_carry_the_clock(tmp_path, monkeypatch):
    from fontTools.ttLib.tables import _h_e_a_d

    import netplan.plot._style as style
    from netplan.report.html import _font_css

    _tiny_font(tmp_path / "tiny.ttf")
    monkeypatch.setattr(style, "bundled_font_path", lambda: str(tmp_path / "tiny.ttf"))
    clock = iter([3_000_000_000, 3_100_000_000])  # two "now"s, days apart
    monkeypatch.setattr(_h_e_a_d, "timestampNow", lambda: next(clock))
    first, second = _font_css("梅州"), _font_css("梅州")
    assert "base64," in first
    assert first == second


def _times(path) -> tuple[set, str]:
    with zipfile.ZipFile(path) as z:
        return {i.date_time for i in z.infolist()}, z.read("docProps/core.xml").decode()


@pytest.mark.parametrize("name", ["tables.xlsx", "schedule.xlsx", "systems.xlsx"])
def test_workbooks_carry_the_fixed_time(twice, name):
    entries, core = _times(twice[0] / name)
    assert len(entries) == 1  # every entry the same time, not the clock's
    assert "2000-01-01T00:00:00Z" in core and str(dt.date.today().year) not in core


def test_source_date_epoch_sets_the_time(tmp_path, monkeypatch):
    import openpyxl

    from netplan.io.cells import save_openpyxl, write_xlsx

    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")  # 2023-11-14 22:13:20 UTC
    wb = openpyxl.Workbook()
    wb.active["A1"] = "x"
    save_openpyxl(wb, tmp_path / "o.xlsx")
    write_xlsx(tmp_path / "x.xlsx", {"s": pd.DataFrame({"a": [1]})})
    entries, core = _times(tmp_path / "o.xlsx")
    assert entries == {(2023, 11, 14, 22, 13, 20)}
    assert core.count("2023-11-14T22:13:20Z") == 2  # created and modified
    assert "2023-11-14T22:13:20Z" in _times(tmp_path / "x.xlsx")[1]


def test_a_bad_source_date_epoch_is_explained(monkeypatch):
    from netplan.io.cells import fixed_datetime

    monkeypatch.setenv("SOURCE_DATE_EPOCH", "yesterday")
    with pytest.raises(ValueError, match="SOURCE_DATE_EPOCH='yesterday' must be a whole number"):
        fixed_datetime()
