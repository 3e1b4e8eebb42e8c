"""What a council sets for its census return, under [council.census] in its rules file."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field


class CouncilCensus(BaseModel):
    """The council's LA code and its own words for roles and leaving reasons, laid over the year's default maps."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    la_code: str | None = Field(default=None, pattern=r"^\d{3}$")  # the DfE's three-digit LA number
    role_codes: dict[str, str] = Field(default_factory=dict)  # HR role -> OrgRole code
    leaving_reasons: dict[str, str] = Field(default_factory=dict)  # HR leaving reason -> ReasonLeave code
    leaver_destinations: dict[str, str] = Field(default_factory=dict)  # HR leaving reason -> LeaverDestination
