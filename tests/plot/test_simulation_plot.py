"""Simulation plots: lines, fault spans and bars checked against the result they draw."""

import copy
import warnings

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402

from netplan.examples import tiny_scenario  # noqa: E402
from netplan.model.scenario import FailureCase, Fault  # noqa: E402
from netplan.plot import (  # noqa: E402
    plot_link_utilisation,
    plot_request_latency,
    plot_validation,
    use_cjk_font,
)
from netplan.plot.simulation import _fault_intervals  # noqa: E402
from netplan.simulation import simulate_traffic, validate_interconnect  # noqa: E402

FAULT = Fault(carrier="电信", at_s=100, duration_s=100)
COUNTY_A = "测试省/甲市/A县"  # uplinked over one 电信 and one 联通 line


@pytest.fixture(scope="module")
def result():
    return simulate_traffic(tiny_scenario(), duration_s=300, seed=0, faults=[FAULT])


@pytest.fixture(scope="module")
def validation():
    return validate_interconnect(tiny_scenario(), duration_s=300, seed=0,
                                 cases=[FailureCase(name="电信 down", faults=[FAULT])])


@pytest.fixture(scope="module")
def telecom_dept(result):
    """A county department whose only access line is 电信."""
    t = result.trunks
    return t.loc[(t["kind"] == "access") & (t["tier"] == "county") & (t["carriers"] == "电信"),
                 "source"].iloc[0]


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


def _spans(ax):
    return [p for p in ax.patches if (p.get_gid() or "").startswith("fault:")]


def _span_extent(span):
    return span.get_x(), span.get_x() + span.get_width()


def _expected_spans(result):
    ev = result.events
    start = ev.loc[ev["event"] == "fault", "time_s"].tolist()
    end = ev.loc[ev["event"] == "recovery", "time_s"].tolist()
    return list(zip(start, end, strict=True))


def _assert_no_missing_glyphs(fig):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        fig.canvas.draw()
    assert not [w for w in caught if "missing from" in str(w.message)]


def _trunk_ends(result, trunk):
    row = result.trunks.loc[trunk]
    return row["source"].rsplit("/", 1)[-1], row["target"].rsplit("/", 1)[-1]


# ------------------------------------------------------------------------------ fault spans


def test_the_fault_log_is_what_the_plots_expect(result):
    # the reference for every span check below
    assert result.events["event"].tolist() == ["fault", "recovery"]
    assert _expected_spans(result) == [(100.0, 200.0)]


def test_fault_intervals_pair_faults_with_their_recoveries():
    ev = pd.DataFrame({"time_s": [10.0, 20.0, 30.0, 40.0, 50.0],
                       "event": ["fault", "fault", "recovery", "fault", "recovery"],
                       "fault": ["carrier:电信", "link:A -- B", "carrier:电信", "carrier:电信",
                                 "link:A -- B"]})
    assert _fault_intervals(ev, 99.0) == [(10.0, 30.0, "carrier:电信"),
                                          (20.0, 50.0, "link:A -- B"),
                                          (40.0, 99.0, "carrier:电信")]
    assert _fault_intervals(ev.iloc[:0], 99.0) == []


def test_a_fault_without_recovery_is_shaded_to_the_end():
    r = simulate_traffic(tiny_scenario(), duration_s=300, seed=0,
                         faults=[Fault(carrier="联通", at_s=150)])
    ax = plot_link_utilisation(r, top=2).axes[0]
    (span,) = _spans(ax)
    assert _span_extent(span) == pytest.approx((150.0, r.utilisation.index.max()))
    assert span.get_gid() == "fault:carrier:联通"


def test_no_faults_no_spans():
    r = simulate_traffic(tiny_scenario(), duration_s=200, seed=0)
    assert r.events.empty
    fig_u = plot_link_utilisation(r, top=2)
    assert len(fig_u.axes) == 2  # with the histogram
    fig_l = plot_request_latency(r)
    assert not _spans(fig_u.axes[0]) and not _spans(fig_l.axes[0])


# ------------------------------------------------------------------------------ utilisation


def _trunk_lines(ax):
    return [line for line in ax.lines if (line.get_gid() or "").startswith("trunk:")]


def test_utilisation_top_trunks(result):
    fig = plot_link_utilisation(result, top=5)
    ax = fig.axes[0]
    assert isinstance(fig, matplotlib.figure.Figure)
    util = result.utilisation
    p95 = pd.Series(np.nanpercentile(util.to_numpy(), 95, axis=0), index=util.columns)
    mean = util.mean()
    drawn = [int(line.get_gid().removeprefix("trunk:")) for line in _trunk_lines(ax)]
    assert len(drawn) == 5
    # the five busiest by p95, ties by the mean: none left out is busier than one drawn
    key = sorted(((p95[t], mean[t]) for t in util.columns), reverse=True)
    assert sorted(((p95[t], mean[t]) for t in drawn), reverse=True) == key[:5]
    (cap,) = [line for line in ax.lines if line.get_gid() == "capacity"]
    assert set(cap.get_ydata()) == {100.0}
    spans = _spans(ax)
    got = [x for s in spans for x in _span_extent(s)]
    assert got == pytest.approx([x for span in _expected_spans(result) for x in span])
    assert [t.get_text().strip() for t in ax.texts] == ["电信 中断"]
    # each drawn line says its p95
    for t, line in zip(drawn, _trunk_lines(ax), strict=True):
        assert line.get_label().endswith(f"p95 {p95[t] * 100:.0f}%")


def test_the_other_trunks_are_a_band(result):
    ax = plot_link_utilisation(result, top=3).axes[0]
    util = result.utilisation
    drawn = [int(line.get_gid().removeprefix("trunk:")) for line in _trunk_lines(ax)]
    rest = util.drop(columns=drawn).to_numpy() * 100
    (median,) = [line for line in ax.lines if line.get_gid() == "band:median"]
    (top,) = [line for line in ax.lines if line.get_gid() == "band:max"]
    np.testing.assert_allclose(median.get_ydata(), np.nanmedian(rest, axis=1))
    np.testing.assert_allclose(top.get_ydata(), np.nanmax(rest, axis=1))
    (fill,) = [c for c in ax.collections if c.get_gid() == "band:p50-p90"]
    ys = fill.get_paths()[0].vertices[:, 1]
    p90 = np.nanpercentile(rest, 90, axis=1)
    assert ys.max() == pytest.approx(p90.max()) and ys.min() == pytest.approx(
        np.nanmedian(rest, axis=1).min())
    n = util.shape[1] - 3
    assert f"其余 {n} 条：中位数" in [t.get_text() for t in ax.get_legend().get_texts()]


def test_the_histogram_counts_every_trunk_by_tier(result):
    fig = plot_link_utilisation(result, lang="en")
    hist = fig.axes[1]
    util = result.utilisation
    p95 = np.nanpercentile(util.to_numpy(), 95, axis=0) * 100
    bins = np.clip(np.floor(p95 / 10), 0, 9)
    for tier in result.trunks["tier"].unique():
        bars = [p for p in hist.patches if p.get_gid() == f"hist:{tier}"]
        mine = bins[(result.trunks["tier"] == tier).to_numpy()]
        assert [b.get_width() for b in bars] == [float((mine == k).sum()) for k in range(10)]
    assert sum(p.get_width() for p in hist.patches) == util.shape[1]
    assert {t.get_text() for t in hist.get_legend().get_texts()} == {
        "city", "county", "town", "village"}


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_at_most_top_lines_are_labelled(result, lang):
    ax = plot_link_utilisation(result, lang=lang).axes[0]
    assert len(_trunk_lines(ax)) == min(6, len(result.trunks))
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    assert len(labels) == 6 + 3 + 1  # six trunks, the band's three entries, the fault span
    assert ("fault to recovery" in labels) == (lang == "en")
    assert ax.get_xlabel() == {"zh": "时间（秒）", "en": "time (s)"}[lang]


def test_unknown_language_is_refused(result):
    with pytest.raises(ValueError, match="lang='fr'"):
        plot_link_utilisation(result, lang="fr")
    with pytest.raises(ValueError, match="rank='median'"):
        plot_link_utilisation(result, rank="median")


def test_utilisation_of_given_trunks(result):
    trunks = result.trunks
    sub = trunks[trunks["source"] == COUNTY_A]
    telecom, unicom = (int(sub.index[sub["carriers"] == c][0]) for c in ("电信", "联通"))
    ax = plot_link_utilisation(result, trunks=[telecom, unicom], band=False).axes[0]
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    assert labels == ["A县 → 甲市#电信", "A县 → 甲市#联通", "故障至恢复"]
    assert len(ax.lines) == 2 + 1
    for t, line in zip([telecom, unicom], ax.lines[:2], strict=True):
        np.testing.assert_allclose(line.get_xdata(), result.utilisation.index)
        np.testing.assert_allclose(line.get_ydata(), result.utilisation[t] * 100)
    # the 电信 uplink is down (no reading: a gap) while the fault lasts, the 联通 one is not
    # idle all along
    x = np.asarray(ax.lines[0].get_xdata())
    during = (x > 110) & (x < 200)
    assert during.any() and np.isnan(np.asarray(ax.lines[0].get_ydata())[during]).all()
    assert np.asarray(ax.lines[1].get_ydata()).any()


def test_carriers_shown_when_the_far_end_does_not_say_them(result):
    trunks = result.trunks
    dual = trunks.index[(trunks["lines"] == 2) & (trunks["carriers"] != "")][0]
    cloud = trunks.index[trunks["kind"] == "datacenter"][0]  # no carrier
    ax = plot_link_utilisation(result, trunks=[dual, cloud]).axes[0]
    lines = _trunk_lines(ax)
    src, dst = _trunk_ends(result, dual)
    assert lines[0].get_label() == f"{src} → {dst}（{trunks.at[dual, 'carriers']}）"
    assert lines[1].get_label() == " → ".join(_trunk_ends(result, cloud))
    en = _trunk_lines(plot_link_utilisation(result, trunks=[dual], lang="en").axes[0])
    assert en[0].get_label() == f"{src} → {dst} ({trunks.at[dual, 'carriers']})"


def test_unknown_trunk_is_refused(result):
    with pytest.raises(ValueError, match="no trunk 9999"):
        plot_link_utilisation(result, trunks=[0, 9999])


def test_draws_on_a_given_axes(result, validation):
    fig, axes = plt.subplots(3, 1)
    n = len(plt.get_fignums())
    assert plot_link_utilisation(result, ax=axes[0]) is fig
    assert plot_request_latency(result, ax=axes[1]) is fig
    assert plot_validation(validation, ax=axes[2]) is fig
    assert len(plt.get_fignums()) == n
    assert all(ax.lines or ax.patches for ax in axes)


# ------------------------------------------------------------------------------ latency


def _done_requests(result):
    f = result.flows
    return f[f["measured"] & (f["klass"] == "request") & (f["status"] == "done")]


def test_latency_by_tier(result):
    window = 60.0
    ax = plot_request_latency(result, window_s=window).axes[0]
    done = _done_requests(result)
    tiers = ["city", "county", "town", "village"]
    assert set(done["tier"]) == set(tiers)
    names = ["市级", "县级", "镇级", "村级"]
    assert [line.get_label() for line in ax.lines] == [
        f"{n} {s}" for n in names for s in ("平均", "p95")]
    assert len(_spans(ax)) == 1
    # the county line against the flows table
    county = done[done["tier"] == "county"]
    w = np.floor(county["start_s"] / window) * window
    mean = county.groupby(w.to_numpy())["latency_ms"].mean()
    p95 = county.groupby(w.to_numpy())["latency_ms"].quantile(0.95)
    x = np.asarray(ax.lines[2].get_xdata()) - window / 2
    y_mean = pd.Series(np.asarray(ax.lines[2].get_ydata()), index=x)
    y_p95 = pd.Series(np.asarray(ax.lines[3].get_ydata()), index=x)
    np.testing.assert_allclose(y_mean.dropna().to_numpy(), mean.to_numpy())
    np.testing.assert_allclose(y_mean.dropna().index, mean.index)
    np.testing.assert_allclose(y_p95.dropna().to_numpy(), p95.to_numpy())


def test_latency_of_units_has_gaps_where_they_are_cut_off(result, telecom_dept):
    window = 30.0
    other = "测试省/甲市/B区#部门01"
    ax = plot_request_latency(result, units=[telecom_dept, other], window_s=window).axes[0]
    short = telecom_dept.rsplit("/", 1)[-1]
    assert [line.get_label() for line in ax.lines] == [
        f"{short} 平均", f"{short} p95", "B区#部门01 平均", "B区#部门01 p95"]
    x = np.asarray(ax.lines[0].get_xdata())
    y = np.asarray(ax.lines[0].get_ydata(), dtype=float)
    # the 电信-only department completes nothing in a window wholly inside the outage
    inside = (x - window / 2 >= 100) & (x + window / 2 <= 200)
    assert inside.any() and np.isnan(y[inside]).all()
    # and the gaps are exactly the windows without a completed request
    done = _done_requests(result)
    starts = np.floor(done.loc[done["unit"] == telecom_dept, "start_s"] / window) * window
    assert set(x[~np.isnan(y)] - window / 2) == set(starts)


def test_latency_of_pooled_units(result):
    done = _done_requests(result)
    depts = [u for u in done["unit"].unique() if "#部门" in u]
    ax = plot_request_latency(result, units={"部门": depts}, window_s=300.0).axes[0]
    assert [line.get_label() for line in ax.lines] == ["部门 平均", "部门 p95"]
    pooled = done[done["unit"].isin(depts)]
    windows = np.floor(pooled["start_s"] / 300.0) * 300.0
    expected = pooled.groupby(windows.to_numpy())["latency_ms"].mean()
    np.testing.assert_allclose(np.asarray(ax.lines[0].get_ydata(), dtype=float),
                               expected.to_numpy())


def test_latency_refuses_bad_arguments(result):
    with pytest.raises(ValueError, match="no flows from unit"):
        plot_request_latency(result, units=["测试省/甲市/Z县#部门01"])
    with pytest.raises(ValueError, match="cannot group by"):
        plot_request_latency(result, by="colour")
    with pytest.raises(ValueError, match="window_s"):
        plot_request_latency(result, window_s=0)


# ------------------------------------------------------------------------------ validation


def test_validation_bars(validation):
    verdict = validation.verdict()
    assert set(verdict["case"]) == {"normal", "电信 down"}
    assert (verdict["verdict"] == "FAIL").any()  # the outage cuts villages off
    ax = plot_validation(validation).axes[0]
    bars = {p.get_gid(): p for p in ax.patches
            if (p.get_gid() or "").startswith("validation:")}
    assert len(bars) == len(verdict)
    for row in verdict.itertuples():
        bar = bars[f"validation:{row.case}:{row.tier}"]
        assert bar.get_height() == pytest.approx(100 * row.failed_checks / row.checks)
    labels = sorted(t.get_text() for t in ax.texts)
    assert labels == sorted(f"{r.failed_checks}/{r.checks}" for r in verdict.itertuples())
    n_pass = (verdict["verdict"] == "PASS").sum()
    n_fail = (verdict["verdict"] == "FAIL").sum()
    assert f"{n_pass} 项 PASS，{n_fail} 项 FAIL" in ax.get_title()
    assert [t.get_text() for t in ax.get_xticklabels()] == ["市级", "县级", "镇级", "村级"]
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["正常运行", "电信 down"]
    en = plot_validation(validation, lang="en").axes[0]
    assert [t.get_text() for t in en.get_xticklabels()] == ["city", "county", "town", "village"]
    assert [t.get_text() for t in en.get_legend().get_texts()] == ["normal operation",
                                                                   "电信 down"]


# ------------------------------------------------------------------------------ rendering


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_labels_render_without_missing_glyphs(result, validation, telecom_dept, lang):
    use_cjk_font()
    for fig in (plot_link_utilisation(result, lang=lang),
                plot_request_latency(result, lang=lang),
                plot_request_latency(result, units=[telecom_dept], lang=lang),
                plot_validation(validation, lang=lang)):
        _assert_no_missing_glyphs(fig)


def test_many_latency_groups_are_pooled(result):
    done = _done_requests(result)
    ax = plot_request_latency(result, by="unit", top=3, window_s=300.0).axes[0]
    p95 = done.groupby("unit")["latency_ms"].quantile(0.95).sort_values(ascending=False,
                                                                        kind="stable")
    n_rest = len(p95) - 3
    labels = [line.get_label() for line in ax.lines]
    assert len(labels) == 2 * 4
    assert labels[-2:] == [f"其余 {n_rest} 组 平均", f"其余 {n_rest} 组 p95"]
    drawn = {lab.removesuffix(" 平均") for lab in labels[:-2:2]}
    assert drawn == {u.rsplit("/", 1)[-1] for u in p95.index[:3]}
    pooled = done[~done["unit"].isin(p95.index[:3])]
    np.testing.assert_allclose(np.asarray(ax.lines[-2].get_ydata(), dtype=float),
                               pooled.groupby(np.floor(pooled["start_s"] / 300) * 300)[
                                   "latency_ms"].mean().to_numpy())


def test_plotting_does_not_modify_the_results(result, validation, telecom_dept):
    before = copy.deepcopy(result)
    table = validation.table.copy(deep=True)
    plot_link_utilisation(result)
    plot_link_utilisation(result, trunks=[0, len(result.trunks) - 1])
    plot_request_latency(result)
    plot_request_latency(result, units={"x": [telecom_dept]})
    plot_validation(validation)
    for name in ("flows", "utilisation", "trunks", "events"):
        pd.testing.assert_frame_equal(getattr(result, name), getattr(before, name))
    assert result.routes == before.routes and result.case == before.case
    pd.testing.assert_frame_equal(validation.table, table)
