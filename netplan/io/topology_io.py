"""Read and write topologies: GraphML, node-link JSON, site/link CSV inventories, topohub graphs.

GraphML and JSON are netplan's own exchange formats: writing a :class:`~netplan.topology.Topology`
and reading it back gives the same node and link tables (index, columns, dtypes and values).
Both formats hold the undirected ``MultiGraph`` of :meth:`Topology.to_networkx`; each link is one
edge whose key is its ``link_id``, written in link-table order as ``source`` → ``target`` (the
link's lower end first), so the orientation of a link survives the trip. Neither format can hold a
missing value, so missing ones are left out and read back as ``""`` (text), NaN (floats) or
``<NA>`` (``capacity_mbps``).

CSV inventories (:func:`read_csv_topology`) are how a city with a real list of sites and links
brings it in; :func:`from_topohub` imports a Topology Zoo or SNDlib reference graph.
Every reader reports every problem at once as an :class:`~netplan.errors.InputFileError`.
"""

from __future__ import annotations

import difflib
import io
import json
import math
import warnings
import xml.etree.ElementTree as ET
from functools import lru_cache
from pathlib import Path

import networkx as nx
import pandas as pd

from netplan.errors import InputFileError, Issue, ScenarioError
from netplan.io import scenario_yaml as _limits  # MAX_TABLE_ROWS: read at call time
from netplan.io._table import _Table
from netplan.io.scenario_yaml import check_file_size, read_text
from netplan.topology import TIER_ORDER
from netplan.topology.topology import LINK_COLUMNS, LINK_KINDS, NODE_COLUMNS, NODE_KINDS, Topology
from netplan.units import parse_bandwidth_mbps

__all__ = [
    "write_graphml",
    "read_graphml",
    "write_json",
    "read_json",
    "read_csv_topology",
    "from_topohub",
    "CSV_COLUMN_ALIASES",
    "FIBRE_LATENCY_MS_PER_KM",
    "JSON_FORMAT_VERSION",
]

#: Version written in the ``netplan_format`` field of topology JSON files.
JSON_FORMAT_VERSION = 1

#: One-way propagation delay in optical fibre: light travels at about 2/3 c, 200,000 km/s,
#: which is 5 µs per km.
FIBRE_LATENCY_MS_PER_KM = 0.005

#: Chinese (and alternative) CSV headers and the column each one stands for.
CSV_COLUMN_ALIASES = {
    # sites.csv
    "节点编号": "node_id", "名称": "name", "类型": "kind", "层级": "tier", "上级": "parent",
    "省份": "province", "城市": "city", "区县": "county", "乡镇": "town",
    # links.csv (类型 and 层级 as above)
    "起点": "source", "终点": "target", "运营商": "carrier", "带宽": "capacity",
    "时延_ms": "latency_ms", "长度_km": "length_km", "capacity_mbps": "capacity",
}

_SITE_REQUIRED = ("node_id", "name", "kind", "tier")
_SITE_OPTIONAL = ("province", "city", "county", "town", "parent")
_LINK_REQUIRED = ("source", "target", "capacity", "latency_ms")
_LINK_OPTIONAL = ("carrier", "length_km", "kind", "tier")
#: Tiers a node or link may name (top down); ``""`` means none.
_TIERS = tuple(t for t in TIER_ORDER if t)


# --------------------------------------------------------------------------- tables


def _make_topology(node_ids: list[str], ncol: dict[str, list], link_ids: list[int],
                   lcol: dict[str, list], *, name: str, root: str | None) -> Topology:
    """Node and link tables with the dtypes of NODE_COLUMNS / LINK_COLUMNS."""
    return Topology.from_columns(node_ids, ncol, lcol, link_ids=link_ids, name=name, root=root)


def _text(v: object) -> str:
    return "" if v is None else str(v)


def _float(v: object) -> float:
    return math.nan if v is None else float(v)


def _from_records(nodes: list[tuple[str, dict]], edges: list[tuple[int, str, str, dict]], *,
                  name: str, root: str | None, label: str) -> Topology:
    """Build a topology from networkx-style node and edge records, filling missing values.

    Raises InputFileError (naming ``label``) for values of the wrong type.
    """
    where = Path(label).name
    issues: list[Issue] = []
    node_ids = [str(n) for n, _ in nodes]
    seen: set[str] = set()
    for k, n in enumerate(node_ids):
        if n in seen:
            issues.append(Issue(f"{where} node {k}", f"node id {n!r} occurs twice",
                                "give every node its own id"))
        seen.add(n)
    ncol = {c: [_text(d.get(c)) for _, d in nodes] for c in NODE_COLUMNS}
    lcol: dict[str, list] = {c: [] for c in LINK_COLUMNS}
    for lid, src, dst, d in edges:
        lcol["source"].append(str(src))
        lcol["target"].append(str(dst))
        for c in ("kind", "tier", "carrier"):
            lcol[c].append(_text(d.get(c)))
        cap = d.get("capacity_mbps")
        if cap is not None and (isinstance(cap, bool) or not isinstance(cap, int | float)
                                or not math.isfinite(cap) or cap != int(cap)):
            issues.append(Issue(f"{where} link {lid}", f"capacity_mbps={cap!r} is not whole Mbps",
                                "write an integer, e.g. 1000"))
            cap = None
        lcol["capacity_mbps"].append(None if cap is None else int(cap))
        for c in ("latency_ms", "length_km"):
            v = d.get(c)
            if v is not None and (isinstance(v, bool) or not isinstance(v, int | float)):
                issues.append(Issue(f"{where} link {lid}", f"{c}={v!r} is not a number"))
                v = None
            lcol[c].append(_float(v))
    if issues:
        raise InputFileError(issues, label)
    try:
        return _make_topology(node_ids, ncol, [lid for lid, *_ in edges], lcol, name=name,
                              root=root)
    except ValueError as exc:  # the model's own checks (ids, ends, root), named by file
        raise InputFileError([Issue(where, str(exc))], label) from None


def _link_ids(keys: list[object]) -> list[int]:
    """Use the keys as link ids when they are distinct integers, else 0, 1, 2... in order."""
    ints = []
    for k in keys:
        if isinstance(k, bool) or not isinstance(k, int | str):
            break
        try:
            ints.append(int(k))
        except ValueError:
            break
    if len(ints) == len(keys) and len(set(ints)) == len(ints):
        return ints
    return list(range(len(keys)))


def _oriented_edges(topology: Topology) -> list[tuple[int, str, str]]:
    """``(link_id, source, target)`` in link-table order; link ids must be unique."""
    links = topology.links
    if not links.index.is_unique:
        dup = links.index[links.index.duplicated()][0]
        raise ValueError(f"link_id {dup} occurs twice in {topology.name or 'the topology'}; "
                         "give every link its own id before writing it")
    return [(int(lid), s, t) for lid, s, t in
            zip(links.index, links["source"], links["target"], strict=True)]


# --------------------------------------------------------------------------- GraphML


def write_graphml(topology: Topology, path: str | Path) -> None:
    """Write a topology as GraphML (UTF-8), readable by :func:`read_graphml`, Gephi or yEd.

    Parameters
    ----------
    topology : Topology
        The topology to write. Its ``link_id`` values must be unique.
    path : str or pathlib.Path
        The file to write (conventionally ``*.graphml``).

    Notes
    -----
    The file holds :meth:`Topology.to_networkx`: an undirected multigraph whose node and edge
    data are the table columns (``capacity_mbps`` in Mbps, ``latency_ms`` in ms, ``length_km``
    in km), graph data ``name`` and ``root``, and edge ids equal to the ``link_id``. Missing
    values are left out, since GraphML cannot hold them. Edges are written in link-table order
    with each link's ``source`` as the GraphML ``source``.

    See Also
    --------
    read_graphml, write_json

    Examples
    --------
    >>> import tempfile, pathlib
    >>> from netplan.examples import tiny_scenario
    >>> from netplan.topology import build_topology
    >>> topo = build_topology(tiny_scenario())
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "tiny.graphml"
    >>> write_graphml(topo, path)
    >>> read_graphml(path).n_links
    35
    """
    from networkx.readwrite.graphml import GraphMLWriter

    oriented = _oriented_edges(topology)
    writer = GraphMLWriter(encoding="utf-8", prettyprint=True)
    writer.add_graph_element(topology.to_networkx())
    # networkx writes an undirected graph's edges in adjacency order, from whichever end comes
    # first; put them back in link order and orientation so that source/target survive.
    graph_el = writer.xml.find("graph")
    edges = {el.get("id"): el for el in graph_el.iter("edge")}
    for lid, src, dst in oriented:
        edges[str(lid)].set("source", str(src))
        edges[str(lid)].set("target", str(dst))
    graph_el[:] = ([el for el in graph_el if el.tag != "edge"]
                   + [edges[str(lid)] for lid, _, _ in oriented])
    with open(path, "wb") as f:
        writer.dump(f)


def _graphml_edge_order(path: Path) -> list[tuple[str, str, str | None]]:
    """``(source, target, id)`` of each edge element, in file order.

    Parsed by defusedxml with DTDs forbidden (GraphML has no use for one), so an entity bomb
    or an external entity is refused before networkx parses the file.
    """
    import defusedxml.ElementTree as safe_et

    out = []
    for _, el in safe_et.iterparse(path, forbid_dtd=True):
        tag = el.tag.rsplit("}", 1)[-1]
        if tag == "edge":
            out.append((el.get("source"), el.get("target"), el.get("id")))
        if tag in ("node", "edge"):
            el.clear()  # keep memory flat on national-scale files
    return out


def read_graphml(path: str | Path) -> Topology:
    """Read a topology written by :func:`write_graphml` (or another tool's GraphML).

    Parameters
    ----------
    path : str or pathlib.Path
        A GraphML file.

    Returns
    -------
    Topology
        Missing node and link values come back as ``""`` (text columns), NaN (``latency_ms``,
        ``length_km``) and ``<NA>`` (``capacity_mbps``). Edge ids become ``link_id`` when they
        are distinct integers, otherwise links are numbered 0, 1, 2... in file order. An empty
        ``root`` graph attribute reads as ``None``.

    Raises
    ------
    InputFileError
        When the file is missing, is not GraphML, or holds values of the wrong type.

    See Also
    --------
    write_graphml, read_json
    """
    path = Path(path)
    label = str(path)
    if not path.is_file():
        raise InputFileError([Issue(path.name, f"file not found: {path}")], label)
    _check_size(path)
    from defusedxml import DTDForbidden, EntitiesForbidden, ExternalReferenceForbidden

    try:
        order = _graphml_edge_order(path)  # first: refuses a DTD before networkx parses
        g = nx.read_graphml(path, node_type=str, edge_key_type=int, force_multigraph=True)
    except (DTDForbidden, EntitiesForbidden, ExternalReferenceForbidden):
        raise InputFileError(
            [Issue(path.name, "the GraphML file declares a DTD (<!DOCTYPE ...>), which "
                   "netplan does not read: entities can expand without bound or read "
                   "other files", "remove the <!DOCTYPE ...> block; GraphML needs none")],
            label,
        ) from None
    except (ET.ParseError, nx.NetworkXError, ValueError, KeyError) as exc:
        raise InputFileError(
            [Issue(path.name, f"not a readable GraphML file: {exc}",
                   "write it with netplan.io.write_graphml or export GraphML from Gephi/yEd")],
            label,
        ) from None
    if len(order) == g.number_of_edges() and all(i is not None for _, _, i in order):
        # netplan's own files: keep the file's order and orientation of each edge
        keys = [_edge_key(i) for _, _, i in order]
        records = [(s, t, k, g.edges[s, t, k]) for (s, t, _), k in zip(order, keys, strict=True)]
    else:
        records = [(s, t, k, d) for s, t, k, d in g.edges(keys=True, data=True)]
    lids = _link_ids([k for _, _, k, _ in records])
    edges = [(lid, s, t, d) for lid, (s, t, _, d) in zip(lids, records, strict=True)]
    root = g.graph.get("root") or None
    return _from_records(list(g.nodes(data=True)), edges, name=_text(g.graph.get("name")),
                         root=None if root is None else str(root), label=label)


def _check_size(path: Path) -> None:
    """:func:`~netplan.io.scenario_yaml.check_file_size`, raising :class:`InputFileError`."""
    try:
        check_file_size(path)
    except ScenarioError as exc:
        raise InputFileError([Issue(path.name, i.message, i.hint) for i in exc.issues],
                             str(path)) from None


def _edge_key(edge_id: str) -> int | str:
    """Convert an edge id as networkx's GraphML reader does (to int when it looks like one)."""
    try:
        return int(edge_id)
    except ValueError:
        return edge_id


# --------------------------------------------------------------------------- JSON


def write_json(topology: Topology, path: str | Path) -> None:
    """Write a topology as node-link JSON (UTF-8), readable by :func:`read_json` and networkx.

    Parameters
    ----------
    topology : Topology
        The topology to write. Its ``link_id`` values must be unique.
    path : str or pathlib.Path
        The file to write (conventionally ``*.json``).

    Notes
    -----
    The content is ``nx.node_link_data(topology.to_networkx(), edges="edges")`` plus a field
    ``"netplan_format": 1``: ``graph`` holds ``name`` and ``root``, each node record ``id`` and
    the node columns, each edge record ``source``, ``target``, ``key`` (the ``link_id``) and the
    link columns (``capacity_mbps`` in Mbps, ``latency_ms`` in ms, ``length_km`` in km). Missing
    values are left out. Edges are in link-table order with each link's own ``source`` and
    ``target``. Text is written as is (``ensure_ascii=False``), one record per line.

    See Also
    --------
    read_json, write_graphml

    Examples
    --------
    >>> import tempfile, pathlib
    >>> from netplan.examples import tiny_scenario
    >>> from netplan.topology import build_topology
    >>> topo = build_topology(tiny_scenario())
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "tiny.json"
    >>> write_json(topo, path)
    >>> read_json(path).root
    '测试省'
    """
    oriented = _oriented_edges(topology)
    data = nx.node_link_data(topology.to_networkx(), edges="edges")
    by_key = {d["key"]: d for d in data["edges"]}
    # id / source, target, key first, for a reader of the file
    nodes = [{"id": n["id"], **n} for n in data["nodes"]]
    ends = ("source", "target", "key")
    edges = [{"source": src, "target": dst, "key": lid,
              **{k: v for k, v in by_key[lid].items() if k not in ends}}
             for lid, src, dst in oriented]

    def dump(obj: object) -> str:
        return json.dumps(obj, ensure_ascii=False, allow_nan=False)

    head = {"netplan_format": JSON_FORMAT_VERSION,
            **{k: data[k] for k in ("directed", "multigraph", "graph")}}
    lines = ["{"] + [f" {dump(k)}: {dump(v)}," for k, v in head.items()]
    lines.append(' "nodes": [')
    lines.append(",\n".join(f"  {dump(n)}" for n in nodes))
    lines.append(" ],")
    lines.append(' "edges": [')
    lines.append(",\n".join(f"  {dump(e)}" for e in edges))
    lines.append(" ]")
    lines.append("}")
    Path(path).write_text("\n".join(lines) + "\n", encoding="utf-8")


def read_json(path: str | Path) -> Topology:
    """Read a topology written by :func:`write_json` (or any node-link JSON graph).

    Parameters
    ----------
    path : str or pathlib.Path
        A node-link JSON file, UTF-8 (with or without BOM) or GBK.

    Returns
    -------
    Topology
        Missing values come back as ``""``, NaN and ``<NA>`` as in :func:`read_graphml`. Edge
        records are read in file order with their own ``source`` and ``target``; ``key`` becomes
        the ``link_id`` when the keys are distinct integers, otherwise links are numbered 0, 1,
        2... Node-link files from older networkx (edges under ``"links"``) are accepted.

    Raises
    ------
    InputFileError
        When the file is missing, is not JSON, is not a node-link graph, was written by a newer
        netplan (``netplan_format`` above 1), or an edge names a node that is not in ``nodes``.

    See Also
    --------
    write_json, read_graphml
    """
    path = Path(path)
    label = str(path)
    where = path.name
    try:
        text = read_text(path)
    except ScenarioError as exc:
        raise InputFileError([Issue(where, i.message, i.hint) for i in exc.issues], label) from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputFileError([Issue(where, f"not valid JSON: {exc.msg}", line=exc.lineno)],
                             label) from None
    except RecursionError:  # json's decoder recurses once per [ or {
        raise InputFileError([Issue(where, "lists and objects nested too deep to read",
                                    "a topology is {\"nodes\": [...], \"links\": [...]}: "
                                    "check the brackets")], label) from None
    edge_field = "edges" if isinstance(data, dict) and "edges" in data else "links"
    if not (isinstance(data, dict) and isinstance(data.get("nodes"), list)
            and isinstance(data.get(edge_field), list)):
        raise InputFileError(
            [Issue(where, "not a node-link graph: expected an object with lists 'nodes' and "
                          "'edges'", "write it with netplan.io.write_json")],
            label,
        )
    version = data.get("netplan_format", JSON_FORMAT_VERSION)
    if version != JSON_FORMAT_VERSION:
        raise InputFileError(
            [Issue(f"{where} netplan_format", f"netplan_format={version!r} is not supported",
                   f"this netplan reads format {JSON_FORMAT_VERSION}; upgrade netplan")],
            label,
        )
    issues: list[Issue] = []
    nodes = []
    for i, rec in enumerate(data["nodes"]):
        if not isinstance(rec, dict) or "id" not in rec:
            issues.append(Issue(f"{where} nodes[{i}]", f"node record {rec!r} has no 'id'"))
            continue
        nodes.append((str(rec["id"]), {k: v for k, v in rec.items() if k != "id"}))
    ids = {n for n, _ in nodes}
    records = []
    for i, rec in enumerate(data[edge_field]):
        if not isinstance(rec, dict) or "source" not in rec or "target" not in rec:
            issues.append(Issue(f"{where} {edge_field}[{i}]",
                                f"edge record {rec!r} needs 'source' and 'target'"))
            continue
        src, dst = str(rec["source"]), str(rec["target"])
        for end in (src, dst):
            if end not in ids:
                issues.append(Issue(f"{where} {edge_field}[{i}]",
                                    f"edge joins {end!r}, which is not in 'nodes'",
                                    "add the node or fix the id"))
        attrs = {k: v for k, v in rec.items() if k not in ("source", "target", "key")}
        records.append((rec.get("key", i), src, dst, attrs))
    if issues:
        raise InputFileError(issues, label)
    lids = _link_ids([k for k, *_ in records])
    edges = [(lid, s, t, d) for lid, (_, s, t, d) in zip(lids, records, strict=True)]
    graph = data.get("graph") if isinstance(data.get("graph"), dict) else {}
    root = graph.get("root") or None
    return _from_records(nodes, edges, name=_text(graph.get("name")),
                         root=None if root is None else str(root), label=label)


# --------------------------------------------------------------------------- CSV inventory


def _read_csv(path: Path, required: tuple[str, ...], optional: tuple[str, ...], what: str,
              issues: list[Issue]) -> _Table | None:
    """Read a CSV file as text; header problems go to ``issues`` and give None."""
    where = path.name
    known = required + optional
    zh = {v: k for k, v in CSV_COLUMN_ALIASES.items() if not k.isascii()}
    header_hint = (f"the first row must name the columns {', '.join(required)}"
                   f" (or {', '.join(zh[c] for c in required if c in zh)})")
    try:
        text = read_text(path)
    except ScenarioError as exc:
        issues.extend(Issue(where, i.message, i.hint) for i in exc.issues)
        return None
    if not text.strip():
        issues.append(Issue(where, "the file is empty", f"{header_hint}, then one row per {what}"))
        return None
    if text.count("\n") > _limits.MAX_TABLE_ROWS:
        issues.append(Issue(where, f"the table has more than {_limits.MAX_TABLE_ROWS:,} rows "
                            "(blank ones included), more than netplan reads",
                            "check that it is the right file, or split it by region"))
        return None
    try:
        raw = pd.read_csv(io.StringIO(text), header=None, dtype=str, keep_default_na=False,
                          skip_blank_lines=False)
    except pd.errors.EmptyDataError:  # only blank lines and separators pandas drops
        issues.append(Issue(where, "the file has no table", f"{header_hint}, then one row per "
                            f"{what}"))
        return None
    except pd.errors.ParserError as exc:
        detail = str(exc).replace("Error tokenizing data. C error: ", "").strip()
        issues.append(Issue(where, f"not a valid CSV table: {detail}",
                            "check that every row has as many commas as the header"))
        return None
    cells = [[str(c).strip() for c in r] for r in raw.fillna("").to_numpy(dtype=object).tolist()]
    header = cells[0]
    written: dict[str, str] = {}
    ok = True
    for h in header:
        if not h:
            continue
        col = CSV_COLUMN_ALIASES.get(h, CSV_COLUMN_ALIASES.get(h.lower(), h.lower()))
        if col in written:
            issues.append(Issue(f"{where} header", f"column {col} appears twice "
                                f"(as {written[col]!r} and {h!r})", "keep one of them"))
            ok = False
        elif col in known:
            written[col] = h
        else:
            close = difflib.get_close_matches(col, known, n=1, cutoff=0.8)
            if close:
                issues.append(Issue(f"{where} header", f"unknown column {h!r}",
                                    f"did you mean {close[0]}?"))
                ok = False
    for col in required:
        if col not in written:
            issues.append(Issue(f"{where} header", f"missing required column {col}", header_hint))
            ok = False
    if not ok:
        return None
    position = {col: header.index(h) for col, h in written.items()}
    rows = [(i + 1, {col: r[p] for col, p in position.items()})
            for i, r in enumerate(cells) if i > 0 and any(r)]  # blank lines are skipped
    if not rows:
        issues.append(Issue(where, "the file has a header but no rows", f"add one row per {what}"))
        return None
    return _Table(path, rows, written)


def _close_hint(value: str, choices, what: str) -> str:
    close = difflib.get_close_matches(value, list(choices)[:50_000], n=3)
    return f"did you mean {', '.join(close)}?" if close else what


def _number(table: _Table, row: int, col: str, text: str, issues: list[Issue],
            example: str) -> float:
    """Read a float >= 0 from a cell; NaN (and an issue) when it is not one."""
    try:
        v = float(text)
    except ValueError:
        v = math.nan
    if not math.isfinite(v):
        issues.append(Issue(table.at(row, col), f'{col} "{text}" is not a number',
                            f"write a plain number, e.g. {example}"))
        return math.nan
    if v < 0:
        issues.append(Issue(table.at(row, col), f"{col} {text} is negative",
                            f"write a number >= 0, e.g. {example}"))
        return math.nan
    return v


def _sites(table: _Table, issues: list[Issue]) -> tuple[list[str], dict[str, list]]:
    node_ids: list[str] = []
    ncol: dict[str, list] = {c: [] for c in NODE_COLUMNS}
    first_row: dict[str, int] = {}
    parents: list[tuple[int, str]] = []
    for row, v in table.rows:
        nid = v["node_id"]
        if not nid:
            issues.append(Issue(table.at(row, "node_id"), "node_id is empty",
                                "give every site a unique id"))
            continue
        if nid in first_row:
            issues.append(Issue(table.at(row, "node_id"),
                                f'node_id "{nid}" is already used on row {first_row[nid]}',
                                "give every site its own id"))
            continue
        first_row[nid] = row
        kind, tier = v["kind"], v["tier"]
        if kind not in NODE_KINDS:
            issues.append(Issue(table.at(row, "kind"), f'kind "{kind}" is not a node kind',
                                f"write one of {', '.join(NODE_KINDS)}"))
        if tier and tier not in _TIERS:
            issues.append(Issue(table.at(row, "tier"), f'tier "{tier}" is not a tier',
                                f"write one of {', '.join(_TIERS)}, or leave it empty"))
        node_ids.append(nid)
        values = {c: v.get(c, "") for c in NODE_COLUMNS}
        values["name"] = values["name"] or nid
        for c in NODE_COLUMNS:
            ncol[c].append(values[c])
        if values["parent"]:
            parents.append((row, values["parent"]))
    for row, parent in parents:
        if parent not in first_row:
            issues.append(Issue(table.at(row, "parent"),
                                f'parent "{parent}" is not a node_id in {table.name}',
                                _close_hint(parent, first_row, "leave it empty or fix the id")))
    return node_ids, ncol


def _links(table: _Table, site_tier: dict[str, str] | None, sites_name: str,
           issues: list[Issue]) -> dict[str, list]:
    rank = {t: i for i, t in enumerate(_TIERS)}
    lcol: dict[str, list] = {c: [] for c in LINK_COLUMNS}
    for row, v in table.rows:
        src, dst = v["source"], v["target"]
        for col, end in (("source", src), ("target", dst)):
            if not end:
                issues.append(Issue(table.at(row, col), f"{col} is empty",
                                    f"write the node_id of a site in {sites_name}"))
            elif site_tier is not None and end not in site_tier:
                issues.append(Issue(table.at(row, col),
                                    f'node "{end}" is not a node_id in {sites_name}',
                                    _close_hint(end, site_tier,
                                                f"add it to {sites_name} or fix the id")))
        if src and src == dst:
            issues.append(Issue(table.at(row, "target"), f'the link joins "{src}" to itself',
                                "a link must join two different sites"))
        cap_text = v["capacity"]
        cap = None
        if cap_text:
            try:
                cap = parse_bandwidth_mbps(cap_text)
            except ValueError as exc:
                issues.append(Issue(table.at(row, "capacity"), str(exc)))
        lat_text = v["latency_ms"]
        if not lat_text:
            issues.append(Issue(table.at(row, "latency_ms"), "latency_ms is empty",
                                "write the one-way latency in ms, e.g. 2.5"))
            lat = math.nan
        else:
            lat = _number(table, row, "latency_ms", lat_text, issues, "2.5")
        length_text = v.get("length_km", "")
        length = (_number(table, row, "length_km", length_text, issues, "35")
                  if length_text else math.nan)
        kind = v.get("kind", "") or "link"
        if kind not in LINK_KINDS:
            issues.append(Issue(table.at(row, "kind"), f'kind "{kind}" is not a link kind',
                                f"write one of {', '.join(LINK_KINDS)}, or leave it empty"))
        tier = v.get("tier", "")
        if tier and tier not in _TIERS:
            issues.append(Issue(table.at(row, "tier"), f'tier "{tier}" is not a tier',
                                f"write one of {', '.join(_TIERS)}, or leave it empty"))
        if not tier and site_tier is not None:
            ends = [site_tier.get(e, "") for e in (src, dst)]
            ends = [t for t in ends if t in rank]
            tier = max(ends, key=rank.__getitem__) if ends else ""
        for c, x in (("source", src), ("target", dst), ("kind", kind), ("tier", tier),
                     ("carrier", v.get("carrier", "")), ("capacity_mbps", cap),
                     ("latency_ms", lat), ("length_km", length)):
            lcol[c].append(x)
    return lcol


def read_csv_topology(sites_path: str | Path, links_path: str | Path, *, name: str | None = None,
                      root: str | None = None) -> Topology:
    r"""Import a real inventory: a CSV file of sites and a CSV file of links.

    Parameters
    ----------
    sites_path : str or pathlib.Path
        One row per site. Columns ``node_id``, ``name``, ``kind`` (one of
        :data:`~netplan.topology.topology.NODE_KINDS`) and ``tier`` (``province``, ``city``,
        ``county``, ``town``, ``village``, ``national`` or empty); optional ``province``,
        ``city``, ``county``, ``town`` and ``parent`` (the node_id of the site above). An empty
        name is taken from the node_id.
    links_path : str or pathlib.Path
        One row per link. Columns ``source`` and ``target`` (node ids; the source is the lower
        end), ``capacity`` (a bandwidth such as ``"1G"``, ``"100 Mbps"``, ``"千兆"``, or a plain
        number of Mbps; empty when unknown) and ``latency_ms`` (one-way, ms, >= 0); optional
        ``carrier``, ``length_km``, ``kind`` (one of :data:`~netplan.topology.topology.LINK_KINDS`,
        default ``"link"``) and ``tier`` (default: the tier of the lower-tier end).
    name : str, optional
        Topology name; default the name of the folder holding ``sites_path``.
    root : str, optional
        The node reachability is measured to; default the only ``province`` site, if there is
        exactly one, else None.

    Returns
    -------
    Topology

    Raises
    ------
    InputFileError
        Carrying one :class:`~netplan.errors.Issue` per problem in either file, located as
        ``links.csv row 7, column capacity`` (row numbers as a spreadsheet shows them: the header
        is row 1): a missing or empty file, a missing required column, a duplicate or empty
        ``node_id``, an unknown ``kind`` or ``tier``, a link to a node that is not a site, a bad
        bandwidth, a negative or non-numeric latency or length.

    Notes
    -----
    Headers may be English (any case) or Chinese: 节点编号, 名称, 类型, 层级, 上级, 省份, 城市,
    区县, 乡镇 for sites and 起点, 终点, 运营商, 带宽, 时延_ms, 长度_km (and 类型, 层级) for links;
    see :data:`CSV_COLUMN_ALIASES`. Files may be UTF-8 (with or without BOM) or GBK. Other
    columns (remarks, 备注...) are ignored unless they look like a misspelt known column.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> d = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (d / "sites.csv").write_text("node_id,name,kind,tier\nP,省,province,province\n"
    ...                                  "C,市,city,city\n", encoding="utf-8")
    >>> _ = (d / "links.csv").write_text("source,target,capacity,latency_ms\nC,P,10G,2\n",
    ...                                  encoding="utf-8")
    >>> topo = read_csv_topology(d / "sites.csv", d / "links.csv")
    >>> topo.root, topo.link(0).tier, topo.link(0).capacity_mbps
    ('P', 'city', 10000)
    """
    sites_path, links_path = Path(sites_path), Path(links_path)
    site_issues: list[Issue] = []
    link_issues: list[Issue] = []
    sites = _read_csv(sites_path, _SITE_REQUIRED, _SITE_OPTIONAL, "site", site_issues)
    node_ids: list[str] = []
    ncol: dict[str, list] = {c: [] for c in NODE_COLUMNS}
    site_tier = None
    if sites is not None:
        node_ids, ncol = _sites(sites, site_issues)
        site_tier = dict(zip(node_ids, ncol["tier"], strict=True))
    links = _read_csv(links_path, _LINK_REQUIRED, _LINK_OPTIONAL, "link", link_issues)
    lcol = _links(links, site_tier, sites_path.name, link_issues) if links is not None else {}
    if root is not None and site_tier is not None and root not in site_tier:
        site_issues.append(Issue("root", f'root "{root}" is not a node_id in {sites_path.name}',
                                 _close_hint(root, site_tier, "pass a site's node_id")))
    issues = site_issues + link_issues
    if issues:
        source = ", ".join(str(p) for p, i in ((sites_path, site_issues), (links_path, link_issues))
                           if i)
        raise InputFileError(issues, source)
    if root is None:
        provinces = [n for n, k in zip(node_ids, ncol["kind"], strict=True) if k == "province"]
        root = provinces[0] if len(provinces) == 1 else None
    n_links = len(lcol["source"])
    return _make_topology(node_ids, ncol, list(range(n_links)), lcol,
                          name=sites_path.resolve().parent.name if name is None else name,
                          root=root)


# --------------------------------------------------------------------------- topohub


@lru_cache(maxsize=1)
def _topohub_keys() -> tuple[str, ...]:
    """Keys of the graphs shipped in the topohub package (empty if its layout is unknown)."""
    from importlib import resources

    try:
        base = Path(str(resources.files("topohub") / "data"))
    except (ModuleNotFoundError, TypeError):
        return ()
    return tuple(sorted(p.relative_to(base).with_suffix("").as_posix()
                        for p in base.rglob("*.json")))


def from_topohub(key: str, *, name: str | None = None) -> Topology:
    """Import a Topology Zoo, SNDlib or other reference graph shipped by ``topohub``.

    Parameters
    ----------
    key : str
        A topohub key such as ``"sndlib/polska"``, ``"topozoo/Abilene"`` or ``"gabriel/25/0"``.
    name : str, optional
        Topology name; default ``key``.

    Returns
    -------
    Topology
        Nodes of kind ``"site"`` with tier ``""`` and the graph's node ``name``; node ids are the
        names when they are all present and distinct, else the graph's own ids (as text). Links of
        kind ``"link"``, carrier ``""``, capacity ``<NA>`` (the graphs carry none),
        ``length_km`` = the edge's ``dist`` (km) and ``latency_ms`` = ``dist`` × 0.005: one-way
        propagation in optical fibre at 5 µs per km (light at about 2/3 c), with no equipment
        delay. ``root`` is the node of highest degree (the first one on ties).

    Raises
    ------
    InputFileError
        When topohub has no graph ``key``; the hint names close keys and a few valid ones.

    Notes
    -----
    With no carriers or tiers, analyse these graphs with ``targets=("root",)``, e.g.
    ``reachability(topo, targets=("root",))``.

    Examples
    --------
    >>> topo = from_topohub("sndlib/polska")
    >>> topo.n_nodes, topo.n_links, topo.root
    (12, 18, 'Warsaw')
    """
    import topohub

    keys = _topohub_keys()
    data = None
    if not keys or key in keys:
        try:
            with warnings.catch_warnings():
                # topohub.get leaves its JSON file for the garbage collector to close
                warnings.simplefilter("ignore", ResourceWarning)
                data = topohub.get(key)
        except KeyError:
            data = None
    if data is None:
        close = difflib.get_close_matches(key, keys, n=3, cutoff=0.6)
        hint = f"did you mean {', '.join(close)}? " if close else ""
        hint += "valid keys look like sndlib/polska, topozoo/Abilene, gabriel/25/0"
        raise InputFileError([Issue("key", f"topohub has no graph {key!r}", hint)], "topohub")
    raw_nodes = data["nodes"]
    raw_edges = data.get("edges", data.get("links", []))
    names = [n.get("name") for n in raw_nodes]
    use_names = all(x is not None for x in names) and len({str(x) for x in names}) == len(names)
    ids = {n["id"]: str(x) if use_names else str(n["id"]) for n, x in zip(raw_nodes, names,
                                                                           strict=True)}
    node_ids = [ids[n["id"]] for n in raw_nodes]
    ncol = {c: [""] * len(node_ids) for c in NODE_COLUMNS}
    ncol["kind"] = ["site"] * len(node_ids)
    ncol["name"] = [str(x) if x is not None else str(n["id"])
                    for n, x in zip(raw_nodes, names, strict=True)]
    lcol: dict[str, list] = {c: [] for c in LINK_COLUMNS}
    degree = dict.fromkeys(node_ids, 0)
    for e in raw_edges:
        src, dst = ids[e["source"]], ids[e["target"]]
        dist = e.get("dist")
        length = math.nan if dist is None else float(dist)
        for c, x in (("source", src), ("target", dst), ("kind", "link"), ("tier", ""),
                     ("carrier", ""), ("capacity_mbps", None),
                     ("latency_ms", length * FIBRE_LATENCY_MS_PER_KM), ("length_km", length)):
            lcol[c].append(x)
        degree[src] += 1
        degree[dst] += 1
    root = max(node_ids, key=degree.__getitem__) if node_ids else None
    return _make_topology(node_ids, ncol, list(range(len(raw_edges))), lcol,
                          name=key if name is None else name, root=root)
