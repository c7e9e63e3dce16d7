"""Record ids: only whole numbers a database key can hold are ids."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from govtrack.core.ids import MAX_ID, record_id


def test_ids_as_typed_in_addresses_and_forms():
    assert record_id("7") == 7
    assert record_id(" 42 ") == 42
    assert record_id(9) == 9
    assert record_id(str(MAX_ID)) == MAX_ID


def test_what_no_record_can_have_is_no_id():
    for value in (None, "", "0", "-3", "abc", "1.5", "٣", str(MAX_ID + 1), "9" * 25, 0, True):
        assert record_id(value) is None, value


@given(st.integers())
def test_a_number_is_an_id_exactly_when_a_key_can_hold_it(number):
    expected = number if 1 <= number <= MAX_ID else None
    assert record_id(number) == expected
    assert record_id(str(number)) == expected
