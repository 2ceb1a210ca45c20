"""The desk note's sentences, chosen by rules from the facts of one market update.

Each rule looks at named facts (dotted keys of `market_update.flatten`), decides whether it has
something to say and how to say it (led / lagged, rose / fell, widened / narrowed), and returns
a `Sentence`: wording with named slots, the facts that fill them and the condition that chose
it. Numbers stay numbers here; the pages stage formats them, so the text and the number behind
each sentence can always be traced to a fact key. Thresholds are rules, stated once below.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from generator.analytics.market_update import flatten

# Rules (not data): what counts as leading, a correction, a bear market, a move in yields.
LEAD_GAP = 0.005  # small minus large over a month, as a fraction: half a percentage point
CORRECTION = -0.10  # drawdown from the all-time closing high
BEAR_MARKET = -0.20
# Below the all-time closing high, deepest band first: (drawdown at or below, rule, sentence,
# why); a shallower drawdown is NEAR_HIGH.
DRAWDOWN_BANDS = (
    (BEAR_MARKET, "bear-market", "The index is in a bear market by the usual definition, "
     "{below} below its all-time closing high of {ath} set on {ath_date}.",
     "the drawdown from the all-time closing high is 20% or deeper"),
    (CORRECTION, "correction", "The drawdown is deeper than 10%: the index is {below} below "
     "its all-time closing high of {ath} set on {ath_date}.",
     "the drawdown from the all-time closing high is between 10% and 20%"),
)
NEAR_HIGH = ("near-high", "The index is {below} below its all-time closing high of {ath}, set "
             "on {ath_date}.", "the drawdown from the all-time closing high is under 10%")
YIELD_MOVE = 0.10  # percentage points over a month
SPREAD_MOVE = 0.25  # percentage points over a month
BIG_DAY = 0.015  # a one-day move of the index this large puts what moved under it first
BROAD = 0.65  # share of members moving one way for a day to count as broad
MAX_SENTENCES = 9
DROP_FIRST = ("52w-range", "members-missing")  # the optional sentences a full note loses first


@dataclass(frozen=True)
class Fact:
    """One number (or date) a sentence shows: its dotted key, its value, and how to format it.

    `kind` names a format the pages stage knows: num, date, pct (signed), pct_abs, rate (a level
    in percent), points (signed percentage points), points_abs, gap_abs (a difference of two
    fractions, in unsigned percentage points), share (0.63 -> 63%), ordinal (0.63 -> 63rd),
    count (1825 -> 1,825), text (a name from the data, shown as it is).
    """

    key: str
    value: Any
    kind: str


@dataclass(frozen=True)
class Sentence:
    """A sentence of the desk note: `text` with ``{slot}`` placeholders filled from `slots`.

    `rule` names the rule that chose it, `because` states its condition in words, `cites` lists
    further fact keys the choice rests on without showing them (e.g. a boolean flag), and
    `optional` marks a sentence that is dropped first when there are too many.
    """

    rule: str
    text: str
    slots: tuple[tuple[str, Fact], ...]
    because: str
    cites: tuple[str, ...] = ()
    optional: bool = False

    @property
    def facts(self) -> tuple[Fact, ...]:
        """The facts shown in the sentence, in slot order."""
        return tuple(fact for _, fact in self.slots)

    @property
    def keys(self) -> tuple[str, ...]:
        """Every fact key the sentence rests on, shown or not, without repeats."""
        return tuple(dict.fromkeys([f.key for f in self.facts] + list(self.cites)))


Rule = Callable[[Mapping[str, Any]], "Sentence | None"]


def _sentence(rule: str, text: str, flat: Mapping[str, Any], because: str,
              cites: tuple[str, ...] = (), optional: bool = False,
              **slots: tuple[str, str]) -> Sentence:
    """Build a sentence whose slot `name=(key, kind)` shows fact `key` formatted as `kind`."""
    return Sentence(rule=rule, text=text, because=because, cites=cites, optional=optional,
                    slots=tuple((name, Fact(key, flat[key], kind))
                                for name, (key, kind) in slots.items()))


def _missing(flat: Mapping[str, Any], *keys: str) -> bool:
    return any(flat.get(k) is None for k in keys)


def day_move(flat: Mapping[str, Any]) -> Sentence | None:
    """The close and the day's move, beside the S&P 500's."""
    if _missing(flat, "r2k.close", "r2k.change.d1", "spx.change.d1"):
        return None
    move = flat["r2k.change.d1"]
    slots = {"close": ("r2k.close", "num"), "date": ("r2k.date", "date"),
             "spx": ("spx.change.d1", "pct")}
    because = "the note always opens with the close and its change from the previous close"
    if move == 0:
        return _sentence("day-flat", "The Russell 2000 closed at {close} on {date}, unchanged "
                         "on the day (S&P 500: {spx}).", flat, because=because,
                         cites=("r2k.change.d1",), **slots)
    direction = "up" if move > 0 else "down"
    return _sentence(f"day-{direction}", f"The Russell 2000 closed at {{close}} on {{date}}, "
                     f"{direction} {{move}} on the day (S&P 500: {{spx}}).", flat,
                     because=because, move=("r2k.change.d1", "pct_abs"), **slots)


def month_relative(flat: Mapping[str, Any]) -> Sentence | None:
    """Small caps leading, lagging or in step with large caps over one month."""
    if _missing(flat, "gap.m1", "r2k.change.m1", "spx.change.m1"):
        return None
    gap = flat["gap.m1"]
    slots = {"r2k": ("r2k.change.m1", "pct"), "spx": ("spx.change.m1", "pct")}
    if gap >= LEAD_GAP:
        return _sentence(
            "month-lead", "Over the past month small caps led large caps by {gap} percentage "
            "points (Russell 2000 {r2k}, S&P 500 {spx}).", flat,
            because="small minus large over one month is at least +0.5 percentage points",
            gap=("gap.m1", "gap_abs"), **slots)
    if gap <= -LEAD_GAP:
        return _sentence(
            "month-lag", "Over the past month small caps lagged large caps by {gap} percentage "
            "points (Russell 2000 {r2k}, S&P 500 {spx}).", flat,
            because="small minus large over one month is at most −0.5 percentage points",
            gap=("gap.m1", "gap_abs"), **slots)
    return _sentence(
        "month-in-step", "Over the past month small and large caps moved in step "
        "(Russell 2000 {r2k}, S&P 500 {spx}).", flat, cites=("gap.m1",),
        because="small minus large over one month is within ±0.5 percentage points", **slots)


def level(flat: Mapping[str, Any]) -> Sentence | None:
    """Where the close stands: a record, a 52-week extreme, or how far below the record."""
    if _missing(flat, "r2k.from_ath", "r2k.ath", "r2k.ath_date"):
        return None
    high = {"ath": ("r2k.ath", "num"), "ath_date": ("r2k.ath_date", "date")}
    below = ("r2k.from_ath", "pct_abs")
    if flat["r2k.new_ath"]:
        if _missing(flat, "r2k.prior_ath"):
            return None
        return _sentence("record-high", "That close is a new all-time closing high, above the "
                         "previous record of {prior} set on {prior_date}.", flat,
                         cites=("r2k.new_ath", "r2k.ath"),
                         because="the close is the highest in the index's history",
                         prior=("r2k.prior_ath", "num"), prior_date=("r2k.prior_ath_date", "date"))
    if flat.get("r2k.new_52w_high"):
        return _sentence(
            "52w-high", "That is its highest close in 52 weeks, still {below} below the "
            "all-time closing high of {ath} set on {ath_date}.", flat,
            cites=("r2k.new_52w_high", "r2k.high_52w"),
            because="the close is the highest of the past 52 weeks", below=below, **high)
    if flat.get("r2k.new_52w_low"):
        return _sentence(
            "52w-low", "That is its lowest close in 52 weeks, {below} below the all-time closing "
            "high of {ath} set on {ath_date}.", flat, cites=("r2k.new_52w_low", "r2k.low_52w"),
            because="the close is the lowest of the past 52 weeks", below=below, **high)
    rule, text, because = NEAR_HIGH
    for limit, *words in DRAWDOWN_BANDS:
        if flat["r2k.from_ath"] <= limit:
            rule, text, because = words
            break
    return _sentence(rule, text, flat, because=because, below=below, **high)


def range_position(flat: Mapping[str, Any]) -> Sentence | None:
    """Where the close sits in its 52-week closing range (skipped at a 52-week extreme)."""
    if (_missing(flat, "r2k.range_position", "r2k.low_52w", "r2k.high_52w")
            or flat["r2k.new_52w_high"] or flat["r2k.new_52w_low"]):
        return None
    return _sentence(
        "52w-range", "It sits {position} of the way up its 52-week closing range of {low} to "
        "{high}.", flat, optional=True,
        because="the close is inside its 52-week closing range",
        position=("r2k.range_position", "share"), low=("r2k.low_52w", "num"),
        high=("r2k.high_52w", "num"))


def yields(flat: Mapping[str, Any]) -> Sentence | None:
    """The 10-year yield's move over a month, with the 2-year beside it."""
    if _missing(flat, "dgs10.value", "dgs10.change_m1", "dgs2.value", "dgs2.change_m1"):
        return None
    change = flat["dgs10.change_m1"]
    two = {"y2": ("dgs2.value", "rate"), "y2_change": ("dgs2.change_m1", "points")}
    if abs(change) >= YIELD_MOVE:
        verb = "rose" if change > 0 else "fell"
        return _sentence(
            f"yields-{'up' if change > 0 else 'down'}",
            f"The 10-year Treasury yield {verb} {{change}} percentage points over the month to "
            "{y10}; the 2-year yield is at {y2} ({y2_change}).", flat,
            because="the 10-year yield moved at least 0.10 percentage points in a month",
            change=("dgs10.change_m1", "points_abs"), y10=("dgs10.value", "rate"), **two)
    return _sentence(
        "yields-steady", "The 10-year Treasury yield was little changed over the month at {y10} "
        "({change}); the 2-year yield is at {y2} ({y2_change}).", flat,
        because="the 10-year yield moved less than 0.10 percentage points in a month",
        change=("dgs10.change_m1", "points"), y10=("dgs10.value", "rate"), **two)


def fed(flat: Mapping[str, Any]) -> Sentence | None:
    """A change in the Fed's target range during the month (nothing said otherwise)."""
    if _missing(flat, "fed_target.value", "fed_target.change_m1") \
            or flat["fed_target.change_m1"] == 0:
        return None
    change = flat["fed_target.change_m1"]
    verb = "raised" if change > 0 else "lowered"
    return _sentence(
        f"fed-{'hike' if change > 0 else 'cut'}",
        f"The Federal Reserve {verb} the top of its target range by {{change}} percentage points "
        "over the month, to {target}.", flat,
        because="the upper limit of the fed funds target range changed within the month",
        change=("fed_target.change_m1", "points_abs"), target=("fed_target.value", "rate"))


def credit(flat: Mapping[str, Any]) -> Sentence | None:
    """High-yield spreads widening, narrowing or steady, and where they sit in their history."""
    if _missing(flat, "hy.value", "hy.change_m1", "hy.percentile", "hy.history_start"):
        return None
    change = flat["hy.change_m1"]
    where = {"spread": ("hy.value", "rate"), "pctile": ("hy.percentile", "ordinal"),
             "since": ("hy.history_start", "date")}
    tail = ", the {pctile} percentile of their history since {since}."
    if change >= SPREAD_MOVE:
        return _sentence("spreads-widen", "High-yield credit spreads widened {change} percentage "
                         "points over the month to {spread}" + tail, flat,
                         because="the high-yield spread rose at least 0.25 percentage points "
                                 "in a month", change=("hy.change_m1", "points_abs"), **where)
    if change <= -SPREAD_MOVE:
        return _sentence("spreads-narrow", "High-yield credit spreads narrowed {change} "
                         "percentage points over the month to {spread}" + tail, flat,
                         because="the high-yield spread fell at least 0.25 percentage points "
                                 "in a month", change=("hy.change_m1", "points_abs"), **where)
    return _sentence("spreads-steady", "High-yield credit spreads were steady over the month at "
                     "{spread} ({change})" + tail,
                     flat, because="the high-yield spread moved less than 0.25 percentage "
                                   "points in a month", change=("hy.change_m1", "points"), **where)


def breadth(flat: Mapping[str, Any]) -> Sentence | None:
    """How many of the index's members rose, and how many set 52-week closing highs or lows."""
    if _missing(flat, "members.share_up", "members.count", "members.new_highs"):
        return None
    share = flat["members.share_up"]
    slots = {"share": ("members.share_up", "share"), "count": ("members.count", "count"),
             "highs": ("members.new_highs", "count"), "lows": ("members.new_lows", "count")}
    tail = " Among them, {highs} set 52-week closing highs and {lows} set 52-week lows."
    if share >= BROAD:
        return _sentence("breadth-broad-gains", "The gains were broad: {share} of the {count} "
                         "members with prices that day rose." + tail, flat,
                         because="at least 65% of the members rose on the day", **slots)
    if share <= 1 - BROAD:
        return _sentence("breadth-broad-losses", "The losses were broad: only {share} of the "
                         "{count} members with prices that day rose." + tail, flat,
                         because="at most 35% of the members rose on the day", **slots)
    return _sentence("breadth-mixed", "Beneath the index the day was mixed: {share} of the "
                     "{count} members with prices that day rose." + tail, flat,
                     because="between 35% and 65% of the members rose on the day", **slots)


def sectors(flat: Mapping[str, Any]) -> Sentence | None:
    """The best and worst sector of the day (members' returns weighted as in the fund)."""
    if _missing(flat, "members.sectors.best", "members.sectors.worst",
                "members.sectors.best_return", "members.sectors.worst_return"):
        return None
    slots = {"best": ("members.sectors.best", "text"),
             "best_return": ("members.sectors.best_return", "pct"),
             "worst": ("members.sectors.worst", "text"),
             "worst_return": ("members.sectors.worst_return", "pct"),
             "up": ("members.sectors.up", "count"), "n": ("members.sectors.count", "count")}
    if flat["members.sectors.up"] == flat["members.sectors.count"]:
        text = ("Every sector rose, led by {best} ({best_return}); {worst} gained least "
                "({worst_return}).")
        rule, because = "sectors-all-up", "all sectors had a positive weighted return"
    elif flat["members.sectors.up"] == 0:
        text = ("Every sector fell, {worst} most ({worst_return}); {best} held up best "
                "({best_return}).")
        rule, because = "sectors-all-down", "all sectors had a negative weighted return"
    else:
        text = ("By sector, {best} led ({best_return}) and {worst} lagged ({worst_return}); "
                "{up} of {n} sectors rose.")
        rule, because = "sectors-split", "some sectors rose and some fell"
    return _sentence(rule, text, flat, because=because, **slots)


def movers(flat: Mapping[str, Any]) -> Sentence | None:
    """The members that added most to, and took most from, the day's weighted move."""
    keys = ("members.leaders.1.ticker", "members.leaders.1.return",
            "members.laggards.1.ticker", "members.laggards.1.return")
    if _missing(flat, *keys):
        return None
    return _sentence(
        "movers", "The largest contribution came from {lead} ({lead_return}, {lead_sector}); "
        "{lag} ({lag_return}, {lag_sector}) took the most away.", flat, optional=True,
        because="contribution is each member's weight in the fund times its one-day return",
        lead=("members.leaders.1.ticker", "text"), lead_return=("members.leaders.1.return", "pct"),
        lead_sector=("members.leaders.1.sector", "text"),
        lag=("members.laggards.1.ticker", "text"), lag_return=("members.laggards.1.return", "pct"),
        lag_sector=("members.laggards.1.sector", "text"))


def no_members(flat: Mapping[str, Any]) -> Sentence | None:
    """Say so when the members' prices do not reach this day (they can lag the index)."""
    if "members" not in flat or flat["members"] is not None:
        return None
    return _sentence(
        "members-missing", "Prices of the individual members are not in the data for {date} "
        "yet, so the note leaves out breadth, sectors and the biggest movers.", flat,
        optional=True, because="the members' closes end before this day",
        date=("r2k.date", "date"))


def coming_up(flat: Mapping[str, Any]) -> Sentence | None:
    """The next dated event on the calendar: an FOMC decision, a Russell reconstitution."""
    events = sorted((flat[f"coming.{kind}.date"], kind) for kind in ("fomc", "russell")
                    if flat.get(f"coming.{kind}.date") is not None)
    if not events:
        return None
    slots = {}
    parts = []
    for number, (_, kind) in enumerate(events, start=1):
        slots[f"event{number}"] = (f"coming.{kind}.event", "text")
        slots[f"date{number}"] = (f"coming.{kind}.date", "date")
        parts.append(f"{{event{number}}} on {{date{number}}}")
    return _sentence("coming-up", "Next on the calendar: " + ", then ".join(parts) + ".", flat,
                     optional=True,
                     because="the soonest event of each kind within 120 days, from a dated "
                             "calendar published in advance", **slots)


RULES: tuple[Rule, ...] = (day_move, breadth, sectors, movers, no_members, month_relative, level,
                           range_position, yields, fed, credit, coming_up)
# On a quiet day the note puts the longer view first and what moved beneath the index after it.
QUIET_DAY_ORDER: tuple[Rule, ...] = (day_move, month_relative, level, breadth, sectors, movers,
                                     no_members, range_position, yields, fed, credit, coming_up)


def desk_note(facts: Mapping[str, Any]) -> list[Sentence]:
    """The update's sentences in reading order: every rule that has something to say (what moved
    beneath the index right after the day's move on a big day, after the longer view on a quiet
    one), then optional sentences dropped from the end until there are at most
    `MAX_SENTENCES`."""
    flat = flatten(facts)
    move = flat.get("r2k.change.d1")
    order = RULES if move is not None and abs(move) >= BIG_DAY else QUIET_DAY_ORDER
    sentences = [s for rule in order if (s := rule(flat)) is not None]
    while len(sentences) > MAX_SENTENCES:
        optional = [i for i, s in enumerate(sentences) if s.optional]
        if not optional:
            break
        first = [i for i in optional if sentences[i].rule in DROP_FIRST]
        del sentences[(first or optional)[-1]]
    return sentences
