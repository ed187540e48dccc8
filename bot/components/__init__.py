"""yijian's custom Rasa graph components. Importing them also installs `bot.rasa_speedups` (see there)."""
from bot.rasa_speedups import install as _install_rasa_speedups

_install_rasa_speedups()
