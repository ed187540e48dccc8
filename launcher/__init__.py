"""Development launcher: builds what is missing and supervises the three yijian processes.

Used by `make run` (``python -m launcher``) and by the test suite's fixtures, so the system the
tests exercise is started exactly the way a developer starts it.
"""
