"""The SMS backends that ship with the platform; a provider's backend has the same shape."""

import logging
import re
import sys
from dataclasses import dataclass
from datetime import datetime

logger = logging.getLogger("sms")
MOBILE_RE = re.compile(r"^1[3-9][0-9]{9}$")

# What MemoryBackend sent, oldest first (tests read and clear it).
outbox: list["Message"] = []


class SmsError(Exception):
    """The message could not be sent (a wrong number, the gateway down)."""


@dataclass(frozen=True)
class Message:
    to: str
    text: str
    at: datetime


class BaseBackend:
    """Checks the number; subclasses deliver. `send` raises SmsError when it cannot."""

    def __init__(self, **options):
        self.options = options

    def send(self, to: str, text: str) -> None:
        if not MOBILE_RE.match(to or ""):
            raise SmsError(f"not a mainland mobile number: {to!r}")
        self.deliver(Message(to, text, datetime.now()))

    def deliver(self, message: Message) -> None:
        raise NotImplementedError


class ConsoleBackend(BaseBackend):
    """Development: the message is written to standard output and the `sms` log."""

    def deliver(self, message: Message) -> None:
        line = f"SMS to {message.to}: {message.text}"
        logger.info(line)
        print(line, file=self.options.get("stream") or sys.stdout, flush=True)


class MemoryBackend(BaseBackend):
    """Tests: the message is kept in `outbox`."""

    def deliver(self, message: Message) -> None:
        outbox.append(message)
