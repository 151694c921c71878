"""The report index of a run: one Markdown page linking every table and picture."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from netplan.errors import Issue
from netplan.model.scenario import Scenario
from netplan.report.topology_report import ReportSection

__all__ = ["write_index"]


def write_index(scenario: Scenario, sections: list[ReportSection], out_dir: Path, *,
                source: str = "", warnings: list[Issue] | None = None,
                timings_s: dict[str, float] | None = None) -> Path:
    """Write ``index.md`` into ``out_dir`` and return its path."""
    from netplan import __version__

    lines = [
        f"# netplan report — {scenario.name}",
        "",
        f"{scenario.description}".strip(),
        "",
        f"Scenario file: `{source}` · netplan {__version__} · "
        f"written {dt.datetime.now().isoformat(timespec='seconds')}",
        "",
    ]
    if warnings:
        lines += ["## Warnings", ""] + [f"- {w}" for w in warnings] + [""]
    lines += ["## Contents", ""]
    for section in sections:
        lines.append(f"- **{section.title}**: " + ", ".join(
            f"[{Path(f).name}]({f})" for f in section.files))
    if timings_s:
        lines += ["", "Run time: " + ", ".join(f"{k} {v:.2f} s" for k, v in timings_s.items())]
    lines.append("")
    for section in sections:
        lines += [section.markdown, ""]
    path = Path(out_dir) / "index.md"
    path.write_text("\n".join(lines), encoding="utf-8")
    return path
