"""Migration plots: the Gantt chart by department with milestones, and the weekly loads."""

from __future__ import annotations

import numpy as np
import pandas as pd

from netplan.plot._labels import check_lang, label
from netplan.plot._style import draws_with_cjk_font

__all__ = ["plot_schedule", "plot_weekly_load", "criticality_color", "CRITICALITY_CMAP"]


#: Colour map of the criticality levels (1 lightest, 5 darkest), sampled from its
#: :data:`_CRIT_RANGE`: the lightest bar is still clearly visible on white.
CRITICALITY_CMAP = "YlOrRd"
_CRIT_RANGE = (0.32, 0.95)
_GROUP_EDGE = "black"
_BLACKOUT = "0.85"


def criticality_color(level: int):
    """Fill colour (RGBA) of a system of criticality ``level`` (1 to 5) in the Gantt chart.

    Examples
    --------
    >>> from matplotlib.colors import to_hex
    >>> to_hex(criticality_color(1)), to_hex(criticality_color(5))
    ('#fec45f', '#970026')
    """
    import matplotlib as mpl

    lo, hi = _CRIT_RANGE
    share = (min(max(int(level), 1), 5) - 1) / 4
    return mpl.colormaps[CRITICALITY_CMAP](lo + (hi - lo) * share)


def _edge(color):
    """A darker shade of ``color`` for the bar's outline."""
    from matplotlib.colors import to_rgb

    return tuple(0.55 * c for c in to_rgb(color))


@draws_with_cjk_font
def plot_schedule(plan, *, ax=None, max_departments: int | None = None, lang: str = "zh"):
    """Gantt chart of a migration plan, one row per department, with the milestones.

    Each bar is one system's migration (start week to cutover week), filled by criticality
    from a sequential colour map (1 light, 5 dark; every shade outlined, so the lightest
    stays visible on white); move groups (dependency cycles) are outlined in black. The legend
    has one entry per criticality level in the plan. Milestone deadlines are dashed vertical
    lines labelled with their date and target above the chart; blackout weeks are shaded.
    When no plan meets the targets, the chart shows the plan without them (``plan.relaxed``,
    on its longer grid) and its title says so.

    Parameters
    ----------
    plan : MigrationPlan
    ax : matplotlib.axes.Axes, optional
        Drawn into; a new figure sized to the number of departments when None.
    max_departments : int, optional
        Show only the departments with the most systems.
    lang : str
        ``"zh"`` or ``"en"``: the language of the title, axis labels and legend (departments
        keep the inventory's names).

    Returns
    -------
    matplotlib.axes.Axes
        Bars are ``BrokenBarHCollection``-like collections with gid ``system:<id>``, milestone
        lines gid ``milestone:<name>`` and their labels ``milestone-label:<name>``.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> from netplan.migration.plan import plan_migration
    >>> from netplan.examples import tiny_migration
    >>> scenario, inventory = tiny_migration()
    >>> plan = plan_migration(scenario, inventory, backend="heuristic", time_limit_s=2)
    >>> ax = plot_schedule(plan)
    >>> ax.get_title()[:4]
    '迁移计划'
    >>> plot_schedule(plan, lang="en").get_title()[:14]
    'Migration plan'
    """
    import matplotlib.pyplot as plt
    from matplotlib.patches import Patch
    from matplotlib.transforms import blended_transform_factory

    check_lang(lang)
    df = plan.to_frame()
    shown = plan.shown_mp  # the schedule's project, or the relaxed plan's longer one
    grid = shown.grid
    if df.empty or df["start_week"].isna().all():
        raise ValueError("the plan has no schedule to draw (no plan was found at all)")
    df = df[df["start_week"].notna()]
    counts = df["department"].value_counts()
    n_all = len(counts)
    depts = list(counts.index[:max_departments] if max_departments else counts.index)
    depts.sort()
    df = df[df["department"].isin(depts)]
    row = {d: i for i, d in enumerate(depts)}
    new_fig = ax is None
    if new_fig:
        _, ax = plt.subplots(figsize=(14, max(3.5, 0.24 * len(depts) + 2.2)),
                             layout="constrained")
    # stack overlapping bars of one department in lanes sharing the row
    lanes: dict[str, list[int]] = {d: [] for d in depts}
    placed = []
    for r in df.sort_values(["start_week", "system_id"], kind="stable").itertuples():
        ends = lanes[r.department]
        lane = next((k for k, e in enumerate(ends) if e <= r.start_week), len(ends))
        if lane == len(ends):
            ends.append(0)
        ends[lane] = r.cutover_week + 1
        placed.append((r, lane))
    for r, lane in placed:
        n_lanes = max(1, len(lanes[r.department]))
        h = 0.84 / n_lanes
        y = row[r.department] - 0.42 + lane * h
        face = criticality_color(r.criticality)
        bars = ax.broken_barh([(r.start_week, r.duration_weeks)], (y + h * 0.05, h * 0.9),
                              facecolors=face,
                              edgecolors=_GROUP_EDGE if r.group else _edge(face),
                              linewidth=1.1 if r.group else 0.5, zorder=2)
        bars.set_gid(f"system:{r.system_id}")
    for b in shown.project.capacity[1:2]:
        blocked = np.flatnonzero(b == 0)
        for w in blocked:
            ax.axvspan(w, w + 1, color=_BLACKOUT, zorder=0, gid="blackout")
    trans = blended_transform_factory(ax.transData, ax.transAxes)
    for k, (name, day, want) in enumerate(plan.mp.milestone_targets):
        w = grid.finished_by(day)
        ax.axvline(w, color="tab:red", linestyle="--", linewidth=1.1, gid=f"milestone:{name}",
                   zorder=3)
        key = "mig.milestone_all" if str(name).startswith("all ") else "mig.milestone"
        text = label(key, lang, day=day, want=want)
        ax.annotate(text, (w, 1.0), xycoords=trans, xytext=(-3, -3 - 12 * (k % 2)),
                    textcoords="offset points", color="tab:red", fontsize=8.5, ha="right",
                    va="top", gid=f"milestone-label:{name}", zorder=4,
                    bbox=dict(boxstyle="square,pad=0.15", fc="white", ec="none", alpha=0.85))
    ax.set_yticks(range(len(depts)), depts, fontsize=8)
    ax.set_ylim(len(depts) - 0.4 + 0.9, -0.6)  # first department on top, room for the labels
    ticks = list(range(0, shown.project.horizon, 4))
    ax.set_xticks(ticks, [grid.monday(w).strftime("%Y-%m") if i % 3 == 0 else ""
                          for i, w in enumerate(ticks)], fontsize=8)
    ax.set_xlim(0, shown.project.horizon)
    ax.set_xlabel(label("mig.weeks_from", lang, start=grid.start))
    relaxed = label("mig.relaxed", lang) if not plan.feasible else ""
    key = "mig.title_some" if len(depts) < n_all else "mig.title"
    ax.set_title(label(key, lang, relaxed=relaxed, n=len(df), d=len(depts), total=n_all))
    levels = sorted(int(c) for c in pd.unique(df["criticality"]))
    handles = [Patch(facecolor=criticality_color(c), edgecolor=_edge(criticality_color(c)),
                     label=label("mig.criticality", lang, k=c)) for c in levels]
    if df["group"].astype(bool).any():
        handles.append(Patch(facecolor="white", edgecolor=_GROUP_EDGE, linewidth=1.1,
                             label=label("mig.group", lang)))
    handles.append(Patch(color=_BLACKOUT, label=label("mig.blackout", lang)))
    if new_fig:
        ax.legend(handles=handles, loc="upper center", bbox_to_anchor=(0.5, -0.5 / ax.figure
                                                                        .get_figheight()),
                  ncol=len(handles), fontsize=8.5, frameon=False)
    else:
        ax.legend(handles=handles, loc="lower right", fontsize=8)
    ax.grid(axis="x", alpha=0.3)
    return ax


@draws_with_cjk_font
def plot_weekly_load(plan, *, axes=None, floor_pct: float | None = None, lang: str = "zh"):
    """Weekly team use against capacity, and cloud vCPU / memory / storage occupation.

    Parameters
    ----------
    plan : MigrationPlan
    axes : sequence of two matplotlib Axes, optional
    floor_pct : float, optional
        The cloud utilisation floor (资源利用率目标) drawn as a dotted line, %: pass the
        scenario's ``targets.cloud_utilisation_min_pct``; None draws no line.
    lang : str
        ``"zh"`` or ``"en"``: the language of the titles, axis labels and legends.

    Returns
    -------
    numpy.ndarray of matplotlib.axes.Axes

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> from netplan.migration.plan import plan_migration
    >>> from netplan.examples import tiny_migration
    >>> scenario, inventory = tiny_migration()
    >>> plan = plan_migration(scenario, inventory, backend="heuristic", time_limit_s=2)
    >>> axes = plot_weekly_load(plan, floor_pct=60, lang="en")
    >>> [t.get_text() for t in axes[1].get_legend().get_texts()][-1]
    'utilisation target 60%'
    """
    import matplotlib.pyplot as plt

    check_lang(lang)
    load = plan.weekly_load()
    if axes is None:
        _, axes = plt.subplots(2, 1, figsize=(12, 6), sharex=True, layout="constrained")
    axes = np.asarray(axes)
    w = load["week"]
    axes[0].bar(w, load["teams_used"], width=1, align="edge", color="tab:blue", alpha=0.7,
                label=label("mig.teams_used", lang))
    axes[0].step(w, load["teams_capacity"], where="post", color="black",
                 label=label("mig.teams_capacity", lang))
    axes[0].set_ylabel(label("mig.teams", lang))
    axes[0].legend(loc="upper right", fontsize=8)
    axes[0].set_title(label("mig.load_title", lang))
    axes[0].grid(axis="y", alpha=0.3)
    names = {"vCPU": "vCPU", "memory GB": label("cap.memory_gb", lang),
             "storage TB": label("cap.storage_tb", lang)}
    for name, color in (("vCPU", "tab:orange"), ("memory GB", "tab:green"),
                        ("storage TB", "tab:purple")):
        cap = load[f"cloud {name} capacity"].to_numpy(dtype=float)
        used = load[f"cloud {name} used"].to_numpy(dtype=float)
        share = np.divide(used, cap, out=np.zeros_like(used), where=cap > 0) * 100
        axes[1].plot(w, share, color=color, label=label("mig.cloud_share", lang,
                                                        name=names[name]),
                     gid=f"cloud:{name}")
    if floor_pct is not None:
        axes[1].axhline(floor_pct, color="tab:red", linestyle=":", gid="floor",
                        label=label("mig.floor", lang, v=f"{floor_pct:g}"))
    axes[1].set_ylabel("%")
    axes[1].set_ylim(bottom=0)
    axes[1].set_xlabel(label("mig.weeks_from", lang, start=plan.mp.grid.start))
    axes[1].legend(loc="upper left", fontsize=8)
    axes[1].grid(axis="y", alpha=0.3)
    return axes
