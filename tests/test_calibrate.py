"""The fitting tool (python -m assistant.calibrate), on a small labelled set."""

from __future__ import annotations

from pathlib import Path

from assistant.calibrate import fit
from assistant.calibration import FITTED
from assistant.evaluate import read_cases

DATA = Path(__file__).resolve().parent / "data"


def test_refitting_only_the_thresholds_keeps_every_weight(shipped_faq) -> None:
    """--thresholds-only changes when to answer, ask or decline, never what a score or a chance is."""
    cases = read_cases(DATA / "heldout.tsv", {e.id for e in shipped_faq.entries})[:40]
    lines: list[str] = []
    fitted = fit(shipped_faq, {"small": cases}, thresholds_only=True, log=lines.append)
    assert fitted.score_weights == FITTED.score_weights and fitted.long_weights == FITTED.long_weights
    assert fitted.decision_weights == FITTED.decision_weights and fitted.clarify_weights == FITTED.clarify_weights
    assert 0.0 < fitted.answer_at < 1.0 and 0.0 < fitted.clarify_at < 1.0
    assert not any(line.startswith("round") for line in lines)  # the score weights were not refitted
    assert any(line.startswith("answer at") for line in lines)


def test_a_sparser_faq_offers_did_you_mean_more_readily(shipped_faq) -> None:
    """The clarify threshold follows how many phrasings the FAQ's entries have: the fitted one at the
    shipped FAQ's density, the one fitted on the cut FAQ at its density, in between on a log scale."""
    from assistant.compose import Responder
    from assistant.evaluate import cut_faq

    dense, sparse = FITTED.dense_phrasings, FITTED.sparse_phrasings
    assert 0 < sparse < dense and FITTED.sparse_clarify_at < FITTED.clarify_at
    assert FITTED.for_density(dense).clarify_at == FITTED.clarify_at
    assert FITTED.for_density(4 * dense).clarify_at == FITTED.clarify_at
    assert abs(FITTED.for_density(sparse).clarify_at - FITTED.sparse_clarify_at) < 1e-9
    assert FITTED.for_density(1.0).clarify_at == FITTED.for_density(sparse).clarify_at
    middle = FITTED.for_density((dense * sparse) ** 0.5)
    assert abs(middle.clarify_at - (FITTED.clarify_at + FITTED.sparse_clarify_at) / 2) < 1e-9
    assert middle.for_density(dense) == middle  # applied once only
    assert middle.answer_at == FITTED.answer_at and middle.decision_weights == FITTED.decision_weights
    assert Responder(shipped_faq).calibration.clarify_at == FITTED.clarify_at
    cut = cut_faq(shipped_faq, 10)
    assert Responder(cut).calibration.clarify_at == FITTED.for_density(cut.phrasings_per_entry).clarify_at
    assert Responder(cut).calibration.clarify_at < FITTED.clarify_at
