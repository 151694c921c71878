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
    "examples": ("netplan.examples", None),
    "Scenario": ("netplan.model", "Scenario"),
    "diagnose": ("netplan.model", "diagnose"),
    "Topology": ("netplan.topology", "Topology"),
    "build_topology": ("netplan.topology", "build_topology"),
    "reachability": ("netplan.topology", "reachability"),
    "summarize": ("netplan.topology", "summarize"),
    "survivability": ("netplan.topology", "survivability"),
}


def __getattr__(name: str):
    try:
        module, attr = _LAZY[name]
    except KeyError:
        raise AttributeError(f"module 'netplan' has no attribute {name!r}") from None
    import importlib

    value = importlib.import_module(module)
    if attr is not None:
        value = getattr(value, attr)
    globals()[name] = value  # later look-ups skip this function
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_LAZY))


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
