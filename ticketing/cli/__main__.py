"""``python -m ticketing.cli …``"""
import sys

from ticketing.cli import main

sys.exit(main())
