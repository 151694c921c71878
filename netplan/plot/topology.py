"""A tiered picture of an extranet: divisions as boxes, villages and departments aggregated.

Drawing every village of a city (Meizhou has 2,234) gives a hairball. :func:`plot_extranet`
draws the divisions down to one tier (the towns of a small city, the counties of a city too
wide for a column per town, the counties or cities of a province, the cities of a country) and
aggregates what hangs below each of them into one marker labelled with a count ("42村",
"16镇·388村", "部门×28"). Links between the drawn markers are aggregated too: one line per pair
of markers and carrier, its width growing with the number of parallel links.
:func:`plot_county` draws one county down to its towns (its villages counted per town), for
the detail the overview leaves out. Both fit an A4 page: the overview picks the deepest tier
whose columns fit ``max_width_in`` (16 inches: 1,760 pixels at 110 dpi).

The layout is in inches (one data unit is one inch of the figure it creates), so fonts, marker
sizes and line offsets, which matplotlib sizes in points, fit the rows and columns.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from netplan.errors import UnknownNodeError
from netplan.plot._labels import check_lang, label, tier_name
from netplan.plot._style import draws_with_cjk_font
from netplan.topology.topology import Topology

__all__ = ["plot_extranet", "plot_county", "CARRIER_COLORS", "HIGHLIGHT_COLOR", "DOWN_COLOR"]

#: Line colours of well-known carriers (red is kept for highlighting).
CARRIER_COLORS = {"电信": "#1f77b4", "联通": "#ff7f0e", "移动": "#2ca02c", "广电": "#9467bd"}
_OTHER_COLORS = ("#17becf", "#8c564b", "#e377c2", "#bcbd22", "#7f7f7f", "#393b79")
_NO_CARRIER = "#9e9e9e"
#: Colour of highlighted (affected) markers and labels.
HIGHLIGHT_COLOR = "#d62728"
#: Colour of the links (drawn dashed) and POP of a carrier that is down.
DOWN_COLOR = "#b0b0b0"
_HIGHLIGHT_FILL = "#fde0dd"
_INK = "#333333"

_RANK = {"national": 0, "province": 1, "city": 2, "county": 3, "town": 4, "village": 5}
_LEVELS = {"province": 1, "city": 2, "county": 3, "town": 4}
_PLURAL = {2: "cities", 3: "counties", 4: "towns", 5: "villages"}
_TIER_NAME = {t: tier_name(t) for t in _RANK}  # Chinese tier names, for other plot modules
# marker, size (pt²) of the kinds drawn as markers
_MARKERS = {
    "pop": ("D", 70), "egress": ("*", 190), "cloud": ("^", 150), "platform": ("h", 140),
    "departments": ("s", 26), "cities": ("o", 42), "counties": ("o", 40), "towns": ("o", 38),
    "villages": ("o", 34),
}

# geometry, inches
_MARGIN_L = 1.15  # room for the tier names
_MARGIN_R = 0.35
_GAP = 0.12  # between the spans of two parents
_LINK_GAP_PT = 1.2  # between parallel lines of two carriers
_MIN_COL = 0.3  # narrowest column (vertical labels)
_WIDE_COL = 1.0  # columns at least this wide get horizontal labels
#: Default widest figure, inches: 1,760 pixels at 110 dpi, the width of an A4 page's text.
MAX_WIDTH_IN = 16.0


def _lw(n) -> float:
    """Line width (pt) for ``n`` parallel links."""
    return min(4.5, 0.7 + 0.65 * math.log2(max(n, 1)))


@dataclass
class _Row:
    name: str
    y: float


@dataclass
class _Layout:
    x: dict = field(default_factory=dict)
    y: dict = field(default_factory=dict)
    rows: list = field(default_factory=list)
    width: float = 0.0
    y_min: float = 0.0
    y_max: float = 0.0
    col: float = 0.0
    core: bool = False  # one city: its core block (POPs, egress, cloud) is drawn
    lang: str = "zh"

    @property
    def wide(self) -> bool:
        """Columns wide enough for horizontal labels."""
        return self.col >= _WIDE_COL


@draws_with_cjk_font
def plot_extranet(topology: Topology, *, highlight: Iterable[str] | None = None,
                  down: str | Iterable[str] | None = None, level: str = "auto",
                  title: str | None = None, lang: str = "zh",
                  max_width_in: float = MAX_WIDTH_IN, ax=None):
    """Draw the extranet as tiers, with villages and departments aggregated.

    Rows run top down: national backbone (when present), province, city core, counties, towns.
    For one city the city core is drawn with its carriers' points of presence (POP), the
    internet egress, the cloud node(s) and the exchange platform around it. The lowest drawn
    tier (``level``) has one column per division; under each, one marker stands for what
    hangs below it ("42村" under a town, "16镇·388村" under a county) and one for its
    departments ("部门×6"). For a province (several cities) the POPs and the egress are part of
    their city's marker.

    Lines join the drawn markers, one per pair and carrier, coloured by carrier; their width
    grows with the number of parallel links (e.g. the 21 village uplinks of a town over 电信).
    A carrier that is ``down`` has its lines drawn grey and dashed and its POP grey, and the
    legend says so ("电信 (中断)").

    Parameters
    ----------
    topology : Topology
        A built extranet (:func:`netplan.topology.build_topology`): it needs its ``city``
        nodes and the ``parent`` column.
    highlight : iterable of str, optional
        Node ids to show as affected, e.g. ``survivability(topo).affected_by_carrier("电信")``.
        A marker containing any of them is drawn red, and an aggregated marker's label says how
        many of its nodes are affected ("12/42村", "3/28部门").
    down : str or iterable of str, optional
        Carrier(s) failed: their links are drawn grey, dashed and faint.
    level : str
        The lowest tier drawn with a column per division: ``"town"``, ``"county"`` or
        ``"city"``; ``"auto"`` takes the deepest one (towns for one city, counties for one
        province, cities otherwise) whose columns fit ``max_width_in``. Meizhou's 112 towns do
        not fit: its overview is drawn down to the counties, and :func:`plot_county` draws
        each county's towns.
    title : str, optional
        Axes title; default "<place>电子政务外网拓扑" (and what is highlighted or down).
    lang : str
        ``"zh"`` or ``"en"``: the language of the title, tier names, legend and count labels
        (places and carriers keep the scenario's names).
    max_width_in : float
        Widest figure ``level="auto"`` aims for, inches (16: 1,760 pixels at 110 dpi). A tier
        with more columns than fit at 0.3 inch each is not chosen unless it is the highest.
    ax : matplotlib.axes.Axes, optional
        Axes to draw on. When None, a figure is created whose width follows the number of
        columns (Meizhou's 8 counties: 12 inches).

    Returns
    -------
    matplotlib.axes.Axes

    Raises
    ------
    UnknownNodeError
        When a highlighted id is not a node of ``topology``, or a carrier ``down`` is not one
        of its carriers.
    ValueError
        When the topology has no ``city`` node (e.g. an imported real-world graph), or
        ``level`` or ``lang`` is unknown.

    Notes
    -----
    Every drawn item can be found by its matplotlib ``gid``: a label's gid is its group, e.g.
    ``"villages:广东省/梅州市/梅江区/金山街道"`` (the villages of that town),
    ``"towns:广东省/梅州市/兴宁市"`` (the towns and villages of a county),
    ``"departments:<division id>"`` or, for a single node, ``"<kind>:<node id>"``; each
    marker kind is one scatter with gid ``"markers:<kind>"`` (points in label order) and each
    carrier's lines one collection with gid ``"links:<carrier>"``.

    Examples
    --------
    >>> from netplan.examples import tiny_scenario
    >>> from netplan.topology import build_topology, survivability
    >>> from netplan.plot import plot_extranet
    >>> topo = build_topology(tiny_scenario())
    >>> hit = survivability(topo).affected_by_carrier("电信")
    >>> ax = plot_extranet(topo, highlight=hit)
    >>> ax.get_title()
    '甲市电子政务外网拓扑（红色：受影响节点）'
    >>> sorted(t.get_text() for t in ax.texts if (t.get_gid() or "").startswith("villages:"))
    ['1/2村', '1村', '2/3村']
    >>> ax = plot_extranet(topo, highlight=hit, down="电信", lang="en")
    >>> ax.get_title()
    '甲市 e-government extranet (电信 down) (red: affected sites)'
    >>> import matplotlib.pyplot as plt
    >>> plt.close("all")
    """
    check_lang(lang)
    if level != "auto" and level not in _LEVELS:
        raise ValueError(f"level={level!r}: one of auto, {', '.join(_LEVELS)}")
    nodes = topology.nodes
    kind = nodes["kind"]
    n_cities = int((kind == "city").sum())
    if n_cities == 0:
        raise ValueError(
            f"{topology.name or 'the topology'} has no city node; plot_extranet draws extranets "
            "built by netplan.topology.build_topology")
    down_set = _down_carriers(topology, down)
    n_provinces = int((kind == "province").sum())
    core = n_cities == 1
    if level == "auto":
        lowest = _auto_level(nodes, 4 if core else 3 if n_provinces <= 1 else 2, max_width_in)
    else:
        lowest = _LEVELS[level]
    if lowest == 1 and not (kind == "national").any():
        raise ValueError("level='province' draws the provinces under a national backbone node; "
                         f"{topology.name or 'the topology'} has none")

    hit = np.zeros(len(nodes), bool)
    if highlight is not None:
        ids = pd.Index(list(highlight))
        topology.require(ids)
        hit = nodes.index.isin(ids)

    # counties or higher as columns: the departments below them are counted in the column's
    # aggregate marker (a marker of their own would be linked to it by a horizontal line)
    merge = lowest <= 3
    key, gkind, anchor = _groups(nodes, lowest, core, merge)
    groups = _group_table(nodes, key, gkind, anchor, hit, lang)
    layout = _layout(nodes, groups, lowest, core, lang)
    edges = _edges(topology, key, groups)

    fig_w = _MARGIN_L + layout.width + _MARGIN_R
    content_h = layout.y_max - layout.y_min
    carriers = [c for c in topology.carriers if c in set(edges["carrier"])]
    if (edges["carrier"] == "").any():
        carriers.append("")
    if ax is None:
        import matplotlib.pyplot as plt

        n_entries = len(carriers) + 3 + 6 + (highlight is not None)
        ncol = max(1, min(n_entries, int(fig_w / 2.1)))
        legend_h = 0.3 + 0.24 * math.ceil(n_entries / ncol)
        title_h = 0.6
        fig_h = content_h + legend_h + title_h
        fig = plt.figure(figsize=(fig_w, fig_h))
        ax = fig.add_axes((0, legend_h / fig_h, 1, content_h / fig_h))
    ax.set_xlim(0, fig_w)
    ax.set_ylim(layout.y_min, layout.y_max)
    ax.set_aspect("equal", adjustable="datalim")
    ax.set_axis_off()

    colors = _carrier_colors(topology.carriers)
    _draw_bands(ax, layout, fig_w)
    _draw_edges(ax, edges, groups, layout, colors, topology.carriers, down_set)
    pops = nodes.index[(kind == "pop").to_numpy()]
    up = topology.links[topology.links["source"].isin(pops)]
    pop_carrier = up.groupby("source")["carrier"].first().to_dict()
    _draw_groups(ax, groups, layout, lowest, colors, pop_carrier, down_set)
    _legend(ax, groups, edges, carriers, colors, lowest, highlight is not None, down_set, lang,
            merge)

    if title is None:
        title = label("topo.title", lang, place=_place(nodes, lowest, core, lang))
        if down_set:
            sep = "、" if lang == "zh" else ", "
            title += label("topo.down_title", lang,
                           carriers=sep.join(c for c in topology.carriers if c in down_set))
        if highlight is not None:
            title += label("topo.affected", lang)
    ax.set_title(title, fontsize=15, pad=10)
    return ax


def plot_county(topology: Topology, county: str, *, highlight: Iterable[str] | None = None,
                down: str | Iterable[str] | None = None, title: str | None = None,
                lang: str = "zh", ax=None):
    """Draw one county of a city's extranet down to its towns, with the city core above.

    The detail of :func:`plot_extranet`'s overview: the county's towns get a column each, with
    their villages and departments counted under them ("21村", "部门×6"); the city core, its
    POPs, the cloud and the province backbone are drawn as in the overview, and the other
    counties are left out.

    Parameters
    ----------
    topology : Topology
        A built extranet with one city.
    county : str
        The county's node id (``广东省/梅州市/兴宁市``) or its name (``兴宁市``) when that is
        unique.
    highlight, down, lang, ax
        As in :func:`plot_extranet`; highlighted ids outside the county are ignored.
    title : str, optional
        Default "<city>电子政务外网拓扑（<county>）".

    Returns
    -------
    matplotlib.axes.Axes

    Raises
    ------
    UnknownNodeError
        When ``county`` names no county (or several), or a highlighted id is no node.

    Examples
    --------
    >>> from netplan.examples import tiny_scenario
    >>> from netplan.topology import build_topology
    >>> topo = build_topology(tiny_scenario())
    >>> ax = plot_county(topo, "A县")
    >>> ax.get_title()
    '甲市电子政务外网拓扑（A县）'
    >>> sorted(t.get_gid() for t in ax.texts if (t.get_gid() or "").startswith("county:"))
    ['county:测试省/甲市/A县']
    >>> import matplotlib.pyplot as plt
    >>> plt.close("all")
    """
    check_lang(lang)
    nodes = topology.nodes
    counties = nodes.index[(nodes["kind"] == "county").to_numpy()]
    if county in counties:
        cid = county
    else:
        named = counties[(nodes.loc[counties, "name"] == county).to_numpy()]
        if len(named) != 1:
            some = ", ".join(nodes.loc[counties, "name"].astype(str)[:10])
            raise UnknownNodeError(
                f"no county {county!r}" if not len(named) else
                f"{len(named)} counties are named {county!r}: pass the node id"
                + f" ({', '.join(named)})" + ("" if len(named) else f"; counties: {some}"))
        cid = named[0]
    owner = _ancestor(nodes, "county")
    others = nodes.index[(owner.notna() & (owner != cid)).to_numpy()]
    sub = topology.without(nodes=list(others)) if len(others) else topology
    hit = None
    if highlight is not None:
        ids = pd.Index(list(highlight))
        topology.require(ids)
        hit = ids[ids.isin(sub.nodes.index)]
    if title is None:
        city = nodes.at[nodes.at[cid, "parent"], "name"] if nodes.at[cid, "parent"] in \
            nodes.index else ""
        title = label("topo.title_county", lang, place=city, county=nodes.at[cid, "name"])
        down_set = _down_carriers(topology, down)
        if down_set:
            sep = "、" if lang == "zh" else ", "
            title += label("topo.down_title", lang,
                           carriers=sep.join(c for c in topology.carriers if c in down_set))
        if highlight is not None:
            title += label("topo.affected", lang)
    return plot_extranet(sub, highlight=hit, down=down, level="town", title=title, lang=lang,
                         ax=ax)


def _down_carriers(topology: Topology, down) -> frozenset:
    """The carriers ``down`` names, checked against the topology's."""
    if down is None:
        return frozenset()
    names = [down] if isinstance(down, str) else list(down)
    unknown = [c for c in names if c not in topology.carriers]
    if unknown:
        raise UnknownNodeError(f"no carrier {', '.join(map(repr, unknown))}; the topology has "
                               f"{', '.join(topology.carriers)}")
    return frozenset(names)


def _ancestor(nodes: pd.DataFrame, tier: str) -> pd.Series:
    """Per node: its ancestor (or itself) of kind ``tier``, NaN when it has none."""
    kind = nodes["kind"]
    parent = nodes["parent"]
    cur = pd.Series(nodes.index, index=nodes.index, dtype=object)
    found = pd.Series(np.where(kind == tier, cur, None), index=nodes.index, dtype=object)
    for _ in range(len(_RANK) + 1):
        cur = cur.map(parent)
        k = cur.map(kind)
        fill = found.isna() & (k == tier)
        if not cur.notna().any():
            break
        found[fill] = cur[fill]
    return found


def _auto_level(nodes: pd.DataFrame, deepest: int, max_width_in: float) -> int:
    """The deepest tier, from ``deepest`` up to the cities, whose columns fit the width."""
    kind = nodes["kind"]
    room = max_width_in - _MARGIN_L - _MARGIN_R
    for lowest in range(deepest, 1, -1):
        tier = [t for t, r in _RANK.items() if r == lowest][0]
        parent_tier = [t for t, r in _RANK.items() if r == lowest - 1][0]
        n_cols = int((kind == tier).sum())
        n_parents = int((kind == parent_tier).sum())
        if n_cols * _MIN_COL + max(n_parents - 1, 0) * _GAP <= room:
            return lowest
    return 1 if (kind == "province").sum() > 1 and (kind == "national").any() else 2


# --------------------------------------------------------------------------- grouping


def _groups(nodes: pd.DataFrame, lowest: int, core: bool,
            merge: bool = False) -> tuple[pd.Series, pd.Series, pd.Series]:
    """Per node: the key of the marker it is drawn in, that marker's kind and anchor node.

    With ``merge``, the departments of a drawn column's divisions are counted in the column's
    aggregate marker instead of a marker of their own. Works on positions (numpy), not on
    the string ids: a country has half a million nodes.
    """
    ids = nodes.index.to_numpy(dtype=object)
    kind = nodes["kind"].to_numpy(dtype=object)
    parent = nodes.index.get_indexer(nodes["parent"].to_numpy(dtype=object))
    rank = pd.Series(kind).map(_RANK).to_numpy(dtype=float)
    pos = np.arange(len(ids))
    dept = kind == "department"
    # walk up from each division (departments: from their division) to the lowest drawn tier
    base = np.where(dept, parent, pos)
    for _ in range(len(_RANK)):
        ok = base >= 0
        deeper = ok & (np.where(ok, rank[np.maximum(base, 0)], np.nan) > lowest)
        if not deeper.any():
            break
        base = np.where(deeper, parent[np.maximum(base, 0)], base)
    key = ids.copy()
    gkind = kind.copy()
    anchor = ids.copy()
    plural = _PLURAL[lowest + 1]
    below = rank > lowest
    base_ok = base >= 0
    base_rank = np.where(base_ok, rank[np.maximum(base, 0)], np.nan)
    base_id = np.where(base_ok, ids[np.maximum(base, 0)], None)
    if merge:
        below = below | (dept & (base_rank == lowest))
    dept_only = dept & ~below
    key[below] = [f"{plural}:{b}" for b in base_id[below]]
    gkind[below] = plural
    anchor[below] = base_id[below]
    key[dept_only] = [f"departments:{b}" for b in base_id[dept_only]]
    gkind[dept_only] = "departments"
    anchor[dept_only] = base_id[dept_only]
    if not core:  # several cities: the POPs and the egress are part of their city's marker
        services = ["pop", "egress"] if lowest >= 2 else ["pop", "egress", "cloud", "platform"]
        merged = np.isin(kind, services) & (parent >= 0)
        city = parent[merged]
        key[merged] = key[city]
        gkind[merged] = gkind[city]
        anchor[merged] = anchor[city]
    index = nodes.index
    return (pd.Series(key, index=index, dtype=object), pd.Series(gkind, index=index, dtype=object),
            pd.Series(anchor, index=index, dtype=object))


_SINGULAR = {"villages": "village", "towns": "town", "counties": "county", "cities": "city",
             "depts": "dept"}


def _one(text: str, n: int, lang: str) -> str:
    """English count labels of one: ``1 villages`` → ``1 village``."""
    if lang != "en" or n != 1:
        return text
    head, _, word = text.rpartition(" ")
    return f"{head} {_SINGULAR.get(word, word)}"


def _count(tier: str, n: int, a: int, lang: str) -> str:
    return _one(label(f"topo.unit_hit.{tier}", lang, a=a, n=n) if a
                else label(f"topo.unit.{tier}", lang, n=n), n, lang)


def _dept_count(n: int, a: int, lang: str) -> str:
    return _one(label("topo.dept_hit", lang, a=a, n=n) if a
                else label("topo.dept_count", lang, n=n), n, lang)


def _group_table(nodes, key, gkind, anchor, hit, lang: str) -> pd.DataFrame:
    """One row per marker (index: key, in node order) with counts and its label.

    ``parts`` holds an aggregated marker's count labels ("16镇", "3/388村"), ``label`` them
    joined by "·".
    """
    members = pd.DataFrame({"key": key.to_numpy(), "gkind": gkind.to_numpy(),
                            "anchor": anchor.to_numpy(), "kind": nodes["kind"].to_numpy(),
                            "name": nodes["name"].to_numpy(), "hit": hit})
    g = members.groupby("key", sort=False)
    groups = pd.DataFrame({"gkind": g["gkind"].first(), "anchor": g["anchor"].first(),
                           "n": g.size(), "hits": g["hit"].sum()})
    counts = members.groupby(["key", "kind"], sort=False).size().unstack(fill_value=0)
    hits = members[members["hit"]].groupby(["key", "kind"]).size().unstack(fill_value=0)
    hits = hits.reindex(index=counts.index, columns=counts.columns, fill_value=0)
    names = nodes["name"]
    labels, parts_of = [], []
    for k, row in groups.iterrows():
        gk = row["gkind"]
        parts = []
        if gk == "departments":
            n, a = int(counts.at[k, "department"]), int(hits.at[k, "department"])
            parts = [_dept_count(n, a, lang)]
            labels.append(parts[0])
        elif gk in _PLURAL.values():
            for tier in ("city", "county", "town", "village", "department"):
                if tier in counts.columns and counts.at[k, tier]:
                    n, a = int(counts.at[k, tier]), int(hits.at[k, tier])
                    parts.append(_count(tier, n, a, lang) if tier != "department" else
                                 _dept_count(n, a, lang))
            labels.append("·".join(parts) if lang == "zh" else " · ".join(parts))
        else:
            labels.append(names.get(row["anchor"], k))
        parts_of.append(parts)
    groups["label"] = labels
    groups["parts"] = parts_of
    groups["red"] = groups["hits"] > 0
    return groups


def _place(nodes: pd.DataFrame, lowest: int, core: bool, lang: str) -> str:
    """Name the region for the default title."""
    kind = nodes["kind"]
    if core:
        return str(nodes.loc[kind == "city", "name"].iloc[0])
    if (kind == "province").sum() == 1:
        return str(nodes.loc[kind == "province", "name"].iloc[0])
    return label("topo.all_country", lang)


# --------------------------------------------------------------------------- layout


def _layout(nodes: pd.DataFrame, groups: pd.DataFrame, lowest: int, core: bool,
            lang: str) -> _Layout:
    """Positions (inches) of every marker, the rows and the content's extent."""
    lay = _Layout(core=core, lang=lang)
    kind = nodes["kind"]
    parent = nodes["parent"]
    rank = kind.map(_RANK)
    cols = nodes.index[(rank == lowest).to_numpy()]
    parents = nodes.index[(rank == lowest - 1).to_numpy()]
    widest = 1.35 if lowest <= 3 and len(cols) <= 10 else 0.8  # few: horizontal labels
    col = min(widest, max(_MIN_COL, 9.0 / max(len(cols), 1)))
    lay.col = col
    # the parent row has horizontal labels (and its departments' marker beside them)
    min_span = 1.0 if lowest <= 2 else 1.35
    children = pd.Series(cols, index=cols).groupby(parent.loc[cols].to_numpy(), sort=False)
    children = {p: list(c) for p, c in children}
    xs: dict[str, float] = {}
    x = 0.0
    for p in parents:
        kids = children.get(p, [])
        span = max(len(kids) * col, min_span)
        start = x + (span - len(kids) * col) / 2
        for i, c in enumerate(kids):
            xs[c] = start + (i + 0.5) * col
        xs[p] = x + span / 2
        x += span + _GAP
    content_w = max(x - _GAP, 0.0)
    block_w = 10.5 if core else 6.0  # room for the city core block, or the title
    width = max(content_w, block_w)
    shift = _MARGIN_L + (width - content_w) / 2
    xs = {k: v + shift for k, v in xs.items()}
    # upper tiers: centred over their children
    for r in range(lowest - 2, -1, -1):
        upper = nodes.index[(rank == r).to_numpy()]
        lower = nodes.index[(rank == r + 1).to_numpy()]
        under = pd.Series([xs.get(c, np.nan) for c in lower], index=lower)
        span = under.groupby(parent.loc[lower].to_numpy()).agg(["min", "max"])
        for u in upper:
            xs[u] = (float(span.at[u, "min"] + span.at[u, "max"]) / 2 if u in span.index
                     else _MARGIN_L + width / 2)
    lay.width = width

    # rows, bottom up
    y_agg = 0.0
    y_col = 1.2 if not lay.wide else 1.05
    tiers = ["national", "province", "city", "county", "town"]
    rows = [_Row(label("topo.summary_row", lang), y_agg),
            _Row(tier_name(tiers[lowest], lang), y_col)]
    ys = {tiers[lowest]: y_col}
    y = y_col
    if not (core and lowest == 3):  # the parent row (a single city's is its core block)
        y = 2.55
        ys[tiers[lowest - 1]] = y
        rows.append(_Row(tier_name(tiers[lowest - 1], lang), y))
    y_core = y_pop = y
    if core:  # the city core block: core, then the POPs above it
        y_core, y_pop = y + 0.95, y + 1.65
        ys["city"] = y_core
        rows.append(_Row(label("topo.core_row", lang), (y_core + y_pop) / 2))
        y = y_pop
    for r in range(lowest - 2, -1, -1):
        t = tiers[r]
        if t == "city" and core:
            continue
        if (kind == t).any() and t not in ys:
            y += 0.95 if core else 1.4  # steeper uplinks across a wide province
            ys[t] = y
            rows.append(_Row(tier_name(t, lang), y))
    merged = any(gk in _PLURAL.values() for gk in groups["gkind"]) and not (
        groups["gkind"] == "departments").any()
    rows[0].name = label(f"topo.below.{lowest}{'d' if merged else ''}", lang)
    lay.rows = rows
    lay.y_min = y_agg - max(0.8 if not lay.wide else 0.55, 0.2 + _labels_below_in(groups, lay))
    lay.y_max = y + 0.55

    delta = col * 0.25
    xm = _MARGIN_L + width / 2
    y_top = ys.get("province", y_pop + 0.95)
    for k, row in groups.iterrows():
        gk, a = row["gkind"], row["anchor"]
        if gk in _PLURAL.values():
            has_dept = f"departments:{a}" in groups.index
            lay.x[k], lay.y[k] = xs[a] + (delta if has_dept else 0.0), y_agg
        elif gk == "departments":
            ra = _RANK[kind[a]]
            if ra == lowest:
                lay.x[k], lay.y[k] = xs[a] - delta, y_agg
            elif core and kind[a] == "city":
                lay.x[k], lay.y[k] = xm + 2.9, y_core
            else:  # beside the parent's box, away from the middle (where its uplinks go)
                side = 1.0 if xs[a] >= xm else -1.0
                lay.x[k], lay.y[k] = xs[a] + side * 0.6, ys[tiers[ra]] + 0.32
        elif gk in _RANK:
            lay.x[k], lay.y[k] = xs[a], ys[gk]
        elif core:
            _city_block(lay, k, gk, nodes, groups, xm, y_core, y_pop, y_top)
        else:  # cloud/platform beside their city
            city = nodes.at[a, "parent"]
            j = 0 if gk == "cloud" else 1
            lay.x[k] = xs[city] + (-0.22 if j == 0 else 0.22)
            lay.y[k] = ys["city"] + (0.42 if lowest == 3 else 0.62)
    return lay


def _text_in(text: str, fontsize: float) -> float:
    """Rough length of a one-line label, inches (CJK one em a character, others half an em)."""
    ems = sum(1.0 if ord(ch) > 0x2E80 else 0.5 for ch in text)
    return ems * fontsize / 72.0


def _labels_below_in(groups: pd.DataFrame, lay: _Layout) -> float:
    """How far the labels under the summary row's markers reach down, inches."""
    below = groups[groups["gkind"].isin([*_PLURAL.values(), "departments"])]
    if below.empty:
        return 0.0
    if lay.wide:  # horizontal, one count per line
        lines = max((len(p) for p in below["parts"]), default=1)
        return 6 / 72 + lines * 8 * 1.25 / 72
    return 6 / 72 + max(_text_in(str(t), 6.5) for t in below["label"])


def _city_block(lay: _Layout, k: str, gk: str, nodes, groups, xm: float, y_core: float,
                y_pop: float, y_top: float) -> None:
    """Positions of the POPs and services around a single city's core."""
    if gk == "pop":
        pops = list(groups.index[groups["gkind"] == "pop"])
        i = pops.index(k)
        lay.x[k], lay.y[k] = xm + (i - (len(pops) - 1) / 2) * 1.7, y_pop
    elif gk == "egress":
        lay.x[k], lay.y[k] = xm - 3.0, y_top
    else:  # clouds, then platforms, stacked on the left of the core
        services = list(groups.index[groups["gkind"].isin(["cloud", "platform"])])
        i = services.index(k)
        lay.x[k], lay.y[k] = xm - 2.5, y_core + 0.2 - i * 0.5


# --------------------------------------------------------------------------- edges


def _edges(topology: Topology, key: pd.Series, groups: pd.DataFrame) -> pd.DataFrame:
    """Links between markers: one row per (marker pair, carrier) with the number of links."""
    links = topology.links
    a = links["source"].map(key).to_numpy()
    b = links["target"].map(key).to_numpy()
    keep = a != b
    order = {k: i for i, k in enumerate(groups.index)}
    ia = np.array([order[x] for x in a[keep]], dtype=int)
    ib = np.array([order[x] for x in b[keep]], dtype=int)
    df = pd.DataFrame({"a": np.minimum(ia, ib), "b": np.maximum(ia, ib),
                       "carrier": links["carrier"].to_numpy()[keep]})
    out = df.groupby(["a", "b", "carrier"], sort=False).size().rename("n").reset_index()
    out["a"] = groups.index[out["a"].to_numpy()]
    out["b"] = groups.index[out["b"].to_numpy()]
    return out


def _carrier_colors(carriers: list[str]) -> dict[str, str]:
    colors = {"": _NO_CARRIER}
    others = iter(_OTHER_COLORS * (1 + len(carriers) // len(_OTHER_COLORS)))
    for c in carriers:
        colors[c] = CARRIER_COLORS.get(c) or next(others)
    return colors


def _draw_edges(ax, edges: pd.DataFrame, groups, lay: _Layout, colors, carriers,
                down: frozenset = frozenset()) -> None:
    from matplotlib.collections import LineCollection

    rank = {c: i for i, c in enumerate(carriers)}
    rank[""] = len(rank)
    segs: dict[str, list] = {}
    widths: dict[str, list] = {}
    pairs: dict[tuple[str, str], list[tuple[int, str, int]]] = {}
    for a, b, carrier, n in edges[["a", "b", "carrier", "n"]].itertuples(index=False):
        pairs.setdefault((a, b), []).append((rank.get(carrier, len(rank)), carrier, n))
    for (a, b), sub in pairs.items():
        sub.sort()
        x1, y1, x2, y2 = lay.x[a], lay.y[a], lay.x[b], lay.y[b]
        length = math.hypot(x2 - x1, y2 - y1) or 1.0
        nx_, ny_ = -(y2 - y1) / length, (x2 - x1) / length
        lws = [_lw(n) for _, _, n in sub]
        total = sum(lws) + _LINK_GAP_PT * (len(lws) - 1)
        pos = -total / 2
        for (_, carrier, _), lw in zip(sub, lws, strict=True):
            off = (pos + lw / 2) / 72.0
            pos += lw + _LINK_GAP_PT
            segs.setdefault(carrier, []).append(
                [(x1 + nx_ * off, y1 + ny_ * off), (x2 + nx_ * off, y2 + ny_ * off)])
            widths.setdefault(carrier, []).append(lw)
    for carrier in sorted(segs, key=lambda c: rank.get(c, len(rank))):
        failed = carrier in down
        ax.add_collection(LineCollection(
            segs[carrier], colors=DOWN_COLOR if failed else colors.get(carrier, _NO_CARRIER),
            linewidths=widths[carrier], linestyles=(0, (3, 2)) if failed else "solid",
            alpha=0.55 if failed else 0.8, zorder=0.9 if failed else 1, capstyle="butt",
            gid=f"links:{carrier}"))


# --------------------------------------------------------------------------- markers, labels


def _box(fc="#f5f5f5", ec="#666666", pad=0.25, lw=0.7):
    return dict(boxstyle=f"round,pad={pad}", fc=fc, ec=ec, lw=lw)


def _draw_groups(ax, groups: pd.DataFrame, lay: _Layout, lowest: int, colors,
                 pop_carrier: dict[str, str], down: frozenset = frozenset()) -> None:
    tiers = ["national", "province", "city", "county", "town"]
    col_tier = tiers[lowest]
    xm = _MARGIN_L + lay.width / 2
    lang = lay.lang
    for k, row in groups.iterrows():
        gk, red = row["gkind"], bool(row["red"])
        if gk not in _RANK:
            continue
        x, y, text = lay.x[k], lay.y[k], row["label"]
        ink = HIGHLIGHT_COLOR if red else _INK
        style = dict(ha="center", va="center", color=ink, zorder=4, gid=f"{gk}:{k}")
        if gk == col_tier:
            box = _box(_HIGHLIGHT_FILL if red else "#f5f5f5", HIGHLIGHT_COLOR if red else "#777",
                       pad=0.22, lw=0.6)
            if lay.wide:
                ax.text(x, y, text, fontsize=9, bbox=box, **style)
            else:
                ax.text(x, y, text, rotation=270, fontsize=7 if lowest == 4 else 7.5,
                        bbox=box, **style)
        elif gk == "city" and lay.core:
            box = _box(HIGHLIGHT_COLOR if red else "#3c4f65", "#1e2b38", pad=0.4, lw=0.8)
            style["color"] = "white"
            ax.text(x, y, label("topo.core", lang, name=text), fontsize=11, bbox=box, **style)
        else:
            size = {"national": 12, "province": 12, "city": 10, "county": 9.5}.get(gk, 9)
            fc = "#e8eef5" if gk in ("national", "province") else "#f5f5f5"
            box = _box(_HIGHLIGHT_FILL if red else fc, HIGHLIGHT_COLOR if red else "#666",
                       pad=0.35 if gk in ("national", "province") else 0.3)
            if gk == "national":
                text = label("topo.national_box", lang)
            elif gk == "province" and lowest >= 3:
                text = label("topo.province_box", lang, name=text)
            ax.text(x, y, text, fontsize=size, bbox=box, **style)
    for gk, (marker, size) in _MARKERS.items():
        sub = groups[groups["gkind"] == gk]
        if sub.empty:
            continue
        xy = np.array([(lay.x[k], lay.y[k]) for k in sub.index])
        face = np.where(sub["red"], HIGHLIGHT_COLOR, "white")
        if gk == "pop":  # the POP's carrier colour (grey when down), unless highlighted
            own = [DOWN_COLOR if pop_carrier.get(k, "") in down
                   else colors.get(pop_carrier.get(k, ""), "white") for k in sub.index]
            face = np.where(sub["red"], HIGHLIGHT_COLOR, own)
        ax.scatter(xy[:, 0], xy[:, 1], s=size, marker=marker, c=list(face),
                   edgecolors=np.where(sub["red"], "#7f0000", "#444444").tolist(),
                   linewidths=0.8, zorder=5, gid=f"markers:{gk}")
        for (x, y), (k, row) in zip(xy, sub.iterrows(), strict=True):
            _marker_label(ax, k, row, x, y, lay, xm, pop_carrier.get(k, "") in down)


def _marker_label(ax, k: str, row, x: float, y: float, lay: _Layout, xm: float,
                  failed: bool = False) -> None:
    gk, text, red = row["gkind"], row["label"], bool(row["red"])
    ink = HIGHLIGHT_COLOR if red else _INK
    style = dict(color=ink, zorder=6, gid=k if gk in ("departments", *_PLURAL.values())
                 else f"{gk}:{k}")
    halo = dict(boxstyle="square,pad=0.1", fc="white", ec="none", alpha=0.85)
    below = gk in _PLURAL.values() or (gk == "departments" and y < 0.5)
    if below and lay.wide:  # room for horizontal labels: one count per line
        ax.annotate("\n".join(row["parts"]) or text, (x, y), xytext=(0, -6),
                    textcoords="offset points", ha="center", va="top", fontsize=8,
                    linespacing=1.1, **style)
    elif below:
        ax.annotate(text, (x, y), xytext=(0, -6), textcoords="offset points", rotation=270,
                    ha="center", va="top", fontsize=6.5, **style)
    elif gk == "departments":
        right = x >= xm
        ax.annotate(text, (x, y), xytext=(6 if right else -6, 0), textcoords="offset points",
                    ha="left" if right else "right", va="center", fontsize=7.5, bbox=halo,
                    **style)
    elif not lay.core:  # cloud/platform beside a city: the legend names them
        return
    elif gk == "pop":
        if failed:
            style["color"] = "#888888"
        ax.annotate(text, (x, y), xytext=(0, 8), textcoords="offset points", ha="center",
                    va="bottom", fontsize=8.5, bbox=halo, **style)
    else:
        step = 9 if lay.lang == "zh" else 22
        wrapped = "\n".join(text[i:i + step] for i in range(0, len(text), step))
        ax.annotate(wrapped, (x, y), xytext=(-10, 0), textcoords="offset points", ha="right",
                    va="center", fontsize=8, linespacing=1.15, bbox=halo, **style)


def _draw_bands(ax, lay: _Layout, fig_w: float) -> None:
    rows = sorted(lay.rows, key=lambda r: r.y)
    mids = [(a.y + b.y) / 2 for a, b in zip(rows[:-1], rows[1:], strict=True)]
    edges = [lay.y_min, *mids, lay.y_max]
    for i, r in enumerate(rows):
        if i % 2 == 0:
            ax.axhspan(edges[i], edges[i + 1], color="#f3f5f8", zorder=0, lw=0)
        ax.text(0.15, r.y, r.name, ha="left", va="center", fontsize=10 if lay.lang == "zh" else 8.5,
                color="#5a6b7d", zorder=6, gid=f"tier:{r.name}")


def _legend(ax, groups, edges, carriers, colors, lowest: int, highlighted: bool,
            down: frozenset, lang: str, merge: bool = False) -> None:
    from matplotlib.lines import Line2D

    handles = []
    for c in carriers:
        if c in down:
            handles.append(Line2D([], [], color=DOWN_COLOR, lw=3, ls=(0, (3, 2)),
                                  label=label("topo.down", lang, carrier=c)))
        else:
            handles.append(Line2D([], [], color=colors[c], lw=3,
                                  label=c or label("topo.dedicated", lang)))
    most = int(edges["n"].max()) if len(edges) else 1
    widths = [n for n in (1, 10, 40) if n == 1 or n <= most]
    handles += [Line2D([], [], color="#777", lw=_lw(n),
                       label=label("topo.parallel_1", lang) if n == 1
                       else label("topo.parallel", lang, n=n)) for n in widths]
    kinds = set(groups["gkind"])
    names = {"pop": label("topo.pop", lang), "egress": label("topo.egress", lang),
             "cloud": label("topo.cloud", lang), "platform": label("topo.platform", lang),
             "departments": label("topo.departments", lang),
             _PLURAL[lowest + 1]: label(f"topo.agg.{lowest}{'d' if merge else ''}", lang)}
    for gk, (marker, size) in _MARKERS.items():
        if gk in kinds and gk in names:
            handles.append(Line2D([], [], ls="", marker=marker, ms=math.sqrt(size) * 0.9,
                                  mfc="white", mec="#444", label=names[gk]))
    if highlighted:
        handles.append(Line2D([], [], ls="", marker="o", ms=7, mfc=HIGHLIGHT_COLOR,
                              mec="#7f0000", label=label("topo.hit", lang)))
    per = 2.1 if lang == "zh" else 2.6
    ncol = max(1, min(len(handles), int(ax.figure.get_figwidth() / per)))
    ax.legend(handles=handles, loc="upper center", bbox_to_anchor=(0.5, 0.0), ncol=ncol,
              frameon=False, fontsize=9, handlelength=2.6, columnspacing=1.6)
