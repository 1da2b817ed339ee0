"""Dates and times read the same way on every page of a language, and end no sentence twice."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import formats, translation

MOMENT = dt.datetime(2026, 12, 7, 16, 30)  # noqa: DTZ001 (formatting only)


@pytest.mark.parametrize(
    ("language", "expected"),
    [("en", "Dec. 7, 2026, 4:30 PM"), ("fr", "7 décembre 2026, 16 h 30")],
)
def test_a_date_and_time_is_written_as_the_language_writes_it(language, expected):
    with translation.override(language):
        assert formats.date_format(MOMENT, "DATETIME_FORMAT") == expected


@pytest.mark.parametrize("language", ["en", "fr"])
def test_a_sentence_ending_with_a_time_gets_one_full_stop(language):
    with translation.override(language):
        sentence = f"We aim to resolve it by {formats.date_format(MOMENT, 'DATETIME_FORMAT')}."

    assert not sentence.endswith("..")


@pytest.mark.parametrize("language", ["en", "fr"])
def test_short_dates_are_iso_in_both_languages(language):
    with translation.override(language):
        assert formats.date_format(MOMENT, "SHORT_DATE_FORMAT") == "2026-12-07"
