# yijian 一键回应 — two commands: `make run` and `make test`. Everything else is set up on demand.
SHELL := /bin/bash
.DEFAULT_GOAL := help

BOT_VENV := .venvs/bot
TICKETING_VENV := .venvs/ticketing
BOT_PY := $(BOT_VENV)/bin/python
PY := $(TICKETING_VENV)/bin/python
PYTHON310 ?= $(shell scripts/find_python310.sh)
SYSTEM_PYTHON ?= python3
PYTEST_ARGS ?=

.PHONY: help setup run run-prod test model browser nginx bench-tickets bench-pages bench-nlu bench-category bench-pipelines bench-conversations bench-self-intro bench-emergency bench-hotspots bench-bot bench-store bench-scale bench-keyset bench-training bench-notify clean

help:
	@echo "make run    set up what is missing, then start the chat page, Rasa, actions and the ticketing service"
	@echo "make test   set up what is missing, then run the whole test suite"
	@echo "make model  train the Rasa model if its inputs changed"
	@echo "make run-prod  production mode: PostgreSQL, Redis lock store, 2x Rasa/actions/ticketing behind nginx"
	@echo "make bench-tickets        ticket creations per second through the API, SQLite and PostgreSQL"
	@echo "make bench-pages          median server time per page, 500 and 50,000 tickets in PostgreSQL"
	@echo "make bench-nlu            first-level category accuracy and macro-F1 vs the TF-IDF baseline"
	@echo "make bench-conversations  50 real first messages through the bot: share filed at the right department; 800 real first turns read as something to file"
	@echo "make bench-self-intro     600 real letters and titles with the writer's details before or after them: share filed, per template"
	@echo "make bench-emergency      emergency recall on the frozen holdout, the right number, false alarms on real messages"
	@echo "make bench-hotspots       hotspot ranking against the public up/down votes"
	@echo "make bench-category       nested category evaluation: CV inside the development part sets the dispatch calibration and threshold; the frozen final part read once"
	@echo "make bench-pipelines      rasa test nlu cross-validation of the NLU pipeline configurations"
	@echo "make bench-bot            bot turn latency at 1/20/200 conversations beside /model/parse; memory"
	@echo "make bench-store          ticket creation and listing on PostgreSQL beside a pgbench INSERT"
	@echo "make bench-scale          a city's year (1 M and 5 M tickets with history, COPY): every page before/after the scale work"
	@echo "make bench-keyset         page 1 against page 2,000 by offset and by cursor at 200,000 tickets"
	@echo "make bench-training       training time of the full model"
	@echo "make bench-notify         办结 to e-mail p50/p95 (polling, RabbitMQ); crash test: 2,000 transitions, kills, broker restart"
	@echo "make clean  remove environments, models, databases and logs"

$(BOT_VENV)/.installed: requirements.txt requirements-bot-test.txt
	@test -n "$(PYTHON310)" || { echo "error: Python 3.10 is required for the bot (see above)"; exit 1; }
	scripts/make_venv.sh $(BOT_VENV) $(PYTHON310) requirements-bot-test.txt

$(TICKETING_VENV)/.installed: ticketing/requirements.txt requirements-dev.txt
	scripts/make_venv.sh $(TICKETING_VENV) $(SYSTEM_PYTHON) requirements-dev.txt

node_modules/.installed: package.json package-lock.json
	@echo "[setup] installing the web assets (rasa-webchat, echarts) from npm"
	npm ci --no-audit --no-fund --loglevel=error
	@touch $@

setup: $(BOT_VENV)/.installed $(TICKETING_VENV)/.installed node_modules/.installed

model: setup
	@$(PY) -m launcher.model

browser:
	@scripts/ensure_browser.sh

run: setup
	@$(PY) -m launcher

nginx:
	@scripts/ensure_nginx.sh

run-prod: setup nginx
	@$(PY) -m launcher.prod

# Fast checks first (the actions' unit tests, the layer contracts, rasa data validate: about a minute),
# so a broken action or training file fails before the model trains; then the trained-model tests.
DATA_VALIDATE := tests/integration/test_rasa_project.py::test_data_validate_is_clean
test: setup browser nginx
	$(BOT_PY) -m pytest -q tests/bot -m "not rasa" $(PYTEST_ARGS)
	$(PY) -m pytest -q tests/repo $(DATA_VALIDATE) $(PYTEST_ARGS)
	@$(PY) -m launcher.model
	$(BOT_PY) -m pytest -q tests/bot -m rasa $(PYTEST_ARGS)
	$(PY) -m pytest $(PYTEST_ARGS) --deselect $(DATA_VALIDATE) --ignore tests/repo

bench-tickets: setup
	$(PY) -m bench.ticket_throughput

bench-pages: setup
	$(PY) -m bench.page_timing

bench-nlu: setup
	$(BOT_PY) -m bench.nlu_eval

bench-category: setup
	$(BOT_PY) -m bench.category_nested --read-final

bench-pipelines: setup
	$(BOT_PY) -m bench.nlu_pipelines

bench-bot: setup nginx model
	$(PY) -m bench.bot_latency

bench-store: setup nginx
	$(PY) -m bench.store_throughput

# Before: the code and schema (0008) of the commit before the scale work, from git history.
SCALE_BEFORE_COMMIT = c13109e^
bench-scale: setup
	rm -rf var/app_before_scale && mkdir -p var/app_before_scale && git archive $(SCALE_BEFORE_COMMIT) | tar -x -C var/app_before_scale
	$(PY) -m bench.scale --tickets 1000000 --database scale_before_1000000 --revision 0008 --app-dir var/app_before_scale --json var/scale_before_1m.json
	$(PY) -m bench.scale --tickets 1000000 --json var/scale_after_1m.json
	$(PY) -m bench.scale --tickets 5000000 --json var/scale_after_5m.json
	$(PY) -m bench.scale --doc var/scale_before_1m.json var/scale_after_1m.json var/scale_after_5m.json

bench-keyset: setup
	$(PY) -m bench.scale_load --tickets 200000 --database keyset_200k
	$(PY) -m bench.keyset_paging --database keyset_200k --json var/keyset_200k.json
	$(PY) -c "from bench import scale_load; scale_load.drop_database('keyset_200k')"

bench-training: setup
	$(PY) -m bench.training_time

bench-conversations: setup model
	$(PY) -m bench.conversation_check --holdout --write-doc
	$(BOT_PY) -m bench.first_turn_intents --write-doc

bench-self-intro: setup model
	$(BOT_PY) -m bench.self_intro_variants --write-doc

bench-emergency: setup
	$(PY) -m bench.emergency_eval --holdout --own --real both --write-doc

bench-notify: setup
	$(PY) -m bench.notify_latency --write-doc
	$(PY) -m bench.notify_crash --write-doc

bench-hotspots: setup
	$(PY) -m bench.hotspot_check

clean:
	rm -rf .venvs node_modules models var .run tests/artifacts .rasa
