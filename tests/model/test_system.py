"""System and TriagePolicy live in the model layer; the migration modules re-export them."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

import netplan.migration.inventory as inventory
import netplan.migration.triage as triage
from netplan.model.scenario import MigrationPolicy
from netplan.model.system import System, TriagePolicy


def test_migration_modules_re_export_the_model_classes():
    assert inventory.System is System
    assert triage.TriagePolicy is TriagePolicy
    assert "System" in inventory.__all__ and "TriagePolicy" in triage.__all__


def test_migration_triage_is_a_validated_policy():
    policy = MigrationPolicy(start="2020-05-04", triage={"unused_months": 6,
                                                         "low_frequencies": ["很少"]})
    assert isinstance(policy.triage, TriagePolicy)
    # the given fields, the YAML list as a tuple, the others at their defaults (12 → 6 here)
    assert policy.triage.unused_months == 6
    assert policy.triage.low_frequencies == ("很少",)
    assert policy.triage.stale_months == 24
    assert MigrationPolicy(start="2020-05-04").triage == TriagePolicy()
    with pytest.raises(ValidationError, match="unused_month"):
        MigrationPolicy(start="2020-05-04", triage={"unused_month": 6})
