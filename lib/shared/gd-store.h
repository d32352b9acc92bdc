/* SPDX-License-Identifier: MIT */
/*
 * The dump store (docs/store.md), shared by gpudumpd (writer) and `gpudump --store` (reader).
 * Every function returns 0 or a negative errno and never logs: the caller decides what to say.
 */
#pragma once

#include <stdbool.h>
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
