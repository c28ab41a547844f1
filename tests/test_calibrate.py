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
