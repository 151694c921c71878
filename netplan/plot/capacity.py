"""Capacity plots: the cloud node's occupancy and utilisation per week, worst link loads."""

from __future__ import annotations

import numpy as np

from netplan.plot._labels import check_lang, label, tier_name
from netplan.plot._style import draws_with_cjk_font

__all__ = ["plot_cloud_utilisation", "plot_utilisation_by_tier"]

_CLOUD_COLOURS = {"vcpu": "tab:orange", "memory_gb": "tab:green", "storage_tb": "tab:purple",
                  "network_mbps": "tab:blue"}
_KINDS = ("uplink", "access", "egress", "datacenter", "interconnect")
_TIERS = ("national", "province", "city", "county", "town", "village")
BEFORE_COLOR = "#a6a6a6"
AFTER_COLOR = "#1f77b4"
LIMIT_COLOR = "#d62728"


@draws_with_cjk_font
def plot_cloud_utilisation(result, *, ax=None, lang: str = "zh"):
    """Occupancy (占用率) and utilisation (利用率) of the cloud node per week, with its rules.

    Two panels sharing the weeks: on top the occupancy of vCPU, memory, storage and network
    (allocated / capacity) against the expansion ceiling (``result.ceiling_pct``, a red
    dashed line, gid ``"ceiling"``); below the utilisation of vCPU, memory and storage (used /
    allocated) against the floor (``result.floor_pct``, when the scenario sets one, a dotted
    line, gid ``"floor"``) and the utilisation after the proposed 缩容 (a star at the last
    week, gid ``"after_shrink"``). Each resource keeps its colour in both panels.

    Parameters
    ----------
    result : CloudCapacity
        From :func:`netplan.capacity.cloud.cloud_capacity`.
    ax : matplotlib.axes.Axes or a pair of them, optional
        Two axes: occupancy into the first, utilisation into the second; one axes: both
        into it (utilisation dashed); None: a new figure with two panels.
    lang : str
        ``"zh"`` or ``"en"``: the language of the titles, axis labels and legends.

    Returns
    -------
    matplotlib.axes.Axes
        The occupancy axes (``ax.figure.axes`` has both).

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> from netplan.capacity.cloud import cloud_capacity
    >>> from netplan.examples import tiny_migration
    >>> scenario, inventory = tiny_migration()
    >>> ax = plot_cloud_utilisation(cloud_capacity(scenario, inventory=inventory))
    >>> [line.get_ydata()[0] for line in ax.lines if line.get_gid() == "ceiling"]
    [85.0]
    >>> import matplotlib.pyplot as plt
    >>> plt.close("all")
    """
    import matplotlib.pyplot as plt

    check_lang(lang)
    df = result.weekly
    if ax is None:
        fig, (occ_ax, util_ax) = plt.subplots(2, 1, figsize=(12, 6.5), sharex=True,
                                              layout="constrained")
    elif np.ndim(ax) == 0:
        occ_ax = util_ax = ax
    else:
        occ_ax, util_ax = list(ax)[:2]
    w = df["week"].to_numpy()
    marker = "o" if len(df) == 1 else None
    name = {k: label(f"cap.{k}", lang) for k in _CLOUD_COLOURS}
    for key, colour in _CLOUD_COLOURS.items():
        occ = df[f"{key}_occupancy_pct"].to_numpy(dtype=float)
        occ_ax.plot(w, occ, color=colour, marker=marker, gid=f"occupancy:{key}",
                    label=label("cap.occupancy_of", lang, name=name[key]), linewidth=1.6)
        if f"{key}_utilisation_pct" in df:
            util = df[f"{key}_utilisation_pct"].to_numpy(dtype=float)
            util_ax.plot(w, util, color=colour, linestyle="--", marker=marker,
                         gid=f"utilisation:{key}", linewidth=1.6,
                         label=label("cap.utilisation_of", lang, name=name[key]))
    occ_ax.axhline(result.ceiling_pct, color=LIMIT_COLOR, linestyle="--", linewidth=1.2,
                   gid="ceiling", label=label("cap.ceiling", lang, v=f"{result.ceiling_pct:g}"))
    if result.floor_pct is not None:
        util_ax.axhline(result.floor_pct, color=LIMIT_COLOR, linestyle=":", linewidth=1.2,
                        gid="floor", label=label("cap.floor", lang, v=f"{result.floor_pct:g}"))
        if not result.shrink.empty and len(w):
            util_ax.plot([w[-1]], [result.utilisation_after_shrink_pct], marker="*",
                         markersize=12, color="black", linestyle="none", gid="after_shrink",
                         label=label("cap.after_shrink", lang,
                                     v=f"{result.utilisation_after_shrink_pct:.1f}"))
    finite = df[[c for c in df.columns if c.endswith("_pct")]].to_numpy(dtype=float)
    finite = finite[np.isfinite(finite)]
    top = max(105.0, float(finite.max()) + 5 if finite.size else 105.0)
    dates = df["date"].tolist()
    xlabel = (label("cap.week0", lang, d=dates[0]) if dates and dates[0] is not None
              else label("cap.today", lang))
    split = occ_ax is not util_ax
    for a in {id(occ_ax): occ_ax, id(util_ax): util_ax}.values():
        a.set_ylim(0, top)
        a.set_ylabel("%")
        a.grid(alpha=0.3)
        a.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize=8, borderaxespad=0)
    util_ax.set_xlabel(xlabel)
    occ_ax.set_title(label("cap.cloud_title", lang, node=result.node))
    if split:
        occ_ax.set_ylabel(label("cap.occupancy", lang))
        util_ax.set_ylabel(label("cap.utilisation", lang))
    return occ_ax


def _link_class(kind: str, tier: str, lang: str) -> str:
    """``access/city`` → 接入 · 市级 / access · city."""
    k = f"cap.kind.{kind}"
    return f"{label(k, lang)} · {tier_name(tier, lang)}"


@draws_with_cjk_font
def plot_utilisation_by_tier(loads, after=None, *, ax=None, lang: str = "zh"):
    """Worst utilisation of the trunks per kind and tier, before (and after) the upgrades.

    One group of bars per link class (上联 · 县级, 接入 · 市级 ...: kind, then tier top
    down), each labelled with its value; grey before the upgrades, blue after; the red
    dotted line is 100 % (a bar above it is a trunk loaded beyond its capacity).

    Parameters
    ----------
    loads : netplan.capacity.LinkLoads
        The provisioned network's loads.
    after : netplan.capacity.LinkLoads, optional
        The upgraded network's, drawn beside.
    ax : matplotlib.axes.Axes, optional
    lang : str
        ``"zh"`` or ``"en"``: the language of the title, axis labels, classes and legend.

    Returns
    -------
    matplotlib.axes.Axes
        Bars have gid ``before:<kind>/<tier>`` and ``after:<kind>/<tier>``; the height is the
        highest utilisation of the class over every state and year loaded, %.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> from netplan.capacity.loads import link_loads
    >>> from netplan.examples import tiny_scenario
    >>> from netplan.topology import build_topology
    >>> s = tiny_scenario()
    >>> ax = plot_utilisation_by_tier(link_loads(s, build_topology(s)), lang="en")
    >>> ax.get_ylabel()
    'worst utilisation (%)'
    >>> import matplotlib.pyplot as plt
    >>> plt.close("all")
    """
    import matplotlib.pyplot as plt
    import pandas as pd

    check_lang(lang)

    def worst(ll) -> pd.Series:
        w = ll.worst_frame()
        w = w[w["kind"].isin(_KINDS)]
        w = w.assign(cls=w["kind"] + "/" + w["tier"])
        return w.replace([np.inf], np.nan).groupby("cls")["worst_utilisation_pct"].max()

    before = worst(loads)
    order = sorted(before.index, key=lambda c: (
        _KINDS.index(c.split("/")[0]),
        _TIERS.index(c.split("/")[1]) if c.split("/")[1] in _TIERS else len(_TIERS)))
    before = before.reindex(order)
    if ax is None:
        _, ax = plt.subplots(figsize=(max(8.0, 0.9 * len(before) + 2), 4.6),
                             layout="constrained")
    x = np.arange(len(before))
    width = 0.4 if after is not None else 0.7
    series = [("before", before, BEFORE_COLOR, label("cap.before", lang))]
    if after is not None:
        series.append(("after", worst(after).reindex(before.index), AFTER_COLOR,
                       label("cap.after", lang)))
    for i, (tag, values, colour, name) in enumerate(series):
        offset = (i - (len(series) - 1) / 2) * width
        bars = ax.bar(x + offset, values.to_numpy(dtype=float), width * 0.95, color=colour,
                      label=name)
        for bar, cls, v in zip(bars, values.index, values.to_numpy(dtype=float), strict=True):
            bar.set_gid(f"{tag}:{cls}")
            if np.isfinite(v):
                ax.annotate(f"{v:.0f}", (bar.get_x() + bar.get_width() / 2, v),
                            xytext=(0, 2), textcoords="offset points", ha="center",
                            va="bottom", fontsize=7.5,
                            color=LIMIT_COLOR if v > 100 else "0.25")
    ax.axhline(100, color=LIMIT_COLOR, linestyle=":", linewidth=1.2, gid="limit",
               label=label("cap.limit", lang))
    names = [_link_class(*c.split("/"), lang) for c in before.index]
    ax.set_xticks(x, names, rotation=30, ha="right", fontsize=9)
    top = np.nanmax(np.concatenate([v.to_numpy(dtype=float) for _, v, _, _ in series]),
                    initial=100.0)
    ax.set_ylim(0, top * 1.12)
    ax.set_ylabel(label("cap.worst_pct", lang))
    ax.set_title(label("cap.tier_title", lang))
    ax.grid(axis="y", alpha=0.3)
    ax.legend(loc="upper right", fontsize=8.5)
    return ax
