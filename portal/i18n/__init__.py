"""Message catalogue (nl, en) and the lookup used by states and services."""

from __future__ import annotations

import importlib
import pkgutil
from functools import lru_cache

from portal.i18n.messages import MESSAGES

LANGUAGES = ("nl", "en")


def normalise_language(lang: object, default: str = "nl") -> str:
    """An allow-listed language code (untrusted input from cookies or events)."""
    return lang if isinstance(lang, str) and lang in LANGUAGES else default


@lru_cache
def table(lang: str) -> dict[str, str]:
    """All messages in ``lang`` as a flat key → text mapping (missing texts fall back to Dutch)."""
    lang = normalise_language(lang)
    return {key: texts.get(lang) or texts["nl"] for key, texts in all_messages().items()}


def t(key: str, lang: str = "nl", **params: object) -> str:
    """One message in ``lang``, formatted with ``params``; the key itself when unknown."""
    texts = all_messages().get(key)
    if texts is None:
        return key
    text = texts.get(normalise_language(lang)) or texts["nl"]
    return text.format(**params) if params else text


@lru_cache
def all_messages() -> dict[str, dict[str, str]]:
    """The base catalogue merged with every area's catalogue (``portal/i18n/*_messages.py``)."""
    merged: dict[str, dict[str, str]] = {}
    for info in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name):
        if info.name.endswith("_messages"):
            merged.update(importlib.import_module(f"{__name__}.{info.name}").MESSAGES)
    merged.update(MESSAGES)
    return merged
