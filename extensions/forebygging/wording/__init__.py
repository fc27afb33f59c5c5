"""Every string the engine itself writes, in bokmål and nynorsk, without Sphinx.

The texts are data, ``texts.yaml``: one entry per key with its ``nb`` and ``nn`` text side by
side, so a translator sees both at once. Page generators, the command line, the exports and the
widgets ask for a key; the plan's language picks the text. ``nn_from`` records which bokmål text
the nynorsk was translated from (a short hash), so :func:`stale` finds a key whose bokmål changed
after its nynorsk was written, as gettext marks such a message fuzzy.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from importlib.resources import files
from typing import Any, Protocol

import yaml

LANGUAGES = ("nb", "nn")


class _HasLanguage(Protocol):
    """A Sphinx build environment, as far as the wording needs one (its configured language)."""

    config: Any


def nb_hash(text: str) -> str:
    """The fingerprint ``nn_from`` holds: the first 8 hex digits of the SHA-1 of a bokmål text."""
    return hashlib.sha1(text.encode("utf-8")).hexdigest()[:8]


def _read() -> dict[str, dict[str, str]]:
    # BaseLoader: every value is a string, so "Nei" or "on" can never turn into a boolean.
    loader = getattr(yaml, "CBaseLoader", yaml.BaseLoader)
    source = files(__package__).joinpath("texts.yaml").read_text(encoding="utf-8")
    return yaml.load(source, Loader=loader) or {}


ENTRIES: dict[str, dict[str, str]] = _read()
"""The wording as stored: key -> {"nb": ..., "nn": ..., "nn_from": ...}."""

TEXTS: dict[str, dict[str, str]] = {
    lang: {key: entry[lang] for key, entry in ENTRIES.items() if lang in entry} for lang in LANGUAGES
}
"""The same texts per language: ``TEXTS[lang][key]``."""


def lookup(lang: str | None, key: str, **values: object) -> str:
    """The text of ``key`` in ``lang`` (nb or nn), filled in; bokmål for an unknown language.

    A key missing from the language's table falls back to bokmål rather than failing a
    build mid-edit; tests/test_texts.py fails on every such key.
    """
    table = TEXTS.get(lang or "nb", TEXTS["nb"])
    template = table.get(key) or TEXTS["nb"][key]
    return template.format(**values) if values else template


def text(env: _HasLanguage, key: str, **values: object) -> str:
    """The text of ``key`` in the language of the plan being built (``env.config.language``)."""
    return lookup(env.config.language, key, **values)


@dataclass(frozen=True)
class Stale:
    """A key whose bokmål text changed after its nynorsk was written."""

    key: str
    nb: str
    nn: str
    nn_from: str

    @property
    def current(self) -> str:
        """The hash to write as ``nn_from`` once the nynorsk has been checked against the new bokmål."""
        return nb_hash(self.nb)


def stale(entries: dict[str, dict[str, str]] | None = None) -> list[Stale]:
    """Every key whose ``nn_from`` is missing or is not the hash of its current bokmål text."""
    found = []
    for key, entry in (ENTRIES if entries is None else entries).items():
        if "nn" in entry and "nb" in entry and entry.get("nn_from") != nb_hash(entry["nb"]):
            found.append(Stale(key, entry["nb"], entry["nn"], entry.get("nn_from", "")))
    return found


def period_text(start: int | None, end: int, t: Callable[..., str]) -> str:
    """The plan period as a reader should see it: "2026–2030", or "til og med 2027" without a start."""
    return f"{start}–{end}" if start else t("plan.period.open_start", end=end)
