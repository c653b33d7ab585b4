"""Running the blocking part of a verification off the event loop (internal).

``verify_async`` methods first try the native warm path, which needs no I/O (fresh cached keys,
errors found before any key lookup, cool-down refusals) and answers on the calling thread. Only
when a key must be fetched is the blocking native call (which releases the GIL for the whole
fetch and verification) run on a small thread pool owned by pocket-sign, so a slow or hanging
key endpoint never holds the event loop, the GIL, or the loop's default executor (used for DNS
lookups). Concurrent misses are coalesced by the Rust core's key cache: however many coroutines
wait, one fetch per endpoint is made.
"""

from __future__ import annotations

import asyncio
import os
import threading
from concurrent.futures import ThreadPoolExecutor
from typing import Callable, Optional, TypeVar

T = TypeVar("T")

#: Threads running key fetches; misses coalesce in the core, so a few suffice.
MAX_WORKERS = 8

_executor: Optional[ThreadPoolExecutor] = None
_lock = threading.Lock()


def _get_executor() -> ThreadPoolExecutor:
    global _executor
    ex = _executor
    if ex is None:
        with _lock:
            ex = _executor
            if ex is None:
                ex = _executor = ThreadPoolExecutor(max_workers=MAX_WORKERS, thread_name_prefix="pocket_sign-fetch")
    return ex


def _reset_after_fork() -> None:
    # A forked child (gunicorn/uwsgi with preload) has none of the parent's pool threads.
    global _executor, _lock
    _executor = None
    _lock = threading.Lock()


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_reset_after_fork)


async def run_blocking(fn: Callable[..., T], *args: object) -> T:
    """Awaits ``fn(*args)`` run on pocket-sign's fetch thread pool."""
    loop = asyncio.get_running_loop()
    return await loop.run_in_executor(_get_executor(), fn, *args)
