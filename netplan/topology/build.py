"""Build the four-tier extranet of a scenario.

Structure (top down), deterministic for a given scenario:

- a national backbone node when the region has several provinces, then one province backbone
  node (省骨干网) per province;
- per city: the city core (``city``), one point of presence per carrier (``pop``) joined to the
  core by the carrier interconnect (互联互通), uplinked to the province by that carrier; the
  internet egress, the cloud node(s) and the exchange platform attached at the core;
- counties uplinked to the city over each of their carriers (to that carrier's POP), towns to
  their county, villages to their town ("2+N": the scenario says how many carriers per tier;
  a node's carriers are taken round robin among its parent's);
- departments attached to the city (at the POPs), county and town nodes over their access lines.

Each link's ``source`` is its lower end (the child, the department, the attached service), so a
node's links with it as source are its upstream lines.

Node ids are division paths: ``广东省/梅州市/梅江区/金山街道/村001``; attached nodes use ``#``:
``广东省/梅州市#电信``, ``广东省/梅州市#cloud:政务云梅州节点``, ``…/梅江区#公安局``.
"""

from __future__ import annotations

import numpy as np

from netplan.model.scenario import DepartmentTier, Scenario, TierLink
from netplan.topology.topology import LINK_COLUMNS, NODE_COLUMNS, Topology

__all__ = ["build_topology"]


class _Tables:
    """Column lists that become the node and link tables."""

    def __init__(self) -> None:
        self.node_id: list[str] = []
        self.ncol: dict[str, list[str]] = {c: [] for c in NODE_COLUMNS}
        self.lcol: dict[str, list] = {c: [] for c in LINK_COLUMNS}

    def node(self, node_id: str, kind: str, tier: str, name: str, parent: str = "",
             province: str = "", city: str = "", county: str = "", town: str = "") -> str:
        self.node_id.append(node_id)
        c = self.ncol
        c["kind"].append(kind)
        c["tier"].append(tier)
        c["name"].append(name)
        c["province"].append(province)
        c["city"].append(city)
        c["county"].append(county)
        c["town"].append(town)
        c["parent"].append(parent)
        return node_id

    def link(self, source: str, target: str, kind: str, tier: str, carrier: str,
             capacity_mbps: int | None, latency_ms: float, length_km: float | None) -> None:
        c = self.lcol
        c["source"].append(source)
        c["target"].append(target)
        c["kind"].append(kind)
        c["tier"].append(tier)
        c["carrier"].append(carrier)
        c["capacity_mbps"].append(capacity_mbps)
        c["latency_ms"].append(latency_ms)
        c["length_km"].append(np.nan if length_km is None else length_km)

    def nodes(self, node_ids: list[str], kind: str, tier: str, names: list[str], parent: str = "",
              province: str = "", city: str = "", county: str = "", town: str = "") -> None:
        """Append many nodes sharing kind, tier, parent and place (as :meth:`node` in a loop)."""
        n = len(node_ids)
        self.node_id.extend(node_ids)
        c = self.ncol
        c["kind"].extend([kind] * n)
        c["tier"].extend([tier] * n)
        c["name"].extend(names)
        c["province"].extend([province] * n)
        c["city"].extend([city] * n)
        c["county"].extend([county] * n)
        c["town"].extend([town] * n)
        c["parent"].extend([parent] * n)

    def links(self, sources: list[str], targets: list[str], kind: str, tier: str,
              carriers: list[str], capacity_mbps: int | None, latency_ms: float,
              length_km: float | None) -> None:
        """Append many links sharing kind, tier and line spec (as :meth:`link` in a loop)."""
        n = len(sources)
        c = self.lcol
        c["source"].extend(sources)
        c["target"].extend(targets)
        c["kind"].extend([kind] * n)
        c["tier"].extend([tier] * n)
        c["carrier"].extend(carriers)
        c["capacity_mbps"].extend([capacity_mbps] * n)
        c["latency_ms"].extend([latency_ms] * n)
        c["length_km"].extend([np.nan if length_km is None else length_km] * n)

    def uplinks(self, child: str, parent_of: dict[str, str], carriers: list[str], tier: str,
                spec: TierLink) -> None:
        """Uplink ``child`` over each of ``carriers``; ``parent_of`` maps carrier → endpoint."""
        for carrier in carriers:
            self.link(child, parent_of[carrier], "uplink", tier, carrier, spec.uplink_mbps,
                      spec.latency_ms, spec.length_km)

    def frames(self, name: str, root: str) -> Topology:
        try:
            return Topology.from_columns(self.node_id, self.ncol, self.lcol, name=name, root=root)
        except ValueError as exc:
            raise ValueError(f"{exc}: division names must be unique within their parent") from None


def _pick(parent_carriers: list[str], k: int, offset: int) -> list[str]:
    """``k`` carriers among the parent's, round robin from ``offset``."""
    n = len(parent_carriers)
    k = min(k, n)
    return [parent_carriers[(offset + j) % n] for j in range(k)]


def _picks(parent_carriers: list[str], k: int, count: int) -> tuple[list[str], int]:
    """``_pick(parent_carriers, k, i)`` for ``i`` in ``range(count)``, concatenated.

    Returns the carriers and how many each item gets (``min(k, len(parent_carriers))``).
    """
    n = len(parent_carriers)
    k = min(k, n)
    return [parent_carriers[(i + j) % n] for i in range(count) for j in range(k)], k


def _hosts(where, cities: list[str]) -> set[str]:
    if where == "every":
        return set(cities)
    if where is None:
        return {cities[0]} if cities else set()
    return set(where)


def build_topology(scenario: Scenario) -> Topology:
    """Build the four-tier extranet of a scenario.

    Parameters
    ----------
    scenario : Scenario
        A validated scenario.

    Returns
    -------
    Topology
        Node and link tables; ``root`` is the national backbone when there are several provinces,
        else the province backbone.

    Examples
    --------
    >>> from netplan.examples import tiny_scenario
    >>> topo = build_topology(tiny_scenario())
    >>> int(topo.nodes["kind"].value_counts()["village"])
    6
    """
    ex = scenario.extranet
    tiers = ex.tiers
    carriers = list(ex.carriers)
    provinces = scenario.region.province_list()
    cities = [c.name for p in provinces for c in p.cities]
    cloud_hosts = [(node, _hosts(node.cities, cities)) for node in scenario.cloud]
    platform = scenario.exchange_platform
    platform_hosts = _hosts(platform.cities, cities) if platform is not None else set()
    deps = ex.departments
    single_city = len(cities) == 1
    t = _Tables()

    national = None
    if len(provinces) > 1:
        national = t.node("全国", "national", "national", "国家电子政务外网骨干")
    for p_i, province in enumerate(provinces):
        pid = t.node(province.name, "province", "province", province.name, parent=national or "",
                     province=province.name)
        if national is not None:
            spec = tiers.province
            t.uplinks(pid, {c: national for c in carriers},
                      _pick(carriers, spec.carriers, p_i), "province", spec)
        for city in province.cities:
            where = dict(province=province.name, city=city.name)
            cid = t.node(f"{pid}/{city.name}", "city", "city", city.name, parent=pid, **where)
            city_carriers = _pick(carriers, tiers.city.carriers, 0)
            pops = {}
            for carrier in city_carriers:
                pops[carrier] = t.node(f"{cid}#{carrier}", "pop", "city", f"{city.name}{carrier}",
                                       parent=cid, **where)
                t.link(pops[carrier], cid, "interconnect", "city", carrier, ex.interconnect_mbps,
                       0.1, None)
                t.link(pops[carrier], pid, "uplink", "city", carrier, tiers.city.uplink_mbps,
                       tiers.city.latency_ms, tiers.city.length_km)
            _attach_city_services(t, scenario, cid, city.name, pops, city_carriers,
                                  cloud_hosts, platform_hosts, single_city, where)
            _departments(t, deps.city, cid, pops, city_carriers, "city", where)
            for k_i, county in enumerate(city.counties):
                kid = t.node(f"{cid}/{county.name}", "county", "county", county.name, parent=cid,
                             county=county.name, **where)
                k_carriers = _pick(city_carriers, tiers.county.carriers, k_i)
                t.uplinks(kid, pops, k_carriers, "county", tiers.county)
                kwhere = dict(where, county=county.name)
                _departments(t, deps.county, kid, {c: kid for c in k_carriers}, k_carriers,
                             "county", kwhere)
                _towns(t, scenario, county, kid, k_carriers, kwhere)
    root = national if national is not None else provinces[0].name
    return t.frames(scenario.name, root)


def _attach_city_services(t: _Tables, scenario: Scenario, cid: str, city: str,
                          pops: dict[str, str], city_carriers: list[str], cloud_hosts,
                          platform_hosts: set[str], single_city: bool, where: dict) -> None:
    egress = scenario.extranet.internet_egress
    if egress is not None:
        eid = t.node(f"{cid}#internet", "egress", "city", f"{city}互联网出口", parent=cid, **where)
        for carrier in _pick(city_carriers, egress.carriers, 0):
            t.link(eid, pops[carrier], "egress", "city", carrier, egress.capacity_mbps,
                   egress.latency_ms, None)
    for node, hosts in cloud_hosts:
        if city in hosts:
            name = node.name if single_city else f"{city}·{node.name}"
            nid = t.node(f"{cid}#cloud:{node.name}", "cloud", "city", name, parent=cid, **where)
            for _ in range(node.links):
                t.link(nid, cid, "datacenter", "city", "", node.uplink_mbps, node.latency_ms, None)
    platform = scenario.exchange_platform
    if platform is not None and city in platform_hosts:
        name = platform.name if single_city else f"{city}·{platform.name}"
        nid = t.node(f"{cid}#platform", "platform", "city", name, parent=cid, **where)
        for _ in range(platform.links):
            t.link(nid, cid, "datacenter", "city", "", platform.uplink_mbps, platform.latency_ms,
                   None)


def _departments(t: _Tables, spec: DepartmentTier | None, division: str,
                 endpoint: dict[str, str], division_carriers: list[str], tier: str,
                 where: dict) -> None:
    if spec is None:
        return
    names = spec.name_list()
    dids = [f"{division}#{name}" for name in names]
    t.nodes(dids, "department", tier, names, parent=division, **where)
    # department d_i's lines: _pick(division_carriers, spec.carriers, d_i), in order
    carriers, k = _picks(division_carriers, spec.carriers, len(dids))
    t.links([did for did in dids for _ in range(k)], [endpoint[c] for c in carriers], "access",
            tier, carriers, spec.access_mbps, spec.latency_ms, None)


def _towns(t: _Tables, scenario: Scenario, county, kid: str, k_carriers: list[str],
           kwhere: dict) -> None:
    tiers = scenario.extranet.tiers
    deps = scenario.extranet.departments.town
    v_spec = tiers.village
    for w_i, town in enumerate(county.town_list()):
        wid = t.node(f"{kid}/{town.name}", "town", "town", town.name, parent=kid,
                     town=town.name, **kwhere)
        w_carriers = _pick(k_carriers, tiers.town.carriers, w_i)
        t.uplinks(wid, {c: kid for c in w_carriers}, w_carriers, "town", tiers.town)
        wwhere = dict(kwhere, town=town.name)
        _departments(t, deps, wid, {c: wid for c in w_carriers}, w_carriers, "town", wwhere)
        if not town.villages:
            continue
        # the villages in bulk (the bulk of a national build): village v_i is 村<v_i+1> with
        # the lines _pick(w_carriers, v_spec.carriers, v_i), in order
        width = max(3, len(str(town.villages)))
        names = [f"村{v_i + 1:0{width}d}" for v_i in range(town.villages)]
        vids = [f"{wid}/{name}" for name in names]
        t.nodes(vids, "village", "village", names, parent=wid, **wwhere)
        carriers, k = _picks(w_carriers, v_spec.carriers, len(vids))
        sources = vids if k == 1 else [vid for vid in vids for _ in range(k)]
        t.links(sources, [wid] * len(carriers), "uplink", "village", carriers,
                v_spec.uplink_mbps, v_spec.latency_ms, v_spec.length_km)
