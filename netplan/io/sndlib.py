"""Read SNDlib network-dimensioning instances (native text format) and their model files.

SNDlib (Orlowski, Wessäly, Pióro & Tomaszewski, *SNDlib 1.0 — Survivable Network Design
Library*, Networks 55 (2010) 276–286) describes an instance by two files:

- a **network file** ``<name>.txt`` with the sections ``NODES`` (``id ( x y )``), ``LINKS``
  (``id ( source target ) pre_installed_capacity pre_installed_capacity_cost routing_cost
  setup_cost ( {module_capacity module_cost}* )``), ``DEMANDS`` (``id ( source target )
  routing_unit demand_value max_path_length``) and ``ADMISSIBLE_PATHS`` (``demand_id (
  {path_id ( link_id+ )}* )``, often empty); an optional ``META`` section is skipped;
- a **model file** ``models/<MODEL>.txt`` of ``KEY = VALUE`` lines (``LINK_MODEL =
  UNDIRECTED``, ...), summarised by an eight-letter model string such as
  ``U-U-M-N-C-A-N-N`` (:class:`SndlibModel`).

Comments run from ``#`` to the end of the line; the first line is the ``?SNDlib native
format`` header. :func:`read_sndlib` turns the files into netplan objects: a
:class:`~netplan.topology.Topology` (node kind ``"site"``, link kind ``"link"``,
``capacity_mbps`` the pre-installed capacity rounded to whole Mbit/s, ``length_km`` and
``latency_ms`` from the great-circle distance when the coordinates are longitudes and
latitudes, else NaN), a demand table, a link table and the per-link module catalogue.
Every problem is reported as an :class:`~netplan.errors.InputFileError` naming the file, the
line and what was expected.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from netplan.errors import InputFileError, Issue
from netplan.topology.topology import NODE_COLUMNS, Topology

__all__ = ["SndlibInstance", "SndlibModel", "read_sndlib", "read_sndlib_model",
           "parse_sndlib", "parse_sndlib_model", "MODEL_KEYS"]

#: One-way propagation delay in fibre (ms per km), as in :mod:`netplan.io.topology_io`.
_FIBRE_MS_PER_KM = 0.005
_EARTH_RADIUS_KM = 6371.0

#: Per model-file key, the letter each value stands for, in model-string order.
MODEL_KEYS: dict[str, dict[str, str]] = {
    "DEMAND_MODEL": {"UNDIRECTED": "U", "DIRECTED": "D"},
    "LINK_MODEL": {"UNDIRECTED": "U", "BIDIRECTED": "B", "DIRECTED": "D"},
    "LINK_CAPACITY_MODEL": {"MODULAR_LINK_CAPACITIES": "M", "EXPLICIT_LINK_CAPACITIES": "E",
                            "SINGLE_MODULAR_CAPACITIES": "S", "LINEAR_LINK_CAPACITIES": "L"},
    "FIXED_CHARGE_MODEL": {"NO": "N", "YES": "Y"},
    "ROUTING_MODEL": {"CONTINUOUS": "C", "INTEGER": "I", "SINGLE_PATH": "S"},
    "ADMISSIBLE_PATH_MODEL": {"ALL_PATHS": "A", "EXPLICIT_LIST": "E"},
    "HOP_LIMIT_MODEL": {"IGNORE_HOP_LIMITS": "N", "INCLUDE_HOP_LIMITS": "Y"},
    "SURVIVABILITY_MODEL": {"NO_SURVIVABILITY": "N", "ONE_PLUS_ONE_PROTECTION": "P",
                            "SHARED_PATH_PROTECTION": "S",
                            "UNRESTRICTED_FLOW_RECONFIGURATION": "U"},
}
_FIELDS = ("demand_model", "link_model", "link_capacity_model", "fixed_charge", "routing",
           "admissible_paths", "hop_limit", "survivability")


@dataclass(frozen=True)
class SndlibModel:
    """An SNDlib network model: how to read a network file, as eight one-letter codes.

    Attributes
    ----------
    demand_model : {"U", "D"}
        Undirected or directed demands.
    link_model : {"U", "B", "D"}
        Undirected (both directions share the capacity), bidirected (the capacity in each
        direction) or directed links.
    link_capacity_model : {"M", "E", "S", "L"}
        Modular (integer count of each module), explicit (at most one listed module), single
        module or linear capacities.
    fixed_charge : {"N", "Y"}
        Whether a link's setup cost is paid when it carries capacity.
    routing : {"C", "I", "S"}
        Continuous (splittable), integer or single-path routing.
    admissible_paths : {"A", "E"}
        All paths, or the network file's explicit list.
    hop_limit : {"N", "Y"}
        Whether the demands' ``max_path_length`` applies.
    survivability : {"N", "P", "S", "U"}
        None, 1+1 protection, shared path protection, or unrestricted re-routing of all
        demands in each single-link failure state.

    Examples
    --------
    >>> m = SndlibModel.from_string("U-U-M-N-C-A-N-U")
    >>> m.survivability, str(m)
    ('U', 'U-U-M-N-C-A-N-U')
    """

    demand_model: str = "U"
    link_model: str = "U"
    link_capacity_model: str = "M"
    fixed_charge: str = "N"
    routing: str = "C"
    admissible_paths: str = "A"
    hop_limit: str = "N"
    survivability: str = "N"

    def __post_init__(self) -> None:
        for name, choices in zip(_FIELDS, MODEL_KEYS.values(), strict=True):
            value = getattr(self, name)
            if value not in choices.values():
                raise ValueError(f"model {name}={value!r} must be one of "
                                 f"{sorted(set(choices.values()))}")

    @classmethod
    def from_string(cls, text: str) -> SndlibModel:
        """Parse a model string such as ``"D-B-M-N-C-A-N-N"``.

        Raises
        ------
        ValueError
            When the string does not have eight valid letters.
        """
        parts = text.strip().split("-")
        if len(parts) != len(_FIELDS):
            raise ValueError(f"model string {text!r} must have {len(_FIELDS)} letters "
                             "joined by '-', e.g. 'U-U-M-N-C-A-N-N'")
        return cls(*parts)

    def __str__(self) -> str:
        return "-".join(getattr(self, f) for f in _FIELDS)


@dataclass(frozen=True)
class SndlibInstance:
    """One SNDlib network (and, optionally, its model), as netplan tables.

    Attributes
    ----------
    name : str
        The network name (the file stem).
    topology : Topology
        Nodes (kind ``"site"``) and links (kind ``"link"``, ``capacity_mbps`` = pre-installed
        capacity), link ids ``0 .. n-1`` in file order.
    links : pandas.DataFrame
        One row per link, same order: ``link_id`` (the SNDlib id), ``source``, ``target``,
        ``pre_installed_capacity``, ``pre_installed_capacity_cost`` (per unit of capacity),
        ``routing_cost`` (per unit of flow), ``setup_cost``.
    modules : pandas.DataFrame
        The installable modules: ``link_id`` (SNDlib id), ``capacity``, ``cost``.
    demands : pandas.DataFrame
        ``demand_id``, ``source``, ``target``, ``routing_unit``, ``demand_value``,
        ``max_path_length`` (``<NA>`` for ``UNLIMITED``).
    coordinates : pandas.DataFrame
        ``x``, ``y`` per node id (longitude and latitude for geographic networks).
    admissible_paths : dict
        ``demand_id -> ((link_id, ...), ...)``; empty when the section is.
    model : SndlibModel or None
        The model read with the network, if any.
    source : str
        The network file read.
    """

    name: str
    topology: Topology
    links: pd.DataFrame
    modules: pd.DataFrame
    demands: pd.DataFrame
    coordinates: pd.DataFrame
    admissible_paths: dict = field(default_factory=dict)
    model: SndlibModel | None = None
    source: str = ""

    def __str__(self) -> str:
        model = f", model {self.model}" if self.model is not None else ""
        return (f"SNDlib {self.name}: {self.topology.n_nodes} nodes, {len(self.links)} links, "
                f"{len(self.demands)} demands{model}")


# --------------------------------------------------------------------------- tokens


class _Tokens:
    """The tokens of a native-format file, each with its 1-based line, and a cursor."""

    def __init__(self, text: str, source: str) -> None:
        self.source = source
        self.items: list[tuple[str, int]] = []
        self.pos = 0
        lines = text.splitlines()
        self.last_line = max(len(lines), 1)
        for number, raw in enumerate(lines, start=1):
            line = raw.split("#", 1)[0]
            if number == 1 and line.lstrip().startswith("?"):
                continue
            line = line.replace("(", " ( ").replace(")", " ) ")
            self.items.extend((tok, number) for tok in line.split())

    def fail(self, section: str, expected: str, line: int | None = None):
        """An :class:`InputFileError` at the current token."""
        if self.pos < len(self.items):
            found, at = self.items[self.pos]
            what = f"expected {expected}, found {found!r}"
        else:
            at, what = self.last_line, f"expected {expected}, found the end of the file"
        return InputFileError([Issue(section, what, line=line or at)], self.source)

    def peek(self) -> str | None:
        return self.items[self.pos][0] if self.pos < len(self.items) else None

    @property
    def line(self) -> int:
        return self.items[self.pos][1] if self.pos < len(self.items) else self.last_line

    def take(self, section: str, expected: str) -> str:
        if self.pos >= len(self.items):
            raise self.fail(section, expected)
        tok = self.items[self.pos][0]
        if tok in ("(", ")"):
            raise self.fail(section, expected)
        self.pos += 1
        return tok

    def expect(self, tok: str, section: str, expected: str | None = None) -> None:
        if self.peek() != tok:
            raise self.fail(section, expected or f"{tok!r}")
        self.pos += 1

    def number(self, section: str, expected: str) -> float:
        if self.pos >= len(self.items):
            raise self.fail(section, expected)
        tok = self.items[self.pos][0]
        try:
            value = float(tok)
        except ValueError:
            raise self.fail(section, expected) from None
        if not math.isfinite(value):
            raise self.fail(section, f"a finite {expected}")
        self.pos += 1
        return value

    def skip_group(self, section: str) -> None:
        """Skip a balanced ``( ... )`` group."""
        self.expect("(", section)
        depth = 1
        while depth:
            tok = self.peek()
            if tok is None:
                raise self.fail(section, "')' closing the section")
            depth += {"(": 1, ")": -1}.get(tok, 0)
            self.pos += 1


# --------------------------------------------------------------------------- network


def parse_sndlib(text: str, *, name: str = "sndlib", source: str = "<string>",
                 model: SndlibModel | None = None) -> SndlibInstance:
    """Parse the text of an SNDlib native-format network file.

    Parameters
    ----------
    text : str
        The file's content.
    name : str
        The network name.
    source : str
        What to call the text in error messages (a file name).
    model : SndlibModel, optional
        Stored on the instance.

    Returns
    -------
    SndlibInstance

    Raises
    ------
    InputFileError
        On a syntax error (naming the line and what was expected), a repeated id, a link or
        demand naming an unknown node, a negative capacity, cost or demand, or a missing
        ``NODES``, ``LINKS`` or ``DEMANDS`` section.

    Examples
    --------
    >>> inst = parse_sndlib('''NODES ( A ( 0 0 ) B ( 1 0 ) )
    ... LINKS ( L1 ( A B ) 0 0 0 0 ( 10 3 40 9 ) )
    ... DEMANDS ( D1 ( A B ) 1 25 UNLIMITED )''', name="tiny")
    >>> inst.topology.n_links, inst.modules["capacity"].tolist()
    (1, [10.0, 40.0])
    >>> inst.demands["demand_value"].tolist()
    [25.0]
    """
    tk = _Tokens(text, source)
    nodes: dict[str, tuple[float, float]] = {}
    node_line: dict[str, int] = {}
    links: list[dict] = []
    modules: list[dict] = []
    demands: list[dict] = []
    paths: dict[str, tuple] = {}
    seen: set[str] = set()
    issues: list[Issue] = []
    link_line: list[int] = []
    demand_line: list[int] = []
    while tk.peek() is not None:
        section_line = tk.line
        section = tk.take("file", "a section name (NODES, LINKS, DEMANDS, ADMISSIBLE_PATHS)")
        if section in seen:
            raise InputFileError([Issue(section, "section occurs twice", line=section_line)],
                                 source)
        seen.add(section)
        if section not in ("NODES", "LINKS", "DEMANDS", "ADMISSIBLE_PATHS"):
            if tk.peek() == "=":  # a stray KEY = VALUE: a model file passed as network
                raise tk.fail("file", "a section name followed by '(' (is this a model file?)")
            tk.skip_group(section)  # META and any future section
            continue
        tk.expect("(", section, f"'(' opening the {section} section")
        while tk.peek() != ")":
            if tk.peek() is None:
                raise tk.fail(section, f"')' closing the {section} section")
            at = tk.line
            if section == "NODES":
                nid = tk.take(section, "a node id")
                tk.expect("(", section, f"'(' before node {nid}'s coordinates")
                x = tk.number(section, f"node {nid}'s x-coordinate (longitude)")
                y = tk.number(section, f"node {nid}'s y-coordinate (latitude)")
                tk.expect(")", section, f"')' after node {nid}'s coordinates")
                while tk.peek() == "(":  # (node_design_ids) (node_options), empty in 1.0
                    tk.skip_group(section)
                if nid in nodes:
                    issues.append(Issue(section, f"node {nid!r} occurs twice", line=at))
                nodes[nid] = (x, y)
                node_line[nid] = at
            elif section == "LINKS":
                lid = tk.take(section, "a link id")
                tk.expect("(", section, f"'(' before link {lid}'s end nodes")
                s = tk.take(section, f"link {lid}'s source node")
                t = tk.take(section, f"link {lid}'s target node")
                tk.expect(")", section, f"')' after link {lid}'s end nodes")
                row = {"link_id": lid, "source": s, "target": t}
                for col in ("pre_installed_capacity", "pre_installed_capacity_cost",
                            "routing_cost", "setup_cost"):
                    row[col] = tk.number(section, f"link {lid}'s {col} (a number)")
                tk.expect("(", section, f"'(' opening link {lid}'s module list")
                while tk.peek() != ")":
                    cap = tk.number(section, f"a module capacity of link {lid} or ')'")
                    cost = tk.number(section, f"the cost of link {lid}'s module of capacity "
                                              f"{cap:g}")
                    if cap <= 0 or cost < 0:
                        issues.append(Issue(section, f"link {lid}: module capacity={cap:g} "
                                            f"must be > 0 and cost={cost:g} >= 0", line=at))
                    modules.append({"link_id": lid, "capacity": cap, "cost": cost})
                tk.expect(")", section)
                for col in ("pre_installed_capacity", "pre_installed_capacity_cost",
                            "routing_cost", "setup_cost"):
                    if row[col] < 0:
                        issues.append(Issue(section, f"link {lid}: {col}={row[col]:g} "
                                            "must be >= 0", line=at))
                links.append(row)
                link_line.append(at)
            elif section == "DEMANDS":
                did = tk.take(section, "a demand id")
                tk.expect("(", section, f"'(' before demand {did}'s end nodes")
                s = tk.take(section, f"demand {did}'s source node")
                t = tk.take(section, f"demand {did}'s target node")
                tk.expect(")", section, f"')' after demand {did}'s end nodes")
                unit = tk.number(section, f"demand {did}'s routing_unit (a number)")
                value = tk.number(section, f"demand {did}'s demand_value (a number)")
                hop = tk.take(section, f"demand {did}'s max_path_length (a number or "
                                       "UNLIMITED)")
                if hop.upper() == "UNLIMITED":
                    hops = None
                else:
                    try:
                        hops = int(float(hop))
                    except ValueError:
                        tk.pos -= 1
                        raise tk.fail(section, f"demand {did}'s max_path_length (a number "
                                               "or UNLIMITED)") from None
                if value < 0 or unit <= 0:
                    issues.append(Issue(section, f"demand {did}: demand_value={value:g} "
                                        f"must be >= 0 and routing_unit={unit:g} > 0",
                                        line=at))
                if s == t:
                    issues.append(Issue(section, f"demand {did}: source and target are both "
                                        f"{s!r}", line=at))
                demands.append({"demand_id": did, "source": s, "target": t,
                                "routing_unit": unit, "demand_value": value,
                                "max_path_length": hops})
                demand_line.append(at)
            else:  # ADMISSIBLE_PATHS
                did = tk.take(section, "a demand id")
                tk.expect("(", section, f"'(' opening demand {did}'s path list")
                plist = []
                while tk.peek() != ")":
                    tk.take(section, f"a path id of demand {did} or ')'")
                    tk.expect("(", section, f"'(' opening a path of demand {did}")
                    hops_ = []
                    while tk.peek() != ")":
                        hops_.append(tk.take(section, f"a link id in a path of demand {did}"))
                    tk.expect(")", section)
                    plist.append(tuple(hops_))
                tk.expect(")", section)
                paths[did] = tuple(plist)
        tk.expect(")", section)

    for needed in ("NODES", "LINKS", "DEMANDS"):
        if needed not in seen:
            issues.append(Issue(needed, f"the {needed} section is missing",
                                "a network file has NODES, LINKS and DEMANDS sections"))
    link_ids = [r["link_id"] for r in links]
    seen_links: set[str] = set()
    for row, at in zip(links, link_line, strict=True):
        if row["link_id"] in seen_links:
            issues.append(Issue("LINKS", f"link {row['link_id']!r} occurs twice", line=at))
        seen_links.add(row["link_id"])
        for end in ("source", "target"):
            if row[end] not in nodes:
                issues.append(Issue("LINKS", f"link {row['link_id']}: {end} {row[end]!r} is "
                                    "not a node of the NODES section", line=at))
        if row["source"] == row["target"]:
            issues.append(Issue("LINKS", f"link {row['link_id']} is a loop at "
                                f"{row['source']!r}", line=at))
    seen_demands: set[str] = set()
    for row, at in zip(demands, demand_line, strict=True):
        if row["demand_id"] in seen_demands:
            issues.append(Issue("DEMANDS", f"demand {row['demand_id']!r} occurs twice", line=at))
        seen_demands.add(row["demand_id"])
        for end in ("source", "target"):
            if row[end] not in nodes:
                issues.append(Issue("DEMANDS", f"demand {row['demand_id']}: {end} "
                                    f"{row[end]!r} is not a node of the NODES section", line=at))
    for did, plist in paths.items():
        if did not in seen_demands:
            issues.append(Issue("ADMISSIBLE_PATHS", f"demand {did!r} is not in DEMANDS"))
        for p in plist:
            bad = [lk for lk in p if lk not in seen_links]
            if bad:
                issues.append(Issue("ADMISSIBLE_PATHS", f"demand {did}: path link {bad[0]!r} "
                                    "is not in LINKS"))
    if issues:
        raise InputFileError(issues, source)
    return _instance(name, source, nodes, links, link_ids, modules, demands, paths, model)


def _geographic(coords: dict[str, tuple[float, float]]) -> bool:
    return all(-180 <= x <= 360 and -90 <= y <= 90 for x, y in coords.values())


def _great_circle_km(a: tuple[float, float], b: tuple[float, float]) -> float:
    lon1, lat1, lon2, lat2 = map(math.radians, (*a, *b))
    h = (math.sin((lat2 - lat1) / 2) ** 2
         + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2)
    return 2 * _EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(h)))


def _instance(name, source, nodes, links, link_ids, modules, demands, paths, model):
    node_ids = list(nodes)
    geo = _geographic(nodes)
    ncol = {c: [""] * len(node_ids) for c in NODE_COLUMNS}
    ncol["kind"] = ["site"] * len(node_ids)
    ncol["name"] = list(node_ids)
    lengths = [(_great_circle_km(nodes[r["source"]], nodes[r["target"]]) if geo else math.nan)
               for r in links]
    lcol = {
        "source": [r["source"] for r in links], "target": [r["target"] for r in links],
        "kind": ["link"] * len(links), "tier": [""] * len(links),
        "carrier": [""] * len(links),
        "capacity_mbps": [int(round(r["pre_installed_capacity"])) for r in links],
        "latency_ms": [km * _FIBRE_MS_PER_KM for km in lengths],
        "length_km": lengths,
    }
    topology = Topology.from_columns(node_ids, ncol, lcol, name=name)
    link_frame = pd.DataFrame(links, columns=["link_id", "source", "target",
                                              "pre_installed_capacity",
                                              "pre_installed_capacity_cost", "routing_cost",
                                              "setup_cost"])
    module_frame = pd.DataFrame(modules, columns=["link_id", "capacity", "cost"]).astype(
        {"capacity": "float64", "cost": "float64"})
    demand_frame = pd.DataFrame(demands, columns=["demand_id", "source", "target",
                                                  "routing_unit", "demand_value",
                                                  "max_path_length"])
    demand_frame = demand_frame.astype({"routing_unit": "float64", "demand_value": "float64",
                                        "max_path_length": "Int64"})
    coords = pd.DataFrame({"x": [nodes[n][0] for n in node_ids],
                           "y": [nodes[n][1] for n in node_ids]},
                          index=pd.Index(node_ids, name="node_id"))
    link_frame.attrs["units"] = {"pre_installed_capacity": "Mbit/s", "routing_cost": "per Mbit/s"}
    return SndlibInstance(name=name, topology=topology, links=link_frame, modules=module_frame,
                          demands=demand_frame, coordinates=coords, admissible_paths=paths,
                          model=model, source=source)


# --------------------------------------------------------------------------- model


def parse_sndlib_model(text: str, *, source: str = "<string>") -> SndlibModel:
    r"""Parse the text of an SNDlib model file (``KEY = VALUE`` lines).

    Keys not in :data:`MODEL_KEYS` (``NODE_MODEL``, ``OBJECTIVE_MODEL``) are accepted and
    ignored; a missing key takes the first value of its list (undirected, modular, no fixed
    charge, continuous, all paths, no hop limit, no survivability).

    Raises
    ------
    InputFileError
        On a line that is not ``KEY = VALUE``, an unknown value or a repeated key.

    Examples
    --------
    >>> str(parse_sndlib_model("LINK_MODEL = BIDIRECTED\nDEMAND_MODEL = DIRECTED"))
    'D-B-M-N-C-A-N-N'
    """
    values: dict[str, str] = {}
    issues: list[Issue] = []
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.split("#", 1)[0].strip()
        if not line or (number == 1 and line.startswith("?")):
            continue
        key, eq, value = (part.strip() for part in line.partition("="))
        if not eq or not key or not value or len(value.split()) != 1:
            issues.append(Issue("model", f"expected KEY = VALUE, found {line!r}", line=number))
            continue
        if key in values:
            issues.append(Issue(key, "occurs twice", line=number))
        if key in MODEL_KEYS and value not in MODEL_KEYS[key]:
            issues.append(Issue(key, f"unknown value {value!r}",
                                f"expected one of {', '.join(MODEL_KEYS[key])}", line=number))
        values[key] = value
    if issues:
        raise InputFileError(issues, source)
    letters = [table[values[key]] if key in values else next(iter(table.values()))
               for key, table in MODEL_KEYS.items()]
    return SndlibModel(*letters)


def _read(path: Path) -> str:
    """The file's text, within the size limit of every input (``MAX_INPUT_BYTES``)."""
    from netplan.io.scenario_yaml import read_data_text

    if not path.is_file():
        raise InputFileError([Issue(path.name, f"file not found: {path}")], str(path))
    return read_data_text(path)


def read_sndlib_model(path: str | Path) -> SndlibModel:
    """Read an SNDlib model file, e.g. ``polska/models/U-U-M-N-C-A-N-N.txt``.

    Raises
    ------
    InputFileError
        When the file is missing or invalid (see :func:`parse_sndlib_model`).
    """
    path = Path(path)
    return parse_sndlib_model(_read(path), source=str(path))


def read_sndlib(network_path: str | Path, model_path: str | Path | None = None
                ) -> SndlibInstance:
    r"""Read an SNDlib network file and, optionally, a model file.

    Parameters
    ----------
    network_path : str or pathlib.Path
        The native-format network file, e.g. ``polska/polska.txt``.
    model_path : str or pathlib.Path, optional
        A model file, e.g. ``polska/models/U-U-M-N-C-A-N-N.txt``; stored as
        :attr:`SndlibInstance.model`.

    Returns
    -------
    SndlibInstance
        Named after the network file's stem.

    Raises
    ------
    InputFileError
        When a file is missing, unreadable or invalid; the message names the file, the line
        and what was expected.

    See Also
    --------
    parse_sndlib, netplan.capacity.dimensioning.DimensioningProblem.from_sndlib

    Examples
    --------
    >>> import tempfile, pathlib
    >>> d = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (d / "net.txt").write_text("NODES ( A ( 0 0 ) B ( 1 0 ) )\n"
    ...     "LINKS ( L ( A B ) 0 0 0 0 ( 10 3 ) )\nDEMANDS ( D ( A B ) 1 5 UNLIMITED )\n")
    >>> read_sndlib(d / "net.txt").name
    'net'
    """
    network_path = Path(network_path)
    model = None if model_path is None else read_sndlib_model(model_path)
    return parse_sndlib(_read(network_path), name=network_path.stem,
                        source=str(network_path), model=model)
