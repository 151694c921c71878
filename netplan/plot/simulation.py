"""Simulation plots: trunk utilisation and request latency over time, validation verdicts.

The functions draw what :func:`netplan.simulation.simulate_traffic` and
:func:`netplan.simulation.validate_interconnect` measured; they never simulate anything
themselves and never modify the result they are given. Faults logged in ``result.events`` are
drawn as shaded spans from the fault to its recovery (to the end of the run when it does not
recover), labelled with the fault (``carrier:电信``).

Node ids are long (``广东省/梅州市/兴宁市#部门02``); labels use their last path component
(``兴宁市#部门02``, ``梅州市#电信``).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

import numpy as np
import pandas as pd

from netplan.plot._style import use_cjk_font
from netplan.plot.topology import _TIER_NAME
from netplan.topology.analysis import TIER_ORDER

__all__ = ["plot_link_utilisation", "plot_request_latency", "plot_validation"]

#: Colour of the fault spans and their labels.
FAULT_COLOR = "#d62728"
_CASE_NAME = {"normal": "正常运行"}


def _short(node_id: str) -> str:
    """Display name of a node or unit id: its last path component (``梅州市#电信``)."""
    return str(node_id).rsplit("/", 1)[-1]


def _colors() -> list:
    """The colours of matplotlib's current property cycle."""
    import matplotlib as mpl

    return [c["color"] for c in mpl.rcParams["axes.prop_cycle"]]


def _tier_sorted(tiers) -> list:
    """Tiers in display order (city first), unknown ones last."""
    rank = {t: i for i, t in enumerate(TIER_ORDER)}
    return sorted(tiers, key=lambda t: rank.get(t, len(rank)))


def _new_axes(ax, figsize):
    """``ax``, or the axes of a new figure of ``figsize``."""
    import matplotlib.pyplot as plt

    if ax is None:
        _, ax = plt.subplots(figsize=figsize, layout="constrained")
    return ax


def _fault_intervals(events: pd.DataFrame, end_s: float) -> list[tuple[float, float, str]]:
    """``(start, end, label)`` of every fault in an event log, paired with its recovery.

    A recovery closes the earliest open fault of the same label; a fault never recovered lasts
    until ``end_s``.
    """
    open_: dict[str, list[float]] = {}
    spans = []
    if events is None or events.empty:
        return spans
    for t, what, label in events[["time_s", "event", "fault"]].itertuples(index=False):
        if what == "fault":
            open_.setdefault(label, []).append(float(t))
        elif what == "recovery" and open_.get(label):
            spans.append((open_[label].pop(0), float(t), label))
    for label, starts in open_.items():
        spans.extend((t, max(float(end_s), t), label) for t in starts)
    return sorted(spans)


def _draw_faults(ax, events: pd.DataFrame, start_s: float, end_s: float) -> list:
    """Shade fault→recovery intervals on ``ax``, each labelled at the top; returns the spans.

    The spans have gid ``fault:<label>``; the first one is labelled for the legend. A label
    sits where its span enters the view (``start_s`` on: the x axis begins there).
    """
    from matplotlib.transforms import blended_transform_factory

    spans = []
    trans = blended_transform_factory(ax.transData, ax.transAxes)
    for k, (t0, t1, label) in enumerate(_fault_intervals(events, end_s)):
        span = ax.axvspan(t0, t1, color=FAULT_COLOR, alpha=0.12, linewidth=0, zorder=0,
                          label="故障至恢复" if k == 0 else None)
        span.set_gid(f"fault:{label}")
        ax.text(max(t0, start_s), 0.98 - 0.06 * k, f" {label}", transform=trans, color=FAULT_COLOR,
                fontsize=8, ha="left", va="top", gid=f"fault-label:{label}")
        spans.append(span)
    return spans


def _title_case(case: str) -> str:
    return "" if case == "normal" else f"（{case}）"


def plot_link_utilisation(result, *, trunks: Iterable[int] | None = None, top: int = 8,
                          ax=None):
    """Utilisation (%) of trunks over time, with the faults shaded.

    One line per trunk, from the sampled ``result.utilisation`` (load / capacity in force
    every ``simulation.sample_s``, of the trunk's busier direction: lines are full duplex, each
    direction with the trunk's capacity). A trunk whose lines are all down shows 0 % (no
    capacity, no load).
    Labels name the trunk's ends by their last path component (``兴宁市 → 梅州市#电信``) and
    its carriers when the far end does not already say them (``兴田街道 → 兴宁市（移动+电信）``).
    A dotted line marks 100 %.

    Parameters
    ----------
    result : TrafficResult
        From :func:`netplan.simulation.simulate_traffic`.
    trunks : iterable of int, optional
        Trunk ids (``result.trunks`` index) to draw, in legend order. Default: the ``top``
        busiest by mean utilisation.
    top : int
        How many of the busiest trunks to draw when ``trunks`` is not given.
    ax : matplotlib.axes.Axes, optional
        Drawn into; a new figure when None.

    Returns
    -------
    matplotlib.figure.Figure

    Raises
    ------
    ValueError
        When a trunk id is not one of the result's trunks.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> from netplan.examples import tiny_scenario
    >>> from netplan.model.scenario import Fault
    >>> from netplan.simulation import simulate_traffic
    >>> r = simulate_traffic(tiny_scenario(), duration_s=300, seed=1,
    ...                      faults=[Fault(carrier="电信", at_s=100, duration_s=100)])
    >>> a_county = r.trunks.index[r.trunks["source"] == "测试省/甲市/A县"]  # its two uplinks
    >>> fig = plot_link_utilisation(r, trunks=a_county)
    >>> [t.get_text() for t in fig.axes[0].get_legend().get_texts()]
    ['A县 → 甲市#电信', 'A县 → 甲市#联通', '故障至恢复']
    >>> import matplotlib.pyplot as plt
    >>> plt.close(fig)
    """
    use_cjk_font()
    util = result.utilisation
    table = result.trunks
    if trunks is None:
        mean = util.mean(axis=0).sort_values(ascending=False, kind="stable")
        chosen = mean.index[:max(int(top), 0)].tolist()
    else:
        chosen = list(trunks)
        unknown = [t for t in chosen if t not in util.columns]
        if unknown:
            raise ValueError(f"no trunk {', '.join(map(str, unknown))} in the result; trunk ids "
                             f"are 0 to {len(util.columns) - 1} (result.trunks)")
    ax = _new_axes(ax, (10, 4.5))
    times = util.index.to_numpy(dtype=float)
    for t in chosen:
        row = table.loc[t]
        src, dst = _short(row["source"]), _short(row["target"])
        label = f"{src} → {dst}"
        carriers = "" if pd.isna(row["carriers"]) else str(row["carriers"])
        if carriers and not dst.endswith("#" + carriers):
            label += f"（{carriers}）"
        ax.plot(times, util[t].to_numpy(dtype=float) * 100.0, linewidth=1.2, label=label,
                gid=f"trunk:{t}")
    ax.axhline(100.0, color="0.3", linestyle=":", linewidth=1, gid="capacity")
    end = float(times.max()) if len(times) else 0.0
    _draw_faults(ax, result.events, float(times.min()) if len(times) else 0.0, end)
    ax.set_xlabel("时间（秒）")
    ax.set_ylabel("利用率（%）")
    ax.set_ylim(0, 110)
    if len(times):
        ax.set_xlim(float(times.min()), end)
    ax.set_title(f"链路利用率{_title_case(result.case)}")
    ax.grid(alpha=0.3)
    if chosen or len(result.events):
        ax.legend(fontsize=8, loc="upper left", bbox_to_anchor=(1.01, 1.0), borderaxespad=0)
    return ax.figure


def plot_request_latency(result, *, by: str = "tier", window_s: float = 60.0,
                         units: Sequence[str] | Mapping[str, Sequence[str]] | None = None,
                         ax=None):
    """Request latency over time: mean and p95 per time window, by tier or for given units.

    Only measured requests that completed (``klass == "request"``, ``status == "done"``) count;
    each is placed in the window of its start. A window in which a group completed no request
    (e.g. cut off by the fault) is a gap in its lines. Solid lines are means, dashed lines of the
    same colour the 95th percentiles.

    Parameters
    ----------
    result : TrafficResult
        From :func:`netplan.simulation.simulate_traffic`.
    by : str
        Column of ``result.flows`` to group by when ``units`` is not given: ``"tier"`` (shown
        as 市级/县级/镇级/村级), ``"destination"``, ``"unit"`` ...
    window_s : float
        Width of a time window, seconds.
    units : sequence of str or mapping of str to sequence of str, optional
        Unit ids (``result.flows["unit"]``, e.g. ``广东省/梅州市/兴宁市#部门02``; a town's
        villages are ``…/镇#村``), one group each; or a mapping from a label to the units
        pooled under it. ``by`` is then ignored.
    ax : matplotlib.axes.Axes, optional
        Drawn into; a new figure when None.

    Returns
    -------
    matplotlib.figure.Figure

    Raises
    ------
    ValueError
        When ``by`` is not a column, a unit has no flows at all in the result, or no measured
        request was completed.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> from netplan.examples import tiny_scenario
    >>> from netplan.model.scenario import Fault
    >>> from netplan.simulation import simulate_traffic
    >>> r = simulate_traffic(tiny_scenario(), duration_s=300, seed=1,
    ...                      faults=[Fault(carrier="电信", at_s=100, duration_s=100)])
    >>> fig = plot_request_latency(r, window_s=30)
    >>> [line.get_label() for line in fig.axes[0].lines][::2]    # and a p95 line after each
    ['市级 平均', '县级 平均', '镇级 平均', '村级 平均']
    >>> fig = plot_request_latency(r, units={"A县部门": ["测试省/甲市/A县#部门01"]})
    >>> [line.get_label() for line in fig.axes[0].lines]
    ['A县部门 平均', 'A县部门 p95']
    >>> import matplotlib.pyplot as plt
    >>> plt.close("all")
    """
    use_cjk_font()
    if not window_s > 0:
        raise ValueError(f"window_s={window_s!r} must be positive")
    flows = result.flows
    measured = flows[flows["measured"].to_numpy(dtype=bool)
                     & (flows["klass"] == "request").to_numpy()]
    done = measured[(measured["status"] == "done").to_numpy()]
    if done.empty:
        raise ValueError("no measured request completed in this result: nothing to draw")
    groups: list[tuple[str, pd.DataFrame]] = []
    if units is not None:
        pools = ({str(k): list(v) for k, v in units.items()} if isinstance(units, Mapping)
                 else {_short(u): [u] for u in units})
        known = set(flows["unit"].unique())
        unknown = [u for ids in pools.values() for u in ids if u not in known]
        if unknown:
            raise ValueError(f"no flows from unit(s) {', '.join(unknown[:5])} in the result; "
                             "units are the values of result.flows['unit']")
        for label, ids in pools.items():
            groups.append((label, done[done["unit"].isin(ids)]))
    else:
        if by not in flows.columns:
            raise ValueError(f"cannot group by {by!r}: not a column of result.flows")
        keys = list(pd.unique(done[by]))
        keys = _tier_sorted(keys) if by == "tier" else sorted(keys, key=str)
        for k in keys:
            name = (_TIER_NAME.get(k, str(k)) if by == "tier"
                    else _short(k) if by in ("unit", "source") else str(k))
            groups.append((name, done[(done[by] == k).to_numpy()]))

    # one grid of windows for every group: gaps show where a group completed nothing
    first = np.floor(measured["start_s"].min() / window_s)
    last = np.floor(measured["start_s"].max() / window_s)
    grid = np.arange(first, last + 1) * window_s
    ax = _new_axes(ax, (10, 4.5))
    colors = _colors()
    for k, (label, g) in enumerate(groups):
        w = np.floor(g["start_s"].to_numpy(dtype=float) / window_s) * window_s
        lat = pd.Series(g["latency_ms"].to_numpy(dtype=float), index=w)
        by_w = lat.groupby(level=0)
        stats = pd.DataFrame({"mean": by_w.mean(), "p95": by_w.quantile(0.95)}).reindex(grid)
        x = grid + window_s / 2
        color = colors[k % len(colors)]
        ax.plot(x, stats["mean"].to_numpy(), color=color, linewidth=1.4, marker=".",
                label=f"{label} 平均", gid=f"mean:{label}")
        ax.plot(x, stats["p95"].to_numpy(), color=color, linewidth=1.0, linestyle="--",
                label=f"{label} p95", gid=f"p95:{label}")
    end = float(grid[-1] + window_s)
    _draw_faults(ax, result.events, float(grid[0]), end)
    ax.set_xlim(float(grid[0]), end)
    ax.set_ylim(bottom=0)
    ax.set_xlabel(f"请求开始时间（秒，{window_s:g} 秒窗口）")
    ax.set_ylabel("请求时延（毫秒）")
    ax.set_title(f"业务请求时延：平均与 p95{_title_case(result.case)}")
    ax.grid(alpha=0.3)
    ax.legend(fontsize=8, loc="upper left", bbox_to_anchor=(1.01, 1.0), borderaxespad=0)
    return ax.figure


def plot_validation(validation, ax=None):
    """Failed checks per failure case and tier, as grouped bars of the failed share.

    One group of bars per tier (市级, 县级, 镇级, 村级), one bar per case (正常运行 first); a
    bar's height is the share of the tier's checks that failed in that case, and its label says
    ``failed/total`` (red when any failed). The title counts the (case, tier) verdicts that
    PASS and FAIL (:meth:`InterconnectValidation.verdict`).

    Parameters
    ----------
    validation : InterconnectValidation
        From :func:`netplan.simulation.validate_interconnect`.
    ax : matplotlib.axes.Axes, optional
        Drawn into; a new figure when None.

    Returns
    -------
    matplotlib.figure.Figure

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> from netplan.examples import tiny_scenario
    >>> from netplan.simulation import validate_interconnect
    >>> v = validate_interconnect(tiny_scenario(), duration_s=300, cases=[])
    >>> fig = plot_validation(v)
    >>> fig.axes[0].get_title()
    '互联互通验证：4 项 PASS，0 项 FAIL（用例 × 层级）'
    >>> import matplotlib.pyplot as plt
    >>> plt.close(fig)
    """
    use_cjk_font()
    verdict = validation.verdict()
    ax = _new_axes(ax, (9, 4.5))
    cases = [c for c in dict.fromkeys([*validation.cases, *verdict["case"]])
             if (verdict["case"] == c).any()]
    tiers = _tier_sorted(verdict["tier"].unique())
    width = 0.8 / max(len(cases), 1)
    colors = _colors()
    top = 0.0
    for i, case in enumerate(cases):
        rows = verdict[verdict["case"] == case].set_index("tier")
        present = [(j, t) for j, t in enumerate(tiers) if t in rows.index]
        failed = np.array([rows.at[t, "failed_checks"] for _, t in present], dtype=int)
        checks = np.array([rows.at[t, "checks"] for _, t in present], dtype=int)
        share = 100.0 * np.divide(failed, checks, out=np.zeros(len(present)), where=checks > 0)
        color = "0.55" if case == "normal" else colors[i % len(colors)]
        bars = ax.bar([j - 0.4 + (i + 0.5) * width for j, _ in present], share,
                      width=width * 0.92, color=color, label=_CASE_NAME.get(case, case))
        for bar, (_, tier), n_bad, n in zip(bars, present, failed, checks, strict=True):
            bar.set_gid(f"validation:{case}:{tier}")
            ax.annotate(f"{n_bad}/{n}", (bar.get_x() + bar.get_width() / 2, bar.get_height()),
                        xytext=(0, 2), textcoords="offset points", ha="center", va="bottom",
                        fontsize=8, color=FAULT_COLOR if n_bad else "0.25")
        top = max(top, float(share.max(initial=0.0)))
    ax.set_xticks(range(len(tiers)), [_TIER_NAME.get(t, t) for t in tiers])
    ax.set_ylim(0, min(max(10.0, top * 1.2), 118.0))
    ax.set_ylabel("未通过检查占比（%）")
    ax.set_xlabel("层级（标注：未通过/检查数）")
    n_pass = int((verdict["verdict"] == "PASS").sum())
    n_fail = int((verdict["verdict"] == "FAIL").sum())
    ax.set_title(f"互联互通验证：{n_pass} 项 PASS，{n_fail} 项 FAIL（用例 × 层级）")
    ax.grid(axis="y", alpha=0.3)
    if cases:
        ax.legend(fontsize=8, title="用例", title_fontsize=8, loc="upper left")
    return ax.figure
