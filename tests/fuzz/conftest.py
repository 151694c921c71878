"""Fixtures of the fuzz tests.

``workdir``: a folder per test module for the cases' files (module-scoped: hypothesis runs
many cases in one test function). Creating it imports every reader first, so that the
deadline of the first case does not pay pandas', networkx's and openpyxl's import time.
"""

import importlib

import pytest

_READERS = ("netplan.io.scenario_yaml", "netplan.io.inventory_io", "netplan.io.progress_io",
            "netplan.io.topology_io", "netplan.io.sndlib", "netplan.cli", "openpyxl",
            "netplan.examples")


@pytest.fixture(scope="module")
def workdir(tmp_path_factory):
    for name in _READERS:
        importlib.import_module(name)
    return tmp_path_factory.mktemp("fuzz")
