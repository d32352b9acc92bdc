/* SPDX-License-Identifier: MIT */
/*
 * The dump store (docs/store.md), shared by gpudumpd (writer) and `gpudump --store` (reader).
 * Every function returns 0 or a negative errno and never logs: the caller decides what to say.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct json_object;
struct gd_store;

/* Open the store at dir. With writable, create it (0750) if missing. */
int gd_store_open(const char *dir, bool writable, struct gd_store **ret);
struct gd_store *gd_store_free(struct gd_store *s);
const char *gd_store_get_dir(struct gd_store *s);

/* 1 when id has the store's id syntax (no '/', no leading '.'), else 0. */
int gd_store_id_is_valid(const char *id);

/* A new json array of every complete entry's metadata, oldest first. */
int gd_store_list(struct gd_store *s, struct json_object **ret_array);
/* One entry's metadata. -ENOENT when there is no complete entry with that id. */
int gd_store_get(struct gd_store *s, const char *id, struct json_object **ret_meta);
/* A read-only O_CLOEXEC fd of the stored compressed dump. -ENOENT as above. */
int gd_store_open_dump(struct gd_store *s, const char *id, int *ret_fd);
/* Remove an entry (metadata first, so a crash never leaves a visible half entry). */
int gd_store_delete(struct gd_store *s, const char *id);

/* Decompress a zstd stream from in_fd to out_fd (streaming, bounded memory). */
int gd_zstd_decompress_fd(int in_fd, int out_fd);

/* ---- additions (gpudumpd writes the store; the readers above need none of these) ---- */

/* The store directory's O_DIRECTORY fd (borrowed). */
int gd_store_get_dir_fd(struct gd_store *s);
/* Every complete entry's id, sorted (oldest first). Free with gd_store_free_ids(). */
int gd_store_list_ids(struct gd_store *s, char ***ret_ids, size_t *ret_n);
void gd_store_free_ids(char **ids, size_t n);
/* A new id (docs/store.md) for time usec and the 32-hex boot id; ret_size >= 41. */
int gd_store_new_id(struct gd_store *s, uint64_t usec, const char *boot_id, char *ret,
                    size_t ret_size);
/* Remove `.tmp-*` files and dumps without metadata. Returns how many files went. */
int gd_store_remove_incomplete(struct gd_store *s);
/* A temp file (0640) for a dump: O_TMPFILE (*ret_tmpname NULL), else `.tmp-<id>.zst`. */
int gd_store_tmp_create(struct gd_store *s, const char *id, int *ret_fd, char **ret_tmpname);
/* Forget a temp file that will not become an entry (the caller closes fd). */
int gd_store_tmp_discard(struct gd_store *s, const char *tmpname);
/* fsync the temp file, make it `<id>.zst`, fsync the directory. */
int gd_store_tmp_link(struct gd_store *s, int fd, const char *tmpname, const char *id);
/* Write `<id>.json` atomically and durably (temp, fsync, rename, fsync dir): the completion
 * marker, or an update of an existing entry. */
int gd_store_write_meta(struct gd_store *s, const char *id, struct json_object *meta);
/* Bytes an entry occupies on disk (allocated blocks of dump and metadata). */
int gd_store_entry_disk_usage(struct gd_store *s, const char *id, uint64_t *ret_bytes);
/* Size and space available to unprivileged users of the store's file system. */
int gd_store_fs_usage(struct gd_store *s, uint64_t *ret_size, uint64_t *ret_free);
