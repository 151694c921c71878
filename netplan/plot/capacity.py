"""Capacity plots: the cloud node's occupancy and utilisation per week."""

from __future__ import annotations

import numpy as np

from netplan.plot._style import use_cjk_font

__all__ = ["plot_cloud_utilisation"]

_CLOUD_COLOURS = {"vcpu": "tab:orange", "memory_gb": "tab:green", "storage_tb": "tab:purple",
                  "network_mbps": "tab:blue"}
_CLOUD_NAMES = {"vcpu": "vCPU", "memory_gb": "内存", "storage_tb": "存储",
                "network_mbps": "网络"}


def plot_cloud_utilisation(result, *, ax=None):
    """Occupancy (占用率) and utilisation (利用率) of the cloud node per week, with its rules.

    Solid lines: occupancy of vCPU, memory, storage and network (allocated / capacity);
    dashed lines: utilisation of vCPU, memory and storage (used / allocated). The ceiling
    (``result.ceiling_pct``) is a red dashed line (gid ``"ceiling"``), the floor
    (``result.floor_pct``, when the scenario sets one) a dotted one (gid ``"floor"``), and
    the utilisation after the proposed 缩容 a star at the last week (gid ``"after_shrink"``).

    Parameters
    ----------
    result : CloudCapacity
        From :func:`netplan.capacity.cloud.cloud_capacity`.
    ax : matplotlib.axes.Axes, optional
        Drawn into; a new figure when None.

    Returns
    -------
    matplotlib.axes.Axes

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
    """
    import matplotlib.pyplot as plt

    use_cjk_font()
    df = result.weekly
    if ax is None:
        _, ax = plt.subplots(figsize=(13, 4.5))
    w = df["week"].to_numpy()
    marker = "o" if len(df) == 1 else None
    for name, colour in _CLOUD_COLOURS.items():
        occ = df[f"{name}_occupancy_pct"].to_numpy(dtype=float)
        ax.plot(w, occ, color=colour, marker=marker, gid=f"occupancy:{name}",
                label=f"{_CLOUD_NAMES[name]} 占用率")
        if f"{name}_utilisation_pct" in df:
            util = df[f"{name}_utilisation_pct"].to_numpy(dtype=float)
            ax.plot(w, util, color=colour, linestyle="--", marker=marker,
                    gid=f"utilisation:{name}", label=f"{_CLOUD_NAMES[name]} 利用率")
    ax.axhline(result.ceiling_pct, color="tab:red", linestyle="--", linewidth=1.2,
               gid="ceiling", label=f"扩容阈值 {result.ceiling_pct:g}%")
    if result.floor_pct is not None:
        ax.axhline(result.floor_pct, color="tab:red", linestyle=":", linewidth=1.2,
                   gid="floor", label=f"利用率目标 {result.floor_pct:g}%")
        if not result.shrink.empty and len(w):
            ax.plot([w[-1]], [result.utilisation_after_shrink_pct], marker="*", markersize=12,
                    color="black", linestyle="none", gid="after_shrink",
                    label=f"缩容后利用率 {result.utilisation_after_shrink_pct:.1f}%")
    finite = df[[c for c in df.columns if c.endswith("_pct")]].to_numpy(dtype=float)
    finite = finite[np.isfinite(finite)]
    top = max(105.0, float(finite.max()) + 5 if finite.size else 105.0)
    ax.set_ylim(0, top)
    ax.set_ylabel("%")
    dates = df["date"].tolist()
    if dates and dates[0] is not None:
        first = dates[0]
        ax.set_xlabel(f"周（第 0 周截至 {first}）")
    else:
        ax.set_xlabel("现状")
    ax.set_title(f"{result.node}：资源占用率与利用率")
    ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize=8, borderaxespad=0)
    ax.grid(alpha=0.3)
    return ax


def plot_utilisation_by_tier(loads, after=None, *, ax=None):
    """Worst utilisation of the trunks per tier and kind, before (and after) the upgrades.

    Parameters
    ----------
    loads : netplan.capacity.LinkLoads
        The provisioned network's loads.
    after : netplan.capacity.LinkLoads, optional
        The upgraded network's, drawn beside.
    ax : matplotlib.axes.Axes, optional

    Returns
    -------
    matplotlib.axes.Axes
        Bars: per link class (``kind/tier``) the highest utilisation over every state and
        year loaded; the 100% line.
    """
    import matplotlib.pyplot as plt

    use_cjk_font()
    if ax is None:
        _, ax = plt.subplots(figsize=(9, 4))

    def worst(ll):
        w = ll.worst_frame()
        w = w[w["kind"].isin(["uplink", "access", "egress", "datacenter", "interconnect"])]
        w = w.assign(cls=w["kind"] + "/" + w["tier"])
        return w.replace([np.inf], np.nan).groupby("cls")["worst_utilisation_pct"].max()

    before = worst(loads)
    x = np.arange(len(before))
    width = 0.4 if after is not None else 0.8
    ax.bar(x - (width / 2 if after is not None else 0), before.to_numpy(), width,
           label="升级前 before", color="tab:red")
    if after is not None:
        aft = worst(after).reindex(before.index)
        ax.bar(x + width / 2, aft.to_numpy(), width, label="升级后 after", color="tab:green")
    ax.axhline(100, color="k", linestyle=":", linewidth=1)
    ax.set_xticks(x, before.index, rotation=30, ha="right")
    ax.set_ylabel("最高利用率 worst utilisation %")
    ax.set_title("各层链路最高利用率（所有故障状态、规划年）")
    ax.legend()
    return ax
