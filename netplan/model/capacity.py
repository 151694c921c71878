"""Capacity-planning settings: the ``capacity:`` and ``addressing:`` sections of a scenario.

``capacity`` holds what a network planner types in to size the extranet and the cloud node:
utilisation ceilings, the years of the plan, a catalogue of link options per link class with
their one-off and yearly costs, new lines (a second carrier), a budget, links that may not
change, carriers that may not be used, the dedicated networks (业务专网) folded into the extranet,
and the cloud node's host type and utilisation ceiling. ``addressing`` holds the supernets of the
extranet's address plan.

A *link class* names a group of extranet links by kind and tier, as the topology labels them:
``uplink/city`` (city core to province), ``uplink/county``, ``uplink/town``, ``uplink/village``,
``access/city``, ``access/county``, ``access/town`` (departments), ``egress`` (internet),
``datacenter`` (cloud node and exchange platform), ``interconnect``; a bare kind (``access``)
covers every tier of it, and the more specific entry wins.
"""

from __future__ import annotations

import ipaddress
from typing import Annotated

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    WithJsonSchema,
    field_validator,
    model_validator,
)

from netplan.units import BANDWIDTH_JSON_PATTERN, parse_bandwidth_mbps

__all__ = [
    "LINK_CLASSES",
    "ModuleOption",
    "NewLineCost",
    "Ceilings",
    "DedicatedNetwork",
    "HostType",
    "CloudSizing",
    "CapacitySettings",
    "AddressingSettings",
    "link_class_keys",
]

#: Link classes a catalogue entry may name (``kind/tier``, or a bare kind for all its tiers).
LINK_CLASSES = (
    "uplink/province", "uplink/city", "uplink/county", "uplink/town", "uplink/village",
    "access/city", "access/county", "access/town",
    "egress", "datacenter", "interconnect",
    "uplink", "access",
)

_Bandwidth = Annotated[
    int,
    BeforeValidator(parse_bandwidth_mbps),
    WithJsonSchema({"anyOf": [{"type": "integer", "minimum": 0, "description": "Mbps"},
                              {"type": "string", "pattern": BANDWIDTH_JSON_PATTERN}]}),
]
_Name = Annotated[str, Field(min_length=1, max_length=200)]
_Cost = Annotated[float, Field(ge=0, allow_inf_nan=False)]


def link_class_keys(kind: str, tier: str) -> tuple[str, str]:
    """The catalogue keys of a link, most specific first.

    Examples
    --------
    >>> link_class_keys("access", "county")
    ('access/county', 'access')
    """
    return f"{kind}/{tier}", kind


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", populate_by_name=True, defer_build=True,
                              allow_inf_nan=False)  # no infinite latency, no NaN price


class ModuleOption(_Frozen):
    """One capacity a line of a link class can be given, and what it costs.

    Examples
    --------
    >>> m = ModuleOption(capacity="1G", one_off=12, yearly=3.5)
    >>> m.capacity_mbps, m.one_off_cost, m.yearly_cost
    (1000, 12.0, 3.5)
    """

    capacity_mbps: _Bandwidth = Field(alias="capacity", description="Line capacity, e.g. 1G.")
    one_off_cost: _Cost = Field(0.0, alias="one_off",
                                description="Cost of upgrading a line to it (installation).")
    yearly_cost: _Cost = Field(0.0, alias="yearly", description="Rent per year of a line of it.")


class NewLineCost(_Frozen):
    """What a new line (a second carrier to a single-homed site) costs besides its module."""

    one_off_cost: _Cost = Field(0.0, alias="one_off", description="Construction, one-off.")
    yearly_cost: _Cost = Field(0.0, alias="yearly", description="Line rent per year.")


class Ceilings(_Frozen):
    """Utilisation ceilings of a line: its load may use this much of its capacity."""

    normal_pct: float = Field(70.0, gt=0, le=100, alias="normal",
                              description="In normal operation, %.")
    failure_pct: float = Field(100.0, gt=0, le=100, alias="failure",
                               description="In a failure state (one carrier or link down), %.")


class DedicatedNetwork(_Frozen):
    """A departmental dedicated network (业务专网) whose traffic moves onto the extranet.

    Each site sends ``busy_hour_mbps`` to the hub (the department's node) from ``year`` on;
    ``download_share`` of it travels the other way.
    """

    name: _Name = Field(description="Network name, e.g. 公安视频专网.")
    department: _Name = Field(
        description="The hub: a department node's name or id (e.g. 市公安局).")
    sites: list[_Name] = Field(
        min_length=1, description="Sites it joins: node names or ids (a department, a town, a "
        "county...); a name that two places share needs its division, e.g. 兴宁市/大坪镇.")
    busy_hour_mbps: _Bandwidth = Field(alias="busy_hour",
                                       description="Busy-hour traffic of each site, e.g. 30M.")
    year: int = Field(ge=1990, le=2100, description="Year it is folded into the extranet.")
    download_share: float = Field(0.5, ge=0, le=1,
                                  description="Share travelling from the hub to the sites.")


class HostType(_Frozen):
    """A cloud host (server) type, for packing systems onto hosts."""

    vcpu: int = Field(gt=0, description="vCPUs a host offers.")
    memory_gb: float = Field(gt=0, description="Memory a host offers, GB.")
    storage_tb: float | None = Field(
        None, gt=0, description="Host-local storage, TB; leave out when storage is shared.")


class CloudSizing(_Frozen):
    """How the cloud node is sized and judged."""

    ceiling_pct: float = Field(85.0, gt=0, le=100, description="Safe utilisation ceiling, %: "
                               "above it the node must be expanded.")
    host: HostType | None = Field(None, description="Host type for the host count.")
    shrink_idle: bool = Field(True, description="Propose shrinking allocations by the "
                              "inventory's resource-idle share when utilisation is low (缩容).")


class CapacitySettings(_Frozen):
    """The capacity plan's settings (the ``capacity:`` section).

    Examples
    --------
    >>> c = CapacitySettings(catalogue={"access": [{"capacity": "200M", "one_off": 1}]})
    >>> c.ceilings.normal_pct, c.catalogue["access"][0].capacity_mbps
    (70.0, 200)
    """

    ceilings: Ceilings = Field(default_factory=Ceilings, alias="ceiling_pct")
    single_line_failures: bool = Field(
        True, description="Load every single line down as well as each carrier down (N-1 per "
        "line). false keeps the normal and carrier-down states only: on a national scenario "
        "the 600,000 line states are 98 % of the capacity stage (benchmarks/run_resources.py).")
    years: list[int] | None = Field(
        None, description="Years of the plan (demand grows by demand.growth_pct_per_year); "
        "default: the scenario year only.")
    discount_rate_pct: float = Field(0.0, ge=0, le=100,
                                     description="Yearly discount rate of costs, %.")
    currency: str = Field("万元", max_length=20, description="Unit of every cost.")
    catalogue: dict[str, list[ModuleOption]] = Field(
        default_factory=dict, description="Capacity options per link class (see the module).")
    new_lines: dict[str, NewLineCost] = Field(
        default_factory=dict, description="Link classes that may get a new line of a second "
        "carrier, with its cost (besides its module's).")
    budget: _Cost | None = Field(
        None, description="Total cost cap (discounted); then the plan meets as many rules as "
        "it can, weighted by rule_weights.")
    rule_weights: dict[str, float] = Field(
        default_factory=dict, description="Weight of each rule under a budget (default 1; "
        "e.g. reachable: 10).")
    frozen_links: list[_Name] = Field(
        default_factory=list, description='Links that may not change: "SOURCE -- TARGET" node '
        "ids or link ids.")
    forbidden_carriers: list[_Name] = Field(
        default_factory=list, description="Carriers no new line may use.")
    dedicated_networks: list[DedicatedNetwork] = Field(default_factory=list)
    cloud: CloudSizing = Field(default_factory=CloudSizing)
    time_limit_s: float = Field(60.0, gt=0, description="Upgrade MILP time limit, seconds.")

    @field_validator("catalogue", "new_lines")
    @classmethod
    def _known_classes(cls, v: dict) -> dict:
        for key in v:
            if key not in LINK_CLASSES:
                raise ValueError(f"{key!r} is not a link class; use one of "
                                 + ", ".join(LINK_CLASSES))
        return v

    @field_validator("catalogue")
    @classmethod
    def _options(cls, v: dict[str, list[ModuleOption]]) -> dict[str, list[ModuleOption]]:
        for key, options in v.items():
            if not options:
                raise ValueError(f"catalogue {key!r} lists no option")
            caps = [o.capacity_mbps for o in options]
            if len(set(caps)) != len(caps):
                raise ValueError(f"catalogue {key!r} lists a capacity twice: {caps}")
            if min(caps) <= 0:
                raise ValueError(f"catalogue {key!r} has a capacity of 0")
        return v

    @field_validator("years")
    @classmethod
    def _years(cls, v: list[int] | None) -> list[int] | None:
        if v is not None:
            if not v or v != sorted(set(v)):
                raise ValueError(f"years {v} must be distinct and in increasing order")
            if v[0] < 1990 or v[-1] > 2100:
                raise ValueError(f"years {v} must lie in 1990..2100")
        return v

    def options_for(self, kind: str, tier: str) -> list[ModuleOption]:
        """The catalogue options of a link (the most specific class that lists any)."""
        for key in link_class_keys(kind, tier):
            if key in self.catalogue:
                return list(self.catalogue[key])
        return []

    def new_line_for(self, kind: str, tier: str) -> NewLineCost | None:
        """The new-line cost of a link class, or None when it may get no new line."""
        for key in link_class_keys(kind, tier):
            if key in self.new_lines:
                return self.new_lines[key]
        return None


class AddressingSettings(_Frozen):
    """The address plan's supernets and sizing (the ``addressing:`` section).

    Examples
    --------
    >>> a = AddressingSettings(ipv4="10.64.0.0/10")
    >>> str(a.ipv4), a.growth_pct
    ('10.64.0.0/10', 100.0)
    """

    ipv4: ipaddress.IPv4Network = Field(description="IPv4 supernet of the extranet, e.g. "
                                        "10.64.0.0/10.")
    ipv6: ipaddress.IPv6Network | None = Field(None, description="IPv6 supernet, e.g. "
                                               "240e:6b0::/32.")
    growth_pct: float = Field(100.0, ge=0, le=1000, description="Headroom for growth in every "
                              "block, % of today's need.")
    hosts_per_department: int = Field(60, ge=1, le=65000,
                                      description="IPv4 hosts of one department today.")
    hosts_per_village: int = Field(12, ge=1, le=65000,
                                   description="IPv4 hosts of one village office today.")
    hosts_per_division: int = Field(
        30, ge=0, le=65000, description="IPv4 hosts of a division's own network equipment and "
        "interconnects (city, county, town node).")
    ipv6_department_prefix: int = Field(56, ge=48, le=64,
                                        description="IPv6 prefix length of a department.")
    ipv6_village_prefix: int = Field(60, ge=48, le=64,
                                     description="IPv6 prefix length of a village office.")

    @field_validator("ipv4", "ipv6", mode="before")
    @classmethod
    def _strict(cls, v: object) -> object:
        if isinstance(v, str):
            try:
                ipaddress.ip_network(v, strict=True)
            except ValueError as exc:
                raise ValueError(f"{v!r} is not a network address with prefix ({exc}); "
                                 "write e.g. 10.64.0.0/10") from None
        return v

    @model_validator(mode="after")
    def _sizes(self) -> AddressingSettings:
        if self.ipv6 is not None and self.ipv6.prefixlen >= self.ipv6_village_prefix:
            raise ValueError(f"ipv6 supernet /{self.ipv6.prefixlen} is not shorter than a "
                             f"village's /{self.ipv6_village_prefix}")
        return self

