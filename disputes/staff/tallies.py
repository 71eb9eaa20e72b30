"""Pre-aggregated counts behind the statistics page (maintained by disputes/staff/rollup.py).

Every tally row counts the cases submitted in one span of China-local days: a day (grain "d"),
a month ("m", starts on the 1st) or a year ("y", starts on 1 January). A period of any length is
then read from at most ~60 day rows, ~22 month rows and its whole years per group, however many
cases the database holds. Rows are not unique per group: readers always SUM the measures.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from sqlalchemy import Date, ForeignKey, Index, Numeric, String
from sqlalchemy.orm import Mapped, mapped_column

from disputes.db import db


class StatsDirtyDay(db.Model):
    """A submission day whose tallies are out of date (written in the changing transaction)."""

    __tablename__ = "stats_dirty_days"

    day: Mapped[date] = mapped_column(Date, primary_key=True)


class _Span:
    """The span a tally row counts: grain and first day."""

    id: Mapped[int] = mapped_column(primary_key=True)
    grain: Mapped[str] = mapped_column(String(1))
    starts: Mapped[date] = mapped_column(Date)


class StatusTally(_Span, db.Model):
    """Submitted cases by status (the cases-by-month figure)."""

    __tablename__ = "stats_statuses"
    __table_args__ = (Index("ix_stats_statuses_grain_starts", "grain", "starts"),)

    status: Mapped[str] = mapped_column(String(32))
    n: Mapped[int]


class BrandTally(_Span, db.Model):
    """Submitted, closed and settled cases by brand."""

    __tablename__ = "stats_brands"
    __table_args__ = (Index("ix_stats_brands_grain_starts", "grain", "starts"),)

    brand: Mapped[str] = mapped_column(String(100))
    n: Mapped[int]
    closed: Mapped[int]
    #: Closed with a settlement (the business view's settlement rate by brand).
    settled: Mapped[int]


class SystemTally(_Span, db.Model):
    """Cases with at least one problem in a vehicle system."""

    __tablename__ = "stats_systems"
    __table_args__ = (Index("ix_stats_systems_grain_starts", "grain", "starts"),)

    system: Mapped[str] = mapped_column(String(32))
    n: Mapped[int]


class OutcomeTally(_Span, db.Model):
    """Recorded outcomes: how many, compensation paid, working days to close (for the mean)."""

    __tablename__ = "stats_outcomes"
    __table_args__ = (Index("ix_stats_outcomes_grain_starts", "grain", "starts"),)

    outcome: Mapped[str] = mapped_column(String(32))
    n: Mapped[int]
    compensation: Mapped[Decimal] = mapped_column(Numeric(16, 2))
    days_sum: Mapped[int]


class ClosingDaysTally(_Span, db.Model):
    """Closed cases by working days to close: a histogram, so percentiles are exact."""

    __tablename__ = "stats_closing_days"
    __table_args__ = (Index("ix_stats_closing_days_grain_starts", "grain", "starts"),)

    working_days: Mapped[int]
    n: Mapped[int]


class BrandClosingDaysTally(_Span, db.Model):
    """The same histogram per brand (read only for the brands the page shows)."""

    __tablename__ = "stats_brand_closing_days"
    __table_args__ = (
        Index("ix_stats_brand_closing_days_grain_starts_brand", "grain", "starts", "brand"),
    )

    brand: Mapped[str] = mapped_column(String(100))
    working_days: Mapped[int]
    n: Mapped[int]


class ExpertTally(_Span, db.Model):
    """Per expert: open and all assignments, finished opinion stages and how many on time."""

    __tablename__ = "stats_experts"
    __table_args__ = (Index("ix_stats_experts_grain_starts", "grain", "starts"),)

    expert_id: Mapped[int] = mapped_column(ForeignKey("experts.id", ondelete="CASCADE"))
    active: Mapped[int]
    total: Mapped[int]
    done: Mapped[int]
    on_time: Mapped[int]


class BusinessTally(_Span, db.Model):
    """Submitted, closed and settled cases by business (the business view; by brand: BrandTally).

    A case's business is its linked organisation when it has one (named at read time, so a
    renamed organisation keeps its figures), else the business name the consumer typed. So a
    row is keyed by the organisation, or by the typed name when there is none (never both, nor
    by brand: a business's year would then be spread over a row per name typed and per brand).
    """

    __tablename__ = "stats_businesses"
    __table_args__ = (Index("ix_stats_businesses_grain_starts", "grain", "starts"),)

    organisation_id: Mapped[int | None]
    #: The typed business name, "" when the case has an organisation (its name is read then).
    business_name: Mapped[str] = mapped_column(String(200))
    n: Mapped[int]
    closed: Mapped[int]
    #: Closed with a settlement: settled, repaired, replaced, returned or compensated.
    settled: Mapped[int]


class BusinessAnswerDaysTally(_Span, db.Model):
    """Answered cases by working days from acceptance to the business's first answer."""

    __tablename__ = "stats_business_answer_days"
    __table_args__ = (Index("ix_stats_business_answer_days_grain_starts", "grain", "starts"),)

    organisation_id: Mapped[int | None]
    #: As in BusinessTally: "" when the case has an organisation.
    business_name: Mapped[str] = mapped_column(String(200))
    working_days: Mapped[int]
    n: Mapped[int]
