"""Safe loading only: no unsafe YAML loader, no pickle, no eval of input, no raw XML parsing.

The package's source is scanned with :mod:`ast` (not grep: comments and docstrings do not
count, aliases such as ``import pickle as p`` do). A use that is legitimate goes in
:data:`ALLOWED` with its reason; an allowance no longer used fails too, so the list stays true.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import netplan

PACKAGE = Path(netplan.__file__).parent

#: Modules whose import alone is unsafe on untrusted data (they run code while loading).
BANNED_MODULES = {
    "pickle": "pickle runs code while loading", "cPickle": "pickle runs code while loading",
    "_pickle": "pickle runs code while loading", "dill": "pickle runs code while loading",
    "cloudpickle": "pickle runs code while loading", "shelve": "shelve is pickle",
    "marshal": "marshal loads code objects", "joblib": "joblib.load is pickle",
    "xml.etree": "ElementTree expands entities: parse XML with defusedxml",
    "xml.dom": "minidom expands entities: parse XML with defusedxml",
    "xml.sax": "sax expands entities: parse XML with defusedxml",
    "lxml": "lxml resolves entities: parse XML with defusedxml",
    "subprocess": "no command is run on input", "pty": "no command is run on input",
}

#: Functions whose call is unsafe: builtins, and ``module.attr`` of the modules named (``nx``
#: and ``pd`` stand for networkx and pandas under any local name).
BANNED_BUILTINS = {"eval", "exec", "compile", "__import__", "input"}
BANNED_ATTRS = {
    ("yaml", "load"): "yaml.load without SafeLoader builds any Python object",
    ("yaml", "load_all"): "yaml.load_all without SafeLoader builds any Python object",
    ("yaml", "full_load"): "FullLoader builds Python objects",
    ("yaml", "full_load_all"): "FullLoader builds Python objects",
    ("yaml", "unsafe_load"): "unsafe_load runs code",
    ("yaml", "unsafe_load_all"): "unsafe_load runs code",
    ("yaml", "Loader"): "yaml.Loader builds any Python object",
    ("yaml", "FullLoader"): "FullLoader builds Python objects",
    ("yaml", "UnsafeLoader"): "UnsafeLoader runs code",
    ("yaml", "CLoader"): "CLoader builds any Python object",
    ("yaml", "CFullLoader"): "CFullLoader builds Python objects",
    ("yaml", "CUnsafeLoader"): "CUnsafeLoader runs code",
    ("pd", "read_pickle"): "read_pickle is pickle",
    ("os", "system"): "no command is run on input", ("os", "popen"): "no command is run",
    ("nx", "read_graphml"): "networkx parses GraphML with ElementTree (entities expand)",
    ("nx", "parse_graphml"): "networkx parses GraphML with ElementTree (entities expand)",
}

_MODULE_OF = {"nx": "networkx", "pd": "pandas"}
_BY_ATTR: dict[str, list[tuple[str, str]]] = {}
for (_mod, _attr), _why in BANNED_ATTRS.items():
    _BY_ATTR.setdefault(_attr, []).append((_mod, _why))

#: (file relative to the package, rule) -> why this use is safe.
ALLOWED = {
    ("io/topology_io.py", "import xml.etree"):
        "only ET.ParseError (the exception class) is used; the file is parsed first by "
        "defusedxml with DTDs forbidden (_graphml_edge_order)",
    ("io/topology_io.py", "call nx.read_graphml"):
        "called after _graphml_edge_order has parsed the same file with defusedxml "
        "(forbid_dtd=True): no entity can be declared, so none expands",
}


def _dotted(node: ast.AST) -> str | None:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        head = _dotted(node.value)
        return f"{head}.{node.attr}" if head else None
    return None


def scan(source: str) -> list[tuple[int, str, str]]:
    """``(line, rule, why)`` of every unsafe use in a module's source."""
    found: list[tuple[int, str, str]] = []
    nodes = list(ast.walk(ast.parse(source)))
    aliases: dict[str, str] = {}  # local name -> module it stands for
    for node in nodes:
        if isinstance(node, ast.Import | ast.ImportFrom):
            names = ([a.name for a in node.names] if isinstance(node, ast.Import)
                     else [node.module or ""])
            for a in node.names:
                full = a.name if isinstance(node, ast.Import) else f"{node.module}.{a.name}"
                aliases[a.asname or a.name.split(".")[0]] = (
                    full if a.asname or isinstance(node, ast.ImportFrom) else a.name.split(".")[0])
            if isinstance(node, ast.ImportFrom):
                names += [f"{node.module}.{a.name}" for a in node.names]
            for name in names:
                for banned, why in BANNED_MODULES.items():
                    if name == banned or name.startswith(banned + "."):
                        found.append((node.lineno, f"import {banned}", why))
    for node in nodes:
        if isinstance(node, ast.Call):
            fn = node.func
            if isinstance(fn, ast.Name) and fn.id in BANNED_BUILTINS and fn.id not in aliases:
                found.append((node.lineno, f"call {fn.id}", "runs or imports text as code"))
            for kw in node.keywords:
                if kw.arg == "Loader" and _dotted(kw.value) not in ("yaml.SafeLoader",
                                                                     "yaml.CSafeLoader"):
                    found.append((node.lineno, "yaml Loader", "only yaml.SafeLoader is safe"))
                if kw.arg == "allow_pickle" and not (isinstance(kw.value, ast.Constant)
                                                     and kw.value.value is False):
                    found.append((node.lineno, "allow_pickle", "numpy pickles objects"))
        if isinstance(node, ast.Attribute):
            head = _dotted(node.value)
            if head is None:
                continue
            module = aliases.get(head, head)
            for mod, why in _BY_ATTR.get(node.attr, ()):
                if module in (mod, _MODULE_OF.get(mod, mod)):
                    found.append((node.lineno, f"call {mod}.{node.attr}", why))
        if isinstance(node, ast.Name) and node.id in aliases:
            mod, _, attr = aliases[node.id].rpartition(".")
            for banned_mod, why in _BY_ATTR.get(attr, ()):
                if mod in (banned_mod, _MODULE_OF.get(banned_mod)):
                    found.append((node.lineno, f"call {banned_mod}.{attr}", why))
    return found


@pytest.mark.parametrize(("snippet", "rule"), [
    ("import yaml\nyaml.load(open('f'))\n", "call yaml.load"),
    ("import yaml as y\ny.unsafe_load(s)\n", "call yaml.unsafe_load"),
    ("from yaml import load, Loader\nload(s, Loader=Loader)\n", "yaml Loader"),
    ("from yaml import full_load\nfull_load(s)\n", "call yaml.full_load"),
    ("import yaml\nyaml.parse(s, Loader=yaml.Loader)\n", "yaml Loader"),
    ("import pickle\n", "import pickle"),
    ("from pickle import loads\n", "import pickle"),
    ("import xml.etree.ElementTree as ET\nET.parse(p)\n", "import xml.etree"),
    ("from xml.dom import minidom\n", "import xml.dom"),
    ("x = eval(text)\n", "call eval"),
    ("exec(code)\n", "call exec"),
    ("m = __import__(name)\n", "call __import__"),
    ("import pandas as pd\npd.read_pickle(p)\n", "call pd.read_pickle"),
    ("import numpy as np\nnp.load(p, allow_pickle=True)\n", "allow_pickle"),
    ("import networkx as nx\nnx.read_graphml(p)\n", "call nx.read_graphml"),
    ("import networkx as g\ng.read_graphml(p)\n", "call nx.read_graphml"),
    ("import os\nos.system(cmd)\n", "call os.system"),
    ("import subprocess\n", "import subprocess"),
])
def test_the_scanner_finds_each_unsafe_use(snippet, rule):
    assert rule in [r for _, r, _ in scan(snippet)]


@pytest.mark.parametrize("snippet", [
    "import yaml\nyaml.safe_load(s)\nyaml.safe_dump(d)\n",
    "import yaml\nfor e in yaml.parse(t, Loader=yaml.SafeLoader):\n    pass\n",
    "import yaml\nloader = yaml.SafeLoader(text)\n",
    "# yaml.load(x) in a comment, and eval( in a string\ns = 'eval(x)'\n",
    "import defusedxml.ElementTree as safe_et\nsafe_et.iterparse(p, forbid_dtd=True)\n",
    "import json\njson.loads(t)\n",
])
def test_the_scanner_passes_safe_code(snippet):
    assert scan(snippet) == []


def test_the_package_has_no_unsafe_loading():
    used: set[tuple[str, str]] = set()
    bad: list[str] = []
    files = sorted(PACKAGE.rglob("*.py"))
    assert len(files) > 50  # the whole package, not an empty glob
    for path in files:
        rel = path.relative_to(PACKAGE).as_posix()
        for line, rule, why in scan(path.read_text(encoding="utf-8")):
            if (rel, rule) in ALLOWED:
                used.add((rel, rule))
            else:
                bad.append(f"netplan/{rel}:{line}: {rule} ({why})")
    assert bad == [], "unsafe loading:\n" + "\n".join(bad)
    assert used == set(ALLOWED), f"allowances no longer needed: {set(ALLOWED) - used}"


def test_openpyxl_parses_workbooks_with_defusedxml():
    # openpyxl switches to defusedxml when it is installed (a dependency of netplan): the XML
    # inside an XLSX from another department is then parsed without entity expansion.
    from openpyxl.xml import DEFUSEDXML

    assert DEFUSEDXML is True
