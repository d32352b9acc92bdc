/* SPDX-License-Identifier: MIT */
/* Resolve the device a dump came from, from sysfs (works the same on umockdev's fake /sys). */
#pragma once

#include <stdint.h>

struct device_info {
        char *syspath;  /* resolved failing device */
        char *driver;   /* "xe", "i915", ... */
        char *pci_slot; /* "0000:00:02.0" */
        int vendor_id;  /* -1 when unknown */
        int device_id;
        char *drm_card; /* "card0" */
};

void device_info_done(struct device_info *d);
/* Fill d from the failing device directory. -ENOENT when the directory does not exist. */
int device_info_from_syspath(const char *syspath, struct device_info *d);
/* The failing device of a devcdN directory: -ENOENT while the link is missing. */
int device_resolve_failing(const char *devcd_syspath, char **ret_syspath);
/* Resolve the symlink dir/name to a clean absolute path. */
int device_resolve_link(const char *dir, const char *name, char **ret);
/* Read a sysfs attribute as trimmed text (at most 4 KiB). */
int sysfs_read_attr(const char *dir, const char *attr, char **ret);
