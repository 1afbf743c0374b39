"""Tokens and masks for personal data: the only forms in which ID numbers and mobiles leave raw/staging.

A token is a keyed hash (HMAC-SHA256) of the normalised value, so the same ID number gives the same token in every
table and joins still work, but nobody without the key can reverse it or test a guess. The key comes from
`PII_TOKEN_KEY`; when it is unset (a local machine), a random key is generated once into
`$LAKEHOUSE_DATA_DIR/secrets/pii_token.key` (mode 0600) — never into the repository or the warehouse.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
import threading
from functools import cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from orchestration.config import Settings

TOKEN_PREFIX = "tk_"
TOKEN_HEX_CHARS = 32  # 128 bits of the HMAC: collision-free at any realistic customer count
TOKEN_PATTERN = rf"^{TOKEN_PREFIX}[0-9a-f]{{{TOKEN_HEX_CHARS}}}$"


_KEY_LOCK = threading.Lock()


@cache
def _cached_key() -> bytes:
    from orchestration.config import load_settings

    return token_key_of(load_settings())


def token_key_of(settings: Settings) -> bytes:
    """The key of a lake: its settings' `PII_TOKEN_KEY`, else its data dir's own key file (created once). For a
    process that works on another data dir than its environment's (the benchmark's floors)."""
    if settings.pii_token_key:
        return settings.pii_token_key.encode("utf-8")
    path = settings.data_dir / "secrets" / "pii_token.key"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:  # another process created it first: use theirs
            pass
        else:
            with os.fdopen(fd, "w") as handle:
                handle.write(secrets.token_hex(32))
    return path.read_text().strip().encode("utf-8")


def token_key() -> bytes:
    # DuckDB calls the pii_token UDF from several threads at once: create and read the key once, under a lock.
    with _KEY_LOCK:
        return _cached_key()


def normalise(value: str) -> str:
    return value.strip().upper()


def tokenize(value: str | None, key: bytes | None = None) -> str | None:
    if value is None or not value.strip():
        return None
    digest = hmac.new(key or token_key(), normalise(value).encode("utf-8"), hashlib.sha256).hexdigest()
    return TOKEN_PREFIX + digest[:TOKEN_HEX_CHARS]


def mask_id_number(value: str | None) -> str | None:
    """`110101199001011234` → `110***********1234`: area prefix and last four only."""
    if not value:
        return None
    value = normalise(value)
    return value[:3] + "*" * (len(value) - 7) + value[-4:] if len(value) > 7 else "*" * len(value)


def mask_mobile(value: str | None) -> str | None:
    """`13812345678` → `138****5678`."""
    if not value:
        return None
    value = value.strip()
    return value[:3] + "*" * (len(value) - 7) + value[-4:] if len(value) > 7 else "*" * len(value)
