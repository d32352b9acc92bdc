/* SPDX-License-Identifier: MIT */
/* The formats' entry: the table of formats, in detection order, and the walk over it. */
#include <stddef.h>

#include "gd-macro.h"
#include "formats.h"

/* Detection order (spec §0.4): the binary magics first, then the text titles. A format that
 * only finds its dump embedded in other text loses to any format claiming the input's start. */
static const struct gd_format *const formats[] = {
        &gd_format_panfrost,
        &gd_format_etnaviv,
        &gd_format_xe,
        &gd_format_amdgpu,
        &gd_format_i915,
        &gd_format_msm,
};

const struct gd_format *gd_formats_detect(const struct gpudump_dump *d) {
        const uint8_t *p = gd_input_text_start(&d->input);
        size_t n = (size_t)(d->input.data + d->input.size - p);
        const struct gd_format *embedded = NULL;

        for (size_t i = 0; i < ELEMENTSOF(formats); i++) {
                enum gd_detect r = formats[i]->detect(p, n);
                if (r == GD_DETECT_YES)
                        return formats[i];
                if (r == GD_DETECT_EMBEDDED && !embedded)
                        embedded = formats[i];
        }
        return embedded;
}

bool gd_formats_claim_start(const struct gd_input *in) {
        const uint8_t *p = gd_input_text_start(in);
        size_t n = (size_t)(in->data + in->size - p);

        for (size_t i = 0; i < ELEMENTSOF(formats); i++)
                if (formats[i]->detect(p, n) == GD_DETECT_YES)
                        return true;
        return false;
}

int gd_formats_parse(struct gpudump_dump *d) {
        const struct gd_format *f = gd_formats_detect(d);

        return f ? f->parse(d) : 0;
}

const struct gd_format *gd_format_by_id(enum gpudump_format format) {
        for (size_t i = 0; i < ELEMENTSOF(formats); i++)
                if (formats[i]->format == format)
                        return formats[i];
        return NULL;
}

const char *gd_format_name(enum gpudump_format format) {
        for (size_t i = 0; i < ELEMENTSOF(formats); i++)
                if (formats[i]->format == format)
                        return formats[i]->name;
        return "unknown";
}
