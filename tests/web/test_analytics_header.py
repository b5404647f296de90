"""The Analytics page's header counts the posts its figures read (the analysed account's), not every import."""

from __future__ import annotations

import csv
from pathlib import Path

from fastapi.testclient import TestClient

from signalboost.ingest import import_files
from signalboost.store.workspace import Workspace
from signalboost.web.app import create_app


def _posts(path: Path, accounts: dict[str, int]) -> Path:
    """Posts of several accounts (a data set of influencers, an agency's export): ``accounts`` name → posts."""
    rows, i = [], 0
    for account, n in accounts.items():
        for k in range(n):
            i += 1
            rows.append(
                {
                    "post_id": f"p{i}",
                    "created_at": f"2024-05-{k + 1:02d}T10:00:00Z",
                    "author_id": account,
                    "likes": 10 * k + i,
                    "text": f"post {i}",
                }
            )
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    return path


def test_the_header_counts_the_analysed_accounts_posts_and_the_imported_ones(tmp_path: Path) -> None:
    ws = Workspace.open(tmp_path / "ws", create=True)
    import_files(
        ws, [_posts(tmp_path / "p.csv", {"alpha": 5, "beta": 3, "gamma": 2})], platform="instagram", progress=False
    )
    client = TestClient(create_app(ws), base_url="http://127.0.0.1")
    data = client.get("/analytics.json").json()
    # the busiest account (alpha, 5 posts) is analysed; 5 + 3 + 2 = 10 imported
    assert (data["n_posts"], data["n_imported"]) == (5, 10), data
    [row] = [r for r in data["summary"] if r["metric"] == "interactions"]
    # alpha's likes 1, 12, 23, 34, 45 (10k + i): mean 23 over 5 posts
    assert (row["n_posts"], row["value"]) == (5, 23.0), row
    page = client.get("/analytics").text
    assert "5 posts analysed of 10 imported (see the notes)" in page, page
    assert "10 posts ·" not in page


def test_one_account_keeps_the_plain_header(tmp_path: Path) -> None:
    ws = Workspace.open(tmp_path / "ws", create=True)
    import_files(ws, [_posts(tmp_path / "p.csv", {"alpha": 4})], platform="instagram", progress=False)
    client = TestClient(create_app(ws), base_url="http://127.0.0.1")
    data = client.get("/analytics.json").json()
    assert (data["n_posts"], data["n_imported"]) == (4, 4)
    page = client.get("/analytics").text
    assert "4 posts · times in UTC" in page and "analysed of" not in page
