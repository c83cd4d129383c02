"""Detection power: how small an effect each detector finds on the synthetic universe, and what
"no significant alpha" on real data rules out.

- :mod:`workbench.validation.detectors`: the :class:`Detector` registry (one adapter per analysis
  in :mod:`workbench.validation.adapters`) and the per-universe :class:`Outcome`.
- :mod:`workbench.validation.power`: :func:`power_curve` (detection rate per planted size with
  binomial intervals, the minimum detectable effect, serial or on Dask, cached).
- :mod:`workbench.validation.study`: every detector's curve, the MDE and false-positive tables.
- :mod:`workbench.validation.realdata`: the real-data MDE of a calendar-time alpha by planting
  alpha into block-bootstrapped factor-model residuals.
"""

from workbench.validation import (
    adapters,  # noqa: F401  (importing it registers the built-ins)
    adapters_ml,  # noqa: F401  (anomalies, causal, forecast)
)
from workbench.validation.detectors import (
    DETECTORS,
    Detector,
    Outcome,
    detector_names,
    get_detector,
    register_detector,
)
from workbench.validation.power import (
    PowerResult,
    binomial_interval,
    power_curve,
    seed_list,
    t_test_power,
)

__all__ = ["DETECTORS", "Detector", "Outcome", "PowerResult", "adapters", "binomial_interval",
           "detector_names", "get_detector", "power_curve", "register_detector", "seed_list",
           "t_test_power"]
