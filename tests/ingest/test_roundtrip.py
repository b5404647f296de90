"""Property: any table of posts, written in any supported encoding, separator and date style and imported with
auto-detection, reads back the same rows — or is refused with a clear error. Never different values.

The one reading that may differ is stated: a day/month column where no value has a part above 12 is ambiguous;
the import then reads it by the separator's default and says so in its notes, so the test accepts exactly the
swapped reading when (and only when) that statement is present."""

from __future__ import annotations

import csv
import io
import os
import tempfile
from datetime import UTC, datetime
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from signalboost.errors import SignalboostError
from signalboost.ingest import import_files
from signalboost.store.workspace import Workspace

ENCODINGS = ["utf-8", "utf-8-sig", "utf-16", "utf-16-le-bom", "utf-16-be-bom", "cp1252", "latin-1", "mac_roman"]
#: (name, writer, day-first?) — each writes a naive UTC minute.
STYLES: list[tuple[str, object, bool | None]] = [
    ("iso", lambda d: d.strftime("%Y-%m-%d %H:%M:%S"), None),
    ("iso-t-z", lambda d: d.strftime("%Y-%m-%dT%H:%M:%SZ"), None),
    ("epoch-s", lambda d: str(int(d.replace(tzinfo=UTC).timestamp())), None),
    ("epoch-ms", lambda d: str(int(d.replace(tzinfo=UTC).timestamp()) * 1000), None),
    ("m/d/yyyy", lambda d: f"{d.month}/{d.day}/{d.year} {d:%H:%M}", False),
    ("m/d/yy", lambda d: f"{d.month}/{d.day}/{d:%y} {d.hour}:{d:%M}", False),
    ("d/m/yyyy", lambda d: f"{d:%d/%m/%Y %H:%M}", True),
    ("d.m.yyyy", lambda d: f"{d.day}.{d.month}.{d.year} {d:%H:%M}", True),
    ("mm-dd-yyyy", lambda d: f"{d:%m-%d-%Y %H:%M}", False),
    ("yyyy/mm/dd", lambda d: f"{d:%Y/%m/%d %H:%M:%S}", None),
    (
        "month name",
        lambda d: f"{d:%b} {d.day}, {d.year} {d.hour % 12 or 12}:{d:%M} {'PM' if d.hour >= 12 else 'AM'}",
        None,
    ),
    ("day month", lambda d: f"{d.day} {d:%B} {d.year} {d:%H:%M}", None),
]
LOWER = "abcdefghijklmnopqrstuvwxyzéèàçüöñß"
#: Words as written: lower-case letters, a capital (accented or not) only first.
WORDS = st.tuples(
    st.sampled_from(["", "", "A", "B", "É", "À", "Ö"]), st.text(alphabet=LOWER, min_size=1, max_size=8)
).map("".join)
TEXTS = st.lists(WORDS, min_size=1, max_size=5).map(" ".join)
MOMENTS = st.datetimes(min_value=datetime(2004, 1, 2), max_value=datetime(2026, 6, 1)).map(
    lambda d: d.replace(second=0, microsecond=0)
)
ROWS = st.lists(st.tuples(MOMENTS, TEXTS, st.one_of(st.none(), st.integers(0, 10**6))), min_size=1, max_size=8)


def _encode(text: str, encoding: str) -> bytes | None:
    if encoding.endswith("-bom"):
        codec = encoding.removesuffix("-bom")
        bom = b"\xff\xfe" if codec == "utf-16-le" else b"\xfe\xff"
        return bom + text.encode(codec)
    try:
        return text.encode(encoding)
    except UnicodeEncodeError:
        return None


def _swap(d: datetime) -> datetime | None:
    try:
        return d.replace(month=d.day, day=d.month)
    except ValueError:
        return None


@settings(
    max_examples=int(os.environ.get("SIGNALBOOST_ROUNDTRIP_EXAMPLES", "40")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
@given(
    rows=ROWS,
    encoding=st.sampled_from(ENCODINGS),
    style=st.sampled_from(STYLES),
    sep=st.sampled_from([",", ";", "\t"]),
)
def test_posts_round_trip(
    rows: list[tuple[datetime, str, int | None]], encoding: str, style: tuple[str, object, bool | None], sep: str
) -> None:
    name, write, _ = style
    out = io.StringIO()
    writer = csv.writer(out, delimiter=sep, lineterminator="\r\n")
    writer.writerow(["post_id", "created_at", "text", "likes"])
    for i, (when, text, likes) in enumerate(rows):
        writer.writerow([f"p{i}", write(when), text, "" if likes is None else likes])  # type: ignore[operator]
    data = _encode(out.getvalue(), encoding)
    if data is None:
        return  # the text cannot be written in this code page at all
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "posts.csv"
        path.write_bytes(data)
        ws = Workspace.open(Path(tmp) / "ws", create=True)
        try:
            [res] = import_files(ws, [path], platform="x", progress=False, observed_at=datetime(2026, 6, 2, tzinfo=UTC))
        except SignalboostError as exc:  # a clear refusal is allowed: it names where and what to do
            assert exc.where and exc.hint, f"{name}/{encoding}: unclear refusal {exc}"
            return
        stated = any("could be day-first or month-first" in n for n in res.notes)
        got = {r["post_id"]: r for r in ws.posts().to_dicts()}
        likes = {r["post_id"]: r["likes"] for r in ws.post_metrics().to_dicts()}
        assert res.rows_rejected == 0, (name, encoding, ws.table("rejects").to_dicts())
        assert set(got) == {f"p{i}" for i in range(len(rows))}
        for i, (when, text, n) in enumerate(rows):
            row = got[f"p{i}"]
            want = when.replace(tzinfo=UTC)
            if row["created_at"] != want:
                swapped = _swap(when)
                assert stated and swapped is not None and row["created_at"] == swapped.replace(tzinfo=UTC), (
                    name,
                    encoding,
                    write(when),  # type: ignore[operator]
                    row["created_at"],
                )
            assert row["text"] == text, (name, encoding)
            assert likes[f"p{i}"] == n
