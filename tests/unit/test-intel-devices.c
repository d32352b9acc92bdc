/* SPDX-License-Identifier: MIT */
/*
 * The Intel PCI id table (lib/libgpudump/model/intel-devices.c): every entry sane, and spot checks
 * of ids read from the kernel's include/drm/intel/pciids.h against the platform its i915_pci.c /
 * xe_pci.c id table gives them, across every generation.
 */
#include <check.h>
#include <json-c/json.h>
#include <stdlib.h>
#include <string.h>

#include "gpudump.h"
#include "intel-devices.h"

/* Every version a platform of the table may have: the graphics IP versions the kernel knows. */
static const unsigned known_versions[] = {
        200, 300, 400, 405, 500, 600, 700, 705, 800, 900, 1000, 1100, 1200, 1210, 1250, 1255,
        1260, 1270, 1271, 1274, 2001, 2002, 2004, 3000, 3001, 3003, 3004, 3005, 3511,
};

START_TEST(every_entry_sane) {
        ck_assert_uint_gt(gd_intel_n_devices, 400);
        for (size_t i = 0; i < gd_intel_n_devices; i++) {
                const struct gd_intel_device *e = &gd_intel_devices[i];
                /* Sorted and unique: the lookup is a binary search. */
                if (i > 0)
                        ck_assert_msg(gd_intel_devices[i - 1].pci_id < e->pci_id,
                                      "0x%04x not after 0x%04x", e->pci_id,
                                      gd_intel_devices[i - 1].pci_id);
                ck_assert_uint_lt(e->platform, gd_intel_n_platforms);
                ck_assert_ptr_eq(gd_intel_device_lookup(e->pci_id), &gd_intel_platforms[e->platform]);
        }
        for (size_t i = 0; i < gd_intel_n_platforms; i++) {
                const struct gd_intel_platform *p = &gd_intel_platforms[i];
                bool known = false, used = false;
                ck_assert_ptr_nonnull(p->name);
                for (const char *c = p->name; *c; c++)
                        ck_assert_msg((*c >= 'A' && *c <= 'Z') || (*c >= '0' && *c <= '9') || *c == '_',
                                      "platform name %s", p->name);
                for (size_t k = 0; k < sizeof(known_versions) / sizeof(known_versions[0]); k++)
                        known = known || known_versions[k] == p->gfx_ver;
                ck_assert_msg(known, "%s: version %u", p->name, p->gfx_ver);
                ck_assert_uint_ne(p->drivers, 0);
                ck_assert_uint_eq(p->drivers & ~(unsigned)(GD_INTEL_DRV_I915 | GD_INTEL_DRV_XE), 0);
                /* GMD_ID exists from Meteor Lake (12.70) on, and only there. */
                ck_assert_int_eq(p->gmdid, p->gfx_ver >= 1270);
                /* xe binds from Tiger Lake (12.0) on; i915 up to Meteor Lake. */
                if (p->drivers & GD_INTEL_DRV_XE)
                        ck_assert_uint_ge(p->gfx_ver, 1200);
                if (p->drivers & GD_INTEL_DRV_I915)
                        ck_assert_uint_le(p->gfx_ver, 1274);
                for (size_t k = 0; k < gd_intel_n_devices; k++)
                        used = used || gd_intel_devices[k].platform == i;
                ck_assert_msg(used, "platform %s has no id", p->name);
        }
}
END_TEST

/* Ids as include/drm/intel/pciids.h lists them, with the platform and version i915_pci.c and
 * xe_pci.c give their list. */
static const struct {
        int id;
        const char *platform;
        const char *variant;
        unsigned ver;
        unsigned drivers;
} spots[] = {
        { 0x3577, "I830", NULL, 200, GD_INTEL_DRV_I915 },           /* INTEL_I830_IDS */
        { 0x358e, "I85X", NULL, 200, GD_INTEL_DRV_I915 },           /* INTEL_I85X_IDS */
        { 0x2572, "I865G", NULL, 200, GD_INTEL_DRV_I915 },          /* INTEL_I865G_IDS */
        { 0x2582, "I915G", NULL, 300, GD_INTEL_DRV_I915 },          /* INTEL_I915G_IDS */
        { 0x27ae, "I945GM", NULL, 300, GD_INTEL_DRV_I915 },         /* INTEL_I945GM_IDS */
        { 0xa011, "PINEVIEW", NULL, 300, GD_INTEL_DRV_I915 },       /* INTEL_PNV_M_IDS */
        { 0x2a02, "I965GM", NULL, 400, GD_INTEL_DRV_I915 },         /* INTEL_I965GM_IDS */
        { 0x2a42, "GM45", NULL, 405, GD_INTEL_DRV_I915 },           /* INTEL_GM45_IDS */
        { 0x2e22, "G45", NULL, 405, GD_INTEL_DRV_I915 },            /* INTEL_G45_IDS */
        { 0x0046, "IRONLAKE", NULL, 500, GD_INTEL_DRV_I915 },       /* INTEL_ILK_M_IDS */
        { 0x0126, "SANDYBRIDGE", NULL, 600, GD_INTEL_DRV_I915 },    /* INTEL_SNB_M_GT2_IDS */
        { 0x0162, "IVYBRIDGE", NULL, 700, GD_INTEL_DRV_I915 },      /* INTEL_IVB_D_GT2_IDS */
        { 0x0f31, "VALLEYVIEW", NULL, 700, GD_INTEL_DRV_I915 },     /* INTEL_VLV_IDS */
        { 0x0416, "HASWELL", NULL, 705, GD_INTEL_DRV_I915 },        /* INTEL_HSW_GT2_IDS */
        { 0x1616, "BROADWELL", NULL, 800, GD_INTEL_DRV_I915 },      /* INTEL_BDW_ULT_GT2_IDS */
        { 0x22b0, "CHERRYVIEW", NULL, 800, GD_INTEL_DRV_I915 },     /* INTEL_CHV_IDS */
        { 0x1912, "SKYLAKE", NULL, 900, GD_INTEL_DRV_I915 },        /* INTEL_SKL_GT2_IDS */
        { 0x5a84, "BROXTON", NULL, 900, GD_INTEL_DRV_I915 },        /* INTEL_BXT_IDS */
        { 0x3e92, "COFFEELAKE", NULL, 900, GD_INTEL_DRV_I915 },     /* INTEL_CFL_S_GT2_IDS */
        { 0x9b41, "COMETLAKE", NULL, 900, GD_INTEL_DRV_I915 },      /* INTEL_CML_U_GT2_IDS */
        { 0x8a52, "ICELAKE", NULL, 1100, GD_INTEL_DRV_I915 },       /* INTEL_ICL_IDS */
        { 0x9a49, "TIGERLAKE", NULL, 1200, GD_INTEL_DRV_I915 | GD_INTEL_DRV_XE }, /* INTEL_TGL_IDS */
        { 0x4c8a, "ROCKETLAKE", NULL, 1200, GD_INTEL_DRV_I915 | GD_INTEL_DRV_XE }, /* INTEL_RKL_IDS */
        { 0x4905, "DG1", NULL, 1210, GD_INTEL_DRV_I915 | GD_INTEL_DRV_XE },       /* INTEL_DG1_IDS */
        { 0x46a6, "ALDERLAKE_P", NULL, 1200, GD_INTEL_DRV_I915 | GD_INTEL_DRV_XE }, /* INTEL_ADLP_IDS */
        { 0xa7a0, "ALDERLAKE_P", "RPL-P", 1200, GD_INTEL_DRV_I915 | GD_INTEL_DRV_XE }, /* INTEL_RPLP_IDS */
        { 0x56a0, "DG2", "G10", 1255, GD_INTEL_DRV_I915 | GD_INTEL_DRV_XE },      /* INTEL_DG2_G10_D_IDS */
        { 0x0bd5, "PVC", NULL, 1260, GD_INTEL_DRV_XE },             /* INTEL_PVC_IDS */
        { 0x7d55, "METEORLAKE", NULL, 1270, GD_INTEL_DRV_I915 | GD_INTEL_DRV_XE }, /* INTEL_MTL_IDS */
        { 0x7d51, "METEORLAKE", "ARL-H", 1274, GD_INTEL_DRV_I915 | GD_INTEL_DRV_XE }, /* INTEL_ARL_H_IDS */
        { 0x64a0, "LUNARLAKE", NULL, 2004, GD_INTEL_DRV_XE },       /* INTEL_LNL_IDS */
        { 0xe20b, "BATTLEMAGE", "G21", 2001, GD_INTEL_DRV_XE },     /* INTEL_BMG_G21_IDS */
        { 0xb080, "PANTHERLAKE", NULL, 3000, GD_INTEL_DRV_XE },     /* INTEL_PTL_IDS */
        { 0x674c, "CRESCENTISLAND", NULL, 3511, GD_INTEL_DRV_XE },  /* INTEL_CRI_IDS */
};

START_TEST(spot_checks) {
        for (size_t i = 0; i < sizeof(spots) / sizeof(spots[0]); i++) {
                const struct gd_intel_platform *p = gd_intel_device_lookup(spots[i].id);
                ck_assert_msg(p, "0x%04x not found", spots[i].id);
                ck_assert_str_eq(p->name, spots[i].platform);
                if (spots[i].variant)
                        ck_assert_str_eq(p->variant, spots[i].variant);
                else
                        ck_assert_ptr_null(p->variant);
                ck_assert_msg(p->gfx_ver == spots[i].ver, "0x%04x: %u, want %u", spots[i].id,
                              p->gfx_ver, spots[i].ver);
                ck_assert_uint_eq(p->drivers, spots[i].drivers);
        }
}
END_TEST

START_TEST(unknown_ids) {
        /* Not Intel graphics (or i810, which no i915/xe binds), out of range, absent. */
        ck_assert_ptr_null(gd_intel_device_lookup(0x7121));
        ck_assert_ptr_null(gd_intel_device_lookup(0x0000));
        ck_assert_ptr_null(gd_intel_device_lookup(0xffff));
        ck_assert_ptr_null(gd_intel_device_lookup(-1));
        ck_assert_ptr_null(gd_intel_device_lookup(0x12a42));
}
END_TEST

/* The report's device object for an i915 error state's header lines. */
static struct json_object *device_of(const char *text) {
        struct gpudump_dump *d = NULL;
        char *json = NULL;
        ck_assert_int_eq(gpudump_dump_new_from_memory(text, strlen(text), 0, &d), 0);
        ck_assert_int_eq(gpudump_dump_get_format(d), GPUDUMP_FORMAT_I915);
        ck_assert_int_eq(gpudump_dump_to_json(d, 0, &json), 0);
        gpudump_dump_unref(d);
        struct json_object *r = json_tokener_parse(json), *dev = NULL;
        free(json);
        ck_assert_ptr_nonnull(r);
        ck_assert(json_object_object_get_ex(r, "device", &dev));
        json_object_get(dev);
        json_object_put(r);
        return dev;
}

static const char *field(struct json_object *o, const char *key) {
        struct json_object *v;
        return json_object_object_get_ex(o, key, &v) ? json_object_get_string(v) : NULL;
}

START_TEST(report_device) {
        static const struct {
                const char *text, *platform, *ver, *source;
        } cases[] = {
                /* The GM45: i915 says gen 4, the PCI id says G4x, 4.5. */
                { "GPU HANG: ecode 4:0:0x8ed9fff2, in Xorg [1021]\nKernel: 3.2.0\nPCI ID: 0x2a42\n",
                  "GM45", "4.5", "pci_id" },
                /* A printed platform is what the kernel saw and is kept; the id gives the version. */
                { "GPU HANG: ecode 9:0:0x00000000, in a [1]\nKernel: 5.4.0\nPlatform: KABYLAKE\n"
                  "PCI ID: 0x5917\n", "KABYLAKE", "9.0", "pci_id" },
                { "GPU HANG: ecode 12:1:0x00000000, in a [1]\nKernel: 6.8.0\nPCI ID: 0x56a0\n",
                  "DG2", "12.55", "pci_id" },
                /* An id no kernel table knows: the error code's major is all there is. */
                { "GPU HANG: ecode 7:0:0x00000000, in a [1]\nKernel: 4.0.0\nPCI ID: 0x1234\n",
                  NULL, "7.0", "ecode" },
                /* No id, no error code: the platform name. */
                { "Kernel: 3.10.0\nPlatform: HASWELL\n", "HASWELL", "7.5", "platform" },
        };
        for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
                struct json_object *dev = device_of(cases[i].text);
                const char *p = field(dev, "platform");
                if (cases[i].platform)
                        ck_assert_msg(p && strcmp(p, cases[i].platform) == 0, "case %zu: platform %s", i, p);
                else
                        ck_assert_msg(!p, "case %zu: platform %s", i, p);
                ck_assert_msg(field(dev, "graphics_version") &&
                              strcmp(field(dev, "graphics_version"), cases[i].ver) == 0,
                              "case %zu: graphics_version %s", i, field(dev, "graphics_version"));
                ck_assert_str_eq(field(dev, "graphics_version_source"), cases[i].source);
                json_object_put(dev);
        }
}
END_TEST

int main(void) {
        Suite *s = suite_create("intel-devices");
        TCase *tc = tcase_create("table");
        tcase_add_test(tc, every_entry_sane);
        tcase_add_test(tc, spot_checks);
        tcase_add_test(tc, unknown_ids);
        suite_add_tcase(s, tc);
        tc = tcase_create("report");
        tcase_add_test(tc, report_device);
        suite_add_tcase(s, tc);
        SRunner *sr = srunner_create(s);
        srunner_run_all(sr, CK_ENV);
        int failed = srunner_ntests_failed(sr);
        srunner_free(sr);
        return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
