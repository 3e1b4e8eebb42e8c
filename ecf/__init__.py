"""ecf-tracker: early-career tracking, workforce indicators and pay projections for children's social workers."""

__version__ = "0.1.0"
