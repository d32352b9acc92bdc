// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * vxe engines: one kernel thread per engine runs jobs by interpreting a
 * small set of Intel MI commands from the batch through the VM. Exec queues
 * (contexts) own a seqno and a made-up ring; hang detection and capture run
 * in the engine thread.
 */
#include <linux/delay.h>
#include <linux/kthread.h>
#include <linux/slab.h>
#include <drm/drm_file.h>
#include <drm/drm_syncobj.h>

#include "vxe_drv.h"

/* MI command opcodes (bits 28:23 of the header, client 0). */
#define MI_NOOP                         0x00
#define MI_USER_INTERRUPT               0x02
#define MI_ARB_CHECK                    0x05
#define MI_BATCH_BUFFER_END             0x0a
#define MI_SEMAPHORE_WAIT               0x1c
#define MI_STORE_DATA_IMM               0x20
#define MI_LOAD_REGISTER_IMM            0x22
#define MI_BATCH_BUFFER_START           0x31

#define MI_BB_START_2ND_LEVEL           (1 << 22)
#define MI_SEMAPHORE_POLL               (1 << 15)

/* Engine register offsets from the mmio base, for MI_LOAD_REGISTER_IMM. */
#define RING_TAIL_OFS           0x30
#define RING_HEAD_OFS           0x34
#define RING_CTL_OFS            0x3c
#define RING_HWS_PGA_OFS        0x80
#define HWSTAM_OFS              0x98
#define RING_MI_MODE_OFS        0x9c
#define RING_IMR_OFS            0xa8
#define RING_EMR_OFS            0xb4
#define RING_MODE_OFS           0x29c
#define CS_GPR_OFS              0x600

#define RING_EIR_ERROR_INSTRUCTION      0x1
#define RING_EIR_PAGE_FAULT             0x10

#define VXE_MAX_BB_DEPTH        3

enum vxe_run_result {
        VXE_RUN_DONE,
        VXE_RUN_HANG,
        VXE_RUN_ERROR,
        VXE_RUN_STOPPED,
};

static void vxe_exec_queue_release(struct kref *ref)
{
        struct vxe_exec_queue *q = container_of(ref, struct vxe_exec_queue, ref);

        ida_free(&q->vdev->guc_ida, q->guc_id);
        vxe_vm_put(q->vm);
        kfree(q);
}

void vxe_exec_queue_put(struct vxe_exec_queue *q)
{
        kref_put(&q->ref, vxe_exec_queue_release);
}

static void vxe_regs_reset(struct vxe_engine *hwe)
{
        struct vxe_regs *r = &hwe->regs;

        memset(r, 0, sizeof(*r));
        r->hwstam = 0xffffffff;
        r->hws_pga = 0x00fdf000 - 0x1000 * hwe->class;
        r->ring_emr = 0xfffffffe;
        r->ring_imr = 0xfffffefe;
        r->ring_mode = 0x8;
        r->ring_instdone = 0xffffffff;
        r->execlist_status = 0x1;
}

static void vxe_lri(struct vxe_engine *hwe, u32 reg, u32 val)
{
        struct vxe_regs *r = &hwe->regs;
        u32 ofs = reg - hwe->mmio_base;

        if (reg < hwe->mmio_base)
                return;
        switch (ofs) {
        case RING_TAIL_OFS: r->ring_tail = val; break;
        case RING_HEAD_OFS: r->ring_head = val; break;
        case RING_CTL_OFS: r->ring_ctl = val; break;
        case RING_HWS_PGA_OFS: r->hws_pga = val; break;
        case HWSTAM_OFS: r->hwstam = val; break;
        case RING_MI_MODE_OFS: r->ring_mi_mode = val; break;
        case RING_IMR_OFS: r->ring_imr = val; break;
        case RING_EMR_OFS: r->ring_emr = val; break;
        case RING_MODE_OFS: r->ring_mode = val; break;
        default:
                if (ofs >= CS_GPR_OFS && ofs < CS_GPR_OFS + sizeof(r->gpr))
                        r->gpr[(ofs - CS_GPR_OFS) / 4] = val;
                /* Other registers are accepted and ignored, like writes to
                 * unimplemented MMIO. */
        }
}

static bool vxe_sem_cond(u32 op, u32 sad, u32 sdd)
{
        switch (op) {
        case 0: return sad > sdd;
        case 1: return sad >= sdd;
        case 2: return sad < sdd;
        case 3: return sad <= sdd;
        case 4: return sad == sdd;
        case 5: return sad != sdd;
        default: return false;
        }
}

/* Read dword i of the instruction at pc. */
static int vxe_fetch(struct vxe_exec_queue *q, u64 pc, unsigned int i, u32 *dw)
{
        return vxe_vm_rw(q->vm, pc + 4 * i, dw, false);
}

static enum vxe_run_result vxe_run(struct vxe_engine *hwe, struct vxe_job *job, char *why, size_t whylen)
{
        struct vxe_exec_queue *q = job->q;
        struct vxe_regs *r = &hwe->regs;
        unsigned long start = jiffies;
        u64 ret_stack[VXE_MAX_BB_DEPTH];
        unsigned int depth = 0, steps = 0;
        u64 pc = job->batch_addr;
        u32 dw, a, b, c, len, i;

        for (;;) {
                if (kthread_should_stop())
                        return VXE_RUN_STOPPED;
                /* Re-read every step: lowering the parameter applies to a job
                 * already running, so a client can keep its job pending while
                 * it acts on it, then have the hang detected at once. */
                if (time_after(jiffies, start + msecs_to_jiffies(READ_ONCE(vxe_hang_timeout_ms))))
                        return VXE_RUN_HANG;
                if (++steps % 256 == 0)
                        cond_resched();
                r->acthd = pc;
                r->ring_dma_fadd = pc;
                if (vxe_fetch(q, pc, 0, &dw))
                        goto fault;
                r->ipehr = dw;
                if (dw >> 29) {
                        r->ring_eir |= RING_EIR_ERROR_INSTRUCTION;
                        r->ring_esr |= RING_EIR_ERROR_INSTRUCTION;
                        scnprintf(why, whylen, "unknown instruction 0x%08x at 0x%llx", dw, pc);
                        return VXE_RUN_ERROR;
                }
                switch ((dw >> 23) & 0x3f) {
                case MI_NOOP:
                case MI_USER_INTERRUPT:
                case MI_ARB_CHECK:
                        pc += 4;
                        break;
                case MI_BATCH_BUFFER_END:
                        if (!depth)
                                return VXE_RUN_DONE;
                        pc = ret_stack[--depth];
                        r->ring_bbaddr = pc;
                        break;
                case MI_BATCH_BUFFER_START:
                        if (vxe_fetch(q, pc, 1, &a) || vxe_fetch(q, pc, 2, &b))
                                goto fault;
                        if (dw & MI_BB_START_2ND_LEVEL) {
                                if (depth == VXE_MAX_BB_DEPTH) {
                                        scnprintf(why, whylen, "batch nesting too deep at 0x%llx", pc);
                                        r->ring_eir |= RING_EIR_ERROR_INSTRUCTION;
                                        return VXE_RUN_ERROR;
                                }
                                ret_stack[depth++] = pc + 4 * ((dw & 0xff) + 2);
                        }
                        pc = ((u64)(b & 0xffff) << 32) | (a & ~3u);
                        r->ring_bbaddr = pc;
                        break;
                case MI_STORE_DATA_IMM:
                        len = (dw & 0x3ff) + 2;
                        if (len < 4 || vxe_fetch(q, pc, 1, &a) || vxe_fetch(q, pc, 2, &b))
                                goto bad_len;
                        for (i = 3; i < len; i++) {
                                u64 addr = (((u64)(b & 0xffff) << 32) | (a & ~3u)) + 4 * (i - 3);

                                if (vxe_fetch(q, pc, i, &c) || vxe_vm_rw(q->vm, addr, &c, true))
                                        goto fault;
                        }
                        pc += 4 * len;
                        break;
                case MI_LOAD_REGISTER_IMM:
                        len = (dw & 0xff) + 2;
                        if (len < 3 || !(len & 1))
                                goto bad_len;
                        for (i = 1; i + 1 < len; i += 2) {
                                if (vxe_fetch(q, pc, i, &a) || vxe_fetch(q, pc, i + 1, &b))
                                        goto fault;
                                vxe_lri(hwe, a, b);
                        }
                        pc += 4 * len;
                        break;
                case MI_SEMAPHORE_WAIT:
                        len = (dw & 0xff) + 2;
                        if (len < 4 || vxe_fetch(q, pc, 1, &a) || vxe_fetch(q, pc, 2, &b) ||
                            vxe_fetch(q, pc, 3, &c))
                                goto bad_len;
                        {
                                u64 addr = ((u64)(c & 0xffff) << 32) | (b & ~3u);
                                u32 sad;

                                if (vxe_vm_rw(q->vm, addr, &sad, false))
                                        goto fault;
                                if (vxe_sem_cond((dw >> 12) & 7, sad, a)) {
                                        pc += 4 * len;
                                        break;
                                }
                                /* Signal mode (no MI_SEMAPHORE_POLL) would wait for a
                                 * wakeup; re-reading is equivalent here. */
                                r->ring_instdone = 0xfffffffe;
                                usleep_range(500, 1000);
                        }
                        break;
                default:
                        r->ring_eir |= RING_EIR_ERROR_INSTRUCTION;
                        r->ring_esr |= RING_EIR_ERROR_INSTRUCTION;
                        scnprintf(why, whylen, "unknown instruction 0x%08x at 0x%llx", dw, pc);
                        return VXE_RUN_ERROR;
                }
        }
bad_len:
        r->ring_eir |= RING_EIR_ERROR_INSTRUCTION;
        r->ring_esr |= RING_EIR_ERROR_INSTRUCTION;
        scnprintf(why, whylen, "bad length in instruction 0x%08x at 0x%llx", dw, pc);
        return VXE_RUN_ERROR;
fault:
        r->ring_eir |= RING_EIR_PAGE_FAULT;
        scnprintf(why, whylen, "page fault at 0x%llx (instruction at 0x%llx)", r->acthd, pc);
        return VXE_RUN_ERROR;
}

static void vxe_job_free(struct vxe_job *job)
{
        vxe_snap_recs_release(job->recs, job->nrec);
        dma_fence_put(job->fence);
        vxe_exec_queue_put(job->q);
        kfree(job);
}

static void vxe_engine_run_job(struct vxe_engine *hwe, struct vxe_job *job)
{
        struct vxe_exec_queue *q = job->q;
        struct vxe_regs *r = &hwe->regs;
        char why[96] = "";
        char reason[160];
        enum vxe_run_result res;
        bool fence_cookie;
        int err = 0;

        r->ring_start = q->ring_ggtt;
        r->ring_ctl = ((VXE_RING_SIZE / 4096 - 1) << 12) | 1;
        r->ring_head = job->ring_head;
        r->ring_tail = job->ring_tail;
        r->ring_bbaddr = job->batch_addr;
        r->ring_instdone = 0xfffffffe;
        r->execlist_status = ((u64)q->guc_id << 32) | 0x1;
        r->execlist_sq = ((u64)q->guc_id << 32) | q->lrc_ggtt | 0x9;
        WRITE_ONCE(q->hwsp_start_seqno, job->seqno);

        res = vxe_run(hwe, job, why, sizeof(why));
        /* From here to the signal the job's fence is on the hook: lockdep
         * (when enabled) checks we do not wait on memory reclaim or locks
         * that may themselves wait on fences. */
        fence_cookie = dma_fence_begin_signalling();
        switch (res) {
        case VXE_RUN_DONE:
                WRITE_ONCE(q->hwsp_seqno, job->seqno);
                break;
        case VXE_RUN_HANG:
                scnprintf(reason, sizeof(reason),
                          "Timedout job - seqno=%u, lrc_seqno=%u, guc_id=%d, flags=0x%lx",
                          job->seqno, job->seqno, q->guc_id, 0UL);
                q->sched_state |= VXE_Q_STATE_RESET;
                vxe_capture_hang(hwe, job, reason);
                err = -ETIME;
                break;
        case VXE_RUN_ERROR:
                scnprintf(reason, sizeof(reason), "Engine error - seqno=%u, guc_id=%d: %s",
                          job->seqno, q->guc_id, why);
                vxe_capture_hang(hwe, job, reason);
                err = -EIO;
                break;
        case VXE_RUN_STOPPED:
                err = -ECANCELED;
                break;
        }
        if (err) {
                /* Engine reset: forget the context state, keep going. */
                vxe_regs_reset(hwe);
                dma_fence_set_error(job->fence, err);
        } else {
                r->ring_head = r->ring_tail;
                r->ring_instdone = 0xffffffff;
        }

        spin_lock(&hwe->lock);
        list_del(&job->queue_link);
        spin_unlock(&hwe->lock);
        dma_fence_signal(job->fence);
        dma_fence_end_signalling(fence_cookie);
        vxe_job_free(job);
}

static int vxe_engine_thread(void *arg)
{
        struct vxe_engine *hwe = arg;
        struct vxe_job *job;

        while (!kthread_should_stop()) {
                wait_event_interruptible(hwe->wq, kthread_should_stop() || !list_empty_careful(&hwe->jobs));
                spin_lock(&hwe->lock);
                job = list_first_entry_or_null(&hwe->jobs, struct vxe_job, engine_link);
                if (job)
                        list_del(&job->engine_link);
                spin_unlock(&hwe->lock);
                if (job)
                        vxe_engine_run_job(hwe, job);
        }
        /* Cancel what never ran. */
        for (;;) {
                spin_lock(&hwe->lock);
                job = list_first_entry_or_null(&hwe->jobs, struct vxe_job, engine_link);
                if (job) {
                        list_del(&job->engine_link);
                        list_del(&job->queue_link);
                }
                spin_unlock(&hwe->lock);
                if (!job)
                        break;
                dma_fence_set_error(job->fence, -ECANCELED);
                dma_fence_signal(job->fence);
                vxe_job_free(job);
        }
        return 0;
}

int vxe_engines_init(struct vxe_device *vdev)
{
        static const struct {
                const char *name;
                u16 class;
                u32 mmio_base;
        } info[VXE_NUM_ENGINES] = {
                { "rcs0", DRM_VXE_ENGINE_CLASS_RENDER, 0x2000 },
                { "bcs0", DRM_VXE_ENGINE_CLASS_COPY, 0x22000 },
        };
        int i;

        for (i = 0; i < VXE_NUM_ENGINES; i++) {
                struct vxe_engine *hwe = &vdev->engines[i];

                hwe->vdev = vdev;
                hwe->name = info[i].name;
                hwe->class = info[i].class;
                hwe->mmio_base = info[i].mmio_base;
                spin_lock_init(&hwe->lock);
                INIT_LIST_HEAD(&hwe->jobs);
                init_waitqueue_head(&hwe->wq);
                vxe_regs_reset(hwe);
                hwe->thread = kthread_run(vxe_engine_thread, hwe, "vxe-%s", hwe->name);
                if (IS_ERR(hwe->thread)) {
                        int ret = PTR_ERR(hwe->thread);

                        hwe->thread = NULL;
                        vxe_engines_fini(vdev);
                        return ret;
                }
        }
        return 0;
}

void vxe_engines_fini(struct vxe_device *vdev)
{
        int i;

        for (i = 0; i < VXE_NUM_ENGINES; i++) {
                if (vdev->engines[i].thread) {
                        kthread_stop(vdev->engines[i].thread);
                        vdev->engines[i].thread = NULL;
                }
        }
}

static struct vxe_exec_queue *vxe_exec_queue_lookup(struct vxe_file *vf, u32 id)
{
        struct vxe_exec_queue *q;

        xa_lock(&vf->queues);
        q = xa_load(&vf->queues, id);
        if (q)
                kref_get(&q->ref);
        xa_unlock(&vf->queues);
        return q;
}

int vxe_exec_queue_create_ioctl(struct drm_device *dev, void *data, struct drm_file *file)
{
        struct drm_vxe_exec_queue_create *args = data;
        struct vxe_device *vdev = to_vxe(dev);
        struct vxe_file *vf = file->driver_priv;
        struct vxe_engine *hwe = NULL;
        struct vxe_exec_queue *q;
        u32 id;
        int i, ret;

        if (args->flags || args->engine_instance)
                return -EINVAL;
        for (i = 0; i < VXE_NUM_ENGINES; i++)
                if (vdev->engines[i].class == args->engine_class)
                        hwe = &vdev->engines[i];
        if (!hwe)
                return -EINVAL;
        q = kzalloc(sizeof(*q), GFP_KERNEL);
        if (!q)
                return -ENOMEM;
        q->vm = vxe_vm_lookup(vf, args->vm_id);
        if (!q->vm) {
                kfree(q);
                return -ENOENT;
        }
        q->guc_id = ida_alloc_range(&vdev->guc_ida, 1, 0xffff, GFP_KERNEL);
        if (q->guc_id < 0) {
                ret = q->guc_id;
                vxe_vm_put(q->vm);
                kfree(q);
                return ret;
        }
        kref_init(&q->ref);
        q->vdev = vdev;
        q->hwe = hwe;
        q->fence_ctx = dma_fence_context_alloc(1);
        q->next_seqno = 1;
        /* Made-up GGTT layout: a 4 KiB ring and an LRC per context. */
        q->ring_ggtt = 0x00800000 + q->guc_id * 0x4000;
        q->lrc_ggtt = q->ring_ggtt + 0x1000;
        q->sched_state = VXE_Q_STATE_REGISTERED | VXE_Q_STATE_ENABLED;
        INIT_LIST_HEAD(&q->pending);
        ret = xa_alloc(&vf->queues, &id, q, xa_limit_32b, GFP_KERNEL);
        if (ret) {
                vxe_exec_queue_put(q);
                return ret;
        }
        args->exec_queue_id = id;
        return 0;
}

int vxe_exec_queue_destroy_ioctl(struct drm_device *dev, void *data, struct drm_file *file)
{
        struct drm_vxe_exec_queue_destroy *args = data;
        struct vxe_file *vf = file->driver_priv;
        struct vxe_exec_queue *q;

        if (args->pad)
                return -EINVAL;
        q = xa_erase(&vf->queues, args->exec_queue_id);
        if (!q)
                return -ENOENT;
        vxe_exec_queue_put(q);
        return 0;
}

int vxe_exec_ioctl(struct drm_device *dev, void *data, struct drm_file *file)
{
        struct drm_vxe_exec *args = data;
        struct drm_syncobj *syncobj;
        struct vxe_exec_queue *q;
        struct vxe_engine *hwe;
        struct vxe_job *job;
        int ret;

        if (args->address >= VXE_VA_LIMIT || (args->address & 3))
                return -EINVAL;
        syncobj = drm_syncobj_find(file, args->syncobj);
        if (!syncobj)
                return -ENOENT;
        q = vxe_exec_queue_lookup(file->driver_priv, args->exec_queue_id);
        if (!q) {
                ret = -ENOENT;
                goto err_syncobj;
        }
        job = kzalloc(sizeof(*job), GFP_KERNEL);
        if (!job) {
                vxe_exec_queue_put(q);
                ret = -ENOMEM;
                goto err_syncobj;
        }
        job->q = q;
        job->batch_addr = args->address;
        get_task_comm(job->comm, current);
        job->pid = task_tgid_nr(current);
        ret = vxe_vm_record_dumpable(q->vm, &job->recs, &job->nrec);
        if (ret)
                goto err_job;
        hwe = q->hwe;
        spin_lock(&hwe->lock);
        job->seqno = q->next_seqno++;
        job->ring_head = q->ring_tail;
        q->ring_tail = (q->ring_tail + 32) % VXE_RING_SIZE;
        job->ring_tail = q->ring_tail;
        spin_unlock(&hwe->lock);
        job->fence = vxe_fence_create(q->fence_ctx, job->seqno);
        if (!job->fence) {
                ret = -ENOMEM;
                goto err_job;
        }
        drm_syncobj_replace_fence(syncobj, job->fence);
        drm_syncobj_put(syncobj);

        spin_lock(&hwe->lock);
        list_add_tail(&job->queue_link, &q->pending);
        list_add_tail(&job->engine_link, &hwe->jobs);
        spin_unlock(&hwe->lock);
        wake_up(&hwe->wq);
        return 0;

err_job:
        vxe_job_free(job);
err_syncobj:
        drm_syncobj_put(syncobj);
        return ret;
}
