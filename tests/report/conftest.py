"""Fixtures shared by the report tests."""

from __future__ import annotations

import pytest


@pytest.fixture(scope="session")
def hostile_run(tmp_path_factory):
    """The output folder of a tiny ``netplan run`` whose names are formulas and markup."""
    from tests.report.hostile import run_hostile

    return run_hostile(tmp_path_factory.mktemp("hostile"))
