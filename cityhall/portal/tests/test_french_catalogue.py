"""The French catalogue is complete: every message has a translation and none is fuzzy."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings

FRENCH_CATALOGUE = Path(settings.BASE_DIR) / "locale" / "fr" / "LC_MESSAGES" / "django.po"


@dataclass
class Entry:
    flags: set[str] = field(default_factory=set)
    msgid: str = ""
    translations: dict[str, str] = field(default_factory=dict)


def _unquote(line: str) -> str:
    return line.strip()[1:-1]


def _entry(block: str) -> Entry:
    entry, current = Entry(), ""
    for line in block.splitlines():
        keyword, _space, value = line.partition(" ")
        if line.startswith("#,"):
            entry.flags.update(flag.strip() for flag in line[2:].split(","))
        elif keyword in {"msgid", "msgid_plural"} or keyword.startswith("msgstr"):
            current = keyword
            if keyword == "msgid":
                entry.msgid = _unquote(value)
            elif keyword.startswith("msgstr"):
                entry.translations[keyword] = _unquote(value)
        elif line.startswith('"'):
            if current == "msgid":
                entry.msgid += _unquote(line)
            elif current.startswith("msgstr"):
                entry.translations[current] += _unquote(line)
    return entry


def _entries(text: str) -> list[Entry]:
    """A reader for the subset of the PO format makemessages writes (no obsolete entries)."""
    entries = (_entry(block) for block in text.split("\n\n"))
    return [entry for entry in entries if entry.translations]


def test_every_french_message_is_translated():
    entries = _entries(FRENCH_CATALOGUE.read_text(encoding="utf-8"))

    untranslated = [
        entry.msgid for entry in entries if entry.msgid and not all(entry.translations.values())
    ]
    assert len(entries) > 100
    assert untranslated == []


def test_no_french_message_is_fuzzy():
    entries = _entries(FRENCH_CATALOGUE.read_text(encoding="utf-8"))

    fuzzy = [entry.msgid or "(header)" for entry in entries if "fuzzy" in entry.flags]
    assert fuzzy == []


def test_french_plural_messages_have_both_forms():
    entries = _entries(FRENCH_CATALOGUE.read_text(encoding="utf-8"))

    plurals = [entry for entry in entries if "msgstr[0]" in entry.translations]
    assert all(set(entry.translations) == {"msgstr[0]", "msgstr[1]"} for entry in plurals)
