"""spaCy's command line, loaded only when something asks for it.

``import spacy`` imports ``spacy.cli`` for one name (``spacy.info``), and with it the
command line's whole stack (typer commands, weasel, requests, httpx): about a fifth of
a second, a fifth of what starting ``vnie extract`` on one article may take. Before spaCy
is first imported, :func:`defer` puts stand-ins for ``spacy.cli`` and ``spacy.cli.info``
in ``sys.modules``; the first attribute asked of either (``spacy.cli.download``,
``spacy.info(...)``) imports the real modules and answers from them. Nothing changes
when spaCy was imported before this package.
"""
from __future__ import annotations

import importlib
import sys
import types

_NAMES = ("spacy.cli", "spacy.cli.info")


class _Deferred(types.ModuleType):
    """A stand-in module: any attribute it lacks is read from the real module, imported then."""

    def __getattr__(self, name: str):
        if name.startswith("__"):
            raise AttributeError(name)
        return getattr(_real(self.__name__), name)


def _real(name: str) -> types.ModuleType:
    for stand_in in _NAMES:
        if isinstance(sys.modules.get(stand_in), _Deferred):
            del sys.modules[stand_in]
    for real in _NAMES:
        importlib.import_module(real)
    return sys.modules[name]


def _info(*args, **kwargs):
    return _real("spacy.cli.info").info(*args, **kwargs)


def defer() -> None:
    """Put the stand-ins in place, unless spaCy (or its command line) is imported already."""
    if "spacy" in sys.modules or any(name in sys.modules for name in _NAMES):
        return
    cli, info = _Deferred("spacy.cli"), _Deferred("spacy.cli.info")
    cli.__path__ = []  # a package, so that "spacy.cli.info" is looked up in sys.modules
    info.info = _info
    sys.modules.update({"spacy.cli": cli, "spacy.cli.info": info})
