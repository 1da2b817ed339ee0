import pytest

from cityhall.notifications.channels.sms_encoding import measure_sms


@pytest.mark.parametrize(
    ("text", "encoding", "units", "segments"),
    [
        ("", "GSM-7", 0, 1),
        ("a" * 160, "GSM-7", 160, 1),
        ("a" * 161, "GSM-7", 161, 2),
        ("a" * 306, "GSM-7", 306, 2),
        ("a" * 307, "GSM-7", 307, 3),
        ("Rue Saint-Denis fermée: détour par é, è, à.", "GSM-7", 43, 1),
        ("€" * 80, "GSM-7", 160, 1),
        ("€" * 81, "GSM-7", 162, 2),
        ("ç" * 70, "UCS-2", 70, 1),
        ("ç" * 71, "UCS-2", 71, 2),
        ("ç" * 134, "UCS-2", 134, 2),
        ("ç" * 135, "UCS-2", 135, 3),
        ("🚧" * 35, "UCS-2", 70, 1),
    ],
)
def test_texts_are_measured_in_the_encoding_they_need(text, encoding, units, segments):
    size = measure_sms(text)

    assert (size.encoding, size.units, size.segments) == (encoding, units, segments)


def test_an_escape_pair_is_never_split_between_parts():
    text = "a" * 152 + "€" + "a" * 10

    assert measure_sms(text).segments == 2
    assert measure_sms("a" * 152 + "€" + "a" * 152).segments == 3


def test_an_emoji_is_never_split_between_parts():
    assert measure_sms("a" * 66 + "🚧" + "a" * 66).segments == 3
