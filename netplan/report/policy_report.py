"""The policy section of a run's report: the dated targets and the quarterly progress report."""

from __future__ import annotations

from pathlib import Path

from netplan.report.tables import markdown_table, markdown_text, write_csv
from netplan.report.topology_report import ReportSection

__all__ = ["write_policy_report"]


def write_policy_report(scenario, timeline, quarterly, out_dir: Path, *,
                        lang: str = "zh") -> ReportSection:
    """Write ``policy/timeline.csv`` and the quarterly report; return the report section.

    Files: ``timeline.csv`` (each dated target with the plan's date and met / missed / at risk
    / not planned), and with a migration plan ``quarterly.csv`` (long: date, measure, planned,
    achieved, gap), ``quarterly_wide.csv`` (a row per report date), ``quarterly_by_unit.csv``
    and ``quarterly_report.xlsx`` (季度工作进展, the layout a bureau files: a summary sheet and
    one sheet per report date).
    """
    sub = Path(out_dir) / "policy"
    sub.mkdir(parents=True, exist_ok=True)
    files: list[str] = []

    def csv(df, name: str) -> None:
        write_csv(df, sub / name)
        files.append(f"policy/{name}")

    frame = timeline.to_frame()
    csv(frame, "timeline.csv")
    counts = frame["status"].value_counts()
    lines = [f"## Policy timeline — {markdown_text(scenario.name)}", "",
             ("Every dated target is met." if timeline.ok else
              "Not every dated target is met: " + ", ".join(
                  f"{n} {status}" for status, n in counts.items()) + "."), "",
             markdown_table(frame), ""]
    lines += [f"- {markdown_text(n)}" for n in getattr(timeline, "notes", [])]
    if quarterly is not None:
        from netplan.io.bureau_xlsx import write_quarterly_xlsx

        csv(quarterly.to_frame(), "quarterly.csv")
        wide = quarterly.wide_frame()
        csv(wide, "quarterly_wide.csv")
        csv(quarterly.by_unit(), "quarterly_by_unit.csv")
        write_quarterly_xlsx(quarterly, sub / "quarterly_report.xlsx",
                             scenario_name=scenario.name, lang=lang)
        files.append("policy/quarterly_report.xlsx")
        lines += ["", "### Quarterly progress (季度工作进展): planned against achieved", "",
                  markdown_table(wide), ""]
    return ReportSection("Policy", "\n".join(lines), files)
