/* SPDX-License-Identifier: MIT */
/*
 * Which device failed: follow devcdN/failing_device (or cardN/device for i915) and read driver,
 * PCI slot, vendor/device ids and DRM card from sysfs. Plain file access rather than libudev so
 * that the same code runs on umockdev's fake /sys, where only the files are faked.
 */
#include <dirent.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>

#include "daemon.h"
#include "device.h"

void device_info_done(struct device_info *d) {
        free(d->syspath);
        free(d->driver);
        free(d->pci_slot);
        free(d->drm_card);
        *d = (struct device_info){ .vendor_id = -1, .device_id = -1 };
}

int sysfs_read_attr(const char *dir, const char *attr, char **ret) {
        _cleanup_free_ char *path = NULL;
        _cleanup_close_ int fd = -EBADF;
        char buf[4097];
        ssize_t n;
        char *s;

        if (asprintf(&path, "%s/%s", dir, attr) < 0)
                return -ENOMEM;
        fd = open(path, O_RDONLY | O_CLOEXEC);
        if (fd < 0)
                return -errno;
        n = read(fd, buf, sizeof(buf) - 1);
        if (n < 0)
                return -errno;
        buf[n] = 0;
        while (n > 0 && (buf[n - 1] == '\n' || buf[n - 1] == ' '))
                buf[--n] = 0;
        s = strdup(buf);
        if (!s)
                return -ENOMEM;
        *ret = s;
        return 0;
}

/* Turn "dir" + relative link target into a clean absolute path (no "..", no "."). */
static char *join_normalize(const char *dir, const char *target) {
        _cleanup_free_ char *joined = NULL;
        char *out, *save = NULL, *tok;
        size_t len = 0;

        if (target[0] == '/')
                joined = strdup(target);
        else if (asprintf(&joined, "%s/%s", dir, target) < 0)
                joined = NULL;
        if (!joined)
                return NULL;
        out = calloc(1, strlen(joined) + 2);
        if (!out)
                return NULL;
        for (tok = strtok_r(joined, "/", &save); tok; tok = strtok_r(NULL, "/", &save)) {
                if (!strcmp(tok, "."))
                        continue;
                if (!strcmp(tok, "..")) {
                        char *slash = strrchr(out, '/');
                        if (slash)
                                *slash = 0;
                        len = strlen(out);
                        continue;
                }
                out[len++] = '/';
                strcpy(out + len, tok);
                len += strlen(tok);
        }
        if (len == 0)
                strcpy(out, "/");
        return out;
}

int device_resolve_link(const char *dir, const char *name, char **ret) {
        _cleanup_free_ char *link = NULL;
        char target[PATH_MAX];
        ssize_t n;

        if (asprintf(&link, "%s/%s", dir, name) < 0)
                return -ENOMEM;
        n = readlink(link, target, sizeof(target) - 1);
        if (n < 0)
                return -errno;
        target[n] = 0;
        *ret = join_normalize(dir, target);
        return *ret ? 0 : -ENOMEM;
}

int device_resolve_failing(const char *devcd_syspath, char **ret_syspath) {
        return device_resolve_link(devcd_syspath, "failing_device", ret_syspath);
}

/* Value of KEY= in a uevent file, or NULL. */
static char *uevent_get(const char *dir, const char *key) {
        _cleanup_free_ char *text = NULL;
        size_t klen = strlen(key);
        char *line, *save = NULL;

        if (sysfs_read_attr(dir, "uevent", &text) < 0)
                return NULL;
        for (line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save))
                if (strncmp(line, key, klen) == 0 && line[klen] == '=')
                        return strdup(line + klen + 1);
        return NULL;
}

static int read_hex_attr(const char *dir, const char *attr) {
        _cleanup_free_ char *s = NULL;
        char *end;
        long v;

        if (sysfs_read_attr(dir, attr, &s) < 0)
                return -1;
        v = strtol(s, &end, 16);
        if (end == s || *end || v < 0 || v > 0xffff)
                return -1;
        return (int)v;
}

static char *find_drm_card(const char *dir) {
        _cleanup_free_ char *drm = NULL;
        DIR *d;
        struct dirent *de;
        char *found = NULL;

        if (asprintf(&drm, "%s/drm", dir) < 0)
                return NULL;
        d = opendir(drm);
        if (!d)
                return NULL;
        while ((de = readdir(d)))
                if (strncmp(de->d_name, "card", 4) == 0 && !strchr(de->d_name, '-')) {
                        found = strdup(de->d_name);
                        break;
                }
        closedir(d);
        return found;
}

int device_info_from_syspath(const char *syspath, struct device_info *d) {
        char *slash;
        int r;

        *d = (struct device_info){ .vendor_id = -1, .device_id = -1 };
        if (access(syspath, F_OK) < 0)
                return -errno;
        d->syspath = strdup(syspath);
        if (!d->syspath)
                return -ENOMEM;
        /* The driver link names the module; uevent's DRIVER= is the fallback ChromeOS uses. */
        r = device_resolve_link(syspath, "driver", &d->driver);
        if (r >= 0) {
                slash = strrchr(d->driver, '/');
                if (slash)
                        memmove(d->driver, slash + 1, strlen(slash));
        } else
                d->driver = uevent_get(syspath, "DRIVER");
        d->pci_slot = uevent_get(syspath, "PCI_SLOT_NAME");
        if (!d->pci_slot) {
                /* A PCI device's directory is its slot name. */
                const char *base = strrchr(syspath, '/');
                if (base && strlen(base + 1) == 12 && base[5] == ':' && base[8] == ':' &&
                    base[11] == '.')
                        d->pci_slot = strdup(base + 1);
        }
        d->vendor_id = read_hex_attr(syspath, "vendor");
        d->device_id = read_hex_attr(syspath, "device");
        d->drm_card = find_drm_card(syspath);
        return 0;
}
