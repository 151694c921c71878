"""Data model: validated, frozen scenario objects and their checks."""

from netplan.model.diagnose import check, diagnose
from netplan.model.scenario import *  # noqa: F403
from netplan.model.scenario import __all__ as _scenario_all

__all__ = [*_scenario_all, "diagnose", "check"]
