"""The migration section of a run's report: schedule, lists, loads, milestones, progress."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from netplan.report.tables import markdown_table, markdown_text, write_csv
from netplan.report.topology_report import ReportSection

__all__ = ["write_migration_report"]


def write_migration_report(scenario, plan, out_dir: Path, *, pictures: bool = True,
                           language: str = "zh") -> ReportSection:
    """Write the migration outputs into ``out_dir/migration`` and return the report section.

    Files: ``schedule.csv`` and ``schedule.xlsx`` (one row per system), ``milestones.csv``,
    ``weekly_load.csv``, ``progress.csv`` (the quarterly projection), ``triage.csv`` (one row
    per system: id, name, department, decision and evidence), the three lists (``三张清单``:
    CSV each and one XLSX), and with ``pictures`` ``gantt.png`` and ``load.png``.

    The section's first lines say whether the dated targets are met; when they are not, the
    tables and charts show the plan of every system without them (``plan.relaxed``) and say
    so, with the date the migration would be done and the date each target is reached.
    """
    from netplan.io.cells import write_xlsx
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
    milestones = plan.milestones()
    progress = plan.progress(scenario.targets.report_dates, scenario=scenario)
    # names as text, never formulas; the same plan gives the same bytes
    write_xlsx(sub / "schedule.xlsx", {"schedule": schedule, "milestones": milestones,
                                       "progress": progress})
    files.append("migration/schedule.xlsx")
    csv(milestones, "milestones.csv")
    csv(plan.weekly_load(), "weekly_load.csv")
    csv(progress, "progress.csv")
    tri = plan.mp.triage
    csv(plan.triage_frame(), "triage.csv")
    lists = three_lists(tri, plan.mp.inventory)
    for path in write_three_lists(lists, sub / "lists", language=language):
        files.append(f"migration/lists/{Path(path).name}")

    if plan.starts is not None:  # each unit's own migration plan (迁云、上云计划)
        from netplan.io.bureau_xlsx import write_unit_plans_xlsx

        write_unit_plans_xlsx(plan, sub / "unit_plans.xlsx", lang=language)
        files.append("migration/unit_plans.xlsx")
        connections = plan.platform_connections(scenario)
        csv(connections, "platform_connections.csv")

    pics = []
    if pictures and plan.starts is not None:
        from netplan.plot import save_figure
        from netplan.plot.migration import plot_schedule, plot_weekly_load

        save_figure(plot_schedule(plan, lang=language).figure, sub / "gantt")
        axes = plot_weekly_load(plan, floor_pct=scenario.targets.cloud_utilisation_min_pct,
                                lang=language)
        save_figure(axes[0].figure, sub / "load")
        files += ["migration/gantt.png", "migration/gantt.svg", "migration/load.png",
                  "migration/load.svg"]
        pics = ["gantt.png", "load.png"]

    s = plan.schedule
    counts = tri.to_frame()["disposition"].value_counts()
    summary = plan.summary()
    if plan.feasible:
        head = [markdown_text(x) for x in summary]
    else:
        head = [f"**{markdown_text(summary[0])}**", "", *map(markdown_text, summary[1:])]
    stop = f", stopped by the {s.stopped_by}" if s.stopped_by else ""
    if s.backend == "bounds":
        solver_line = ("Scheduler: not run — the dated targets are proven impossible before "
                       "any search (lower bounds or the inventory's size; the reasons are below).")
    else:  # no wall time: the same page on every run (times: run-metadata.json)
        solver_line = (f"Scheduler: {s.backend}, status **{s.status.value}**, objective "
                       f"{s.objective}, bound {s.bound}, gap "
                       f"{'' if s.gap is None else f'{s.gap:.2%}'}{stop}.")
    shown = ""
    if plan.relaxed is not None and not plan.feasible:
        r, rmp = plan.relaxed, plan.relaxed_mp
        rstop = f", stopped by the {r.stopped_by}" if r.stopped_by else ""
        solver_line += (f" Plan without the dated targets: {r.backend}, objective {r.objective}"
                        f"{rstop}, on {rmp.project.horizon} weeks to "
                        f"{rmp.grid.sunday(rmp.project.horizon - 1)}.")
        shown = " (in the plan without the dated targets)"
    lines = [
        f"## Migration — {markdown_text(scenario.name)}",
        "",
        *head,
        "",
        f"Inventory: {len(plan.mp.inventory.systems)} systems. Dispositions: "
        + ", ".join(f"{markdown_text(k)} {v}" for k, v in counts.items()) + ".",
        f"Move groups: {len(plan.mp.groups)} "
        f"({sum(1 for g in plan.mp.groups if len(g.systems) > 1)}"
        " with several systems from dependency cycles, cut over together).",
        "",
        solver_line,
        "",
        f"### Milestones{shown}",
        "",
        markdown_table(milestones),
        "",
    ]
    if plan.explanation:
        lines += ["### Why the milestones cannot be met", ""]
        if plan.starts is not None:
            lines += ["No plan meets every dated target. The tables and charts show the plan of "
                      "every system without the dated targets (all other limits hold), so the "
                      "shortfall is visible.", ""]
        else:
            lines += ["No plan meets every dated target, and no plan moves every system at "
                      "all: the tables have no dates and there are no charts.", ""]
        lines += [f"- {markdown_text(e)}" for e in plan.explanation] + [""]
    if plan.mp.notes:
        lines += ["Notes:", ""] + [f"- {markdown_text(n)}" for n in plan.mp.notes] + [""]
    lines += [f"### Quarterly progress projection{shown}", "",
              markdown_table(progress) if len(progress) else
              "No report date (targets.report_dates) falls within the plan.", ""]
    for pic in pics:
        lines += [f"![{pic}](migration/{pic})", ""]
    return ReportSection("Migration", "\n".join(lines), files)
