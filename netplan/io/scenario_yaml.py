"""Read scenario files (YAML) into validated :class:`~netplan.model.Scenario` objects.

Every problem is reported at once, located by its YAML path and line, in words a planner can act
on; nothing here raises a raw pydantic or YAML traceback.
"""

from __future__ import annotations

import difflib
import json
import math
import typing
from pathlib import Path

import yaml
from pydantic import BaseModel, ValidationError

from netplan.errors import InputFileError, Issue, ScenarioError
from netplan.model.diagnose import diagnose, diagnose_inventory
from netplan.model.scenario import Scenario

__all__ = ["load_scenario", "read_scenario", "parse_scenario", "scenario_json_schema", "read_text",
           "read_data_text", "check_file_size", "MAX_INPUT_BYTES", "MAX_TABLE_ROWS",
           "MAX_TABLE_CELLS", "MAX_UNZIPPED_BYTES", "MAX_YAML_NODES", "MAX_YAML_DEPTH"]

#: The largest input file netplan reads, in bytes (50 MiB), for every format: scenario YAML,
#: inventory and progress CSV/XLSX, GraphML/JSON/CSV topology, SNDlib. The largest shipped
#: input is ~100 kB; a file above this is refused before a byte of it is read.
MAX_INPUT_BYTES = 50 * 1024 * 1024

#: The most rows netplan reads from one table (inventory, progress file, site or link list,
#: CSV or XLSX), blank rows included; and the most cells of one XLSX sheet.
MAX_TABLE_ROWS = 1_000_000
MAX_TABLE_CELLS = 20_000_000

#: The most bytes an XLSX workbook may unzip to (its parts' declared sizes, summed): a zip bomb
#: is refused before it is opened. Ten times :data:`MAX_INPUT_BYTES`; spreadsheets compress
#: about five- to tenfold.
MAX_UNZIPPED_BYTES = 10 * MAX_INPUT_BYTES

#: The most YAML nodes (scalars, lists, mappings) a scenario may expand to, counting every
#: alias (``*name``) as the whole subtree it repeats. The shipped scenarios have under 2,000;
#: the bound stops an alias bomb ("billion laughs") before it is expanded.
MAX_YAML_NODES = 1_000_000

#: The deepest nesting of lists and mappings in a scenario (aliases expanded). The schema
#: needs about 10 levels.
MAX_YAML_DEPTH = 64

#: The only explicit YAML tags a scenario may carry: YAML's core schema (``!!str``,
#: ``!!int``...) and dates. ``!!python/...``, ``!!binary``, ``!!set`` and local ``!tags`` are
#: refused with their line.
_SAFE_TAGS = frozenset(f"tag:yaml.org,2002:{t}" for t in
                       ("str", "int", "float", "bool", "null", "map", "seq", "timestamp"))

#: The largest whole number a scenario field may hold: beyond 2**53 a float cannot hold it.
_MAX_INT = 2**53


#: What a file of each suffix should be, for the hint on a binary file.
_TEXT_KIND = {".yaml": "a scenario is a YAML text file", ".yml": "a scenario is a YAML text file",
              ".csv": "a table is a CSV text file", ".json": "it must be a JSON text file",
              ".graphml": "a GraphML file is XML text"}


def check_file_size(path: Path, limit: int | None = None) -> int:
    r"""Refuse a file larger than :data:`MAX_INPUT_BYTES` before reading it; return its size.

    Every reader of an input file calls this first (through :func:`read_text` for text), so
    that one limit holds for every format.

    Parameters
    ----------
    path : Path
        The file about to be read.
    limit : int, optional
        The bound in bytes; :data:`MAX_INPUT_BYTES` (read at call time) by default.

    Returns
    -------
    int
        The file's size in bytes.

    Raises
    ------
    ScenarioError
        When the file is missing, a folder, or larger than the limit.

    Examples
    --------
    >>> import pathlib, tempfile
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "a.csv"
    >>> _ = p.write_text("a,b\n1,2\n")
    >>> check_file_size(p)
    8
    >>> check_file_size(p, limit=4)
    Traceback (most recent call last):
    ...
    netplan.errors.ScenarioError: ...a.csv: 1 problem found
      ...a.csv: the file is 8 bytes, above the 4-byte limit netplan reads; ...
    """
    limit = MAX_INPUT_BYTES if limit is None else limit
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        raise ScenarioError([Issue("", f"file not found: {path}")], str(path)) from None
    except OSError as exc:
        raise ScenarioError([Issue("", f"cannot read {path}: {exc.strerror or exc}")],
                            str(path)) from None
    if path.is_dir():
        raise ScenarioError([Issue("", f"{path} is a folder, not a file")], str(path)) from None
    if size > limit:
        raise ScenarioError(
            [Issue(path.name, f"the file is {size:,} bytes, above the {limit:,}-byte limit "
                   "netplan reads",
                   "check that it is the right file; split a larger inventory or topology "
                   "by region")],
            str(path),
        )
    return size


def read_text(path: Path) -> str:
    """Read a text file written as UTF-8 (with or without BOM) or GBK/GB18030.

    The file must not exceed :data:`MAX_INPUT_BYTES` (checked before it is read).

    Raises
    ------
    ScenarioError
        When the file is missing, too large, binary, or in none of these encodings.
    """
    check_file_size(path)
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise ScenarioError([Issue("", f"file not found: {path}")], str(path)) from None
    except IsADirectoryError:
        raise ScenarioError([Issue("", f"{path} is a folder, not a file")], str(path)) from None
    except OSError as exc:  # permission denied, a device, ...
        raise ScenarioError([Issue("", f"cannot read {path}: {exc.strerror or exc}")],
                            str(path)) from None
    if b"\x00" in raw:
        raise ScenarioError(
            [Issue("", "the file is binary (it holds NUL bytes), not text",
                   f"{_TEXT_KIND.get(path.suffix.lower(), 'it must be a text file')}; save it "
                   "as UTF-8")],
            str(path),
        )
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ScenarioError(
        [Issue("", "the file is neither UTF-8 nor GBK/GB18030 text", "save it as UTF-8")],
        str(path),
    )


def read_data_text(path: Path) -> str:
    r""":func:`read_text` for a data file: problems raise :class:`InputFileError`.

    Every issue is located by the file's name, as the table readers locate theirs.

    Examples
    --------
    >>> import pathlib, tempfile
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "net.txt"
    >>> _ = p.write_bytes(b"NODES (\n)\n")
    >>> read_data_text(p)
    'NODES (\n)\n'
    """
    try:
        return read_text(path)
    except InputFileError:
        raise
    except ScenarioError as exc:
        raise InputFileError([Issue(i.path or path.name, i.message, i.hint, i.severity, i.line)
                              for i in exc.issues], str(path)) from None


# --------------------------------------------------------------------------- YAML with positions


class _Positions:
    """YAML paths (as netplan writes them) mapped to 1-based line numbers."""

    def __init__(self) -> None:
        self.lines: dict[str, int] = {}

    def line(self, path: str) -> int | None:
        while True:
            if path in self.lines:
                return self.lines[path]
            if not path:
                return None
            cut = max(path.rfind("."), path.rfind("["))
            path = path[:cut] if cut > 0 else ""


def _join(path: str, key: object) -> str:
    if isinstance(key, int):
        return f"{path}[{key}]"
    return f"{path}.{key}" if path else str(key)


def _construct(node: yaml.Node, loader: yaml.SafeLoader, path: str, pos: _Positions,
               issues: list[Issue]) -> object:
    if path:  # the root has no useful line: a missing top-level section is nowhere
        pos.lines.setdefault(path, node.start_mark.line + 1)
    if isinstance(node, yaml.MappingNode):
        loader.flatten_mapping(node)
        out: dict = {}
        for key_node, value_node in node.value:
            key = _construct_scalar(key_node, loader, path, issues)
            if not isinstance(key, str | int | float | bool) or key is None:
                issues.append(Issue(path, f"a key must be plain text, got {key!r}",
                                    line=key_node.start_mark.line + 1))
                continue
            key = str(key) if not isinstance(key, str) else key
            child = _join(path, key)
            # Point at the key, not at its value (a block value starts on the next line).
            pos.lines.setdefault(child, key_node.start_mark.line + 1)
            if key in out:
                issues.append(
                    Issue(child, f"key '{key}' appears twice in the same mapping",
                          "keep one; YAML would silently drop the first",
                          line=key_node.start_mark.line + 1)
                )
            out[key] = _construct(value_node, loader, child, pos, issues)
        return out
    if isinstance(node, yaml.SequenceNode):
        return [_construct(v, loader, _join(path, i), pos, issues)
                for i, v in enumerate(node.value)]
    return _construct_scalar(node, loader, path, issues)


def _construct_scalar(node: yaml.Node, loader: yaml.SafeLoader, path: str,
                      issues: list[Issue]) -> object:
    """Construct a node, turning the ValueError of an impossible date (2020-13-45) into an issue."""
    try:
        value = loader.construct_object(node, deep=True)
    except ValueError as exc:
        line = node.start_mark.line + 1
        if node.tag.endswith(":timestamp"):
            issues.append(Issue(path, f'"{node.value}" is not a date ({exc})',
                                "write it as ISO YYYY-MM-DD, e.g. 2020-12-31", line=line))
        else:
            issues.append(Issue(path, f'"{node.value}" cannot be read ({exc})',
                                "quote it to keep it as text", line=line))
        return node.value
    if isinstance(value, float) and not math.isfinite(value):
        issues.append(Issue(path, f'"{node.value}" is not a finite number',
                            "write a number such as 2.5 (.inf and .nan are not amounts)",
                            line=node.start_mark.line + 1))
    elif isinstance(value, int) and not isinstance(value, bool) and abs(value) > _MAX_INT:
        issues.append(Issue(path, f"{node.value} is too large a number (above 2**53)",
                            "check the value: no count or amount in a scenario is this large",
                            line=node.start_mark.line + 1))
    return value


def _check_events(text: str, source: str) -> None:
    """Walk the YAML events (no objects built) and refuse what would expand without bound.

    Refused, with the line: an explicit tag outside :data:`_SAFE_TAGS`; nesting deeper than
    :data:`MAX_YAML_DEPTH`; an alias that refers to the node containing it; a document that
    would expand, aliases repeated in full, to more than :data:`MAX_YAML_NODES` nodes. The
    walk is linear in the text, whatever the aliases would expand to. It uses libyaml's
    parser where PyYAML has it (25 times faster); where libyaml rejects the text, PyYAML's
    parser walks it again, so that its messages (which the loader reports) are the ones seen.
    """
    if getattr(yaml, "__with_libyaml__", False):
        try:
            _walk_events(yaml.parse(text, Loader=yaml.CSafeLoader), source)
            return
        except yaml.YAMLError:
            pass
    _walk_events(yaml.parse(text, Loader=yaml.SafeLoader), source)


def _walk_events(events, source: str) -> None:
    """The checks of :func:`_check_events` over a stream of parser events."""
    expanded = 0  # nodes the document expands to so far
    size: dict[str, int] = {}  # anchor -> nodes of its subtree, aliases expanded
    height: dict[str, int] = {}  # anchor -> depth of its subtree, aliases expanded
    stack: list[list] = []  # open collections: [anchor, expanded at start, tallest child]

    def fail(event, message: str, hint: str) -> typing.NoReturn:
        raise ScenarioError([Issue("", message, hint, line=event.start_mark.line + 1)], source)

    def add(event, nodes: int, tall: int) -> None:
        nonlocal expanded
        expanded += nodes
        if stack:
            stack[-1][2] = max(stack[-1][2], tall)
        if expanded > MAX_YAML_NODES:
            what = (f"the alias *{event.anchor} makes" if isinstance(event, yaml.AliasEvent)
                    else "at this point")
            fail(event, f"{what} the document expand to more than {MAX_YAML_NODES:,} values "
                 "(anchors & and aliases * repeat whole lists and mappings)",
                 "remove the anchors and aliases, or write the values out")
        if len(stack) + tall > MAX_YAML_DEPTH:
            fail(event, f"lists and mappings nested more than {MAX_YAML_DEPTH} deep",
                 "a scenario needs about 10 levels: check the brackets and indentation")

    for event in events:
        tag = getattr(event, "tag", None)
        if tag is not None and tag != "!" and tag not in _SAFE_TAGS:
            fail(event, f"the YAML tag {tag.replace('tag:yaml.org,2002:', '!!')} is not "
                 "allowed", "remove the tag: a scenario holds plain text, numbers, dates, "
                 "lists and mappings")
        if isinstance(event, yaml.AliasEvent):
            if any(entry[0] == event.anchor for entry in stack):
                fail(event, f"the alias *{event.anchor} refers to the list or mapping that "
                     "contains it (an endless loop)", "write the values out instead")
            add(event, size.get(event.anchor, 1), height.get(event.anchor, 1))
        elif isinstance(event, yaml.ScalarEvent):
            add(event, 1, 1)
            if event.anchor is not None:
                size[event.anchor], height[event.anchor] = 1, 1
        elif isinstance(event, yaml.CollectionStartEvent):
            add(event, 1, 1)
            stack.append([event.anchor, expanded - 1, 0])
        elif isinstance(event, yaml.CollectionEndEvent):
            anchor, start, tallest = stack.pop()
            if stack:
                stack[-1][2] = max(stack[-1][2], tallest + 1)
            if anchor is not None:
                size[anchor], height[anchor] = expanded - start, tallest + 1


def _parse_yaml(text: str, source: str) -> tuple[object, _Positions]:
    pos = _Positions()
    issues: list[Issue] = []
    loader = None
    try:
        _check_events(text, source)
        loader = yaml.SafeLoader(text)
        node = loader.get_single_node()
        if node is None:
            raise ScenarioError(
                [Issue("", "the file is empty (or holds only comments)",
                       "write the scenario sections: name, region and extranet at least")],
                source,
            )
        data = _construct(node, loader, "", pos, issues)
    except yaml.reader.ReaderError as exc:
        char = exc.character if isinstance(exc.character, int) else ord(exc.character[:1] or "?")
        line = text.count("\n", 0, exc.position) + 1
        raise ScenarioError(
            [Issue("", f"not valid YAML: character #x{char:04X} is not allowed in a text file",
                   "the file looks binary or damaged; a scenario is a YAML text file",
                   line=line)],
            source,
        ) from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        what = exc.problem or "malformed YAML"
        if exc.context and exc.context_mark and exc.context_mark.line + 1 != line:
            # The parser notices late (an unclosed [ or quote): say where the construct began.
            what += f" ({exc.context} that starts on line {exc.context_mark.line + 1})"
        hint = ("indent with spaces: YAML does not allow tabs" if "'\\t'" in what
                else "check indentation, colons and quotes")
        raise ScenarioError(
            [Issue("", f"not valid YAML: {what}", hint, line=line)],
            source,
        ) from None
    except yaml.YAMLError as exc:
        raise ScenarioError([Issue("", f"not valid YAML: {exc}")], source) from None
    finally:
        if loader is not None:
            loader.dispose()
    if issues:
        raise ScenarioError(issues, source)
    return data, pos


# --------------------------------------------------------------------------- pydantic errors


def _field_names(model: type[BaseModel]) -> list[str]:
    return [f.alias or name for name, f in model.model_fields.items()]


def _models_in(annotation: object) -> list[type[BaseModel]]:
    """The pydantic model classes that an annotation may hold (through list, Optional, Union)."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return [annotation]
    out: list[type[BaseModel]] = []
    for arg in typing.get_args(annotation):
        out.extend(_models_in(arg))
    return out


def _model_at(keys: list[object]) -> type[BaseModel] | None:
    """The model class whose fields a (cleaned) location path points into."""
    models: list[type[BaseModel]] = [Scenario]
    for key in keys:
        if isinstance(key, int):
            continue
        nxt: list[type[BaseModel]] = []
        for m in models:
            for name, f in m.model_fields.items():
                if key in (name, f.alias):
                    nxt.extend(_models_in(f.annotation))
        if not nxt:
            return None
        models = nxt
    return models[0] if models else None


def _clean_loc(loc: tuple, data: object) -> list[object]:
    """Drop the union/validator tags pydantic inserts, keeping keys that exist in the data."""
    keys: list[object] = []
    cur = data
    for i, part in enumerate(loc):
        last = i == len(loc) - 1
        if isinstance(cur, dict) and isinstance(part, str) and (part in cur or last):
            keys.append(part)
            cur = cur.get(part)
        elif isinstance(cur, list) and isinstance(part, int) and 0 <= part < len(cur):
            keys.append(part)
            cur = cur[part]
        # else: a tag such as 'int', 'list[Town]', 'function-after[...]'
    return keys


def _path(keys: list[object]) -> str:
    path = ""
    for k in keys:
        path = _join(path, k)
    return path


def _show(value: object) -> str:
    if value is None:  # `key:` with nothing after it
        return "an empty value"
    if isinstance(value, bool):  # YAML reads yes/no/on/off as booleans
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, str):
        return f'"{value}"'
    if isinstance(value, dict | list):
        text = json.dumps(value, ensure_ascii=False, default=str)
        return text if len(text) < 60 else text[:57] + "..."
    return repr(value)


def _describe(err: dict, keys: list[object], data: object) -> Issue:
    etype = err["type"]
    value = err.get("input")
    ctx = err.get("ctx") or {}
    path = _path(keys)
    if etype == "missing":
        field = keys[-1] if keys else "?"
        return Issue(path, "is required but missing", f"add `{field}:` here")
    if etype == "extra_forbidden":
        field = str(keys[-1]) if keys else "?"
        model = _model_at(keys[:-1])
        allowed = _field_names(model) if model else []
        close = difflib.get_close_matches(field, allowed, n=1)
        hint = f"did you mean '{close[0]}'?" if close else (
            f"allowed here: {', '.join(allowed)}" if allowed else "remove it")
        return Issue(path, f"unknown field '{field}'", hint)
    if etype == "value_error":
        msg = str(ctx.get("error", err["msg"]))
        return Issue(path, msg)
    if etype in ("int_parsing", "int_type", "int_from_float"):
        return Issue(path, f"{_show(value)} is not a whole number", "write e.g. 12")
    if etype in ("float_parsing", "float_type"):
        return Issue(path, f"{_show(value)} is not a number", "write e.g. 2.5")
    if etype in ("greater_than_equal", "greater_than", "less_than_equal", "less_than"):
        op = {"greater_than_equal": ">=", "greater_than": ">", "less_than_equal": "<=",
              "less_than": "<"}[etype]
        bound = next(iter(ctx.values()), "?")
        return Issue(path, f"{_show(value)} must be {op} {_show(bound)}")
    if etype.startswith("date") or etype.startswith("datetime"):
        return Issue(path, f"{_show(value)} is not a date",
                     "write it as ISO YYYY-MM-DD, e.g. 2020-12-31")
    if etype == "literal_error":
        return Issue(path, f"{_show(value)} is not allowed", f"use {ctx.get('expected', '')}")
    if etype in ("string_type", "string_too_short", "string_too_long", "string_pattern_mismatch"):
        if etype == "string_pattern_mismatch":
            return Issue(path, f"{_show(value)} has the wrong form",
                         f"expected {ctx.get('pattern')}")
        if etype == "string_too_short":
            return Issue(path, "must not be empty")
        return Issue(path, f"{_show(value)} must be text")
    if etype in ("list_type", "too_short", "too_long"):
        if etype == "list_type":
            return Issue(path, f"{_show(value)} must be a list", "write it as a YAML list (- item)")
        return Issue(path, f"needs at least {ctx.get('min_length', 1)} item(s)")
    if etype in ("model_type", "dict_type", "model_attributes_type"):
        model = _model_at(keys)
        fields = f" with fields {', '.join(_field_names(model))}" if model else ""
        return Issue(path, f"{_show(value)} must be a mapping{fields}")
    if etype == "bool_parsing" or etype == "bool_type":
        return Issue(path, f"{_show(value)} is not true/false")
    return Issue(path, f"{_show(value)}: {err['msg']}")


_UNION_TYPE_MISS = {"is not a whole number": "a whole number", "must be a list": "a list"}


def _issues_from_validation(exc: ValidationError, data: object, pos: _Positions) -> list[Issue]:
    by_path: dict[str, list[tuple[Issue, object]]] = {}
    for err in exc.errors(include_url=False):
        keys = _clean_loc(err["loc"], data)
        issue = _describe(err, keys, data)
        by_path.setdefault(issue.path, []).append((issue, err.get("input")))
    issues = []
    for path, group in by_path.items():
        # A union (e.g. towns: int | list[Town]) reports one error per member: merge them,
        # preferring our own value_error messages, which are the most specific.
        kinds = [next((k for k in _UNION_TYPE_MISS if k in i.message), None) for i, _ in group]
        specific = [i for (i, _), kind in zip(group, kinds, strict=True) if kind is None]
        if not specific and len(group) > 1:
            # Every member failed on type (towns: many): one issue naming the forms accepted.
            forms = " or ".join(dict.fromkeys(_UNION_TYPE_MISS[k] for k in kinds if k))
            specific = [Issue(path, f"{_show(group[0][1])} must be {forms}",
                              "write e.g. 12, or a YAML list (- item)")]
        specific = specific or [i for i, _ in group]
        seen: list[Issue] = []
        for i in specific:
            if all(i.message != j.message for j in seen):
                seen.append(i)
        if len(seen) > 1 and len(group) > len(specific):
            seen = seen[:1]
        issues.extend(
            Issue(i.path, i.message, i.hint, i.severity, pos.line(path)) for i in seen
        )
    return issues


# --------------------------------------------------------------------------- public API


def parse_scenario(data: object, source: str = "<scenario>",
                   base_dir: Path | None = None) -> tuple[Scenario, list[Issue]]:
    """Validate already-parsed YAML data into a scenario; see :func:`read_scenario`."""
    return _validate(data, _Positions(), source, base_dir)


def _validate(data: object, pos: _Positions, source: str,
              base_dir: Path | None) -> tuple[Scenario, list[Issue]]:
    if not isinstance(data, dict):
        raise ScenarioError(
            [Issue("", f"the file must hold a mapping of sections (name, region, extranet, ...), "
                       f"got {type(data).__name__}")],
            source,
        )
    try:
        scenario = Scenario.model_validate(data)
    except ValidationError as exc:
        raise ScenarioError(_issues_from_validation(exc, data, pos), source) from None
    issues = [Issue(i.path, i.message, i.hint, i.severity, pos.line(i.path))
              for i in diagnose(scenario)]
    if scenario.inventory is not None and base_dir is not None:
        inv = Path(scenario.inventory.path)
        inv = inv if inv.is_absolute() else (base_dir / inv)
        if not inv.is_file():
            issues.append(Issue("inventory.path", f'file "{scenario.inventory.path}" not found '
                                f"(looked for {inv})", "fix the path; it is relative to the "
                                "scenario file", line=pos.line("inventory.path")))
        else:
            scenario = scenario.model_copy(
                update={"inventory": scenario.inventory.model_copy(
                    update={"path": str(inv.resolve())})}
            )
            issues.extend(_inventory_issues(scenario, pos))
    if any(i.severity == "error" for i in issues):
        raise ScenarioError(issues, source)
    return scenario, issues


def _inventory_issues(scenario: Scenario, pos: _Positions) -> list[Issue]:
    """Read the scenario's inventory up front: its rows' problems and the scenario's references.

    Row problems are located in the inventory file (``systems.csv row 7, column 内存GB``), so
    that every command stops before it runs, as ``netplan validate`` does.
    """
    from netplan.io.inventory_io import read_inventory

    try:
        inventory = read_inventory(scenario.inventory.path, encoding=scenario.inventory.encoding)
    except ScenarioError as exc:  # InputFileError: every row problem, by row and column
        return list(exc.issues)
    return [Issue(i.path, i.message, i.hint, i.severity, pos.line(i.path))
            for i in diagnose_inventory(scenario, inventory.systems)]


def read_scenario(path: str | Path) -> tuple[Scenario, list[Issue]]:
    """Read and validate a scenario file, returning it with its warnings.

    Parameters
    ----------
    path : str or Path
        A YAML scenario file (UTF-8, UTF-8 with BOM, or GBK).

    Returns
    -------
    scenario : Scenario
    warnings : list of Issue
        Advisory issues (e.g. a target the spec cannot meet).

    Raises
    ------
    ScenarioError
        With every problem found, each naming its YAML path and line; the inventory file the
        scenario names is read too, and its problems are named by row and column.
    """
    path = Path(path)
    text = read_text(path)
    data, pos = _parse_yaml(text, str(path))
    return _validate(data, pos, str(path), path.parent)


def load_scenario(path: str | Path) -> Scenario:
    """Read and validate a scenario file; raise :class:`ScenarioError` on any error.

    Examples
    --------
    >>> from netplan.examples import scenario_path
    >>> load_scenario(scenario_path("meizhou-2020")).region.name
    '梅州市'
    """
    return read_scenario(path)[0]


def scenario_json_schema() -> dict:
    """The JSON Schema of scenario files, for editors' autocompletion."""
    schema = Scenario.model_json_schema(by_alias=True, mode="validation")
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "netplan scenario"
    return schema
