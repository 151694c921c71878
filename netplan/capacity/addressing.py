"""The extranet's address plan (IP 地址规划): hierarchical, aggregatable IPv4 and IPv6 blocks.

:func:`address_plan` gives every division (province, city, county, town, village) and every
department a block of the ``addressing:`` supernet, and every city, county and town node a
*division infrastructure* block for its own network equipment and interconnects (设备互联).
Every block lies inside its parent's, so each tier boundary aggregates into one route: a city's
prefix covers everything in the city, a county's everything in the county.

Sizing, bottom up (one rule per family):

- **IPv4.** A LAN (village office, department, division infrastructure) needs its hosts today
  times ``1 + growth_pct / 100`` (rounded up), plus 2 (network and broadcast address); its
  block is the next power of two: a department of 60 hosts with 100 % growth needs
  ``120 + 2 = 122`` addresses and gets a /25. The growth room sits in each LAN.
- **IPv6.** LAN sizes are policy: a village office gets a ``/ipv6_village_prefix``, a
  department a ``/ipv6_department_prefix``, a division's infrastructure a
  ``/ipv6_village_prefix`` too. The growth room is for new LANs: an aggregate needs
  ``1 + growth_pct / 100`` times the LAN space below it. IPv6 sizes are counted in /64
  subnets.
- An aggregate (a division) gets the next power of two that holds both its need and its
  children's blocks packed side by side; an aggregate with a single child gets twice the
  child's block, so no two blocks have the same prefix (NetBox refuses duplicates).
  Growth is not compounded tier by tier: an aggregate's need is computed from the LANs
  below it, never from its children's rounded blocks.

Allocation, top down, is buddy allocation: a parent's children are placed side by side from
its first address, largest first, ties by node id, so every block is aligned to its size and
the plan is the same on every run. The supernet itself is a row (kind ``supernet``); what its
top divisions leave is free (when a single top division fills the supernet exactly, its row
is the supernet's and there is no ``supernet`` row). Nodes of other kinds (POPs, egress,
cloud, platform) are left to their city's infrastructure block.

The plan is built from integer arrays (offsets from the supernet's first address, in
addresses for IPv4 and /64 subnets for IPv6), so a national topology (half a million villages)
plans in seconds; prefix strings are made by :meth:`AddressPlan.to_frame`.
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass
from functools import cached_property

import numpy as np
import pandas as pd

from netplan.errors import Issue, NetplanError, ScenarioError, UnknownNodeError
from netplan.model.capacity import AddressingSettings
from netplan.topology.topology import Topology

__all__ = ["AddressPlan", "address_plan", "check_address_plan", "ADDRESSED_KINDS", "FAMILIES",
           "BLOCK_LABELS"]

#: Node kinds that get a block (departments under their division).
ADDRESSED_KINDS = ("national", "province", "city", "county", "town", "village", "department")
#: Address families, in the order the plan lists them.
FAMILIES = ("ipv4", "ipv6")
#: Division kinds that get an infrastructure block.
_DIVISIONS = ("city", "county", "town")
#: Unit of ``addresses`` and ``needed`` per family.
_UNIT = {"ipv4": "address", "ipv6": "/64"}
#: Bits of the unit of each family (a /64 is 64 bits of interface id).
_UNIT_BITS = {"ipv4": 0, "ipv6": 64}
_MAX_BITS = {"ipv4": 32, "ipv6": 128}
#: Chinese label of each block kind (descriptions, reports).
BLOCK_LABELS = {"national": "全国", "province": "省", "city": "市", "county": "县(区)",
                "town": "乡镇(街道)", "village": "村(社区)", "department": "部门",
                "infrastructure": "设备互联", "supernet": "地址总块"}


@dataclass(frozen=True)
class AddressPlan:
    """An address plan: one block per division, department and division infrastructure.

    Parameters
    ----------
    name : str
        The topology's name.
    settings : AddressingSettings
        The supernets and sizing the plan was made with.
    blocks : pandas.DataFrame
        The compact block table, one row per block, both families: ``family``, ``node_id``,
        ``name``, ``kind`` (a node kind, ``infrastructure`` or ``supernet``), ``tier``,
        ``parent`` (row position of the parent block, -1 at the top), ``offset`` (from the
        supernet's first address, in ``unit``), ``prefixlen``, ``needed`` (in ``unit``) and
        ``hosts`` (IPv4 hosts today, summed over the block). Rows are in address order per
        family, parents before their children. Use :meth:`to_frame` for prefixes as text.

    Examples
    --------
    >>> from netplan.examples import tiny_scenario
    >>> from netplan.topology import build_topology
    >>> from netplan.model.capacity import AddressingSettings
    >>> plan = address_plan(build_topology(tiny_scenario()), AddressingSettings(ipv4="10.8.0.0/16"))
    >>> str(plan.block_of("测试省/甲市/A县"))
    '10.8.0.0/22'
    >>> str(plan.block_of("测试省/甲市/A县", infrastructure=True))
    '10.8.3.128/26'
    """

    name: str
    settings: AddressingSettings
    blocks: pd.DataFrame

    def __len__(self) -> int:
        return len(self.blocks)

    def supernet(self, family: str = "ipv4") -> ipaddress.IPv4Network | ipaddress.IPv6Network:
        """The supernet of ``family`` (``"ipv4"`` or ``"ipv6"``).

        Raises
        ------
        NetplanError
            When the plan has no such family.
        """
        net = self.settings.ipv4 if family == "ipv4" else self.settings.ipv6
        if family not in FAMILIES or net is None:
            raise NetplanError(f"the plan has no {family} supernet; it has "
                               f"{', '.join(self.families)}")
        return net

    @property
    def families(self) -> list[str]:
        """The families planned: ``["ipv4"]`` or ``["ipv4", "ipv6"]``."""
        return [f for f in FAMILIES if f == "ipv4" or self.settings.ipv6 is not None]

    @cached_property
    def _lookup(self) -> dict[tuple[str, str, bool], int]:
        b = self.blocks
        infra = (b["kind"] == "infrastructure").to_numpy()
        return {(f, n, bool(i)): pos for pos, (f, n, i) in
                enumerate(zip(b["family"].to_numpy(), b["node_id"].to_numpy(), infra,
                              strict=True))}

    def block_of(self, node_id: str, family: str = "ipv4", *, infrastructure: bool = False):
        """The block of a node (a division, village or department).

        Parameters
        ----------
        node_id : str
            A node id of the topology.
        family : {"ipv4", "ipv6"}
            Address family.
        infrastructure : bool
            The division's infrastructure block instead of its whole block (city, county and
            town nodes only).

        Returns
        -------
        ipaddress.IPv4Network or ipaddress.IPv6Network

        Raises
        ------
        UnknownNodeError
            When the node has no block of that family.
        """
        pos = self._lookup.get((family, node_id, infrastructure))
        if pos is None:
            what = " infrastructure" if infrastructure else ""
            raise UnknownNodeError(f"no {family}{what} block for node {node_id!r} in the plan "
                                   f"of {self.name or 'the topology'}; blocks exist for kinds "
                                   f"{', '.join(ADDRESSED_KINDS)}")
        return self._network(pos)

    def _network(self, pos: int):
        row = self.blocks.iloc[pos]
        fam = row["family"]
        base = int(self.supernet(fam).network_address)
        addr = base + (int(row["offset"]) << _UNIT_BITS[fam])
        return ipaddress.ip_network((addr, int(row["prefixlen"])))

    def to_frame(self) -> pd.DataFrame:
        """One row per block, parents before children, in address order per family.

        Returns
        -------
        pandas.DataFrame
            ``prefix``, ``family``, ``node_id``, ``name``, ``kind``, ``tier``,
            ``parent_prefix`` (``""`` for a supernet), ``addresses`` (block size) and
            ``needed`` (with growth), both in ``unit`` (``address`` for IPv4, ``/64`` for
            IPv6), ``unit``, ``hosts`` (IPv4 hosts today), ``children`` (number of child
            blocks) and ``utilisation_pct`` (``needed / addresses``, %).
        """
        b = self.blocks
        prefix = self._prefix_text
        parent = b["parent"].to_numpy()
        parent_prefix = np.where(parent >= 0, prefix[np.maximum(parent, 0)], "")
        size = np.left_shift(np.int64(1), (_bits(b["family"].to_numpy())
                                           - b["prefixlen"].to_numpy()).astype(np.int64))
        children = np.bincount(parent[parent >= 0], minlength=len(b))
        out = pd.DataFrame({
            "prefix": prefix, "family": b["family"].to_numpy(), "node_id": b["node_id"].to_numpy(),
            "name": b["name"].to_numpy(), "kind": b["kind"].to_numpy(),
            "tier": b["tier"].to_numpy(), "parent_prefix": parent_prefix,
            "addresses": size, "needed": b["needed"].to_numpy(),
            "unit": b["family"].map(_UNIT).to_numpy(), "hosts": b["hosts"].to_numpy(),
            "children": children,
        })
        out["utilisation_pct"] = 100.0 * out["needed"] / out["addresses"]
        out.attrs["unit"] = {"addresses": "address (ipv4) or /64 (ipv6)", "utilisation": "%"}
        return out

    @cached_property
    def _prefix_text(self) -> np.ndarray:
        """Every block's prefix as text (made once: a national plan has a million)."""
        b = self.blocks
        out = np.empty(len(b), dtype=object)
        fam = b["family"].to_numpy()
        for family in self.families:
            rows = np.flatnonzero(fam == family)
            base = int(self.supernet(family).network_address)
            offs = b["offset"].to_numpy()[rows].tolist()
            plens = b["prefixlen"].to_numpy()[rows].tolist()
            if family == "ipv4":
                texts = [f"{a >> 24}.{(a >> 16) & 255}.{(a >> 8) & 255}.{a & 255}/{p}"
                         for a, p in ((base + o, p) for o, p in zip(offs, plens, strict=True))]
            else:
                v6 = ipaddress.IPv6Address
                texts = [f"{v6(base + (o << 64)).compressed}/{p}"
                         for o, p in zip(offs, plens, strict=True)]
            out[rows] = texts
        return out

    def summary(self) -> pd.DataFrame:
        """Per family and kind: blocks, prefix lengths, addresses, need and utilisation.

        Examples
        --------
        >>> from netplan.examples import tiny_scenario
        >>> from netplan.topology import build_topology
        >>> from netplan.model.capacity import AddressingSettings
        >>> plan = address_plan(build_topology(tiny_scenario()),
        ...                     AddressingSettings(ipv4="10.8.0.0/16"))
        >>> row = plan.summary().set_index("kind").loc["village"]
        >>> int(row["blocks"]), row["prefixlen"]
        (6, '/27')
        """
        f = self.to_frame()
        f["plen"] = self.blocks["prefixlen"].to_numpy()
        kinds = ["supernet", *ADDRESSED_KINDS, "infrastructure"]
        f["order"] = f["kind"].map({k: i for i, k in enumerate(kinds)})
        g = f.groupby(["family", "order", "kind"], sort=True)
        lo, hi = g["plen"].min(), g["plen"].max()
        out = pd.DataFrame({
            "blocks": g.size(),
            "prefixlen": [f"/{a}" if a == b else f"/{b}–/{a}" for a, b in zip(lo, hi, strict=True)],
            "addresses": g["addresses"].sum(), "needed": g["needed"].sum(),
        })
        out["utilisation_pct"] = 100.0 * out["needed"] / out["addresses"]
        out = out.reset_index().drop(columns="order")
        out.attrs["unit"] = {"addresses": "address (ipv4) or /64 (ipv6)", "utilisation": "%"}
        return out

    def __str__(self) -> str:
        nets = ", ".join(f"{f} {self.supernet(f)}" for f in self.families)
        head = f"AddressPlan {self.name!r}: {nets}; {len(self.blocks):,} blocks"
        s = self.summary()
        s["utilisation_pct"] = s["utilisation_pct"].round(1)
        return f"{head}\n{s.to_string(index=False)}"


def _bits(family: np.ndarray) -> np.ndarray:
    """Bits of the unit-counted address space per row: 32 for IPv4, 64 (/64 units) for IPv6."""
    return np.where(family == "ipv4", 32, 64)


def _ceil_log2(x: np.ndarray) -> np.ndarray:
    """Smallest ``k`` with ``2**k >= x``, exactly, for int64 ``x >= 1``."""
    k = np.ceil(np.log2(x.astype(np.float64))).astype(np.int64)
    k = np.maximum(k, 0)
    k[(np.int64(1) << k) < x] += 1
    low = k > 0
    k[low & ((np.int64(1) << np.maximum(k - 1, 0)) >= x)] -= 1
    return k


def address_plan(topology: Topology, settings: AddressingSettings | None) -> AddressPlan:
    """Plan hierarchical, aggregatable IPv4 (and IPv6) blocks for a topology.

    Parameters
    ----------
    topology : Topology
        The extranet (:func:`netplan.topology.build_topology`). Nodes of the kinds in
        :data:`ADDRESSED_KINDS` get blocks, nested as the ``parent`` column nests them.
    settings : AddressingSettings
        The scenario's ``addressing:`` section: supernets, hosts per LAN, growth (%),
        IPv6 LAN prefix lengths.

    Returns
    -------
    AddressPlan
        See the module docstring for the sizing and allocation rules.

    Raises
    ------
    ScenarioError
        With an ``Issue`` at ``addressing.ipv4`` (or ``addressing.ipv6``) when the divisions do
        not fit in the supernet: it names the division, how many addresses it needs and what
        the supernet offers, and says which prefix length would do; at ``addressing`` when
        ``settings`` is None; at ``topology`` when parents form a cycle.

    Examples
    --------
    >>> from netplan.examples import tiny_scenario
    >>> from netplan.topology import build_topology
    >>> s = AddressingSettings(ipv4="10.8.0.0/16", ipv6="240e:6b0::/32")
    >>> plan = address_plan(build_topology(tiny_scenario()), s)
    >>> str(plan.block_of("测试省/甲市#公安局"))
    '10.8.6.0/25'
    >>> str(plan.block_of("测试省/甲市/A县/A镇1/村001", "ipv6"))
    '240e:6b0:0:110::/60'
    >>> check_address_plan(plan, build_topology(tiny_scenario()))
    []
    """
    if settings is None:
        raise ScenarioError([Issue("addressing", "the scenario has no addressing section",
                                   "add e.g. 'addressing: {ipv4: 10.64.0.0/10}' to plan "
                                   "addresses")])
    tree = _tree(topology, settings)
    parts = [_plan_family(tree, settings, f)
             for f in FAMILIES if f == "ipv4" or settings.ipv6 is not None]
    blocks = _concat(parts)
    return AddressPlan(name=topology.name, settings=settings, blocks=blocks)


@dataclass(frozen=True)
class _Tree:
    """The block tree shared by both families; row 0 is the supernet."""

    node_id: np.ndarray      # object
    name: np.ndarray
    kind: np.ndarray
    tier: np.ndarray
    parent: np.ndarray       # int64, -1 for row 0
    depth: np.ndarray        # int64
    id_rank: np.ndarray      # int64, rank of node_id (ties by row)
    hosts: np.ndarray        # int64, IPv4 hosts today of a LAN, 0 for aggregates
    leaf: np.ndarray         # bool: a LAN (village, department, infrastructure)


def _tree(topology: Topology, s: AddressingSettings) -> _Tree:
    nodes = topology.nodes
    sel = nodes[nodes["kind"].isin(ADDRESSED_KINDS)]
    ids = sel.index.to_numpy(dtype=object)
    kind = sel["kind"].to_numpy(dtype=object)
    pos = pd.Index(ids).get_indexer(sel["parent"].to_numpy(dtype=object))
    parent = np.where(pos >= 0, pos + 1, 0).astype(np.int64)
    is_div = np.isin(kind, _DIVISIONS)
    div = np.flatnonzero(is_div) if s.hosts_per_division > 0 else np.zeros(0, dtype=np.int64)
    m = len(div)
    leaf_hosts = {"village": s.hosts_per_village, "department": s.hosts_per_department}
    hosts = np.array([leaf_hosts.get(k, 0) for k in kind], dtype=np.int64)
    # rows: 0 = supernet, 1..n = the nodes, n+1..n+m = infrastructure blocks of divisions
    node_id = np.concatenate([[""], ids, ids[div]]).astype(object)
    names = sel["name"].to_numpy(dtype=object)
    name = np.concatenate([[f"{topology.name}地址总块"], names,
                           [f"{x}设备互联" for x in names[div]]]).astype(object)
    kinds = np.concatenate([["supernet"], kind, ["infrastructure"] * m]).astype(object)
    tiers = sel["tier"].to_numpy(dtype=object)
    tier = np.concatenate([[""], tiers, tiers[div]]).astype(object)
    parents = np.concatenate([[-1], parent, div + 1]).astype(np.int64)
    all_hosts = np.concatenate([[0], hosts, np.full(m, s.hosts_per_division)]).astype(np.int64)
    leaf = np.concatenate([[False], np.isin(kind, ("village", "department")),
                           np.ones(m, dtype=bool)])
    depth = np.full(len(node_id), -1, dtype=np.int64)
    depth[0] = 0
    for _ in range(len(node_id)):
        todo = (depth < 0) & (depth[np.maximum(parents, 0)] >= 0)
        if not todo.any():
            break
        depth[todo] = depth[parents[todo]] + 1
    if (depth < 0).any():
        bad = node_id[np.flatnonzero(depth < 0)[0]]
        raise ScenarioError([Issue("topology", f"node {bad!r} is in a cycle of parents",
                                   "fix the parent column so that every node leads to the root")])
    order = np.argsort(node_id, kind="stable")
    id_rank = np.empty(len(node_id), dtype=np.int64)
    id_rank[order] = np.arange(len(node_id))
    return _Tree(node_id, name, kinds, tier, parents, depth, id_rank, all_hosts, leaf)


def _plan_family(t: _Tree, s: AddressingSettings, family: str) -> pd.DataFrame:
    """Size and place every block of one family; offsets and sizes in the family's unit."""
    n = len(t.node_id)
    g = 1.0 + s.growth_pct / 100.0
    leaf_need = np.zeros(n, dtype=np.int64)
    if family == "ipv4":
        with_growth = np.ceil(t.hosts * g - 1e-9).astype(np.int64)
        leaf_need[t.leaf] = with_growth[t.leaf] + 2
    else:
        lan_plen = np.where(t.kind == "department", s.ipv6_department_prefix,
                            s.ipv6_village_prefix)
        leaf_need[t.leaf] = np.int64(1) << (64 - lan_plen[t.leaf]).astype(np.int64)
    # bottom up: LAN space below each row, then sizes
    below = leaf_need.copy()
    child_sum = np.zeros(n, dtype=np.int64)
    child_max = np.zeros(n, dtype=np.int64)
    n_children = np.zeros(n, dtype=np.int64)
    bits = np.full(n, -1, dtype=np.int64)  # -1: no block (an empty division)
    for d in range(int(t.depth.max()), -1, -1):
        rows = np.flatnonzero(t.depth == d)
        lan = rows[t.leaf[rows]]
        agg = rows[~t.leaf[rows]]
        bits[lan] = _ceil_log2(leaf_need[lan])
        need = below[agg] if family == "ipv4" else np.ceil(below[agg] * g - 1e-9).astype(np.int64)
        want = np.maximum(need, child_sum[agg])
        single = n_children[agg] == 1
        want[single] = np.maximum(want[single], 2 * child_max[agg][single])
        has = want > 0
        bits[agg[has]] = _ceil_log2(want[has])
        leaf_need[agg] = need
        if d == 0:
            break
        live = rows[bits[rows] >= 0]
        p = t.parent[live]
        size = np.int64(1) << bits[live]
        np.add.at(below, p, below[live])
        np.add.at(child_sum, p, size)
        np.maximum.at(child_max, p, size)
        np.add.at(n_children, p, 1)
    hosts = t.hosts.copy()
    for d in range(int(t.depth.max()), 0, -1):
        rows = np.flatnonzero(t.depth == d)
        np.add.at(hosts, t.parent[rows], hosts[rows])
    _check_fits(t, s, family, bits, leaf_need, child_sum)
    # top down: buddy placement, children largest first, ties by node id
    live = np.flatnonzero(bits >= 0)
    live = live[live != 0]
    o = live[np.lexsort((t.id_rank[live], -bits[live], t.parent[live]))]
    size = np.int64(1) << bits[o]
    ends = np.cumsum(size)
    starts = ends - size
    par = t.parent[o]
    first = np.ones(len(o), dtype=bool)
    first[1:] = par[1:] != par[:-1]
    group_start = np.maximum.accumulate(np.where(first, np.arange(len(o)), 0))
    local = np.zeros(n, dtype=np.int64)
    local[o] = starts - starts[group_start]
    offset = np.zeros(n, dtype=np.int64)
    for d in range(1, int(t.depth.max()) + 1):
        rows = live[t.depth[live] == d]
        offset[rows] = offset[t.parent[rows]] + local[rows]
    net = s.ipv4 if family == "ipv4" else s.ipv6
    plen = np.where(np.arange(n) == 0, net.prefixlen, _MAX_BITS[family] - _UNIT_BITS[family]
                    - np.maximum(bits, 0))
    parent_row = t.parent.copy()
    top = live[t.parent[live] == 0]
    sup_bits = _MAX_BITS[family] - _UNIT_BITS[family] - net.prefixlen
    if len(top) == 1 and bits[top[0]] == sup_bits:
        keep = live  # the one top division fills the supernet: it is the supernet's row
        parent_row[top[0]] = -1
    else:
        keep = np.concatenate([[0], live])
    return pd.DataFrame({
        "family": family, "row": keep, "node_id": t.node_id[keep], "name": t.name[keep],
        "kind": t.kind[keep], "tier": t.tier[keep], "parent_row": parent_row[keep],
        "offset": offset[keep], "prefixlen": plen[keep].astype(np.int64),
        "needed": leaf_need[keep], "hosts": hosts[keep],
    })


def _check_fits(t: _Tree, s: AddressingSettings, family: str, bits: np.ndarray,
                need: np.ndarray, child_sum: np.ndarray) -> None:
    """Raise when the top divisions' blocks do not fit in the supernet."""
    net = s.ipv4 if family == "ipv4" else s.ipv6
    offered = 1 << (_MAX_BITS[family] - _UNIT_BITS[family] - net.prefixlen)
    used = int(child_sum[0])
    if used <= offered:
        return
    unit = "addresses" if family == "ipv4" else "/64 subnets"
    top = np.flatnonzero((t.parent == 0) & (bits >= 0))
    big = top[np.argmax(bits[top])]
    plen_needed = _MAX_BITS[family] - _UNIT_BITS[family] - max(used - 1, 1).bit_length()
    if len(top) == 1:
        who = f"{t.kind[big]} {t.name[big]} ({t.node_id[big]})"
        kids = np.flatnonzero((t.parent == big) & (bits >= 0))
        part = ""
        if len(kids):
            k = kids[np.argmax(bits[kids])]
            part = (f"; its largest part, {t.kind[k]} {t.name[k]}, needs a "
                    f"/{_MAX_BITS[family] - _UNIT_BITS[family] - int(bits[k])}")
        what = (f"{who} needs a /{plen_needed}: {used:,} {unit} (its LANs need "
                f"{int(need[big]):,} with growth, each tier rounds up to a power of two){part}")
    else:
        who = f"{len(top)} top divisions, largest {t.kind[big]} {t.name[big]} ({t.node_id[big]})"
        what = f"the {who}, together need {used:,} {unit} (a /{plen_needed})"
    hint = (f"give addressing.{family} a /{plen_needed} or shorter prefix, or lower growth_pct "
            "or the hosts per LAN" if family == "ipv4" else
            f"give addressing.{family} a /{plen_needed} or shorter prefix, or lower growth_pct or "
            "lengthen ipv6_village_prefix / ipv6_department_prefix")
    raise ScenarioError([Issue(f"addressing.{family}",
                               f"{what}, but the supernet {net} offers {offered:,} {unit}",
                               hint)])


def _concat(parts: list[pd.DataFrame]) -> pd.DataFrame:
    """Both families in one table, address order per family, parents as row positions."""
    frames = []
    start = 0
    for part in parts:
        # address order; a parent (shorter prefix) before a child at the same offset
        part = part.iloc[np.lexsort((part["prefixlen"].to_numpy(), part["offset"].to_numpy()))]
        where = np.full(int(part["row"].max()) + 1, -1, dtype=np.int64)
        where[part["row"].to_numpy()] = np.arange(len(part)) + start
        pr = part["parent_row"].to_numpy()
        parent = np.where(pr >= 0, where[np.maximum(pr, 0)], -1)
        frames.append(part.drop(columns=["row", "parent_row"]).assign(parent=parent))
        start += len(part)
    out = pd.concat(frames, ignore_index=True)
    cols = ["family", "node_id", "name", "kind", "tier", "parent", "offset", "prefixlen",
            "needed", "hosts"]
    return out[cols]


def check_address_plan(plan: AddressPlan, topology: Topology | None = None) -> list[str]:
    """Check an address plan's invariants from its prefixes as text (a second method).

    Parses :meth:`AddressPlan.to_frame`'s prefixes with :mod:`ipaddress` and checks, per
    family: every prefix is a network address inside the supernet; every child lies inside
    its parent (``parent_prefix``); two blocks overlap only when one contains the other and
    is its ancestor; no prefix repeats; every block holds at least what it needs. With the
    topology, also that each block's parent block belongs to the node's parent (or, for an
    infrastructure block, to the division itself), and that every village, department and
    (when there is infrastructure) city, county and town has a block.

    Parameters
    ----------
    plan : AddressPlan
    topology : Topology, optional
        The topology the plan was made for.

    Returns
    -------
    list of str
        One message per violation; empty when the plan is sound.

    Examples
    --------
    >>> from netplan.examples import tiny_scenario
    >>> from netplan.topology import build_topology
    >>> from netplan.model.capacity import AddressingSettings
    >>> plan = address_plan(build_topology(tiny_scenario()), AddressingSettings(ipv4="10.8.0.0/16"))
    >>> check_address_plan(plan)
    []
    """
    f = plan.to_frame()
    problems: list[str] = []
    parent_node = {} if topology is None else dict(zip(
        topology.nodes.index, topology.nodes["parent"], strict=True))
    for family in plan.families:
        rows = f[f["family"] == family]
        sup = plan.supernet(family)
        unit_bits = _UNIT_BITS[family]
        nets = {}
        for i, (text, need, node, kind) in enumerate(zip(
                rows["prefix"], rows["needed"], rows["node_id"], rows["kind"], strict=True)):
            try:
                net = ipaddress.ip_network(text, strict=True)
            except ValueError as exc:
                problems.append(f"{family} block {text} of {node!r}: not a prefix ({exc})")
                continue
            if text in nets:
                problems.append(f"{family} prefix {text} repeats ({node!r})")
            nets[text] = (net, node, kind, i)
            if not net.subnet_of(sup):
                problems.append(f"{family} block {text} of {node!r} is outside {sup}")
            units = net.num_addresses >> unit_bits
            if units < need:
                problems.append(f"{family} block {text} of {node!r} holds {units} < needed {need}")
        # containment along the tree
        for text, parent_text in zip(rows["prefix"], rows["parent_prefix"], strict=True):
            net, node, kind, _ = nets.get(text, (None, None, None, None))
            if net is None or not parent_text:
                continue
            pnet, pnode, pkind, _ = nets.get(parent_text, (None, None, None, None))
            if pnet is None:
                problems.append(f"{family} block {text}: parent {parent_text} is not a block")
                continue
            if not (net.subnet_of(pnet) and net != pnet):
                problems.append(f"{family} block {text} of {node!r} is not inside its parent "
                                f"{parent_text}")
            if pkind == "supernet":
                continue
            if topology is None:
                continue
            expected = node if kind == "infrastructure" else parent_node.get(node)
            if pnode != expected:
                problems.append(f"{family} block {text} of {node!r} sits in {parent_text} of "
                                f"{pnode!r}, which is not its parent division")
        if topology is not None:
            # LANs always get a block; divisions too when they have infrastructure
            kinds = ("village", "department", *(_DIVISIONS if plan.settings.hosts_per_division
                                                 else ()))
            want = topology.nodes.index[topology.nodes["kind"].isin(kinds)]
            missing = want.difference(pd.Index(rows["node_id"]))
            problems += [f"{family}: node {m!r} has no block" for m in missing[:10]]
        # overlaps: in address order, a block that starts inside an open block must be in it,
        # and the innermost open block must be its parent
        parent_of = dict(zip(rows["prefix"], rows["parent_prefix"], strict=True))
        items = sorted(((int(n.network_address), -n.num_addresses, t) for t, (n, *_) in
                        nets.items()))
        stack: list[tuple[int, str]] = []  # (last address, prefix)
        for start, neg_size, text in items:
            end = start - neg_size - 1
            while stack and stack[-1][0] < start:
                stack.pop()
            if stack:
                if end > stack[-1][0]:
                    problems.append(f"{family} blocks {stack[-1][1]} and {text} overlap")
                elif parent_of.get(text) != stack[-1][1]:
                    problems.append(f"{family} block {text} lies in {stack[-1][1]}, which is "
                                    f"not its parent {parent_of.get(text)}")
            stack.append((end, text))
    return problems
