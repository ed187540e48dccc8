"""Fixtures shared by the fault tests: the report every test adds its counts to."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.faults.report import FaultReport


@pytest.fixture(scope="session")
def fault_report(artifacts: Path) -> FaultReport:
    return FaultReport(artifacts / "faults-report.md")
