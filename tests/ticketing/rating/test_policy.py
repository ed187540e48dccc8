"""The 回访 numbers from config/followup.yml, and their checks (no database)."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from ticketing.core.configfiles import ConfigError
from ticketing.domain.followup import FollowUpPolicy, default_followup

NOW = datetime(2026, 12, 2, 8, 0, tzinfo=timezone.utc)


def test_shipped_numbers() -> None:
    policy = default_followup()
    assert (policy.link_hours, policy.queue_after_hours, policy.max_unreachable) == (168, 48, 3)
    assert policy.link_expires(NOW) == NOW + timedelta(days=7)
    assert policy.queue_cutoff(NOW) == NOW - timedelta(hours=48)
    assert not policy.gave_up(2) and policy.gave_up(3)


@pytest.mark.parametrize("data", [{"link_hours": 0}, {"queue_after_hours": "soon"}, {"unknown": 1}])
def test_bad_numbers_are_refused_at_start(data: dict) -> None:
    with pytest.raises(ConfigError):
        FollowUpPolicy.from_data(data)


def test_a_config_folder_without_the_file_uses_the_built_in_numbers(tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("YIJIAN_CONFIG_DIR", str(tmp_path))
    assert default_followup() == FollowUpPolicy()
