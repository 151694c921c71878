"""Scheduler backends: heuristic (serial SGS + improvement), PuLP MILP, OR-Tools CP-SAT."""
