"""The CJK font: Noto Sans CJK SC from mplfonts, drawn inside an rc_context, every glyph there.

The strings checked are every string literal with a CJK character in netplan's plot and report
modules (titles, legends, the i18n tables) and every CJK character of the shipped scenarios
and inventories (region, county, town and department names). Their characters are looked up
in the font's own character map (fontTools, independent of matplotlib) and drawn with
matplotlib, which must not warn ``Glyph ... missing from font(s)``.
"""

from __future__ import annotations

import ast
import re
import sys
import warnings
from pathlib import Path

import matplotlib
import pytest

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402

from netplan.plot._style import (  # noqa: E402
    CJK_FONT,
    bundled_font_path,
    cjk_font,
    draws_with_cjk_font,
    use_cjk_font,
)

ROOT = Path(__file__).resolve().parents[2]
_CJK = re.compile(r"[\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef\u3000-\u303f]")


def _literals(path: Path) -> set[str]:
    out = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            if _CJK.search(node.value):
                out.add(node.value)
    return out


def netplan_strings() -> set[str]:
    """Every CJK string literal of netplan/plot and netplan/report, and the shipped data's."""
    out: set[str] = set()
    for folder in ("netplan/plot", "netplan/report"):
        for path in sorted((ROOT / folder).glob("*.py")):
            out |= _literals(path)
    for path in sorted((ROOT / "netplan/data/scenarios").glob("*")):
        if path.suffix in (".yaml", ".csv"):
            out |= set(_CJK.findall(path.read_text(encoding="utf-8-sig")))
    return out


@pytest.fixture(scope="module")
def chars() -> str:
    text = "".join(netplan_strings())
    found = sorted({c for c in text if not c.isspace() and ord(c) > 0x7F})
    assert len(found) > 500  # the i18n tables and the Meizhou names: hundreds of characters
    return "".join(found)


def test_the_font_comes_from_mplfonts_without_importing_it():
    path = bundled_font_path()
    assert path is not None and Path(path).name == "NotoSansCJKsc-Regular.otf"
    assert Path(path).parent.parent.name == "mplfonts"
    with cjk_font() as family:
        assert family == CJK_FONT == "Noto Sans CJK SC"
    assert "mplfonts" not in sys.modules  # its import would load fire and fontmeta


def test_every_character_is_in_the_font(chars):
    from fontTools.ttLib import TTFont

    font = TTFont(bundled_font_path(), lazy=True)
    cmap = font.getBestCmap()
    font.close()
    missing = [c for c in chars if ord(c) not in cmap]
    assert missing == []
    assert 0x2212 in cmap  # the minus sign: axes.unicode_minus can stay on


def test_every_character_draws_without_a_missing_glyph(chars):
    with cjk_font():
        fig = plt.figure(figsize=(8, 8))
        lines = [chars[i:i + 60] for i in range(0, len(chars), 60)]
        fig.text(0.01, 0.99, "\n".join(lines), va="top", fontsize=4)
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            fig.canvas.draw()
    plt.close(fig)
    assert [str(w.message) for w in caught if "missing from" in str(w.message)] == []


def test_the_context_leaves_the_global_rcparams_alone():
    before = {k: matplotlib.rcParams[k] for k in ("font.family", "font.sans-serif",
                                                   "axes.unicode_minus")}
    with cjk_font():
        assert matplotlib.rcParams["font.family"][0] == CJK_FONT
    after = {k: matplotlib.rcParams[k] for k in before}
    assert after == before


@draws_with_cjk_font
def _bar_chart():
    fig, ax = plt.subplots(figsize=(3, 2))
    ax.bar(["梅州市", "梅县区", "蕉岭县"], [3, -1, 2])
    ax.set_title("迁移上云 −5%")
    return ax


def test_a_figure_drawn_after_the_plot_function_keeps_its_chinese_labels():
    # a notebook shows the figure after the cell, outside the plot function's context
    with matplotlib.rc_context({"font.family": ["sans-serif"],
                                "font.sans-serif": ["DejaVu Sans"]}):
        ax = _bar_chart()
        assert matplotlib.rcParams["font.sans-serif"] == ["DejaVu Sans"]
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            ax.figure.canvas.draw()
    plt.close(ax.figure)
    assert [str(w.message) for w in caught if "missing from" in str(w.message)] == []
    assert [t.get_fontfamily()[0] for t in ax.get_xticklabels()] == [CJK_FONT] * 3


def test_the_same_text_outside_the_context_does_miss_glyphs():
    # proves the check above can fail
    with matplotlib.rc_context({"font.family": ["sans-serif"],
                                "font.sans-serif": ["DejaVu Sans"]}):
        fig, ax = plt.subplots(figsize=(3, 2))
        ax.bar(["梅州市", "梅县区"], [3, 1])
        with pytest.warns(UserWarning, match="missing from"):
            fig.canvas.draw()
    plt.close(fig)


def test_use_cjk_font_for_notebooks_sets_the_global_font():
    with matplotlib.rc_context():
        assert use_cjk_font() == CJK_FONT
        assert matplotlib.rcParams["font.sans-serif"][0] == CJK_FONT
        assert matplotlib.rcParams["font.family"] == ["sans-serif"]


@draws_with_cjk_font
def _label_axes(ax):
    ax.set_xlabel("增长率（%）")
    ax.set_title("升级费用")
    ax.set_xticks([0, 1], labels=["梅州市", "蕉岭县"])
    return ax


def test_axes_made_before_the_plot_function_get_the_font_too():
    # notebooks/05: fig, (a, b) = plt.subplots(...); plot_cost_vs_growth(df, ax=a)
    with matplotlib.rc_context({"font.family": ["sans-serif"],
                                "font.sans-serif": ["DejaVu Sans"]}):
        fig, ax = plt.subplots(figsize=(3, 2))
        ax.text(0.5, 0.5, "x", fontfamily="DejaVu Sans")  # named by the caller: kept
        _label_axes(ax)
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            fig.canvas.draw()
    plt.close(fig)
    assert [str(w.message) for w in caught if "missing from" in str(w.message)] == []
    assert ax.xaxis.label.get_fontfamily()[0] == CJK_FONT
    assert ax.texts[0].get_fontfamily() == ["DejaVu Sans"]
