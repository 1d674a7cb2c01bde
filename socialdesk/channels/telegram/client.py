"""Telegram outbound through python-telegram-bot (async; run to completion per call). The Bot API
has no idempotency and no history for bots, so a send whose fate is unknown is left to an agent."""

from __future__ import annotations

import asyncio
import warnings
from collections.abc import Awaitable, Callable
from typing import Any

import telegram
from django.conf import settings
from telegram.error import BadRequest, Forbidden, InvalidToken, NetworkError, RetryAfter, TelegramError
from telegram.request import HTTPXRequest

from socialdesk.channels.errors import DeliveryError
from socialdesk.channels.models import Channel

TELEGRAM = "https://api.telegram.org"


def _bot(channel: Channel) -> telegram.Bot:
    base = (
        str(channel.config.get("api_base", ""))
        or settings.SOCIALDESK_API_BASES.get("telegram", "")
        or TELEGRAM
    )
    token = str(channel.credentials.get("bot_token", ""))
    request = HTTPXRequest(connect_timeout=5.0, read_timeout=20.0, write_timeout=20.0)
    return telegram.Bot(token, base_url=f"{base.rstrip('/')}/bot", request=request)


def run[T](channel: Channel, call: Callable[[telegram.Bot], Awaitable[T]]) -> T:
    """One Bot API call, its failures as DeliveryError."""

    async def go() -> T:
        async with _bot(channel) as bot:
            return await call(bot)

    try:
        return asyncio.run(go())
    except RetryAfter as exc:
        with warnings.catch_warnings():  # PTB 22 warns that retry_after becomes a timedelta later
            warnings.simplefilter("ignore")
            after: Any = exc.retry_after
        wait = after.total_seconds() if hasattr(after, "total_seconds") else after
        raise DeliveryError(
            f"Telegram answered: {exc.message}", permanent=False, retry_after=float(wait)
        ) from exc
    except InvalidToken as exc:  # PTB's own message repeats the token: never show or log it
        raise DeliveryError("Telegram rejected the bot token (401 Unauthorized)", permanent=True) from exc
    except (Forbidden, BadRequest) as exc:
        raise DeliveryError(f"Telegram answered: {exc.message}", permanent=True) from exc
    except NetworkError as exc:  # TimedOut is a NetworkError
        raise DeliveryError(f"Telegram could not be reached: {exc.message}", permanent=False) from exc
    except TelegramError as exc:
        raise DeliveryError(f"Telegram answered: {exc.message}", permanent=False) from exc


def split_key(key: str) -> tuple[int, int]:
    chat, _, message = key.partition(":")
    return int(chat), int(message)


def send(channel: Channel, chat_id: int | str, text: str, reply_to: int | None) -> str:
    params: dict[str, Any] = {"chat_id": chat_id, "text": text}
    if reply_to is not None:
        params["reply_parameters"] = telegram.ReplyParameters(
            message_id=reply_to, allow_sending_without_reply=True
        )
    sent = run(channel, lambda bot: bot.send_message(**params))
    return f"{sent.chat_id}:{sent.message_id}"


def delete(channel: Channel, key: str) -> None:
    chat_id, message_id = split_key(key)
    run(channel, lambda bot: bot.delete_message(chat_id=chat_id, message_id=message_id))


def who_am_i(channel: Channel) -> dict[str, str]:
    me = run(channel, lambda bot: bot.get_me())
    return {"id": str(me.id), "username": me.username or ""}


def check_account(channel: Channel) -> tuple[str, dict[str, str]]:
    """Account setup: (@bot name, the bot's id) once Telegram accepts the token."""
    bot = who_am_i(channel)
    return f"@{bot['username']}", {"bot_id": bot["id"]}
