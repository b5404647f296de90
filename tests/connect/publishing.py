"""What the publishing tests share: a planned post's status beside its publication, and a connector that dies
right after the network accepted a post."""

from __future__ import annotations

from typing import Any

from signalboost.store.workspace import Workspace


def publication_status(ws: Workspace, pid: str) -> tuple[Any, ...]:
    """``(planned status, publication state, url, post_id)`` of one planned post (None where not published)."""
    with ws.connect() as con:
        row = con.execute(
            "SELECT p.status, u.state, u.url, u.post_id FROM planned_posts p LEFT JOIN publications u USING (plan_id) "
            "WHERE plan_id = ?",
            [pid],
        ).fetchone()
    assert row is not None, f"no planned post {pid}"
    return tuple(row)


class CrashAfterSend:
    """The real connector, but the process 'dies' right after the network accepted the post."""

    def __init__(self, real: Any) -> None:
        self._real = real

    def __getattr__(self, name: str) -> Any:
        return getattr(self._real, name)

    def publish(self, text: str, record_key: str, **kw: Any) -> Any:
        self._real.publish(text, record_key, **kw)
        raise KeyboardInterrupt("killed between send and record")
