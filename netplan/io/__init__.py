"""Input and output at the edge: scenario files, topology formats, tables, PSPLIB instances."""

from netplan.io.psplib import read_optima, read_psplib
from netplan.io.scenario_yaml import (
    load_scenario,
    parse_scenario,
    read_scenario,
    read_text,
    scenario_json_schema,
)
from netplan.io.topology_io import (
    from_topohub,
    read_csv_topology,
    read_graphml,
    read_json,
    write_graphml,
    write_json,
)

__all__ = [
    "load_scenario",
    "read_scenario",
    "parse_scenario",
    "read_text",
    "scenario_json_schema",
    "write_graphml",
    "read_graphml",
    "write_json",
    "read_json",
    "read_csv_topology",
    "from_topohub",
    "read_psplib",
    "read_optima",
]
