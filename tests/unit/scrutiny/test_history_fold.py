"""The history fold an import replays its updates with gives, after each item added in any
order, the state that ``state_from_history``'s definition gives: the fold written out as the
rules describe it (sorted by date, each item applied in turn), kept here as the reference."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from hypothesis import given, settings
from hypothesis import strategies as st

from govtrack.core.rag import RAG
from govtrack.scrutiny.enums import Assessment, Status
from govtrack.scrutiny.rules import (
    AddresseeState,
    HistoryFold,
    HistoryItem,
    State,
    combined_status,
    standing,
    state_from_history,
)

PARTNERS = (1, 2, 3)


def reference(items: list[HistoryItem], addressees) -> State:
    """Each item applied in date order, the later overriding the earlier."""
    status, target, override, reason, until = Status.NOT_STARTED, None, None, "", None
    ids = list(dict.fromkeys(addressees))
    each = {pid: AddresseeState(pid) for pid in ids}
    for item in sorted(standing(items), key=lambda i: (i.on, *i.order)):
        if item.status is not None and (not ids or item.partner_id is None):
            status = item.status
        for pid in ids if item.partner_id is None else [item.partner_id]:
            if pid in each:
                now = each[pid]
                each[pid] = AddresseeState(
                    pid,
                    item.status if item.status is not None else now.status,
                    item.assessment if item.assessment is not None else now.assessment,
                    item.on,
                )
        if item.assessment is Assessment.SLIPPED:
            target = item.new_target_date
        if item.rag_override is not None:
            override, reason, until = item.rag_override, item.rag_reason, item.rag_override_until
        elif item.status is not None or item.assessment is not None or item.signed_off:
            override, reason, until = None, "", None
    if ids:
        status = combined_status(a.status for a in each.values())
    return State(status, target, override, reason, until, tuple(each.values()))


items_drawn = st.builds(
    HistoryItem,
    on=st.dates(min_value=date(2007, 1, 1), max_value=date(2007, 3, 31)),
    order=st.just(()),
    status=st.one_of(st.none(), st.sampled_from(list(Status))),
    assessment=st.one_of(st.none(), st.sampled_from(list(Assessment))),
    new_target_date=st.one_of(st.none(), st.dates(date(2007, 1, 1), date(2009, 1, 1))),
    rag_override=st.one_of(st.none(), st.sampled_from([RAG.RED, RAG.AMBER, RAG.GREEN])),
    rag_reason=st.just("a reason"),
    rag_override_until=st.one_of(st.none(), st.just(date(2009, 1, 1))),
    signed_off=st.booleans(),
    partner_id=st.one_of(st.none(), st.sampled_from(PARTNERS)),
)


@st.composite
def histories(draw):
    """Items with ids in the order recorded, some correcting an earlier one."""
    drawn = draw(st.lists(items_drawn, max_size=14))
    items = []
    for n, item in enumerate(drawn, start=1):
        corrects = draw(st.one_of(st.none(), st.integers(1, n - 1))) if n > 1 else None
        items.append(replace(item, order=(n,), id=n, corrects_id=corrects))
    return items


@settings(max_examples=50)
@given(
    items=histories(),
    addressees=st.lists(st.sampled_from(PARTNERS), unique=True, max_size=2),
    data=st.data(),
)
def test_the_fold_gives_the_state_of_the_history_so_far_after_each_item_in_any_order(
    items, addressees, data
):
    split = data.draw(st.integers(0, len(items)))
    fold = HistoryFold(addressees, items[:split])
    assert fold.state() == reference(items[:split], addressees)
    added = list(items[:split])
    for item in data.draw(st.permutations(items[split:])):
        fold.add(item)
        added.append(item)
        assert fold.state() == reference(added, addressees)
    assert state_from_history(items, addressees) == reference(items, addressees)
