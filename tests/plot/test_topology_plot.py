"""plot_extranet: aggregation, highlight counts and CJK rendering, checked against the tables."""

import copy
import subprocess
import sys
import warnings

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import networkx as nx  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402
from matplotlib.colors import to_hex  # noqa: E402

from netplan.errors import UnknownNodeError  # noqa: E402
from netplan.examples import TINY_SCENARIO, meizhou_2020, tiny_scenario  # noqa: E402
from netplan.model import Scenario  # noqa: E402
from netplan.plot import plot_extranet, save_figure, use_cjk_font  # noqa: E402
from netplan.plot._style import CJK_FONT, bundled_font_path  # noqa: E402
from netplan.plot.topology import (  # noqa: E402
    CARRIER_COLORS,
    DOWN_COLOR,
    HIGHLIGHT_COLOR,
    plot_county,
)
from netplan.topology import build_topology, survivability  # noqa: E402


@pytest.fixture(scope="module")
def tiny():
    return build_topology(tiny_scenario())


@pytest.fixture(scope="module")
def meizhou():
    return build_topology(meizhou_2020())


@pytest.fixture(params=["tiny", "meizhou"])
def topo(request):
    return request.getfixturevalue(request.param)


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


_TOWN_VIEWS: dict = {}


def _town_view(topo):
    """``plot_extranet(topo, level="town")``, drawn once per topology (read-only use)."""
    if id(topo) not in _TOWN_VIEWS:
        _TOWN_VIEWS[id(topo)] = (topo, plot_extranet(topo, level="town"))
    return _TOWN_VIEWS[id(topo)][1]


def _texts(ax, prefix):
    """Labels whose gid starts with ``prefix``, by gid."""
    return {t.get_gid()[len(prefix):]: t for t in ax.texts
            if (t.get_gid() or "").startswith(prefix)}


def _scatter(ax, kind):
    (sc,) = [c for c in ax.collections if c.get_gid() == f"markers:{kind}"]
    return sc


def _telecom_only(topo):
    """Nodes whose upstream links are all 电信: cut off when 电信 fails (parents dual-homed)."""
    carriers = topo.links.groupby("source")["carrier"].agg(frozenset)
    return set(carriers.index[carriers == frozenset({"电信"})])


def _cut_off_by_networkx(topo, carrier):
    """Nodes that no longer connect to the root once every link of ``carrier`` is removed."""
    g = topo.graph.copy()
    g.remove_edges_from([(u, v, k) for u, v, k, c in g.edges(keys=True, data="carrier")
                         if c == carrier])
    alive = nx.node_connected_component(g, topo.root)
    pops = set(topo.nodes.index[(topo.nodes["kind"] == "pop")
                                & topo.nodes.index.str.endswith(carrier)])
    return set(topo.nodes.index) - alive - pops


# ------------------------------------------------------------------------------ fonts


def test_bundled_font_is_found_and_registered():
    from matplotlib import font_manager

    path = bundled_font_path()
    assert path is not None and path.endswith("mplfonts/fonts/NotoSansCJKsc-Regular.otf")
    assert use_cjk_font() == CJK_FONT == "Noto Sans CJK SC"
    n = sum(f.fname == path for f in font_manager.fontManager.ttflist)
    before = list(matplotlib.rcParams["font.sans-serif"])
    assert use_cjk_font() == CJK_FONT  # idempotent
    # registered once; matplotlib lists it under its typographic and its legacy family name
    assert sum(f.fname == path for f in font_manager.fontManager.ttflist) == n
    assert {f.name for f in font_manager.fontManager.ttflist if f.fname == path} <= {
        CJK_FONT, f"{CJK_FONT} Regular"}
    assert matplotlib.rcParams["font.sans-serif"] == before
    assert before[0] == CJK_FONT


def test_a_font_without_cjk_does_warn_about_missing_glyphs():
    # proves that the no-warning checks below can fail
    use_cjk_font()
    fig, ax = plt.subplots()
    ax.text(0.5, 0.5, "梅州市", fontfamily="DejaVu Sans")
    with pytest.warns(UserWarning, match="missing from"):
        fig.canvas.draw()


def test_chinese_labels_render_without_missing_glyphs(meizhou):
    surv = survivability(meizhou)
    ax = plot_extranet(meizhou, highlight=surv.affected_by_carrier("电信"),
                       title="梅州市：电信故障时受影响节点")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        ax.figure.canvas.draw()
    assert not [w for w in caught if "missing from" in str(w.message)]


# ------------------------------------------------------------------------------ aggregation


def test_one_village_marker_per_town_with_villages(topo):
    nodes = topo.nodes
    villages = nodes[nodes["kind"] == "village"]
    towns_with_villages = set(villages["parent"])
    ax = _town_view(topo)
    labels = _texts(ax, "villages:")
    assert set(labels) == towns_with_villages
    assert len(_scatter(ax, "villages").get_offsets()) == len(towns_with_villages)
    per_town = villages.groupby("parent").size()
    assert {t: labels[t].get_text() for t in labels} == {t: f"{n}村" for t, n in per_town.items()}
    # no village is drawn on its own, every town is
    assert not _texts(ax, "village:")
    assert set(_texts(ax, "town:")) == set(nodes.index[nodes["kind"] == "town"])


def test_one_department_marker_per_division(topo):
    deps = topo.nodes[topo.nodes["kind"] == "department"]
    ax = _town_view(topo)
    labels = _texts(ax, "departments:")
    per_division = deps.groupby("parent").size()
    assert {d: t.get_text() for d, t in labels.items()} == {
        d: f"部门×{n}" for d, n in per_division.items()}
    assert len(_scatter(ax, "departments").get_offsets()) == len(per_division)


def test_meizhou_counts(meizhou):
    ax = _town_view(meizhou)
    assert len(_texts(ax, "town:")) == 112
    assert len(_texts(ax, "county:")) == 8
    assert len(_texts(ax, "villages:")) == 112
    assert sum(int(t.get_text().removesuffix("村")) for t in _texts(ax, "villages:").values()) \
        == (meizhou.nodes["kind"] == "village").sum()


def test_tiers_are_rows_top_down(meizhou):
    ax = _town_view(meizhou)

    def y(prefix):
        return {round(t.get_position()[1], 6) for t in _texts(ax, prefix).values()}

    (province,), (city,), (county,), (town,) = (y("province:"), y("city:"), y("county:"),
                                                 y("town:"))
    villages = {round(p[1], 6) for p in _scatter(ax, "villages").get_offsets()}
    assert province > city > county > town > max(villages)


def test_figure_width_grows_with_towns(tiny, meizhou):
    w_tiny = plot_extranet(tiny).figure.get_figwidth()
    w_meizhou = _town_view(meizhou).figure.get_figwidth()
    assert w_meizhou > 2.5 * w_tiny
    assert w_meizhou >= 112 * 0.3  # at least 0.3 inch per town column


def test_draws_on_a_given_axes(tiny):
    fig, ax = plt.subplots(figsize=(8, 6))
    n = len(plt.get_fignums())
    assert plot_extranet(tiny, ax=ax) is ax
    assert len(plt.get_fignums()) == n
    fig.canvas.draw()


# ------------------------------------------------------------------------------ links


def test_links_coloured_by_carrier_with_width_by_count(meizhou):
    ax = plot_extranet(meizhou)
    gids = {c.get_gid() for c in ax.collections}
    assert {"links:电信", "links:联通", "links:移动", "links:"} <= gids
    handles = {t.get_text() for t in ax.get_legend().get_texts()}
    assert {"电信", "联通", "移动"} <= handles
    widths = np.concatenate([c.get_linewidths() for c in ax.collections
                             if (c.get_gid() or "").startswith("links:")])
    # one town uplink per carrier: the thinnest; ~20 village uplinks per town and carrier: thicker
    assert widths.min() < 1.0 < 3.0 < widths.max()


def test_parallel_links_are_aggregated(tiny):
    ax = plot_extranet(tiny)
    n_lines = sum(len(c.get_segments()) for c in ax.collections
                  if (c.get_gid() or "").startswith("links:"))
    assert n_lines < tiny.n_links


# ------------------------------------------------------------------------------ highlight


def test_telecom_failure_reference_agrees_with_networkx(topo):
    # the expected counts below come from the link table; certify them with networkx
    expected = _telecom_only(topo) & set(
        topo.nodes.index[topo.nodes["kind"].isin(["village", "department"])])
    cut = _cut_off_by_networkx(topo, "电信")
    assert expected == cut & set(topo.nodes.index[topo.nodes["kind"].isin(
        ["village", "department"])])
    assert cut <= expected | set(topo.nodes.index[~topo.nodes["kind"].isin(
        ["village", "department"])])
    assert expected  # the scenario does have single-homed 电信 villages


def test_highlight_labels_show_affected_counts(topo):
    hit = survivability(topo).affected_by_carrier("电信")
    ax = plot_extranet(topo, highlight=hit, level="town")
    nodes = topo.nodes
    lost = _telecom_only(topo)
    villages = nodes[nodes["kind"] == "village"]
    labels = _texts(ax, "villages:")
    red = 0
    for town, vs in villages.groupby("parent"):
        a, n = len(lost & set(vs.index)), len(vs)
        text = labels[town]
        assert text.get_text() == (f"{a}/{n}村" if a else f"{n}村")
        assert (to_hex(text.get_color()) == HIGHLIGHT_COLOR) == (a > 0)
        red += a > 0
    faces = [to_hex(c) for c in _scatter(ax, "villages").get_facecolors()]
    assert faces.count(HIGHLIGHT_COLOR) == red > 0

    deps = nodes[nodes["kind"] == "department"]
    dep_labels = _texts(ax, "departments:")
    for division, ds in deps.groupby("parent"):
        a, n = len(lost & set(ds.index)), len(ds)
        assert dep_labels[division].get_text() == (f"{a}/{n}部门" if a else f"部门×{n}")
    assert any(t.get_text() == "受影响（标注 受影响数/总数）"
               for t in ax.get_legend().get_texts())
    assert "受影响" in ax.get_title()


def test_meizhou_highlight_example(meizhou):
    ax = plot_extranet(meizhou, level="town",
                       highlight=survivability(meizhou).affected_by_carrier("电信"))
    # 梅江区 is on 电信+联通; its first street's 17 villages alternate 电信, 联通, ...
    label = _texts(ax, "villages:")["广东省/梅州市/梅江区/金山街道"].get_text()
    assert label == "9/17村"
    # 五华县 is on 联通+移动: nothing there is hit
    wuhua = [t.get_text() for g, t in _texts(ax, "villages:").items() if "/五华县/" in g]
    assert wuhua and all("/" not in s for s in wuhua)


def test_highlight_of_an_unknown_node_raises(tiny):
    with pytest.raises(UnknownNodeError, match="no node"):
        plot_extranet(tiny, highlight=["测试省/甲市/Z县"])


def test_empty_highlight_draws_nothing_red(tiny):
    ax = plot_extranet(tiny, highlight=[])
    assert all(to_hex(t.get_color()) != HIGHLIGHT_COLOR for t in ax.texts)


# ------------------------------------------------------------------------------ provinces


def _two_cities(provinces=1):
    d = copy.deepcopy(TINY_SCENARIO)
    province = d["region"]["provinces"][0]
    second = copy.deepcopy(province["cities"][0])
    second["name"] = "乙市"
    second["counties"].append({"name": "C县", "towns": 4, "villages": 9})
    province["cities"].append(second)
    if provinces == 2:
        other = copy.deepcopy(province)
        other["name"] = "第二省"
        d["region"]["provinces"].append(other)
        d["extranet"]["tiers"]["province"] = {"uplink": "10G", "carriers": 2}
    return build_topology(Scenario.model_validate(d))


def test_a_province_is_drawn_down_to_the_counties():
    topo = _two_cities()
    hit = survivability(topo).affected_by_carrier("电信")
    ax = plot_extranet(topo, highlight=hit)
    nodes = topo.nodes
    counties = set(nodes.index[nodes["kind"] == "county"])
    assert not _texts(ax, "town:") and not _texts(ax, "villages:")
    assert set(_texts(ax, "county:")) == counties
    below = _texts(ax, "towns:")
    assert set(below) == counties
    lost = _telecom_only(topo)
    for county in counties:
        towns = nodes[(nodes["kind"] == "town") & (nodes["parent"] == county)]
        vs = nodes[(nodes["kind"] == "village") & nodes["parent"].isin(towns.index)]
        a = len(lost & set(vs.index))
        village_part = f"{a}/{len(vs)}村" if a else f"{len(vs)}村"
        # few counties: wide columns, the departments counted in the same marker
        divisions = {county, *towns.index}
        deps = nodes[(nodes["kind"] == "department") & nodes["parent"].isin(divisions)]
        d = len(lost & set(deps.index))
        dept_part = (f"·{d}/{len(deps)}部门" if d else f"·部门×{len(deps)}") if len(deps) else ""
        assert below[county].get_text() == "\n".join(
            f"{len(towns)}镇·{village_part}{dept_part}".split("·"))
    assert ax.get_title().startswith("测试省")
    ax.figure.canvas.draw()


def test_several_provinces_are_drawn_down_to_the_cities():
    topo = _two_cities(provinces=2)
    ax = plot_extranet(topo)
    cities = set(topo.nodes.index[topo.nodes["kind"] == "city"])
    assert set(_texts(ax, "city:")) == cities
    assert set(_texts(ax, "counties:")) == cities
    assert not _texts(ax, "county:")
    ax.figure.canvas.draw()


def test_a_topology_without_cities_is_refused(tiny):
    bare = tiny.without(nodes=[n for n in tiny.nodes.index if tiny.nodes.at[n, "kind"] == "city"])
    with pytest.raises(ValueError, match="no city node"):
        plot_extranet(bare)


# ------------------------------------------------------------------------------ layering


def test_importing_netplan_does_not_import_matplotlib():
    code = ("import sys, netplan, netplan.plot; "
            "assert 'matplotlib' not in sys.modules, 'matplotlib imported'")
    subprocess.run([sys.executable, "-W", "error", "-c", code], check=True)


def test_saves_a_png(meizhou, tmp_path):
    ax = plot_extranet(meizhou, highlight=survivability(meizhou).affected_by_carrier("电信"))
    path = tmp_path / "meizhou.png"
    ax.figure.savefig(path, dpi=60)
    assert path.stat().st_size > 50_000


# ------------------------------------------------------------------------------ A4 overview


def _county_totals(topo, county):
    """Towns, villages and departments under a county, from the node table."""
    n = topo.nodes
    towns = n.index[(n["kind"] == "town") & (n["parent"] == county)]
    villages = n.index[(n["kind"] == "village") & n["parent"].isin(towns)]
    deps = n.index[(n["kind"] == "department") & n["parent"].isin([county, *towns])]
    return towns, villages, deps


@pytest.fixture(scope="module")
def overview(meizhou):
    return plot_extranet(meizhou)


def test_meizhou_overview_fits_an_a4_page(overview, tmp_path):
    fig = overview.figure
    assert fig.get_figwidth() * 110 <= 1800
    png, svg = save_figure(fig, tmp_path / "topology")
    assert plt.imread(png).shape[1] <= 1800  # the saved picture, tight box included


def test_meizhou_overview_is_drawn_down_to_the_counties(meizhou, overview):
    nodes = meizhou.nodes
    counties = set(nodes.index[nodes["kind"] == "county"])
    assert set(_texts(overview, "county:")) == counties
    assert not _texts(overview, "town:") and not _texts(overview, "villages:")
    below = _texts(overview, "towns:")
    assert set(below) == counties
    for county in counties:
        towns, villages, deps = _county_totals(meizhou, county)
        assert below[county].get_text() == f"{len(towns)}镇\n{len(villages)}村\n部门×{len(deps)}"
    total = sum(int(t.get_text().split("\n")[1].removesuffix("村")) for t in below.values())
    assert total == (nodes["kind"] == "village").sum() == 2234
    # the city's own departments keep their marker beside the core
    (city_deps,) = _texts(overview, "departments:").values()
    city = nodes.index[nodes["kind"] == "city"][0]
    n_city = ((nodes["kind"] == "department") & (nodes["parent"] == city)).sum()
    assert city_deps.get_text() == f"部门×{n_city}"


def test_a_narrow_width_draws_the_counties_a_wide_one_the_towns(meizhou, tiny):
    assert _texts(plot_extranet(tiny), "town:")  # a small city: its towns fit
    wide = plot_extranet(meizhou, max_width_in=40)
    assert len(_texts(wide, "town:")) == 112
    with pytest.raises(ValueError, match="level='village'"):
        plot_extranet(tiny, level="village")


# ------------------------------------------------------------------------------ carrier down


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_down_carrier_is_grey_dashed_and_named_in_the_legend(meizhou, lang):
    ax = plot_extranet(meizhou, down="电信", lang=lang)
    links = {c.get_gid(): c for c in ax.collections if (c.get_gid() or "").startswith("links:")}
    down = links["links:电信"]
    assert {to_hex(c) for c in down.get_edgecolors()} == {DOWN_COLOR}
    assert DOWN_COLOR == "#b0b0b0"  # grey: equal red, green and blue
    assert all(dashes for _, dashes in down.get_linestyles())  # dashed
    for carrier in ("联通", "移动"):
        (color,) = {to_hex(c) for c in links[f"links:{carrier}"].get_edgecolors()}
        assert color == to_hex(CARRIER_COLORS[carrier])
        assert not any(d for _, d in links[f"links:{carrier}"].get_linestyles())  # solid
    texts = [t.get_text() for t in ax.get_legend().get_texts()]
    assert texts[:3] == {"zh": ["电信 (中断)", "联通", "移动"],
                         "en": ["电信 (down)", "联通", "移动"]}[lang]
    pops = _scatter(ax, "pop")
    faces = [to_hex(c) for c in pops.get_facecolors()]
    pop_ids = [t.get_gid().removeprefix("pop:") for t in ax.texts
               if (t.get_gid() or "").startswith("pop:")]
    assert dict(zip(pop_ids, faces, strict=True))["广东省/梅州市#电信"] == DOWN_COLOR
    assert ax.get_title().endswith({"zh": "（电信中断）", "en": "(电信 down)"}[lang])


def test_an_unknown_down_carrier_is_refused(tiny):
    with pytest.raises(UnknownNodeError, match="no carrier '广电'"):
        plot_extranet(tiny, down=["广电"])


# ------------------------------------------------------------------------------ county detail


def test_county_detail_has_its_towns_only(meizhou):
    county = "广东省/梅州市/兴宁市"
    ax = plot_county(meizhou, "兴宁市")
    towns, villages, deps = _county_totals(meizhou, county)
    assert set(_texts(ax, "town:")) == set(towns)
    assert set(_texts(ax, "county:")) == {county}
    nodes = meizhou.nodes
    per_town = nodes.loc[villages].groupby("parent").size()
    assert {t: x.get_text() for t, x in _texts(ax, "villages:").items()} == {
        t: f"{n}村" for t, n in per_town.items()}
    assert ax.get_title() == "梅州市电子政务外网拓扑（兴宁市）"
    assert ax.figure.get_figwidth() * 110 <= 1800
    assert plot_county(meizhou, county).get_title() == ax.get_title()  # by id too


def test_the_widest_meizhou_county_detail_fits_an_a4_page(meizhou):
    # the figure widens with the towns: the county with the most is the widest
    counties = meizhou.nodes.index[meizhou.nodes["kind"] == "county"]
    most = max(counties, key=lambda c: len(_county_totals(meizhou, c)[0]))
    assert len(_county_totals(meizhou, most)[0]) == 20  # 兴宁市
    few = min(counties, key=lambda c: len(_county_totals(meizhou, c)[0]))
    wide, narrow = (plot_county(meizhou, c, lang="en").figure for c in (most, few))
    assert narrow.get_figwidth() <= wide.get_figwidth() <= 1800 / 110


def test_county_detail_with_highlight_and_down(meizhou):
    hit = survivability(meizhou).affected_by_carrier("电信")
    ax = plot_county(meizhou, "梅江区", highlight=hit, down="电信", lang="en")
    label = _texts(ax, "villages:")["广东省/梅州市/梅江区/金山街道"].get_text()
    assert label == "9/17 villages"  # as in the town-level overview
    assert ax.get_title() == ("梅州市 e-government extranet: 梅江区 (电信 down) "
                              "(red: affected sites)")


def test_an_unknown_county_is_refused(meizhou):
    with pytest.raises(UnknownNodeError, match="no county 'Z县'"):
        plot_county(meizhou, "Z县")


# ------------------------------------------------------------------------------ language, files


def test_english_labels(tiny):
    ax = plot_extranet(tiny, lang="en")
    villages = tiny.nodes[tiny.nodes["kind"] == "village"].groupby("parent").size()
    assert {t: x.get_text() for t, x in _texts(ax, "villages:").items()} == {
        t: f"{n} village{'s' if n > 1 else ''}" for t, n in villages.items()}
    assert {x.get_text() for x in _texts(ax, "tier:").values()} >= {"town", "county"}
    assert ax.get_title() == "甲市 e-government extranet"
    legend = {t.get_text() for t in ax.get_legend().get_texts()}
    assert {"villages (per town)", "departments (per division)", "1 link"} <= legend


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_no_missing_glyphs(meizhou, lang):
    hit = survivability(meizhou).affected_by_carrier("联通")
    for ax in (plot_extranet(meizhou, highlight=hit, down="联通", lang=lang),
               plot_county(meizhou, "五华县", lang=lang)):
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            ax.figure.canvas.draw()
        assert not [w for w in caught if "missing from" in str(w.message)]


def test_svg_is_parseable_with_text_as_paths_and_png_is_reproducible(tiny, tmp_path):
    import xml.etree.ElementTree as ET

    first = save_figure(plot_extranet(tiny).figure, tmp_path / "a")
    second = save_figure(plot_extranet(tiny).figure, tmp_path / "b.svg")
    assert [p.name for p in first] == ["a.png", "a.svg"]
    assert [p.name for p in second] == ["b.png", "b.svg"]
    root = ET.parse(first[1]).getroot()
    assert root.tag.endswith("svg")
    assert not [e for e in root.iter() if e.tag.endswith("}text")]  # glyphs drawn as paths
    assert [e for e in root.iter() if e.tag.endswith("}path")]
    assert first[0].read_bytes() == second[0].read_bytes()
    assert first[1].read_bytes() == second[1].read_bytes()
    assert not plt.get_fignums()  # save_figure closed them


def test_a_country_can_be_drawn_down_to_the_provinces(tiny):
    topo = _two_cities(provinces=2)
    ax = plot_extranet(topo, level="province", lang="en")
    nodes = topo.nodes
    provinces = nodes.index[nodes["kind"] == "province"]
    below = _texts(ax, "cities:")
    assert set(below) == set(provinces)
    for p in provinces:
        # every node of the province, found by walking the parents up
        under = [n for n in nodes.index if n != p and _walks_up_to(nodes, n, p)]
        kinds = nodes.loc[under, "kind"].value_counts()
        assert below[p].get_text().split("\n") == [
            f"{kinds['city']} cities", f"{kinds['county']} counties", f"{kinds['town']} towns",
            f"{kinds['village']} villages", f"{kinds['department']} depts"]
    with pytest.raises(ValueError, match="national backbone"):
        plot_extranet(tiny, level="province")


def _walks_up_to(nodes, n, target):
    parent = nodes["parent"]
    while isinstance(n, str) and n in nodes.index:
        if n == target:
            return True
        n = parent[n]
    return False
