"""netplan: plan and simulate four-tier e-government extranets and government-cloud migrations.

Layers point one way: :mod:`netplan.model` (validated scenario objects) →
:mod:`netplan.topology` and the other algorithm packages (pure functions returning result objects)
→ :mod:`netplan.io`, :mod:`netplan.plot`, :mod:`netplan.report` and :mod:`netplan.cli` at the
edges.

Examples
--------
>>> import netplan
>>> topo = netplan.build_topology(netplan.examples.tiny_scenario())
>>> netplan.reachability(topo).all_reach
True
"""

from netplan import examples
from netplan.errors import (
    InfeasiblePlanError,
    InputFileError,
    Issue,
    NetplanError,
    ScenarioError,
    SolverUnavailableError,
    UnknownNodeError,
)
from netplan.model import Scenario, diagnose
from netplan.topology import (
    Topology,
    build_topology,
    reachability,
    summarize,
    survivability,
)

__version__ = "0.1.0"


def load_scenario(path):
    """Read and validate a scenario file (see :func:`netplan.io.load_scenario`)."""
    from netplan.io.scenario_yaml import load_scenario as _load

    return _load(path)


__all__ = [
    "examples",
    "Scenario",
    "diagnose",
    "load_scenario",
    "Topology",
    "build_topology",
    "reachability",
    "survivability",
    "summarize",
    "NetplanError",
    "ScenarioError",
    "InputFileError",
    "UnknownNodeError",
    "InfeasiblePlanError",
    "SolverUnavailableError",
    "Issue",
]
