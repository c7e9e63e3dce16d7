"""The board with many services: each stage shows its count and its first cards, with a link
that shows every card of that stage (filters kept), each card still with its move form."""

from __future__ import annotations

from govtrack.pipeline.enums import Stage
from govtrack.pipeline.views import BOARD_CARDS

CARD = 'data-service="'


def test_a_stage_shows_its_count_its_first_cards_and_a_link_to_all(
    app, actions, make_partner, make_service
):
    partner = make_partner()
    for _ in range(BOARD_CARDS + 3):
        make_service(Stage.START_UP, partner=partner)
    make_service(Stage.MANDATE, partner=partner)
    actions.sign_in_as("admin")

    board = actions.client.get(f"/pipeline?partner={partner.code}")

    assert board.status_code == 200
    assert board.text.count(CARD) == BOARD_CARDS + 1  # 20 start-up cards and the mandate one
    assert f"({BOARD_CARDS + 3})" in board.text  # the start-up column's count is every one
    link = f"/pipeline?partner={partner.code}&amp;stage={Stage.START_UP.value}"
    assert link in board.text
    assert f"Show all {BOARD_CARDS + 3}" in board.text
    assert board.text.count("Show all") == 1  # the mandate column is not cut

    every = actions.client.get(f"/pipeline?partner={partner.code}&stage={Stage.START_UP.value}")

    assert every.status_code == 200
    assert every.text.count(CARD) == BOARD_CARDS + 3  # that stage alone, every card
    assert every.text.count('class="app-card__move"') == BOARD_CARDS + 3  # each can be moved
    assert f'href="/pipeline?partner={partner.code}"' in every.text  # back to every stage
    assert "Show all" not in every.text


def test_an_unknown_stage_shows_every_stage(app, actions, make_service):
    make_service(Stage.MANDATE)

    page = actions.client.get("/pipeline?stage=99")

    assert page.status_code == 200
    assert page.text.count(CARD) == 1
