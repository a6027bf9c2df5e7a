"""Per-channel settings on Slack surfaces: their section of App Home, and the modal admins edit
them in. Pure view building (slack_sdk's typed blocks, so Slack's field names are checked by the
SDK); bot/listeners/settings.py opens, validates and saves."""
from __future__ import annotations

import json
import re

from slack_sdk.models.blocks import (ActionsBlock, ButtonElement, CheckboxesElement, ContextBlock,
                                     ConversationFilter, ConversationSelectElement, DividerBlock, InputBlock,
                                     MarkdownTextObject, Option, PlainTextInputElement, PlainTextObject, SectionBlock,
                                     StaticSelectElement)
from slack_sdk.models.views import View


from .formatting import escape, truncate
from .strings import words

CALLBACK = "flowrag_channel_settings"
ACTION_EDIT = "flowrag_channel_settings_edit"
ACTION_ADD = "flowrag_channel_settings_add"
BLOCK_IDS = ("channel", "techs", "pipelines", "language", "timezone", "mute")
ACTION = "value"  # every input's action_id: the block id says which field it is
MAX_LISTED = 25  # channels in App Home; a Home view holds 100 blocks in all
_CHANNEL_ID = re.compile(r"[CGD][A-Z0-9]{2,}")


def _t(language: str) -> dict:
    return words(language)


def channel_ref(channel: str) -> str:
    # only a well-formed id goes inside <#…>: anything else is shown, escaped, as typed
    return f"<#{channel}>" if _CHANNEL_ID.fullmatch(channel or "") else escape(channel or "?")


def describe(cs, language: str, default_tz: str) -> str:
    """One line: "filter: Spark · language: fr · timezone: Asia/Tokyo · 🔕 muted"."""
    t = _t(language)
    if cs is None:
        return t["settings_defaults"]
    parts = [t["settings_filter"].format(names=escape(", ".join(cs.names))) if cs.names else t["settings_no_filter"]]
    if cs.language in ("fr", "en"):
        parts.append(t["settings_lang"].format(lang=cs.language))
    if cs.timezone and cs.timezone != default_tz:
        parts.append(t["settings_tz"].format(tz=escape(cs.timezone)))
    if cs.muted:
        parts.append(t["settings_muted"])
    return " · ".join(parts)


def home_blocks(settings: list, roles: dict[str, list[str]], *, is_admin: bool, language: str,
                default_tz: str) -> list[dict]:
    """The App Home section: each channel with settings, and each channel flowrag posts in (its
    digest, its alerts) even without any, so admins see where the defaults apply; Edit buttons
    and "Set up a channel…" for admins only."""
    t = _t(language)
    by_channel = {s.channel: s for s in settings}
    channels = list(dict.fromkeys([*roles, *by_channel]))[:MAX_LISTED]
    blocks: list = [DividerBlock(), SectionBlock(text=MarkdownTextObject(text=t["settings_head"]))]
    if not by_channel:
        blocks.append(ContextBlock(elements=[MarkdownTextObject(text=t["settings_none"])]))
    for channel in channels:
        cs = by_channel.get(channel)
        what = ", ".join(t[f"settings_{r}"] for r in roles.get(channel, []))
        line = f"{channel_ref(channel)}{f' ({what})' if what else ''} — {describe(cs, language, default_tz)}"
        accessory = ButtonElement(text=t["settings_edit"], action_id=ACTION_EDIT, value=channel) if is_admin else None
        blocks.append(SectionBlock(text=MarkdownTextObject(text=line), accessory=accessory,
                                   block_id=f"flowrag_settings_{channel}"[:255]))
        if cs is not None and cs.updated_by:
            blocks.append(ContextBlock(elements=[MarkdownTextObject(text=t["settings_by"].format(
                user=escape(cs.updated_by), when=cs.updated_at[:16].replace("T", " ")))]))
    if is_admin:
        blocks.append(ActionsBlock(block_id="flowrag_settings_add", elements=[
            ButtonElement(text=t["settings_add"], action_id=ACTION_ADD, value="")]))
    return [b.to_dict() for b in blocks]


def _examples(names: list[str], limit: int = 12) -> str:
    shown = ", ".join(names[:limit]) + (", …" if len(names) > limit else "")
    return truncate(shown, 1200) or "—"


def modal(cs, channel: str | None, vocabulary: dict, *, language: str, default_tz: str,
          default_language: str) -> dict:
    """The settings modal, filled in with the channel's current settings (none for a new one)."""
    t = _t(language)
    techs = sorted(v for k, v in (vocabulary.get("tech") or {}).items() if k and k != "unknown")
    pipes = sorted(v for k, v in (vocabulary.get("pipeline") or {}).items() if k and k != "unknown")
    lang_options = [Option(value="auto", text=t["settings_lang_auto"].format(default=default_language)[:75]),
                    Option(value="fr", text=t["settings_lang_fr"]), Option(value="en", text=t["settings_lang_en"])]
    current_lang = cs.language if cs else "auto"
    mute = Option(value="muted", text=t["settings_mute_option"][:75])

    def text_input(value: str, placeholder: str = "") -> PlainTextInputElement:
        return PlainTextInputElement(action_id=ACTION, initial_value=value or None,
                                     placeholder=placeholder[:150] or None, max_length=2000)

    blocks = [
        InputBlock(block_id="channel", label=t["settings_channel"],
                   element=ConversationSelectElement(action_id=ACTION, initial_conversation=channel or None,
                                                     filter=ConversationFilter(include=["public", "private"],
                                                                               exclude_bot_users=True))),
        InputBlock(block_id="techs", label=t["settings_techs"], optional=True,
                   hint=t["settings_techs_hint"].format(examples=_examples(techs))[:2000],
                   element=text_input(", ".join(cs.techs) if cs else "", ", ".join(techs[:3]))),
        InputBlock(block_id="pipelines", label=t["settings_pipelines"], optional=True,
                   hint=t["settings_pipelines_hint"].format(examples=_examples(pipes))[:2000],
                   element=text_input(", ".join(cs.pipelines) if cs else "", ", ".join(pipes[:2]))),
        InputBlock(block_id="language", label=t["settings_language"],
                   element=StaticSelectElement(action_id=ACTION, options=lang_options,
                                               initial_option=next(o for o in lang_options
                                                                   if o.value == current_lang))),
        InputBlock(block_id="timezone", label=t["settings_timezone"], optional=True,
                   hint=t["settings_timezone_hint"].format(tz=default_tz)[:2000],
                   element=text_input(cs.timezone if cs else "", default_tz)),
        InputBlock(block_id="mute", label=t["settings_mute"], optional=True,
                   element=CheckboxesElement(action_id=ACTION, options=[mute],
                                             initial_options=[mute] if cs and cs.muted else None)),
        ContextBlock(elements=[MarkdownTextObject(text=t["settings_reset"])]),
    ]
    view = View(type="modal", callback_id=CALLBACK, title=PlainTextObject(text=t["settings_modal_title"][:24]),
                submit=PlainTextObject(text=t["settings_save"][:24]),
                close=PlainTextObject(text=t["settings_cancel"][:24]), blocks=blocks,
                private_metadata=json.dumps({"language": language}))
    return view.to_dict()
