"""Telegram's HTML parse mode: the supported tag subset, entity decoding and error messages.

``parse_html`` turns HTML into plain text plus MessageEntity dicts (offsets and lengths in
UTF-16 code units, as Telegram counts them) or raises :class:`EntityParseError` whose message
is what Telegram puts after "Bad Request: can't parse entities: ".

Stricter than Telegram on purpose: an ``&`` that does not start one of the supported
entities (``&lt; &gt; &amp; &quot; &#NNN; &#xHH;``) is an error, because it means the bot
forgot to escape text; Telegram would show it verbatim.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

Entity = dict[str, Any]

NAMED_ENTITIES = {"lt": "<", "gt": ">", "amp": "&", "quot": '"'}
SIMPLE_TAGS = {
    "b": "bold", "strong": "bold",
    "i": "italic", "em": "italic",
    "u": "underline", "ins": "underline",
    "s": "strikethrough", "strike": "strikethrough", "del": "strikethrough",
    "tg-spoiler": "spoiler",
    "code": "code",
    "pre": "pre",
}
SUPPORTED_TAGS = frozenset(SIMPLE_TAGS) | {"span", "a", "blockquote", "tg-emoji"}

_ENTITY = re.compile(r"&(?:#(\d{1,7})|#[xX]([0-9a-fA-F]{1,6})|([A-Za-z][A-Za-z0-9]*));")
_TAG_NAME = re.compile(r"[A-Za-z0-9-]*")
_ATTRIBUTE = re.compile(r"\s*([A-Za-z0-9_-]+)(?:\s*=\s*(\"[^\"]*\"|'[^']*'|[^\s>\"']+))?")


class EntityParseError(ValueError):
    """The HTML is not valid for Telegram; ``str(error)`` is Telegram's explanation."""


def utf16_len(text: str) -> int:
    """Length of ``text`` in UTF-16 code units (how Telegram measures entity offsets)."""
    return len(text.encode("utf-16-le")) // 2


@dataclass
class FormattedText:
    """Plain text and its entities, the result of entity parsing."""

    text: str
    entities: list[Entity] = field(default_factory=list)

    def stripped(self) -> FormattedText:
        """Leading and trailing whitespace removed like Telegram does, entities adjusted."""
        body = self.text.strip()
        if body == self.text:
            return self
        shift = utf16_len(self.text[: len(self.text) - len(self.text.lstrip())])
        end = utf16_len(body)
        entities = []
        for entity in self.entities:
            start = max(entity["offset"] - shift, 0)
            stop = min(entity["offset"] + entity["length"] - shift, end)
            if stop > start:
                entities.append({**entity, "offset": start, "length": stop - start})
        return FormattedText(body, entities)


@dataclass
class _OpenTag:
    name: str
    attributes: dict[str, str]
    offset: int  # UTF-16 offset in the output where the tag's content starts


def parse_html(source: str) -> FormattedText:
    """Parse Telegram-flavoured HTML into plain text and entities."""
    out: list[str] = []
    out_len = 0  # UTF-16 length of the output so far
    stack: list[_OpenTag] = []
    entities: list[Entity] = []
    i = 0
    while i < len(source):
        char = source[i]
        if char == "&":
            decoded, i = _decode_entity(source, i)
            out.append(decoded)
            out_len += utf16_len(decoded)
        elif char == "<" and source.startswith("</", i):
            i = _close_tag(source, i, stack, entities, out_len)
        elif char == "<":
            tag, i = _open_tag(source, i)
            tag.offset = out_len
            stack.append(tag)
        else:
            out.append(char)
            out_len += utf16_len(char)
            i += 1
    if stack:
        raise EntityParseError(
            f'Can\'t find end tag corresponding to start tag "{stack[-1].name}"'
        )
    entities.sort(key=lambda e: (e["offset"], -e["length"]))
    return FormattedText("".join(out), entities)


def _byte_offset(source: str, index: int) -> int:
    return len(source[:index].encode("utf-8"))


def _decode_entity(source: str, i: int) -> tuple[str, int]:
    match = _ENTITY.match(source, i)
    if match is None:
        raise EntityParseError(
            f"Unescaped \"&\" at byte offset {_byte_offset(source, i)}; use &amp; instead"
        )
    decimal, hexadecimal, name = match.groups()
    if name is not None:
        if name not in NAMED_ENTITIES:
            raise EntityParseError(
                f'Unsupported HTML entity "&{name};" at byte offset {_byte_offset(source, i)}'
            )
        return NAMED_ENTITIES[name], match.end()
    code = int(decimal) if decimal is not None else int(hexadecimal, 16)
    if code == 0 or code > 0x10FFFF or 0xD800 <= code <= 0xDFFF:
        raise EntityParseError(
            f"Invalid character reference at byte offset {_byte_offset(source, i)}"
        )
    return chr(code), match.end()


def _open_tag(source: str, i: int) -> tuple[_OpenTag, int]:
    start = i
    name_match = _TAG_NAME.match(source, i + 1)  # the pattern matches the empty string too
    name = name_match.group().lower() if name_match else ""
    i = name_match.end() if name_match else i + 1
    if not name or name not in SUPPORTED_TAGS:
        raise EntityParseError(
            f'Unsupported start tag "{name}" at byte offset {_byte_offset(source, start)}'
        )
    attributes: dict[str, str] = {}
    while True:
        if i >= len(source):
            raise EntityParseError(f"Unclosed start tag at byte offset {_byte_offset(source, start)}")
        if source[i] == ">":
            i += 1
            break
        if source[i].isspace():
            i += 1
            continue
        match = _ATTRIBUTE.match(source, i)
        if match is None or match.end() == i:
            raise EntityParseError(
                f'Invalid attribute in the tag "{name}" at byte offset {_byte_offset(source, i)}'
            )
        raw = match.group(2) or ""
        value = raw[1:-1] if raw[:1] in ("'", '"') else raw
        attributes[match.group(1).lower()] = _decode_attribute(value, source, i)
        i = match.end()
    _check_attributes(name, attributes, _byte_offset(source, start))
    return _OpenTag(name, attributes, 0), i


def _decode_attribute(value: str, source: str, i: int) -> str:
    """An attribute value with its character entities decoded."""
    parts: list[str] = []
    j = 0
    while j < len(value):
        if value[j] != "&":
            parts.append(value[j])
            j += 1
            continue
        try:
            decoded, j = _decode_entity(value, j)
        except EntityParseError as error:
            raise EntityParseError(
                f"{error} (in an attribute value at byte offset {_byte_offset(source, i)})"
            ) from None
        parts.append(decoded)
    return "".join(parts)


def _check_attributes(name: str, attributes: dict[str, str], offset: int) -> None:
    if name == "span" and attributes.get("class") != "tg-spoiler":
        raise EntityParseError(f'Tag "span" must have class "tg-spoiler" at byte offset {offset}')
    if name == "a" and not attributes.get("href"):
        raise EntityParseError(f'Tag "a" must have a non-empty href at byte offset {offset}')
    if name == "tg-emoji" and not attributes.get("emoji-id"):
        raise EntityParseError(f'Tag "tg-emoji" must have attribute "emoji-id" at byte offset {offset}')


def _close_tag(
    source: str, i: int, stack: list[_OpenTag], entities: list[Entity], out_len: int
) -> int:
    start = i
    end = source.find(">", i)
    if end == -1:
        raise EntityParseError(f"Unclosed end tag at byte offset {_byte_offset(source, start)}")
    name = source[i + 2 : end].strip().lower()
    if not stack:
        raise EntityParseError(f"Unexpected end tag at byte offset {_byte_offset(source, start)}")
    tag = stack.pop()
    if tag.name != name:
        raise EntityParseError(
            f'Unmatched end tag at byte offset {_byte_offset(source, start)}, '
            f'expected "</{tag.name}>", found "</{name}>"'
        )
    length = out_len - tag.offset
    parent = stack[-1] if stack else None
    if tag.name == "code" and parent is not None and parent.name == "pre":
        language = tag.attributes.get("class", "")
        if language.startswith("language-") and len(language) > len("language-"):
            parent.attributes["language"] = language[len("language-"):]
        return end + 1
    if length > 0:
        entities.append(_entity(tag, length))
    return end + 1


def _entity(tag: _OpenTag, length: int) -> Entity:
    entity: Entity = {"offset": tag.offset, "length": length}
    if tag.name in SIMPLE_TAGS:
        entity["type"] = SIMPLE_TAGS[tag.name]
        if tag.name == "pre" and tag.attributes.get("language"):
            entity["language"] = tag.attributes["language"]
    elif tag.name == "span":
        entity["type"] = "spoiler"
    elif tag.name == "a":
        entity["type"] = "text_link"
        entity["url"] = tag.attributes["href"]
    elif tag.name == "blockquote":
        entity["type"] = "expandable_blockquote" if "expandable" in tag.attributes else "blockquote"
    else:  # tg-emoji
        entity["type"] = "custom_emoji"
        entity["custom_emoji_id"] = tag.attributes["emoji-id"]
    return {"type": entity.pop("type"), **entity}
