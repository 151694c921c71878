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

from netplan.plot._labels import check_lang, label, tier_name
from netplan.plot._style import draws_with_cjk_font
from netplan.topology.analysis import TIER_ORDER

__all__ = ["plot_link_utilisation", "plot_request_latency", "plot_validation"]

#: Colour of the fault spans and their labels.
FAULT_COLOR = "#d62728"
#: Colours of the band drawn for the links not drawn one by one.
BAND_COLOR = "#9e9e9e"
_RANKS = ("p95", "peak", "mean")


def _short(node_id: str) -> str:
    """Display name of a node or unit id: its last path component (``梅州市#电信``)."""
    return str(node_id).rsplit("/", 1)[-1]


def _site(node_id: str) -> str:
    """Readable name of a trunk end: its last path component, with its town for a village.

    A village's own name (``村001``) says nothing without its town, so a node five levels
    down (province/city/county/town/village) is shown as ``金山街道/村001``.
    """
    parts = str(node_id).split("/")
    if len(parts) >= 5 and "#" not in parts[-1]:
        return "/".join(parts[-2:])
    return parts[-1]


def _case_name(case: str, lang: str) -> str:
    return label("sim.normal", lang) if case == "normal" else str(case)


def _fault_name(fault: str, lang: str) -> str:
    """``carrier:电信`` → 电信 中断 / 电信 down; ``link:A -- B`` → 链路 A -- B 中断."""
    what, _, name = str(fault).partition(":")
    if what == "carrier" and name:
        return label("sim.fault.carrier", lang, name=name)
    if what == "link" and name:
        return label("sim.fault.link", lang, name=" -- ".join(_short(x.strip())
                                                               for x in name.split("--")))
    return str(fault)


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
    for t, what, fault in events[["time_s", "event", "fault"]].itertuples(index=False):
        if what == "fault":
            open_.setdefault(fault, []).append(float(t))
        elif what == "recovery" and open_.get(fault):
            spans.append((open_[fault].pop(0), float(t), fault))
    for fault, starts in open_.items():
        spans.extend((t, max(float(end_s), t), fault) for t in starts)
    return sorted(spans)


def _draw_faults(ax, events: pd.DataFrame, start_s: float, end_s: float,
                 lang: str = "zh") -> list:
    """Shade fault→recovery intervals on ``ax``, each labelled at the top; returns the spans.

    The spans have gid ``fault:<label>``; the first one is labelled for the legend. A label
    (``电信 中断`` / ``电信 down``) sits where its span enters the view (``start_s`` on: the
    x axis begins there).
    """
    from matplotlib.transforms import blended_transform_factory

    spans = []
    trans = blended_transform_factory(ax.transData, ax.transAxes)
    for k, (t0, t1, fault) in enumerate(_fault_intervals(events, end_s)):
        span = ax.axvspan(t0, t1, color=FAULT_COLOR, alpha=0.08, linewidth=0, zorder=0,
                          label=label("sim.fault_span", lang) if k == 0 else None)
        span.set_gid(f"fault:{fault}")
        ax.text(max(t0, start_s), 0.98 - 0.06 * k, f" {_fault_name(fault, lang)}",
                transform=trans, color=FAULT_COLOR, fontsize=8, ha="left", va="top",
                gid=f"fault-label:{fault}")
        spans.append(span)
    return spans


def _title_case(case: str, lang: str = "zh") -> str:
    return "" if case == "normal" else label("sim.case", lang, case=case)


def _trunk_label(row, lang: str) -> str:
    """``兴宁市 → 梅州市#电信``, with the carriers when the far end does not say them."""
    src, dst = _site(row["source"]), _site(row["target"])
    text = f"{src} → {dst}"
    carriers = "" if pd.isna(row["carriers"]) else str(row["carriers"])
    if carriers and not dst.endswith("#" + carriers):
        text += f"（{carriers}）" if lang == "zh" else f" ({carriers})"
    return text


def _quiet_nanpercentile(a: np.ndarray, q, axis: int) -> np.ndarray:
    """``np.nanpercentile`` without the warning for an all-NaN slice (its result is NaN)."""
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        return np.nanpercentile(a, q, axis=axis)


def _rank_trunks(util: pd.DataFrame, rank: str) -> pd.Series:
    """Per trunk: its p95, peak or mean utilisation over the run (NaN readings ignored)."""
    values = util.to_numpy(dtype=float)
    if rank == "p95":
        stat = _quiet_nanpercentile(values, 95, axis=0) if len(values) else np.full(
            values.shape[1], np.nan)
    elif rank == "peak":
        stat = util.max(axis=0).to_numpy(dtype=float)
    else:
        stat = util.mean(axis=0).to_numpy(dtype=float)
    return pd.Series(stat, index=util.columns)


@draws_with_cjk_font
def plot_link_utilisation(result, *, trunks: Iterable[int] | None = None, top: int = 6,
                          rank: str = "p95", band: bool = True, histogram: bool = True,
                          lang: str = "zh", ax=None):
    """Utilisation (%) over time of the busiest trunks, the spread of the others, the faults.

    A network has thousands of trunks, too many for a line each: the ``top`` busiest (by
    ``rank``) get a line of their own, labelled with their ends and that statistic, and every
    other trunk goes into a grey band: at each sample the median over them (a dashed line),
    the range from the median to their 90th percentile (shaded) and their maximum (a thin
    line). A panel on the right counts the trunks of each tier by that statistic in 10 %
    steps (on a new figure only). The samples are
    ``result.utilisation`` (load / capacity in force every ``simulation.sample_s``, of the
    trunk's busier direction: lines are full duplex, each direction with the trunk's
    capacity). A trunk whose lines are all down has no reading there (a gap).
    Labels name the trunk's ends by their last path component (``兴宁市 → 梅州市#电信``, a
    village with its town: ``金山街道/村001``) and its carriers when the far end does not
    already say them (``兴田街道 → 兴宁市（移动+电信）``). A dotted line marks 100 %.

    Parameters
    ----------
    result : TrafficResult
        From :func:`netplan.simulation.simulate_traffic`.
    trunks : iterable of int, optional
        Trunk ids (``result.trunks`` index) to draw one by one, in legend order. Default: the
        ``top`` busiest by ``rank``.
    top : int
        How many of the busiest trunks get a line when ``trunks`` is not given.
    rank : str
        What "busiest" means: ``"p95"`` (95th percentile of the samples), ``"peak"`` or
        ``"mean"`` utilisation.
    band : bool
        Draw the median, p90 and maximum of the trunks without a line of their own.
    histogram : bool
        Add the panel counting trunks by utilisation (only when ``ax`` is None).
    lang : str
        ``"zh"`` or ``"en"``: the language of the title, axis labels and legend.
    ax : matplotlib.axes.Axes, optional
        Drawn into; a new figure when None.

    Returns
    -------
    matplotlib.figure.Figure
        Trunk lines have gid ``trunk:<id>``, the band ``band:p50-p90`` (a fill),
        ``band:median`` and ``band:max`` (lines), the 100 % line ``capacity``, the
        histogram's bars ``hist:<tier>``.

    Raises
    ------
    ValueError
        When a trunk id is not one of the result's trunks, or ``rank`` is unknown.

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
    >>> fig = plot_link_utilisation(r, trunks=a_county, band=False)
    >>> [t.get_text() for t in fig.axes[0].get_legend().get_texts()]
    ['A县 → 甲市#电信', 'A县 → 甲市#联通', '故障至恢复']
    >>> fig = plot_link_utilisation(r, lang="en")
    >>> len([x for x in fig.axes[0].lines if x.get_gid().startswith("trunk:")])
    6
    >>> import matplotlib.pyplot as plt
    >>> plt.close("all")
    """
    check_lang(lang)
    if rank not in _RANKS:
        raise ValueError(f"rank={rank!r}: one of {', '.join(_RANKS)}")
    util = result.utilisation
    table = result.trunks
    stat = _rank_trunks(util, rank)
    if trunks is None:
        mean = util.mean(axis=0).to_numpy(dtype=float)
        known = np.isfinite(stat.to_numpy())
        # busiest first; ties (many lines peak at 100 %) broken by the mean
        order = np.lexsort((-np.nan_to_num(mean), -np.nan_to_num(stat.to_numpy())))
        chosen = [util.columns[i] for i in order if known[i]][:max(int(top), 0)]
        ranked = True
    else:
        chosen = list(trunks)
        unknown = [t for t in chosen if t not in util.columns]
        if unknown:
            raise ValueError(f"no trunk {', '.join(map(str, unknown))} in the result; trunk ids "
                             f"are 0 to {len(util.columns) - 1} (result.trunks)")
        ranked = False
    hist_ax = None
    if ax is None:
        import matplotlib.pyplot as plt

        fig = plt.figure(figsize=(12, 6.2), layout="constrained")
        if histogram:
            ax, hist_ax = fig.subplots(1, 2, sharey=True, width_ratios=[4, 1.2])
        else:
            ax = fig.subplots()
    times = util.index.to_numpy(dtype=float)
    chosen_set = set(chosen)
    rest = [t for t in util.columns if t not in chosen_set]
    if band and rest and len(times):
        values = util[rest].to_numpy(dtype=float) * 100.0
        mid, p90, hi = (_quiet_nanpercentile(values, q, axis=1) for q in (50, 90, 100))
        fill = ax.fill_between(times, mid, p90, color=BAND_COLOR, alpha=0.45, linewidth=0,
                               label=label("sim.band_p50_p90", lang, n=len(rest)), zorder=1)
        fill.set_gid("band:p50-p90")
        ax.plot(times, mid, color="0.3", linestyle="--", linewidth=1.0, zorder=2,
                label=label("sim.band_median", lang, n=len(rest)), gid="band:median")
        ax.plot(times, hi, color="0.45", linestyle="-", linewidth=0.7, alpha=0.8, zorder=2,
                label=label("sim.band_max", lang, n=len(rest)), gid="band:max")
    colors = _colors()
    for k, t in enumerate(chosen):
        text = _trunk_label(table.loc[t], lang)
        if ranked and np.isfinite(stat[t]):
            text += f" · {label('sim.rank.' + rank, lang)} {stat[t] * 100:.0f}%"
        ax.plot(times, util[t].to_numpy(dtype=float) * 100.0, linewidth=1.5, label=text,
                color=colors[k % len(colors)], gid=f"trunk:{t}", zorder=3)
    ax.axhline(100.0, color="0.3", linestyle=":", linewidth=1, gid="capacity")
    end = float(times.max()) if len(times) else 0.0
    _draw_faults(ax, result.events, float(times.min()) if len(times) else 0.0, end, lang)
    ax.set_xlabel(label("sim.time_s", lang))
    ax.set_ylabel(label("sim.utilisation_pct", lang))
    ax.set_ylim(0, 110)
    if len(times):
        ax.set_xlim(float(times.min()), end)
    case = _title_case(result.case, lang)
    if ranked and rest:
        ax.set_title(label("sim.util_title_top", lang, case=case, n=len(chosen),
                           rank=label("sim.rank." + rank, lang), rest=len(rest)), fontsize=11)
    else:
        ax.set_title(label("sim.util_title", lang, case=case), fontsize=11)
    ax.grid(alpha=0.3)
    if hist_ax is not None:
        _utilisation_histogram(hist_ax, stat, table, rank, lang)
    if chosen or len(result.events) or (band and rest):
        if hist_ax is not None:
            ax.legend(fontsize=8, loc="upper left", bbox_to_anchor=(0.0, -0.13), ncol=2,
                      borderaxespad=0, frameon=False)
        else:
            ax.legend(fontsize=8, loc="upper left", bbox_to_anchor=(1.01, 1.0),
                      borderaxespad=0)
    return ax.figure


def _utilisation_histogram(ax, stat: pd.Series, table: pd.DataFrame, rank: str,
                           lang: str) -> None:
    """Horizontal bars: how many trunks of each tier have their ``rank`` statistic in each 10 %."""
    edges = np.linspace(0, 100, 11)
    pct = stat.to_numpy(dtype=float) * 100.0
    ok = np.isfinite(pct)
    idx = np.clip(np.searchsorted(edges, pct[ok], side="right") - 1, 0, 9)
    tiers = table["tier"].to_numpy()[ok]
    left = np.zeros(10)
    palette = {"city": "#08519c", "county": "#3182bd", "town": "#6baed6", "village": "#bdd7e7"}
    for tier in _tier_sorted(pd.unique(tiers)):
        counts = np.bincount(idx[tiers == tier], minlength=10).astype(float)
        bars = ax.barh(edges[:-1] + 5, counts, height=9, left=left,
                       color=palette.get(tier, BAND_COLOR), edgecolor="white", linewidth=0.5,
                       label=tier_name(tier, lang))
        for bar in bars:
            bar.set_gid(f"hist:{tier}")
        left += counts
    for y, n in zip(edges[:-1] + 5, left, strict=True):
        if n:
            ax.annotate(f"{n:.0f}", (n, y), xytext=(2, 0), textcoords="offset points",
                        ha="left", va="center", fontsize=7, color="0.25")
    ax.set_xlim(0, max(left.max(initial=0.0) * 1.25, 1.0))
    ax.set_xlabel(label("sim.hist_x", lang))
    ax.set_title(label("sim.hist_title", lang, rank=label("sim.rank." + rank, lang)),
                 fontsize=10)
    ax.grid(axis="x", alpha=0.3)
    ax.legend(fontsize=7, loc="lower right", title=label("sim.tier", lang), title_fontsize=7)
    ax.tick_params(axis="y", labelleft=False)


@draws_with_cjk_font
def plot_request_latency(result, *, by: str = "tier", window_s: float = 60.0,
                         units: Sequence[str] | Mapping[str, Sequence[str]] | None = None,
                         top: int = 4, lang: str = "zh", ax=None):
    """Request latency over time: mean and p95 per time window, by tier or for given units.

    Only measured requests that completed (``klass == "request"``, ``status == "done"``) count;
    each is placed in the window of its start. A window in which a group completed no request
    (e.g. cut off by the fault) is a gap in its lines. Solid lines are means, dashed lines of the
    same colour the 95th percentiles. With more than ``top`` groups (e.g. ``by="unit"``), the
    ``top`` with the highest p95 over the run get their lines and the others are pooled into
    one grey group (其余 N 组 / other N).

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
    top : int
        Most groups drawn one by one; the others are pooled.
    lang : str
        ``"zh"`` or ``"en"``: the language of the title, axis labels and legend.
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
    >>> fig = plot_request_latency(r, units={"A县部门": ["测试省/甲市/A县#部门01"]}, lang="en")
    >>> [line.get_label() for line in fig.axes[0].lines]
    ['A县部门 mean', 'A县部门 p95']
    >>> import matplotlib.pyplot as plt
    >>> plt.close("all")
    """
    check_lang(lang)
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
        for name, ids in pools.items():
            groups.append((name, done[done["unit"].isin(ids)]))
    else:
        if by not in flows.columns:
            raise ValueError(f"cannot group by {by!r}: not a column of result.flows")
        keys = list(pd.unique(done[by]))
        keys = _tier_sorted(keys) if by == "tier" else sorted(keys, key=str)
        for k in keys:
            name = (tier_name(k, lang) if by == "tier"
                    else _site(k) if by in ("unit", "source") else str(k))
            groups.append((name, done[(done[by] == k).to_numpy()]))
    pooled = None
    if len(groups) > max(int(top), 1):
        p95 = [g["latency_ms"].quantile(0.95) for _, g in groups]
        order = np.argsort(-np.asarray(p95, dtype=float), kind="stable")
        keep = sorted(order[:max(int(top), 1)])
        rest = [groups[i][1] for i in order[max(int(top), 1):]]
        pooled = (label("sim.others", lang, n=len(rest)), pd.concat(rest))
        groups = [groups[i] for i in keep]

    # one grid of windows for every group: gaps show where a group completed nothing
    first = np.floor(measured["start_s"].min() / window_s)
    last = np.floor(measured["start_s"].max() / window_s)
    grid = np.arange(first, last + 1) * window_s
    ax = _new_axes(ax, (10, 4.5))
    colors = _colors()
    drawn = [(name, g, colors[k % len(colors)]) for k, (name, g) in enumerate(groups)]
    if pooled is not None:
        drawn.append((*pooled, BAND_COLOR))
    for name, g, color in drawn:
        w = np.floor(g["start_s"].to_numpy(dtype=float) / window_s) * window_s
        lat = pd.Series(g["latency_ms"].to_numpy(dtype=float), index=w)
        by_w = lat.groupby(level=0)
        stats = pd.DataFrame({"mean": by_w.mean(), "p95": by_w.quantile(0.95)}).reindex(grid)
        x = grid + window_s / 2
        ax.plot(x, stats["mean"].to_numpy(), color=color, linewidth=1.4, marker=".",
                label=label("sim.mean", lang, name=name), gid=f"mean:{name}")
        ax.plot(x, stats["p95"].to_numpy(), color=color, linewidth=1.0, linestyle="--",
                label=label("sim.p95", lang, name=name), gid=f"p95:{name}")
    end = float(grid[-1] + window_s)
    _draw_faults(ax, result.events, float(grid[0]), end, lang)
    ax.set_xlim(float(grid[0]), end)
    ax.set_ylim(bottom=0)
    ax.set_xlabel(label("sim.latency_x", lang, w=f"{window_s:g}"))
    ax.set_ylabel(label("sim.latency_y", lang))
    ax.set_title(label("sim.latency_title", lang, case=_title_case(result.case, lang)),
                 fontsize=11)
    ax.grid(alpha=0.3)
    ax.legend(fontsize=8, loc="upper left", bbox_to_anchor=(1.01, 1.0), borderaxespad=0)
    return ax.figure


@draws_with_cjk_font
def plot_validation(validation, ax=None, *, lang: str = "zh"):
    """Failed checks per failure case and tier, as grouped bars of the failed share.

    One group of bars per tier (市级, 县级, 镇级, 村级), one bar per case (正常运行 first); a
    bar's height is the share of the tier's checks that failed in that case, and its label says
    ``failed/total`` (red when any failed). The title counts the (case, tier) verdicts that
    PASS and FAIL, and any other verdict present (:meth:`InterconnectValidation.verdict`).

    Parameters
    ----------
    validation : InterconnectValidation
        From :func:`netplan.simulation.validate_interconnect`.
    ax : matplotlib.axes.Axes, optional
        Drawn into; a new figure when None.
    lang : str
        ``"zh"`` or ``"en"``: the language of the title, axis labels and legend (failure
        cases keep the scenario's names).

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
    >>> fig.axes[0].get_title()[:7]
    '互联互通验证：'
    >>> plot_validation(v, lang="en").axes[0].get_title()[:22]
    'Interconnection check:'
    >>> import matplotlib.pyplot as plt
    >>> plt.close(fig)
    """
    check_lang(lang)
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
                      width=width * 0.92, color=color, label=_case_name(case, lang))
        for bar, (_, tier), n_bad, n in zip(bars, present, failed, checks, strict=True):
            bar.set_gid(f"validation:{case}:{tier}")
            ax.annotate(f"{n_bad}/{n}", (bar.get_x() + bar.get_width() / 2, bar.get_height()),
                        xytext=(0, 2), textcoords="offset points", ha="center", va="bottom",
                        fontsize=8, color=FAULT_COLOR if n_bad else "0.25")
        top = max(top, float(share.max(initial=0.0)))
    ax.set_xticks(range(len(tiers)), [tier_name(t, lang) for t in tiers])
    ax.set_ylim(0, min(max(10.0, top * 1.2), 118.0))
    ax.set_ylabel(label("sim.failed_share", lang))
    ax.set_xlabel(label("sim.tier_axis", lang))
    n_pass = int((verdict["verdict"] == "PASS").sum())
    n_fail = int((verdict["verdict"] == "FAIL").sum())
    title = label("sim.validation_title", lang, p=n_pass, f=n_fail)
    others = verdict.loc[~verdict["verdict"].isin(["PASS", "FAIL"]), "verdict"].value_counts()
    if len(others):  # e.g. INCONCLUSIVE: said before the closing "(case × tier)"
        more = "".join(label("sim.validation_more", lang, n=n, v=v) for v, n in others.items())
        cut = title.rindex("（" if lang == "zh" else " (")
        title = title[:cut] + more + title[cut:]
    ax.set_title(title)
    ax.grid(axis="y", alpha=0.3)
    if cases:
        ax.legend(fontsize=8, title=label("sim.cases", lang), title_fontsize=8,
                  loc="upper left", bbox_to_anchor=(1.01, 1.0), borderaxespad=0)
    return ax.figure
