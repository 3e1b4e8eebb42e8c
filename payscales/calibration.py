"""The leaving hazard a projection runs on: calibrated to the national turnover on this workforce, or worked out from
the council's own snapshots."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from payscales.rules import Hazards


@dataclass(frozen=True)
class Calibration:
    """Yearly leaving hazard by years of service, and where it came from."""

    under_5: float
    five_plus: float
    method: str
    turnover: float
    share_under_5: float
    in_post_under_5: int
    in_post_5_plus: int
    source: str


def calibrate(hazards: Hazards, service_years: Sequence[float]) -> Calibration:
    """Hazards that reproduce the national turnover and the share of leavers with under 5 years' service on this
    workforce: h_under5 = share x T x N / n_under5 and h_5plus = (1 - share) x T x N / n_5plus."""
    n_under = sum(1 for years in service_years if years < 5)
    n_over = len(service_years) - n_under
    turnover, share = float(hazards.turnover), float(hazards.share_of_leavers_under_5_years)
    total = turnover * len(service_years)
    under = min(share * total / n_under, 0.95) if n_under else turnover
    over = min((1 - share) * total / n_over, 0.95) if n_over else turnover
    return Calibration(
        under, over, "national", turnover, share, n_under, n_over,
        f"{hazards.source.title} ({hazards.source.reference})",
    )  # fmt: skip


def calibrate_own(leavers_under_5: int, leavers_5_plus: int, in_post_under_5: int, in_post_5_plus: int) -> Calibration:
    """Hazards from the council's own snapshots: leavers in the last 12 months over those in post, by band."""
    under = leavers_under_5 / in_post_under_5 if in_post_under_5 else 0.0
    over = leavers_5_plus / in_post_5_plus if in_post_5_plus else 0.0
    total = in_post_under_5 + in_post_5_plus
    leavers = leavers_under_5 + leavers_5_plus
    return Calibration(
        min(under, 0.95), min(over, 0.95), "own", leavers / total if total else 0.0,
        leavers_under_5 / leavers if leavers else 0.0, in_post_under_5, in_post_5_plus,
        "this council's snapshots: leavers in the 12 months to the latest snapshot, by years of service",
    )  # fmt: skip
