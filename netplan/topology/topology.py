"""The extranet topology: node and link tables as the truth, networkx and sparse graphs as views.

A :class:`Topology` holds two pandas tables, ``nodes`` (indexed by ``node_id``) and ``links``
(indexed by an integer ``link_id``), with typed columns whose names carry their units. A networkx
``MultiGraph`` view is built on demand (:meth:`Topology.to_networkx`, cached as
:attr:`Topology.graph`) so that every networkx algorithm works on it; the analyses use a compact
sparse view (:meth:`Topology.csr`) to stay fast on national-scale graphs.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

import networkx as nx
import numpy as np
import pandas as pd

from netplan.errors import UnknownNodeError

__all__ = ["Topology", "Node", "Link", "NODE_KINDS", "LINK_KINDS", "NODE_COLUMNS", "LINK_COLUMNS"]

#: What a node is. ``pop`` is a carrier's point of presence at the city core.
NODE_KINDS = (
    "national", "province", "city", "pop", "egress", "cloud", "platform",
    "county", "town", "village", "department", "site",
)
#: What a link is. ``uplink`` joins a division to its parent; ``access`` a department.
LINK_KINDS = ("uplink", "interconnect", "egress", "datacenter", "access", "link")

#: Node table columns (besides the ``node_id`` index) and their dtypes.
NODE_COLUMNS = {
    "kind": "str", "tier": "str", "name": "str", "province": "str", "city": "str",
    "county": "str", "town": "str", "parent": "str",
}
#: Link table columns (besides the ``link_id`` index) and their dtypes.
LINK_COLUMNS = {
    "source": "str", "target": "str", "kind": "str", "tier": "str", "carrier": "str",
    "capacity_mbps": "Int64", "latency_ms": "float64", "length_km": "float64",
}


@dataclass(frozen=True)
class Node:
    """One node of the extranet, as a typed record (see :data:`NODE_COLUMNS`)."""

    node_id: str
    kind: str
    tier: str
    name: str
    province: str = ""
    city: str = ""
    county: str = ""
    town: str = ""
    parent: str = ""


@dataclass(frozen=True)
class Link:
    """One link of the extranet, as a typed record (see :data:`LINK_COLUMNS`)."""

    link_id: int
    source: str
    target: str
    kind: str
    tier: str
    carrier: str
    capacity_mbps: int | None
    latency_ms: float
    length_km: float | None


@dataclass(frozen=True)
class _CSR:
    """Undirected adjacency in CSR form: neighbours ``indices`` and ``link`` of each slot."""

    indptr: np.ndarray
    indices: np.ndarray
    link: np.ndarray
    source: np.ndarray  # node position of each link's source
    target: np.ndarray


class Topology:
    """An extranet: node and link tables with graph views.

    Parameters
    ----------
    nodes : pandas.DataFrame
        Indexed by ``node_id`` (str), with the columns of :data:`NODE_COLUMNS`.
    links : pandas.DataFrame
        Indexed by ``link_id`` (int), with the columns of :data:`LINK_COLUMNS`; ``source`` and
        ``target`` are node ids. Parallel links (one per carrier) are allowed.
    name : str
        A label, usually the scenario name.
    root : str, optional
        The top node (national or province backbone) that reachability is measured to.

    Notes
    -----
    A topology is never modified in place: :meth:`without` returns a new one with some links or
    nodes taken out, which is how failures are modelled.

    Examples
    --------
    >>> from netplan.examples import tiny_scenario
    >>> from netplan.topology import build_topology
    >>> topo = build_topology(tiny_scenario())
    >>> topo.n_nodes, topo.n_links
    (25, 35)
    >>> import networkx as nx
    >>> nx.shortest_path_length(topo.graph, "测试省/甲市/A县/A镇1/村001", "测试省")
    4
    """

    def __init__(self, nodes: pd.DataFrame, links: pd.DataFrame, *, name: str = "",
                 root: str | None = None):
        self.nodes = nodes
        self.links = links
        self.name = name
        self.root = root

    @classmethod
    def from_columns(cls, node_ids: list[str], node_columns: dict[str, list],
                     link_columns: dict[str, list], *, link_ids: list[int] | None = None,
                     name: str = "", root: str | None = None) -> Topology:
        """Make a topology from column lists, with the dtypes of NODE_COLUMNS / LINK_COLUMNS.

        Parameters
        ----------
        node_ids : list of str
            Unique node ids.
        node_columns, link_columns : dict of str to list
            One list per column of :data:`NODE_COLUMNS` / :data:`LINK_COLUMNS`; missing values
            are ``""`` for text, ``None`` for ``capacity_mbps`` and NaN for floats.
        link_ids : list of int, optional
            Unique link ids; default ``0 .. n-1``.

        Raises
        ------
        ValueError
            When node or link ids repeat.

        Examples
        --------
        >>> t = Topology.from_columns(
        ...     ["R", "A"], {c: ["", ""] for c in NODE_COLUMNS},
        ...     {"source": ["A"], "target": ["R"], "kind": ["link"], "tier": [""], "carrier": [""],
        ...      "capacity_mbps": [100], "latency_ms": [1.0], "length_km": [float("nan")]},
        ...     root="R")
        >>> t.link(0).capacity_mbps
        100
        """
        nodes = pd.DataFrame({c: pd.Series(node_columns[c], dtype=t)
                              for c, t in NODE_COLUMNS.items()})
        nodes.index = pd.Index(node_ids, dtype="str", name="node_id")
        if not nodes.index.is_unique:
            dup = nodes.index[nodes.index.duplicated()][0]
            raise ValueError(f"node id {dup!r} occurs twice; node ids must be unique")
        links = pd.DataFrame({c: pd.Series(link_columns[c], dtype=t)
                              for c, t in LINK_COLUMNS.items()})
        n = len(links)
        if link_ids is None or list(link_ids) == list(range(n)):
            links.index = pd.RangeIndex(n, name="link_id")
        else:
            links.index = pd.Index(link_ids, dtype="int64", name="link_id")
            if not links.index.is_unique:
                dup = links.index[links.index.duplicated()][0]
                raise ValueError(f"link id {dup} occurs twice; link ids must be unique")
        return cls(nodes, links, name=name, root=root)

    # ------------------------------------------------------------------ basics

    def __repr__(self) -> str:
        return f"Topology({self.name!r}, nodes={self.n_nodes}, links={self.n_links})"

    @property
    def n_nodes(self) -> int:
        """Number of nodes."""
        return len(self.nodes)

    @property
    def n_links(self) -> int:
        """Number of links."""
        return len(self.links)

    @property
    def carriers(self) -> list[str]:
        """Carriers present on at least one link, in order of first appearance."""
        return [c for c in pd.unique(self.links["carrier"]) if c]

    def node(self, node_id: str) -> Node:
        """The node ``node_id`` as a typed record.

        Raises
        ------
        UnknownNodeError
            When there is no such node; the message suggests close names.
        """
        try:
            row = self.nodes.loc[node_id]
        except KeyError:
            raise UnknownNodeError(self._unknown(node_id)) from None
        return Node(node_id=node_id, **{c: row[c] for c in NODE_COLUMNS})

    def link(self, link_id: int) -> Link:
        """The link ``link_id`` as a typed record."""
        try:
            row = self.links.loc[link_id]
        except KeyError:
            where = self.name or "the topology"
            raise UnknownNodeError(f"no link {link_id!r} in {where}") from None
        cap = row["capacity_mbps"]
        length = row["length_km"]
        return Link(
            link_id=int(link_id), source=row["source"], target=row["target"], kind=row["kind"],
            tier=row["tier"], carrier=row["carrier"],
            capacity_mbps=None if pd.isna(cap) else int(cap), latency_ms=float(row["latency_ms"]),
            length_km=None if pd.isna(length) else float(length),
        )

    def _unknown(self, node_id: str) -> str:
        import difflib

        ids = self.nodes.index
        close = difflib.get_close_matches(str(node_id), ids[: min(len(ids), 50_000)], n=3)
        hint = f"; did you mean {', '.join(close)}?" if close else ""
        return f"no node {node_id!r} in {self.name or 'the topology'}{hint}"

    def nodes_of_kind(self, *kinds: str) -> pd.Index:
        """Node ids of the given kinds (e.g. ``"cloud"``, ``"department"``)."""
        return self.nodes.index[self.nodes["kind"].isin(kinds)]

    def require(self, node_ids) -> None:
        """Raise :class:`UnknownNodeError` unless every id names a node."""
        missing = pd.Index(node_ids).difference(self.nodes.index)
        if len(missing):
            raise UnknownNodeError(self._unknown(str(missing[0])))

    # ------------------------------------------------------------------ views

    def to_networkx(self, *, kinds: list[str] | None = None) -> nx.MultiGraph:
        """A networkx ``MultiGraph`` of the topology, one edge per link (key = ``link_id``).

        Parameters
        ----------
        kinds : list of str, optional
            Keep only nodes of these kinds (e.g. leave out ``department``).

        Returns
        -------
        networkx.MultiGraph
            Node attributes: the node table's columns; edge attributes: the link table's
            (``capacity_mbps``, ``latency_ms``, ``carrier`` ...). Missing values are left out.
        """
        nodes = self.nodes if kinds is None else self.nodes[self.nodes["kind"].isin(kinds)]
        g = nx.MultiGraph(name=self.name, root=self.root or "")
        cols = list(NODE_COLUMNS)
        g.add_nodes_from(
            (nid, {c: v for c, v in zip(cols, vals, strict=True) if v != ""})
            for nid, *vals in nodes[cols].itertuples(name=None)
        )
        links = self.links
        if kinds is not None:
            keep = links["source"].isin(nodes.index) & links["target"].isin(nodes.index)
            links = links[keep]
        lcols = [c for c in LINK_COLUMNS if c not in ("source", "target")]
        for lid, src, dst, *vals in links[["source", "target", *lcols]].itertuples(name=None):
            attrs = {c: v for c, v in zip(lcols, vals, strict=True) if not _missing(v)}
            if "capacity_mbps" in attrs:
                attrs["capacity_mbps"] = int(attrs["capacity_mbps"])
            g.add_edge(src, dst, key=int(lid), **attrs)
        return g

    @cached_property
    def graph(self) -> nx.MultiGraph:
        """The networkx view of the whole topology (built once, then cached)."""
        return self.to_networkx()

    def csr(self) -> _CSR:
        """The undirected adjacency in CSR arrays over node positions (cached)."""
        return self._csr

    @cached_property
    def _csr(self) -> _CSR:
        idx = self.nodes.index
        src = idx.get_indexer(self.links["source"])
        dst = idx.get_indexer(self.links["target"])
        if (src < 0).any() or (dst < 0).any():
            bad = self.links.index[(src < 0) | (dst < 0)][0]
            raise UnknownNodeError(f"link {bad} joins a node that is not in the node table")
        m = len(src)
        heads = np.concatenate([src, dst])
        tails = np.concatenate([dst, src])
        link = np.concatenate([np.arange(m), np.arange(m)])
        order = np.argsort(heads, kind="stable")
        counts = np.bincount(heads, minlength=len(idx))
        indptr = np.zeros(len(idx) + 1, dtype=np.int64)
        np.cumsum(counts, out=indptr[1:])
        return _CSR(indptr, tails[order].astype(np.int64), link[order].astype(np.int64),
                    src.astype(np.int64), dst.astype(np.int64))

    def matrix(self, weight: str | None = None, *, links: np.ndarray | None = None):
        """A symmetric ``scipy.sparse.csr_array`` over node positions.

        Parameters
        ----------
        weight : str, optional
            Link column to use as the entry (the smallest over parallel links); ``None`` gives
            hop weights of 1.
        links : numpy.ndarray of bool, optional
            Mask over link positions to keep (default all).
        """
        import scipy.sparse as sp

        c = self.csr()
        src, dst = c.source, c.target
        if weight is None:
            w = np.ones(len(src))
        else:
            w = self.links[weight].to_numpy(dtype=float, na_value=np.nan)
            if np.isnan(w).any():
                raise ValueError(f"links have no {weight} for some rows; fill it in first")
            # scipy drops explicit zeros in shortest paths; keep zero-latency links usable
            w = np.maximum(w, 1e-9)
        if links is not None:
            src, dst, w = src[links], dst[links], w[links]
        n = self.n_nodes
        # smallest weight over parallel links: sort so the minimum comes last, then let
        # duplicate (row, col) pairs keep the last value via a dict-free lexsort reduction.
        rows = np.concatenate([src, dst])
        cols = np.concatenate([dst, src])
        vals = np.concatenate([w, w])
        order = np.lexsort((-vals, cols, rows))
        rows, cols, vals = rows[order], cols[order], vals[order]
        last = np.ones(len(rows), dtype=bool)
        last[:-1] = (rows[1:] != rows[:-1]) | (cols[1:] != cols[:-1])
        return sp.csr_array((vals[last], (rows[last], cols[last])), shape=(n, n))

    # ------------------------------------------------------------------ variants

    def without(self, *, carrier: str | None = None, links=None, nodes=None) -> Topology:
        """A new topology with a carrier's links, some links, or some nodes taken out.

        The input is not modified. Nodes left without links stay in the node table.

        Examples
        --------
        >>> from netplan.examples import tiny_scenario
        >>> from netplan.topology import build_topology
        >>> topo = build_topology(tiny_scenario())
        >>> topo.n_links, topo.without(carrier="联通").n_links
        (35, 19)
        """
        keep = np.ones(self.n_links, dtype=bool)
        if carrier is not None:
            if carrier not in self.carriers:
                raise UnknownNodeError(
                    f"no carrier {carrier!r}; the topology has {', '.join(self.carriers)}")
            keep &= (self.links["carrier"] != carrier).to_numpy()
        if links is not None:
            keep &= ~self.links.index.isin(list(links))
        node_table = self.nodes
        if nodes is not None:
            self.require(list(nodes))
            node_table = self.nodes.drop(index=list(nodes))
            touches = self.links["source"].isin(nodes) | self.links["target"].isin(nodes)
            keep &= ~touches.to_numpy()
        return Topology(node_table, self.links[keep], name=self.name, root=self.root)


def _missing(v: object) -> bool:
    if v is None or v is pd.NA:
        return True
    if isinstance(v, float) and np.isnan(v):
        return True
    return isinstance(v, str) and v == ""
