"""The simulated network's trunks and routes: they live in :mod:`netplan.topology.routing`.

The simulator, the survivability analysis and the capacity planner route by one rule (least
latency over the trunks that are up, equal-latency routes shared); this module re-exports it.
"""

from netplan.topology.routing import (  # noqa: F401
    MAX_ROUTES,
    ROUTE_KINDS,
    Router,
    Trunks,
    arc_trunks,
    reverse_path,
)

__all__ = ["Trunks", "Router", "ROUTE_KINDS", "MAX_ROUTES", "reverse_path", "arc_trunks"]
