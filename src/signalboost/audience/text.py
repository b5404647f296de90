"""What the audience says: language-aware tokens, keywords per segment by class-based TF-IDF, and a text
similarity graph (k nearest neighbours by TF-IDF cosine) that lets bios and posts join the follow graph.

Stop words come from :mod:`signalboost.text.stopwords` (scikit-learn's English list, Snowball's Norwegian list
and the other maintained lists of the ``stop-words`` package). Each text's language is taken from the caller when
known (``posts.language``), otherwise detected offline (:mod:`signalboost.text.language`, py3langid); a text that
mixes languages drops the stop words of each; a text too short to detect takes the language whose stop words it uses
most (:func:`guess_language`). So "man" stays a word in "family man" but not in "man må trene". No model is
downloaded.

Class-based TF-IDF (M. Grootendorst 2022, *BERTopic*, arXiv:2203.05794, eq. 1): the texts of a segment are one
document, and the weight of term t in segment c is W(t, c) = tf(t, c) · log(1 + A / f(t)), where tf(t, c) is the
term's share of the segment's words, f(t) its count over all segments and A the mean number of words per segment.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Sequence

import numpy as np
import scipy.sparse as sp
from sklearn.feature_extraction.text import CountVectorizer, TfidfVectorizer

from signalboost.text.language import detect_mixed
from signalboost.text.stopwords import normalise_language, stop_words
from signalboost.text.tokens import content_words as _content_words
from signalboost.text.tokens import words

__all__ = ["class_tfidf", "content_words", "guess_language", "join_texts", "text_edges", "words"]

_NORDIC = re.compile("[æøå]")
_DETECT_CHARS = 1500  # an account's joined texts: its language is read from the first 1,500 characters


def guess_language(tokens: Sequence[str]) -> str | None:
    """The language (``en``/``nb``) whose stop words ``tokens`` use most; on a tie, ``nb`` when a word has æ, ø
    or å, else ``en``; ``None`` without tokens. The fallback for texts too short for the detector."""
    if not tokens:
        return None
    hits = {lang: sum(t in stop_words(lang) for t in tokens) for lang in ("en", "nb")}
    if hits["en"] != hits["nb"]:
        return max(hits, key=lambda lang: hits[lang])
    return "nb" if any(_NORDIC.search(t) for t in tokens) else "en"


@functools.lru_cache(maxsize=65536)
def _languages(text: str, language: str | None) -> tuple[str, ...]:
    """The languages whose stop words ``text`` drops: ``language`` (one code, or several comma-joined, as an
    account's posts give them); detected too when none is known or ``auto`` is among them."""
    parts = [p.strip() for p in (language or "").split(",")]
    known = [g for g in (normalise_language(p) for p in parts if p != "auto") if g]
    if known and "auto" not in parts:
        return tuple(dict.fromkeys(known))
    found = detect_mixed(text[:_DETECT_CHARS]).languages
    if not found and not known:
        guess = guess_language(words(text))
        found = (guess,) if guess else ()
    return tuple(dict.fromkeys([*known, *found]))


def content_words(text: str | None, language: str | None = None) -> list[str]:
    """The words of ``text`` without the stop words of its language(s) (given, else detected)."""
    return _content_words(text, _languages(text or "", language))


def _analyzer(doc: str | tuple[str, str | None]) -> list[str]:
    if isinstance(doc, tuple):
        return content_words(doc[0], doc[1])
    return content_words(doc)


def class_tfidf(
    docs: Sequence[str | None],
    labels: Sequence[int] | np.ndarray,
    *,
    languages: Sequence[str | None] | None = None,
    top: int = 10,
    min_docs: int = 2,
) -> dict[int, list[tuple[str, float]]]:
    """Top ``top`` keywords with their c-TF-IDF weight for every label ``>= 0`` (formula in the module doc).

    ``docs[i]`` is the text of account ``i`` (bio and posts joined) and ``labels[i]`` its segment; a keyword must
    be used by at least ``min_docs`` accounts of the segment (by one when the segment has fewer accounts), so one
    talkative account cannot name a segment. Ties are broken alphabetically.
    """
    labels = np.asarray(labels, dtype=np.int64)
    if len(docs) != labels.size:
        raise ValueError("docs and labels differ in length")
    langs = list(languages) if languages is not None else [None] * len(docs)
    items = [(d or "", lang) for d, lang in zip(docs, langs, strict=True)]
    out: dict[int, list[tuple[str, float]]] = {int(c): [] for c in np.unique(labels[labels >= 0])}
    vec = CountVectorizer(analyzer=_analyzer)
    try:
        counts = vec.fit_transform(items).tocsr()
    except ValueError:  # no words at all
        return out
    vocab = np.asarray(vec.get_feature_names_out())
    classes = np.unique(labels)
    member = sp.csr_matrix(
        (np.ones(labels.size), (np.searchsorted(classes, labels), np.arange(labels.size))),
        shape=(classes.size, labels.size),
    )
    tf = np.asarray((member @ counts).todense(), dtype=np.float64)
    users = np.asarray((member @ (counts > 0).astype(np.float64)).todense())
    per_class = tf.sum(axis=1, keepdims=True)
    avg = float(per_class.mean())
    idf = np.log1p(avg / np.maximum(tf.sum(axis=0), 1.0))
    weight = np.divide(tf, per_class, out=np.zeros_like(tf), where=per_class > 0) * idf
    sizes = np.asarray(member.sum(axis=1)).ravel()
    for row, c in enumerate(classes):
        if c < 0:
            continue
        need = min(min_docs, int(sizes[row]))
        ok = np.flatnonzero((users[row] >= need) & (weight[row] > 0))
        order = sorted(ok, key=lambda j: (-weight[row, j], vocab[j]))[:top]
        out[int(c)] = [(str(vocab[j]), float(weight[row, j])) for j in order]
    return out


def text_edges(
    docs: Sequence[str | None],
    *,
    languages: Sequence[str | None] | None = None,
    k: int = 10,
    min_similarity: float = 0.1,
    chunk: int = 1000,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Edges ``(src, dst, cosine)`` from every text to its ``k`` most similar others (TF-IDF with sublinear tf,
    words used by at least two accounts), kept when the cosine is at least ``min_similarity``."""
    langs = list(languages) if languages is not None else [None] * len(docs)
    items = [(d or "", lang) for d, lang in zip(docs, langs, strict=True)]
    empty = (np.zeros(0, np.int64), np.zeros(0, np.int64), np.zeros(0))
    if len(items) < 2:
        return empty
    vec = TfidfVectorizer(analyzer=_analyzer, sublinear_tf=True, min_df=2, dtype=np.float32)
    try:
        x = vec.fit_transform(items).tocsr()
    except ValueError:
        return empty
    srcs, dsts, sims = [], [], []
    kk = min(k, len(items) - 1)
    for start in range(0, x.shape[0], chunk):
        block = (x[start : start + chunk] @ x.T).toarray()
        rows = np.arange(block.shape[0])
        block[rows, rows + start] = 0.0
        nn = np.argpartition(-block, kk - 1, axis=1)[:, :kk]
        val = np.take_along_axis(block, nn, axis=1)
        keep = val >= min_similarity
        srcs.append(np.repeat(rows + start, kk)[keep.ravel()])
        dsts.append(nn[keep])
        sims.append(val[keep].astype(np.float64))
    return np.concatenate(srcs), np.concatenate(dsts), np.concatenate(sims)


def join_texts(parts: Iterable[str | None], limit: int = 20_000) -> str:
    """The non-empty ``parts`` joined by newlines, cut at ``limit`` characters (bounded memory per account)."""
    return "\n".join(p for p in parts if p)[:limit]
