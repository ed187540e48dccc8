"""Emergency detection: does a resident's message report danger to life now, and which number to call.

One component for the bot (actions/) and the ticketing service (ticketing/domain/classify.py), so the
resident's first reply and the ticket's urgent flag agree. Rules an operator reads and edits
(hazards.yml, cues.yml) decide first; a sentence model trained at load time from our own examples
(model.py, model.yml, examples/) reads the wordings no rule lists. PyYAML and scikit-learn, both in
either environment; docs/nlu-evaluation.md measures it (`make bench-emergency`).

    >>> from emergency import detect
    >>> detect("楼道里一股很冲的煤气味，好像漏气了").numbers
    ('119',)
"""
from emergency.detector import Detector, Finding, default_detector, detect
from emergency.numbers import NUMBER_USES, first_reply

__all__ = ["Detector", "Finding", "default_detector", "detect", "NUMBER_USES", "first_reply"]
