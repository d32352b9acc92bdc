/* SPDX-License-Identifier: MIT */
/*
 * Which Intel graphics IP a dump is about, and how we know. The command tables, the register
 * tables and the report all key on it, so it is decided once, here, from the best evidence the
 * dump carries: the hardware's own GMD_ID word (xe `IP ver` of the main GT) beats the PCI id's
 * table entry, which beats what an i915 error code or platform name implies (those give only the
 * major version, and old kernels print no PCI id in some paths).
 */
#include <stdio.h>
#include <string.h>

#include "gd-macro.h"
#include "intel-devices.h"
#include "model.h"

static bool intel_format(const struct gpudump_dump *d) {
        return d->format == GPUDUMP_FORMAT_XE || d->format == GPUDUMP_FORMAT_I915;
}

/* "20.04.4" / "12.55.0" -> 2004 / 1255 */
static unsigned from_gmdid(const struct gpudump_dump *d) {
        for (size_t i = 0; i < d->n_gts; i++) {
                const struct gd_gt *gt = &d->gts[i];
                unsigned maj, min;
                if (gt->type && strcmp(gt->type, "main") != 0)
                        continue;
                if (gt->ip_version && sscanf(gt->ip_version, "%u.%u", &maj, &min) == 2 &&
                    maj > 0 && maj < 100 && min < 100)
                        return maj * 100 + min;
        }
        return 0;
}

/* i915 "GPU HANG: ecode 12:1:..." carries the major version only. */
static unsigned from_ecode(const struct gpudump_dump *d) {
        const char *e = d->reason ? strstr(d->reason, "ecode ") : NULL;
        unsigned maj;
        if (e && sscanf(e + 6, "%u:", &maj) == 1 && maj > 0 && maj < 100)
                return maj * 100;
        return 0;
}

/* i915 `Platform:` as intel_platform_name() prints it: exact table names first, then the
 * family prefixes of kernels that printed subplatforms differently. */
static const struct gd_intel_platform *from_platform_name(const char *name) {
        static const struct gd_intel_platform families[] = {
                { "METEORLAKE", NULL, 1270, 0, true }, { "DG2", NULL, 1255, 0, false },
                { "ALDERLAKE", NULL, 1200, 0, false }, { "RAPTORLAKE", NULL, 1200, 0, false },
                { "ROCKETLAKE", NULL, 1200, 0, false }, { "TIGERLAKE", NULL, 1200, 0, false },
                { "DG1", NULL, 1210, 0, false }, { "ICELAKE", NULL, 1100, 0, false },
                { "ELKHARTLAKE", NULL, 1100, 0, false }, { "JASPERLAKE", NULL, 1100, 0, false },
                { "COFFEELAKE", NULL, 900, 0, false }, { "COMETLAKE", NULL, 900, 0, false },
                { "KABYLAKE", NULL, 900, 0, false }, { "SKYLAKE", NULL, 900, 0, false },
                { "BROXTON", NULL, 900, 0, false }, { "GEMINILAKE", NULL, 900, 0, false },
                { "BROADWELL", NULL, 800, 0, false }, { "CHERRYVIEW", NULL, 800, 0, false },
                { "HASWELL", NULL, 705, 0, false }, { "IVYBRIDGE", NULL, 700, 0, false },
                { "VALLEYVIEW", NULL, 700, 0, false }, { "SANDYBRIDGE", NULL, 600, 0, false },
                { "IRONLAKE", NULL, 500, 0, false },
        };
        if (!name)
                return NULL;
        for (size_t i = 0; i < gd_intel_n_platforms; i++)
                if (strcmp(name, gd_intel_platforms[i].name) == 0)
                        return &gd_intel_platforms[i];
        for (size_t i = 0; i < ELEMENTSOF(families); i++)
                if (strncmp(name, families[i].name, strlen(families[i].name)) == 0)
                        return &families[i];
        return NULL;
}

unsigned gd_dump_gfx_ver(const struct gpudump_dump *d, enum gd_gfx_ver_source *source,
                         const struct gd_intel_platform **platform) {
        const struct gd_intel_platform *p = NULL;
        enum gd_gfx_ver_source src = GD_GFX_VER_NONE;
        unsigned ver = 0;

        if (intel_format(d)) {
                p = gd_intel_device_lookup(d->pci_id);
                if ((ver = from_gmdid(d)))
                        src = GD_GFX_VER_GMDID;
                else if (p) {
                        ver = p->gfx_ver;
                        src = GD_GFX_VER_PCI_ID;
                } else if ((ver = from_ecode(d)))
                        src = GD_GFX_VER_ECODE;
                else {
                        const struct gd_intel_platform *n = from_platform_name(d->platform);
                        if (n) {
                                ver = n->gfx_ver;
                                src = GD_GFX_VER_PLATFORM;
                        }
                }
        }
        if (source)
                *source = src;
        if (platform)
                *platform = p;
        return ver;
}

const char *gd_gfx_ver_source_name(enum gd_gfx_ver_source s) {
        switch (s) {
        case GD_GFX_VER_GMDID: return "gmd_id";
        case GD_GFX_VER_PCI_ID: return "pci_id";
        case GD_GFX_VER_ECODE: return "ecode";
        case GD_GFX_VER_PLATFORM: return "platform";
        case GD_GFX_VER_NONE: break;
        }
        return NULL;
}

/* 405 -> "4.5", 705 -> "7.5", 1255 -> "12.55", 2004 -> "20.04": from Xe on the minor is a two-digit
 * release number (12.10 is not 12.1), before it a single digit, as Mesa and IGT write them. */
void gd_gfx_ver_format(unsigned ver, char *buf, size_t size) {
        if (ver / 100 >= 12)
                snprintf(buf, size, "%u.%02u", ver / 100, ver % 100);
        else
                snprintf(buf, size, "%u.%u", ver / 100, ver % 100);
}
