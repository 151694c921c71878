"""A tiny scenario file with an inventory and a capacity catalogue, for sweeps."""

from pathlib import Path

import pytest
import yaml

from netplan.examples import TINY_SCENARIO, tiny_migration
from netplan.io.inventory_io import write_inventory

#: Upgrade options for the tiny extranet's village uplinks and department access lines.
CATALOGUE = {
    "uplink/village": [{"capacity": "20M", "yearly": 0.6},
                       {"capacity": "50M", "one_off": 0.2, "yearly": 1}],
    "access": [{"capacity": "100M", "yearly": 1.5},
               {"capacity": "200M", "one_off": 0.3, "yearly": 2.5}],
}


def tiny_sweep_data() -> dict:
    """TINY_SCENARIO with tiny_migration's policy and targets, an inventory file, a catalogue."""
    data = dict(TINY_SCENARIO, year=2020)
    # 10 Mbps per village office: 50% of a 20M uplink, over the 70% ceiling from 40% growth
    data["demand"] = {"village_mbps": "10M", "growth_pct_per_year": 0}
    data["migration"] = {"start": "2020-01-06", "end": "2020-03-29", "teams": 1,
                         "backend": "heuristic", "max_schedules": 300}
    data["targets"] = dict(data["targets"], systems_on_cloud=[
        {"by": "2020-02-02", "systems": 3}, {"by": "2020-03-29", "systems": "all"}])
    data["inventory"] = {"path": "systems.csv"}  # relative: next to the scenario file
    data["capacity"] = {"years": [2020, 2021], "catalogue": CATALOGUE}
    return data


@pytest.fixture
def tiny_file(tmp_path: Path) -> Path:
    """The tiny sweep scenario in tmp_path/scenario/tiny.yaml, its inventory beside it."""
    folder = tmp_path / "scenario"
    folder.mkdir()
    write_inventory(tiny_migration()[1], folder / "systems.csv")
    path = folder / "tiny.yaml"
    path.write_text(yaml.safe_dump(tiny_sweep_data(), allow_unicode=True, sort_keys=False),
                    encoding="utf-8")
    return path


@pytest.fixture
def write_grid(tmp_path: Path):
    """Write a grid (a dict) to tmp_path/grid.yaml; return its path."""
    def write(data: dict, name: str = "grid.yaml") -> Path:
        path = tmp_path / name
        path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False),
                        encoding="utf-8")
        return path
    return write
