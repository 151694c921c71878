"""The migration section of a run's report: schedule, lists, loads, milestones, progress."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from netplan.report.tables import markdown_table, write_csv
from netplan.report.topology_report import ReportSection

__all__ = ["write_migration_report"]


def write_migration_report(scenario, plan, out_dir: Path, *, pictures: bool = True,
                           language: str = "zh") -> ReportSection:
    """Write the migration outputs into ``out_dir/migration`` and return the report section.

    Files: ``schedule.csv`` and ``schedule.xlsx`` (one row per system), ``milestones.csv``,
    ``weekly_load.csv``, ``progress.csv`` (the quarterly projection), ``triage.csv``, the three
    lists (``三张清单``: CSV each and one XLSX), and with ``pictures`` ``gantt.png`` and
    ``load.png``.
    """
    from netplan.io.inventory_io import write_three_lists
    from netplan.migration.triage import three_lists

    sub = Path(out_dir) / "migration"
    sub.mkdir(parents=True, exist_ok=True)
    files: list[str] = []

    def csv(df: pd.DataFrame, name: str) -> None:
        write_csv(df, sub / name)
        files.append(f"migration/{name}")

    schedule = plan.to_frame()
    csv(schedule, "schedule.csv")
    with pd.ExcelWriter(sub / "schedule.xlsx", engine="openpyxl") as xl:
        schedule.to_excel(xl, sheet_name="schedule", index=False)
        plan.milestones().to_excel(xl, sheet_name="milestones", index=False)
        plan.progress(scenario.targets.report_dates).to_excel(xl, sheet_name="progress",
                                                               index=False)
    files.append("migration/schedule.xlsx")
    milestones = plan.milestones()
    progress = plan.progress(scenario.targets.report_dates)
    csv(milestones, "milestones.csv")
    csv(plan.weekly_load(), "weekly_load.csv")
    csv(progress, "progress.csv")
    tri = plan.mp.triage
    csv(tri.to_frame(), "triage.csv")
    lists = three_lists(tri, plan.mp.inventory)
    for path in write_three_lists(lists, sub / "lists", language=language):
        files.append(f"migration/lists/{Path(path).name}")

    pics = []
    if pictures and plan.starts is not None:
        import matplotlib.pyplot as plt

        from netplan.plot.migration import plot_schedule, plot_weekly_load

        ax = plot_schedule(plan)
        ax.figure.savefig(sub / "gantt.png", dpi=110, bbox_inches="tight")
        plt.close(ax.figure)
        axes = plot_weekly_load(plan)
        axes[0].figure.savefig(sub / "load.png", dpi=110, bbox_inches="tight")
        plt.close(axes[0].figure)
        files += ["migration/gantt.png", "migration/load.png"]
        pics = ["gantt.png", "load.png"]

    s = plan.schedule
    counts = tri.to_frame()["disposition"].value_counts()
    lines = [
        f"## Migration — {scenario.name}",
        "",
        f"Inventory: {len(plan.mp.inventory.systems)} systems. Dispositions: "
        + ", ".join(f"{k} {v}" for k, v in counts.items()) + ".",
        f"Move groups: {len(plan.mp.groups)} "
        f"({sum(1 for g in plan.mp.groups if len(g.systems) > 1)}"
        " with several systems from dependency cycles, cut over together).",
        "",
        f"Scheduler: {s.backend}, status **{s.status.value}**, objective {s.objective}, "
        f"bound {s.bound}, gap {'' if s.gap is None else f'{s.gap:.2%}'}, {s.runtime_s:.1f} s.",
        "",
        "### Milestones",
        "",
        markdown_table(milestones),
        "",
    ]
    if plan.explanation:
        lines += ["### Why the milestones cannot be met", "",
                  "No plan meets every dated target. The tables and charts show the best plan "
                  "found without them (all other limits hold), so the shortfall is visible.", ""]
        lines += [f"- {e}" for e in plan.explanation] + [""]
    if plan.mp.notes:
        lines += ["Notes:", ""] + [f"- {n}" for n in plan.mp.notes] + [""]
    lines += ["### Quarterly progress projection", "", markdown_table(progress), ""]
    for pic in pics:
        lines += [f"![{pic}](migration/{pic})", ""]
    return ReportSection("Migration", "\n".join(lines), files)
