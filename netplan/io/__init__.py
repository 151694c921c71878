"""Input and output at the edge: scenario files, topology formats, tables, PSPLIB instances.

The names below are imported on first use (PEP 562), so that reading a scenario does not
import the topology readers' networkx and pandas.
"""

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


def __getattr__(name: str):
    try:
        module = _LAZY[name]
    except KeyError:
        raise AttributeError(f"module 'netplan.io' has no attribute {name!r}") from None
    import importlib

    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_LAZY))
