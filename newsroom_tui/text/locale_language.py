"""The language of the user's locale, read as gettext reads it: ``LANGUAGE``, ``LC_ALL``,
``LC_MESSAGES``, ``LANG``, the first one set wins. The interface (``ui/language.py``) and the
dates' default form (``article_format.default_date_format``) follow it."""

from __future__ import annotations

from collections.abc import Mapping


def locale_language(environ: Mapping[str, str]) -> str:
    """``"de"`` for ``de_DE.UTF-8`` (or ``LANGUAGE=de:en``); ``"en"`` when none is set."""
    for name in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"):
        if value := environ.get(name):
            return value.split(":")[0].split("_")[0].split(".")[0].casefold()
    return "en"
