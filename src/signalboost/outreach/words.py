"""The outreach vocabulary in the reader's language: pipeline stages, modes and offers, touches, trends, partner
states and alert kinds. The stored values and JSON keep the identifiers (``warming``, ``paid``); tables and pages
say them with :func:`value_words`."""

from __future__ import annotations

from typing import Any

from signalboost.i18n import N_, _

VALUE_WORDS: dict[str, str] = {  # identifier -> msgid
    # pipeline stages and modes (signalboost.outreach.pipeline)
    "identified": N_("identified"),
    "warming": N_("warming"),
    "contacted": N_("contacted"),
    "collaborating": N_("collaborating"),
    "retained": N_("retained"),
    "paused": N_("paused"),
    "declined": N_("declined"),
    "organic": N_("organic"),
    "paid": N_("paid"),
    "product": N_("product"),
    "discount": N_("discount"),
    "fee": N_("fee"),
    # touches and directions (signalboost.outreach.ledger)
    "ours": N_("ours"),
    "theirs": N_("theirs"),
    "like": N_("like"),
    "reply": N_("reply"),
    "share": N_("share"),
    "message": N_("message"),
    "gift": N_("gift"),
    "interaction": N_("interaction"),
    "amplification": N_("amplification"),
    # trends and partner states
    "up": N_("up"),
    "down": N_("down"),
    "flat": N_("flat"),
    "n/a": N_("n/a"),
    "candidate": N_("candidate"),
    "chosen": N_("chosen"),
    "active": N_("active"),
    "ended": N_("ended"),
    "exact": N_("exact"),
    "minhash": N_("minhash"),
    # where a partner's audience comes from (signalboost.outreach.overlap, ``audience_source``)
    "follows": N_("followers"),
    "interactions": N_("interactions"),
    # alert kinds (signalboost.outreach.kpis.due)
    "follow_up_due": N_("follow-up due"),
    "no_touch": N_("no touch"),
    "engagement_drop": N_("engagement drop"),
    # benchmark
    "brand": N_("brand"),
    "competitor": N_("competitor"),
}


def value_words(value: Any) -> Any:
    """A word value (a stage, a mode, a trend, a role) in the active language; anything else as it is."""
    if isinstance(value, str) and value in VALUE_WORDS:
        return _(VALUE_WORDS[value])
    return value
