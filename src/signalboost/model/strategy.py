"""The strategy document: the seven factors of the method and the KPIs, as pydantic models.

Structure and field formats are checked here (types, unknown keys, time zones, RRULEs, slot times); checks that
span the document (weights summing to 100, references resolving) live in :mod:`signalboost.model.validate`, so
that every problem can be reported at once with its YAML line and column.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Any, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, ValidationInfo, field_validator, model_validator

from signalboost.i18n import L_
from signalboost.model.vocab import Goal, KpiAggregation, KpiMetric, Weekday, allowed_aggregations, default_aggregation

_ID = r"^[a-z0-9][a-z0-9_-]*$"
Id = Annotated[str, Field(pattern=_ID, min_length=1, max_length=64, description="lower-case id: a-z, 0-9, - and _")]
EARLIEST_DATE = dt.date(1970, 1, 1)
LATEST_DATE = dt.date(2100, 12, 31)
"""The dates a strategy may name (review dates): anything outside is a typo, and date arithmetic on it (a review
due ``review_every_days`` later) must stay within Python's calendar."""


def _plausible_date(value: dt.date) -> dt.date:
    if not EARLIEST_DATE <= value <= LATEST_DATE:
        raise ValueError(
            L_(
                "the date {date} is out of range: use a date between {earliest} and {latest}",
                date=value.isoformat(),
                earliest=EARLIEST_DATE.isoformat(),
                latest=LATEST_DATE.isoformat(),
            )
        )
    return value


PlausibleDate = Annotated[dt.date, AfterValidator(_plausible_date)]
MAX_REVIEW_DAYS = 3660
"""Longest review interval (ten years)."""


class Doc(BaseModel):
    """Base of every section: unknown keys are rejected (a typo must not pass silently); a number must be finite
    (YAML's ``.inf``/``.nan``, or ``1e309`` which overflows to infinity, are refused)."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True, str_strip_whitespace=True, allow_inf_nan=False)

    @model_validator(mode="before")
    @classmethod
    def _empty_means_default(cls, data: Any) -> Any:
        """A key left empty in YAML (``interests:`` with nothing after it) takes its default, if it has one."""
        if isinstance(data, dict):
            fields = cls.model_fields
            return {k: v for k, v in data.items() if not (v is None and k in fields and not fields[k].is_required())}
        return data

    @field_validator("*", mode="before")
    @classmethod
    def _no_bool_numbers(cls, value: Any, info: ValidationInfo) -> Any:
        """YAML ``true``/``false`` is not a number (pydantic would read it as 1/0)."""
        if isinstance(value, bool) and info.field_name is not None:
            field = cls.model_fields.get(info.field_name)
            if field is not None and field.annotation in (int, float):
                raise ValueError(
                    L_(
                        "{field_name} must be a number, not {value}",
                        field_name=info.field_name,
                        value=str(value).lower(),
                    )
                )
        return value


# ---------------------------------------------------------------------------------------------------- brand


class Brand(Doc):
    """Who the strategy is for."""

    name: str = Field(min_length=1, description="The brand's name as shown in reports.")
    description: str = Field("", description="One or two sentences: what the brand sells and to whom.")
    timezone: str = Field("UTC", description="IANA time zone of the brand (e.g. Europe/Madrid); slots are local.")
    handles: dict[str, str] = Field(
        default_factory=dict, description="The brand's own account per network, e.g. {instagram: threadline}."
    )
    language: str = Field(
        "en",
        description="Language of the documents, reports, dashboard and command output: en (English) or nb "
        "(Norwegian bokmål). `--lang` overrides it per command.",
    )

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        return check_timezone(value)

    @field_validator("language")
    @classmethod
    def _known_language(cls, value: str) -> str:
        return check_language_code(value)


def check_language_code(value: str) -> str:
    """Return ``value`` as a supported language code, else raise ``ValueError`` with a suggestion."""
    from signalboost.errors import UsageError
    from signalboost.i18n import check_language, languages
    from signalboost.model.suggest import did_you_mean

    try:
        return check_language(value)
    except UsageError:
        raise ValueError(
            L_(
                "unknown language {value!r}{did_you_mean}; use one of: {choices}",
                value=value,
                did_you_mean=did_you_mean(str(value), list(languages())),
                choices=", ".join(languages()),
            )
        ) from None


def check_timezone(value: str) -> str:
    """Return ``value`` if it names an IANA time zone, else raise ``ValueError`` with a suggestion."""
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError, IsADirectoryError):
        from zoneinfo import available_timezones

        from signalboost.model.suggest import did_you_mean

        raise ValueError(
            L_(
                "unknown time zone {value!r}{did_you_mean}",
                value=value,
                did_you_mean=did_you_mean(value, sorted(available_timezones())),
            )
        ) from None
    return value


# ------------------------------------------------------------------------------------------------- audience


class Demographics(Doc):
    """The demographic frame of a persona; the method asks to go beyond it."""

    age_range: str = Field("", description="e.g. 25-34")
    gender: str = Field("", description="e.g. women, men, any")
    location: str = Field("", description="where they live")
    occupation: str = ""
    income: str = ""


class Places(Doc):
    """Places the persona visits, online and offline."""

    online: list[str] = Field(default_factory=list, description="sites, communities, apps")
    offline: list[str] = Field(default_factory=list, description="shops, venues, events, neighbourhoods")


class Motivations(Doc):
    """Why the persona likes, shares and buys."""

    like: str = Field("", description="why they like or follow content")
    share: str = Field("", description="why they share it")
    buy: str = Field("", description="why they buy")


class Persona(Doc):
    """An audience persona. Personas are dynamic: each has a review date and interval."""

    id: Id
    name: str = Field(min_length=1)
    summary: str = ""
    demographics: Demographics = Field(default_factory=Demographics)
    interests: list[str] = Field(default_factory=list)
    places: Places = Field(default_factory=Places)
    networks: list[str] = Field(default_factory=list, description="networks the persona is comfortable on")
    motivations: Motivations = Field(default_factory=Motivations)
    last_reviewed: PlausibleDate | None = Field(None, description="when the persona was last checked against data")
    review_every_days: int = Field(90, ge=1, le=MAX_REVIEW_DAYS, description="review interval in days")
    draft: bool = Field(
        False,
        description="proposed from audience data (`signalboost audience personas --apply`); set false once checked",
    )

    def review_due(self, today: dt.date) -> dt.date | None:
        """The date the persona is due for review, or ``None`` if it was never reviewed."""
        if self.last_reviewed is None:
            return None
        return self.last_reviewed + dt.timedelta(days=self.review_every_days)


class Audience(Doc):
    """Factor 1: the audience as personas."""

    personas: list[Persona] = Field(default_factory=list)


# ---------------------------------------------------------------------------------------------- personality


class HeadAndHeart(Doc):
    """What the brand thinks and feels."""

    vision: str = ""
    values: list[str] = Field(default_factory=list)
    beliefs: list[str] = Field(default_factory=list)


class Person(Doc):
    """The brand imagined as a person."""

    profession: str = ""
    age: str = ""
    gender: str = ""
    attitude: str = ""
    hobbies: list[str] = Field(default_factory=list)


class ToneOfVoice(Doc):
    """How the brand speaks."""

    description: str = ""
    words_to_use: list[str] = Field(default_factory=list)
    words_to_avoid: list[str] = Field(default_factory=list)
    closeness: Literal["formal", "neutral", "friendly", "intimate"] = Field(
        "friendly", description="how close the brand speaks to people"
    )


class Presentation(Doc):
    """How the brand shows itself."""

    look_and_feel: str = ""
    tone_of_voice: ToneOfVoice = Field(default_factory=ToneOfVoice)
    behaviour: str = ""


class Personality(Doc):
    """Factor 2: the brand as a person — head & heart, person, presentation."""

    head_and_heart: HeadAndHeart = Field(default_factory=HeadAndHeart)
    person: Person = Field(default_factory=Person)
    presentation: Presentation = Field(default_factory=Presentation)


# ------------------------------------------------------------------------------------------------ ecosystem


class NetworkRole(Doc):
    """Factor 3: one network of the brand's digital ecosystem and its explicit role."""

    network: str = Field(min_length=1, description="network id, e.g. instagram (see `signalboost networks`)")
    role: str = Field("", description="the job this network does in the strategy")
    personas: list[str] = Field(default_factory=list, description="ids of the personas it reaches")
    formats: list[str] = Field(default_factory=list, description="content formats made for it")
    handle: str = Field("", description="the brand's account on this network")


# ------------------------------------------------------------------------------------------------- schedule

_HHMM = re.compile(r"^([01]\d|2[0-3]):[0-5]\d$")


class NetworkSchedule(Doc):
    """Factor 4 for one network: a minimum frequency and a weekly timetable in the brand's time zone."""

    min_posts_per_week: int = Field(ge=0, le=500)
    slots: dict[Weekday, list[str]] = Field(
        default_factory=dict, description='local times per weekday, e.g. {mon: ["09:00", "19:30"]}'
    )

    @field_validator("slots")
    @classmethod
    def _times(cls, value: dict[str, list[str]]) -> dict[str, list[str]]:
        for day, times in value.items():
            for t in times:
                if not _HHMM.match(str(t)):
                    raise ValueError(L_("slot {t!r} on {day} is not a 24-hour HH:MM time", t=t, day=day))
        return value

    def slots_per_week(self) -> int:
        """How many slots the timetable holds in a week."""
        return sum(len(v) for v in self.slots.values())

    def slot_times(self) -> dict[str, list[dt.time]]:
        """The timetable as ``datetime.time`` objects, sorted within each day."""
        return {d: sorted(dt.time.fromisoformat(t) for t in ts) for d, ts in self.slots.items()}


class Schedule(Doc):
    """Factor 4: publishing frequency and schedule, re-evaluated from results."""

    review_every_days: int = Field(30, ge=1, le=MAX_REVIEW_DAYS, description="how often hours and counts are re-tuned")
    last_reviewed: PlausibleDate | None = None
    networks: dict[str, NetworkSchedule] = Field(default_factory=dict)


# -------------------------------------------------------------------------------------------------- pillars


class Pillar(Doc):
    """Factor 5: a communication pillar with its weight (percent of posts)."""

    id: Id
    name: str = Field(min_length=1)
    description: str = ""
    weight: float = Field(ge=0, le=100, description="percent of posts; all pillars sum to 100")
    keywords: list[str] = Field(default_factory=list, description="words that recognise a post of the pillar")
    hashtags: list[str] = Field(default_factory=list, description="hashtags (with or without #)")


# -------------------------------------------------------------------------------------------------- tactics


class Tactic(Doc):
    """Factor 6: a recurring action with a goal, e.g. a monthly giveaway."""

    id: Id
    name: str = Field(min_length=1)
    goal: Goal
    rrule: str = Field(description="RFC 5545 recurrence, e.g. FREQ=MONTHLY;BYDAY=1FR")
    time: str = Field("12:00", description="local time of the tactic post when a slot is added")
    placement: Literal["nearest-slot", "add-slot"] = Field(
        "nearest-slot", description="take the planned slot nearest the occurrence, or add one"
    )
    networks: list[str] = Field(default_factory=list)
    pillars: list[str] = Field(default_factory=list)
    hashtag: str = Field("", description="the brand hashtag people post under, if any")
    mechanics: str = Field("", description="how people take part")
    kpis: list[str] = Field(default_factory=list, description="ids of the KPIs the tactic serves")

    @field_validator("rrule")
    @classmethod
    def _rrule(cls, value: str) -> str:
        return check_rrule(value)

    @field_validator("time")
    @classmethod
    def _time(cls, value: str) -> str:
        if not _HHMM.match(value):
            raise ValueError(L_("time {value!r} is not a 24-hour HH:MM time", value=value))
        return value


_FREQS = ("YEARLY", "MONTHLY", "WEEKLY", "DAILY", "HOURLY", "MINUTELY", "SECONDLY")


def check_rrule(value: str) -> str:
    """Return ``value`` if dateutil parses it as an RFC 5545 RRULE, else raise ``ValueError``."""
    from dateutil.rrule import rrulestr

    text = value.strip()
    body = text[6:] if text.upper().startswith("RRULE:") else text
    if "FREQ=" not in body.upper():
        raise ValueError(L_("invalid RRULE {value!r}: FREQ is missing (e.g. FREQ=MONTHLY;BYDAY=1FR)", value=value))
    freq = re.search(r"FREQ=([^;]*)", body, flags=re.IGNORECASE)
    if freq and freq.group(1).upper() not in _FREQS:
        from signalboost.model.suggest import did_you_mean

        raise ValueError(
            L_(
                "invalid RRULE {value!r}: FREQ must be one of {choices}{did_you_mean}",
                value=value,
                choices=", ".join(_FREQS),
                did_you_mean=did_you_mean(freq.group(1).upper(), _FREQS),
            )
        )
    try:
        rrulestr(body, dtstart=dt.datetime(2000, 1, 1))
    except (ValueError, TypeError, KeyError) as exc:
        raise ValueError(L_("invalid RRULE {value!r}: {exc}", value=value, exc=exc)) from None
    return text


# ------------------------------------------------------------------------------------------------- examples


class Example(Doc):
    """Factor 7: an example post for a pillar (or a tactic) on a network."""

    network: str
    pillar: str | None = None
    tactic: str | None = None
    format: str = "photo"
    text: str = Field(min_length=1)
    kpis: list[str] = Field(default_factory=list)


# ----------------------------------------------------------------------------------------------------- KPIs


class Kpi(Doc):
    """A KPI the brand monitors: a metric on a network, a target and a window."""

    id: Id
    metric: KpiMetric
    network: str | None = Field(None, description="network id, or empty for all networks")
    target: float
    direction: Literal["at_least", "at_most"] = "at_least"
    window_days: int = Field(30, ge=1, le=3660)
    aggregation: KpiAggregation | None = Field(
        None,
        description="how the window becomes one figure: sum, mean_per_post, median_per_post, rate, last, growth "
        "(empty: sum for counts, mean_per_post for rates, last for followers, growth for follower_growth)",
    )
    include_reposts: bool = Field(
        False,
        description="metric posts only: also count reposts (retweets, boosts: other accounts' posts shared); by "
        "default the KPI counts the brand's own posts and says how many reposts it left out",
    )
    description: str = ""

    @model_validator(mode="after")
    def _include_reposts_fits_metric(self) -> Kpi:
        if self.include_reposts and self.metric != "posts":
            raise ValueError(
                L_(
                    "include_reposts applies to metric 'posts' only, not {metric!r}; remove it (other metrics read "
                    "the brand's own posts, a repost carries no figures of its own)",
                    metric=self.metric,
                )
            )
        return self

    @model_validator(mode="after")
    def _aggregation_fits_metric(self) -> Kpi:
        if self.aggregation is not None and self.aggregation not in allowed_aggregations(self.metric):
            raise ValueError(
                L_(
                    "aggregation {aggregation!r} does not apply to metric {metric!r}; use one of: {choices}",
                    aggregation=self.aggregation,
                    metric=self.metric,
                    choices=", ".join(allowed_aggregations(self.metric)),
                )
            )
        return self

    @property
    def how(self) -> str:
        """The aggregation in force: the document's, else the default for the metric."""
        return self.aggregation or default_aggregation(self.metric)


# ---------------------------------------------------------------------------------- curation and influence


class Curation(Doc):
    """Share of calendar slots reserved for content curated from influencers (retain step)."""

    share: float = Field(0.0, ge=0, le=1, description="fraction of slots, e.g. 0.2")
    networks: list[str] = Field(default_factory=list, description="networks it applies to; empty = all")


class InfluenceWeights(Doc):
    """Weights of the influence score's components (they are normalised to sum to 1 over the components the data
    has). Defaults chosen on the Higgs temporal backtest (docs/validation.md, "Influence backtest"): reach — follower
    counts, else the distinct accounts interacting combined with the attention received — ranks later attention
    best; PageRank authority and activity made every tested mix worse, so they are shown but weigh 0 unless set here
    or by `influencers calibrate`."""

    reach: float = Field(0.55, ge=0)
    authority: float = Field(0.0, ge=0)
    amplification: float = Field(0.25, ge=0)
    topic: float = Field(0.20, ge=0)
    activity: float = Field(0.0, ge=0)


class InteractionWeights(Doc):
    """Edge weight per interaction kind in the authority graph (repost > quote > reply > mention)."""

    repost: float = Field(4.0, ge=0)
    quote: float = Field(3.0, ge=0)
    reply: float = Field(2.0, ge=0)
    mention: float = Field(1.0, ge=0)
    like: float = Field(0.5, ge=0)


class InfluenceSettings(Doc):
    """Settings of the influencer practice: score weights, segment thresholds, relationship KPIs."""

    weights: InfluenceWeights = Field(default_factory=InfluenceWeights)
    interaction_weights: InteractionWeights = Field(default_factory=InteractionWeights)
    combine: Literal["tail", "mean"] = Field(
        "tail",
        description=(
            "how the component percentiles make the score: tail = one minus the weighted geometric mean of the "
            "shares of accounts ranking above (keeps the top hubs on top); mean = weighted mean of the percentiles"
        ),
    )
    influence_threshold: float = Field(
        70, ge=0, le=100, description="score at or above which an account is influential"
    )
    engagement_threshold: float = Field(
        1,
        ge=0,
        description=(
            "interactions with the brand within the engagement window at or above which an account is engaged "
            "(one mention counts as one)"
        ),
    )
    untapped_tolerance: int = Field(
        0,
        ge=0,
        description=(
            "an influential follower with at most this many interactions with the brand in the window (and not "
            "engaged) is untapped; 0 = no interaction at all"
        ),
    )
    engagement_window_days: int = Field(
        90, ge=1, description="days before the latest data in which interactions with the brand count"
    )
    engagement_half_life_days: float = Field(30, gt=0, le=3660)
    engagement_drop_alert: float = Field(0.5, ge=0, le=1, description="alert when engagement falls by this share")
    follow_up_days: int = Field(14, ge=1, le=3660)


# ------------------------------------------------------------------------------------------------- document


class Strategy(Doc):
    """The whole strategy document (``strategy.yaml``)."""

    version: Literal[1] = 1
    brand: Brand
    audience: Audience = Field(default_factory=Audience)
    personality: Personality = Field(default_factory=Personality)
    ecosystem: list[NetworkRole] = Field(default_factory=list)
    schedule: Schedule = Field(default_factory=Schedule)
    pillars: list[Pillar] = Field(default_factory=list)
    tactics: list[Tactic] = Field(default_factory=list)
    examples: list[Example] = Field(default_factory=list)
    kpis: list[Kpi] = Field(default_factory=list)
    curation: Curation = Field(default_factory=Curation)
    influence: InfluenceSettings = Field(default_factory=InfluenceSettings)

    # Convenience look-ups used by planning and analytics -----------------------------------------------
    def network_ids(self) -> list[str]:
        """Networks of the ecosystem, in document order."""
        return [n.network for n in self.ecosystem]

    def pillar(self, pillar_id: str) -> Pillar:
        """The pillar with id ``pillar_id`` (``KeyError`` if absent)."""
        for p in self.pillars:
            if p.id == pillar_id:
                return p
        raise KeyError(pillar_id)

    def pillar_weights(self) -> dict[str, float]:
        """Pillar id -> weight as a fraction (weights / 100)."""
        return {p.id: p.weight / 100.0 for p in self.pillars}

    def tz(self) -> ZoneInfo:
        """The brand's time zone."""
        return ZoneInfo(self.brand.timezone)
