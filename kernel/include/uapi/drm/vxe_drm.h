/* SPDX-License-Identifier: MIT */
/*
 * vxe: a virtual DRM render device that runs a small subset of Intel MI
 * commands in kernel threads, used to exercise GPU hang capture
 * (devcoredump in the Xe layout) without hardware.
 *
 * Shared by the kernel module and userspace (built with libdrm's drm.h).
 */
#ifndef _UAPI_VXE_DRM_H_
#define _UAPI_VXE_DRM_H_

#include "drm.h"

#if defined(__cplusplus)
extern "C" {
#endif

#define DRM_VXE_GEM_CREATE              0x00
#define DRM_VXE_GEM_MMAP_OFFSET         0x01
#define DRM_VXE_VM_CREATE               0x02
#define DRM_VXE_VM_DESTROY              0x03
#define DRM_VXE_VM_BIND                 0x04
#define DRM_VXE_EXEC_QUEUE_CREATE       0x05
#define DRM_VXE_EXEC_QUEUE_DESTROY      0x06
#define DRM_VXE_EXEC                    0x07
#define DRM_VXE_GEM_MIGRATE             0x08

#define DRM_IOCTL_VXE_GEM_CREATE \
        DRM_IOWR(DRM_COMMAND_BASE + DRM_VXE_GEM_CREATE, struct drm_vxe_gem_create)
#define DRM_IOCTL_VXE_GEM_MMAP_OFFSET \
        DRM_IOWR(DRM_COMMAND_BASE + DRM_VXE_GEM_MMAP_OFFSET, struct drm_vxe_gem_mmap_offset)
#define DRM_IOCTL_VXE_VM_CREATE \
        DRM_IOWR(DRM_COMMAND_BASE + DRM_VXE_VM_CREATE, struct drm_vxe_vm_create)
#define DRM_IOCTL_VXE_VM_DESTROY \
        DRM_IOW(DRM_COMMAND_BASE + DRM_VXE_VM_DESTROY, struct drm_vxe_vm_destroy)
#define DRM_IOCTL_VXE_VM_BIND \
        DRM_IOW(DRM_COMMAND_BASE + DRM_VXE_VM_BIND, struct drm_vxe_vm_bind)
#define DRM_IOCTL_VXE_EXEC_QUEUE_CREATE \
        DRM_IOWR(DRM_COMMAND_BASE + DRM_VXE_EXEC_QUEUE_CREATE, struct drm_vxe_exec_queue_create)
#define DRM_IOCTL_VXE_EXEC_QUEUE_DESTROY \
        DRM_IOW(DRM_COMMAND_BASE + DRM_VXE_EXEC_QUEUE_DESTROY, struct drm_vxe_exec_queue_destroy)
#define DRM_IOCTL_VXE_EXEC \
        DRM_IOW(DRM_COMMAND_BASE + DRM_VXE_EXEC, struct drm_vxe_exec)
#define DRM_IOCTL_VXE_GEM_MIGRATE \
        DRM_IOW(DRM_COMMAND_BASE + DRM_VXE_GEM_MIGRATE, struct drm_vxe_gem_migrate)

/**
 * struct drm_vxe_gem_create - allocate a buffer object
 * @size: size in bytes, rounded up to a page; at most 1 GiB
 * @flags: must be 0
 * @handle: returned GEM handle
 */
struct drm_vxe_gem_create {
        __u64 size;
        __u32 flags;
        __u32 handle;
};

/**
 * struct drm_vxe_gem_mmap_offset - get the fake offset to mmap() a BO
 * @handle: GEM handle
 * @pad: must be 0
 * @offset: returned offset for mmap() on the DRM fd
 */
struct drm_vxe_gem_mmap_offset {
        __u32 handle;
        __u32 pad;
        __u64 offset;
};

/**
 * struct drm_vxe_vm_create - create a GPU virtual address space
 * @flags: must be 0
 * @vm_id: returned VM id (never 0)
 */
struct drm_vxe_vm_create {
        __u32 flags;
        __u32 vm_id;
};

/** struct drm_vxe_vm_destroy - drop the VM's id; exec queues and pending jobs keep it alive */
struct drm_vxe_vm_destroy {
        __u32 vm_id;
        __u32 pad;
};

#define DRM_VXE_VM_BIND_OP_MAP          0
#define DRM_VXE_VM_BIND_OP_UNMAP        1

/* The VMA is recorded at every submission and its contents land in the
 * devcoredump on a hang (same value as DRM_XE_VM_BIND_FLAG_DUMPABLE). */
#define DRM_VXE_VM_BIND_FLAG_DUMPABLE   (1 << 3)

/**
 * struct drm_vxe_vm_bind - map or unmap a BO range in a VM
 * @vm_id: VM
 * @op: DRM_VXE_VM_BIND_OP_MAP or DRM_VXE_VM_BIND_OP_UNMAP
 * @flags: DRM_VXE_VM_BIND_FLAG_* (MAP only)
 * @handle: BO to map (MAP only)
 * @syncobj: UNMAP: optional (0 = none) syncobj handle that receives a fence
 *           signalled when the unbind is complete, i.e. when no pending job
 *           and no hang capture references the range any more
 * @obj_offset: offset in the BO, page aligned (MAP only)
 * @addr: GPU virtual address, page aligned, below 1 << 48
 * @range: size in bytes, page aligned; UNMAP must name an exact mapping
 *
 * MAP is synchronous. UNMAP removes the mapping at once (later submissions
 * and the engines no longer see it) and completes asynchronously.
 */
struct drm_vxe_vm_bind {
        __u32 vm_id;
        __u32 op;
        __u32 flags;
        __u32 handle;
        __u32 syncobj;
        __u32 pad;
        __u64 obj_offset;
        __u64 addr;
        __u64 range;
};

#define DRM_VXE_ENGINE_CLASS_RENDER     0       /* rcs0 */
#define DRM_VXE_ENGINE_CLASS_COPY       3       /* bcs0 */

/**
 * struct drm_vxe_exec_queue_create - create a context on one engine
 * @vm_id: VM the batches run in
 * @engine_class: DRM_VXE_ENGINE_CLASS_*
 * @engine_instance: must be 0
 * @flags: must be 0
 * @exec_queue_id: returned id (never 0)
 */
struct drm_vxe_exec_queue_create {
        __u32 vm_id;
        __u16 engine_class;
        __u16 engine_instance;
        __u32 flags;
        __u32 exec_queue_id;
};

/** struct drm_vxe_exec_queue_destroy - destroy an exec queue (pending jobs still run) */
struct drm_vxe_exec_queue_destroy {
        __u32 exec_queue_id;
        __u32 pad;
};

/**
 * struct drm_vxe_exec - run a batch buffer
 * @exec_queue_id: exec queue
 * @syncobj: syncobj handle that receives the job's out-fence. The fence
 *           signals with error -ETIME when the job hung (ran past the
 *           vxe.hang_timeout_ms module parameter) and -EIO on an engine
 *           error (unknown instruction, page fault); read it with
 *           SYNC_IOC_FILE_INFO on an exported sync file.
 * @address: GPU virtual address of the batch buffer
 */
struct drm_vxe_exec {
        __u32 exec_queue_id;
        __u32 syncobj;
        __u64 address;
};

/**
 * struct drm_vxe_gem_migrate - move a BO to new backing pages
 * @handle: BO
 * @flags: must be 0
 *
 * The contents are copied, CPU mappings are zapped and refault onto the new
 * pages; submissions already made keep the old pages alive until they and
 * any capture are done.
 */
struct drm_vxe_gem_migrate {
        __u32 handle;
        __u32 flags;
};

#if defined(__cplusplus)
}
#endif

#endif
