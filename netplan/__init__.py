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

from netplan._lazy import lazy_exports
from netplan.errors import (
    InfeasiblePlanError,
    InputFileError,
    Issue,
    NetplanError,
    ScenarioError,
    SolverFailedError,
    SolverUnavailableError,
    UnknownNodeError,
)

#: Public names imported on first use (PEP 562), so that ``import netplan`` and the command
#: line start fast: the model needs pydantic, the topology networkx/pandas/scipy.
_LAZY = {
    "examples": "netplan.examples",
    "Scenario": "netplan.model",
    "diagnose": "netplan.model",
    "Topology": "netplan.topology",
    "build_topology": "netplan.topology",
    "reachability": "netplan.topology",
    "summarize": "netplan.topology",
    "survivability": "netplan.topology",
}
__getattr__, __dir__ = lazy_exports("netplan", globals(), _LAZY)

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
    "SolverFailedError",
    "Issue",
]
