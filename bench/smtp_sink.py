"""A lean SMTP sink for benchmarks: accepts every message, keeps only when each Message-ID came.

One asyncio loop, one protocol object per connection, commands parsed from the bytes as they
arrive; it offers PIPELINING, answers each group of pipelined commands in one write, and never
parses a message beyond its headers. A general SMTP server (aiosmtpd) costs several times more
CPU per message, which on a small machine would make the sink, not the workers, the limit.

Run alone: .venv/bin/python bench/smtp_sink.py --port 2525 (Ctrl-C prints what it received).
"""

from __future__ import annotations

import argparse
import asyncio
import re
import time
from collections.abc import Callable
from typing import Any

MESSAGE_ID = re.compile(rb"^Message-ID:\s*(<[^>\r\n]+>)", re.IGNORECASE | re.MULTILINE)
END_OF_DATA = b"\r\n.\r\n"
EHLO_REPLY = b"250-sink\r\n250-PIPELINING\r\n250-8BITMIME\r\n250 SIZE 33554432\r\n"
REPLIES = {
    b"HELO": b"250 sink\r\n",
    b"MAIL": b"250 OK\r\n",
    b"RCPT": b"250 OK\r\n",
    b"RSET": b"250 OK\r\n",
    b"NOOP": b"250 OK\r\n",
    b"DATA": b"354 End data with <CR><LF>.<CR><LF>\r\n",
    b"QUIT": b"221 Bye\r\n",
}


class SinkProtocol(asyncio.Protocol):
    """One SMTP connection; `arrivals` (shared) gets {key: time.time()} per message, the key
    being the first group of `key` matched in the message's headers (its Message-ID unless
    told otherwise)."""

    def __init__(self, arrivals: dict[str, float], key: re.Pattern[bytes] = MESSAGE_ID) -> None:
        self.arrivals = arrivals
        self.key = key
        self.buffer = bytearray()
        self.in_data = False
        #: Where to resume looking for the end of the message, so a large one is scanned once.
        self.scanned = 0
        self.transport: Any = None

    def connection_made(self, transport: Any) -> None:
        self.transport = transport
        transport.write(b"220 sink ESMTP\r\n")

    def data_received(self, data: bytes) -> None:
        self.buffer += data
        replies = []
        while True:
            reply = self._message() if self.in_data else self._command()
            if reply is None:
                break
            replies.append(reply)
        if replies:
            self.transport.write(b"".join(replies))
            if replies[-1] == REPLIES[b"QUIT"]:
                self.transport.close()

    def _command(self) -> bytes | None:
        end = self.buffer.find(b"\r\n")
        if end < 0:
            return None
        verb = bytes(self.buffer[:4]).upper()
        del self.buffer[: end + 2]
        if verb == b"EHLO":
            return EHLO_REPLY
        if verb == b"DATA":
            self.in_data, self.scanned = True, 0
        return REPLIES.get(verb, b"500 Unknown command\r\n")

    def _message(self) -> bytes | None:
        if self.buffer.startswith(b".\r\n"):  # an empty message
            end, content_end = 0, 0
        else:
            end = self.buffer.find(END_OF_DATA, self.scanned)
            if end < 0:
                self.scanned = max(0, len(self.buffer) - len(END_OF_DATA))
                return None
            content_end, end = end + 2, end + 2
        headers_end = self.buffer.find(b"\r\n\r\n", 0, content_end)
        match = self.key.search(self.buffer, 0, headers_end if headers_end >= 0 else content_end)
        if match:
            self.arrivals[match.group(1).decode()] = time.time()
        del self.buffer[: end + 3]
        self.in_data = False
        return b"250 OK queued\r\n"


async def serve(
    port: int,
    arrivals: dict[str, float],
    stop: asyncio.Event,
    listening: Callable[[], object] = lambda: None,
    key: re.Pattern[bytes] = MESSAGE_ID,
) -> None:
    """Accept SMTP connections on 127.0.0.1:`port` until `stop` is set; `listening()` is
    called once connections are accepted. `key` says what names a message in `arrivals`."""
    loop = asyncio.get_running_loop()
    server = await loop.create_server(lambda: SinkProtocol(arrivals, key), "127.0.0.1", port)
    async with server:
        listening()
        await stop.wait()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--port", type=int, default=2525)
    arguments = parser.parse_args()
    arrivals: dict[str, float] = {}
    try:
        asyncio.run(serve(arguments.port, arrivals, asyncio.Event()))
    except KeyboardInterrupt:
        print(f"{len(arrivals)} messages, {time.process_time():.2f} CPU seconds")


if __name__ == "__main__":
    main()
