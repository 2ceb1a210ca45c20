"""Figures for the Construction & reconstitution page."""

from __future__ import annotations

import calendar

import pandas as pd

from generator.analytics.seasonality import month_effect
from generator.figures.spec import Drawn, figure
from generator.figures.theme import GUIDE, color, new_figure
from generator.store import Store, load_values
from generator.topics.construction.data import (
    RECON_MONTH,
    month_profiles,
    recon_monthly_returns,
)
from generator.units import Count, Fraction, Level, Points

Z95 = 1.96  # ±1.96 standard errors: an approximate 95 % interval for each month's mean


@figure("r2k-recon-month-returns", sources=("^RUT", "^GSPC"))
def recon_month_returns(store: Store) -> Drawn:
    returns = recon_monthly_returns(store)
    profile = month_profiles(returns)
    names = [calendar.month_abbr[m] for m in profile.index]
    fig = new_figure(y_title="Average monthly return", y_format="+.1%", x_is_date=False)
    for column, label, key in (("russell_2000", "Russell 2000", "^RUT"),
                               ("relative", "Russell 2000 minus S&P 500", "relative")):
        # June at full strength, the other months paler: the eye goes to the month in question.
        opacity = [1.0 if m == RECON_MONTH else 0.45 for m in profile.index]
        fig.add_bar(x=names, y=profile[f"{column}_mean"].round(5).to_numpy(), name=label,
                    marker={"color": color(key), "opacity": opacity},
                    error_y={"type": "data", "array": (Z95 * profile[f"{column}_sem"])
                             .round(5).to_numpy(), "thickness": 1, "width": 3,
                             "color": GUIDE})
    fig.update_layout(barmode="group", hovermode="x unified")
    absolute = month_effect(returns["russell_2000"], RECON_MONTH)
    relative = month_effect(returns["relative"], RECON_MONTH)
    # A gap counts only if chance alone would rarely produce it (`reliable`).
    says = {"junes": Count(absolute.n_in), "others": Count(absolute.n_out),
            "june": Fraction(absolute.mean_in, 2, signed=True),
            "other": Fraction(absolute.mean_out, 2, signed=True),
            "p": Level(absolute.p_value, 2), "absolute_reliable": absolute.reliable,
            "june_gap": Points.of(relative.mean_in, 2),
            "other_gap": Points.of(relative.mean_out, 2),
            "p_gap": Level(relative.p_value, 2), "relative_reliable": relative.reliable}
    profile.index = pd.Index(names, name="month")
    last = returns.index[-1].to_timestamp(how="end")
    as_of = load_values(store, "^RUT").loc[:last].index[-1].date()
    notes = (f"Sample: {len(returns)} complete months, {returns.index[0]:%B %Y} to "
             f"{returns.index[-1]:%B %Y}.")
    return Drawn(fig, profile, as_of, says, notes=notes)
