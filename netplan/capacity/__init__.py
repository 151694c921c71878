"""Capacity planning: link demand, bandwidth-target compliance, upgrade plans, cloud sizing.

Built on :mod:`netplan.topology`; see the project's issue tracker for its scope.
"""

__all__: list[str] = []
