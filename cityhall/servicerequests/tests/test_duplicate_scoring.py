from __future__ import annotations

from cityhall.servicerequests.duplicates import (
    DuplicateEvidence,
    ScoreWeights,
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


def test_texts_sharing_only_filler_words_in_either_language_are_not_alike():
    assert text_similarity("It is on the corner of the street", "Is there a dog in the park") < 0.2
    assert text_similarity("Il y a un trou dans la rue", "Il y a un chien dans le parc") < 0.2
    assert text_similarity("the and of", "the and of") == 0.0


def test_french_filler_words_do_not_hide_a_shared_problem():
    alike = text_similarity("Un nid-de-poule devant l'école", "nid de poule devant école")

    assert alike == 1.0


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


def test_the_score_is_a_probability_of_the_given_logistic_weights():
    evidence = DuplicateEvidence(distance_m=0, age_hours=0, text_similarity=1.0)
    even_odds = ScoreWeights(intercept=-3.0, closeness=1.0, recency=1.0, text=1.0)

    assert duplicate_score(evidence, even_odds) == 0.5
    assert (
        0.0
        < duplicate_score(DuplicateEvidence(1e6, 1e6, 0.0))
        < 0.5
        < duplicate_score(evidence)
        < 1.0
    )


def test_only_the_best_candidate_is_flagged():
    assert likely_duplicate([("a", 0.7), ("b", 0.9), ("c", 0.8)]) == "b"
    assert likely_duplicate([]) is None


def test_a_candidate_below_the_threshold_is_not_flagged():
    assert likely_duplicate([("a", 0.4)], threshold=0.5) is None
    assert likely_duplicate([("a", 0.5)], threshold=0.5) == "a"
