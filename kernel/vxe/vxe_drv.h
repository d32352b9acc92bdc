/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * vxe internal interfaces: device, BOs, VMs, engines and the hang capture core.
 */
#ifndef _VXE_DRV_H_
#define _VXE_DRV_H_

#include <linux/dma-fence.h>
#include <linux/kref.h>
#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/sched.h>
#include <linux/spinlock.h>
#include <linux/wait.h>
#include <linux/workqueue.h>
#include <linux/xarray.h>
#include <drm/drm_device.h>
#include <drm/drm_gem.h>

#include "vxe_drm.h"

#define VXE_NUM_ENGINES         2
#define VXE_VA_LIMIT            (1ULL << 48)
#define VXE_MAX_BO_SIZE         (1ULL << 30)
#define VXE_RING_SIZE           4096

/* Module parameters (vxe_drv.c). */
extern unsigned int vxe_hang_timeout_ms;
extern bool vxe_compress_dump;
extern int vxe_fail_capture_range;
extern int vxe_zstd_level;

/* Backing store of a BO: refcounted so that a submission (and the capture of
 * a hang of that submission) keeps the pages it saw even after the BO was
 * migrated, unbound or freed. */
struct vxe_backing {
        struct kref ref;
        unsigned long npages;
        struct page *pages[];
};

struct vxe_backing *vxe_backing_alloc(unsigned long npages);
void vxe_backing_put(struct vxe_backing *b);

struct vxe_bo {
        struct drm_gem_object base;
        spinlock_t lock;                /* protects backing (pointer swap on migrate) */
        struct vxe_backing *backing;
};

static inline struct vxe_bo *to_vxe_bo(struct drm_gem_object *obj)
{
        return container_of(obj, struct vxe_bo, base);
}

struct vxe_backing *vxe_bo_get_backing(struct vxe_bo *bo);

/* A fence owned by the driver, used for job out-fences and unbind completion. */
struct dma_fence *vxe_fence_create(u64 context, u64 seqno);

/* The "resource" of a binding: lives while the VMA is bound or while a job or
 * a capture records it. Its release signals the unbind fence (the i915
 * vma_resource idea). */
struct vxe_vma_res {
        struct kref ref;
        struct dma_fence *unbind_fence;
};

void vxe_vma_res_put(struct vxe_vma_res *res);

struct vxe_vma {
        struct list_head link;          /* in vxe_vm.vmas, sorted by start */
        u64 start;
        u64 size;
        u64 bo_offset;
        u32 flags;
        struct vxe_bo *bo;
        struct vxe_vma_res *res;
};

struct vxe_device;

struct vxe_vm {
        struct kref ref;
        struct vxe_device *vdev;
        struct mutex lock;              /* protects vmas */
        struct list_head vmas;
};

void vxe_vm_put(struct vxe_vm *vm);
int vxe_vm_rw(struct vxe_vm *vm, u64 addr, u32 *val, bool write);

/* One record taken at submission per DUMPABLE VMA. */
struct vxe_snap_rec {
        u64 va;
        u64 size;
        unsigned long first_page;       /* index into backing->pages */
        struct vxe_backing *backing;
        struct vxe_vma_res *res;
};

int vxe_vm_record_dumpable(struct vxe_vm *vm, struct vxe_snap_rec **recs, unsigned int *nrec);
void vxe_snap_recs_release(struct vxe_snap_rec *recs, unsigned int nrec);

/* Register file, named like xe's capture lists. */
struct vxe_regs {
        u32 hwstam;
        u32 hws_pga;
        u32 ring_head;
        u32 ring_tail;
        u32 ring_ctl;
        u32 ring_mi_mode;
        u32 ring_mode;
        u32 ring_esr;
        u32 ring_emr;
        u32 ring_eir;
        u32 ring_imr;
        u32 ipehr;
        u32 ring_instdone;
        u64 acthd;
        u64 ring_bbaddr;
        u64 ring_start;
        u64 ring_dma_fadd;
        u64 execlist_status;
        u64 execlist_sq;
        u32 gpr[32];                    /* CS_GPR, writable by MI_LOAD_REGISTER_IMM */
};

struct vxe_job;

struct vxe_engine {
        struct vxe_device *vdev;
        const char *name;
        u16 class;
        u16 instance;
        u32 mmio_base;
        struct task_struct *thread;
        spinlock_t lock;                /* protects jobs, the queues' pending lists */
        struct list_head jobs;
        wait_queue_head_t wq;
        struct vxe_regs regs;           /* only touched by the engine thread */
};

#define VXE_Q_STATE_REGISTERED  0x1
#define VXE_Q_STATE_ENABLED     0x2
#define VXE_Q_STATE_RESET       0x40

struct vxe_exec_queue {
        struct kref ref;
        struct vxe_device *vdev;
        struct vxe_engine *hwe;
        struct vxe_vm *vm;
        int guc_id;
        u64 fence_ctx;
        u32 next_seqno;
        u32 ring_tail;
        u32 ring_ggtt;                  /* made-up GGTT address of the ring */
        u32 lrc_ggtt;
        /* HWSP words, written by the engine thread */
        u32 hwsp_seqno;
        u32 hwsp_start_seqno;
        u32 sched_state;
        struct list_head pending;       /* jobs not yet completed, under hwe->lock */
};

void vxe_exec_queue_put(struct vxe_exec_queue *q);

struct vxe_job {
        struct list_head engine_link;
        struct list_head queue_link;
        struct vxe_exec_queue *q;
        struct dma_fence *fence;
        u64 batch_addr;
        u32 seqno;
        u32 ring_head;
        u32 ring_tail;
        char comm[TASK_COMM_LEN];
        pid_t pid;
        unsigned int nrec;
        struct vxe_snap_rec *recs;
};

struct vxe_device {
        struct drm_device drm;
        struct vxe_engine engines[VXE_NUM_ENGINES];
        struct workqueue_struct *capture_wq;
        atomic_t dump_busy;             /* one capture at a time, until userspace frees it */
        struct ida guc_ida;
        u64 unbind_fence_ctx;
        atomic64_t unbind_seqno;
};

static inline struct vxe_device *to_vxe(struct drm_device *drm)
{
        return container_of(drm, struct vxe_device, drm);
}

struct vxe_file {
        struct xarray vms;
        struct xarray queues;
};

/* vxe_gem.c */
int vxe_gem_create_ioctl(struct drm_device *dev, void *data, struct drm_file *file);
int vxe_gem_mmap_offset_ioctl(struct drm_device *dev, void *data, struct drm_file *file);
int vxe_gem_migrate_ioctl(struct drm_device *dev, void *data, struct drm_file *file);

/* vxe_vm.c */
int vxe_vm_create_ioctl(struct drm_device *dev, void *data, struct drm_file *file);
int vxe_vm_destroy_ioctl(struct drm_device *dev, void *data, struct drm_file *file);
int vxe_vm_bind_ioctl(struct drm_device *dev, void *data, struct drm_file *file);
struct vxe_vm *vxe_vm_lookup(struct vxe_file *vf, u32 id);

/* vxe_engine.c */
int vxe_engines_init(struct vxe_device *vdev);
void vxe_engines_fini(struct vxe_device *vdev);
int vxe_exec_queue_create_ioctl(struct drm_device *dev, void *data, struct drm_file *file);
int vxe_exec_queue_destroy_ioctl(struct drm_device *dev, void *data, struct drm_file *file);
int vxe_exec_ioctl(struct drm_device *dev, void *data, struct drm_file *file);

/* vxe_capture.c: called from the engine thread, never sleeps */
void vxe_capture_hang(struct vxe_engine *hwe, struct vxe_job *job, const char *reason);
int vxe_capture_init(struct vxe_device *vdev);
void vxe_capture_fini(struct vxe_device *vdev);

#endif
