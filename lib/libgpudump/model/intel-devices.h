/* SPDX-License-Identifier: MIT */
/*
 * Intel PCI device ids: platform and graphics version of every device the i915 and xe kernel
 * drivers bind to. Device facts, no format knowledge: the formats and the analysis use them when
 * a dump names its device only by PCI id (every i915 error state, xe dumps before GMD_ID was
 * printed).
 *
 * Graphics versions are written as major * 100 + minor (GM45 4.5 -> 405, DG2 12.55 -> 1255,
 * Lunar Lake 20.04 -> 2004), as the analysis and the command tables take them.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum {
        GD_INTEL_DRV_I915 = 1 << 0,
        GD_INTEL_DRV_XE = 1 << 1,
};

struct gd_intel_platform {
        const char *name;    /* the kernel's platform name, as i915 prints it: "GM45", "ALDERLAKE_P" */
        const char *variant; /* the kernel's subplatform or a marketing variant ("RPL-S", "ARL-H",
                              * "G21"), NULL when none */
        unsigned gfx_ver;    /* major * 100 + minor */
        unsigned drivers;    /* GD_INTEL_DRV_* that bind to it */
        bool gmdid;          /* the hardware reports its version in GMD_ID: the table holds the
                              * version the platform ships with, and a dump's own word wins */
};

struct gd_intel_device {
        uint16_t pci_id;
        uint8_t platform;    /* index into gd_intel_platforms[] */
};

/* Sorted by pci_id, each id once. */
extern const struct gd_intel_device gd_intel_devices[];
extern const size_t gd_intel_n_devices;
extern const struct gd_intel_platform gd_intel_platforms[];
extern const size_t gd_intel_n_platforms;

/* The platform of an Intel PCI device id, or NULL when no i915/xe kernel knows it. */
const struct gd_intel_platform *gd_intel_device_lookup(int pci_id);
