/* SPDX-License-Identifier: MIT */
/*
 * vxe-hang: drive the vxe virtual render device into GPU hangs.
 *
 * Usage: vxe-hang SCENARIO OUTDIR [--size BYTES]
 * Scenarios: plain, unbind-reuse, migrate, two-engines, big, fault,
 * uncompressed (compress_dump=N), bad-instruction (engine error, not a hang).
 *
 * Creates BOs, binds them DUMPABLE, writes a batch that hangs on an
 * MI_SEMAPHORE_WAIT nobody satisfies, submits it and checks the fence
 * error. Hang detection is held off (hang_timeout_ms raised) from before the
 * first submit until the scenario has done what it does to a pending job
 * (second submit, unbind, migrate), then restored: the job is pending during
 * those steps however slowly this process runs, and hangs right after.
 * Writes OUTDIR/expect (what the dump must show) and one OUTDIR/<va>.bin
 * per dumpable VMA with the bytes written before submit.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <linux/sync_file.h>
#include <xf86drm.h>

#include "vxe_drm.h"

#define BATCH_VA        0x1a0000000ULL
#define DATA_VA         0x1b0000000ULL
#define SCRATCH_VA      0x1c0000000ULL
#define SEM_OFFSET      0x800           /* in the batch BO, never written */
#define NEXT_OFFSET     0x400           /* the good batch queued behind the hang */
#define NEXT_MAGIC      0x600d600d
#define DATA_SIZE       (16 * 4096)
#define FENCE_TIMEOUT_S 120             /* generous: slow CI under TCG */
#define HOLD_TIMEOUT_MS "3600000"       /* no job hangs while held */

struct bo {
        uint32_t handle;
        uint64_t size;
        void *map;
};

static int drm_fd = -1;
static const char *outdir;
/* The hang_timeout_ms to put back; empty when hangs are not held off. */
static char held_timeout[32];

static int fail(const char *what, int err)
{
        fprintf(stderr, "vxe-hang: %s: %s\n", what, strerror(err));
        return -err;
}

static int vxe_ioctl(unsigned long req, void *arg, const char *what)
{
        if (drmIoctl(drm_fd, req, arg) < 0)
                return fail(what, errno);
        return 0;
}

static int open_vxe(void)
{
        char path[64];
        int i;

        for (i = 128; i < 192; i++) {
                drmVersionPtr v;
                int fd;

                snprintf(path, sizeof(path), "/dev/dri/renderD%d", i);
                fd = open(path, O_RDWR | O_CLOEXEC);
                if (fd < 0)
                        continue;
                v = drmGetVersion(fd);
                if (v && strcmp(v->name, "vxe") == 0) {
                        drmFreeVersion(v);
                        return fd;
                }
                if (v)
                        drmFreeVersion(v);
                close(fd);
        }
        fprintf(stderr, "vxe-hang: no vxe render node in /dev/dri (is the module loaded?)\n");
        return -ENODEV;
}

static int bo_create(struct bo *bo, uint64_t size)
{
        struct drm_vxe_gem_create c = { .size = size };
        struct drm_vxe_gem_mmap_offset m = { 0 };
        int r;

        r = vxe_ioctl(DRM_IOCTL_VXE_GEM_CREATE, &c, "GEM_CREATE");
        if (r)
                return r;
        m.handle = c.handle;
        r = vxe_ioctl(DRM_IOCTL_VXE_GEM_MMAP_OFFSET, &m, "GEM_MMAP_OFFSET");
        if (r)
                return r;
        bo->map = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, drm_fd, m.offset);
        if (bo->map == MAP_FAILED)
                return fail("mmap", errno);
        bo->handle = c.handle;
        bo->size = size;
        return 0;
}

static int bo_close(struct bo *bo)
{
        struct drm_gem_close c = { .handle = bo->handle };

        munmap(bo->map, bo->size);
        return vxe_ioctl(DRM_IOCTL_GEM_CLOSE, &c, "GEM_CLOSE");
}

static int vm_bind(uint32_t vm, struct bo *bo, uint64_t va, uint32_t flags)
{
        struct drm_vxe_vm_bind b = {
                .vm_id = vm, .op = DRM_VXE_VM_BIND_OP_MAP, .flags = flags,
                .handle = bo->handle, .addr = va, .range = bo->size,
        };

        return vxe_ioctl(DRM_IOCTL_VXE_VM_BIND, &b, "VM_BIND map");
}

static int vm_unbind(uint32_t vm, uint64_t va, uint64_t size, uint32_t syncobj)
{
        struct drm_vxe_vm_bind b = {
                .vm_id = vm, .op = DRM_VXE_VM_BIND_OP_UNMAP, .addr = va, .range = size,
                .syncobj = syncobj,
        };

        return vxe_ioctl(DRM_IOCTL_VXE_VM_BIND, &b, "VM_BIND unmap");
}

static int queue_create(uint32_t vm, uint16_t class, uint32_t *id)
{
        struct drm_vxe_exec_queue_create q = { .vm_id = vm, .engine_class = class };
        int r = vxe_ioctl(DRM_IOCTL_VXE_EXEC_QUEUE_CREATE, &q, "EXEC_QUEUE_CREATE");

        *id = q.exec_queue_id;
        return r;
}

static int exec(uint32_t queue, uint64_t batch, uint32_t syncobj)
{
        struct drm_vxe_exec e = { .exec_queue_id = queue, .syncobj = syncobj, .address = batch };

        return vxe_ioctl(DRM_IOCTL_VXE_EXEC, &e, "EXEC");
}

static int64_t abs_timeout(int seconds)
{
        struct timespec ts;

        clock_gettime(CLOCK_MONOTONIC, &ts);
        return (int64_t)(ts.tv_sec + seconds) * 1000000000LL + ts.tv_nsec;
}

/* Waits for the syncobj and returns its fence status: 1 ok, <0 the error. */
static int fence_wait_status(uint32_t syncobj, int *status)
{
        struct sync_file_info info = { 0 };
        int sync_fd, r;

        if (drmSyncobjWait(drm_fd, &syncobj, 1, abs_timeout(FENCE_TIMEOUT_S),
                           DRM_SYNCOBJ_WAIT_FLAGS_WAIT_ALL, NULL))
                return fail("waiting for the job fence", errno);
        if (drmSyncobjExportSyncFile(drm_fd, syncobj, &sync_fd))
                return fail("exporting the fence", errno);
        r = ioctl(sync_fd, SYNC_IOC_FILE_INFO, &info);
        close(sync_fd);
        if (r < 0)
                return fail("SYNC_IOC_FILE_INFO", errno);
        *status = info.status;
        return 0;
}

static bool syncobj_signaled(uint32_t syncobj)
{
        return drmSyncobjWait(drm_fd, &syncobj, 1, 0, DRM_SYNCOBJ_WAIT_FLAGS_WAIT_ALL, NULL) == 0;
}

/* The hanging batch: touch a GPR and the scratch BO, then wait forever. */
static void write_batch(uint32_t *b, uint32_t mmio_base, bool bad)
{
        unsigned int n = 0;

        b[n++] = 0x00000000;                            /* MI_NOOP */
        b[n++] = (0x22 << 23) | 1;                      /* MI_LOAD_REGISTER_IMM, 1 pair */
        b[n++] = mmio_base + 0x600;                     /* CS_GPR0 */
        b[n++] = 0x12345678;
        b[n++] = (0x20 << 23) | 2;                      /* MI_STORE_DATA_IMM, 1 dword */
        b[n++] = (uint32_t)SCRATCH_VA;
        b[n++] = (uint32_t)(SCRATCH_VA >> 32);
        b[n++] = 0xc0ffee;
        if (bad) {
                /* PIPE_CONTROL (3D client): the engines only run MI commands. */
                b[n++] = 0x7a000004;
                b[n++] = 0;
                b[n++] = 0;
                b[n++] = 0;
                b[n++] = 0;
                b[n++] = 0x0a << 23;
                return;
        }
        b[n++] = (0x1c << 23) | (1 << 15) | (4 << 12) | 2; /* MI_SEMAPHORE_WAIT poll, SAD == SDD */
        b[n++] = 1;
        b[n++] = (uint32_t)(BATCH_VA + SEM_OFFSET);
        b[n++] = (uint32_t)((BATCH_VA + SEM_OFFSET) >> 32);
        b[n++] = 0x0a << 23;                            /* MI_BATCH_BUFFER_END */

        /* A second, good batch: queued behind the hang, it must run after
         * the engine reset. */
        n = NEXT_OFFSET / 4;
        b[n++] = (0x20 << 23) | 2;
        b[n++] = (uint32_t)(SCRATCH_VA + 0x10);
        b[n++] = (uint32_t)((SCRATCH_VA + 0x10) >> 32);
        b[n++] = NEXT_MAGIC;
        b[n++] = 0x0a << 23;
}

static void fill_pattern(void *p, uint64_t size, uint32_t seed)
{
        uint32_t *w = p, x = seed | 1;
        uint64_t i;

        /* A quarter random words, the rest structured: roughly what real
         * buffers look like to a compressor. */
        for (i = 0; i < size / 4; i++) {
                if ((i & 1023) < 256) {
                        x ^= x << 13;
                        x ^= x >> 17;
                        x ^= x << 5;
                        w[i] = x;
                } else {
                        w[i] = (uint32_t)(i >> 10) << 16 | (uint32_t)(i & 0xff);
                }
        }
}

static int save_bytes(uint64_t va, const void *p, uint64_t size)
{
        char path[4096];
        FILE *f;
        int fd;

        snprintf(path, sizeof(path), "%s/%" PRIx64 ".bin", outdir, va);
        /* GPU memory contents: private, like the dumps themselves. */
        fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0640);
        f = fd < 0 ? NULL : fdopen(fd, "w");
        if (!f) {
                if (fd >= 0)
                        close(fd);
                return fail(path, errno);
        }
        if (fwrite(p, 1, size, f) != size || fclose(f) != 0)
                return fail(path, EIO);
        return 0;
}

struct setup {
        uint32_t vm;
        struct bo batch, data, scratch;
};

static int setup_vm(struct setup *s, uint64_t data_size, uint32_t mmio_base, bool bad)
{
        struct drm_vxe_vm_create v = { 0 };
        int r;

        r = vxe_ioctl(DRM_IOCTL_VXE_VM_CREATE, &v, "VM_CREATE");
        if (r)
                return r;
        s->vm = v.vm_id;
        if ((r = bo_create(&s->batch, 4096)) || (r = bo_create(&s->data, data_size)) ||
            (r = bo_create(&s->scratch, 4096)))
                return r;
        write_batch(s->batch.map, mmio_base, bad);
        fill_pattern(s->data.map, data_size, 0x9e3779b9u ^ (uint32_t)data_size);
        if ((r = vm_bind(s->vm, &s->batch, BATCH_VA, DRM_VXE_VM_BIND_FLAG_DUMPABLE)) ||
            (r = vm_bind(s->vm, &s->data, DATA_VA, DRM_VXE_VM_BIND_FLAG_DUMPABLE)) ||
            (r = vm_bind(s->vm, &s->scratch, SCRATCH_VA, 0)))
                return r;
        /* What the dump must show: the bytes as they were at submission. */
        if ((r = save_bytes(BATCH_VA, s->batch.map, s->batch.size)) ||
            (r = save_bytes(DATA_VA, s->data.map, s->data.size)))
                return r;
        return 0;
}

static int expect_fence_error(uint32_t syncobj, const char *engine, int want)
{
        int status = 0, r;

        r = fence_wait_status(syncobj, &status);
        if (r)
                return r;
        if (status != want) {
                fprintf(stderr, "vxe-hang: %s job fence status %d, expected %d (%s)\n",
                        engine, status, want, want < 0 ? strerror(-want) : "signalled");
                return -EPROTO;
        }
        return 0;
}

static int write_expect(const char *scenario, const char *engines, uint32_t seqno,
                        const struct setup *s, int data_error, bool bad, bool compressed)
{
        char path[4096];
        FILE *f;

        snprintf(path, sizeof(path), "%s/expect", outdir);
        f = fopen(path, "we");
        if (!f)
                return fail(path, errno);
        fprintf(f, "scenario %s\nengine %s\nseqno %u\nbatch 0x%" PRIx64 "\n", scenario, engines,
                seqno, (uint64_t)BATCH_VA);
        fprintf(f, "reason %s - seqno=%u,\n", bad ? "Engine error" : "Timedout job", seqno);
        fprintf(f, "encoding %s\n", compressed ? "zstd" : "data");
        fprintf(f, "vma %" PRIx64 " 0x%" PRIx64 " 0\n", (uint64_t)BATCH_VA, s->batch.size);
        fprintf(f, "vma %" PRIx64 " 0x%" PRIx64 " %d\n", (uint64_t)DATA_VA, s->data.size, data_error);
        if (fclose(f) != 0)
                return fail(path, EIO);
        return 0;
}

static int set_param(const char *name, const char *value)
{
        char path[256];
        FILE *f;

        snprintf(path, sizeof(path), "/sys/module/vxe/parameters/%s", name);
        f = fopen(path, "we");
        if (!f)
                return fail(path, errno);
        fprintf(f, "%s\n", value);
        if (fclose(f) != 0)
                return fail(path, errno);
        return 0;
}

static int get_param(const char *name, char *buf, size_t len)
{
        char path[256];
        FILE *f;

        snprintf(path, sizeof(path), "/sys/module/vxe/parameters/%s", name);
        f = fopen(path, "re");
        if (!f)
                return fail(path, errno);
        if (!fgets(buf, (int)len, f)) {
                fclose(f);
                return fail(path, EIO);
        }
        fclose(f);
        buf[strcspn(buf, "\n")] = 0;
        return 0;
}

/* The engines re-read hang_timeout_ms while a job runs: raising it keeps
 * submitted jobs pending, restoring it makes them hang at once. */
static int hold_hangs(void)
{
        char cur[sizeof(held_timeout)];
        int r;

        if ((r = get_param("hang_timeout_ms", cur, sizeof(cur))))
                return r;
        if (!strcmp(cur, HOLD_TIMEOUT_MS)) {
                fprintf(stderr, "vxe-hang: hang_timeout_ms is %s: an earlier vxe-hang did not restore it\n",
                        cur);
                return -EBUSY;
        }
        if ((r = set_param("hang_timeout_ms", HOLD_TIMEOUT_MS)))
                return r;
        memcpy(held_timeout, cur, sizeof(held_timeout));
        return 0;
}

static int release_hangs(void)
{
        int r;

        if (!held_timeout[0])
                return 0;
        r = set_param("hang_timeout_ms", held_timeout);
        if (!r)
                held_timeout[0] = 0;
        return r;
}

static int run(const char *scenario, uint64_t size)
{
        bool two = !strcmp(scenario, "two-engines");
        bool bad = !strcmp(scenario, "bad-instruction");
        bool uncompressed = !strcmp(scenario, "uncompressed");
        struct setup s = { 0 };
        uint32_t q_rcs, q_bcs, sync_rcs, sync_bcs, sync_unbind, sync_next;
        int r;

        if (!strcmp(scenario, "big") && !size)
                size = 64ULL << 20;
        if (!size)
                size = DATA_SIZE;
        if ((r = setup_vm(&s, size, 0x2000, bad)))
                return r;
        if ((r = queue_create(s.vm, DRM_VXE_ENGINE_CLASS_RENDER, &q_rcs)) ||
            (r = queue_create(s.vm, DRM_VXE_ENGINE_CLASS_COPY, &q_bcs)))
                return r;
        if (drmSyncobjCreate(drm_fd, 0, &sync_rcs) || drmSyncobjCreate(drm_fd, 0, &sync_bcs) ||
            drmSyncobjCreate(drm_fd, 0, &sync_unbind) || drmSyncobjCreate(drm_fd, 0, &sync_next))
                return fail("syncobj create", errno);

        /* Fault injection: the data BO is the 2nd dumpable range (VA order). */
        if (!strcmp(scenario, "fault") && (r = set_param("fail_capture_range", "2")))
                return r;
        /* Xe-style [va].data blobs; the encoding is fixed at the hang. */
        if (uncompressed && (r = set_param("compress_dump", "N")))
                return r;
        if ((r = hold_hangs()))
                return r;
        if ((r = exec(q_rcs, BATCH_VA, sync_rcs)))
                return r;
        /* plain: a second job on the same context, pending in the dump,
         * completes after the reset. */
        if (!strcmp(scenario, "plain") && (r = exec(q_rcs, BATCH_VA + NEXT_OFFSET, sync_next)))
                return r;
        if (two && (r = exec(q_bcs, BATCH_VA, sync_bcs)))
                return r;

        if (!strcmp(scenario, "unbind-reuse")) {
                struct bo again;

                if ((r = vm_unbind(s.vm, DATA_VA, s.data.size, sync_unbind)))
                        return r;
                /* The pending job still references the range. */
                if (syncobj_signaled(sync_unbind)) {
                        fprintf(stderr, "vxe-hang: unbind completed while the job is pending\n");
                        return -EPROTO;
                }
                if ((r = bo_close(&s.data)))
                        return r;
                /* Reuse: new memory, new contents, same GPU address. */
                if ((r = bo_create(&again, size)))
                        return r;
                memset(again.map, 0xa5, size);
                if ((r = vm_bind(s.vm, &again, DATA_VA, DRM_VXE_VM_BIND_FLAG_DUMPABLE)))
                        return r;
        } else if (!strcmp(scenario, "migrate")) {
                struct drm_vxe_gem_migrate m = { .handle = s.data.handle };
                char path[4096];
                void *before;
                FILE *f;

                if ((r = vxe_ioctl(DRM_IOCTL_VXE_GEM_MIGRATE, &m, "GEM_MIGRATE")))
                        return r;
                /* The CPU mapping now faults onto the new pages: they must
                 * hold the same bytes; then scribble over them. */
                snprintf(path, sizeof(path), "%s/%" PRIx64 ".bin", outdir, (uint64_t)DATA_VA);
                before = malloc(size);
                f = fopen(path, "re");
                if (!before || !f || fread(before, 1, size, f) != size)
                        return fail("reading back the expected bytes", EIO);
                fclose(f);
                if (memcmp(before, s.data.map, size)) {
                        fprintf(stderr, "vxe-hang: migrated BO contents differ\n");
                        return -EPROTO;
                }
                free(before);
                memset(s.data.map, 0x5a, size);
        }
        if ((r = release_hangs()))
                return r;

        r = expect_fence_error(sync_rcs, "rcs0", bad ? -EIO : -ETIME);
        if (!strcmp(scenario, "fault")) {
                int r2 = set_param("fail_capture_range", "0");

                r = r ? r : r2;
        }
        if (uncompressed) {
                int r2 = set_param("compress_dump", "Y");

                r = r ? r : r2;
        }
        if (r)
                return r;
        if (two && (r = expect_fence_error(sync_bcs, "bcs0", -ETIME)))
                return r;
        if (!strcmp(scenario, "plain")) {
                uint32_t got;

                if ((r = expect_fence_error(sync_next, "rcs0 (job after the hang)", 1)))
                        return r;
                got = ((volatile uint32_t *)s.scratch.map)[0x10 / 4];
                if (got != NEXT_MAGIC) {
                        fprintf(stderr, "vxe-hang: job after the hang wrote 0x%08x, expected 0x%08x\n",
                                got, NEXT_MAGIC);
                        return -EPROTO;
                }
        }
        if (!strcmp(scenario, "unbind-reuse")) {
                if (drmSyncobjWait(drm_fd, &sync_unbind, 1, abs_timeout(FENCE_TIMEOUT_S),
                                   DRM_SYNCOBJ_WAIT_FLAGS_WAIT_ALL, NULL))
                        return fail("waiting for the unbind to complete", errno);
        }
        return write_expect(scenario, two ? "rcs0,bcs0" : "rcs0", 1, &s,
                            !strcmp(scenario, "fault") ? -ENOMEM : 0, bad, !uncompressed);
}

int main(int argc, char **argv)
{
        static const char *const scenarios[] = {
                "plain", "unbind-reuse", "migrate", "two-engines", "big", "fault",
                "uncompressed", "bad-instruction",
        };
        uint64_t size = 0;
        size_t i;
        int r;

        if (argc == 5 && !strcmp(argv[3], "--size")) {
                char *end;

                errno = 0;
                size = strtoull(argv[4], &end, 0);
                if (errno || *end || !size || size % 4096 || size > (1ULL << 30)) {
                        fprintf(stderr, "vxe-hang: --size '%s': need a multiple of 4096 up to 1 GiB\n",
                                argv[4]);
                        return 2;
                }
        } else if (argc != 3) {
                fprintf(stderr, "usage: vxe-hang SCENARIO OUTDIR [--size BYTES]\n"
                        "scenarios: plain unbind-reuse migrate two-engines big fault uncompressed\n"
                        "           bad-instruction\n");
                return 2;
        }
        for (i = 0; i < sizeof(scenarios) / sizeof(scenarios[0]); i++)
                if (!strcmp(argv[1], scenarios[i]))
                        break;
        if (i == sizeof(scenarios) / sizeof(scenarios[0])) {
                fprintf(stderr, "vxe-hang: unknown scenario '%s'\n", argv[1]);
                return 2;
        }
        outdir = argv[2];
        if (mkdir(outdir, 0750) < 0 && errno != EEXIST) {
                fail(outdir, errno);
                return 1;
        }
        drm_fd = open_vxe();
        if (drm_fd < 0)
                return 1;
        r = run(argv[1], size);
        /* On the error paths: never leave hang detection held off. */
        if (release_hangs() && !r)
                r = -EIO;
        if (r) {
                fprintf(stderr, "vxe-hang: scenario %s failed\n", argv[1]);
                return 1;
        }
        printf("vxe-hang: scenario %s submitted and hung as expected\n", argv[1]);
        return 0;
}
