"""The reader's one interface language: English, or German where the locale says so
(``LANGUAGE``, ``LC_ALL``, ``LC_MESSAGES``, ``LANG``, looked at in that order as gettext does).

Every text the reader shows goes through :func:`tr` (or :func:`plural`), keyed by its English
form. The German catalogue is a Python mapping (``catalogue_de.py``), not a gettext ``.po``
compiled to ``.mo``: it installs with the package as any module does (setuptools has no step
that compiles ``.mo`` files, and a committed binary could fall behind its ``.po``), the
translator edits one file, and a test checks that every text the code passes to ``tr`` has
its German entry. A text without a translation shows in English."""

from __future__ import annotations

import os
from collections.abc import Mapping

from newsroom_tui.text.locale_language import locale_language
from newsroom_tui.ui.catalogue_de import GERMAN

CATALOGUE: dict[str, str] = dict(GERMAN) if locale_language(os.environ) == "de" else {}


def use_language(environ: Mapping[str, str]) -> None:
    """Choose the catalogue for ``environ``'s locale (the environment's at import)."""
    CATALOGUE.clear()
    if locale_language(environ) == "de":
        CATALOGUE.update(GERMAN)


def tr(text: str, /, **values: object) -> str:
    """``text`` in the interface language, with ``values`` filled in."""
    return CATALOGUE.get(text, text).format(**values) if values else CATALOGUE.get(text, text)


def plural(n: int, one: str, many: str, /, **values: object) -> str:
    """``one`` for 1, else ``many`` (English and German agree on that), translated."""
    return tr(one if n == 1 else many, n=n, **values)
