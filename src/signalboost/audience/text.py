"""What the audience says: language-aware tokens, keywords per segment by class-based TF-IDF, and a text
similarity graph (k nearest neighbours by TF-IDF cosine) that lets bios and posts join the follow graph.

Stop words: scikit-learn's English list and the Snowball Norwegian list (bokmål and nynorsk,
https://snowballstem.org/algorithms/norwegian/stop.txt). Each text's language is taken from the caller when known
(``posts.language``), otherwise guessed as the language whose stop words it uses most; that language's stop
words are dropped, so "man" stays a word in "family man" but not in
"man må trene". No model is downloaded.

Class-based TF-IDF (M. Grootendorst 2022, *BERTopic*, arXiv:2203.05794, eq. 1): the texts of a segment are one
document, and the weight of term t in segment c is W(t, c) = tf(t, c) · log(1 + A / f(t)), where tf(t, c) is the
term's share of the segment's words, f(t) its count over all segments and A the mean number of words per segment.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

import numpy as np
import scipy.sparse as sp
from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS, CountVectorizer, TfidfVectorizer

_NORWEGIAN = """
    og i jeg det at en et den til er som på de med han av ikke ikkje der så var meg seg men ett har om vi min mitt
    ha hadde hun nå over da ved fra du ut sin dem oss opp man kan hans hvor eller hva skal selv sjøl her alle vil
    bli ble blei blitt kunne inn når være kom noen noe ville dere deres kun ja etter ned skulle denne for deg si
    sine sitt mot å meget hvorfor dette disse uten hvordan ingen din ditt blir samme hvilken hvilke sånn inni
    mellom vår hver hvem vors hvis både bare enn fordi før mange også slik vært båe begge siden dykk dykkar dei
    deira deires deim di då eg ein eit eitt elles honom hjå ho hoe henne hennar hennes hoss hossen ingi inkje
    korleis korso kva kvar kvarhelst kven kvi kvifor me medan mi mine mykje no nokon noka nokor noko nokre sia
    sidan so somt somme um upp vere vore verte vort varte vart må får fått gjør gjøre går også mer enda
"""
NORWEGIAN_STOP_WORDS = frozenset(_NORWEGIAN.split())
"""Snowball's Norwegian stop words (bokmål and nynorsk), plus a few very common verbs."""
STOP_WORDS: dict[str, frozenset[str]] = {"en": frozenset(ENGLISH_STOP_WORDS), "no": NORWEGIAN_STOP_WORDS}
"""Stop words per language code."""
_ALIASES = {"nb": "no", "nn": "no", "nob": "no", "nno": "no", "nor": "no", "eng": "en"}
_NOISE = re.compile(r"https?://\S+|www\.\S+|@[\w.]+", re.UNICODE)
_NORDIC = re.compile("[æøå]")
_WORD = re.compile(r"[^\W\d_]{2,}", re.UNICODE)


def words(text: str | None) -> list[str]:
    """Lower-case words of two letters or more; links, @mentions, digits and emoji dropped; ``#tag`` → ``tag``."""
    if not text:
        return []
    return _WORD.findall(_NOISE.sub(" ", text.lower()))


def guess_language(tokens: Sequence[str]) -> str | None:
    """The language (``en``/``no``) whose stop words ``tokens`` use most; on a tie, ``no`` when a word has æ, ø
    or å, else ``en``; ``None`` without tokens."""
    if not tokens:
        return None
    hits = {lang: sum(t in stops for t in tokens) for lang, stops in STOP_WORDS.items()}
    if hits["en"] != hits["no"]:
        return max(hits, key=lambda lang: hits[lang])
    return "no" if any(_NORDIC.search(t) for t in tokens) else "en"


def content_words(text: str | None, language: str | None = None) -> list[str]:
    """The words of ``text`` without the stop words of its language (given, or guessed)."""
    tokens = words(text)
    lang = _ALIASES.get((language or "").lower(), (language or "").lower()) or None
    if lang not in STOP_WORDS:
        lang = guess_language(tokens)
    stops = STOP_WORDS[lang] if lang else STOP_WORDS["en"] | STOP_WORDS["no"]
    return [t for t in tokens if t not in stops]


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
