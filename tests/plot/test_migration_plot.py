"""Gantt chart and weekly load: legend, colours and milestones checked against the plan."""

import warnings

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402
from matplotlib.colors import to_hex, to_rgb  # noqa: E402

from netplan.examples import tiny_migration  # noqa: E402
from netplan.migration.plan import plan_migration  # noqa: E402
from netplan.plot import save_figure  # noqa: E402
from netplan.plot.migration import criticality_color, plot_schedule, plot_weekly_load  # noqa: E402


@pytest.fixture(scope="module")
def plan():
    scenario, inventory = tiny_migration()
    return plan_migration(scenario, inventory, backend="heuristic", time_limit_s=2)


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


def _luminance(color) -> float:
    """Relative luminance (WCAG) of an sRGB colour: 1 is white."""
    c = np.array(to_rgb(color))
    lin = np.where(c <= 0.04045, c / 12.92, ((c + 0.055) / 1.055) ** 2.4)
    return float(lin @ [0.2126, 0.7152, 0.0722])


def _bars(ax):
    return {c.get_gid().removeprefix("system:"): c for c in ax.collections
            if (c.get_gid() or "").startswith("system:")}


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_legend_entry_per_criticality_present(plan, lang):
    ax = plot_schedule(plan, lang=lang)
    df = plan.to_frame()
    levels = sorted(set(df["criticality"]))
    assert levels == [3, 4, 5]  # the tiny inventory: 1 and 2 absent
    word = {"zh": "重要程度 {}", "en": "criticality {}"}[lang]
    texts = [t.get_text() for t in ax.get_legend().get_texts()]
    assert texts[:len(levels)] == [word.format(k) for k in levels]
    assert texts[len(levels):] == {
        "zh": ["同批切换组（依赖环）", "封网期（春节等）"],
        "en": ["move group (dependency cycle)", "change freeze (Spring Festival ...)"]}[lang]
    handles = ax.get_legend().legend_handles
    for k, h in zip(levels, handles, strict=False):
        assert to_hex(h.get_facecolor()) == to_hex(criticality_color(k))


def test_bars_coloured_by_criticality_and_groups_outlined(plan):
    ax = plot_schedule(plan)
    df = plan.to_frame()
    bars = _bars(ax)
    assert set(bars) == set(df["system_id"])
    for r in df.itertuples():
        bar = bars[r.system_id]
        assert to_hex(bar.get_facecolor()[0]) == to_hex(criticality_color(r.criticality))
        xs = bar.get_paths()[0].vertices[:, 0]
        assert (xs.min(), xs.max()) == pytest.approx((r.start_week,
                                                      r.start_week + r.duration_weeks))
        edge = to_hex(bar.get_edgecolor()[0])
        assert (edge == "#000000") == bool(r.group)


def test_the_lightest_shade_is_visible_on_white():
    fills = [criticality_color(k) for k in range(1, 6)]
    lum = [_luminance(c) for c in fills]
    assert lum == sorted(lum, reverse=True)  # sequential: 1 lightest, 5 darkest
    # WCAG contrast of the lightest fill against white at least 1.5 (pale yellow is ~1.1)
    assert (1.0 + 0.05) / (lum[0] + 0.05) >= 1.5
    assert len({to_hex(c) for c in fills}) == 5


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_milestones_are_labelled(plan, lang):
    ax = plot_schedule(plan, lang=lang)
    grid = plan.shown_mp.grid
    targets = plan.mp.milestone_targets
    lines = {ln.get_gid(): ln for ln in ax.lines if (ln.get_gid() or "").startswith("milestone:")}
    labels = {t.get_gid(): t.get_text() for t in ax.texts
              if (t.get_gid() or "").startswith("milestone-label:")}
    assert len(lines) == len(labels) == len(targets) == 2
    (name1, day1, want1), (name2, day2, want2) = targets
    assert set(lines[f"milestone:{name1}"].get_xdata()) == {grid.finished_by(day1)}
    if lang == "zh":
        assert labels[f"milestone-label:{name1}"] == f"{day1}：{want1} 个系统上云"
        assert labels[f"milestone-label:{name2}"] == f"{day2}：全部 {want2} 个系统上云"
    else:
        assert labels[f"milestone-label:{name1}"] == f"{day1}: {want1} systems on the cloud"
        assert labels[f"milestone-label:{name2}"] == f"{day2}: all {want2} systems on the cloud"
    assert ax.get_title().startswith({"zh": "迁移计划", "en": "Migration plan"}[lang])


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_weekly_load_labels(plan, lang):
    axes = plot_weekly_load(plan, floor_pct=60, lang=lang)
    load = plan.weekly_load()
    top = [t.get_text() for t in axes[0].get_legend().get_texts()]
    assert top == {"zh": ["可用团队", "在迁团队"],
                   "en": ["teams available", "teams migrating"]}[lang]
    (vcpu,) = [ln for ln in axes[1].lines if ln.get_gid() == "cloud:vCPU"]
    cap = load["cloud vCPU capacity"].to_numpy(dtype=float)
    used = load["cloud vCPU used"].to_numpy(dtype=float)
    np.testing.assert_allclose(vcpu.get_ydata(), 100 * used / cap)
    bottom = [t.get_text() for t in axes[1].get_legend().get_texts()]
    assert bottom[-1] == {"zh": "利用率目标 60%", "en": "utilisation target 60%"}[lang]


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_no_missing_glyphs(plan, lang):
    figs = [plot_schedule(plan, lang=lang).figure,
            plot_weekly_load(plan, floor_pct=60, lang=lang)[0].figure]
    for fig in figs:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            fig.canvas.draw()
        assert not [w for w in caught if "missing from" in str(w.message)]


def test_bad_language_is_refused(plan):
    with pytest.raises(ValueError, match="lang='de'"):
        plot_schedule(plan, lang="de")


def test_saved_twice_gives_identical_files(plan, tmp_path):
    (tmp_path / "a").mkdir()
    first = save_figure(plot_schedule(plan).figure, tmp_path / "a" / "gantt.png")
    second = save_figure(plot_schedule(plan).figure, tmp_path / "gantt")
    assert [p.name for p in second] == ["gantt.png", "gantt.svg"]
    assert first[0].read_bytes() == second[0].read_bytes()
    assert first[1].read_bytes() == second[1].read_bytes()
