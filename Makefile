# Two commands set everything up on a fresh machine: `make run` and `make test`.
VENV := .venv
BIN := $(VENV)/bin
SAMPLE_PDF := samples/committee-pack.pdf

# Nothing is downloaded at run time: the embedding model ships in a package.
export HF_HUB_OFFLINE := 1
export TRANSFORMERS_OFFLINE := 1
export PAPERS_HOME ?= data

HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test clean browser

# torch goes first, pinned, so pip takes the CPU build rather than a multi-GB CUDA one.
$(VENV)/.installed: pyproject.toml
	python3 -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q torch==2.13.0
	$(BIN)/pip install -q -e '.[dev]'
	touch $@

$(SAMPLE_PDF): samples/committee-pack.txt samples/make_pdf.py $(VENV)/.installed
	$(BIN)/python samples/make_pdf.py samples/committee-pack.txt $@

run: $(VENV)/.installed $(SAMPLE_PDF)
	$(BIN)/papers ingest samples
	$(BIN)/papers meetings
	$(BIN)/papers items children-and-families-scrutiny-committee-2026-03-11
	$(BIN)/papers search "how many approved foster households do we have?" -k 3
	$(BIN)/papers ask "how many approved foster households do we have against the target?"
	@echo "Serving the search page at http://$(HOST):$(PORT)/ and the API (docs at /docs); Ctrl-C stops."
	$(BIN)/papers serve --host $(HOST) --port $(PORT)

# The search page's tests drive Debian's headless Chromium; install it when it is missing and we may.
browser:
	@if ! command -v chromium >/dev/null || ! command -v chromedriver >/dev/null; then \
		if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
			apt-get install -y -q chromium chromium-driver >/dev/null 2>&1 || \
				(apt-get update -q >/dev/null 2>&1 && apt-get install -y -q chromium chromium-driver >/dev/null 2>&1) || \
				echo "Chromium could not be installed: the browser tests will be skipped (CI requires them)."; \
		else echo "Chromium is missing and cannot be installed here: the browser tests will be skipped."; fi; \
	fi

# The evaluation is a ratchet on out-of-fold figures over the three shared development files and the project's own
# questions over scanned and table pages (109 questions, `--folds 5`: each question answered with knobs fitted on
# the other folds, as unseen questions are). Minimums sit a question or so below the figures measured when they were
# set (recall 0.537 / 0.842 / 0.905 at 1 / 5 / 10, MRR 0.667, facts 0.611, citations 0.863; with Lucene's idf, shared
# with the Qdrant backend: 0.558 / 0.832 / 0.895, MRR 0.676, facts 0.600, citations 0.853, so recall@1 and MRR rose a
# step and recall@5, @10, facts and citations now sit at their figures, one question lost fails); abstention is held where
# it stands (6 of 14, far from the 0.85 it must reach), false abstention at most one question above it (2 of 95),
# answer length a ceiling a little above the words measured (median 133, 90th percentile 252) so facts are not
# bought with longer answers. Tighten them when quality rises; never loosen one without saying why in the commit.
EVAL_GOLD := --gold ../shared/gold/dev.jsonl --gold ../shared/gold/pdf_dev.jsonl --gold ../shared/gold/dev_more.jsonl \
	--gold tests/gold/pdf_pages.jsonl
EVAL_MINIMUMS := --min recall@1=0.54 --min recall@5=0.83 --min recall@10=0.89 --min mrr@10=0.66 \
	--min fact_accuracy=0.60 --min citation_support=0.85 --min groundedness=0.95 \
	--min correct_abstention=0.42 --min false_abstention=0.04 \
	--min answer_words_p50=140 --min answer_words_p90=270 --min lead_fact_accuracy=0.6 --min lead_words_max=40

test: $(VENV)/.installed $(SAMPLE_PDF) browser
	$(BIN)/ruff check .
	$(BIN)/python -m pytest
	@if [ -d ../shared/gold ] && [ -d ../shared/corpus ]; then \
		$(BIN)/papers eval $(EVAL_GOLD) --corpus ../shared/corpus --records tests/gold/records.jsonl --folds 5 \
			--out eval-report $(EVAL_MINIMUMS); \
	else echo "Skipping the evaluation: ../shared (the gold questions and real papers) is absent."; fi

clean:
	rm -rf $(VENV) data $(SAMPLE_PDF)
