// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * vxe hang capture core.
 *
 * Stage 1 (vxe_capture_hang) runs in the engine thread, in the path that
 * signals the failed job's fence: anything that waits there (reclaim, object
 * locks) could wait on that very fence, so it only uses GFP_NOWAIT and takes
 * no object lock. It copies the pages recorded at submission (they are
 * referenced by the job, so no lock is needed to keep them alive) plus the
 * context, job and engine state.
 *
 * Stage 2 (a worker) compresses the VM blobs with zstd, renders the whole
 * dump once in the Xe devcoredump layout and publishes it with
 * dev_coredumpm(); reads are served from the rendered text at any offset.
 */
#include <linux/ascii85.h>
#include <linux/devcoredump.h>
#include <linux/highmem.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/timekeeping.h>
#include <linux/utsname.h>
#include <linux/vmalloc.h>
#include <linux/zstd.h>
#include <drm/drm_print.h>

#include "vxe_drv.h"

#define VXE_SNAP_MAX_JOBS       16

struct vxe_range {
        u64 va;
        u64 size;
        int err;
        unsigned long npages;
        struct list_head pages;         /* copied pages, linked through page->lru */
        void *zdata;                    /* zstd frame, zero-padded to whole u32 */
        size_t zlen;
};

struct vxe_snapshot {
        struct vxe_device *vdev;
        struct work_struct work;
        char reason[160];
        ktime_t detected;               /* hang detection, for the latency log */
        struct timespec64 real;
        struct timespec64 boot;
        char comm[TASK_COMM_LEN];
        pid_t pid;

        int guc_id;
        u16 class;
        char qname[16];
        unsigned int ref;
        unsigned int timeout_ms;
        u32 lrc_ggtt;
        u32 ring_ggtt;
        u32 lrc_head;
        u32 lrc_tail_internal;
        u32 lrc_tail_memory;
        u32 start_seqno;
        u32 seqno;
        u32 sched_state;
        unsigned int njobs;
        struct {
                u32 seqno;
                u8 fence;
                u8 finished;
        } jobs[VXE_SNAP_MAX_JOBS];

        u64 batch_addr;
        const char *engine_name;
        u16 engine_class;
        struct vxe_regs regs;

        bool compressed;
        char *text;
        size_t text_len;
        unsigned int nranges;
        struct vxe_range ranges[];
};

static const char *const vxe_class_prefix[] = {
        [DRM_VXE_ENGINE_CLASS_RENDER] = "rcs",
        [1] = "vcs",
        [2] = "vecs",
        [DRM_VXE_ENGINE_CLASS_COPY] = "bcs",
};

static void vxe_range_free_pages(struct vxe_range *r)
{
        struct page *page, *next;

        list_for_each_entry_safe(page, next, &r->pages, lru) {
                list_del(&page->lru);
                __free_page(page);
        }
        r->npages = 0;
}

/* Copy one recorded range. GFP_NOWAIT only: we are in the fence signalling
 * path. A failure leaves r->err set and the rest of the dump intact. */
static void vxe_range_copy(struct vxe_range *r, const struct vxe_snap_rec *rec, bool inject_failure)
{
        unsigned long i, n = rec->size >> PAGE_SHIFT;

        INIT_LIST_HEAD(&r->pages);
        r->va = rec->va;
        r->size = rec->size;
        for (i = 0; i < n; i++) {
                struct page *page = NULL;

                if (!inject_failure)
                        page = alloc_page(GFP_NOWAIT | __GFP_NOWARN);
                if (!page) {
                        vxe_range_free_pages(r);
                        r->err = -ENOMEM;
                        return;
                }
                copy_highpage(page, rec->backing->pages[rec->first_page + i]);
                list_add_tail(&page->lru, &r->pages);
                r->npages++;
        }
}

static void vxe_capture_work(struct work_struct *work);

void vxe_capture_hang(struct vxe_engine *hwe, struct vxe_job *job, const char *reason)
{
        struct vxe_device *vdev = hwe->vdev;
        struct vxe_exec_queue *q = job->q;
        struct vxe_snapshot *snap;
        struct vxe_job *j;
        int fail = READ_ONCE(vxe_fail_capture_range);
        unsigned int i;

        /* Like xe: keep the first hang until userspace frees its dump. */
        if (atomic_cmpxchg(&vdev->dump_busy, 0, 1)) {
                drm_info(&vdev->drm,
                         "Multiple hangs are occurring, but only the first snapshot was taken (%s on %s)\n",
                         reason, hwe->name);
                return;
        }
        snap = kzalloc(struct_size(snap, ranges, job->nrec), GFP_NOWAIT | __GFP_NOWARN);
        if (!snap) {
                drm_err(&vdev->drm, "hang on %s not captured: out of memory\n", hwe->name);
                atomic_set(&vdev->dump_busy, 0);
                return;
        }
        snap->vdev = vdev;
        snap->detected = ktime_get();
        strscpy(snap->reason, reason, sizeof(snap->reason));
        ktime_get_real_ts64(&snap->real);
        ktime_get_boottime_ts64(&snap->boot);
        memcpy(snap->comm, job->comm, sizeof(snap->comm));
        snap->pid = job->pid;

        snap->guc_id = q->guc_id;
        snap->class = hwe->class;
        scnprintf(snap->qname, sizeof(snap->qname), "%s%d", vxe_class_prefix[hwe->class], q->guc_id);
        snap->ref = kref_read(&q->ref);
        snap->timeout_ms = READ_ONCE(vxe_hang_timeout_ms);
        snap->lrc_ggtt = q->lrc_ggtt;
        snap->ring_ggtt = q->ring_ggtt;
        snap->lrc_head = job->ring_head;
        snap->lrc_tail_memory = job->ring_tail;
        snap->start_seqno = READ_ONCE(q->hwsp_start_seqno);
        snap->seqno = READ_ONCE(q->hwsp_seqno);
        snap->sched_state = q->sched_state;
        spin_lock(&hwe->lock);
        snap->lrc_tail_internal = q->ring_tail;
        list_for_each_entry(j, &q->pending, queue_link) {
                if (snap->njobs == VXE_SNAP_MAX_JOBS)
                        break;
                snap->jobs[snap->njobs].seqno = j->seqno;
                snap->jobs[snap->njobs].fence = dma_fence_is_signaled(j->fence);
                snap->jobs[snap->njobs].finished = snap->jobs[snap->njobs].fence;
                snap->njobs++;
        }
        spin_unlock(&hwe->lock);

        snap->batch_addr = job->batch_addr;
        snap->engine_name = hwe->name;
        snap->engine_class = hwe->class;
        snap->regs = hwe->regs;

        /* The encoding is decided at the hang, not when the worker runs. */
        snap->compressed = READ_ONCE(vxe_compress_dump);
        snap->nranges = job->nrec;
        for (i = 0; i < job->nrec; i++)
                vxe_range_copy(&snap->ranges[i], &job->recs[i], fail > 0 && (unsigned int)fail == i + 1);

        INIT_WORK(&snap->work, vxe_capture_work);
        queue_work(vdev->capture_wq, &snap->work);
}

/* ---- stage 2: worker ---- */

static int vxe_range_compress(struct vxe_range *r, int level)
{
        struct page **pages, *page;
        zstd_parameters params;
        void *src, *wksp, *dst;
        size_t wksp_size, cap, ret;
        zstd_cctx *cctx;
        unsigned long i = 0;
        int err = 0;

        pages = kvmalloc_array(r->npages, sizeof(*pages), GFP_KERNEL);
        if (!pages)
                return -ENOMEM;
        list_for_each_entry(page, &r->pages, lru)
                pages[i++] = page;
        src = vmap(pages, r->npages, VM_MAP, PAGE_KERNEL);
        kvfree(pages);
        if (!src)
                return -ENOMEM;

        params = zstd_get_params(level, r->size);
        wksp_size = zstd_cctx_workspace_bound(&params.cParams);
        wksp = kvmalloc(wksp_size, GFP_KERNEL);
        cap = zstd_compress_bound(r->size);
        dst = kvmalloc(round_up(cap, 4), GFP_KERNEL);
        cctx = wksp ? zstd_init_cctx(wksp, wksp_size) : NULL;
        if (!cctx || !dst) {
                err = -ENOMEM;
                goto out;
        }
        ret = zstd_compress_cctx(cctx, dst, cap, src, r->size, &params);
        if (zstd_is_error(ret)) {
                err = -EIO;
                goto out;
        }
        memset(dst + ret, 0, round_up(ret, 4) - ret);
        r->zdata = dst;
        r->zlen = ret;
        dst = NULL;
out:
        kvfree(dst);
        kvfree(wksp);
        vunmap(src);
        return err;
}

/* Renders into buf, or only measures when buf is NULL. */
struct vxe_printer {
        char *buf;
        size_t size;
        size_t pos;
};

static __printf(2, 3) void vxe_pr(struct vxe_printer *p, const char *fmt, ...)
{
        va_list ap;
        int n;

        va_start(ap, fmt);
        if (p->buf && p->pos < p->size)
                n = vsnprintf(p->buf + p->pos, p->size - p->pos, fmt, ap);
        else
                n = vsnprintf(NULL, 0, fmt, ap);
        va_end(ap);
        p->pos += n;
}

static void vxe_puts(struct vxe_printer *p, const char *s)
{
        size_t len = strlen(s);

        if (p->buf && p->pos + len < p->size)
                memcpy(p->buf + p->pos, s, len);
        p->pos += len;
}

static void vxe_put_a85(struct vxe_printer *p, const u32 *words, size_t n)
{
        char tmp[ASCII85_BUFSZ];
        size_t i;

        for (i = 0; i < n; i++)
                vxe_puts(p, ascii85_encode(words[i], tmp));
}

static void vxe_print_regs(struct vxe_printer *p, const struct vxe_snapshot *s)
{
        const struct vxe_regs *r = &s->regs;

        vxe_pr(p, "%s (physical), logical instance=0\n", s->engine_name);
        vxe_pr(p, "\tCapture_source: Manual\n");
        vxe_pr(p, "\tCoverage: full-capture\n");
        vxe_pr(p, "\tForcewake: domain 0x%x, ref %d\n", 0x1, 1);
        vxe_pr(p, "\tReserved: no\n");
        vxe_pr(p, "\tFORCEWAKE_GT: 0x%08x\n", 0x00010001);
        if (s->engine_class == DRM_VXE_ENGINE_CLASS_RENDER)
                vxe_pr(p, "\tRCU_MODE: 0x%08x\n", 0x00010001);
        vxe_pr(p, "\tHWSTAM: 0x%08x\n", r->hwstam);
        vxe_pr(p, "\tRING_HWS_PGA: 0x%08x\n", r->hws_pga);
        vxe_pr(p, "\tRING_HEAD: 0x%08x\n", r->ring_head);
        vxe_pr(p, "\tRING_TAIL: 0x%08x\n", r->ring_tail);
        vxe_pr(p, "\tRING_CTL: 0x%08x\n", r->ring_ctl);
        vxe_pr(p, "\tRING_MI_MODE: 0x%08x\n", r->ring_mi_mode);
        vxe_pr(p, "\tRING_MODE: 0x%08x\n", r->ring_mode);
        vxe_pr(p, "\tRING_ESR: 0x%08x\n", r->ring_esr);
        vxe_pr(p, "\tRING_EMR: 0x%08x\n", r->ring_emr);
        vxe_pr(p, "\tRING_EIR: 0x%08x\n", r->ring_eir);
        vxe_pr(p, "\tRING_IMR: 0x%08x\n", r->ring_imr);
        vxe_pr(p, "\tIPEHR: 0x%08x\n", r->ipehr);
        vxe_pr(p, "\tRING_INSTDONE: 0x%08x\n", r->ring_instdone);
        vxe_pr(p, "\tINDIRECT_RING_STATE: 0x%08x\n", 0);
        vxe_pr(p, "\tACTHD: 0x%016llx\n", r->acthd);
        vxe_pr(p, "\tRING_BBADDR: 0x%016llx\n", r->ring_bbaddr);
        vxe_pr(p, "\tRING_START: 0x%016llx\n", r->ring_start);
        vxe_pr(p, "\tRING_DMA_FADD: 0x%016llx\n", r->ring_dma_fadd);
        vxe_pr(p, "\tRING_EXECLIST_STATUS: 0x%016llx\n", r->execlist_status);
        vxe_pr(p, "\tRING_EXECLIST_SQ_CONTENTS: 0x%016llx\n", r->execlist_sq);
        vxe_pr(p, "\n");
}

/* The context's PPHWSP page as Xe lays it out: the completed seqno at byte
 * 512, the started seqno at byte 520, nothing else modelled (zeros). */
static void vxe_print_hwsp(struct vxe_printer *p, const struct vxe_snapshot *s)
{
        unsigned int i;

        vxe_pr(p, "\t[HWSP].length: 0x%x\n", 0x1000);
        vxe_pr(p, "\t[HWSP].data: ");
        for (i = 0; i < 1024; i++) {
                u32 w = i == 512 / 4 ? s->seqno : i == 520 / 4 ? s->start_seqno : 0;

                vxe_put_a85(p, &w, 1);
        }
        vxe_puts(p, "\n");
}

static void vxe_print_range(struct vxe_printer *p, const struct vxe_snapshot *s, const struct vxe_range *r)
{
        struct page *page;

        vxe_pr(p, "[%llx].length: 0x%llx\n", r->va, r->size);
        if (r->err) {
                vxe_pr(p, "[%llx].error: %d\n", r->va, r->err);
                return;
        }
        if (s->compressed) {
                vxe_pr(p, "[%llx].zstd: 0x%zx ", r->va, r->zlen);
                vxe_put_a85(p, r->zdata, round_up(r->zlen, 4) / 4);
        } else {
                vxe_pr(p, "[%llx].data: ", r->va);
                list_for_each_entry(page, &r->pages, lru) {
                        u32 *vaddr = kmap_local_page(page);

                        vxe_put_a85(p, vaddr, PAGE_SIZE / 4);
                        kunmap_local(vaddr);
                }
        }
        vxe_puts(p, "\n");
}

static void vxe_snapshot_print(struct vxe_printer *p, const struct vxe_snapshot *s)
{
        unsigned int i;

        vxe_pr(p, "**** Xe Device Coredump ****\n");
        vxe_pr(p, "Reason: %s\n", s->reason);
        vxe_pr(p, "kernel: %s\n", init_utsname()->release);
        vxe_pr(p, "module: %s\n", KBUILD_MODNAME);
        vxe_pr(p, "Snapshot time: %lld.%09ld\n", s->real.tv_sec, s->real.tv_nsec);
        vxe_pr(p, "Uptime: %lld.%09ld\n", s->boot.tv_sec, s->boot.tv_nsec);
        vxe_pr(p, "Process: %s [%d]\n", s->comm, s->pid);
        /* No PCI device: a made-up id, documented in docs/kernel.md. */
        vxe_pr(p, "PCI ID: 0x%04x\n", 0);
        vxe_pr(p, "PCI revision: 0x%02x\n", 0);
        vxe_pr(p, "GT id: %u\n\tTile: %u\n\tType: main\n\tIP ver: 12.0.0\n\tCS reference clock: %u\n",
               0, 0, 19200000);
        vxe_pr(p, "\n**** GT #%d ****\n\tTile: %d\n", 0, 0);

        vxe_pr(p, "\n**** Contexts ****\n");
        vxe_pr(p, "GuC ID: %d\n", s->guc_id);
        vxe_pr(p, "\tName: %s\n", s->qname);
        vxe_pr(p, "\tClass: %d\n", s->class);
        vxe_pr(p, "\tLogical mask: 0x%x\n", 0x1);
        vxe_pr(p, "\tWidth: %d\n", 1);
        vxe_pr(p, "\tRef: %d\n", s->ref);
        vxe_pr(p, "\tTimeout: %ld (ms)\n", (long)s->timeout_ms);
        vxe_pr(p, "\tTimeslice: %u (us)\n", 1000);
        vxe_pr(p, "\tPreempt timeout: %u (us)\n", 640000);
        vxe_pr(p, "\tHW Context Desc: 0x%08x\n", s->lrc_ggtt);
        vxe_pr(p, "\tHW Ring address: 0x%08x\n", s->ring_ggtt);
        vxe_pr(p, "\tHW Indirect Ring State: 0x%08x\n", 0);
        vxe_pr(p, "\tLRC Head: (memory) %u\n", s->lrc_head);
        vxe_pr(p, "\tLRC Tail: (internal) %u, (memory) %u\n", s->lrc_tail_internal, s->lrc_tail_memory);
        vxe_pr(p, "\tRing start: (memory) 0x%08x\n", s->ring_ggtt);
        vxe_pr(p, "\tStart seqno: (memory) %d\n", s->start_seqno);
        vxe_pr(p, "\tSeqno: (memory) %d\n", s->seqno);
        vxe_print_hwsp(p, s);
        vxe_pr(p, "\tSchedule State: 0x%x\n", s->sched_state);
        vxe_pr(p, "\tFlags: 0x%lx\n", 0UL);
        for (i = 0; i < s->njobs; i++)
                vxe_pr(p, "\tJob: seqno=%d, fence=%d, finished=%d\n",
                       s->jobs[i].seqno, s->jobs[i].fence, s->jobs[i].finished);

        vxe_pr(p, "\n**** Job ****\n");
        vxe_pr(p, "batch_addr[%u]: 0x%016llx\n", 0, s->batch_addr);

        vxe_pr(p, "\n**** HW Engines ****\n");
        vxe_print_regs(p, s);

        vxe_pr(p, "\n**** VM state ****\n");
        if (!s->nranges)
                vxe_pr(p, "[0].error: %d\n", -ENODEV);
        for (i = 0; i < s->nranges; i++)
                vxe_print_range(p, s, &s->ranges[i]);
}

static void vxe_snapshot_free_ranges(struct vxe_snapshot *s)
{
        unsigned int i;

        for (i = 0; i < s->nranges; i++) {
                vxe_range_free_pages(&s->ranges[i]);
                kvfree(s->ranges[i].zdata);
                s->ranges[i].zdata = NULL;
        }
}

static ssize_t vxe_dump_read(char *buffer, loff_t offset, size_t count, void *data, size_t datalen)
{
        struct vxe_snapshot *s = data;

        if (offset < 0 || offset >= s->text_len)
                return 0;
        count = min_t(size_t, count, s->text_len - offset);
        memcpy(buffer, s->text + offset, count);
        return count;
}

static void vxe_dump_free(void *data)
{
        struct vxe_snapshot *s = data;
        struct vxe_device *vdev = s->vdev;

        kvfree(s->text);
        kfree(s);
        drm_info(&vdev->drm, "vxe device coredump has been deleted.\n");
        atomic_set(&vdev->dump_busy, 0);
}

static void vxe_capture_work(struct work_struct *work)
{
        struct vxe_snapshot *s = container_of(work, struct vxe_snapshot, work);
        struct vxe_device *vdev = s->vdev;
        struct vxe_printer p = {};
        unsigned int i;

        if (s->compressed) {
                for (i = 0; i < s->nranges; i++) {
                        struct vxe_range *r = &s->ranges[i];

                        if (r->err)
                                continue;
                        r->err = vxe_range_compress(r, READ_ONCE(vxe_zstd_level));
                        vxe_range_free_pages(r);
                }
        }

        /* Measure, then render once: reads are then plain copies. */
        vxe_snapshot_print(&p, s);
        p.size = p.pos + 1;
        p.pos = 0;
        p.buf = kvmalloc(p.size, GFP_KERNEL);
        if (!p.buf) {
                drm_err(&vdev->drm, "coredump of %zu bytes not published: out of memory\n", p.size);
                vxe_snapshot_free_ranges(s);
                kfree(s);
                atomic_set(&vdev->dump_busy, 0);
                return;
        }
        vxe_snapshot_print(&p, s);
        vxe_snapshot_free_ranges(s);
        s->text = p.buf;
        s->text_len = p.pos;

        drm_info(&vdev->drm, "vxe device coredump has been created (%zu bytes, %s, %lld us after the hang)\n",
                 s->text_len, s->compressed ? "zstd" : "uncompressed",
                 ktime_us_delta(ktime_get(), s->detected));
        dev_coredumpm(vdev->drm.dev, THIS_MODULE, s, s->text_len, GFP_KERNEL,
                      vxe_dump_read, vxe_dump_free);
}

int vxe_capture_init(struct vxe_device *vdev)
{
        vdev->capture_wq = alloc_workqueue("vxe-capture", WQ_UNBOUND, 1);
        return vdev->capture_wq ? 0 : -ENOMEM;
}

void vxe_capture_fini(struct vxe_device *vdev)
{
        /* Drains pending stage-2 work: it uses the device. */
        if (vdev->capture_wq)
                destroy_workqueue(vdev->capture_wq);
        vdev->capture_wq = NULL;
}
