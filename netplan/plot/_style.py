"""Matplotlib style for netplan's figures: the one place that sets up CJK fonts.

netplan labels its figures in Chinese (梅州市, 电信, 42村 ...). Most machines, CI runners
included, have no CJK font, and matplotlib then draws empty boxes and warns
``Glyph ... missing from font(s) DejaVu Sans``. The dependency ``paperang-p2-fonts-cjk`` ships
WenQuanYi Micro Hei (文泉驿微米黑); :func:`use_cjk_font` registers it with matplotlib and puts it
first in ``font.sans-serif``. Every plot function calls it, so users never have to.
"""

from __future__ import annotations

import warnings
from importlib import resources
from pathlib import Path

__all__ = ["use_cjk_font", "save_figure", "bundled_font_path", "CJK_FONT", "FALLBACK_FONTS",
           "SVG_HASHSALT"]

#: The font netplan draws Chinese text with (bundled, so always available).
CJK_FONT = "WenQuanYi Micro Hei"
#: Used after :data:`CJK_FONT`, in this order, when present on the system.
FALLBACK_FONTS = ("Noto Sans CJK SC", "SimHei", "Microsoft YaHei", "DejaVu Sans")

_FONT_PACKAGE = "paperang_p2_fonts_cjk"
_FONT_FILE = "wqy-microhei.ttc"
_registered: set[str] = set()
#: Fixed salt of the ids matplotlib writes into SVG files, so that they are reproducible.
SVG_HASHSALT = "netplan"


def bundled_font_path() -> str | None:
    """Path of the bundled WenQuanYi Micro Hei file, or None when the package is missing."""
    try:
        font = resources.files(_FONT_PACKAGE) / "fonts" / _FONT_FILE
    except ModuleNotFoundError:
        return None
    return str(font) if font.is_file() else None


def use_cjk_font() -> str:
    """Make matplotlib draw Chinese text with WenQuanYi Micro Hei.

    Registers the bundled font with ``matplotlib.font_manager.fontManager`` (once), puts
    :data:`CJK_FONT` first in ``rcParams["font.sans-serif"]`` followed by those of
    :data:`FALLBACK_FONTS` present on the system, selects the sans-serif family and turns
    ``axes.unicode_minus`` off (the CJK font has no U+2212 minus sign). Calling it again changes
    nothing.

    Returns
    -------
    str
        The font family that Chinese text will be drawn with.

    Warns
    -----
    UserWarning
        When neither the bundled font nor a system CJK font is available (reinstall
        ``paperang-p2-fonts-cjk``).

    Examples
    --------
    >>> from netplan.plot import use_cjk_font
    >>> use_cjk_font()
    'WenQuanYi Micro Hei'
    >>> import matplotlib
    >>> matplotlib.rcParams["font.sans-serif"][0]
    'WenQuanYi Micro Hei'
    """
    import matplotlib as mpl
    from matplotlib import font_manager

    path = bundled_font_path()
    if path is not None and path not in _registered:
        known = {f.fname for f in font_manager.fontManager.ttflist}
        if path not in known:
            font_manager.fontManager.addfont(path)
        _registered.add(path)
    present = {f.name for f in font_manager.fontManager.ttflist}
    families = [f for f in (CJK_FONT, *FALLBACK_FONTS) if f in present]
    cjk = [f for f in families if f != "DejaVu Sans"]
    if not cjk:
        warnings.warn(
            f"no CJK font found: the bundled {CJK_FONT} is missing and the system has none of "
            f"{', '.join(FALLBACK_FONTS[:-1])}; Chinese labels will show as boxes. Reinstall it "
            "with `pip install --force-reinstall paperang-p2-fonts-cjk`",
            UserWarning, stacklevel=2,
        )
    rest = [f for f in mpl.rcParams["font.sans-serif"] if f not in families]
    mpl.rcParams["font.sans-serif"] = families + rest
    mpl.rcParams["font.family"] = ["sans-serif"]
    mpl.rcParams["axes.unicode_minus"] = False
    return cjk[0] if cjk else "DejaVu Sans"


def save_figure(fig, stem, *, dpi: float = 110) -> list[Path]:
    """Write ``fig`` as ``<stem>.png`` and ``<stem>.svg``, close it, return both paths.

    The SVG draws its text as paths (``svg.fonttype = "path"``), so Chinese labels show on
    machines without a CJK font. Both files are reproducible: the same figure gives
    byte-identical files (no date or software version in them, a fixed SVG id salt). The
    bounding box is tight: legends placed outside the axes are kept. Calls
    :func:`use_cjk_font` first, so Chinese text added by the caller renders too.

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

    use_cjk_font()
    stem = Path(stem)
    if stem.suffix.lower() in (".png", ".svg"):
        stem = stem.with_suffix("")
    png = stem.parent / f"{stem.name}.png"
    svg = stem.parent / f"{stem.name}.svg"
    try:
        with mpl.rc_context({"svg.fonttype": "path", "svg.hashsalt": SVG_HASHSALT}):
            fig.savefig(png, dpi=dpi, bbox_inches="tight", metadata={"Software": None})
            fig.savefig(svg, dpi=dpi, bbox_inches="tight",
                        metadata={"Date": None, "Creator": None})
    finally:
        plt.close(fig)
    return [png, svg]
