"""Input and output at the edge: scenario files, topology formats, tables."""

from netplan.io.scenario_yaml import (
    load_scenario,
    parse_scenario,
    read_scenario,
    read_text,
    scenario_json_schema,
)

__all__ = ["load_scenario", "read_scenario", "parse_scenario", "read_text", "scenario_json_schema"]
