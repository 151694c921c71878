"""Sweep grids: many variants of one scenario, read from a small YAML file.

A grid file names scenario settings by their dotted path and lists the values to try::

    name: meizhou-growth-teams
    stages: [migration, capacity]      # default; add simulation (minutes per variant)
    seeds: [1, 2]                      # optional: each variant once per seed
    grid:                              # the cross product of these lists
      demand.growth_pct_per_year: [10, 20, 30]
      migration.teams: [4, 6]
    variants:                          # and/or a list of variants, each a mapping
      - {capacity.budget: 3000}
      - {capacity.budget: null, extranet.carriers: [电信, 联通]}

With both ``grid`` and ``variants`` every grid point is combined with every listed variant
(a listed variant's value wins over the grid's for the same path); ``seeds`` multiplies again,
setting ``simulation.seed`` and ``migration.seed`` (the latter when the scenario has a
``migration`` section).
Paths are dotted scenario paths; list items are indexed as ``simulation.failures[0].name`` (or
``simulation.failures.0.name``). A section missing from the scenario is created.

Each variant is applied to the scenario's raw YAML data and validated like a scenario file
(:func:`netplan.io.scenario_yaml.parse_scenario`), so every bad path or value is reported
before anything runs, naming the grid file, the variant and the field.
"""

from __future__ import annotations

import copy
import difflib
import itertools
import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from netplan.errors import Issue, ScenarioError
from netplan.model.scenario import Scenario

__all__ = ["STAGES", "DEFAULT_STAGES", "Variant", "SweepGrid", "read_grid", "parse_grid",
           "apply_variant", "variant_scenarios", "split_path"]

#: Stages a variant may run, in the order they run.
STAGES = ("migration", "capacity", "simulation")
#: What runs when the grid file says nothing (the simulation takes minutes per variant).
DEFAULT_STAGES = ("migration", "capacity")
#: The seeds' paths in the scenario (``migration.seed`` only with a migration section).
SEED_PATHS = ("simulation.seed", "migration.seed")

_KEYS = ("name", "description", "grid", "variants", "stages", "seeds")
_SEGMENT = re.compile(r"([^.\[\]]+)|\[(\d+)\]")


@dataclass(frozen=True)
class Variant:
    """One variant of a sweep: its id and the scenario settings it changes.

    Attributes
    ----------
    id : str
        ``v000``, ``v001`` ... in expansion order (zero-padded, so sorting by id keeps it).
    params : dict of str to object
        Dotted scenario path → value, in the grid file's order.
    seed : int or None
        From the grid's ``seeds`` (set as ``simulation.seed`` and ``migration.seed``).
    listed : int or None
        Index of the grid file's listed variant it comes from (None without ``variants:``).
    """

    id: str
    params: dict[str, object]
    seed: int | None = None
    listed: int | None = None

    def label(self) -> str:
        """``path=value, ...`` (and ``seed=N``): the variant in words."""
        parts = [f"{k}={_show(v)}" for k, v in self.params.items()]
        if self.seed is not None:
            parts.append(f"seed={self.seed}")
        return ", ".join(parts) or "the scenario as it is"

    def __str__(self) -> str:
        return f"{self.id} ({self.label()})"


@dataclass(frozen=True)
class SweepGrid:
    """A sweep grid as read from its file (see the module docstring).

    Attributes
    ----------
    name : str
    grid : dict of str to list
        Dotted path → values; the variants are their cross product.
    variants : list of dict
        Listed variants (each path → value); combined with every grid point.
    stages : tuple of str
        Of :data:`STAGES`, run per variant (default :data:`DEFAULT_STAGES`).
    seeds : tuple of int
        Empty: the scenario's own seeds.
    source : str
        The grid file (for messages).
    lines : dict of str to int
        Grid-file line of each ``grid.<path>`` and ``variants[i].<path>``.
    """

    name: str
    grid: dict[str, list] = field(default_factory=dict)
    variants: list[dict[str, object]] = field(default_factory=list)
    stages: tuple[str, ...] = DEFAULT_STAGES
    seeds: tuple[int, ...] = ()
    source: str = "<grid>"
    lines: dict[str, int] = field(default_factory=dict, repr=False, compare=False)

    def expand(self) -> list[Variant]:
        """Every variant: grid points × listed variants × seeds, numbered in that order.

        Examples
        --------
        >>> g = parse_grid({"name": "g", "grid": {"migration.teams": [1, 2, 3],
        ...                 "demand.growth_pct_per_year": [10, 20]}})
        >>> vs = g.expand()
        >>> len(vs), vs[0].id, vs[-1].params
        (6, 'v000', {'migration.teams': 3, 'demand.growth_pct_per_year': 20})
        """
        keys = list(self.grid)
        points = [dict(zip(keys, combo, strict=True))
                  for combo in itertools.product(*(self.grid[k] for k in keys))]
        listed = list(enumerate(self.variants)) or [(None, {})]
        seeds: list[int | None] = list(self.seeds) or [None]
        combos = [({**p, **v}, s, i) for p in points for i, v in listed for s in seeds]
        width = max(3, len(str(len(combos) - 1)))
        return [Variant(f"v{n:0{width}d}", params, seed, i)
                for n, (params, seed, i) in enumerate(combos)]

    def line(self, variant: Variant, path: str) -> int | None:
        """Grid-file line where ``variant`` gets its value for ``path``."""
        if variant.listed is not None and f"variants[{variant.listed}].{path}" in self.lines:
            return self.lines[f"variants[{variant.listed}].{path}"]
        if f"grid.{path}" in self.lines:
            return self.lines[f"grid.{path}"]
        return self.lines.get("seeds") if path in SEED_PATHS else None


def split_path(path: str) -> list[str | int]:
    """``"simulation.failures[0].name"`` → ``["simulation", "failures", 0, "name"]``.

    A purely numeric segment (``failures.0``) is an index too.

    Raises
    ------
    ValueError
        When the path is empty or malformed.

    Examples
    --------
    >>> split_path("simulation.failures[0].name")
    ['simulation', 'failures', 0, 'name']
    >>> split_path("extranet.tiers.town.uplink")
    ['extranet', 'tiers', 'town', 'uplink']
    """
    out: list[str | int] = []
    pos = 0
    text = path.strip()
    while pos < len(text):
        if text[pos] == "." and out:
            pos += 1
        m = _SEGMENT.match(text, pos)
        if m is None:
            raise ValueError(f"{path!r} is not a dotted path (write e.g. migration.teams or "
                             "simulation.failures[0].name)")
        key, index = m.groups()
        out.append(int(index) if index is not None else (int(key) if key.isdigit() else key))
        pos = m.end()
    if not out:
        raise ValueError("an empty path; write e.g. migration.teams")
    return out


def apply_variant(data: dict, params: dict[str, object]) -> dict:
    """A deep copy of raw scenario data with each dotted path set to its value.

    Missing sections are created (validation then says whether they may exist).

    Raises
    ------
    KeyError
        With the message naming the path, when a list index is out of range or a path goes
        through a value that is not a section.

    Examples
    --------
    >>> d = {"migration": {"teams": 6}, "simulation": {"failures": [{"name": "a"}]}}
    >>> out = apply_variant(d, {"migration.teams": 3, "simulation.failures[0].name": "b",
    ...                         "capacity.budget": 10})
    >>> out["migration"]["teams"], out["simulation"]["failures"][0]["name"], out["capacity"]
    (3, 'b', {'budget': 10})
    >>> d["migration"]["teams"]  # the input is left alone
    6
    """
    out = copy.deepcopy(data)
    for path, value in params.items():
        keys = split_path(path)
        cur: object = out
        done = ""
        for i, key in enumerate(keys):
            last = i == len(keys) - 1
            if isinstance(cur, list):
                if not isinstance(key, int) or not 0 <= key < len(cur):
                    raise KeyError(f"{done or path}: no item [{key}] (the list has {len(cur)} "
                                   f"item{'s' if len(cur) != 1 else ''}, numbered from 0)")
            elif isinstance(cur, dict):
                key = str(key)
                if not last and cur.get(key) is None:
                    cur[key] = {}
            else:
                raise KeyError(f"{done}: is the value {_show(cur)}, not a section, so "
                               f"{path!r} does not exist")
            if last:
                cur[key] = copy.deepcopy(value)
            else:
                cur = cur[key]
                done = f"{done}[{key}]" if isinstance(key, int) else \
                    (f"{done}.{key}" if done else key)
    return out


def _show(value: object) -> str:
    if isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False, default=str)


# --------------------------------------------------------------------------- reading


def read_grid(path: str | Path) -> SweepGrid:
    """Read and check a sweep grid file (YAML, UTF-8 or GBK).

    Raises
    ------
    ScenarioError
        Every problem of the file's form, by YAML path and line.

    Examples
    --------
    >>> from netplan.examples import scenario_path
    >>> g = read_grid(scenario_path("meizhou-2020-sweep"))
    >>> g.stages, len(g.expand())
    (('migration', 'capacity'), 100)
    """
    from netplan.io.scenario_yaml import _parse_yaml, read_text

    path = Path(path)
    data, pos = _parse_yaml(read_text(path), str(path))
    return parse_grid(data, str(path), lines=dict(pos.lines))


def parse_grid(data: object, source: str = "<grid>", *,
               lines: dict[str, int] | None = None) -> SweepGrid:
    """Check already-parsed grid data; see :func:`read_grid`.

    Raises
    ------
    ScenarioError
        Naming ``source``, each problem with its path (and line, when ``lines`` has it).

    Examples
    --------
    >>> parse_grid({"name": "g", "variants": [{"migration.teams": 2}]}).expand()[0].params
    {'migration.teams': 2}
    """
    lines = lines or {}
    issues: list[Issue] = []

    def bad(where: str, message: str, hint: str = "") -> None:
        issues.append(Issue(where, message, hint, line=_line(lines, where)))

    if not isinstance(data, dict):
        raise ScenarioError([Issue("", "a grid file holds a mapping (name, grid, variants, "
                                   f"stages, seeds), got {type(data).__name__}")], source)
    for key in data:
        if key not in _KEYS:
            close = difflib.get_close_matches(str(key), _KEYS, n=1)
            bad(str(key), f"unknown field '{key}'",
                f"did you mean '{close[0]}'?" if close else f"allowed: {', '.join(_KEYS)}")
    name = data.get("name")
    if not isinstance(name, str) or not name.strip():
        bad("name", "is required: a name for the sweep", "add e.g. `name: meizhou-growth`")
    grid = data.get("grid") or {}
    variants = data.get("variants") or []
    if not isinstance(grid, dict):
        bad("grid", "must be a mapping of dotted scenario paths to lists of values",
            "write e.g. `migration.teams: [4, 6, 8]`")
        grid = {}
    if not isinstance(variants, list):
        bad("variants", "must be a list of mappings (each a variant)",
            "write e.g. `- {migration.teams: 4}`")
        variants = []
    if not grid and not variants:
        bad("grid", "the file has neither `grid:` nor `variants:`: nothing to sweep")
    for key, values in grid.items():
        where = f"grid.{key}"
        _check_path(key, where, bad)
        if not isinstance(values, list) or not values:
            bad(where, f"{_show(values)} must be a non-empty list of values",
                f"write e.g. `{key}: [{_show(values)}]`")
    for i, v in enumerate(variants):
        if not isinstance(v, dict) or not v:
            bad(f"variants[{i}]", f"{_show(v)} must be a mapping of dotted paths to values",
                "write e.g. `- {migration.teams: 4}`")
            continue
        for key in v:
            _check_path(str(key), f"variants[{i}].{key}", bad)
    stages = data.get("stages", list(DEFAULT_STAGES))
    if isinstance(stages, str):
        stages = [stages]
    if not isinstance(stages, list) or not stages:
        bad("stages", f"{_show(stages)} must be a list of {', '.join(STAGES)}")
        stages = list(DEFAULT_STAGES)
    for s in stages:
        if s not in STAGES:
            close = difflib.get_close_matches(str(s), STAGES, n=1)
            bad("stages", f"unknown stage {_show(s)}",
                f"did you mean '{close[0]}'?" if close else f"use {', '.join(STAGES)}")
    seeds = data.get("seeds") or []
    if not isinstance(seeds, list) or not all(isinstance(s, int) and not isinstance(s, bool)
                                              for s in seeds):
        bad("seeds", f"{_show(seeds)} must be a list of whole numbers", "write e.g. [1, 2, 3]")
        seeds = []
    if issues:
        raise ScenarioError(issues, source)
    ordered = tuple(s for s in STAGES if s in stages)
    return SweepGrid(name=name.strip(), grid={str(k): list(v) for k, v in grid.items()},
                     variants=[{str(k): x for k, x in v.items()} for v in variants],
                     stages=ordered, seeds=tuple(seeds), source=source, lines=lines)


def _check_path(key: str, where: str, bad) -> None:
    try:
        split_path(key)
    except ValueError as exc:
        bad(where, str(exc))


def _line(lines: dict[str, int], where: str) -> int | None:
    while where:
        if where in lines:
            return lines[where]
        cut = max(where.rfind("."), where.rfind("["))
        if where.startswith("grid.") and cut > 4:  # grid keys hold dots themselves
            cut = 4
        where = where[:cut] if cut > 0 else ""
    return None


# --------------------------------------------------------------------------- validation


def read_scenario_data(path: str | Path) -> dict:
    """The raw YAML data of a scenario file (a mapping), its own syntax errors raised."""
    from netplan.io.scenario_yaml import _parse_yaml, read_text

    path = Path(path)
    data, _ = _parse_yaml(read_text(path), str(path))
    if not isinstance(data, dict):
        raise ScenarioError([Issue("", "the file must hold a mapping of sections (name, "
                                   f"region, extranet, ...), got {type(data).__name__}")],
                            str(path))
    return data


def variant_scenarios(scenario_path: str | Path, grid: SweepGrid
                      ) -> list[tuple[Variant, Scenario]]:
    """Every variant of the grid applied to the scenario file and validated.

    The scenario's relative paths (its inventory) resolve against the scenario file, as when
    the file is read on its own.

    Parameters
    ----------
    scenario_path : str or Path
        The scenario YAML file.
    grid : SweepGrid

    Returns
    -------
    list of (Variant, Scenario)
        In expansion order.

    Raises
    ------
    ScenarioError
        The scenario itself is invalid (naming the scenario file), or some variants are
        (naming the grid file; each issue names the variant, its settings and the field).

    Examples
    --------
    >>> from netplan.examples import scenario_path
    >>> g = parse_grid({"name": "g", "grid": {"migration.teams": [3, 4]}})
    >>> [(v.id, s.migration.teams) for v, s in variant_scenarios(scenario_path("meizhou-2020"), g)]
    [('v000', 3), ('v001', 4)]
    """
    from netplan.io.scenario_yaml import parse_scenario, read_scenario

    scenario_path = Path(scenario_path)
    read_scenario(scenario_path)  # its own errors, each with its line, as netplan validate says
    base = read_scenario_data(scenario_path)
    out: list[tuple[Variant, Scenario]] = []
    issues: list[Issue] = []
    for variant in grid.expand():
        params = dict(variant.params)
        if variant.seed is not None:
            params.setdefault("simulation.seed", variant.seed)  # the section has defaults
            if isinstance(base.get("migration"), dict):  # a migration section needs a start
                params.setdefault("migration.seed", variant.seed)
        where = f"variant {variant}"
        data, bad_path = base, False
        for key, value in params.items():
            try:
                data = apply_variant(data, {key: value})
            except KeyError as exc:
                issues.append(Issue(f"{where}: {key}", str(exc.args[0]),
                                    "fix the path in the grid file",
                                    line=grid.line(variant, key)))
                bad_path = True
        if bad_path:
            continue
        try:
            scenario, _ = parse_scenario(data, str(scenario_path), base_dir=scenario_path.parent)
        except ScenarioError as exc:
            for issue in exc.errors or exc.issues:
                key = _param_of(issue.path, params)
                value = f" (the variant sets {key}={_show(params[key])})" if key else ""
                issues.append(Issue(f"{where}: {issue.path or key}", issue.message + value,
                                    issue.hint, line=grid.line(variant, key) if key else None))
            continue
        out.append((variant, scenario))
    if issues:
        raise ScenarioError(issues, grid.source)
    return out


def _param_of(path: str, params: dict[str, object]) -> str:
    """The variant's parameter a validation issue at ``path`` is about ("" when none is)."""
    norm = ".".join(str(k) for k in split_path(path)) if path else ""
    best = ""
    for key in params:
        k = ".".join(str(x) for x in split_path(key))
        if norm and (norm == k or norm.startswith(k + ".") or k.startswith(norm + ".")):
            if len(k) > len(best):
                best = key
    return best
