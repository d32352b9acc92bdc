/* SPDX-License-Identifier: MIT */
/*
 * The dump store (docs/store.md). The reader side (list/get/open/delete) is used by the CLI with
 * --store and by gpudumpd's bus API; the writer side (temp files, linking, metadata) by gpudumpd.
 * Nothing here logs: every function returns a negative errno and the caller decides what to say.
 */
#include "gd-store.h"
#include "gd-macro.h"

#include <dirent.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <time.h>

#include <json-c/json.h>
#include <zstd.h>

struct gd_store {
        char *dir;
        int dir_fd;
        bool writable;
        unsigned long long counter; /* last id counter handed out */
};

static inline void json_object_putp(struct json_object **p) {
        if (*p)
                json_object_put(*p);
}
#define _cleanup_json_ _cleanup_(json_object_putp)

static inline void closedirp(DIR **d) {
        if (*d)
                closedir(*d);
}
#define _cleanup_closedir_ _cleanup_(closedirp)

int gd_store_open(const char *dir, bool writable, struct gd_store **ret) {
        _cleanup_free_ struct gd_store *s = NULL;
        int fd;

        if (!dir || !ret)
                return -EINVAL;
        if (writable && mkdir(dir, 0750) < 0 && errno != EEXIST)
                return -errno;
        fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (fd < 0)
                return -errno;
        s = calloc(1, sizeof(*s));
        if (!s) {
                close(fd);
                return -ENOMEM;
        }
        s->dir_fd = fd;
        s->writable = writable;
        s->dir = strdup(dir);
        if (!s->dir) {
                close(fd);
                return -ENOMEM;
        }
        *ret = TAKE_PTR(s);
        return 0;
}

struct gd_store *gd_store_free(struct gd_store *s) {
        if (!s)
                return NULL;
        if (s->dir_fd >= 0)
                close(s->dir_fd);
        free(s->dir);
        free(s);
        return NULL;
}

const char *gd_store_get_dir(struct gd_store *s) {
        return s ? s->dir : NULL;
}

int gd_store_get_dir_fd(struct gd_store *s) {
        return s ? s->dir_fd : -EBADF;
}

static bool is_hex(char c) {
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
}

/* YYYYmmddTHHMMSS-xxxxxxxx-xxxxxx (the counter may grow past 6 hex digits). */
int gd_store_id_is_valid(const char *id) {
        size_t n, i;

        if (!id)
                return 0;
        n = strlen(id);
        if (n < 31 || n > 40)
                return 0;
        for (i = 0; i < 15; i++) {
                if (i == 8) {
                        if (id[i] != 'T')
                                return 0;
                } else if (id[i] < '0' || id[i] > '9')
                        return 0;
        }
        if (id[15] != '-' || id[24] != '-')
                return 0;
        for (i = 16; i < 24; i++)
                if (!is_hex(id[i]))
                        return 0;
        for (i = 25; i < n; i++)
                if (!is_hex(id[i]))
                        return 0;
        return 1;
}

/* Read a whole small regular file relative to the store directory. */
static int read_small_file(int dir_fd, const char *name, char **ret, size_t *ret_size) {
        _cleanup_close_ int fd = -EBADF;
        _cleanup_free_ char *buf = NULL;
        size_t n = 0, cap = 0;

        fd = openat(dir_fd, name, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
        if (fd < 0)
                return -errno;
        for (;;) {
                ssize_t k;

                if (cap - n < 4096) {
                        char *p;

                        if (cap > (16u << 20))
                                return -EFBIG; /* metadata is a few hundred bytes */
                        cap = cap ? cap * 2 : 8192;
                        p = realloc(buf, cap + 1);
                        if (!p)
                                return -ENOMEM;
                        buf = p;
                }
                k = read(fd, buf + n, cap - n);
                if (k < 0) {
                        if (errno == EINTR)
                                continue;
                        return -errno;
                }
                if (k == 0)
                        break;
                n += (size_t)k;
        }
        if (!buf) {
                buf = malloc(1);
                if (!buf)
                        return -ENOMEM;
        }
        buf[n] = 0;
        if (ret_size)
                *ret_size = n;
        *ret = TAKE_PTR(buf);
        return 0;
}

static int parse_meta(const char *text, struct json_object **ret) {
        struct json_tokener *tok;
        struct json_object *o;

        tok = json_tokener_new();
        if (!tok)
                return -ENOMEM;
        o = json_tokener_parse_ex(tok, text, (int)strlen(text));
        if (!o || json_tokener_get_error(tok) != json_tokener_success ||
            !json_object_is_type(o, json_type_object)) {
                json_tokener_free(tok);
                json_object_put(o);
                return -EBADMSG;
        }
        json_tokener_free(tok);
        *ret = o;
        return 0;
}

int gd_store_get(struct gd_store *s, const char *id, struct json_object **ret_meta) {
        _cleanup_free_ char *name = NULL, *text = NULL;
        int r;

        if (!s || !ret_meta)
                return -EINVAL;
        if (!gd_store_id_is_valid(id))
                return -ENOENT;
        if (asprintf(&name, "%s.json", id) < 0)
                return -ENOMEM;
        r = read_small_file(s->dir_fd, name, &text, NULL);
        if (r < 0)
                return r;
        return parse_meta(text, ret_meta);
}

static int cmp_str(const void *a, const void *b) {
        return strcmp(*(char *const *)a, *(char *const *)b);
}

int gd_store_list_ids(struct gd_store *s, char ***ret_ids, size_t *ret_n) {
        _cleanup_closedir_ DIR *d = NULL;
        char **ids = NULL;
        size_t n = 0;
        struct dirent *de;
        int fd, r = 0;

        if (!s || !ret_ids || !ret_n)
                return -EINVAL;
        fd = openat(s->dir_fd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (fd < 0)
                return -errno;
        d = fdopendir(fd);
        if (!d) {
                r = -errno;
                close(fd);
                return r;
        }
        while ((errno = 0, de = readdir(d))) {
                size_t len = strlen(de->d_name);
                char *id;

                if (len < 6 || strcmp(de->d_name + len - 5, ".json") != 0)
                        continue;
                id = strndup(de->d_name, len - 5);
                if (!id) {
                        r = -ENOMEM;
                        break;
                }
                if (!gd_store_id_is_valid(id)) {
                        free(id);
                        continue;
                }
                r = GD_ARRAY_PUSH(ids, n, id);
                if (r < 0) {
                        free(id);
                        break;
                }
        }
        if (r == 0 && errno != 0)
                r = -errno;
        if (r < 0) {
                gd_store_free_ids(ids, n);
                return r;
        }
        if (n > 0)
                qsort(ids, n, sizeof(*ids), cmp_str);
        *ret_ids = ids;
        *ret_n = n;
        return 0;
}

void gd_store_free_ids(char **ids, size_t n) {
        for (size_t i = 0; i < n; i++)
                free(ids[i]);
        free(ids);
}

int gd_store_list(struct gd_store *s, struct json_object **ret_array) {
        _cleanup_json_ struct json_object *arr = NULL;
        char **ids = NULL;
        size_t n = 0;
        int r;

        if (!s || !ret_array)
                return -EINVAL;
        r = gd_store_list_ids(s, &ids, &n);
        if (r < 0)
                return r;
        arr = json_object_new_array();
        if (!arr) {
                gd_store_free_ids(ids, n);
                return -ENOMEM;
        }
        for (size_t i = 0; i < n; i++) {
                struct json_object *meta = NULL;

                r = gd_store_get(s, ids[i], &meta);
                if (r == -ENOENT || r == -EBADMSG)
                        continue; /* deleted meanwhile, or not ours: skip, never fail the list */
                if (r < 0) {
                        gd_store_free_ids(ids, n);
                        return r;
                }
                json_object_array_add(arr, meta);
        }
        gd_store_free_ids(ids, n);
        *ret_array = TAKE_PTR(arr);
        return 0;
}

int gd_store_open_dump(struct gd_store *s, const char *id, int *ret_fd) {
        _cleanup_free_ char *name = NULL;
        struct stat st;
        int fd;

        if (!s || !ret_fd)
                return -EINVAL;
        if (!gd_store_id_is_valid(id))
                return -ENOENT;
        /* Only complete entries exist (docs/store.md: the metadata is the completion marker). */
        if (asprintf(&name, "%s.json", id) < 0)
                return -ENOMEM;
        if (fstatat(s->dir_fd, name, &st, AT_SYMLINK_NOFOLLOW) < 0)
                return -errno;
        name[strlen(name) - 5] = 0;
        free(TAKE_PTR(name));
        if (asprintf(&name, "%s.zst", id) < 0)
                return -ENOMEM;
        fd = openat(s->dir_fd, name, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
        if (fd < 0)
                return -errno;
        *ret_fd = fd;
        return 0;
}

static int fsync_dir(struct gd_store *s) {
        return fsync(s->dir_fd) < 0 ? -errno : 0;
}

int gd_store_delete(struct gd_store *s, const char *id) {
        char name[64];
        int r;

        if (!s)
                return -EINVAL;
        if (!gd_store_id_is_valid(id))
                return -ENOENT;
        snprintf(name, sizeof(name), "%s.json", id);
        if (unlinkat(s->dir_fd, name, 0) < 0)
                return -errno;
        /* The entry is gone once its metadata is; make that durable before the dump goes. */
        r = fsync_dir(s);
        snprintf(name, sizeof(name), "%s.zst", id);
        if (unlinkat(s->dir_fd, name, 0) < 0 && errno != ENOENT)
                return -errno;
        return r;
}

int gd_zstd_decompress_fd(int in_fd, int out_fd) {
        ZSTD_DCtx *dctx;
        size_t in_cap = ZSTD_DStreamInSize(), out_cap = ZSTD_DStreamOutSize();
        _cleanup_free_ void *in_buf = malloc(in_cap);
        _cleanup_free_ void *out_buf = malloc(out_cap);
        size_t last = 0;
        bool any = false;
        int r = 0;

        if (!in_buf || !out_buf)
                return -ENOMEM;
        dctx = ZSTD_createDCtx();
        if (!dctx)
                return -ENOMEM;
        for (;;) {
                ssize_t k = read(in_fd, in_buf, in_cap);
                ZSTD_inBuffer in;

                if (k < 0) {
                        if (errno == EINTR)
                                continue;
                        r = -errno;
                        break;
                }
                if (k == 0)
                        break;
                any = true;
                in = (ZSTD_inBuffer){ in_buf, (size_t)k, 0 };
                while (in.pos < in.size) {
                        ZSTD_outBuffer out = { out_buf, out_cap, 0 };
                        size_t off = 0;

                        last = ZSTD_decompressStream(dctx, &out, &in);
                        if (ZSTD_isError(last)) {
                                r = -EBADMSG;
                                goto finish;
                        }
                        while (off < out.pos) {
                                ssize_t w = write(out_fd, (char *)out_buf + off, out.pos - off);

                                if (w < 0) {
                                        if (errno == EINTR)
                                                continue;
                                        r = -errno;
                                        goto finish;
                                }
                                off += (size_t)w;
                        }
                }
        }
        /* A frame that stops in the middle is a truncated file, not a short dump. */
        if (r == 0 && (!any || last != 0))
                r = -EBADMSG;
finish:
        ZSTD_freeDCtx(dctx);
        return r;
}

/* ---- writer side (gpudumpd) ---- */

int gd_store_new_id(struct gd_store *s, uint64_t usec, const char *boot_id, char *ret,
                    size_t ret_size) {
        char **ids = NULL, prefix[10];
        size_t n = 0;
        unsigned long long counter = 0;
        struct tm tm;
        time_t t = (time_t)(usec / 1000000);
        char stamp[32];
        int r;

        if (!s || !boot_id || strlen(boot_id) < 8 || !ret || ret_size < 41)
                return -EINVAL;
        memcpy(prefix, boot_id, 8);
        prefix[8] = 0;
        /* The counter continues from the highest id of this boot so a restarted daemon never
         * reuses an id, even within the same second. */
        r = gd_store_list_ids(s, &ids, &n);
        if (r < 0)
                return r;
        for (size_t i = 0; i < n; i++)
                if (strncmp(ids[i] + 16, prefix, 8) == 0) {
                        unsigned long long c = strtoull(ids[i] + 25, NULL, 16);

                        if (c > counter)
                                counter = c;
                }
        gd_store_free_ids(ids, n);
        if (s->counter > counter)
                counter = s->counter;
        s->counter = counter + 1;
        if (!gmtime_r(&t, &tm))
                return -EINVAL;
        strftime(stamp, sizeof(stamp), "%Y%m%dT%H%M%S", &tm);
        snprintf(ret, ret_size, "%s-%s-%06llx", stamp, prefix, counter + 1);
        return 0;
}

int gd_store_remove_incomplete(struct gd_store *s) {
        _cleanup_closedir_ DIR *d = NULL;
        struct dirent *de;
        int fd, removed = 0;

        if (!s)
                return -EINVAL;
        fd = openat(s->dir_fd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (fd < 0)
                return -errno;
        d = fdopendir(fd);
        if (!d) {
                int r = -errno;
                close(fd);
                return r;
        }
        while ((de = readdir(d))) {
                const char *n = de->d_name;
                size_t len = strlen(n);
                bool drop = false;

                if (strncmp(n, ".tmp-", 5) == 0)
                        drop = true; /* in-flight file of a daemon that died */
                else if (len > 4 && strcmp(n + len - 4, ".zst") == 0) {
                        char json[256];
                        struct stat st;

                        /* A dump without metadata never became an entry (docs/store.md). */
                        if (len - 4 + 6 > sizeof(json))
                                continue;
                        snprintf(json, sizeof(json), "%.*s.json", (int)(len - 4), n);
                        if (fstatat(s->dir_fd, json, &st, AT_SYMLINK_NOFOLLOW) < 0 &&
                            errno == ENOENT)
                                drop = true;
                }
                if (drop && unlinkat(s->dir_fd, n, 0) == 0)
                        removed++;
        }
        if (removed > 0)
                (void)fsync_dir(s);
        return removed;
}

int gd_store_tmp_create(struct gd_store *s, const char *id, int *ret_fd, char **ret_tmpname) {
        _cleanup_free_ char *name = NULL;
        int fd;

        if (!s || !ret_fd || !ret_tmpname || !gd_store_id_is_valid(id))
                return -EINVAL;
        /* An unnamed file cannot be left behind by a crash. */
        fd = openat(s->dir_fd, ".", O_TMPFILE | O_RDWR | O_CLOEXEC, 0640);
        if (fd >= 0) {
                (void)fchmod(fd, 0640); /* the umask must not widen or narrow it */
                *ret_fd = fd;
                *ret_tmpname = NULL;
                return 0;
        }
        if (errno != EOPNOTSUPP && errno != EISDIR && errno != EINVAL)
                return -errno;
        if (asprintf(&name, ".tmp-%s.zst", id) < 0)
                return -ENOMEM;
        fd = openat(s->dir_fd, name, O_CREAT | O_EXCL | O_RDWR | O_CLOEXEC | O_NOFOLLOW, 0640);
        if (fd < 0 && errno == EEXIST) {
                (void)unlinkat(s->dir_fd, name, 0);
                fd = openat(s->dir_fd, name, O_CREAT | O_EXCL | O_RDWR | O_CLOEXEC | O_NOFOLLOW,
                            0640);
        }
        if (fd < 0)
                return -errno;
        (void)fchmod(fd, 0640);
        *ret_fd = fd;
        *ret_tmpname = TAKE_PTR(name);
        return 0;
}

int gd_store_tmp_discard(struct gd_store *s, const char *tmpname) {
        if (!s)
                return -EINVAL;
        if (!tmpname)
                return 0; /* O_TMPFILE: closing the fd is enough */
        return unlinkat(s->dir_fd, tmpname, 0) < 0 ? -errno : 0;
}

int gd_store_tmp_link(struct gd_store *s, int fd, const char *tmpname, const char *id) {
        char name[64], proc[64];

        if (!s || fd < 0 || !gd_store_id_is_valid(id))
                return -EINVAL;
        if (fsync(fd) < 0)
                return -errno;
        snprintf(name, sizeof(name), "%s.zst", id);
        if (tmpname) {
                if (renameat(s->dir_fd, tmpname, s->dir_fd, name) < 0)
                        return -errno;
        } else {
                /* linkat(AT_EMPTY_PATH) would need CAP_DAC_READ_SEARCH; /proc/self/fd does not. */
                snprintf(proc, sizeof(proc), "/proc/self/fd/%d", fd);
                if (linkat(AT_FDCWD, proc, s->dir_fd, name, AT_SYMLINK_FOLLOW) < 0)
                        return -errno;
        }
        return fsync_dir(s);
}

int gd_store_write_meta(struct gd_store *s, const char *id, struct json_object *meta) {
        char tmp[80], name[64];
        const char *text;
        _cleanup_close_ int fd = -EBADF;
        size_t len, off = 0;
        int r;

        if (!s || !meta || !gd_store_id_is_valid(id))
                return -EINVAL;
        text = json_object_to_json_string_ext(meta, JSON_C_TO_STRING_PRETTY |
                                                    JSON_C_TO_STRING_NOSLASHESCAPE);
        if (!text)
                return -ENOMEM;
        len = strlen(text);
        snprintf(tmp, sizeof(tmp), ".tmp-%s.json", id);
        snprintf(name, sizeof(name), "%s.json", id);
        fd = openat(s->dir_fd, tmp, O_CREAT | O_TRUNC | O_WRONLY | O_CLOEXEC | O_NOFOLLOW, 0640);
        if (fd < 0)
                return -errno;
        (void)fchmod(fd, 0640);
        while (off < len) {
                ssize_t k = write(fd, text + off, len - off);

                if (k < 0) {
                        if (errno == EINTR)
                                continue;
                        r = -errno;
                        goto fail;
                }
                off += (size_t)k;
        }
        if (write(fd, "\n", 1) != 1 || fsync(fd) < 0) {
                r = errno ? -errno : -EIO;
                goto fail;
        }
        if (renameat(s->dir_fd, tmp, s->dir_fd, name) < 0) {
                r = -errno;
                goto fail;
        }
        return fsync_dir(s);
fail:
        (void)unlinkat(s->dir_fd, tmp, 0);
        return r;
}

int gd_store_entry_disk_usage(struct gd_store *s, const char *id, uint64_t *ret_bytes) {
        static const char *const suffixes[] = { ".zst", ".json" };
        uint64_t total = 0;

        if (!s || !ret_bytes || !gd_store_id_is_valid(id))
                return -EINVAL;
        for (size_t i = 0; i < ELEMENTSOF(suffixes); i++) {
                char name[64];
                struct stat st;

                snprintf(name, sizeof(name), "%s%s", id, suffixes[i]);
                if (fstatat(s->dir_fd, name, &st, AT_SYMLINK_NOFOLLOW) < 0) {
                        if (errno == ENOENT)
                                continue;
                        return -errno;
                }
                total += (uint64_t)st.st_blocks * 512;
        }
        *ret_bytes = total;
        return 0;
}

int gd_store_fs_usage(struct gd_store *s, uint64_t *ret_size, uint64_t *ret_free) {
        struct statvfs sv;

        if (!s)
                return -EINVAL;
        if (fstatvfs(s->dir_fd, &sv) < 0)
                return -errno;
        if (ret_size)
                *ret_size = (uint64_t)sv.f_blocks * sv.f_frsize;
        if (ret_free)
                *ret_free = (uint64_t)sv.f_bavail * sv.f_frsize;
        return 0;
}
