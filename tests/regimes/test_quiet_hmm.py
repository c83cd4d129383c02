"""hmmlearn's "Model is not converging" log lines stay out of reports."""

from __future__ import annotations

import logging

from workbench.regimes.detector import quiet_hmm


def test_quiet_hmm_drops_hmmlearn_warnings_and_restores_the_level(caplog):
    log = logging.getLogger("hmmlearn.base")
    before = log.level
    with caplog.at_level(logging.WARNING):
        with quiet_hmm():
            log.warning("Model is not converging.  Current: 1 is not greater than 2")
            logging.getLogger("workbench").warning("kept")
        assert [r.getMessage() for r in caplog.records] == ["kept"]
    assert log.level == before
