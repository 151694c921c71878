"""Matplotlib style for netplan's figures: the one place that sets up CJK fonts.

netplan labels its figures in Chinese (梅州市, 电信, 42村 ...). Most machines, CI runners
included, have no CJK font, and matplotlib then draws empty boxes and warns
``Glyph ... missing from font(s) DejaVu Sans``. The dependency ``mplfonts`` (a font package
made for matplotlib, MIT) ships Noto Sans CJK SC (思源黑体, SIL Open Font License); netplan
registers that file with matplotlib's font manager itself (``mplfonts`` is never imported:
its import would load its command line and font-metadata packages, and its ``use_font`` and
``update_custom_rc`` rewrite the global rcParams and the user's ``matplotlibrc``).

Two ways to use it:

- :func:`cjk_font`, a context manager (an ``rc_context``): figures drawn inside it, and saved
  inside it, use the CJK font; the global ``rcParams`` are as before afterwards. Every netplan
  plot function draws inside it (the decorator :func:`draws_with_cjk_font`), and so does
  :func:`save_figure`: nobody has to call anything.
- :func:`use_cjk_font`, for notebooks and scripts that draw their own figures with Chinese
  text (``plt.title("梅州市")``): it sets the global ``rcParams`` once, as before.
"""

from __future__ import annotations

import contextlib
import functools
import importlib.util
import warnings
from pathlib import Path

__all__ = ["use_cjk_font", "cjk_font", "draws_with_cjk_font", "save_figure",
           "bundled_font_path", "CJK_FONT", "FALLBACK_FONTS", "SVG_HASHSALT"]

#: The font netplan draws Chinese text with (bundled, so always available).
CJK_FONT = "Noto Sans CJK SC"
#: Used after :data:`CJK_FONT`, in this order, when present on the system.
FALLBACK_FONTS = ("WenQuanYi Micro Hei", "SimHei", "Microsoft YaHei", "DejaVu Sans")

_FONT_PACKAGE = "mplfonts"
_FONT_FILE = "NotoSansCJKsc-Regular.otf"
_registered: set[str] = set()
#: Fixed salt of the ids matplotlib writes into SVG files, so that they are reproducible.
SVG_HASHSALT = "netplan"


def bundled_font_path() -> str | None:
    """Path of the bundled Noto Sans CJK SC file, or None when ``mplfonts`` is missing.

    The file is found without importing ``mplfonts`` (its folder, from the import system).
    """
    spec = importlib.util.find_spec(_FONT_PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        return None
    for folder in spec.submodule_search_locations:
        font = Path(folder) / "fonts" / _FONT_FILE
        if font.is_file():
            return str(font)
    return None


def _families() -> list[str]:
    """The CJK families present (bundled one registered first), then DejaVu Sans; warns if none."""
    from matplotlib import font_manager

    path = bundled_font_path()
    if path is not None and path not in _registered:
        known = {f.fname for f in font_manager.fontManager.ttflist}
        if path not in known:
            font_manager.fontManager.addfont(path)
        _registered.add(path)
    present = {f.name for f in font_manager.fontManager.ttflist}
    families = [f for f in (CJK_FONT, *FALLBACK_FONTS) if f in present]
    if not [f for f in families if f != "DejaVu Sans"]:
        warnings.warn(
            f"no CJK font found: the bundled {CJK_FONT} is missing and the system has none of "
            f"{', '.join(FALLBACK_FONTS[:-1])}; Chinese labels will show as boxes. Reinstall it "
            "with `pip install --force-reinstall mplfonts==0.0.11`",
            UserWarning, stacklevel=3,
        )
    return families


@contextlib.contextmanager
def cjk_font():
    """Draw with the CJK font inside the ``with`` block; the global rcParams are left alone.

    Inside, ``rcParams["font.family"]`` names the CJK families present (:data:`CJK_FONT`
    first, then those of :data:`FALLBACK_FONTS`) and then ``sans-serif``, and
    ``font.sans-serif`` starts with the same families. Text created inside
    keeps those names, so a figure drawn later (a notebook's inline picture) still shows its
    Chinese labels; saving inside the block makes sure text added outside it does too.

    Yields
    ------
    str
        The family Chinese text is drawn with.

    Warns
    -----
    UserWarning
        When neither the bundled font nor a system CJK font is available (reinstall
        ``mplfonts``).

    Examples
    --------
    >>> import matplotlib
    >>> before = list(matplotlib.rcParams["font.family"])
    >>> with cjk_font() as family:
    ...     family, matplotlib.rcParams["font.family"][0]
    ('Noto Sans CJK SC', 'Noto Sans CJK SC')
    >>> matplotlib.rcParams["font.family"] == before
    True
    """
    import matplotlib as mpl

    families = _families()
    cjk = [f for f in families if f != "DejaVu Sans"]
    names = [*cjk, *(f for f in families if f not in cjk)]
    rest = [f for f in mpl.rcParams["font.sans-serif"] if f not in names]
    # font.family: kept by the text made inside; font.sans-serif: for text made outside
    with mpl.rc_context({"font.family": [*names, "sans-serif"],
                         "font.sans-serif": [*names, *rest]}):
        yield cjk[0] if cjk else "DejaVu Sans"


_GENERIC = {"sans-serif", "serif", "monospace", "cursive", "fantasy", "sans"}


def _pin_fonts(result: object) -> None:
    """Give the texts of the figures in ``result`` the CJK font of the current context.

    A figure made outside the plot function (``fig, ax = plt.subplots()``, then
    ``plot_...(ax=ax)``) has its title, axis labels and first ticks already, with the generic
    family the global rcParams resolve when the figure is drawn, perhaps later and outside
    the context: those texts get the context's families. The first tick of every axis is made
    now, so that the ticks matplotlib makes later copy its font. Texts given a font by name
    keep it.
    """
    import matplotlib as mpl
    import numpy as np
    from matplotlib.axes import Axes
    from matplotlib.figure import FigureBase
    from matplotlib.text import Text

    families = list(mpl.rcParams["font.family"])

    seen: set[int] = set()
    todo = [result]
    while todo:
        obj = todo.pop()
        if isinstance(obj, list | tuple | np.ndarray):
            todo.extend(np.asarray(obj, dtype=object).ravel().tolist())
            continue
        fig = obj.figure if isinstance(obj, Axes) else obj
        if not isinstance(fig, FigureBase) or id(fig) in seen:
            continue
        seen.add(id(fig))
        for ax in fig.get_axes():
            for axis in (ax.xaxis, ax.yaxis):
                axis.get_major_ticks(1)
                axis.get_minor_ticks(1)
        for text in fig.findobj(Text):
            if set(text.get_fontfamily()) <= _GENERIC:
                text.set_fontfamily(families)


def draws_with_cjk_font(fn):
    """Decorate a plot function: it runs inside :func:`cjk_font`, its figures keep the font."""
    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        with cjk_font():
            result = fn(*args, **kwargs)
            _pin_fonts(result)
        return result
    return wrapper


def use_cjk_font() -> str:
    """Make matplotlib draw Chinese text with Noto Sans CJK SC, globally (for notebooks).

    For a notebook or a script that draws its own figures with Chinese text: registers the
    bundled font with ``matplotlib.font_manager.fontManager`` (once), puts :data:`CJK_FONT`
    first in ``rcParams["font.sans-serif"]`` followed by those of :data:`FALLBACK_FONTS`
    present on the system and selects the sans-serif family. Calling it again changes nothing.
    netplan's own plot functions do not need it: they draw inside :func:`cjk_font`, which
    leaves the global rcParams alone.

    Returns
    -------
    str
        The font family that Chinese text will be drawn with.

    Warns
    -----
    UserWarning
        When neither the bundled font nor a system CJK font is available (reinstall
        ``mplfonts``).

    Examples
    --------
    >>> from netplan.plot import use_cjk_font
    >>> use_cjk_font()
    'Noto Sans CJK SC'
    >>> import matplotlib
    >>> matplotlib.rcParams["font.sans-serif"][0]
    'Noto Sans CJK SC'
    """
    import matplotlib as mpl

    families = _families()
    cjk = [f for f in families if f != "DejaVu Sans"]
    rest = [f for f in mpl.rcParams["font.sans-serif"] if f not in families]
    mpl.rcParams["font.sans-serif"] = families + rest
    mpl.rcParams["font.family"] = ["sans-serif"]
    return cjk[0] if cjk else "DejaVu Sans"


def save_figure(fig, stem, *, dpi: float = 110) -> list[Path]:
    """Write ``fig`` as ``<stem>.png`` and ``<stem>.svg``, close it, return both paths.

    The SVG draws its text as paths (``svg.fonttype = "path"``), so Chinese labels show on
    machines without a CJK font. Both files are reproducible: the same figure gives
    byte-identical files (no date or software version in them, a fixed SVG id salt). The
    bounding box is tight: legends placed outside the axes are kept. Saves inside
    :func:`cjk_font`, so Chinese text added by the caller renders too.

    Parameters
    ----------
    fig : matplotlib.figure.Figure
        Closed afterwards (``plt.close(fig)``).
    stem : str or pathlib.Path
        The files' path without suffix (``out/topology`` → ``out/topology.png`` and
        ``out/topology.svg``); a ``.png`` or ``.svg`` suffix is dropped. Its folder must exist.
    dpi : float
        Resolution of the PNG, dots per inch (110: a 16-inch-wide figure fits an A4 page
        at 1,760 pixels).

    Returns
    -------
    list of pathlib.Path
        The PNG's path, then the SVG's.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> import matplotlib.pyplot as plt, tempfile, pathlib
    >>> fig, ax = plt.subplots()
    >>> _ = ax.set_title("梅州市")
    >>> out = pathlib.Path(tempfile.mkdtemp())
    >>> [p.name for p in save_figure(fig, out / "demo")]
    ['demo.png', 'demo.svg']
    """
    import matplotlib as mpl
    import matplotlib.pyplot as plt

    stem = Path(stem)
    if stem.suffix.lower() in (".png", ".svg"):
        stem = stem.with_suffix("")
    png = stem.parent / f"{stem.name}.png"
    svg = stem.parent / f"{stem.name}.svg"
    try:
        with cjk_font(), mpl.rc_context({"svg.fonttype": "path", "svg.hashsalt": SVG_HASHSALT}):
            fig.savefig(png, dpi=dpi, bbox_inches="tight", metadata={"Software": None})
            fig.savefig(svg, dpi=dpi, bbox_inches="tight",
                        metadata={"Date": None, "Creator": None})
    finally:
        plt.close(fig)
    return [png, svg]
