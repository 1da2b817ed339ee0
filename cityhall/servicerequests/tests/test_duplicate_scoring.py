from __future__ import annotations

from cityhall.servicerequests.duplicates import (
    DuplicateEvidence,
    duplicate_score,
    likely_duplicate,
    normalise_text,
    text_similarity,
)


def score(distance_m, age_hours, first, second):
    return duplicate_score(DuplicateEvidence(distance_m, age_hours, text_similarity(first, second)))


def test_text_is_compared_without_case_accents_or_punctuation():
    assert normalise_text("  Nid-de-poule, RUE Élan! ") == "nid de poule rue elan"
    assert text_similarity("Pothole on Main St.", "pothole on main st") == 1.0


def test_an_empty_description_brings_no_text_evidence():
    assert text_similarity("", "Pothole on Main St") == 0.0


def test_a_short_text_inside_a_long_one_is_not_identical():
    assert text_similarity("car", "car blocking the hydrant since this morning") < 0.5


def test_the_same_report_filed_twice_scores_high_and_is_flagged():
    same = score(3, 0.5, "Car blocking hydrant on Elm", "car blocking the hydrant, Elm street")

    assert same > 0.8
    assert likely_duplicate([("same", same)]) == "same"


def test_a_far_old_and_different_report_scores_low_and_is_not_flagged():
    different = score(190, 300, "Broken streetlight", "Abandoned bicycle locked to a pole")

    assert different < 0.2
    assert likely_duplicate([("different", different)]) is None


def test_closer_newer_and_more_alike_each_raise_the_score():
    base = score(60, 72, "pothole near the school", "deep hole by school")

    assert score(10, 72, "pothole near the school", "deep hole by school") > base
    assert score(60, 2, "pothole near the school", "deep hole by school") > base
    assert score(60, 72, "pothole near the school", "pothole near school") > base


def test_only_the_best_candidate_is_flagged():
    assert likely_duplicate([("a", 0.7), ("b", 0.9), ("c", 0.8)]) == "b"
    assert likely_duplicate([]) is None
