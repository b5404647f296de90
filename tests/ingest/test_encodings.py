"""Encodings by evidence, --encoding, and the double-encoded UTF-8 repair (property: correct text unchanged)."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from signalboost.errors import UsageError
from signalboost.ingest import import_files
from signalboost.ingest.textio import check_encoding, detect_encoding, fix_mojibake
from signalboost.store.workspace import Workspace

#: Words of many scripts, as people write them (each word in one script, Latin ones in one language's letters).
ALPHABETS = {
    "english": "abcdefghijklmnopqrstuvwxyz",
    "french": "abcdefghijklmnopqrstuvwxyzéèêëàâçîïôûùüÿœæ",
    "german": "abcdefghijklmnopqrstuvwxyzäöüß",
    "spanish": "abcdefghijklmnopqrstuvwxyzáéíóúñü",
    "portuguese": "abcdefghijklmnopqrstuvwxyzãõáéíóúâêôçà",
    "czech": "abcdefghijklmnopqrstuvwxyzáčďéěíňóřšťúůýž",
    "polish": "abcdefghijklmnopqrstuvwxyząćęłńóśźż",
    "icelandic": "abcdefghijklmnopqrstuvwxyzáðéíóúýþæö",
    "turkish": "abcdefghijklmnopqrstuvwxyzçğıöşü",
    "greek": "αβγδεζηθικλμνξοπρστυφχψωάέήίόύώ",
    "russian": "абвгдеёжзийклмнопрстуфхцчшщъыьэюя",
    "arabic": "ابتثجحخدذرزسشصضطظعغفقكلمنهوي",
    "hebrew": "אבגדהוזחטיכלמנסעפצקרשת",
    "hindi": "कखगघचछजझटठडढणतथदधनपफबभमयरलवशसह",
    "chinese": "的一是不了人我在有他这中大来上国个到说们为子和你地出道也时年",
    "japanese": "あいうえおかきくけこさしすせそたちつてとなにぬねのアイウエオカキクケコ",
    "korean": "가나다라마바사아자차카타파하한국어",
    "thai": "กขคงจฉชซญดตถทนบปผพฟมยรลวสหอ",
}
EMOJI = ["😀", "🎉", "👍🏽", "❤️", "🇫🇷", "👩‍💻", "✨", "🔥", "☕"]
PUNCT = [
    " ",
    " ",
    ", ",
    ". ",
    "! ",
    "? ",
    " – ",
    " — ",
    " “",
    "” ",
    " «",
    "» ",
    "’",
    " (",
    ") ",
    " #",
    " @",
    " €",
    " £",
]


@st.composite
def texts(draw: st.DrawFn) -> str:
    parts = []
    for _ in range(draw(st.integers(1, 12))):
        kind = draw(st.sampled_from([*ALPHABETS, "emoji", "punct"]))
        if kind == "emoji":
            parts.append(draw(st.sampled_from(EMOJI)))
        elif kind == "punct":
            parts.append(draw(st.sampled_from(PUNCT)))
        else:
            word = draw(st.text(alphabet=ALPHABETS[kind], min_size=1, max_size=12))
            if kind in ("english", "french", "german", "spanish", "portuguese", "czech", "polish") and draw(
                st.booleans()
            ):
                word = word[0].upper() + word[1:]
            parts.append(word)
    return "".join(parts)


@settings(max_examples=600, deadline=None)
@given(texts())
def test_correct_text_of_many_scripts_is_unchanged(text: str) -> None:
    assert fix_mojibake(text) == text


@settings(max_examples=300, deadline=None)
@given(texts())
def test_double_encoded_text_is_repaired_or_left_never_damaged(text: str) -> None:
    """The same text written as UTF-8 bytes read in cp1252 (or Latin-1) comes back whole, or, when no sequence in it
    is unmistakable (a lone Cyrillic "ъ" is "ÑŠ", which a capital-Ñ word could write), is left as it was."""
    try:
        broken = text.encode("utf-8").decode("cp1252")
    except UnicodeDecodeError:
        broken = text.encode("utf-8").decode("latin-1")  # Meta's JSON: every byte as U+0000-U+00FF
    if broken == text:
        return
    assert fix_mojibake(broken) in (text, broken)


@settings(max_examples=300, deadline=None)
@given(texts().filter(lambda t: any(ch in t for ch in "éèàçüöäñáóúíêâß’“”–—😀🎉👍🏽❤️✨🔥☕αβγабвгд")))
def test_double_encoded_text_with_common_letters_is_repaired(text: str) -> None:
    broken = text.encode("utf-8").decode("cp1252", errors="ignore")
    if broken.encode("cp1252", errors="ignore") != text.encode("utf-8"):
        return  # cp1252 has no character for one of the bytes: not this kind of mojibake
    assert fix_mojibake(broken) == text


@pytest.mark.parametrize(
    ("broken", "fixed"),
    [
        ("cafÃ©", "café"),
        ("itâ€™s", "it’s"),
        ("ðŸ˜€ launch day", "😀 launch day"),
        ("\u00f0\u009f\u0098\u0080", "😀"),
        ("ÐŸÑ€Ð¸Ð²ÐµÑ‚", "Привет"),
    ],
)
def test_known_mojibake(broken: str, fixed: str) -> None:
    assert fix_mojibake(broken) == fixed


SAMPLE = "naïve café – “crème brûlée” déjà vu, Ångström, señor, Straße"


@pytest.mark.parametrize(
    ("encoding", "expected"),
    [
        ("utf-8", "utf-8"),
        ("utf-8-sig", "utf-8-sig"),
        ("utf-16", "utf-16"),
        ("utf-16-le", "utf-16-le"),
        ("utf-16-be", "utf-16-be"),
        ("cp1252", "cp1252"),
        ("mac_roman", "mac_roman"),
    ],
)
def test_detect_encoding_by_evidence(encoding: str, expected: str) -> None:
    data = ("post_id,text\n1," + SAMPLE + "\n").encode(encoding)
    assert detect_encoding(data)[0] == expected


@pytest.mark.parametrize("text", ["Öa", "Öl und Bier", "naïve", "hôtel", "Ölfass; Ödland"])
def test_mac_roman_letters_that_cp1252_reads_as_marks_before_a_letter(text: str) -> None:
    """Mac Roman's Ö, ï, ô are cp1252's …, •, ™: glued to the next letter those marks are not text (found by the
    round-trip property: "Öa" written on a Mac was read as "…a")."""
    data = ("post_id,text\r\np1," + text + "\r\n").encode("mac_roman")
    enc, _ = detect_encoding(data)
    assert data.decode(enc) == data.decode("mac_roman")


@pytest.mark.parametrize("text", ["Wait… what", "Brand™ news", "20°C • sunny", "“Quoted”", "rock’n’roll – live"])
def test_cp1252_marks_in_ordinary_places_still_read_as_cp1252(text: str) -> None:
    data = ("post_id,text\r\np1," + text + " café\r\n").encode("cp1252")
    assert detect_encoding(data)[0] == "cp1252"


def test_latin1_bytes_read_the_same_as_cp1252() -> None:
    data = "café señor".encode("latin-1")
    enc, warning = detect_encoding(data)
    assert data.decode(enc) == "café señor" and warning is not None


def test_encoding_option(workspace: Workspace, tmp_path: Path) -> None:
    path = tmp_path / "posts.csv"
    path.write_bytes("post_id,created_at,text\n1,2024-05-01,Ça va\n".encode("mac_roman"))
    [res] = import_files(workspace, [path], platform="x", encoding="mac_roman", progress=False)
    assert workspace.posts()["text"].to_list() == ["Ça va"]
    assert "encoding: mac_roman (--encoding)" in res.notes
    assert check_encoding("Windows-1252") == "cp1252"
    with pytest.raises(UsageError):
        check_encoding("klingon")


def test_mac_roman_tweet_csv_and_mojibake_in_a_csv(workspace: Workspace, tmp_path: Path) -> None:
    path = tmp_path / "tweets.csv"
    path.write_bytes("post_id,created_at,text\n1,2024-05-01,Café crème à Zürich\n".encode("mac_roman"))
    [res] = import_files(workspace, [path], platform="x", progress=False)
    assert workspace.posts()["text"].to_list() == ["Café crème à Zürich"]
    assert any("mac_roman" in n for n in res.notes)
    other = tmp_path / "broken.csv"
    other.write_text("post_id,created_at,text\n2,2024-05-01,itâ€™s cafÃ© time ðŸ˜€\n", encoding="utf-8")
    import_files(workspace, [other], platform="x", progress=False)
    assert workspace.query("SELECT text FROM posts WHERE post_id = '2'")["text"][0] == "it’s café time 😀"


def test_letters_that_would_decode_to_a_control_character_are_left_alone() -> None:
    """Found by the property above: "Âœ" (Â, œ: cp1252 bytes C2 9C) is not a damaged U+009C (no text writes C1
    controls), so it stays; a real sequence beside it is still repaired."""
    assert fix_mojibake("Âœ") == "Âœ"
    assert fix_mojibake("ÂœÃ©") == "Âœé"  # the letters stay, the damaged é beside them is repaired
    assert fix_mojibake("cafÃ© ðŸ˜€") == "café 😀"


@pytest.mark.parametrize("text", ["aaÆ” ", "«LÆ»", "CAFÉ’s menu", "ÉTÉ… ", "CRÈME BRÛLÉE® – now", "ÅÖ— yes"])
def test_a_word_ending_in_a_capital_before_a_closing_mark_is_left_alone(text: str) -> None:
    """Found by the property above: "Æ”" (a Danish capital, then a closing quote) is also what the UTF-8 bytes of
    "Ɣ" (C6 94) look like in cp1252, but no telltale: correct text writes it at a word's end."""
    assert fix_mojibake(text) == text


def test_cyrillic_mojibake_with_closing_marks_among_its_letters_is_still_repaired() -> None:
    # х = D1 85 reads "Ñ…", л = D0 BB reads "Ð»": no telltale on their own, but о = "Ð¾" beside them is one
    assert fix_mojibake("Ñ…Ð¾Ñ€Ð¾ÑˆÐ¾ Ð»Ð¾Ð´ÐºÐ°") == "хорошо лодка"
