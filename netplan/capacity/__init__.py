"""Capacity planning: link loads, target compliance, least-cost upgrades, cloud and addresses.

- :func:`link_loads` — busy-hour load on every trunk per year, normal and in every carrier and
  single-line failure, by the one routing rule of :mod:`netplan.topology.routing`;
- :func:`check_compliance` — the policy targets and utilisation ceilings, one row per violation;
- :func:`plan_upgrades` — the least-cost modules and second-carrier lines (PuLP + HiGHS);
- :func:`dimension` — general network dimensioning (multicommodity flow) for meshes and SNDlib;
- :func:`cloud_capacity`, :func:`hosts_needed`, :func:`pack` — the cloud node's utilisation,
  expansion, 缩容 and host count (vector bin packing);
- :func:`address_plan` — hierarchical IPv4/IPv6 blocks per division and department;
- :func:`plan_capacity` — all of them for a scenario, as ``netplan capacity`` runs them.
"""

from netplan.capacity.addressing import AddressPlan, address_plan, check_address_plan
from netplan.capacity.binpack import Packing, check_packing, pack
from netplan.capacity.cloud import CloudCapacity, HostPlan, cloud_capacity, hosts_needed
from netplan.capacity.compliance import Compliance, check_compliance
from netplan.capacity.dimensioning import (
    DimensioningProblem,
    DimensioningResult,
    check_dimensioning,
    dimension,
)
from netplan.capacity.loads import FailureState, LinkLoads, failure_states, link_loads
from netplan.capacity.plan import CapacityPlan, plan_capacity
from netplan.capacity.upgrade import UpgradePlan, candidate_lines, plan_upgrades

__all__ = [
    "link_loads", "LinkLoads", "FailureState", "failure_states",
    "check_compliance", "Compliance",
    "plan_upgrades", "UpgradePlan", "candidate_lines",
    "dimension", "DimensioningProblem", "DimensioningResult", "check_dimensioning",
    "cloud_capacity", "CloudCapacity", "hosts_needed", "HostPlan",
    "pack", "Packing", "check_packing",
    "address_plan", "AddressPlan", "check_address_plan",
    "plan_capacity", "CapacityPlan",
]
