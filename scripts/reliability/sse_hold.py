#!/usr/bin/env python3
"""Opens N live-update streams (Server-Sent Events) and holds them open.

Used by load.sh: every stream must answer 200 and deliver its first
`tasks` event; then all are held for HOLD seconds while the load runs,
counting events, and a stream that ends or fails before then is a drop.
Prints `ready N` once all are open, and a JSON summary at the end.

usage: sse_hold.py HOST PORT PATH TOKEN COUNT HOLD_SECS
"""

import asyncio
import json
import sys
import time


async def one_stream(host, port, path, token, hold_until, stats, opened):
    try:
        reader, writer = await asyncio.wait_for(
            asyncio.open_connection(host, port, limit=16 * 1024 * 1024), timeout=30
        )
    except Exception:
        stats["connect_failed"] += 1
        opened.release()
        return
    try:
        writer.write(
            (
                f"GET {path} HTTP/1.1\r\nHost: {host}:{port}\r\n"
                f"Authorization: Bearer {token}\r\nAccept: text/event-stream\r\n\r\n"
            ).encode()
        )
        await writer.drain()
        status = await asyncio.wait_for(reader.readline(), timeout=60)
        if b" 200 " not in status:
            stats["bad_status"] += 1
            opened.release()
            return
        got_first = False
        while True:
            left = hold_until() - time.monotonic()
            if got_first and left <= 0:
                stats["held_to_end"] += 1
                return
            try:
                line = await asyncio.wait_for(
                    reader.readline(), timeout=max(left, 0.1) if got_first else 60
                )
            except asyncio.TimeoutError:
                if not got_first:
                    stats["no_first_event"] += 1
                    opened.release()
                    return
                continue
            if not line:
                stats["dropped"] += 1
                if not got_first:
                    opened.release()
                return
            if line.startswith(b"event: tasks"):
                stats["events"] += 1
                if not got_first:
                    got_first = True
                    stats["first_event"] += 1
                    opened.release()
    except Exception:
        stats["errors"] += 1
    finally:
        writer.close()


async def main():
    host, port, path, token = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]
    count, hold = int(sys.argv[5]), float(sys.argv[6])
    stats = dict.fromkeys(
        [
            "first_event",
            "events",
            "held_to_end",
            "dropped",
            "bad_status",
            "no_first_event",
            "connect_failed",
            "errors",
        ],
        0,
    )
    opened = asyncio.Semaphore(0)
    deadline = {"at": float("inf")}
    tasks = [
        asyncio.create_task(
            one_stream(host, port, path, token, lambda: deadline["at"], stats, opened)
        )
        for _ in range(count)
    ]
    for _ in range(count):
        await opened.acquire()
    print(f"ready {stats['first_event']}", flush=True)
    # The hold starts once every stream is open (or has failed).
    deadline["at"] = time.monotonic() + hold
    await asyncio.gather(*tasks)
    stats["streams"] = count
    print(json.dumps(stats), flush=True)


asyncio.run(main())
