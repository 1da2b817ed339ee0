"""How many SMS segments a text takes: GSM-7 when every character has a GSM 03.38 code, else UCS-2.

A single GSM-7 message holds 160 septets and each part of a longer one 153 (the rest carries the
concatenation header); UCS-2 holds 70 UTF-16 code units, or 67 per part.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

GSM7_BASIC = frozenset(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
#: Characters reached through the escape code: each takes two septets.
GSM7_EXTENSION = frozenset("\f^{}\\[~]|€")


@dataclass(frozen=True)
class SmsSize:
    encoding: Literal["GSM-7", "UCS-2"]
    #: Septets for GSM-7, UTF-16 code units for UCS-2.
    units: int
    segments: int


def _segments(costs: list[int], single: int, part: int) -> int:
    if sum(costs) <= single:
        return 1
    # An escape pair or a surrogate pair is never split between two parts.
    segments, used = 1, 0
    for cost in costs:
        if used + cost > part:
            segments, used = segments + 1, 0
        used += cost
    return segments


def measure_sms(text: str) -> SmsSize:
    """The encoding an SMS needs and its number of segments (an empty text still takes one)."""
    if all(char in GSM7_BASIC or char in GSM7_EXTENSION for char in text):
        costs = [2 if char in GSM7_EXTENSION else 1 for char in text]
        return SmsSize("GSM-7", sum(costs), _segments(costs, 160, 153))
    costs = [2 if ord(char) > 0xFFFF else 1 for char in text]
    return SmsSize("UCS-2", sum(costs), _segments(costs, 70, 67))
