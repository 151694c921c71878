"""Package attributes imported on first use (PEP 562), so that ``import netplan`` is fast.

The command line's ``netplan validate`` must not pay for pandas, networkx or Dask; a package
``__init__`` lists its public names and the module that holds each, and :func:`lazy_exports`
gives it the module-level ``__getattr__`` and ``__dir__`` that import them when first used.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable

__all__ = ["lazy_exports"]


def lazy_exports(package: str, namespace: dict, exports: dict[str, str]
                 ) -> tuple[Callable[[str], object], Callable[[], list[str]]]:
    """``__getattr__`` and ``__dir__`` for ``package`` whose ``exports`` load on first use.

    Parameters
    ----------
    package : str
        The package's name (for the error of an unknown attribute).
    namespace : dict
        The package's ``globals()``: a loaded name is stored there, so later look-ups do not
        come back here.
    exports : dict of str to str
        Public name -> the module that defines it; a name that is the module's own last
        component (``"examples": "netplan.examples"``) is the module itself.

    Examples
    --------
    >>> ns = {}
    >>> getattr_, dir_ = lazy_exports("pkg", ns, {"sqrt": "math", "json": "json"})
    >>> getattr_("sqrt")(4.0), getattr_("json").__name__, "sqrt" in ns
    (2.0, 'json', True)
    """

    def __getattr__(name: str):
        try:
            module = exports[name]
        except KeyError:
            raise AttributeError(f"module {package!r} has no attribute {name!r}") from None
        value = importlib.import_module(module)
        if module.rsplit(".", 1)[-1] != name:
            value = getattr(value, name)
        namespace[name] = value
        return value

    def __dir__() -> list[str]:
        return sorted(set(namespace) | set(exports))

    return __getattr__, __dir__
