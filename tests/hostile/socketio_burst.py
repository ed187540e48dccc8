"""Run with the bot's Python (it has python-socketio): one widget-like socket.io session sends a burst.

Usage: python socketio_burst.py RASA_URL COUNT  → prints the bot's texts as a JSON list.
The test (ticketing environment, no socket.io client there) starts this as a subprocess.
"""
import asyncio
import json
import sys
import uuid

import socketio


async def burst(url: str, count: int) -> list:
    client = socketio.AsyncClient()
    texts: list = []
    confirmed = asyncio.Event()
    session = f"burst-{uuid.uuid4().hex[:10]}"

    @client.on("bot_uttered")
    async def on_bot(data):  # type: ignore[no-untyped-def]
        texts.append(data.get("text", "") if isinstance(data, dict) else str(data))

    @client.on("session_confirm")
    async def on_confirm(_session):  # type: ignore[no-untyped-def]
        confirmed.set()

    # long-polling: the engine.io client of this venv cannot open websockets with its older aiohttp
    await client.connect(url, socketio_path="/socket.io", transports=["polling"])
    await client.emit("session_request", {"session_id": session})
    await asyncio.wait_for(confirmed.wait(), 30)
    for _ in range(count):  # a tap every 0.1 s; engine.io refuses polling payloads of more than 16 packets
        await client.emit("user_uttered", {"message": "/greet", "session_id": session})
        await asyncio.sleep(0.1)
    await client.emit("user_uttered", [1, 2, 3])  # malformed: must be dropped, not crash the server
    quiet = 0
    for _ in range(180):  # wait until no answer arrived for 8 s (Rasa answers one turn at a time, slowly under load)
        before = len(texts)
        await asyncio.sleep(1.0)
        quiet = quiet + 1 if len(texts) == before else 0
        if texts and quiet >= 8:
            break
    await client.disconnect()
    return texts


if __name__ == "__main__":
    print(json.dumps(asyncio.run(burst(sys.argv[1], int(sys.argv[2]))), ensure_ascii=False))
