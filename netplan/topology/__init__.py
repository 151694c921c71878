"""Topology: build the four-tier extranet and analyse reachability and survivability."""

from netplan.topology.analysis import (
    TIER_ORDER,
    ReachabilityResult,
    SurvivabilityResult,
    TopologySummary,
    reachability,
    summarize,
    survivability,
)
from netplan.topology.build import build_topology
from netplan.topology.topology import LINK_COLUMNS, NODE_COLUMNS, Link, Node, Topology

__all__ = [
    "Topology",
    "Node",
    "Link",
    "NODE_COLUMNS",
    "LINK_COLUMNS",
    "build_topology",
    "reachability",
    "survivability",
    "summarize",
    "ReachabilityResult",
    "SurvivabilityResult",
    "TopologySummary",
    "TIER_ORDER",
]
