"""Plots: free functions that draw result objects onto matplotlib axes.

matplotlib is imported inside the functions only, so ``import netplan`` (and even
``import netplan.plot``) never loads it. Every plot function draws inside :func:`cjk_font` (an
``rc_context`` with the bundled Noto Sans CJK SC; the global rcParams are left alone), so
Chinese labels render on machines without CJK fonts, and takes ``lang="zh"`` or ``"en"`` for
its titles, axis labels and legends. :func:`save_figure` writes a figure as PNG and SVG.
:func:`use_cjk_font` sets the font globally, for notebooks that draw their own Chinese text.
"""

from netplan.plot._style import cjk_font, save_figure, use_cjk_font
from netplan.plot.capacity import plot_cloud_utilisation, plot_utilisation_by_tier
from netplan.plot.migration import plot_schedule, plot_weekly_load
from netplan.plot.simulation import plot_link_utilisation, plot_request_latency, plot_validation
from netplan.plot.topology import plot_county, plot_extranet

__all__ = [
    "cjk_font",
    "plot_cloud_utilisation",
    "plot_county",
    "plot_extranet",
    "plot_link_utilisation",
    "plot_request_latency",
    "plot_schedule",
    "plot_utilisation_by_tier",
    "plot_validation",
    "plot_weekly_load",
    "save_figure",
    "use_cjk_font",
]
