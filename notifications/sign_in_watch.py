"""The sign-ins of a server process's open /ws/alerts/ sockets, checked together.

One SignInWatch per event loop (a daphne process) does two things with
notifications.auth.sign_ins, which checks any number of sockets in a fixed number of
queries:

- check(): a connecting socket's sign-in. The sockets that connect while a check runs
  on the database thread wait for the next one and share it, so a crowd connecting
  costs a few queries a batch instead of a thread hop and several queries a socket.
- watch(): the open sockets' sign-ins again, all of them every
  LABORCASE_WS_RECHECK_SECONDS, and each session's socket when the session is due to
  end; a socket whose sign-in no longer holds (session gone or expired, token deleted
  or expired, user deactivated or deleted, password, role or townships changed) is told
  (consumer.sign_in_lost(), which closes it with 4401). The signals close sockets at
  once on the changes they see (notifications.handlers); this is for what they cannot
  see: a bulk update, raw SQL, a deleted token, time.

Before, each socket re-checked itself once a minute on the same one database thread
(channels' database_sync_to_async): at 4,000 sockets a process that was 70 checks a
second, and new sockets' checks waited behind them past daphne's 5 s handshake timeout
(docs/performance.md).
"""

import asyncio
import logging
import weakref
from collections.abc import Sequence

from channels.db import database_sync_to_async
from django.conf import settings
from django.utils import timezone

from notifications import auth

logger = logging.getLogger(__name__)

# A session's end is checked this long after the time it would end (clock skew).
EXPIRY_MARGIN_SECONDS = 0.5


def interval() -> float:
    return float(getattr(settings, "LABORCASE_WS_RECHECK_SECONDS", 60))


class SignInWatch:
    _by_loop: "weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, SignInWatch]" = (
        weakref.WeakKeyDictionary()
    )

    def __init__(self):
        self.loop = asyncio.get_running_loop()
        # Checks asked for and not yet begun, and the task that runs them.
        self.waiting: list[tuple[auth.Credentials, asyncio.Future]] = []
        self.checker: asyncio.Task | None = None
        # Open socket -> the loop time its session ends (plus the margin), or None.
        self.sockets: dict[object, float | None] = {}
        self.watcher: asyncio.Task | None = None
        self.wake_at = float("inf")  # when the watcher looks next (loop time)
        self.sooner = asyncio.Event()  # a socket added whose session ends before that

    @classmethod
    def of_this_loop(cls) -> "SignInWatch":
        loop = asyncio.get_running_loop()
        watch = cls._by_loop.get(loop)
        if watch is None:
            watch = cls._by_loop[loop] = cls()
        return watch

    # --- a new socket's check -------------------------------------------------------------

    async def check(self, credentials: auth.Credentials) -> auth.SignIn | None:
        future = self.loop.create_future()
        self.waiting.append((credentials, future))
        if self.checker is None or self.checker.done():
            self.checker = asyncio.ensure_future(self._check_waiting())
        return await future

    async def _check_waiting(self):
        while self.waiting:
            batch, self.waiting = self.waiting[: auth.CHUNK], self.waiting[auth.CHUNK :]
            try:
                found = await database_sync_to_async(auth.sign_ins)([c for c, _f in batch])
            except Exception as error:  # each socket's connect fails as it did on its own
                found = [error] * len(batch)
            for (_credentials, future), result in zip(batch, found, strict=True):
                if future.done():  # the socket went away while it waited
                    continue
                if isinstance(result, Exception):
                    future.set_exception(result)
                else:
                    future.set_result(result)

    # --- the open sockets -----------------------------------------------------------------

    def add(self, consumer) -> None:
        """Watch a socket whose sign-in (consumer.signed_in) has just been checked."""
        ends_at = self.sockets[consumer] = self._ends_at(consumer.signed_in)
        if self.watcher is None or self.watcher.done():
            self.watcher = asyncio.ensure_future(self._watch())
        elif ends_at is not None and ends_at < self.wake_at:
            self.sooner.set()

    def discard(self, consumer) -> None:
        # The watcher ends by itself when it next finds no socket (a wake-up per closed
        # socket would cost a pass over all of them each).
        self.sockets.pop(consumer, None)

    async def _watch(self):
        last_round = self.loop.time()
        while self.sockets:
            # Read each time: a test (or an operator's settings change) may shorten it.
            next_round = last_round + interval()
            ends = [at for at in self.sockets.values() if at is not None]
            self.wake_at = min([next_round, *ends])
            self.sooner.clear()
            try:
                async with asyncio.timeout_at(self.wake_at):
                    await self.sooner.wait()
                continue  # a new socket whose session ends before wake_at
            except TimeoutError:
                pass
            now = self.loop.time()
            if now >= next_round:
                due, last_round = list(self.sockets), now
            else:
                due = [s for s, at in self.sockets.items() if at is not None and at <= now]
            await self._recheck(due)

    async def _recheck(self, consumers: Sequence) -> None:
        for start in range(0, len(consumers), auth.CHUNK):
            chunk = [c for c in consumers[start : start + auth.CHUNK] if c in self.sockets]
            if not chunk:
                continue
            try:
                found = await database_sync_to_async(auth.sign_ins)(
                    [c.signed_in.credentials for c in chunk]
                )
            except Exception:  # the database away for a moment: keep them, ask next round
                logger.warning("socket sign-in re-check failed", exc_info=True)
                for consumer in chunk:
                    if consumer in self.sockets:
                        self.sockets[consumer] = None
                continue
            for consumer, sign_in in zip(chunk, found, strict=True):
                if consumer not in self.sockets:  # closed while the check ran
                    continue
                if self._still_holds(consumer.signed_in, sign_in):
                    consumer.signed_in = sign_in
                    self.sockets[consumer] = self._ends_at(sign_in)
                else:
                    del self.sockets[consumer]
                    try:
                        await consumer.sign_in_lost()
                    except Exception:  # already gone; the others are still watched
                        logger.debug("closing a socket failed", exc_info=True)

    @staticmethod
    def _still_holds(before: auth.SignIn, now: auth.SignIn | None) -> bool:
        """Signed in still, as the same active user, who would join the same groups."""
        return (
            now is not None
            and now.user.pk == before.user.pk
            and now.user.is_active
            and now.audience.groups == before.audience.groups
        )

    def _ends_at(self, sign_in: auth.SignIn) -> float | None:
        if sign_in.expires_at is None:
            return None
        left = (sign_in.expires_at - timezone.now()).total_seconds()
        return self.loop.time() + max(left, 0) + EXPIRY_MARGIN_SECONDS
