"""Rendered fragments kept per app: a small LRU for pages and parts that many requests share.

The caller's key must hold everything the fragment depends on (language, the database
rows it shows, the address): a change of any of them is a new entry, never a stale one.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable, Sequence
from typing import TypeVar, cast

from flask import current_app

T = TypeVar("T")
_lock = threading.Lock()


def kept(name: str, key: Hashable, render: Callable[[], T], limit: int) -> T:
    """Return the entry of key in this app's cache `name`, rendering and keeping it if new.

    At most `limit` entries are kept; the one used longest ago goes first.
    """
    return kept_each(name, (key,), lambda _key: render(), limit)[0]


def kept_each(name: str, keys: Sequence[Hashable], render: Callable[[Hashable], T],
              limit: int) -> list[T]:
    """Return the entry of each key in this app's cache `name`, rendering the new ones.

    For the many parts of one page (e.g. its rows): one lock round for the lookups and one
    for the new entries. At most `limit` entries are kept, as in kept().
    """
    cache: OrderedDict = current_app.extensions.setdefault(name, OrderedDict())
    with _lock:
        found: list[T | None] = [cache.get(key) for key in keys]
        for key, entry in zip(keys, found, strict=True):
            if entry is not None:
                cache.move_to_end(key)
    missing = [i for i, entry in enumerate(found) if entry is None]
    for i in missing:
        found[i] = render(keys[i])  # outside the lock: rendering may take a while
    if missing:
        with _lock:
            for i in missing:
                cache[keys[i]] = found[i]
            while len(cache) > limit:
                cache.popitem(last=False)
    return cast(list[T], found)  # every entry is filled now
