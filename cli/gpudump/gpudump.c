/* SPDX-License-Identifier: MIT */
/*
 * gpudump: decode GPU hang dumps and browse the dumps gpudumpd collected.
 * This file parses the command line (one option table for every verb, coredumpctl style: options
 * may come before or after the verb) and dispatches to the verb-*.c files.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "gd-log.h"
#include "gd-pager.h"
#include "gd-string.h"


/* Option bits: each verb lists the ones it accepts, so a misplaced option is a usage error
 * instead of being silently ignored. */
enum {
        OPT_JSON = 1 << 0,
        OPT_TEXT = 1 << 1,
        OPT_VMA_DATA = 1 << 2,
        OPT_NO_PAGER = 1 << 3,
        OPT_NO_LEGEND = 1 << 4,
        OPT_STORE = 1 << 5,
        OPT_OUTPUT = 1 << 6,
        OPT_VMA = 1 << 7,
        OPT_BLOB = 1 << 8,
        OPT_MAX_SIZE = 1 << 9,
        OPT_SINCE = 1 << 10,
        OPT_UNTIL = 1 << 11,
        OPT_DRIVER = 1 << 12,
        OPT_LAST = 1 << 13,
        OPT_REVERSE = 1 << 14,
        OPT_COUNT = 1 << 15,
        OPT_INDEX = 1 << 16,
        OPT_ALL = 1 << 17,
        OPT_THREADS = 1 << 18,
};

struct verb {
        const char *name;
        int min_args, max_args;
        unsigned options;
        int (*run)(int argc, char **argv);
        const char *synopsis;
        const char *help;
};

static const struct verb verbs[] = {
        { "decode", 1, 1, OPT_JSON | OPT_TEXT | OPT_VMA_DATA | OPT_STORE | OPT_NO_PAGER | OPT_INDEX | OPT_ALL |
          OPT_THREADS, verb_decode,
          "decode [--json=pretty|short|off] [--text] [--include-vma-data] [--index N|--all] [-j N] FILE|-|ID",
          "Decode a dump (a file, - for stdin, or a stored entry's ID) into the JSON report,\n"
          "or a human summary with --text. A dump pasted into mail, a post or a kernel log\n"
          "is found there; of several, --index N picks one and --all decodes each." },
        { "extract", 1, 1, OPT_VMA | OPT_BLOB | OPT_OUTPUT | OPT_STORE | OPT_INDEX, verb_extract,
          "extract FILE|-|ID (--vma ADDR | --blob NAME) [--index N] [-o OUT]",
          "Write the raw decoded bytes of the VMA or i915 buffer starting at ADDR, or of a\n"
          "named blob (HWCTX, HWSP, LOG, CTB, i915 kinds such as ring, batch, \"HW context\")." },
        { "report", 1, 1, OPT_OUTPUT | OPT_MAX_SIZE | OPT_VMA_DATA | OPT_JSON | OPT_STORE | OPT_INDEX | OPT_ALL |
          OPT_THREADS, verb_report,
          "report FILE|-|ID [-o FILE] [--max-size SIZE] [--include-vma-data] [--json=...] [--index N|--all] [-j N]",
          "Write a Markdown document for a bug tracker: a summary, then the JSON report in a\n"
          "```json block, bounded to --max-size (default 10M). --json prints only the JSON." },
        { "disasm", 1, 1, OPT_JSON | OPT_TEXT | OPT_VMA | OPT_STORE | OPT_NO_PAGER | OPT_INDEX | OPT_ALL, verb_disasm,
          "disasm FILE|-|ID [--vma ADDR] [--json=pretty|short|off] [--index N|--all]",
          "List every instruction of every ring and batch buffer, following chained and\n"
          "second-level batches (MI_BATCH_BUFFER_START); --vma only the buffer at ADDR." },
        { "list", 0, 0, OPT_JSON | OPT_STORE | OPT_SINCE | OPT_UNTIL | OPT_DRIVER | OPT_LAST |
          OPT_REVERSE | OPT_NO_PAGER | OPT_NO_LEGEND, verb_list,
          "list [--json=...] [--since TIME] [--until TIME] [--driver D] [-1] [-r]",
          "List the collected dumps." },
        { "info", 1, 1, OPT_JSON | OPT_STORE | OPT_NO_PAGER, verb_info,
          "info ID [--json=...]",
          "Show what is known about one collected dump." },
        { "dump", 1, 1, OPT_OUTPUT | OPT_STORE, verb_dump,
          "dump ID [-o FILE]",
          "Write a collected dump's original bytes (decompressed)." },
        { "delete", 1, 1, OPT_STORE, verb_delete,
          "delete ID",
          "Remove a collected dump from the store." },
        { "watch", 0, 0, OPT_JSON | OPT_STORE | OPT_NO_LEGEND | OPT_COUNT, verb_watch,
          "watch [--json=...] [-n COUNT]",
          "Print each newly collected dump as it arrives." },
};

static const struct {
        unsigned bit;
        const char *name;
        const char *text;
} option_help[] = {
        { OPT_JSON, "--json", "     --json[=pretty|short|off]  Output format (bare --json: pretty on a tty)" },
        { OPT_TEXT, "--text", "     --text              Human-readable summary (same as --json=off)" },
        { OPT_VMA_DATA, "--include-vma-data", "     --include-vma-data  Include VMA and blob contents (base64)" },
        { OPT_OUTPUT, "--output", "  -o --output=FILE        Write to FILE (mode 0640) instead of stdout" },
        { OPT_VMA, "--vma", "     --vma=ADDR          The VMA or buffer at ADDR (hex)" },
        { OPT_BLOB, "--blob", "     --blob=NAME         A named blob: HWCTX HWSP LOG CTB ring batch ..." },
        { OPT_MAX_SIZE, "--max-size", "     --max-size=SIZE     Bound the output (K, M, G suffixes; default 10M)" },
        { OPT_SINCE, "--since", "  -S --since=TIME         Only dumps collected at or after TIME" },
        { OPT_UNTIL, "--until", "  -U --until=TIME         Only dumps collected at or before TIME" },
        { OPT_DRIVER, "--driver", "     --driver=DRIVER     Only dumps of DRIVER (xe, i915, ...)" },
        { OPT_LAST, "-1", "  -1                      Only the most recent dump" },
        { OPT_REVERSE, "--reverse", "  -r --reverse            Newest first" },
        { OPT_COUNT, "--count", "  -n --count=N            Exit after N dumps" },
        { OPT_INDEX, "--index", "     --index=N           Of several dumps in the input, the Nth (from 0)" },
        { OPT_ALL, "--all", "     --all               Every dump in the input" },
        { OPT_THREADS, "--threads", "  -j --threads=N          Decode and hash VMAs on N threads (default: $GPUDUMP_THREADS,\n"
                                    "                          else every CPU); the report is the same for any N" },
        { OPT_STORE, "--store", "     --store=DIR         Read the store in DIR instead of asking gpudumpd" },
        { OPT_NO_PAGER, "--no-pager", "     --no-pager          Do not pipe output into a pager" },
        { OPT_NO_LEGEND, "--no-legend", "     --no-legend         Do not print the column headers" },
};

static void help_verb(const struct verb *v) {
        printf("Usage: gpudump %s\n\n%s\n\nOptions:\n  -h --help               Show this help\n",
               v->synopsis, v->help);
        for (size_t i = 0; i < ELEMENTSOF(option_help); i++)
                if (v->options & option_help[i].bit)
                        printf("%s\n", option_help[i].text);
        printf("\nSee gpudump(1).\n");
}

static void help(void) {
        printf("Usage: gpudump [OPTIONS...] VERB [ARGS...]\n\n"
               "Decode GPU hang dumps and browse the dumps gpudumpd collected.\n\nVerbs:\n");
        for (size_t i = 0; i < ELEMENTSOF(verbs); i++)
                printf("  %s\n", verbs[i].synopsis);
        printf("\nOptions:\n"
               "  -h --help               Show this help (gpudump VERB --help: the verb's)\n"
               "     --version            Show the version\n");
        for (size_t i = 0; i < ELEMENTSOF(option_help); i++)
                printf("%s\n", option_help[i].text);
        printf("\nFILE may be a path, - for stdin, or the ID of a stored dump.\n"
               "Exit status: 0 success, 1 failure (input is not a dump, no such entry...),\n"
               "2 usage error. See gpudump(1).\n");
}

static int parse_json_mode(const char *s, enum json_mode *ret) {
        if (!s)
                *ret = JSON_AUTO;
        else if (strcmp(s, "pretty") == 0)
                *ret = JSON_PRETTY;
        else if (strcmp(s, "short") == 0)
                *ret = JSON_SHORT;
        else if (strcmp(s, "off") == 0)
                *ret = JSON_OFF;
        else
                return -EINVAL;
        return 0;
}

static bool colour_wanted(void) {
        const char *term = getenv("TERM");

        if (getenv("NO_COLOR"))
                return false;
        if (!term || strcmp(term, "dumb") == 0)
                return false;
        return isatty(STDOUT_FILENO);
}

/* Parses argv; on return *ret_verb is the verb (NULL with --help/--version handled), and
 * *ret_args and *ret_nargs the positional arguments after it. Returns an exit status, or -1 to go on. */
static int parse_argv(int argc, char **argv, const struct verb **ret_verb, char ***ret_args,
                      int *ret_nargs) {
        enum {
                ARG_VERSION = 0x100,
                ARG_JSON,
                ARG_TEXT,
                ARG_VMA_DATA,
                ARG_NO_PAGER,
                ARG_NO_LEGEND,
                ARG_STORE,
                ARG_VMA,
                ARG_BLOB,
                ARG_MAX_SIZE,
                ARG_DRIVER,
                ARG_INDEX,
                ARG_ALL,
        };
        static const struct option options[] = {
                { "help", no_argument, NULL, 'h' },
                { "version", no_argument, NULL, ARG_VERSION },
                { "json", optional_argument, NULL, ARG_JSON },
                { "text", no_argument, NULL, ARG_TEXT },
                { "include-vma-data", no_argument, NULL, ARG_VMA_DATA },
                { "no-pager", no_argument, NULL, ARG_NO_PAGER },
                { "no-legend", no_argument, NULL, ARG_NO_LEGEND },
                { "store", required_argument, NULL, ARG_STORE },
                { "output", required_argument, NULL, 'o' },
                { "vma", required_argument, NULL, ARG_VMA },
                { "blob", required_argument, NULL, ARG_BLOB },
                { "max-size", required_argument, NULL, ARG_MAX_SIZE },
                { "since", required_argument, NULL, 'S' },
                { "until", required_argument, NULL, 'U' },
                { "driver", required_argument, NULL, ARG_DRIVER },
                { "reverse", no_argument, NULL, 'r' },
                { "count", required_argument, NULL, 'n' },
                { "index", required_argument, NULL, ARG_INDEX },
                { "all", no_argument, NULL, ARG_ALL },
                { "threads", required_argument, NULL, 'j' },
                {}
        };
        unsigned used = 0;
        bool want_help = false;
        const struct verb *verb = NULL;
        int c, r;

        opterr = 0; /* we print our own messages */
        while ((c = getopt_long(argc, argv, ":ho:S:U:1rn:j:", options, NULL)) >= 0) {
                switch (c) {
                case 'h':
                        want_help = true;
                        break;
                case ARG_VERSION:
                        printf("gpudump %s (report schema %d)\n", GPUDUMP_VERSION,
                               gpudump_report_schema_version());
                        return EXIT_OK;
                case ARG_JSON:
                        if (parse_json_mode(optarg, &arg_json) < 0) {
                                log_error("--json: expected pretty, short or off, got '%s'", optarg);
                                return EXIT_USAGE;
                        }
                        used |= OPT_JSON;
                        break;
                case ARG_TEXT:
                        arg_text = true;
                        used |= OPT_TEXT;
                        break;
                case ARG_VMA_DATA:
                        arg_include_vma_data = true;
                        used |= OPT_VMA_DATA;
                        break;
                case ARG_NO_PAGER:
                        arg_no_pager = true;
                        used |= OPT_NO_PAGER;
                        break;
                case ARG_NO_LEGEND:
                        arg_no_legend = true;
                        used |= OPT_NO_LEGEND;
                        break;
                case ARG_STORE:
                        arg_store = optarg;
                        used |= OPT_STORE;
                        break;
                case 'o':
                        arg_output = optarg;
                        used |= OPT_OUTPUT;
                        break;
                case ARG_VMA:
                        arg_vma = optarg;
                        used |= OPT_VMA;
                        break;
                case ARG_BLOB:
                        arg_blob = optarg;
                        used |= OPT_BLOB;
                        break;
                case ARG_MAX_SIZE:
                        if (gd_parse_size(optarg, &arg_max_size) < 0 || arg_max_size == 0) {
                                log_error("--max-size: '%s' is not a size (e.g. 4096, 512K, 10M, 1G)", optarg);
                                return EXIT_USAGE;
                        }
                        used |= OPT_MAX_SIZE;
                        break;
                case 'S':
                case 'U':
                        r = parse_time(optarg, c == 'S' ? &arg_since : &arg_until);
                        if (r < 0) {
                                log_error("--%s: cannot parse time '%s' (use YYYY-MM-DD [HH:MM[:SS]], @SECONDS, now, today, yesterday)",
                                          c == 'S' ? "since" : "until", optarg);
                                return EXIT_USAGE;
                        }
                        used |= c == 'S' ? OPT_SINCE : OPT_UNTIL;
                        break;
                case ARG_DRIVER:
                        arg_driver = optarg;
                        used |= OPT_DRIVER;
                        break;
                case '1':
                        arg_last_only = true;
                        used |= OPT_LAST;
                        break;
                case 'r':
                        arg_reverse = true;
                        used |= OPT_REVERSE;
                        break;
                case 'n': {
                        char *end;
                        unsigned long v;

                        errno = 0;
                        v = strtoul(optarg, &end, 10);
                        if (errno || end == optarg || *end || v == 0 || v > 1000000) {
                                log_error("--count: '%s' is not a positive number", optarg);
                                return EXIT_USAGE;
                        }
                        arg_count = (unsigned)v;
                        used |= OPT_COUNT;
                        break;
                }
                case ARG_INDEX: {
                        char *end;
                        unsigned long v;

                        errno = 0;
                        v = strtoul(optarg, &end, 10);
                        if (errno || end == optarg || *end || optarg[0] == '-' || v > 1000000) {
                                log_error("--index: '%s' is not a dump number (0 for the first)", optarg);
                                return EXIT_USAGE;
                        }
                        arg_index = (int64_t)v;
                        used |= OPT_INDEX;
                        break;
                }
                case ARG_ALL:
                        arg_all = true;
                        used |= OPT_ALL;
                        break;
                case 'j': {
                        char *end;
                        unsigned long v;

                        errno = 0;
                        v = strtoul(optarg, &end, 10);
                        if (errno || end == optarg || *end || v == 0 || v > 64) {
                                log_error("--threads: '%s' is not a number from 1 to 64", optarg);
                                return EXIT_USAGE;
                        }
                        arg_threads = (unsigned)v;
                        used |= OPT_THREADS;
                        break;
                }
                case ':':
                        log_error("option '%s' needs an argument", argv[optind - 1]);
                        return EXIT_USAGE;
                default:
                        if (optopt)
                                log_error("unknown option '-%c' (see gpudump --help)", optopt);
                        else
                                log_error("unknown option '%s' (see gpudump --help)", argv[optind - 1]);
                        return EXIT_USAGE;
                }
        }

        if (optind < argc) {
                for (size_t i = 0; i < ELEMENTSOF(verbs); i++)
                        if (strcmp(argv[optind], verbs[i].name) == 0)
                                verb = &verbs[i];
                if (!verb) {
                        log_error("unknown verb '%s' (see gpudump --help)", argv[optind]);
                        return EXIT_USAGE;
                }
        }
        if (want_help) {
                if (verb)
                        help_verb(verb);
                else
                        help();
                return EXIT_OK;
        }
        if (!verb) {
                log_error("missing verb (see gpudump --help)");
                return EXIT_USAGE;
        }
        if (used & ~verb->options) {
                for (size_t i = 0; i < ELEMENTSOF(option_help); i++)
                        if (used & ~verb->options & option_help[i].bit) {
                                log_error("%s: option '%s' does not apply (see gpudump %s --help)",
                                          verb->name, option_help[i].name, verb->name);
                                return EXIT_USAGE;
                        }
        }
        *ret_args = argv + optind + 1;
        *ret_nargs = argc - optind - 1;
        if (*ret_nargs < verb->min_args || *ret_nargs > verb->max_args) {
                log_error("%s: expected %s (usage: gpudump %s)", verb->name,
                          verb->max_args == 0 ? "no arguments" : "one argument", verb->synopsis);
                return EXIT_USAGE;
        }
        if (arg_text && arg_json != JSON_DEFAULT && arg_json != JSON_OFF) {
                log_error("--text and --json=%s contradict each other",
                          arg_json == JSON_SHORT ? "short" : "pretty");
                return EXIT_USAGE;
        }
        if (arg_index >= 0 && arg_all) {
                log_error("--index and --all contradict each other");
                return EXIT_USAGE;
        }
        if (arg_text)
                arg_json = JSON_OFF;
        *ret_verb = verb;
        return -1;
}

int main(int argc, char **argv) {
        const struct verb *verb = NULL;
        char **args = NULL;
        int nargs = 0, r;

        gd_log_setup("gpudump", GD_LOG_INFO);
        arg_colour = colour_wanted();

        r = parse_argv(argc, argv, &verb, &args, &nargs);
        if (r >= 0)
                return r;

        r = verb->run(nargs, args);
        gd_pager_close();
        if (fflush(stdout) != 0 || ferror(stdout)) {
                if (errno != EPIPE)
                        log_error("write error on stdout: %m");
                if (r == EXIT_OK)
                        r = EXIT_FAIL;
        }
        return r;
}
