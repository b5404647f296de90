"""Pillars on real posts: assignment, actual vs target mix, drift, and performance per pillar.

Assignment order, first that applies wins:

1. ``label`` — a person's label (``posts.pillars``), kept as is (a post may serve several pillars).
2. ``rule`` — every pillar whose keywords (whole words, case- and accent-insensitive) or hashtags occur in the
   post. In a post written in a compounding language (Norwegian, Danish, Swedish, German, …) a keyword also
   matches inflected and as an element of a compound: "bolle" in "kanelbollene", "tur" in "fjellturen"
   (:func:`signalboost.text.tokens.compound_match`, split against the vocabulary of all pillar keywords).
3. ``classifier`` — an offline text classifier: TF-IDF (sublinear tf) of the post's content words (word 1–2-grams,
   stop words of the post's own language removed) and of their character 3–5-grams (so "kanelbolle" shares
   features with "bolle" and "bollene"), and a multinomial logistic regression (scikit-learn), trained on the
   strategy's example posts and the labelled posts that have text. Its top class is kept when the predicted
   probability reaches ``threshold``; otherwise
4. ``unclassified``.

Each post is read in its own language — the network's tag (``posts.language``), else the stored detection
(``posts.detected_languages``, migration 130), else detected here (:mod:`signalboost.text.language`) — so an
account that posts in Norwegian and English has each post tokenised with the right stop words and compounds.
Nothing is downloaded: the model is fitted at run time from the strategy and the workspace.
"""

from __future__ import annotations

import itertools
import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import polars as pl

from signalboost.analytics.timing import with_local_time
from signalboost.errors import AnalyticsError
from signalboost.i18n import L_
from signalboost.model.strategy import Pillar
from signalboost.text.language import detect_mixed
from signalboost.text.stopwords import normalise_language
from signalboost.text.tokens import compound_match, compounding, content_words

_HASHTAG = re.compile(r"#(\w+)", re.UNICODE)
_TOKEN = re.compile(r"[^\W\d_]{2,}", re.UNICODE)


def _fold(text: str) -> str:
    """Case- and accent-insensitive form of ``text`` (NFKD, combining marks removed, casefolded)."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


@dataclass(frozen=True)
class PillarRules:
    """Compiled keyword and hashtag rules of the strategy's pillars."""

    patterns: dict[str, re.Pattern[str] | None]
    hashtags: dict[str, frozenset[str]]
    words: dict[str, frozenset[str]] = field(default_factory=dict)  # single-word keywords (folded), per pillar

    @classmethod
    def from_pillars(cls, pillars: Sequence[Pillar]) -> PillarRules:
        patterns: dict[str, re.Pattern[str] | None] = {}
        tags: dict[str, frozenset[str]] = {}
        single: dict[str, frozenset[str]] = {}
        for p in pillars:
            folded = [_fold(k.strip()) for k in p.keywords if k.strip()]
            words = [re.escape(k) for k in folded]
            patterns[p.id] = re.compile(r"(?<!\w)(?:" + "|".join(words) + r")(?!\w)") if words else None
            tags[p.id] = frozenset(_fold(h.strip().lstrip("#")) for h in p.hashtags if h.strip().lstrip("#"))
            single[p.id] = frozenset(k for k in folded if re.fullmatch(r"[^\W\d_]+", k))
        return cls(patterns, tags, single)

    def match(
        self, text: str | None, hashtags: Iterable[str] | None, languages: Sequence[str | None] = ()
    ) -> list[str]:
        """Pillar ids whose keywords occur in ``text`` or whose hashtags are among the post's hashtags.

        ``languages`` are the post's languages: when one of them writes compounds as one word, single-word
        keywords also match inflected or inside compounds (module doc).
        """
        folded = _fold(text or "")
        given = [] if hashtags is None else list(hashtags)  # a Polars list cell arrives as a Series
        post_tags = {_fold(h.lstrip("#")) for h in given} | {_fold(t) for t in _HASHTAG.findall(text or "")}
        tokens = (set(_TOKEN.findall(folded)) | post_tags) if compounding(languages) else set()
        vocabulary = frozenset().union(*self.words.values()) if tokens else frozenset()
        found = []
        for pid, pattern in self.patterns.items():
            if (
                (pattern is not None and pattern.search(folded))
                or (self.hashtags[pid] & post_tags)
                or any(compound_match(t, k, vocabulary) for t in tokens for k in self.words.get(pid, ()))
            ):
                found.append(pid)
        return found


def _features(doc: tuple[str, tuple[str, ...]]) -> list[str]:
    """Word 1–2-grams of the content words (the text's own stop words removed) and their character 3–5-grams."""
    text, languages = doc
    toks = [_fold(t) for t in content_words(text, languages)]
    feats = list(toks) + [f"{a} {b}" for a, b in itertools.pairwise(toks)]
    for t in toks:
        padded = f" {t} "
        feats += [f"#{padded[i : i + n]}" for n in (3, 4, 5) for i in range(len(padded) - n + 1)]
    return feats


class PillarClassifier:
    """TF-IDF of words and character n-grams + logistic regression (scikit-learn, fitted offline, deterministic)."""

    def __init__(
        self,
        texts: Sequence[str],
        labels: Sequence[str],
        *,
        seed: int = 0,
        languages: Sequence[Sequence[str | None]] | None = None,
    ) -> None:
        from sklearn.feature_extraction.text import TfidfVectorizer
        from sklearn.linear_model import LogisticRegression
        from sklearn.pipeline import make_pipeline

        if len(set(labels)) < 2:
            raise AnalyticsError(
                L_("the pillar classifier needs example posts of at least two pillars"),
                where="strategy.yaml (examples)",
                hint=L_("Add an example post for each pillar"),
            )
        self.pipeline: Any = make_pipeline(
            TfidfVectorizer(analyzer=_features, sublinear_tf=True, min_df=1),
            LogisticRegression(max_iter=2000, C=10.0, random_state=seed),
        )
        self.pipeline.fit(_docs(texts, languages), list(labels))
        self.classes: list[str] = [str(c) for c in self.pipeline.classes_]

    def predict(
        self, texts: Sequence[str], languages: Sequence[Sequence[str | None]] | None = None
    ) -> list[tuple[str, float]]:
        """Top pillar and its probability for each text (``languages``: each text's, detected when not given)."""
        if not texts:
            return []
        proba = self.pipeline.predict_proba(_docs(texts, languages))
        best = proba.argmax(axis=1)
        return [(self.classes[int(i)], float(proba[row, int(i)])) for row, i in enumerate(best)]


def _docs(texts: Sequence[str], languages: Sequence[Sequence[str | None]] | None) -> list[tuple[str, tuple[str, ...]]]:
    langs = list(languages) if languages is not None else [text_languages(t) for t in texts]
    return [(t, tuple(g for g in ls if g)) for t, ls in zip(texts, langs, strict=True)]


def text_languages(text: str | None, tag: str | None = None, stored: Sequence[str] | None = None) -> tuple[str, ...]:
    """A post's languages: the network's ``tag`` when it names one; else the stored detection (``stored``, the
    post's ``detected_languages``: ``[]`` = detected, unknown); else detected now."""
    lang = normalise_language(tag)
    if lang:
        return (lang,)
    if stored is not None:
        return tuple(str(g) for g in stored)
    return detect_mixed(text).languages


def training_set(examples: Iterable[tuple[str, str]], posts: pl.DataFrame | None = None) -> tuple[list[str], list[str]]:
    """Texts and labels: the strategy's ``(text, pillar)`` examples plus labelled posts with text."""
    texts, labels = [], []
    for text, pillar in examples:
        if text and pillar:
            texts.append(text)
            labels.append(pillar)
    if posts is not None and {"text", "pillars"} <= set(posts.columns):
        for text, pillars in posts.select("text", "pillars").iter_rows():
            if text and pillars:
                for p in pillars:
                    texts.append(text)
                    labels.append(p)
    return texts, labels


def assign_pillars(
    posts: pl.DataFrame,
    pillars: Sequence[Pillar],
    *,
    examples: Iterable[tuple[str, str]] = (),
    threshold: float = 0.5,
    seed: int = 0,
) -> pl.DataFrame:
    """Pillar(s) of every post: ``platform, post_id, pillars (list), method, confidence``.

    ``method`` is ``label``, ``rule``, ``classifier`` or ``unclassified``; ``confidence`` is 1 for label and rule,
    the classifier's probability, or ``None`` when unclassified. Labels naming no pillar of the strategy are kept
    (a person's word wins) — :func:`pillar_mix` shows them as off-strategy.
    """
    if not 0 <= threshold <= 1:
        raise AnalyticsError(
            L_("threshold {threshold} must be between 0 and 1", threshold=threshold),
            where="pillar threshold",
            hint=L_("Use a probability such as 0.5 (higher keeps fewer, surer classifier labels)"),
        )
    rules = PillarRules.from_pillars(pillars)
    texts, labels = training_set(examples, posts)
    model = PillarClassifier(texts, labels, seed=seed) if len(set(labels)) >= 2 else None
    cols = {
        c: posts[c] if c in posts.columns else pl.Series([None] * posts.height)
        for c in ("text", "hashtags", "pillars", "language", "detected_languages")
    }
    out: list[dict[str, object]] = []
    pending: list[tuple[int, tuple[str, ...]]] = []
    for i, (platform, post_id) in enumerate(posts.select("platform", "post_id").iter_rows()):
        label = cols["pillars"][i]
        text, tags = cols["text"][i], cols["hashtags"][i]
        if label is not None and len(label) > 0:
            out.append(_row(platform, post_id, list(label), "label", 1.0))
            continue
        stored = cols["detected_languages"][i]
        langs = text_languages(text, cols["language"][i], None if stored is None else list(stored)) if text else ()
        matched = rules.match(text, tags, langs)
        if matched:
            out.append(_row(platform, post_id, matched, "rule", 1.0))
            continue
        out.append(_row(platform, post_id, [], "unclassified", None))
        if model is not None and text:
            pending.append((i, langs))
    if model is not None and pending:
        guesses = model.predict([cols["text"][i] for i, _ in pending], [langs for _, langs in pending])
        for (i, _), (pid, proba) in zip(pending, guesses, strict=True):
            if proba >= threshold:
                out[i] = _row(out[i]["platform"], out[i]["post_id"], [pid], "classifier", proba)
            else:
                out[i]["confidence"] = proba
    return pl.DataFrame(
        out,
        schema={
            "platform": pl.String,
            "post_id": pl.String,
            "pillars": pl.List(pl.String),
            "method": pl.String,
            "confidence": pl.Float64,
        },
    )


def _row(platform: Any, post_id: Any, pillars: list[str], method: str, conf: float | None) -> dict[str, Any]:
    return {"platform": platform, "post_id": post_id, "pillars": pillars, "method": method, "confidence": conf}


def wilson_interval(successes: float, n: float, *, confidence: float = 0.95) -> tuple[float, float]:
    """Wilson score interval of a share ``successes / n`` (Wilson 1927; Brown, Cai & DasGupta 2001):
    ``(p̂ + z²/2n ± z·√(p̂(1−p̂)/n + z²/4n²)) / (1 + z²/n)``. ``(0, 1)`` when ``n`` is 0."""
    from scipy import stats

    if n <= 0:
        return 0.0, 1.0
    z = float(stats.norm.ppf(0.5 + confidence / 2))
    p = successes / n
    denom = 1 + z * z / n
    centre = (p + z * z / (2 * n)) / denom
    half = z * ((p * (1 - p) / n + z * z / (4 * n * n)) ** 0.5) / denom
    return max(0.0, centre - half), min(1.0, centre + half)


#: a pillar with no post at all drifts once this many of its posts were due (target share × posts)
MIN_DUE_WHEN_ABSENT = 2.0

#: More than this share of a network's posts unclassified and its drift flags would say more about the
#: classification than about what was posted: :func:`pillar_mix` withholds them (:func:`unclassified_notes`).
MOSTLY_UNCLASSIFIED = 0.5


def without_reposts(frame: pl.DataFrame, posts: pl.DataFrame) -> tuple[pl.DataFrame, dict[str, int]]:
    """The rows of ``frame`` (``platform, post_id``, …) that are the brand's own content, and per network how many
    were left out: posts with ``repost_of`` set in ``posts`` (retweets, boosts, reposts) share another account's
    post, so they serve none of the brand's pillars and must not count in its pillar mix (the calendar plans them
    as curated slots, with no pillar)."""
    if "repost_of" not in posts.columns or frame.height == 0:
        return frame, {}
    shared = posts.filter(pl.col("repost_of").is_not_null()).select("platform", "post_id")
    if shared.height == 0:
        return frame, {}
    kept = frame.join(shared, on=["platform", "post_id"], how="anti")
    gone = frame.join(shared, on=["platform", "post_id"], how="semi").group_by("platform").len()
    return kept, {str(p): int(n) for p, n in gone.iter_rows()}


def pillar_mix(
    frame: pl.DataFrame,
    weights: dict[str, float],
    *,
    tz: str = "UTC",
    per_month: bool = True,
    margin: float = 0.0,
    confidence: float = 0.95,
) -> pl.DataFrame:
    """Actual vs target pillar mix per network (and per month), with drift flagged.

    ``frame`` has ``platform, created_at, pillars``; ``weights`` maps pillar id → target share (fractions
    summing to 1, ``Strategy.pillar_weights()``). A post serving k pillars counts 1/k for each, so shares sum to 1
    and compare with weights.

    ``drift`` is true when the target lies outside the Wilson interval ``[share_low, share_high]`` of the actual
    share over ``n_posts`` posts (:func:`wilson_interval`), or when the pillar has no post although at least
    :data:`MIN_DUE_WHEN_ABSENT` were due (``expected = target × n_posts``) — and, with ``margin`` > 0, the gap is
    also larger than ``margin``. ``posts_off = posts − expected``: by how many posts the pillar is over (+) or
    under (−) its weight. Unclassified posts are listed as pillar ``unclassified`` (target 0, never flagged).

    Where more than :data:`MOSTLY_UNCLASSIFIED` of a network's posts (in that month) match no pillar, every pillar
    looks under its weight whatever was posted (599 of 659 Mastodon posts unclassified: all four "drifting"), so
    its flags are withheld: ``drift`` false and ``drift_withheld`` true on each of its rows, and
    :func:`unclassified_notes` says "not enough classified posts: N of M".
    Columns: ``platform, month, pillar, posts, share, share_low, share_high, target, gap, expected, posts_off,
    drift, drift_withheld, n_posts`` (``month`` is ``all`` when ``per_month`` is false).
    """
    local = with_local_time(frame.filter(pl.col("created_at").is_not_null()), tz)
    month = pl.col("local_time").dt.strftime("%Y-%m") if per_month else pl.lit("all")
    data = local.with_columns(
        month.alias("month"),
        pl.when(pl.col("pillars").is_null() | (pl.col("pillars").list.len() == 0))
        .then(pl.lit(["unclassified"], dtype=pl.List(pl.String)))
        .otherwise(pl.col("pillars"))
        .alias("_p"),
    )
    data = data.with_columns((1.0 / pl.col("_p").list.len()).alias("_w")).explode("_p")
    totals = local.with_columns(month.alias("month")).group_by("platform", "month").len("n_posts")
    counts = data.group_by("platform", "month", pl.col("_p").alias("pillar")).agg(pl.col("_w").sum().alias("posts"))
    grid = totals.join(pl.DataFrame({"pillar": list(weights)}, schema={"pillar": pl.String}), how="cross")
    mix = grid.join(counts, on=["platform", "month", "pillar"], how="full", coalesce=True)
    mix = mix.drop("n_posts").join(totals, on=["platform", "month"], how="left")
    target = pl.col("pillar").replace_strict(weights, default=0.0, return_dtype=pl.Float64)
    mix = mix.with_columns(pl.col("posts").fill_null(0.0), target.alias("target"))
    mix = mix.with_columns(
        (pl.col("posts") / pl.col("n_posts")).alias("share"),
        (pl.col("target") * pl.col("n_posts")).alias("expected"),
    )
    bounds = [wilson_interval(p, n, confidence=confidence) for p, n in zip(mix["posts"], mix["n_posts"], strict=True)]
    mix = mix.with_columns(
        pl.Series("share_low", [b[0] for b in bounds], dtype=pl.Float64),
        pl.Series("share_high", [b[1] for b in bounds], dtype=pl.Float64),
        (pl.col("share") - pl.col("target")).alias("gap"),
        (pl.col("posts") - pl.col("expected")).alias("posts_off"),
    )
    outside = (pl.col("target") < pl.col("share_low")) | (pl.col("target") > pl.col("share_high"))
    absent = (pl.col("posts") == 0) & (pl.col("expected") >= MIN_DUE_WHEN_ABSENT)
    unclassified = pl.when(pl.col("pillar") == "unclassified").then(pl.col("share")).otherwise(0.0)
    withheld = (unclassified.max().over("platform", "month") > MOSTLY_UNCLASSIFIED).fill_null(False)
    drift = (outside | absent) & (pl.col("gap").abs() > margin) & (pl.col("pillar") != "unclassified")
    return (
        mix.with_columns(withheld.alias("drift_withheld"))
        .with_columns((drift & ~pl.col("drift_withheld")).alias("drift"))
        .select(
            "platform",
            "month",
            "pillar",
            "posts",
            "share",
            "share_low",
            "share_high",
            "target",
            "gap",
            "expected",
            "posts_off",
            "drift",
            "drift_withheld",
            "n_posts",
        )
        .sort("platform", "month", "pillar")
    )


def unclassified_notes(mix: pl.DataFrame) -> list[str]:
    """A note per network whose posts mostly match no pillar (``unclassified`` share above
    :data:`MOSTLY_UNCLASSIFIED` in :func:`pillar_mix`'s rows of ``month == "all"``), whose drift flags
    :func:`pillar_mix` withholds: every pillar would look far under its weight whatever was posted (a Mastodon
    export: 599 of 659 posts unclassified, every pillar "drifting"). The note says why and what to do."""
    rows = mix.sort("platform").iter_rows(named=True) if mix.height else iter(())
    return list(mostly_unclassified(rows).values())


def mostly_unclassified(rows: Iterable[Mapping[str, Any]]) -> dict[str, str]:
    """Network → :func:`unclassified_notes`' note ("pillar drift not judged — not enough classified posts: 60 of
    659 match a pillar …"), for the networks whose ``unclassified`` row (``month`` ``all`` or absent) of
    :func:`pillar_mix`'s rows (as dicts: the dashboard's stored analysis) has a share above
    :data:`MOSTLY_UNCLASSIFIED`."""
    return {
        r["platform"]: (
            f"{r['platform']}: pillar drift not judged — not enough classified posts: "
            f"{r['n_posts'] - round(r['posts'])} of {r['n_posts']} match a pillar (add keywords, hashtags or example "
            "posts to the pillars, or label posts)"
        )
        for r in rows
        if r.get("pillar") == "unclassified"
        and r.get("month") in (None, "all")
        and r.get("share") is not None
        and r["share"] > MOSTLY_UNCLASSIFIED
    }


def drift_words(row: dict[str, Any]) -> str:
    """A drifting pillar in words: ``education: 0 of 500 posts, 50 were due (10%) — 50 posts too few``."""
    off = float(row["posts_off"])
    n_off = round(abs(off))
    way = "too many" if off > 0 else "too few"
    return (
        f"{row['pillar']}: {row['posts']:.0f} of {row['n_posts']} posts ({100 * row['share']:.0f}%), "
        f"{row['expected']:.0f} were due ({100 * row['target']:.0f}%) — {n_off} post{'s' if n_off != 1 else ''} {way}"
    )


def with_pillars(frame: pl.DataFrame, assignments: pl.DataFrame) -> pl.DataFrame:
    """``frame`` with its ``pillars`` column replaced by the assignments (and ``pillar_method`` added)."""
    right = assignments.select("platform", "post_id", "pillars", pl.col("method").alias("pillar_method"))
    base = frame.drop([c for c in ("pillars", "pillar_method") if c in frame.columns])
    return base.join(right, on=["platform", "post_id"], how="left")


def explode_pillars(frame: pl.DataFrame) -> pl.DataFrame:
    """One row per post and pillar (``pillar`` column; ``unclassified`` for none), for per-pillar comparisons."""
    return frame.with_columns(
        pl.when(pl.col("pillars").is_null() | (pl.col("pillars").list.len() == 0))
        .then(pl.lit(["unclassified"], dtype=pl.List(pl.String)))
        .otherwise(pl.col("pillars"))
        .alias("pillar")
    ).explode("pillar")
