"""Layers point one way: algorithms never import matplotlib, and importing netplan is clean."""

import subprocess
import sys

import pytest

ALGORITHMS = ["netplan.model", "netplan.topology", "netplan.capacity", "netplan.migration",
              "netplan.simulation"]


@pytest.mark.parametrize("module", ALGORITHMS + ["netplan"])
def test_imports_without_matplotlib(module):
    code = ("import sys; sys.modules['matplotlib'] = None; "
            f"import {module}; import netplan.topology.analysis, netplan.topology.build")
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert r.returncode == 0, r.stderr


def test_import_is_warning_free():
    r = subprocess.run([sys.executable, "-W", "error", "-c", "import netplan"],
                       capture_output=True, text=True, check=False)
    assert r.returncode == 0, r.stderr


def test_algorithms_do_not_print_or_read_files():
    """No print() and no open() in the algorithm packages (I/O lives at the edges)."""
    import pathlib

    import netplan

    root = pathlib.Path(netplan.__file__).parent
    for pkg in ("model", "topology", "capacity", "migration", "simulation"):
        for path in (root / pkg).rglob("*.py"):
            text = path.read_text(encoding="utf-8")
            assert "print(" not in text, path
            assert "open(" not in text, path
