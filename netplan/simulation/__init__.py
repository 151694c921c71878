"""Traffic simulation (SimPy, flow level) and interconnect validation over the extranet.

- :mod:`.engine` — max-min fair sharing of link capacity among flows, event by event;
- :mod:`.network` — trunks (parallel lines bundled) and least-latency routes with ECMP;
- :mod:`.traffic` — the scenario's demand as flow streams and Poisson/diurnal arrivals;
- :mod:`.simulate` — a busy hour (or any period) with faults and recovery;
- :mod:`.validate` — service-level checks per site, destination and failure case, and a
  migration schedule's cutover windows.

Examples
--------
>>> from netplan.examples import tiny_scenario
>>> from netplan.simulation import validate_interconnect
>>> v = validate_interconnect(tiny_scenario(), cases=[])   # a 720 s pilot, longer if needed
>>> v.passed, v.unconfirmed
(True, 0)
>>> short = validate_interconnect(tiny_scenario(), duration_s=300, cases=[])
>>> short.verdict()["verdict"].tolist()   # too short: two checks not confirmed at 95%
['PASS', 'PASS', 'INCONCLUSIVE', 'INCONCLUSIVE']
"""

from netplan.simulation.engine import FlowEngine, max_min_rates
from netplan.simulation.simulate import TrafficResult, simulate_traffic
from netplan.simulation.traffic import (
    CloudSystems,
    cloud_system_mbps,
    cloud_systems,
    draw_arrivals,
    traffic_streams,
)
from netplan.simulation.validate import (
    CutoverValidation,
    InterconnectValidation,
    cutover_load,
    default_failure_cases,
    validate_cutovers,
    validate_interconnect,
)
from netplan.topology.routing import Router, Trunks

__all__ = [
    "FlowEngine",
    "max_min_rates",
    "Trunks",
    "Router",
    "TrafficResult",
    "simulate_traffic",
    "traffic_streams",
    "draw_arrivals",
    "cloud_system_mbps",
    "CloudSystems",
    "cloud_systems",
    "InterconnectValidation",
    "validate_interconnect",
    "default_failure_cases",
    "CutoverValidation",
    "cutover_load",
    "validate_cutovers",
]
