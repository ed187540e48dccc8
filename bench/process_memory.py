"""Resident memory (RSS) and CPU time of each server process, including the processes it spawned.

A server is watched through the pid of the process we started; its children (uvicorn or Sanic
workers, nginx workers, Rasa's helpers) are added up with it. Summed RSS counts pages shared
between parent and children more than once, so it is an upper bound of what the server costs.
"""
from __future__ import annotations

import threading
from collections.abc import Callable

import psutil


def _tree_total(pid: int, reading: Callable[[psutil.Process], float]) -> float:
    """Sum of ``reading`` over the process and its living descendants (0 when it is gone)."""
    try:
        root = psutil.Process(pid)
        processes = [root, *root.children(recursive=True)]
    except psutil.NoSuchProcess:
        return 0.0
    total = 0.0
    for process in processes:
        try:
            total += reading(process)
        except (psutil.NoSuchProcess, psutil.AccessDenied):
            pass  # exited between listing and reading, or not ours to read
    return total


def tree_rss(pid: int) -> int:
    """Bytes of RSS of the process and all its descendants (0 when it is gone)."""
    return int(_tree_total(pid, lambda process: process.memory_info().rss))


def snapshot(pids: dict[str, int]) -> dict[str, int]:
    """RSS bytes per label, now."""
    return {label: tree_rss(pid) for label, pid in pids.items()}


class PeakMemory:
    """Samples every process tree in the background and keeps each one's highest RSS.

    Use as a context manager around the load: `with PeakMemory(pids, 0.5) as peak: ...; peak.peaks`.
    """

    def __init__(self, pids: dict[str, int], interval: float = 0.5) -> None:
        self.pids = dict(pids)
        self.interval = interval
        self.peaks: dict[str, int] = {label: 0 for label in pids}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="peak-memory", daemon=True)

    def _sample(self) -> None:
        for label, rss in snapshot(self.pids).items():
            self.peaks[label] = max(self.peaks[label], rss)

    def _run(self) -> None:
        while not self._stop.is_set():
            self._sample()
            self._stop.wait(self.interval)

    def __enter__(self) -> "PeakMemory":
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()
        self._sample()


def mib(n: int) -> str:
    return f"{n / 2**20:,.0f}"



def tree_cpu_seconds(pid: int) -> float:
    """User + system CPU seconds used so far by the process and its living descendants.

    Differences of two readings give the CPU a server spent on the requests in between (a worker
    that exited in between would be missed; our servers keep theirs).
    """
    def busy(process: psutil.Process) -> float:
        times = process.cpu_times()
        return times.user + times.system

    return _tree_total(pid, busy)


def cpu_snapshot(pids: dict[str, int]) -> dict[str, float]:
    return {label: tree_cpu_seconds(pid) for label, pid in pids.items()}
