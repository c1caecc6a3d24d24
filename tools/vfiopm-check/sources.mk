# vfiopm-check's pipeline sources, relative to tools/vfiopm-check: its Makefile
# and every other build of them (tests/differential) read this one list.
LIB_SRCS := fields.c text.c parse_ftrace.c parse_perf.c parse_json.c detect.c \
	    reader.c reorder.c residency.c balance.c input.c input_rec.c report.c \
	    ../lib/vfiopm-rec.c
