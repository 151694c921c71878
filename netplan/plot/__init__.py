"""Plots: free functions that draw result objects onto matplotlib axes.

matplotlib is imported inside the functions only, so ``import netplan`` (and even
``import netplan.plot``) never loads it. Every plot function calls :func:`use_cjk_font` first, so
Chinese labels render on machines without CJK fonts.
"""

from netplan.plot._style import save_figure, use_cjk_font
from netplan.plot.simulation import plot_link_utilisation, plot_request_latency, plot_validation
from netplan.plot.topology import plot_extranet

__all__ = [
    "plot_extranet",
    "plot_link_utilisation",
    "plot_request_latency",
    "plot_validation",
    "save_figure",
    "use_cjk_font",
]
