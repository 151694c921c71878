"""Migration plots: the Gantt chart by department with milestones, and the weekly loads."""

from __future__ import annotations

import numpy as np

from netplan.plot._style import use_cjk_font

__all__ = ["plot_schedule", "plot_weekly_load"]


def plot_schedule(plan, *, ax=None, max_departments: int | None = None):
    """Gantt chart of a migration plan, one row per department, with the milestones.

    Each bar is one system's migration (start week to cutover week), coloured by criticality;
    move groups (dependency cycles) are outlined in black. Milestone deadlines are dashed
    vertical lines labelled with their target; blackout weeks are shaded. When no plan meets
    the targets, the chart shows the plan without them (``plan.relaxed``, on its longer grid)
    and its title says so.

    Parameters
    ----------
    plan : MigrationPlan
    ax : matplotlib.axes.Axes, optional
        Drawn into; a new figure sized to the number of departments when None.
    max_departments : int, optional
        Show only the departments with the most systems.

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> from netplan.migration.plan import plan_migration
    >>> from netplan.examples import tiny_migration
    >>> scenario, inventory = tiny_migration()
    >>> ax = plot_schedule(plan_migration(scenario, inventory, backend="heuristic",
    ...                                   time_limit_s=2))
    >>> ax.get_title()[:4]
    '迁移计划'
    """
    import matplotlib.pyplot as plt
    from matplotlib.patches import Patch

    use_cjk_font()
    df = plan.to_frame()
    shown = plan.shown_mp  # the schedule's project, or the relaxed plan's longer one
    grid = shown.grid
    if df.empty or df["start_week"].isna().all():
        raise ValueError("the plan has no schedule to draw (no plan was found at all)")
    counts = df["department"].value_counts()
    depts = list(counts.index[:max_departments] if max_departments else counts.index)
    depts.sort()
    df = df[df["department"].isin(depts)]
    row = {d: i for i, d in enumerate(depts)}
    if ax is None:
        _, ax = plt.subplots(figsize=(14, max(3.0, 0.32 * len(depts) + 1.5)))
    cmap = plt.get_cmap("RdYlGn_r")
    # stack overlapping bars of one department in thin lanes
    lanes: dict[str, list[int]] = {d: [] for d in depts}
    for r in df.sort_values("start_week").itertuples():
        ends = lanes[r.department]
        lane = next((k for k, e in enumerate(ends) if e <= r.start_week), len(ends))
        if lane == len(ends):
            ends.append(0)
        ends[lane] = r.cutover_week + 1
        n_lanes = max(1, len(ends))
        h = 0.8 / max(n_lanes, 3)
        y = row[r.department] - 0.4 + lane * h
        ax.broken_barh([(r.start_week, r.duration_weeks)], (y, h * 0.9),
                       facecolors=cmap((r.criticality - 1) / 4),
                       edgecolors="black" if r.group else "none", linewidth=0.6)
    for b in shown.project.capacity[1:2]:
        blocked = np.flatnonzero(b == 0)
        for w in blocked:
            ax.axvspan(w, w + 1, color="0.85", zorder=0)
    for _name, day, want in plan.mp.milestone_targets:
        w = grid.finished_by(day)
        ax.axvline(w, color="tab:red", linestyle="--", linewidth=1)
        ax.text(w, len(depts) - 0.3, f" {day}: {want}个系统上云", color="tab:red", fontsize=8,
                va="bottom", ha="right", rotation=0)
    ax.set_yticks(range(len(depts)), depts, fontsize=8)
    ax.set_ylim(-0.6, len(depts) + 0.2)
    ticks = [w for w in range(0, shown.project.horizon, 4)]
    ax.set_xticks(ticks, [grid.monday(w).strftime("%Y-%m") if i % 3 == 0 else ""
                          for i, w in enumerate(ticks)], fontsize=8)
    ax.set_xlabel(f"周（自 {grid.start} 起）")
    relaxed = "（时间目标无法满足：不含时间目标的计划）" if not plan.feasible else ""
    ax.set_title(f"迁移计划{relaxed}：{len(df)} 个系统，{len(depts)} 个部门")
    ax.legend(handles=[Patch(color=cmap(0.0), label="重要程度 1"),
                       Patch(color=cmap(1.0), label="重要程度 5"),
                       Patch(facecolor="white", edgecolor="black", label="同批切换组（依赖环）"),
                       Patch(color="0.85", label="封网期（春节等）")],
              loc="lower right", fontsize=8)
    ax.grid(axis="x", alpha=0.3)
    return ax


def plot_weekly_load(plan, *, axes=None, floor_pct: float | None = None):
    """Weekly team use against capacity, and cloud vCPU / memory / storage occupation.

    Parameters
    ----------
    plan : MigrationPlan
    axes : sequence of two matplotlib Axes, optional
    floor_pct : float, optional
        The cloud utilisation floor (资源利用率目标) drawn as a dotted line, %: pass the
        scenario's ``targets.cloud_utilisation_min_pct``; None draws no line.

    Returns
    -------
    numpy.ndarray of matplotlib.axes.Axes
    """
    import matplotlib.pyplot as plt

    use_cjk_font()
    load = plan.weekly_load()
    if axes is None:
        _, axes = plt.subplots(2, 1, figsize=(12, 6), sharex=True)
    axes = np.asarray(axes)
    w = load["week"]
    axes[0].step(w, load["teams_capacity"], where="post", color="black", label="可用团队")
    axes[0].bar(w, load["teams_used"], width=1, align="edge", color="tab:blue", alpha=0.7,
                label="在迁团队")
    axes[0].set_ylabel("团队")
    axes[0].legend(loc="upper right", fontsize=8)
    axes[0].set_title("每周资源占用")
    for name, color in (("vCPU", "tab:orange"), ("memory GB", "tab:green"),
                        ("storage TB", "tab:purple")):
        cap = load[f"cloud {name} capacity"].to_numpy(dtype=float)
        used = load[f"cloud {name} used"].to_numpy(dtype=float)
        share = np.divide(used, cap, out=np.zeros_like(used), where=cap > 0) * 100
        axes[1].plot(w, share, color=color, label=f"云 {name} 占用率")
    if floor_pct is not None:
        axes[1].axhline(floor_pct, color="tab:red", linestyle=":", gid="floor",
                        label=f"利用率目标 {floor_pct:g}%")
    axes[1].set_ylabel("%")
    axes[1].set_xlabel(f"周（自 {plan.mp.grid.start} 起）")
    axes[1].legend(loc="upper left", fontsize=8)
    return axes
