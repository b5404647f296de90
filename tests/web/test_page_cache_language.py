"""The dashboard's page cache keeps one page per language: page data holds translated words (a Norwegian reader
was served the Influencers page built for an English one, titled "Influencers" instead of "Påvirkere")."""

from __future__ import annotations

import threading
from pathlib import Path

from signalboost.i18n import _, use_language
from signalboost.store.workspace import Workspace
from signalboost.web.context import PageCache


def _title() -> str:
    return _("Influencers")


def test_a_page_cached_in_one_language_is_not_served_in_another(tmp_path: Path) -> None:
    cache = PageCache(Workspace.open(tmp_path / "ws", create=True))
    with use_language("en"):
        assert cache.get(("influencers",), _title) == "Influencers"
    with use_language("nb"):
        assert cache.get(("influencers",), _title) == "Påvirkere"
        assert cache.swr(("influencers-swr",), _title) == ("Påvirkere", False)
    with use_language("en"):
        assert cache.get(("influencers",), _title) == "Influencers"
        assert cache.swr(("influencers-swr",), _title) == ("Influencers", False)


def test_a_background_refresh_computes_in_the_readers_language(tmp_path: Path) -> None:
    ws = Workspace.open(tmp_path / "ws", create=True)
    cache = PageCache(ws)
    with use_language("nb"):
        assert cache.swr(("page",), _title) == ("Påvirkere", False)
        ws.strategy_path.write_text("brand: {}\n", encoding="utf-8")  # the workspace changed: the page is stale
        before = set(threading.enumerate())
        value, stale = cache.swr(("page",), _title)
        assert (value, stale) == ("Påvirkere", True)  # the old page now, a new one computed in the background
        for thread in set(threading.enumerate()) - before:
            thread.join(30)
        assert cache.swr(("page",), _title) == ("Påvirkere", False)  # the refreshed page, still in bokmål
