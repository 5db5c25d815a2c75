"""The adjudication app (`labeldesk adjudicate BATCH`): the adjudication screen around an
AdjudicationSession (tui/review_app.py)."""

from __future__ import annotations

from collections.abc import Sequence

from tui.core.merge.adjudication_session import AdjudicationSession
from tui.core.problems import Problem
from tui.review_app import ReviewApp
from tui.screens.adjudicate import AdjudicationScreen


class AdjudicateApp(ReviewApp[AdjudicationSession], inherit_bindings=False):
    TITLE = "labeldesk adjudicate"

    def __init__(self, session: AdjudicationSession, problems: Sequence[Problem] = ()) -> None:
        super().__init__(session, AdjudicationScreen, problems)
