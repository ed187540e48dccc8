"""Where things live in a checkout; every other launcher module asks here."""

from __future__ import annotations

from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
BOT_VENV = REPO / ".venvs" / "bot"
TICKETING_VENV = REPO / ".venvs" / "ticketing"
MODELS = REPO / "models"
RUN_LOGS = REPO / ".run"


def bot_bin(name: str) -> str:
    """A console script of the bot's Python 3.10 environment (rasa, python)."""
    return str(BOT_VENV / "bin" / name)


def ticketing_bin(name: str) -> str:
    """A console script of the ticketing service's environment (uvicorn, python)."""
    return str(TICKETING_VENV / "bin" / name)
