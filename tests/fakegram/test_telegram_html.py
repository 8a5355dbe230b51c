"""Telegram's HTML parse mode: supported subset, nesting, entities, and what is refused."""

from __future__ import annotations

from typing import Any

import pytest

from bot.fakegram.telegram_html import EntityParseError, FormattedText, parse_html, utf16_len


def e(kind: str, offset: int, length: int, **extra: Any) -> dict[str, Any]:
    return {"type": kind, "offset": offset, "length": length, **extra}


@pytest.mark.parametrize(
    ("html", "text", "entities"),
    [
        ("polos", "polos", []),
        ("<b>a</b><strong>b</strong>", "ab", [e("bold", 0, 1), e("bold", 1, 1)]),
        ("<i>a</i><em>b</em><u>c</u><ins>d</ins>", "abcd",
         [e("italic", 0, 1), e("italic", 1, 1), e("underline", 2, 1), e("underline", 3, 1)]),
        ("<s>a</s><strike>b</strike><del>c</del>", "abc",
         [e("strikethrough", 0, 1), e("strikethrough", 1, 1), e("strikethrough", 2, 1)]),
        ('<span class="tg-spoiler">r</span><tg-spoiler>s</tg-spoiler>', "rs",
         [e("spoiler", 0, 1), e("spoiler", 1, 1)]),
        ('<a href="https://x.id/?a=1&amp;b=2">tautan</a>', "tautan",
         [e("text_link", 0, 6, url="https://x.id/?a=1&b=2")]),
        ("<code>x = 1</code>", "x = 1", [e("code", 0, 5)]),
        ("<pre>blok</pre>", "blok", [e("pre", 0, 4)]),
        ('<pre><code class="language-python">print(1)</code></pre>', "print(1)",
         [e("pre", 0, 8, language="python")]),
        ("<blockquote>kutip</blockquote>", "kutip", [e("blockquote", 0, 5)]),
        ("<blockquote expandable>panjang</blockquote>", "panjang", [e("expandable_blockquote", 0, 7)]),
        ('<tg-emoji emoji-id="5368324170671202286">👍</tg-emoji>', "👍",
         [e("custom_emoji", 0, 2, custom_emoji_id="5368324170671202286")]),
        ("<b>tebal <i>miring</i> <u>garis</u></b>", "tebal miring garis",
         [e("bold", 0, 18), e("italic", 6, 6), e("underline", 13, 5)]),
        ("&lt;tag&gt; &amp; &quot;kutip&quot;", '<tag> & "kutip"', []),
        ("&#65;&#x42;&#X43; &#128512;", "ABC 😀", []),
        ("😀<b>x</b>", "😀x", [e("bold", 2, 1)]),  # offsets count UTF-16 code units
        ("<B>besar</B>", "besar", [e("bold", 0, 5)]),
        ("a > b", "a > b", []),
        ("<b></b>kosong", "kosong", []),  # empty entities vanish
        ("baris 1\nbaris 2", "baris 1\nbaris 2", []),
    ],
)
def test_valid_html(html: str, text: str, entities: list[dict[str, Any]]) -> None:
    assert parse_html(html) == FormattedText(text, entities)


@pytest.mark.parametrize(
    ("html", "message"),
    [
        ("<br>", 'Unsupported start tag "br" at byte offset 0'),
        ("<div>x</div>", 'Unsupported start tag "div"'),
        ("a < b", 'Unsupported start tag "" at byte offset 2'),
        ("<b>tebal", 'Can\'t find end tag corresponding to start tag "b"'),
        ("<b><i>x</b></i>", 'Unmatched end tag at byte offset 7, expected "</i>", found "</b>"'),
        ("x</b>", "Unexpected end tag at byte offset 1"),
        ("<b", "Unclosed start tag at byte offset 0"),
        ("<b>x</b", "Unclosed end tag"),
        ("&nbsp;", 'Unsupported HTML entity "&nbsp;"'),
        ("R&D", 'Unescaped "&" at byte offset 1'),
        ("&#0;", "Invalid character reference"),
        ("<span>x</span>", 'Tag "span" must have class "tg-spoiler"'),
        ('<span class="bold">x</span>', 'Tag "span" must have class "tg-spoiler"'),
        ("<a>x</a>", 'Tag "a" must have a non-empty href'),
        ("<tg-emoji>x</tg-emoji>", 'Tag "tg-emoji" must have attribute "emoji-id"'),
        ('<a href="x&y">t</a>', "in an attribute value"),
        ("é<br>", 'Unsupported start tag "br" at byte offset 2'),  # offsets in UTF-8 bytes
    ],
)
def test_invalid_html(html: str, message: str) -> None:
    with pytest.raises(EntityParseError) as caught:
        parse_html(html)
    assert message in str(caught.value)


def test_stripping_adjusts_entities() -> None:
    parsed = parse_html("\n  <b>halo</b> dunia  \n").stripped()
    assert parsed == FormattedText("halo dunia", [e("bold", 0, 4)])
    assert parse_html("<b>  </b>").stripped() == FormattedText("", [])


def test_utf16_length() -> None:
    assert (utf16_len("abc"), utf16_len("é"), utf16_len("😀")) == (3, 1, 2)
