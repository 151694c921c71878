"""The report index of a run: one Markdown page linking every table and picture."""

from __future__ import annotations

from pathlib import Path

from netplan.errors import Issue
from netplan.model.scenario import Scenario
from netplan.report._staging import METADATA_FILE
from netplan.report.topology_report import ReportSection

__all__ = ["write_index"]


def write_index(scenario: Scenario, sections: list[ReportSection], out_dir: Path, *,
                source: str = "", warnings: list[Issue] | None = None,
                incomplete=None) -> Path:
    """Write ``index.md`` into ``out_dir`` and return its path.

    ``incomplete`` is the :class:`~netplan.report.run_results.StageRecord` of a stage that
    failed: the page then says, first, that the report is incomplete and why.
    """
    from netplan import __version__
    from netplan.report.tables import markdown_text as md  # names are untrusted

    lines = [
        f"# netplan report — {md(scenario.name)}",
        "",
        md(f"{scenario.description}".strip()),
        "",
        f"Scenario file: `{md(Path(source).name) if source else ''}` · netplan {__version__} · "
        f"when and how long: [{METADATA_FILE}]({METADATA_FILE})",
        "",
    ]
    if incomplete is not None:
        lines += [f"**INCOMPLETE: the {incomplete.name} stage failed ({md(incomplete.error)}); the "
                  "stages after it did not run.** The sections below are the stages that "
                  "finished.", ""]
    lines += ["The page for readers is [report.html](report.html); every table is also a "
              "sheet of [tables.xlsx](tables.xlsx).", ""]
    if warnings:
        lines += ["## Warnings", ""] + [f"- {md(w)}" for w in warnings] + [""]
    lines += ["## Contents", ""]
    for section in sections:
        lines.append(f"- **{section.title}**: " + ", ".join(
            f"[{Path(f).name}]({f})" for f in section.files))
    lines.append("")
    for section in sections:
        lines += [section.markdown, ""]
    path = Path(out_dir) / "index.md"
    path.write_text("\n".join(lines), encoding="utf-8")
    return path
