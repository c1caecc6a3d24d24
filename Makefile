# vfiopm: see README.md.
#   make          build the tools
#   make check    install dependencies, build, run every test tier
#   make demo     boot the patched test kernel and show a live low-power cycle
SHELL := /bin/bash

TOOL_DIRS := $(patsubst %/Makefile,%,$(wildcard tools/*/Makefile))

all: tools

deps:
	@scripts/install-deps.sh

tools: deps
	@for d in $(TOOL_DIRS); do $(MAKE) --no-print-directory -C $$d || exit 1; done

kernel: deps
	scripts/build-kernel.sh

kernel-unpatched: deps
	scripts/build-kernel.sh --unpatched

check: tools
	@tests/run.sh

check-host: tools
	@tests/run.sh host

check-vm: tools
	@tests/run.sh vm

demo: tools
	@scripts/demo.sh

clean:
	@for d in $(TOOL_DIRS); do $(MAKE) --no-print-directory -C $$d clean; done
	rm -rf tests/logs

.PHONY: all deps tools kernel kernel-unpatched check check-host check-vm demo clean
