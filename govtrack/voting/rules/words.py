"""Small wording helpers the rules share: fractions and plurals in words."""

from __future__ import annotations

from fractions import Fraction

_FRACTION_WORDS = {
    Fraction(1, 2): "half",
    Fraction(1, 3): "one third",
    Fraction(2, 3): "two thirds",
    Fraction(1, 4): "one quarter",
    Fraction(3, 4): "three quarters",
    Fraction(1, 5): "one fifth",
    Fraction(2, 5): "two fifths",
    Fraction(3, 5): "three fifths",
    Fraction(4, 5): "four fifths",
    Fraction(1): "all",
}


def fraction_words(fraction: Fraction) -> str:
    return _FRACTION_WORDS.get(fraction, f"{fraction.numerator}/{fraction.denominator}")


def plural(count: int, word: str, *, with_number: bool = True) -> str:
    noun = word if count == 1 else f"{word}s"
    return f"{count} {noun}" if with_number else noun
