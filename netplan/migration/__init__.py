"""Migration planning: inventory, zombie triage, dependency groups and the migration schedule.

Built on :mod:`netplan.model`; see the project's issue tracker for its scope.
"""

__all__: list[str] = []
