"""Parties' identities: masking for display, keyed hashes for matching, encryption at rest."""

import hashlib
import hmac
import re

from cryptography.fernet import Fernet
from django.conf import settings

ID_NUMBER_RE = re.compile(r"^[0-9]{17}[0-9Xx]$")


def mask_name(name: str) -> str:
    """张三 -> 张*, 欧阳娜娜 -> 欧***."""
    return name[:1] + "*" * (len(name) - 1) if name else ""


def mask_phone(phone: str) -> str:
    """13812345678 -> 138****5678."""
    digits = phone.strip()
    if len(digits) < 8:
        return "*" * len(digits)
    return digits[:3] + "*" * (len(digits) - 7) + digits[-4:]


def mask_id_number(number: str) -> str:
    """360425199001011234 -> 3604**********1234."""
    return number[:4] + "*" * (len(number) - 8) + number[-4:] if number else ""


def _keyed_hash(text: str) -> str:
    key = settings.PARTY_HASH_KEY.encode()
    return hmac.new(key, text.encode(), hashlib.sha256).hexdigest()


def id_number_hash(number: str) -> str:
    return _keyed_hash("id:" + number.upper()) if number else ""


def name_phone_hash(name: str, phone: str) -> str:
    if not (name and phone):
        return ""
    return _keyed_hash("np:" + name.strip() + "|" + re.sub(r"\D", "", phone))


def _fernet() -> Fernet:
    return Fernet(settings.PARTY_ENCRYPTION_KEY.encode())


def id_number_encrypt(number: str) -> str:
    return _fernet().encrypt(number.upper().encode()).decode() if number else ""


def id_number_decrypt(token: str) -> str:
    return _fernet().decrypt(token.encode()).decode() if token else ""


def id_number_valid(number: str) -> bool:
    """An 18-character resident ID number with a correct check digit (GB 11643)."""
    if not ID_NUMBER_RE.match(number):
        return False
    weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
    total = sum(int(d) * w for d, w in zip(number[:17], weights, strict=True))
    return "10X98765432"[total % 11] == number[17].upper()
