// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * vxe GPU virtual address spaces: bind/unbind, engine access, and the
 * snapshot records taken at submission for DUMPABLE ranges.
 */
#include <linux/highmem.h>
#include <linux/slab.h>
#include <drm/drm_file.h>
#include <drm/drm_gem.h>
#include <drm/drm_syncobj.h>

#include "vxe_drv.h"

static void vxe_vma_res_release(struct kref *ref)
{
        struct vxe_vma_res *res = container_of(ref, struct vxe_vma_res, ref);

        /* Last user gone (binding, pending jobs, captures): unbind is complete. */
        dma_fence_signal(res->unbind_fence);
        dma_fence_put(res->unbind_fence);
        kfree(res);
}

/* Never sleeps: called from the engine thread after a job or a capture. */
void vxe_vma_res_put(struct vxe_vma_res *res)
{
        kref_put(&res->ref, vxe_vma_res_release);
}

static void vxe_vma_destroy(struct vxe_vma *vma)
{
        vxe_vma_res_put(vma->res);
        drm_gem_object_put(&vma->bo->base);
        kfree(vma);
}

static void vxe_vm_release(struct kref *ref)
{
        struct vxe_vm *vm = container_of(ref, struct vxe_vm, ref);
        struct vxe_vma *vma, *next;

        list_for_each_entry_safe(vma, next, &vm->vmas, link)
                vxe_vma_destroy(vma);
        mutex_destroy(&vm->lock);
        kfree(vm);
}

void vxe_vm_put(struct vxe_vm *vm)
{
        kref_put(&vm->ref, vxe_vm_release);
}

struct vxe_vm *vxe_vm_lookup(struct vxe_file *vf, u32 id)
{
        struct vxe_vm *vm;

        xa_lock(&vf->vms);
        vm = xa_load(&vf->vms, id);
        if (vm)
                kref_get(&vm->ref);
        xa_unlock(&vf->vms);
        return vm;
}

int vxe_vm_create_ioctl(struct drm_device *dev, void *data, struct drm_file *file)
{
        struct drm_vxe_vm_create *args = data;
        struct vxe_file *vf = file->driver_priv;
        struct vxe_vm *vm;
        u32 id;
        int ret;

        if (args->flags)
                return -EINVAL;
        vm = kzalloc(sizeof(*vm), GFP_KERNEL);
        if (!vm)
                return -ENOMEM;
        kref_init(&vm->ref);
        vm->vdev = to_vxe(dev);
        mutex_init(&vm->lock);
        INIT_LIST_HEAD(&vm->vmas);
        ret = xa_alloc(&vf->vms, &id, vm, xa_limit_32b, GFP_KERNEL);
        if (ret) {
                vxe_vm_put(vm);
                return ret;
        }
        args->vm_id = id;
        return 0;
}

int vxe_vm_destroy_ioctl(struct drm_device *dev, void *data, struct drm_file *file)
{
        struct drm_vxe_vm_destroy *args = data;
        struct vxe_file *vf = file->driver_priv;
        struct vxe_vm *vm;

        if (args->pad)
                return -EINVAL;
        vm = xa_erase(&vf->vms, args->vm_id);
        if (!vm)
                return -ENOENT;
        vxe_vm_put(vm);
        return 0;
}

static int vxe_vm_map(struct vxe_device *vdev, struct vxe_vm *vm, struct drm_file *file,
                      struct drm_vxe_vm_bind *args)
{
        struct vxe_vma *vma, *pos;
        struct drm_gem_object *obj;
        struct list_head *where;

        if (args->flags & ~DRM_VXE_VM_BIND_FLAG_DUMPABLE || !PAGE_ALIGNED(args->obj_offset))
                return -EINVAL;
        obj = drm_gem_object_lookup(file, args->handle);
        if (!obj)
                return -ENOENT;
        if (args->obj_offset > obj->size || args->range > obj->size - args->obj_offset) {
                drm_gem_object_put(obj);
                return -EINVAL;
        }
        vma = kzalloc(sizeof(*vma), GFP_KERNEL);
        if (vma)
                vma->res = kzalloc(sizeof(*vma->res), GFP_KERNEL);
        if (vma && vma->res)
                vma->res->unbind_fence = vxe_fence_create(vdev->unbind_fence_ctx,
                                                          atomic64_inc_return(&vdev->unbind_seqno));
        if (!vma || !vma->res || !vma->res->unbind_fence) {
                if (vma)
                        kfree(vma->res);
                kfree(vma);
                drm_gem_object_put(obj);
                return -ENOMEM;
        }
        kref_init(&vma->res->ref);
        vma->start = args->addr;
        vma->size = args->range;
        vma->bo_offset = args->obj_offset;
        vma->flags = args->flags;
        vma->bo = to_vxe_bo(obj);

        mutex_lock(&vm->lock);
        where = &vm->vmas;
        list_for_each_entry(pos, &vm->vmas, link) {
                if (pos->start < vma->start + vma->size && vma->start < pos->start + pos->size) {
                        mutex_unlock(&vm->lock);
                        vxe_vma_destroy(vma);
                        return -EEXIST;
                }
                if (pos->start > vma->start) {
                        where = &pos->link;
                        break;
                }
        }
        list_add_tail(&vma->link, where);
        mutex_unlock(&vm->lock);
        return 0;
}

static int vxe_vm_unmap(struct vxe_vm *vm, struct drm_file *file, struct drm_vxe_vm_bind *args)
{
        struct drm_syncobj *syncobj = NULL;
        struct vxe_vma *vma, *found = NULL;

        if (args->flags || args->handle || args->obj_offset)
                return -EINVAL;
        if (args->syncobj) {
                syncobj = drm_syncobj_find(file, args->syncobj);
                if (!syncobj)
                        return -ENOENT;
        }
        mutex_lock(&vm->lock);
        list_for_each_entry(vma, &vm->vmas, link) {
                if (vma->start == args->addr && vma->size == args->range) {
                        found = vma;
                        list_del(&vma->link);
                        break;
                }
        }
        mutex_unlock(&vm->lock);
        if (!found) {
                if (syncobj)
                        drm_syncobj_put(syncobj);
                return -ENOENT;
        }
        /* The fence signals when the binding's last user (pending jobs and
         * captures that recorded the range) is gone. */
        if (syncobj) {
                drm_syncobj_replace_fence(syncobj, found->res->unbind_fence);
                drm_syncobj_put(syncobj);
        }
        vxe_vma_destroy(found);
        return 0;
}

int vxe_vm_bind_ioctl(struct drm_device *dev, void *data, struct drm_file *file)
{
        struct drm_vxe_vm_bind *args = data;
        struct vxe_vm *vm;
        int ret;

        if (args->pad || !PAGE_ALIGNED(args->addr) || !PAGE_ALIGNED(args->range) || !args->range ||
            args->addr >= VXE_VA_LIMIT || args->range > VXE_VA_LIMIT - args->addr)
                return -EINVAL;
        vm = vxe_vm_lookup(file->driver_priv, args->vm_id);
        if (!vm)
                return -ENOENT;
        switch (args->op) {
        case DRM_VXE_VM_BIND_OP_MAP:
                ret = args->syncobj ? -EINVAL : vxe_vm_map(to_vxe(dev), vm, file, args);
                break;
        case DRM_VXE_VM_BIND_OP_UNMAP:
                ret = vxe_vm_unmap(vm, file, args);
                break;
        default:
                ret = -EINVAL;
        }
        vxe_vm_put(vm);
        return ret;
}

/* Engine access to one aligned dword. Returns -EFAULT for an unmapped or
 * misaligned address (an engine page fault). */
int vxe_vm_rw(struct vxe_vm *vm, u64 addr, u32 *val, bool write)
{
        struct vxe_backing *b = NULL;
        struct vxe_vma *vma;
        u64 off = 0;
        u32 *vaddr;

        if (addr & 3)
                return -EFAULT;
        mutex_lock(&vm->lock);
        list_for_each_entry(vma, &vm->vmas, link) {
                if (addr >= vma->start && addr < vma->start + vma->size) {
                        b = vxe_bo_get_backing(vma->bo);
                        off = vma->bo_offset + (addr - vma->start);
                        break;
                }
        }
        mutex_unlock(&vm->lock);
        if (!b)
                return -EFAULT;
        vaddr = kmap_local_page(b->pages[off >> PAGE_SHIFT]);
        if (write)
                WRITE_ONCE(vaddr[(off & ~PAGE_MASK) / 4], *val);
        else
                *val = READ_ONCE(vaddr[(off & ~PAGE_MASK) / 4]);
        kunmap_local(vaddr);
        vxe_backing_put(b);
        return 0;
}

/* At submission: reference the current pages and the binding of every
 * DUMPABLE VMA, so a capture sees what the job saw even if the BO is
 * migrated, unbound or freed afterwards. */
int vxe_vm_record_dumpable(struct vxe_vm *vm, struct vxe_snap_rec **recs, unsigned int *nrec)
{
        struct vxe_snap_rec *r;
        struct vxe_vma *vma;
        unsigned int n = 0, i = 0;

        mutex_lock(&vm->lock);
        list_for_each_entry(vma, &vm->vmas, link)
                if (vma->flags & DRM_VXE_VM_BIND_FLAG_DUMPABLE)
                        n++;
        r = n ? kcalloc(n, sizeof(*r), GFP_KERNEL) : NULL;
        if (n && !r) {
                mutex_unlock(&vm->lock);
                return -ENOMEM;
        }
        list_for_each_entry(vma, &vm->vmas, link) {
                if (!(vma->flags & DRM_VXE_VM_BIND_FLAG_DUMPABLE))
                        continue;
                r[i].va = vma->start;
                r[i].size = vma->size;
                r[i].first_page = vma->bo_offset >> PAGE_SHIFT;
                r[i].backing = vxe_bo_get_backing(vma->bo);
                kref_get(&vma->res->ref);
                r[i].res = vma->res;
                i++;
        }
        mutex_unlock(&vm->lock);
        *recs = r;
        *nrec = n;
        return 0;
}

void vxe_snap_recs_release(struct vxe_snap_rec *recs, unsigned int nrec)
{
        unsigned int i;

        for (i = 0; i < nrec; i++) {
                vxe_backing_put(recs[i].backing);
                vxe_vma_res_put(recs[i].res);
        }
        kfree(recs);
}
