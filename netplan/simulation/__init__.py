"""Traffic simulation (SimPy) and interconnect validation over the extranet.

Built on :mod:`netplan.topology`; see the project's issue tracker for its scope.
"""

__all__: list[str] = []
