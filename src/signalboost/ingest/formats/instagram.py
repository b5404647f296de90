"""Instagram "Download your information" export, JSON format (the zip or its folder).

Layout (Meta's Accounts Center export, 2023+; older exports put ``content/`` and ``followers_and_following/`` at
the top, and both are found by file name):

- ``posts_N.json``: a list of ``{"media": [{"uri", "creation_timestamp", "title"}, …], "title"?}`` -> ``posts``
  (one media: photo or video by the file type; several: carousel);
- ``stories.json`` (``ig_stories``) -> posts of format story; ``reels.json`` (``ig_reels_media``) -> reel;
- ``followers_N.json`` and ``following.json`` (``relationships_following``): ``string_list_data`` with
  ``value``/``href`` and ``timestamp`` -> ``follows`` (the follow time as ``observed_at``);
- ``liked_posts.json`` (``likes_media_likes``: the account's likes of others' posts) -> ``interactions`` of kind
  like: the post's link as ``target_post_id``, its owner (``title``) as ``target_account_id``, at the like's time;
- ``post_comments_N.json`` (2023+: a list; ``post_comments.json`` of 2021-2022: under ``comments_media_comments``):
  the account's own comments on posts, ``string_map_data`` with ``Comment``, ``Media Owner`` and ``Time`` ->
  ``interactions`` of kind reply by the account on the owner's post, at the comment's time (the export names no
  post: ``target_post_id`` is ``''``; the comment's words have no canonical column); ``reels_comments.json``
  (``comments_reels_comments``, the same records) holds the comments on reels and is read the same way;
- ``personal_information.json`` -> ``accounts`` (username, name, bio).

The layout of 2018-2020 (``connections.json``, ``profile.json``, ``media.json`` at the top) is read too:
followers/following from ``connections.json``, the account from ``profile.json``, the posts from ``media.json``
(:mod:`signalboost.ingest.formats.instagram_media_json`).

The export has no post ids: a post is ``ig:<file name of its first media>`` (stable between exports), and no
engagement counts. Texts are repaired from Meta's double-encoded UTF-8 ("CafÃ©" -> "Café", see
:func:`signalboost.ingest.textio.fix_mojibake`). Accounts are usernames.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path, PurePosixPath
from typing import Any

from signalboost.errors import IngestError
from signalboost.i18n import L_, N_
from signalboost.ingest.archive import Archive, archive_has, is_zip, open_archive
from signalboost.ingest.base import Batch, Format, Item, ReadOptions, Reject
from signalboost.ingest.formats.instagram_media_json import OTHER_LISTS, parse_media_json
from signalboost.ingest.registry import register
from signalboost.ingest.textio import (
    decode_text,
    fix_mojibake,
    from_unix,
    hashtags_in,
    loads_json,
    mentions_in,
    parse_iso,
)

PLATFORM = "instagram"
_VIDEO = (".mp4", ".mov", ".m4v", ".webm")


def sniff(head: bytes, path: Path) -> float:
    if archive_has(path, head, "personal_information.json") and archive_has(
        path,
        head,
        "*posts_1.json",
        "followers_1.json",
        "following.json",
        "stories.json",
    ):
        return 0.97
    if archive_has(path, head, "followers_1.json", "followers.json") or archive_has(path, head, "*posts_1.json"):
        return 0.8
    # the layout of 2019-2020: connections.json ({"followers": {name: time}, …}) beside profile.json / media.json
    if archive_has(path, head, "connections.json") and archive_has(path, head, "profile.json", "media.json"):
        return 0.9
    if archive_has(path, head, "media.json") and archive_has(path, head, "profile.json"):  # its posts only
        return 0.85
    # the HTML version of the export: claimed so that it is refused with what to do (see read_instagram)
    if archive_has(path, head, *_HTML) and not archive_has(path, head, "*.json"):
        return 0.8
    # an export of some of the information only (Accounts Center lets one pick the types): likes or comments
    if archive_has(path, head, *_ACTIVITY):
        return 0.9 if archive_has(path, head, "personal_information.json") else 0.75
    return 0.0


#: Files of the HTML version of the export (the format chosen when requesting it), which holds the same data as
#: web pages: refused with the advice to request JSON.
_HTML = ("followers_1.html", "following.html", "posts_1.html", "liked_posts.html", "personal_information.html")

#: Files of the account's activity on others' posts, which a partial export may hold alone.
_ACTIVITY = ("liked_posts.json", "post_comments_1.json", "post_comments.json", "reels_comments.json")


def _media_id(uri: str) -> str:
    return "ig:" + PurePosixPath(uri).stem


def _post(media: list[dict[str, Any]], title: Any, ts: Any, fmt: str | None, me: str | None) -> dict[str, Any]:
    first = media[0]
    text = fix_mojibake(str(title or first.get("title") or "")) or None
    created = from_unix(float(ts if ts is not None else first["creation_timestamp"]))
    if fmt is None:
        is_video = str(first.get("uri", "")).lower().endswith(_VIDEO)
        fmt = "carousel" if len(media) > 1 else "video" if is_video else "photo"
    return {
        "platform": PLATFORM,
        "post_id": _media_id(str(first["uri"])),
        "author_id": me,
        "created_at": created,
        "text": text,
        "format": fmt,
        "hashtags": hashtags_in(text),
        "mentions": mentions_in(text),
    }


def parse_media(records: list[Any], *, fmt: str | None, me: str | None, member: str) -> tuple[list[Any], list[Reject]]:
    """Pure: post / story / reel records -> posts rows and rejects (``line`` = record number)."""
    rows, rejects = [], []
    for index, rec in enumerate(records, start=1):
        if not isinstance(rec, dict):
            rejects.append(Reject(index, str(rec)[:500], "not an object", member))
            continue
        raw_media: list[Any] = rec["media"] if isinstance(rec.get("media"), list) else [rec]
        media = [m for m in raw_media if isinstance(m, dict) and m.get("uri")]
        try:
            if not media:
                raise KeyError("uri")
            rows.append(_post(media, rec.get("title"), rec.get("creation_timestamp"), fmt, me))
        except (KeyError, TypeError, ValueError) as exc:
            rejects.append(Reject(index, str(rec)[:500], f"record {index}: missing {exc}", member))
    return rows, rejects


def parse_relations(records: list[Any], *, me: str, side: str, member: str) -> tuple[list[Any], list[Reject]]:
    """Pure: followers / following records -> follows rows (the follow time as ``observed_at``)."""
    rows, rejects = [], []
    for index, rec in enumerate(records, start=1):
        data = (rec.get("string_list_data") or [{}])[0] if isinstance(rec, dict) else {}
        user = data.get("value") or (rec.get("title") if isinstance(rec, dict) else None)
        if not user and data.get("href"):
            user = str(data["href"]).rstrip("/").rsplit("/", 1)[-1]
        if not user:
            rejects.append(Reject(index, str(rec)[:500], "no username", member))
            continue
        user = str(user).lower()
        ts = data.get("timestamp")
        pair = (user, me) if side == "followers" else (me, user)
        rows.append(
            {
                "platform": PLATFORM,
                "follower_id": pair[0],
                "followee_id": pair[1],
                "observed_at": from_unix(float(ts)) if ts else None,
            }
        )
    return rows, rejects


def _load(archive: Archive, name: str, options: ReadOptions) -> Any:
    data = archive.read(name)
    options.advance(len(data))
    text, _ = decode_text(data, archive.where(name))
    return loads_json(text, archive.where(name))


#: The labels of ``personal_information.json`` in the account's language (the export writes them translated:
#: "Benutzername", "Nom d'utilisateur" …); the first found wins.
LABELS: dict[str, tuple[str, ...]] = {
    "username": (
        "Username",
        "Benutzername",
        "Nom d'utilisateur",
        "Nom d’utilisateur",
        "Nombre de usuario",
        "Nome utente",
        "Nome de usuário",
        "Nome de utilizador",
        "Gebruikersnaam",
        "Brukernavn",
        "Användarnamn",
        "Brugernavn",
        "Käyttäjätunnus",
        "Nazwa użytkownika",
        "Kullanıcı adı",
    ),
    "name": (
        "Name",
        "Nom",
        "Nombre",
        "Nome",
        "Naam",
        "Navn",
        "Namn",
        "Nimi",
        "Imię i nazwisko",
        "Ad",
    ),
    "bio": (
        "Bio",
        "Biography",
        "Biografie",
        "Biographie",
        "Biografía",
        "Biografia",
        "Biografi",
        "Steckbrief",
    ),
}
#: The export's zip or folder name: ``instagram-<username>-<yyyy-mm-dd>-<random>``.
_EXPORT_NAME = re.compile(r"^instagram-([a-z0-9._]+)-\d{4}-\d{2}-\d{2}", re.IGNORECASE)


def _field(fields: dict[str, Any], what: str) -> str | None:
    by_label = {(fix_mojibake(str(k)) or "").casefold(): v for k, v in fields.items()}
    for label in LABELS[what]:
        v = by_label.get(label.casefold())
        value = v.get("value") if isinstance(v, dict) else None
        if value:
            return fix_mojibake(str(value))
    return None


def _me(archive: Archive, options: ReadOptions, path: Path) -> tuple[str | None, dict[str, Any] | None]:
    for name in archive.find("personal_information.json"):
        data = _load(archive, name, options)
        users = data.get("profile_user") if isinstance(data, dict) else None
        if users and isinstance(users[0], dict):
            fields = users[0].get("string_map_data") or {}
            username = _field(fields, "username")
            if username:
                row = {
                    "platform": PLATFORM,
                    "account_id": username.lower(),
                    "handle": username,
                    "name": _field(fields, "name"),
                    "bio": _field(fields, "bio"),
                    "is_brand": True,  # the owner of a personal export is the workspace's brand
                }
                return username.lower(), row
    for name in archive.find("profile.json"):  # the layout of 2019-2020: {"username", "name", "biography", …}
        data = _load(archive, name, options)
        if isinstance(data, dict) and isinstance(data.get("username"), str) and data["username"]:
            username = str(data["username"])
            row = {
                "platform": PLATFORM,
                "account_id": username.lower(),
                "handle": username,
                "name": fix_mojibake(str(data["name"])) if isinstance(data.get("name"), str) else None,
                "bio": fix_mojibake(str(data["biography"])) if isinstance(data.get("biography"), str) else None,
                "is_brand": True,
            }
            return username.lower(), row
    for part in (path, *path.parents[:2]):  # the export's own name says whose it is
        m = _EXPORT_NAME.match(part.name)
        if m:
            options.note(
                L_(
                    "the account is {user} (from the export's name {name})",
                    user=m[1].lower(),
                    name=part.name,
                )
            )
            return m[1].lower(), None
    return None, None


def read_instagram(path: Path, options: ReadOptions) -> Iterator[Item]:
    single = path.is_file() and not is_zip(path)
    archive = open_archive(path.parent, recursive=False) if single else open_archive(path)
    if archive.find(*_HTML) and not archive.find("*.json"):
        raise IngestError(
            L_("this is the HTML version of Instagram's export, which Signalboost does not read"),
            where=str(path),
            hint=L_(
                "Request the export again with Format: JSON (Accounts Center → Your information and permissions → "
                "Download your information) and import that zip"
            ),
        )
    # Its times are Unix times (or carry an offset): the import's zone applies only to media.json's times without
    # one (see _media_json), so the summary's zone line is shown only then.
    options.saw_times(naive=False)
    me, account = _me(archive, options, path)
    sources = [
        (
            archive.find("*posts_1.json", "posts_{n}.json"),
            None,
            None,
        ),
        (archive.find("stories.json"), "ig_stories", "story"),
        (archive.find("reels.json"), "ig_reels_media", "reel"),
    ]
    if not any(names for names, _, _ in sources) and not archive.find(
        "followers_1.json", "followers.json", "following.json", "connections.json", "media.json", *_ACTIVITY
    ):
        raise IngestError(
            L_("this is not an Instagram export (no posts_1.json, followers_1.json …)"),
            where=str(path),
            hint=L_(
                "Pass the zip of 'Download your information' in JSON format (not HTML), or its unpacked folder; or "
                "choose another format with --format (see `signalboost formats`)"
            ),
        )
    for names, key, fmt in sources:
        for name in names:
            data = _load(archive, name, options)
            records = data.get(key, []) if key and isinstance(data, dict) else data
            if not isinstance(records, list):
                raise IngestError(
                    L_(
                        "expected a list of media records, found {kind}",
                        kind=type(records).__name__,
                    ),
                    where=archive.where(name),
                    hint=L_("The file was changed or is not from Instagram: download the JSON export again"),
                )
            rows, rejects = parse_media(records, fmt=fmt, me=me, member=name)
            for r in rows:
                r["platform"] = options.platform or PLATFORM
            yield from rejects
            yield Batch("posts", rows, rows_read=len(rows))
    yield from _relations(archive, options, me)
    yield from _liked(archive, options, me)
    yield from _comments(archive, options, me)
    if not any(names for names, _, _ in sources):  # the layout of 2018-2020 lists the posts in media.json
        yield from _media_json(archive, options, me)
    if account:
        yield Batch("accounts", [account | {"platform": options.platform or PLATFORM}])


def _media_json(archive: Archive, options: ReadOptions, me: str | None) -> Iterator[Item]:
    """The posts of ``media.json`` (2018-2020; :mod:`signalboost.ingest.formats.instagram_media_json`)."""
    for name in archive.find("media.json"):
        data = _load(archive, name, options)
        if not isinstance(data, dict):
            raise IngestError(
                L_(
                    "expected an object of media lists (photos, videos, stories), found {kind}",
                    kind=type(data).__name__,
                ),
                where=archive.where(name),
                hint=L_("The file was changed or is not from Instagram: download the JSON export again"),
            )
        rows, rejects, counts = parse_media_json(data, me=me, zone=options.timezone, member=name)
        options.saw_times(naive=counts["naive"] > 0)
        if counts["joined"]:
            options.note(
                L_(
                    "media.json: {n} media joined to the post with the same time and caption (carousels)",
                    n=counts["joined"],
                )
            )
        for what in OTHER_LISTS:
            if counts.get(what):
                options.skip(N_("media.json records of direct messages and profile pictures (not posts)"), counts[what])
        for r in rows:
            r["platform"] = options.platform or PLATFORM
        yield from rejects
        yield Batch("posts", rows, rows_read=len(rows) + counts["joined"])


def connections_records(data: Any, side: str) -> list[dict[str, Any]]:
    """Pure: the ``followers`` or ``following`` map of a 2019-2020 ``connections.json`` (``{"name": "2019-05-12T09:14:37
    +00:00", …}``) as the records of the later layout (``string_list_data`` with ``value`` and ``timestamp``); a time
    that cannot be read leaves the follow without one."""
    people = data.get(side) if isinstance(data, dict) else None
    out = []
    for user, when in people.items() if isinstance(people, dict) else []:
        try:
            stamp: float | None = parse_iso(str(when)).timestamp()
        except ValueError:
            stamp = None
        out.append({"string_list_data": [{"value": str(user), "timestamp": stamp}]})
    return out


def _relations(archive: Archive, options: ReadOptions, me: str | None) -> Iterator[Item]:
    followers = archive.find("followers.json", "followers_{n}.json", "connections.json")
    following = archive.find("following.json", "following_{n}.json", "connections.json")
    for side, names in (("followers", followers), ("following", following)):
        for name in names:
            data = _load(archive, name, options)
            if PurePosixPath(name).name == "connections.json":
                records: Any = connections_records(data, side)
            else:
                records = _relation_records(data)
            if me is None:
                options.warn(
                    L_(
                        "{file}: no personal_information.json, so 'me' stands for you",
                        file=PurePosixPath(name).name,
                    )
                )
            rows, rejects = parse_relations(records or [], me=me or "me", side=side, member=name)
            for r in rows:
                r["platform"] = options.platform or PLATFORM
            yield from rejects
            yield Batch("follows", rows, rows_read=len(rows))


def parse_liked(records: Any, *, me: str, member: str) -> tuple[list[Any], list[Reject]]:
    """Pure: ``liked_posts.json`` records (``{"title": owner, "string_list_data": [{"href", "timestamp"}]}``) ->
    interactions of kind like: the post's link as its id, its owner as the target account, at the like's time."""
    rows, rejects = [], []
    for index, rec in enumerate(records if isinstance(records, list) else [], start=1):
        listed = rec.get("string_list_data") if isinstance(rec, dict) else None
        data = listed[0] if isinstance(listed, list) and listed and isinstance(listed[0], dict) else {}
        try:
            when = from_unix(float(data["timestamp"]))
        except (KeyError, TypeError, ValueError):
            rejects.append(Reject(index, str(rec)[:500], f"record {index}: no like time", member))
            continue
        owner = str(rec.get("title") or "").lower() if isinstance(rec, dict) else ""
        rows.append(
            {
                "platform": PLATFORM,
                "actor_id": me,
                "kind": "like",
                "target_post_id": str(data.get("href") or ""),
                "target_account_id": owner,
                "occurred_at": when,
                "weight": 1.0,
            }
        )
    return rows, rejects


def _liked(archive: Archive, options: ReadOptions, me: str | None) -> Iterator[Item]:
    for name in archive.find("liked_posts.json"):
        data = _load(archive, name, options)
        records = data.get("likes_media_likes", []) if isinstance(data, dict) else data
        rows, rejects = parse_liked(records, me=me or "me", member=name)
        for r in rows:
            r["platform"] = options.platform or PLATFORM
        yield from rejects
        yield Batch("interactions", rows, rows_read=len(rows))


def parse_comments(records: Any, *, me: str, member: str) -> tuple[list[Any], list[Reject], bool]:
    """Pure: ``post_comments_N.json`` records -> ``(interactions, rejects, labels_known)``.

    A record is ``{"string_map_data": {"Comment": {"value"}, "Media Owner": {"value"}, "Time": {"timestamp"}},
    "media_list_data": [...]}`` (the layout public parsers of the export read). Each becomes a reply of the
    account (``me``) to a post of the owner, at the comment's time. Labels are translated in exports of accounts in
    other languages: the time is then the one field with a ``timestamp``, and the owner, which cannot be told from
    the comment without its label, is ``''`` (unknown) and ``labels_known`` is False. A record without a time is
    a reject."""
    rows, rejects, known = [], [], True
    for index, rec in enumerate(records if isinstance(records, list) else [], start=1):
        fields = rec.get("string_map_data") if isinstance(rec, dict) else None
        fields = {str(k): v for k, v in fields.items() if isinstance(v, dict)} if isinstance(fields, dict) else {}
        stamped = [v for v in fields.values() if v.get("timestamp")]
        stamp = (fields.get("Time") or (stamped[0] if len(stamped) == 1 else {})).get("timestamp")
        try:
            when = from_unix(float(stamp)) if isinstance(stamp, int | float | str) else None
        except ValueError:
            when = None
        if when is None:
            rejects.append(Reject(index, str(rec)[:500], f"record {index}: no comment time", member))
            continue
        if "Media Owner" in fields:
            owner = str(fields["Media Owner"].get("value") or "").lower()
        else:
            owner, known = "", known and not fields.keys() - {"Comment", "Time"}
        rows.append(
            {
                "platform": PLATFORM,
                "actor_id": me,
                "kind": "reply",
                "target_post_id": "",
                "target_account_id": owner,
                "occurred_at": when,
                "weight": 1.0,
            }
        )
    return rows, rejects, known


def _comments(archive: Archive, options: ReadOptions, me: str | None) -> Iterator[Item]:
    names = ("post_comments.json", "post_comments_{n}.json", "reels_comments.json")
    for name in archive.find(*names):
        data = _load(archive, name, options)
        if isinstance(data, dict):  # 2021-2022: {"comments_media_comments": [...]}; reels: comments_reels_comments
            lists = [v for k, v in data.items() if str(k).startswith("comments_") and isinstance(v, list)]
            data = lists[0] if lists else []
        rows, rejects, known = parse_comments(data, me=me or "me", member=name)
        if not known:
            options.warn(
                L_(
                    "{file}: the labels are not in English, so the owners of the posts you commented on are unknown "
                    "(the comments are loaded with their times)",
                    file=PurePosixPath(name).name,
                )
            )
        for r in rows:
            r["platform"] = options.platform or PLATFORM
        yield from rejects
        yield Batch("interactions", rows, rows_read=len(rows))


def _relation_records(data: Any) -> Any:
    """The records of a followers / following file: a list (``followers_1.json``), or the list under
    ``relationships_followers`` / ``relationships_following`` (``followers.json`` of 2020-2022, ``following.json``)."""
    if isinstance(data, dict):
        lists = [v for k, v in data.items() if str(k).startswith("relationships_") and isinstance(v, list)]
        return lists[0] if lists else []
    return data


FORMAT = register(
    Format(
        name="instagram-export",
        description=N_("Instagram 'Download your information' JSON export (zip or folder); mojibake repaired"),
        loads=N_(
            "posts (posts, carousels, stories, reels), follows (followers, following), interactions (likes, your "
            "comments), accounts"
        ),
        sniff=sniff,
        read=read_instagram,
        platform="instagram",
        extensions=(".zip",),
    )
)
