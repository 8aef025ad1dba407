"""CSS selectors of a page source, from the config file: checked there, used by detection."""

from __future__ import annotations

SELECTOR_KEYS = ("items", "title", "link", "date")


def selector_problem(value: object) -> str | None:
    """Why ``value`` is not a usable CSS selector (one line), or None when it is."""
    if not isinstance(value, str) or not value.strip():
        return 'must be a CSS selector such as "div.meldung"'
    # imported when a config file names selectors: not on every start of the reader
    from cssselect import GenericTranslator, SelectorError

    try:
        GenericTranslator().css_to_xpath(value)
    except SelectorError as exc:
        return f"is not a valid CSS selector ({str(exc).splitlines()[0][:80]})"
    return None
