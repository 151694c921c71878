"""Capacity plots: bars and lines checked against the loads and the cloud table they draw."""

import warnings

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

from netplan.capacity.cloud import cloud_capacity  # noqa: E402
from netplan.capacity.loads import link_loads  # noqa: E402
from netplan.examples import tiny_migration, tiny_scenario  # noqa: E402
from netplan.plot.capacity import plot_cloud_utilisation, plot_utilisation_by_tier  # noqa: E402
from netplan.topology import build_topology  # noqa: E402


@pytest.fixture(scope="module")
def loads():
    s = tiny_scenario()
    return link_loads(s, build_topology(s))


@pytest.fixture(scope="module")
def cloud():
    scenario, inventory = tiny_migration()
    return cloud_capacity(scenario, inventory=inventory)


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


def _worst_by_class(loads):
    """The highest utilisation per kind/tier, straight from the worst-state table."""
    w = loads.worst_frame()
    out = {}
    for kind, tier, u in w[["kind", "tier", "worst_utilisation_pct"]].itertuples(index=False):
        if kind in ("uplink", "access", "egress", "datacenter", "interconnect") \
                and np.isfinite(u):
            out[f"{kind}/{tier}"] = max(out.get(f"{kind}/{tier}", -np.inf), u)
    return out


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_tier_bars_are_the_worst_per_class(loads, lang):
    ax = plot_utilisation_by_tier(loads, loads, lang=lang)
    expected = _worst_by_class(loads)
    for tag in ("before", "after"):
        bars = {p.get_gid().removeprefix(f"{tag}:"): p.get_height() for p in ax.patches
                if (p.get_gid() or "").startswith(f"{tag}:")}
        assert bars == pytest.approx(expected)
    ticks = [t.get_text() for t in ax.get_xticklabels()]
    assert ticks[0] == {"zh": "上联 · 市级", "en": "uplink · city"}[lang]  # uplinks first
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    assert legend == {"zh": ["100% 容量", "升级前", "升级后"],
                      "en": ["100% capacity", "before the upgrades", "after the upgrades"]}[lang]
    values = sorted(t.get_text() for t in ax.texts)
    assert values == sorted(2 * [f"{v:.0f}" for v in expected.values()])


def test_tier_bars_without_an_upgrade(loads):
    ax = plot_utilisation_by_tier(loads)
    assert not [p for p in ax.patches if (p.get_gid() or "").startswith("after:")]
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["100% 容量", "升级前"]


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_cloud_occupancy_and_utilisation_in_two_panels(cloud, lang):
    ax = plot_cloud_utilisation(cloud, lang=lang)
    occ_ax, util_ax = ax.figure.axes
    assert occ_ax is ax
    df = cloud.weekly
    occ = {ln.get_gid(): ln for ln in occ_ax.lines}
    util = {ln.get_gid(): ln for ln in util_ax.lines}
    assert {g for g in occ if g.startswith("occupancy:")} == {
        "occupancy:vcpu", "occupancy:memory_gb", "occupancy:storage_tb", "occupancy:network_mbps"}
    assert not any(g.startswith("occupancy:") for g in util)
    for key in ("vcpu", "memory_gb", "storage_tb"):
        np.testing.assert_allclose(util[f"utilisation:{key}"].get_ydata(),
                                   df[f"{key}_utilisation_pct"])
        np.testing.assert_allclose(occ[f"occupancy:{key}"].get_ydata(),
                                   df[f"{key}_occupancy_pct"])
    assert set(occ["ceiling"].get_ydata()) == {cloud.ceiling_pct}
    texts = [t.get_text() for t in occ_ax.get_legend().get_texts()]
    assert texts[-1] == {"zh": "扩容阈值 85%", "en": "expansion ceiling 85%"}[lang]
    assert texts[1] == {"zh": "内存 占用率", "en": "memory occupancy"}[lang]


def test_cloud_on_one_given_axes(cloud):
    fig, ax = plt.subplots()
    assert plot_cloud_utilisation(cloud, ax=ax) is ax
    assert fig.axes == [ax]
    gids = {ln.get_gid() for ln in ax.lines}
    assert {"occupancy:vcpu", "utilisation:vcpu", "ceiling"} <= gids


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_no_missing_glyphs(loads, cloud, lang):
    for fig in (plot_utilisation_by_tier(loads, loads, lang=lang).figure,
                plot_cloud_utilisation(cloud, lang=lang).figure):
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            fig.canvas.draw()
        assert not [w for w in caught if "missing from" in str(w.message)]
