"""Input and output at the edge: scenario files, topology formats, tables, PSPLIB instances.

The names below are imported on first use (PEP 562), so that reading a scenario does not
import the topology readers' networkx and pandas.
"""

from netplan._lazy import lazy_exports

_LAZY = {
    "load_scenario": "netplan.io.scenario_yaml",
    "read_scenario": "netplan.io.scenario_yaml",
    "parse_scenario": "netplan.io.scenario_yaml",
    "read_text": "netplan.io.scenario_yaml",
    "scenario_json_schema": "netplan.io.scenario_yaml",
    "write_graphml": "netplan.io.topology_io",
    "read_graphml": "netplan.io.topology_io",
    "write_json": "netplan.io.topology_io",
    "read_json": "netplan.io.topology_io",
    "read_csv_topology": "netplan.io.topology_io",
    "from_topohub": "netplan.io.topology_io",
    "read_psplib": "netplan.io.psplib",
    "read_optima": "netplan.io.psplib",
}

__all__ = list(_LAZY)

__getattr__, __dir__ = lazy_exports("netplan.io", globals(), _LAZY)
