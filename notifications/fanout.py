"""One delivery per server process and group: a broadcast reaches a process once and is
encoded once, then written to each of the process's sockets in the group.

Each socket used to join its groups on the channel layer itself, so an alert to the
county group woke every socket's consumer through its own queue and task, which decoded
the message and encoded the frame again: 0.2-0.4 ms of CPU per delivered frame, 1-2 s of
a core per alert at 5,000 sockets a process (docs/performance.md, benchmark 5d). Here a
process joins each group once, on a channel of its own for that group, and hands what
arrives to its sockets in that group:

- a message every socket sends alike (the consumer's frame_for() gives its text) is
  written to each socket as it is (send_frame());
- any other (session.close, which each socket decides for itself) goes through the
  socket's own dispatch(), as channels would have delivered it.

The sockets of one process are in one event loop (daphne), so a socket's frames keep
their order. One GroupFanout per event loop and channel layer.
"""

import asyncio
import logging
import weakref
from dataclasses import dataclass, field
from typing import Any, Protocol

logger = logging.getLogger(__name__)

# Sockets written to before the loop lets others run (new sockets, the reactor's writes).
SOCKETS_PER_TURN = 200


@dataclass(frozen=True)
class Frame:
    """What every socket of a group sends for one message: its text, encoded once, and
    the alert id each socket sends only once (None: send every time)."""

    text: str
    alert_id: int | None = None


class Member(Protocol):
    @classmethod
    async def frame_for(cls, message: dict[str, Any]) -> Frame | None: ...

    async def send_frame(self, frame: Frame) -> None: ...

    async def dispatch(self, message: dict[str, Any]) -> None: ...


@dataclass(eq=False)
class _Group:
    name: str
    members: set = field(default_factory=set)
    lock: asyncio.Lock = field(default_factory=asyncio.Lock)
    channel: str | None = None  # this process's channel in the group, once joined
    task: asyncio.Task | None = None  # receives on the channel


class GroupFanout:
    _by_loop: "weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, GroupFanout]" = (
        weakref.WeakKeyDictionary()
    )

    def __init__(self, layer):
        self.layer = layer
        self.groups: dict[str, _Group] = {}
        self.releasing: set[asyncio.Task] = set()  # kept until done (the loop holds weakly)

    @classmethod
    def of(cls, layer) -> "GroupFanout":
        loop = asyncio.get_running_loop()
        fanout = cls._by_loop.get(loop)
        if fanout is None or fanout.layer is not layer:
            fanout = cls._by_loop[loop] = cls(layer)
        return fanout

    async def join(self, member: Member, name: str) -> None:
        """Deliver the group's messages to `member` from now on. The first socket of a
        process in a group joins it on the layer (and waits for that); the others only
        wait for the first."""
        group = self.groups.get(name)
        if group is None:
            group = self.groups[name] = _Group(name)
        group.members.add(member)
        async with group.lock:
            if self.groups.get(name) is not group:  # left on the layer while we waited
                group.members.discard(member)
                return await self.join(member, name)
            if group.channel is None and member in group.members:
                channel = await self.layer.new_channel()
                try:
                    await self.layer.group_add(name, channel)
                except BaseException:
                    group.members.discard(member)
                    raise
                group.channel = channel
                group.task = asyncio.ensure_future(self._receive(group, channel))

    def leave(self, member: Member, names) -> None:
        """Stop delivering to `member`; a group left without sockets here is left on the
        layer soon after (its channel and task with it). Safe to call twice."""
        for name in names:
            group = self.groups.get(name)
            if group is None or member not in group.members:
                continue
            group.members.discard(member)
            if not group.members:
                task = asyncio.ensure_future(self._release(group))
                self.releasing.add(task)
                task.add_done_callback(self.releasing.discard)

    async def _release(self, group: _Group) -> None:
        async with group.lock:
            if group.members or group.channel is None:
                return  # joined again meanwhile, or never joined
            channel, group.channel = group.channel, None
            if self.groups.get(group.name) is group:
                del self.groups[group.name]
            if group.task is not None:
                group.task.cancel()
            try:
                await self.layer.group_discard(group.name, channel)
            except Exception:  # Redis gone: the group entry expires by itself
                logger.warning("group_discard %s failed", group.name, exc_info=True)

    async def _receive(self, group: _Group, channel: str) -> None:
        while True:
            try:
                message = await self.layer.receive(channel)
            except asyncio.CancelledError:
                raise
            except Exception:  # the layer lost Redis: LayerWatch closes the sockets
                logger.warning("receiving for group %s failed", group.name, exc_info=True)
                await asyncio.sleep(1)
                continue
            await deliver(message, list(group.members))


async def deliver(message: dict[str, Any], members: list) -> None:
    """Send one message to every member: its frame encoded once per consumer class."""
    frames: dict[type, Frame | None] = {}
    for count, member in enumerate(members, 1):
        kind = type(member)
        if kind not in frames:
            frames[kind] = await kind.frame_for(message)
        frame = frames[kind]
        try:
            if frame is None:
                await member.dispatch(message)
            else:
                await member.send_frame(frame)
        except Exception:  # one socket's failure is not the others'
            logger.warning("delivery of %s failed", message.get("type"), exc_info=True)
        if count % SOCKETS_PER_TURN == 0:
            await asyncio.sleep(0)
