/* SPDX-License-Identifier: MIT */
/*
 * Collect one dump: stream the kernel's copy into zstd into a temp file in the store, make it
 * durable, write the metadata last (the completion marker), and only then free the kernel's copy.
 * Whatever goes wrong on our side (ENOSPC, EIO) leaves the kernel's copy alone and retries later.
 *
 * Streaming, compressing and analysing run in a short-lived collector process forked for each
 * dump: the event loop keeps serving the bus while a GiB-sized dump is read, and whatever the
 * collection maps or allocates (zstd's compressor, the analysis prefix, libgpudump and the
 * OpenSSL it loads, which cannot be unloaded) goes away with that process, so the daemon stays
 * small when idle. The process reports on a pipe, as one JSON object; the daemon links the
 * entry, writes the metadata and frees the kernel's copy.
 */
#include <fcntl.h>
#include <inttypes.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <json-c/json.h>
#include <zstd.h>

#include "daemon.h"
#include "device.h"
#include "gd-fd.h"
#include "gd-log.h"
#include "libgpudump-dl.h"

#define READ_CHUNK (1024 * 1024)
#define WRITEBACK_CHUNK (16 * 1024 * 1024)
#define LINK_WAIT_USEC (100 * 1000)
#define LINK_WAITS_MAX 20 /* 2 s for kernels that send the uevent before the link exists */
#define RETRY_MIN_USEC (1000 * 1000)
#define RETRY_MAX_USEC (UINT64_C(30) * 1000 * 1000)

DEFINE_TRIVIAL_CLEANUP_FUNC(struct gpudump_dump *, sym_gpudump_dump_unref)
DEFINE_TRIVIAL_CLEANUP_FUNC(struct json_object *, json_object_put)
DEFINE_TRIVIAL_CLEANUP_FUNC(ZSTD_CCtx *, ZSTD_freeCCtx)

static inline void device_info_donep(struct device_info *d) {
        device_info_done(d);
}

struct stream_result {
        uint64_t size;
        uint64_t compressed;
        bool truncated_cap;
        int read_error;  /* negative errno of the kernel side, 0 */
        int write_error; /* negative errno of the store side, 0 */
        void *prefix;    /* the first analyze_size_max bytes, for libgpudump */
        size_t prefix_size;
        uint64_t head_hash; /* FNV-1a of the first head_size (<= HEAD_BYTES) bytes */
        size_t head_size;
};

/* An i915 error state has no name that changes per hang (cardN/error is the same file each
 * time), so an entry remembers a hash of its first bytes, which start with the error's time in
 * microseconds: a restart that finds the same error state still in sysfs (killed after the
 * metadata was written, before cardN/error was cleared) frees it instead of storing it again. */
#define HEAD_BYTES 4096
#define FNV1A64_INIT UINT64_C(0xcbf29ce484222325)

static uint64_t fnv1a64(uint64_t h, const void *p, size_t n) {
        const uint8_t *b = p;

        for (size_t i = 0; i < n; i++)
                h = (h ^ b[i]) * UINT64_C(0x100000001b3);
        return h;
}

static uint64_t now_realtime(void) {
        struct timespec ts;
        clock_gettime(CLOCK_REALTIME, &ts);
        return (uint64_t)ts.tv_sec * 1000000 + (uint64_t)ts.tv_nsec / 1000;
}

static uint64_t now_mono(void) {
        struct timespec ts;
        clock_gettime(CLOCK_MONOTONIC, &ts);
        return (uint64_t)ts.tv_sec * 1000000 + (uint64_t)ts.tv_nsec / 1000;
}

static void format_time(uint64_t usec, char *buf, size_t size) {
        time_t t = (time_t)(usec / 1000000);
        struct tm tm;

        gmtime_r(&t, &tm);
        strftime(buf, size, "%Y-%m-%dT%H:%M:%S", &tm);
        snprintf(buf + strlen(buf), size - strlen(buf), ".%06" PRIu64 "Z", usec % 1000000);
}

/* Push in through the compressor into out_fd; end the frame when end is set. */
static int compress_feed(ZSTD_CCtx *cctx, int out_fd, void *obuf, size_t ocap, const void *in,
                         size_t n, bool end, uint64_t *compressed) {
        ZSTD_inBuffer ib = { in, n, 0 };
        ZSTD_EndDirective mode = end ? ZSTD_e_end : ZSTD_e_continue;

        for (;;) {
                ZSTD_outBuffer ob = { obuf, ocap, 0 };
                size_t left = ZSTD_compressStream2(cctx, &ob, &ib, mode);
                int r;

                if (ZSTD_isError(left))
                        return -ENOMEM; /* the only failure of a well-formed stream */
                r = gd_write_all(out_fd, obuf, ob.pos);
                if (r < 0)
                        return r;
                *compressed += ob.pos;
                if (end ? left == 0 : ib.pos == ib.size)
                        return 0;
        }
}

/* The collection in flight: set up in the event loop, streamed and analysed in the collector
 * process, finished in the loop. */
struct collection {
        struct manager *m;
        struct job *job;
        struct device_info dev;
        char *src;
        char *tmpname;
        int in_fd;
        int tmp_fd;
        int done_fd; /* the collector's report pipe (read end): EOF when it is done */
        sd_event_source *done_source;
        pid_t child;  /* the collector process, 0 once reaped */
        struct json_object *report; /* what the collector reported (stream and analysis) */
        uint64_t eio_at;
        char id[64];
        uint64_t usec;
        uint64_t t_start;
        struct stream_result res;
};

static void stream_dump(const struct config *c, int in_fd, int out_fd, uint64_t eio_at,
                        atomic_bool *cancel, struct stream_result *res) {
        _cleanup_(ZSTD_freeCCtxp) ZSTD_CCtx *cctx = ZSTD_createCCtx();
        size_t ocap = ZSTD_CStreamOutSize();
        _cleanup_free_ void *ibuf = malloc(READ_CHUNK);
        _cleanup_free_ void *obuf = malloc(ocap);
        size_t pcap = (size_t)c->analyze_size_max;
        uint64_t written_back = 0;
        bool paused = false;

        *res = (struct stream_result){ .head_hash = FNV1A64_INIT };
        if (!cctx || !ibuf || !obuf) {
                res->write_error = -ENOMEM;
                return;
        }
        /* One thread, small window: bounded memory and the loop stays ours. */
        ZSTD_CCtx_setParameter(cctx, ZSTD_c_compressionLevel, c->compression_level);
        ZSTD_CCtx_setParameter(cctx, ZSTD_c_nbWorkers, 0);
        ZSTD_CCtx_setParameter(cctx, ZSTD_c_checksumFlag, 1);
        if (pcap > 0) {
                res->prefix = malloc(pcap);
                if (!res->prefix) {
                        res->write_error = -ENOMEM;
                        return;
                }
        }
        for (;;) {
                size_t want = READ_CHUNK;
                ssize_t k;
                int r;

                if (atomic_load(cancel)) {
                        res->write_error = -ECANCELED;
                        return;
                }
                if (res->size >= c->dump_size_max) {
                        char probe;

                        /* At the cap: is there more? Then what we keep is truncated. */
                        k = read(in_fd, &probe, 1);
                        if (k > 0)
                                res->truncated_cap = true;
                        break;
                }
                if (c->dump_size_max - res->size < want)
                        want = (size_t)(c->dump_size_max - res->size);
                if (eio_at != UINT64_MAX && res->size >= eio_at) {
                        res->read_error = -EIO;
                        break;
                }
                if (eio_at != UINT64_MAX && eio_at - res->size < want)
                        want = (size_t)(eio_at - res->size);
                k = read(in_fd, ibuf, want);
                if (k < 0) {
                        if (errno == EINTR)
                                continue;
                        res->read_error = -errno;
                        break;
                }
                if (k == 0)
                        break;
                if (res->prefix_size < pcap) {
                        size_t take = (size_t)k < pcap - res->prefix_size ? (size_t)k
                                                                          : pcap - res->prefix_size;
                        memcpy((char *)res->prefix + res->prefix_size, ibuf, take);
                        res->prefix_size += take;
                }
                if (res->head_size < HEAD_BYTES) {
                        size_t take = (size_t)k < HEAD_BYTES - res->head_size ? (size_t)k
                                                                              : HEAD_BYTES - res->head_size;
                        res->head_hash = fnv1a64(res->head_hash, ibuf, take);
                        res->head_size += take;
                }
                res->size += (uint64_t)k;
                r = compress_feed(cctx, out_fd, obuf, ocap, ibuf, (size_t)k, false,
                                  &res->compressed);
                if (r < 0) {
                        res->write_error = r;
                        return;
                }
                if (!paused) {
                        paused = true;
                        test_pause_point("streaming");
                }
                if (res->compressed - written_back >= WRITEBACK_CHUNK) {
                        /* Start writeback as we go, so the final fsync() has little left and
                         * dirty pages do not pile up behind a large dump. */
                        (void)sync_file_range(out_fd, (off_t)written_back,
                                              (off_t)(res->compressed - written_back),
                                              SYNC_FILE_RANGE_WRITE);
                        written_back = res->compressed;
                }
        }
        res->write_error = compress_feed(cctx, out_fd, obuf, ocap, NULL, 0, true,
                                         &res->compressed);
}

static bool strv_contains(char **v, const char *s) {
        for (size_t i = 0; v && v[i]; i++)
                if (strcmp(v[i], s) == 0 || strcmp(v[i], "*") == 0)
                        return true;
        return false;
}

/* Free the kernel's copy: any write to data (devcoredump) or to cardN/error (i915). */
static void free_kernel_copy(struct manager *m, struct job *j, const char *path) {
        _cleanup_close_ int fd = -EBADF;

        if (!m->config.free_kernel_copy)
                return;
        fd = open(path, O_WRONLY | O_TRUNC | O_CLOEXEC | O_NOFOLLOW);
        if (fd < 0 || write(fd, "1\n", 2) < 0) {
                log_warning("%s: cannot free the kernel's copy (%s): %s; the kernel's timer will",
                            j->devname, path, strerror(errno));
                return;
        }
        log_debug("%s: freed the kernel's copy", j->devname);
}

static uint64_t retry_delay(struct job *j) {
        uint64_t d = RETRY_MIN_USEC << (j->attempts < 16 ? j->attempts : 16);

        j->attempts++;
        return d < RETRY_MAX_USEC ? d : RETRY_MAX_USEC;
}

static const char *json_str(struct json_object *o, const char *key) {
        struct json_object *v;
        return json_object_object_get_ex(o, key, &v) && json_object_is_type(v, json_type_string)
                       ? json_object_get_string(v)
                       : NULL;
}

static int64_t json_int(struct json_object *o, const char *key) {
        struct json_object *v;
        return json_object_object_get_ex(o, key, &v) ? json_object_get_int64(v) : 0;
}

/* An entry of this boot already holds this devcdN: a crash after the metadata was written but
 * before the kernel's copy was freed. devcd numbers never repeat within a boot. */
static int find_stored_devcd(struct manager *m, const char *devname, char **ret_id) {
        _cleanup_(json_object_putp) struct json_object *arr = NULL;
        int r = gd_store_list(m->store, &arr);

        if (r < 0)
                return r;
        for (size_t i = 0; i < json_object_array_length(arr); i++) {
                struct json_object *e = json_object_array_get_idx(arr, i);
                const char *b = json_str(e, "boot_id"), *d = json_str(e, "devname"),
                           *src = json_str(e, "source");

                if (b && d && src && !strcmp(b, m->boot_id) && !strcmp(d, devname) &&
                    !strcmp(src, "devcoredump")) {
                        *ret_id = strdup(json_str(e, "id"));
                        return *ret_id ? 1 : -ENOMEM;
                }
        }
        return 0;
}

/* An entry of this boot already holds the i915 error state now in path (see HEAD_BYTES).
 * 0 when none does or the file cannot be read (then it is collected as usual). */
static int find_stored_i915(struct manager *m, const char *devname, const char *path,
                            char **ret_id) {
        _cleanup_(json_object_putp) struct json_object *arr = NULL;
        _cleanup_close_ int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
        uint8_t head[HEAD_BYTES];
        size_t n = 0;
        int r;

        if (fd < 0)
                return 0;
        while (n < sizeof(head)) {
                ssize_t k = read(fd, head + n, sizeof(head) - n);
                if (k < 0 && errno == EINTR)
                        continue;
                if (k < 0)
                        return 0;
                if (k == 0)
                        break;
                n += (size_t)k;
        }
        r = gd_store_list(m->store, &arr);
        if (r < 0)
                return r;
        for (size_t i = 0; i < json_object_array_length(arr); i++) {
                struct json_object *e = json_object_array_get_idx(arr, i), *h, *v;
                const char *b = json_str(e, "boot_id"), *d = json_str(e, "devname"),
                           *src = json_str(e, "source"), *hash;
                int64_t bytes;
                char hex[17];

                if (!b || !d || !src || strcmp(b, m->boot_id) || strcmp(d, devname) ||
                    strcmp(src, "i915-error") || !json_object_object_get_ex(e, "source_head", &h))
                        continue;
                if (!json_object_object_get_ex(h, "bytes", &v) || !json_object_is_type(v, json_type_int))
                        continue;
                bytes = json_object_get_int64(v);
                hash = json_object_object_get_ex(h, "fnv1a64", &v) ? json_object_get_string(v) : NULL;
                if (bytes < 0 || (uint64_t)bytes > n || !hash)
                        continue;
                if ((uint64_t)bytes < n && bytes < HEAD_BYTES)
                        continue; /* that one was shorter: another error state */
                snprintf(hex, sizeof(hex), "%016" PRIx64, fnv1a64(FNV1A64_INIT, head, (size_t)bytes));
                if (strcmp(hex, hash) == 0) {
                        *ret_id = strdup(json_str(e, "id"));
                        return *ret_id ? 1 : -ENOMEM;
                }
        }
        return 0;
}

/* The newest entry with this signature, when `burst` of them were stored within the interval. */
static int find_rate_limited(struct manager *m, const char *signature, uint64_t now,
                             struct json_object **ret_meta) {
        _cleanup_(json_object_putp) struct json_object *arr = NULL;
        struct json_object *newest = NULL;
        unsigned count = 0;
        int r;

        if (m->config.rate_limit_burst == 0 || !signature)
                return 0;
        r = gd_store_list(m->store, &arr);
        if (r < 0)
                return r;
        for (size_t i = 0; i < json_object_array_length(arr); i++) {
                struct json_object *e = json_object_array_get_idx(arr, i);
                const char *sig = json_str(e, "signature");
                uint64_t ts = (uint64_t)json_int(e, "timestamp_usec");

                if (!sig || strcmp(sig, signature) != 0)
                        continue;
                if (ts + m->config.rate_limit_interval_usec < now)
                        continue;
                count++;
                newest = e;
        }
        if (count < m->config.rate_limit_burst || !newest)
                return 0;
        *ret_meta = json_object_get(newest);
        return 1;
}

static struct json_object *str_or_null(const char *s) {
        return s ? json_object_new_string(s) : NULL;
}

static struct json_object *pci_id_or_null(int v) {
        char buf[16];

        if (v < 0 || v > 0xffff)
                return NULL;
        snprintf(buf, sizeof(buf), "0x%04x", (unsigned)v);
        return json_object_new_string(buf);
}

/* What the collector's analysis found (NULL members when it did not run). */
struct analysis {
        const char *format, *driver, *reason, *process_name, *signature, *blamed_engine;
        int64_t pid;
        int pci_id;
};

static struct json_object *build_meta(struct manager *m, struct job *j, const char *id,
                                      uint64_t usec, const struct device_info *dev,
                                      const struct analysis *a, const struct stream_result *res) {
        struct json_object *o = json_object_new_object(), *d, *p;
        const char *driver = dev->driver;
        char tbuf[64];
        int64_t pid = a->pid;
        int pci_id = a->pci_id;

        if (!o)
                return NULL;
        /* The sysfs link is authoritative; the dump's own module line is the fallback. */
        if (!driver)
                driver = a->driver;
        format_time(usec, tbuf, sizeof(tbuf));
        json_object_object_add(o, "id", json_object_new_string(id));
        json_object_object_add(o, "time", json_object_new_string(tbuf));
        json_object_object_add(o, "timestamp_usec", json_object_new_int64((int64_t)usec));
        json_object_object_add(o, "boot_id", json_object_new_string(m->boot_id));
        json_object_object_add(o, "source", json_object_new_string(j->kind == JOB_DEVCOREDUMP
                                                                           ? "devcoredump"
                                                                           : "i915-error"));
        json_object_object_add(o, "driver", str_or_null(driver));
        json_object_object_add(o, "devname", json_object_new_string(j->devname));
        if (j->kind == JOB_I915_ERROR) {
                struct json_object *h = json_object_new_object();
                char hex[17];

                snprintf(hex, sizeof(hex), "%016" PRIx64, res->head_hash);
                json_object_object_add(h, "bytes", json_object_new_int64((int64_t)res->head_size));
                json_object_object_add(h, "fnv1a64", json_object_new_string(hex));
                json_object_object_add(o, "source_head", h);
        }
        d = json_object_new_object();
        json_object_object_add(d, "syspath", str_or_null(dev->syspath));
        json_object_object_add(d, "pci_slot", str_or_null(dev->pci_slot));
        json_object_object_add(d, "vendor_id", pci_id_or_null(dev->vendor_id));
        json_object_object_add(d, "device_id",
                               pci_id_or_null(dev->device_id >= 0 ? dev->device_id : pci_id));
        json_object_object_add(d, "drm_card", str_or_null(dev->drm_card));
        json_object_object_add(o, "device", d);
        json_object_object_add(o, "kernel", json_object_new_string(m->kernel));
        p = json_object_new_object();
        json_object_object_add(p, "name", str_or_null(a->process_name));
        json_object_object_add(p, "pid", pid >= 0 ? json_object_new_int64(pid) : NULL);
        json_object_object_add(o, "process", p);
        json_object_object_add(o, "reason", str_or_null(a->reason));
        json_object_object_add(o, "blamed_engine", str_or_null(a->blamed_engine));
        json_object_object_add(o, "signature", str_or_null(a->signature));
        json_object_object_add(o, "format", json_object_new_string(a->format ? a->format : "unknown"));
        json_object_object_add(o, "size", json_object_new_int64((int64_t)res->size));
        json_object_object_add(o, "compressed_size", json_object_new_int64((int64_t)res->compressed));
        json_object_object_add(o, "state", json_object_new_string(
                res->truncated_cap || res->read_error ? "truncated" : "complete"));
        if (res->truncated_cap || res->read_error)
                json_object_object_add(o, "truncated_reason", json_object_new_string(
                        res->read_error ? "read-error" : "size-limit"));
        json_object_object_add(o, "occurrences", json_object_new_int(1));
        json_object_object_add(o, "last_occurrence", json_object_new_string(tbuf));
        return o;
}

static void collection_free(struct collection *c) {
        if (!c)
                return;
        if (c->child > 0) {
                /* Interrupted: the collector's temp file goes with it. */
                (void)kill(c->child, SIGKILL);
                (void)waitpid(c->child, NULL, 0);
        }
        json_object_put(c->report);
        if (c->tmp_fd >= 0) {
                /* Never linked: an O_TMPFILE vanishes with its fd, a named one is removed. */
                if (c->tmpname)
                        (void)gd_store_tmp_discard(c->m->store, c->tmpname);
                close(c->tmp_fd);
        }
        if (c->in_fd >= 0)
                close(c->in_fd);
        if (c->done_fd >= 0)
                close(c->done_fd);
        sd_event_source_unref(c->done_source);
        device_info_done(&c->dev);
        free(c->res.prefix);
        free(c->src);
        free(c->tmpname);
        free(c);
}

void collect_abort(struct manager *m) {
        if (!m->collection)
                return;
        log_notice("%s: collection interrupted; the kernel's copy is kept",
                   m->collection->job->devname);
        m->collection = (collection_free(m->collection), NULL);
}

/* Analyse the prefix (the header fields are at the start) into the report: libgpudump is
 * loaded here, in the collector process, never in the daemon. */
static void analyse_prefix(struct collection *c, const struct stream_result *res, struct json_object *o) {
        _cleanup_(libgpudump_dl_closep) int lib = -EOPNOTSUPP;
        _cleanup_(sym_gpudump_dump_unrefp) struct gpudump_dump *dump = NULL;
        int r;

        lib = libgpudump_dl_open();
        if (lib < 0) {
                /* Logged here, once per dump: the daemon itself never loads the library. */
                json_object_object_add(o, "no_library", json_object_new_boolean(true));
                return;
        }
        r = sym_gpudump_dump_new_from_memory(res->prefix ? res->prefix : "", res->prefix_size, 0, &dump);
        if (r < 0) {
                log_warning("%s: cannot analyse the dump: %s", c->job->devname, strerror(-r));
                return;
        }
        struct gpudump_engine *blamed = sym_gpudump_dump_get_blamed_engine(dump);
        json_object_object_add(o, "format", json_object_new_string(
                sym_gpudump_format_to_string(sym_gpudump_dump_get_format(dump))));
        json_object_object_add(o, "driver", str_or_null(sym_gpudump_dump_get_driver(dump)));
        json_object_object_add(o, "reason", str_or_null(sym_gpudump_dump_get_reason(dump)));
        json_object_object_add(o, "process_name", str_or_null(sym_gpudump_dump_get_process_name(dump)));
        json_object_object_add(o, "pid", json_object_new_int64(sym_gpudump_dump_get_process_pid(dump)));
        json_object_object_add(o, "pci_id", json_object_new_int64(sym_gpudump_dump_get_pci_id(dump)));
        json_object_object_add(o, "signature", str_or_null(sym_gpudump_dump_get_signature(dump)));
        json_object_object_add(o, "blamed_engine",
                               str_or_null(blamed ? sym_gpudump_engine_get_name(blamed) : NULL));
}

/* The collector process: stream, analyse, report on out_fd, exit. */
static _Noreturn void collector_main(struct collection *c, pid_t parent, int out_fd) {
        atomic_bool cancel = false;
        struct stream_result res;
        struct json_object *o;
        const char *text;

        /* The daemon killed (a crash, a test's SIGKILL): the collection ends with it, and the
         * unlinked temp file with its last fd. */
        if (prctl(PR_SET_PDEATHSIG, SIGKILL) < 0 || getppid() != parent)
                _exit(EXIT_FAILURE);
        stream_dump(&c->m->config, c->in_fd, c->tmp_fd, c->eio_at, &cancel, &res);
        o = json_object_new_object();
        if (!o)
                _exit(EXIT_FAILURE);
        json_object_object_add(o, "size", json_object_new_int64((int64_t)res.size));
        json_object_object_add(o, "compressed", json_object_new_int64((int64_t)res.compressed));
        json_object_object_add(o, "truncated_cap", json_object_new_boolean(res.truncated_cap));
        json_object_object_add(o, "read_error", json_object_new_int(res.read_error));
        json_object_object_add(o, "write_error", json_object_new_int(res.write_error));
        {
                char hex[17];
                snprintf(hex, sizeof(hex), "%016" PRIx64, res.head_hash);
                json_object_object_add(o, "head_hash", json_object_new_string(hex));
                json_object_object_add(o, "head_size", json_object_new_int64((int64_t)res.head_size));
        }
        if (!(res.write_error < 0 || (res.read_error < 0 && res.size == 0)))
                analyse_prefix(c, &res, o);
        text = json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN);
        if (!text || gd_write_all(out_fd, text, strlen(text)) < 0)
                _exit(EXIT_FAILURE);
        _exit(EXIT_SUCCESS);
}

/* The rest of a collection, in the event loop: analyse, rate limit, link, metadata, free. */
static uint64_t collect_finish(struct manager *m, struct collection *c) {
        struct job *j = c->job;
        struct stream_result *res = &c->res;
        struct json_object *rep = c->report;
        struct analysis a = { .pid = -1, .pci_id = -1 };
        _cleanup_(json_object_putp) struct json_object *meta = NULL, *dup = NULL;
        uint64_t delay, t_streamed = now_mono(), t_analysed, t_linked;
        int r;

        if (res->write_error < 0 || (res->read_error < 0 && res->size == 0)) {
                if (res->write_error < 0) {
                        delay = retry_delay(j);
                        log_error("%s: cannot write the store %s: %s; keeping the kernel's copy, "
                                  "retrying in %" PRIu64 " s", j->devname,
                                  gd_store_get_dir(m->store), strerror(-res->write_error),
                                  delay / 1000000);
                        return delay;
                }
                log_error("%s: reading %s failed before any data: %s; nothing stored",
                          j->devname, c->src, strerror(-res->read_error));
                return 0;
        }
        if (res->read_error < 0)
                log_warning("%s: reading %s failed after %" PRIu64 " bytes: %s; storing what "
                            "was read, marked truncated", j->devname, c->src, res->size,
                            strerror(-res->read_error));
        if (res->truncated_cap)
                log_warning("%s: dump larger than DumpSizeMax=%" PRIu64 "; stored truncated",
                            j->devname, m->config.dump_size_max);

        /* Metadata from the first AnalyzeSizeMax bytes, as the collector analysed them. Without
         * libgpudump the entry is stored all the same, its metadata fields unknown. */
        if (json_str(rep, "format")) {
                a.format = json_str(rep, "format");
                a.driver = json_str(rep, "driver");
                a.reason = json_str(rep, "reason");
                a.process_name = json_str(rep, "process_name");
                a.signature = json_str(rep, "signature");
                a.blamed_engine = json_str(rep, "blamed_engine");
                a.pid = json_int(rep, "pid");
                a.pci_id = (int)json_int(rep, "pci_id");
        }
        t_analysed = now_mono();

        /* Rate limit: the same hang again within the interval only counts. */
        r = find_rate_limited(m, a.signature, c->usec, &dup);
        if (r > 0) {
                char tbuf[64];
                const char *dup_id = json_str(dup, "id");

                format_time(c->usec, tbuf, sizeof(tbuf));
                json_object_object_add(dup, "occurrences",
                                       json_object_new_int64(json_int(dup, "occurrences") + 1));
                json_object_object_add(dup, "last_occurrence", json_object_new_string(tbuf));
                r = gd_store_write_meta(m->store, dup_id, dup);
                if (r < 0) {
                        delay = retry_delay(j);
                        log_error("%s: cannot update %s: %s; retrying in %" PRIu64 " s",
                                  j->devname, dup_id, strerror(-r), delay / 1000000);
                        return delay;
                }
                log_info("%s: same hang as %s (rate limit reached); counted, not stored",
                         j->devname, dup_id);
                free_kernel_copy(m, j, c->src);
                journal_log_entry(m, dup, true);
                return 0;
        }

        r = gd_store_tmp_link(m->store, c->tmp_fd, c->tmpname, c->id);
        if (r < 0) {
                delay = retry_delay(j);
                log_error("%s: cannot store %s: %s; keeping the kernel's copy, retrying in %" PRIu64
                          " s", j->devname, c->id, strerror(-r), delay / 1000000);
                return delay;
        }
        /* Linked: the temp file is the entry's dump now, not something to discard. */
        close(c->tmp_fd);
        c->tmp_fd = -EBADF;
        t_linked = now_mono();
        test_pause_point("linked");

        meta = build_meta(m, j, c->id, c->usec, &c->dev, &a, res);
        r = meta ? gd_store_write_meta(m->store, c->id, meta) : -ENOMEM;
        if (r < 0) {
                char zst[80];

                snprintf(zst, sizeof(zst), "%s.zst", c->id);
                (void)unlinkat(gd_store_get_dir_fd(m->store), zst, 0);
                delay = retry_delay(j);
                log_error("%s: cannot write the metadata of %s: %s; keeping the kernel's copy, "
                          "retrying in %" PRIu64 " s", j->devname, c->id, strerror(-r),
                          delay / 1000000);
                return delay;
        }
        test_pause_point("complete");

        /* The entry is durable: now, and only now, the kernel may let go of its copy. */
        free_kernel_copy(m, j, c->src);
        log_debug("%s: read+compress %.3f s, analyse %.3f s, fsync+link %.3f s, metadata %.3f s",
                  j->devname, (t_streamed - c->t_start) / 1e6, (t_analysed - t_streamed) / 1e6,
                  (t_linked - t_analysed) / 1e6, (now_mono() - t_linked) / 1e6);
        log_info("%s: collected as %s (%" PRIu64 " bytes, %" PRIu64 " compressed%s)", j->devname,
                 c->id, res->size, res->compressed,
                 res->truncated_cap || res->read_error ? ", truncated" : "");
        /* Retention before telling anyone: whoever reacts to the signal sees the store as it
         * stays, not with the entries the new one pushes out still there. */
        (void)retention_enforce(m, c->id);
        journal_log_entry(m, meta, false);
        bus_emit_collected(m, c->id);
        return 0;
}

/* Read the collector's report to EOF (it writes it at once and exits), reap the process, and
 * take the stream's outcome from the report. A collector that died without one (killed, out of
 * memory) is a store-side failure: retried, the kernel's copy kept. */
static void collector_done(struct collection *c) {
        struct job *j = c->job;
        _cleanup_free_ char *buf = NULL;
        size_t len = 0, cap = 0;
        struct rusage ru = {};
        int status = 0;

        (void)fcntl(c->done_fd, F_SETFL, 0); /* blocking: the report is small and comes at once */
        for (;;) {
                if (len + 4096 > cap) {
                        char *b = realloc(buf, cap + 65536);
                        if (!b)
                                break;
                        buf = b;
                        cap += 65536;
                }
                ssize_t k = read(c->done_fd, buf + len, cap - len - 1);
                if (k < 0 && errno == EINTR)
                        continue;
                if (k <= 0)
                        break;
                len += (size_t)k;
        }
        if (wait4(c->child, &status, 0, &ru) == c->child)
                c->child = 0;
        if (buf) {
                buf[len] = 0;
                c->report = json_tokener_parse(buf);
        }
        if (!c->report || !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
                log_error("%s: the collector process failed (%s %d)", j->devname,
                          WIFSIGNALED(status) ? "signal" : "exit status",
                          WIFSIGNALED(status) ? WTERMSIG(status) : WEXITSTATUS(status));
                json_object_put(c->report);
                c->report = NULL;
                c->res = (struct stream_result){ .write_error = -ECHILD };
                return;
        }
        c->res = (struct stream_result){
                .size = (uint64_t)json_int(c->report, "size"),
                .compressed = (uint64_t)json_int(c->report, "compressed"),
                .truncated_cap = json_int(c->report, "truncated_cap") != 0,
                .read_error = (int)json_int(c->report, "read_error"),
                .write_error = (int)json_int(c->report, "write_error"),
                .head_hash = FNV1A64_INIT,
        };
        {
                /* The i915 once-only check needs the head's hash the collector computed. */
                const char *hh = json_str(c->report, "head_hash");
                int64_t hs = json_int(c->report, "head_size");
                if (hh && hs > 0 && hs <= HEAD_BYTES) {
                        c->res.head_hash = strtoull(hh, NULL, 16);
                        c->res.head_size = (size_t)hs;
                }
        }
        log_debug("%s: collector process: peak RSS %ld KiB, CPU %.3f s", j->devname, ru.ru_maxrss,
                  ru.ru_utime.tv_sec + ru.ru_stime.tv_sec + (ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e6);
}

static int on_stream_done(sd_event_source *s, int fd, uint32_t revents, void *userdata) {
        struct manager *m = userdata;
        struct collection *c = m->collection;
        struct job *j = c->job;
        uint64_t delay;

        collector_done(c);
        delay = collect_finish(m, c);
        m->collection = NULL;
        collection_free(c);
        queue_job_done(&m->queue, j, delay);
        return 0;
}

uint64_t collect_job(struct manager *m, struct job *j) {
        _cleanup_(device_info_donep) struct device_info dev = { .vendor_id = -1, .device_id = -1 };
        _cleanup_free_ char *src = NULL, *failing = NULL, *stored = NULL;
        struct collection *c;
        uint64_t delay;
        int r;

        if (asprintf(&src, "%s/%s", j->syspath, j->kind == JOB_DEVCOREDUMP ? "data" : "error") < 0)
                return RETRY_MIN_USEC;
        if (access(src, F_OK) < 0) {
                log_warning("%s: the dump vanished before it could be read (%s)", j->devname,
                            strerror(errno));
                return 0;
        }
        if (j->kind == JOB_I915_ERROR && !i915_error_present(j->syspath)) {
                log_debug("%s: no i915 error state (already cleared)", j->devname);
                return 0;
        }

        /* Which device failed. Older kernels announce the dump before the link exists. */
        r = j->kind == JOB_DEVCOREDUMP ? device_resolve_failing(j->syspath, &failing)
                                       : device_resolve_link(j->syspath, "device", &failing);
        if (r == -ENOENT && j->kind == JOB_DEVCOREDUMP && j->link_waits < LINK_WAITS_MAX) {
                if (j->link_waits == 0)
                        log_debug("%s: no failing_device link yet; waiting for it up to %d ms",
                                  j->devname, LINK_WAITS_MAX * LINK_WAIT_USEC / 1000);
                j->link_waits++;
                return LINK_WAIT_USEC;
        }
        if (r < 0)
                log_warning("%s: no failing device link (%s); collecting without device details",
                            j->devname, strerror(-r));
        else
                (void)device_info_from_syspath(failing, &dev);
        if (j->kind == JOB_I915_ERROR && !dev.drm_card)
                dev.drm_card = strdup(j->devname);

        if (dev.driver && (strv_contains(m->config.deny_drivers, dev.driver) ||
                           !strv_contains(m->config.allow_drivers, dev.driver))) {
                log_info("%s: driver %s is not collected (AllowDrivers=/DenyDrivers=); leaving "
                         "the dump to the kernel", j->devname, dev.driver);
                return 0;
        }

        if ((j->kind == JOB_DEVCOREDUMP ? find_stored_devcd(m, j->devname, &stored)
                                        : find_stored_i915(m, j->devname, src, &stored)) > 0) {
                log_info("%s: already stored as %s; freeing the kernel's copy", j->devname, stored);
                free_kernel_copy(m, j, src);
                return 0;
        }

        (void)retention_enforce(m, NULL);

        c = calloc(1, sizeof(*c));
        if (!c)
                return retry_delay(j);
        *c = (struct collection){ .m = m, .job = j, .dev = dev, .src = TAKE_PTR(src),
                                  .in_fd = -EBADF, .tmp_fd = -EBADF, .done_fd = -EBADF,
                                  .eio_at = test_eio_at(j->devname) };
        dev = (struct device_info){ .vendor_id = -1, .device_id = -1 };

        c->in_fd = open(c->src, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
        if (c->in_fd < 0) {
                log_warning("%s: cannot open %s: %s", j->devname, c->src, strerror(errno));
                collection_free(c);
                return 0;
        }
        c->usec = now_realtime();
        r = gd_store_new_id(m->store, c->usec, m->boot_id, c->id, sizeof(c->id));
        if (r >= 0)
                r = gd_store_tmp_create(m->store, c->id, &c->tmp_fd, &c->tmpname);
        if (r < 0) {
                delay = retry_delay(j);
                log_error("%s: cannot create a file in the store %s: %s; keeping the kernel's "
                          "copy, retrying in %" PRIu64 " s", j->devname,
                          gd_store_get_dir(m->store), strerror(-r), delay / 1000000);
                collection_free(c);
                return delay;
        }
        int pipefd[2] = { -EBADF, -EBADF };
        r = pipe2(pipefd, O_CLOEXEC | O_NONBLOCK) < 0 ? -errno : 0;
        c->done_fd = pipefd[0];
        if (r >= 0)
                r = sd_event_add_io(m->event, &c->done_source, c->done_fd, EPOLLIN, on_stream_done, m);
        if (r >= 0) {
                pid_t parent = getpid();
                /* The collector must not hold the daemon's bus connection: a copy of its socket
                 * would keep the bus name owned after the daemon dies, until the collector does,
                 * and a restarted daemon could not take it. (sd-bus refuses calls after fork, so
                 * the fd is asked for here.) */
                int bus_fd = m->bus ? sd_bus_get_fd(m->bus) : -EBADF;
                c->t_start = now_mono();
                c->child = fork();
                if (c->child == 0) {
                        if (bus_fd >= 0)
                                close(bus_fd);
                        close(pipefd[0]);
                        (void)fcntl(pipefd[1], F_SETFL, 0);
                        collector_main(c, parent, pipefd[1]);
                }
                r = c->child < 0 ? -errno : 0;
                if (c->child < 0)
                        c->child = 0;
        }
        if (pipefd[1] >= 0)
                close(pipefd[1]); /* the collector's end: EOF once it exits */
        if (r < 0) {
                log_error("%s: cannot start the collection: %s", j->devname, strerror(-r));
                collection_free(c);
                return retry_delay(j);
        }
        m->collection = c;
        return COLLECT_PENDING;
}
