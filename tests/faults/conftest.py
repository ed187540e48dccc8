"""Fixtures shared by the fault tests: the report every test adds its counts to.

The counts are also printed at the end of the run (pytest's terminal summary), so `make test` shows
what was sent and what was stored without opening the file.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.faults.report import FaultReport

_REPORTS: list[FaultReport] = []


@pytest.fixture(scope="session")
def fault_report(artifacts: Path) -> FaultReport:
    report = FaultReport(artifacts / "faults-report.md")
    _REPORTS.append(report)
    return report


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    for report in _REPORTS:
        if not report.sections:
            continue
        terminalreporter.write_sep("=", f"fault tests: counts (also in {report.path})")
        for section in report.sections:
            terminalreporter.write_line(section.title)
            for name, value in section.counts.items():
                terminalreporter.write_line(f"    {name}: {value}")
