"""Reading the operator's YAML files from ``ticketing/config`` (or ``YIJIAN_CONFIG_DIR``)."""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from ticketing.core.settings import load_settings


class ConfigError(ValueError):
    """A configuration file is missing or malformed; raised at start-up, not per request."""


def config_path(name: str, config_dir: Path | None = None) -> Path:
    """Path of a config file by name (``routing.yml``)."""
    return (config_dir or load_settings().config_dir) / name


@lru_cache(maxsize=32)
def _read(path: Path) -> Any:
    try:
        with path.open(encoding="utf-8") as handle:
            return yaml.safe_load(handle) or {}
    except FileNotFoundError as exc:
        raise ConfigError(f"config file not found: {path}") from exc
    except yaml.YAMLError as exc:
        raise ConfigError(f"config file is not valid YAML: {path}: {exc}") from exc


def load_yaml(name: str, config_dir: Path | None = None) -> Any:
    """Parsed content of a config file; cached, because the files change only on redeploy."""
    return _read(config_path(name, config_dir))
