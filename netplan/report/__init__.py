"""Reports at the edge: tables, pictures and the Markdown index of a run."""

from netplan.report._staging import (
    METADATA_FILE,
    check_replaceable,
    replaced_folder,
    staged_output,
)
from netplan.report.index import write_index
from netplan.report.tables import markdown_table, write_csv
from netplan.report.topology_report import ReportSection, write_topology_report

__all__ = [
    "staged_output",
    "replaced_folder",
    "check_replaceable",
    "METADATA_FILE",
    "write_index",
    "write_csv",
    "markdown_table",
    "ReportSection",
    "write_topology_report",
]
