"""The languages an account posts in: posts and share per language, and how many posts mix languages."""

from __future__ import annotations

import polars as pl

from signalboost.text.stopwords import normalise_language

MIX_SCHEMA: dict[str, pl.DataType] = {
    "platform": pl.String(),
    "account_id": pl.String(),
    "handle": pl.String(),
    "language": pl.String(),
    "posts": pl.Int64(),
    "share": pl.Float64(),
    "mixed_posts": pl.Int64(),
    "source": pl.String(),
}


def effective_language(network_tag: str | None, detected: str | None) -> tuple[str | None, str]:
    """A post's language and where it comes from: the network's tag (``network``) when it names a language, else
    the offline detection (``detected``), else ``None`` (``unknown``)."""
    tag = normalise_language(network_tag)
    if tag:
        return tag, "network"
    if detected:
        return detected, "detected"
    return None, "unknown"


def language_mix(posts: pl.DataFrame) -> pl.DataFrame:
    """Per account and language: ``posts``, ``share`` of the account's posts with text, ``mixed_posts`` (posts that
    mix languages, counted under their main language) and ``source`` (network / detected / both / unknown).

    ``posts`` has ``platform, author_id, handle, language, detected_language, detected_languages`` (one row per post
    with text, as :func:`signalboost.store.post_languages_sql.post_languages` reads them). Sorted by account, then
    by posts (most first); an account's unknown posts are a row with ``language`` None.
    """
    if posts.height == 0:
        return pl.DataFrame(schema=MIX_SCHEMA)
    rows = []
    for platform, author, handle, tag, detected, langs in posts.select(
        "platform", "author_id", "handle", "language", "detected_language", "detected_languages"
    ).iter_rows():
        lang, source = effective_language(tag, detected)
        mixed = source == "detected" and langs is not None and len(langs) > 1
        rows.append((platform, author, handle, lang, source, mixed))
    frame = pl.DataFrame(
        rows, schema=["platform", "account_id", "handle", "language", "source", "mixed"], orient="row"
    ).with_columns(pl.col("account_id").cast(pl.String))
    out = (
        frame.group_by("platform", "account_id", "language", maintain_order=True)
        .agg(
            pl.col("handle").drop_nulls().first(),
            pl.len().cast(pl.Int64).alias("posts"),
            pl.col("mixed").sum().cast(pl.Int64).alias("mixed_posts"),
            pl.col("source").unique().sort().alias("sources"),
        )
        .with_columns(
            (pl.col("posts") / pl.col("posts").sum().over("platform", "account_id")).alias("share"),
            pl.when(pl.col("sources").list.len() > 1)
            .then(pl.lit("both"))
            .otherwise(pl.col("sources").list.first())
            .alias("source"),
        )
        .sort(["platform", "account_id", "posts", "language"], descending=[False, False, True, False], nulls_last=True)
    )
    return out.select(list(MIX_SCHEMA))
