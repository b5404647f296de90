"""How complete a strategy is: a checklist per factor and the examples matrix with its gaps.

Used by the strategy document (``signalboost doc``) and the dashboard. A check is a yes/no question a team can act
on ("every pillar has keywords or hashtags"); ``detail`` names what is missing. Completeness of a factor is the
share of its checks that pass: ``done / total``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from signalboost.i18n import _, format_number
from signalboost.model.strategy import Example, Pillar, Strategy, Tactic


@dataclass(frozen=True)
class Check:
    """One item of a factor's checklist."""

    label: str
    done: bool
    detail: str = ""


@dataclass(frozen=True)
class FactorChecklist:
    """The checklist of one factor (``key`` is the document section, e.g. ``audience``)."""

    key: str
    title: str
    checks: tuple[Check, ...]

    @property
    def done(self) -> int:
        return sum(c.done for c in self.checks)

    @property
    def total(self) -> int:
        return len(self.checks)

    @property
    def complete(self) -> bool:
        return self.done == self.total


@dataclass
class ExamplesMatrix:
    """Examples per (pillar, network) cell and per tactic; empty lists are the gaps."""

    pillars: list[Pillar]
    networks: list[str]
    tactics: list[Tactic]
    cells: dict[tuple[str, str], list[Example]] = field(default_factory=dict)
    tactic_examples: dict[str, list[Example]] = field(default_factory=dict)

    def cell(self, pillar_id: str, network: str) -> list[Example]:
        return self.cells.get((pillar_id, network), [])

    @property
    def gaps(self) -> list[tuple[str, str]]:
        """(pillar id, network) cells without an example, in document order."""
        return [(p.id, n) for p in self.pillars for n in self.networks if not self.cell(p.id, n)]

    @property
    def tactic_gaps(self) -> list[str]:
        return [t.id for t in self.tactics if not self.tactic_examples.get(t.id)]

    @property
    def total(self) -> int:
        """Cells to fill: pillars × networks plus one per tactic."""
        return len(self.pillars) * len(self.networks) + len(self.tactics)

    @property
    def filled(self) -> int:
        return self.total - len(self.gaps) - len(self.tactic_gaps)


def examples_matrix(strategy: Strategy) -> ExamplesMatrix:
    """Group the strategy's examples into the pillar × network matrix and the per-tactic list."""
    m = ExamplesMatrix(list(strategy.pillars), strategy.network_ids(), list(strategy.tactics))
    for ex in strategy.examples:
        if ex.pillar:
            m.cells.setdefault((ex.pillar, ex.network), []).append(ex)
        if ex.tactic:
            m.tactic_examples.setdefault(ex.tactic, []).append(ex)
    return m


def _missing(names: list[str]) -> str:
    return _("missing: {names}").format(names=", ".join(names)) if names else ""


def _check(label: str, missing: list[str]) -> Check:
    return Check(label, not missing, _missing(missing))


def _audience(s: Strategy, today: dt.date) -> FactorChecklist:
    ps = s.audience.personas
    overdue = [p.id for p in ps if (due := p.review_due(today)) is None or due < today]
    checks = (
        Check(_("At least one persona"), bool(ps), "" if ps else _("add a persona under audience.personas")),
        _check(
            _("Demographics for every persona"), [p.id for p in ps if not any(p.demographics.model_dump().values())]
        ),
        _check(_("Interests for every persona"), [p.id for p in ps if not p.interests]),
        _check(
            _("Places visited, online and offline"), [p.id for p in ps if not (p.places.online and p.places.offline)]
        ),
        _check(_("Networks each persona is comfortable on"), [p.id for p in ps if not p.networks]),
        _check(
            _("Why they like, share and buy"),
            [p.id for p in ps if not (p.motivations.like and p.motivations.share and p.motivations.buy)],
        ),
        _check(_("Reviewed within its interval"), overdue),
    )
    return FactorChecklist("audience", _("1. Audience"), checks)


def _personality(s: Strategy) -> FactorChecklist:
    hh, person, pres = s.personality.head_and_heart, s.personality.person, s.personality.presentation
    tone = pres.tone_of_voice
    checks = (
        Check(_("Vision"), bool(hh.vision)),
        Check(_("Values and beliefs"), bool(hh.values and hh.beliefs)),
        Check(_("The brand as a person (profession, attitude)"), bool(person.profession and person.attitude)),
        Check(_("Look & feel"), bool(pres.look_and_feel)),
        Check(_("Tone of voice"), bool(tone.description)),
        Check(_("Words to use and to avoid"), bool(tone.words_to_use and tone.words_to_avoid)),
        Check(_("Behaviour"), bool(pres.behaviour)),
    )
    return FactorChecklist("personality", _("2. Personality"), checks)


def _ecosystem(s: Strategy) -> FactorChecklist:
    eco = s.ecosystem
    reached = {pid for n in eco for pid in n.personas}
    checks = (
        Check(_("At least one network"), bool(eco)),
        _check(_("A role for every network"), [n.network for n in eco if not n.role]),
        _check(_("The personas each network reaches"), [n.network for n in eco if not n.personas]),
        _check(_("Content formats for every network"), [n.network for n in eco if not n.formats]),
        _check(_("Every persona is reached"), [p.id for p in s.audience.personas if p.id not in reached]),
    )
    return FactorChecklist("ecosystem", _("3. Digital ecosystem"), checks)


def _schedule(s: Strategy, today: dt.date) -> FactorChecklist:
    nets = s.schedule.networks
    sched = s.schedule
    due = sched.last_reviewed + dt.timedelta(days=sched.review_every_days) if sched.last_reviewed else None
    checks = (
        _check(_("A schedule for every network"), [n for n in s.network_ids() if n not in nets]),
        _check(
            _("Slots cover the minimum frequency"),
            [n for n, ns in nets.items() if ns.slots_per_week() < ns.min_posts_per_week],
        ),
        Check(_("Brand time zone ({zone})").format(zone=s.brand.timezone), bool(s.brand.timezone)),
        Check(
            _("Schedule reviewed within its interval"),
            due is not None and due >= today,
            "" if due is not None else _("never reviewed"),
        ),
    )
    return FactorChecklist("schedule", _("4. Frequency & schedule"), checks)


def _pillars(s: Strategy) -> FactorChecklist:
    ps = s.pillars
    total = sum(p.weight for p in ps)
    checks = (
        Check(_("At least one pillar"), bool(ps)),
        Check(
            _("Weights sum to 100"),
            bool(ps) and abs(total - 100) < 1e-6,
            _("sum is {total}").format(total=format_number(total)) if ps else "",
        ),
        _check(_("A description for every pillar"), [p.id for p in ps if not p.description]),
        _check(_("Keywords or hashtags for every pillar"), [p.id for p in ps if not (p.keywords or p.hashtags)]),
    )
    return FactorChecklist("pillars", _("5. Communication pillars"), checks)


def _tactics(s: Strategy) -> FactorChecklist:
    ts = s.tactics
    checks = (
        Check(_("At least one tactic"), bool(ts)),
        _check(_("Mechanics (how people take part)"), [t.id for t in ts if not t.mechanics]),
        _check(_("Networks for every tactic"), [t.id for t in ts if not t.networks]),
        _check(_("KPIs for every tactic"), [t.id for t in ts if not t.kpis]),
    )
    return FactorChecklist("tactics", _("6. Tactics"), checks)


def _examples(s: Strategy) -> FactorChecklist:
    m = examples_matrix(s)
    cells = len(m.pillars) * len(m.networks)
    gaps = [_("{pillar} on {network}").format(pillar=p, network=n) for p, n in m.gaps]
    checks = (
        Check(
            _("An example for every pillar on every network ({filled}/{cells})").format(
                filled=cells - len(gaps), cells=cells
            ),
            not gaps,
            _missing(gaps),
        ),
        _check(_("An example for every tactic"), m.tactic_gaps),
    )
    return FactorChecklist("examples", _("7. Examples"), checks)


def _kpis(s: Strategy) -> FactorChecklist:
    ks = s.kpis
    covers_all = any(k.network is None for k in ks)
    covered = {k.network for k in ks}
    checks = (
        Check(_("At least one KPI"), bool(ks)),
        _check(_("A KPI on every network"), [] if covers_all else [n for n in s.network_ids() if n not in covered]),
        _check(_("Every KPI is served by a tactic or an example"), _unserved(s)),
    )
    return FactorChecklist("kpis", _("KPIs"), checks)


def _unserved(s: Strategy) -> list[str]:
    used = {k for t in s.tactics for k in t.kpis} | {k for e in s.examples for k in e.kpis}
    return [k.id for k in s.kpis if k.id not in used]


def checklist(strategy: Strategy, *, today: dt.date | None = None) -> list[FactorChecklist]:
    """The completeness checklist of every factor and the KPIs, in the method's order."""
    day = today or dt.date.today()
    return [
        _audience(strategy, day),
        _personality(strategy),
        _ecosystem(strategy),
        _schedule(strategy, day),
        _pillars(strategy),
        _tactics(strategy),
        _examples(strategy),
        _kpis(strategy),
    ]
