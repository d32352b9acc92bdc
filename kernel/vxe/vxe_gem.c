// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * vxe buffer objects: page-array backing (refcounted), CPU mmap, migration.
 */
#include <linux/highmem.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include <drm/drm_file.h>
#include <drm/drm_gem.h>
#include <drm/drm_vma_manager.h>

#include "vxe_drv.h"

struct vxe_fence {
        struct dma_fence base;          /* first: the default release frees us */
        spinlock_t lock;
};

static const char *vxe_fence_driver_name(struct dma_fence *f)
{
        return "vxe";
}

static const char *vxe_fence_timeline_name(struct dma_fence *f)
{
        return "vxe";
}

static const struct dma_fence_ops vxe_fence_ops = {
        .get_driver_name = vxe_fence_driver_name,
        .get_timeline_name = vxe_fence_timeline_name,
};

struct dma_fence *vxe_fence_create(u64 context, u64 seqno)
{
        struct vxe_fence *f = kzalloc(sizeof(*f), GFP_KERNEL);

        if (!f)
                return NULL;
        spin_lock_init(&f->lock);
        dma_fence_init(&f->base, &vxe_fence_ops, &f->lock, context, seqno);
        return &f->base;
}

struct vxe_backing *vxe_backing_alloc(unsigned long npages)
{
        struct vxe_backing *b;
        unsigned long i;

        b = kvzalloc(struct_size(b, pages, npages), GFP_KERNEL);
        if (!b)
                return NULL;
        kref_init(&b->ref);
        b->npages = npages;
        for (i = 0; i < npages; i++) {
                b->pages[i] = alloc_page(GFP_KERNEL | __GFP_ZERO | __GFP_NOWARN);
                if (!b->pages[i]) {
                        vxe_backing_put(b);
                        return NULL;
                }
        }
        return b;
}

static void vxe_backing_release(struct kref *ref)
{
        struct vxe_backing *b = container_of(ref, struct vxe_backing, ref);
        unsigned long i;

        for (i = 0; i < b->npages; i++)
                if (b->pages[i])
                        __free_page(b->pages[i]);
        kvfree(b);
}

/* May run in the engine thread: only frees, never sleeps. */
void vxe_backing_put(struct vxe_backing *b)
{
        if (b)
                kref_put(&b->ref, vxe_backing_release);
}

struct vxe_backing *vxe_bo_get_backing(struct vxe_bo *bo)
{
        struct vxe_backing *b;

        spin_lock(&bo->lock);
        b = bo->backing;
        kref_get(&b->ref);
        spin_unlock(&bo->lock);
        return b;
}

static void vxe_bo_free(struct drm_gem_object *obj)
{
        struct vxe_bo *bo = to_vxe_bo(obj);

        drm_gem_free_mmap_offset(obj);
        drm_gem_object_release(obj);
        vxe_backing_put(bo->backing);
        kfree(bo);
}

static vm_fault_t vxe_bo_fault(struct vm_fault *vmf)
{
        struct vm_area_struct *vma = vmf->vma;
        struct vxe_bo *bo = to_vxe_bo(vma->vm_private_data);
        unsigned long pgoff = (vmf->address - vma->vm_start) >> PAGE_SHIFT;
        unsigned long pfn;

        spin_lock(&bo->lock);
        if (pgoff >= bo->backing->npages) {
                spin_unlock(&bo->lock);
                return VM_FAULT_SIGBUS;
        }
        pfn = page_to_pfn(bo->backing->pages[pgoff]);
        spin_unlock(&bo->lock);
        /* PFN map: migration zaps the PTEs before dropping the BO's pages. */
        return vmf_insert_pfn(vma, vmf->address, pfn);
}

static const struct vm_operations_struct vxe_bo_vm_ops = {
        .fault = vxe_bo_fault,
        .open = drm_gem_vm_open,
        .close = drm_gem_vm_close,
};

static int vxe_bo_mmap(struct drm_gem_object *obj, struct vm_area_struct *vma)
{
        vma->vm_flags |= VM_PFNMAP | VM_DONTEXPAND | VM_DONTDUMP;
        vma->vm_page_prot = vm_get_page_prot(vma->vm_flags);
        return 0;
}

static const struct drm_gem_object_funcs vxe_bo_funcs = {
        .free = vxe_bo_free,
        .mmap = vxe_bo_mmap,
        .vm_ops = &vxe_bo_vm_ops,
};

int vxe_gem_create_ioctl(struct drm_device *dev, void *data, struct drm_file *file)
{
        struct drm_vxe_gem_create *args = data;
        struct vxe_bo *bo;
        u64 size;
        int ret;

        if (args->flags || !args->size || args->size > VXE_MAX_BO_SIZE)
                return -EINVAL;
        size = PAGE_ALIGN(args->size);
        bo = kzalloc(sizeof(*bo), GFP_KERNEL);
        if (!bo)
                return -ENOMEM;
        spin_lock_init(&bo->lock);
        bo->base.funcs = &vxe_bo_funcs;
        drm_gem_private_object_init(dev, &bo->base, size);
        bo->backing = vxe_backing_alloc(size >> PAGE_SHIFT);
        if (!bo->backing) {
                drm_gem_object_put(&bo->base);
                return -ENOMEM;
        }
        ret = drm_gem_create_mmap_offset(&bo->base);
        if (!ret)
                ret = drm_gem_handle_create(file, &bo->base, &args->handle);
        drm_gem_object_put(&bo->base);
        return ret;
}

int vxe_gem_mmap_offset_ioctl(struct drm_device *dev, void *data, struct drm_file *file)
{
        struct drm_vxe_gem_mmap_offset *args = data;
        struct drm_gem_object *obj;

        if (args->pad)
                return -EINVAL;
        obj = drm_gem_object_lookup(file, args->handle);
        if (!obj)
                return -ENOENT;
        args->offset = drm_vma_node_offset_addr(&obj->vma_node);
        drm_gem_object_put(obj);
        return 0;
}

int vxe_gem_migrate_ioctl(struct drm_device *dev, void *data, struct drm_file *file)
{
        struct drm_vxe_gem_migrate *args = data;
        struct vxe_backing *old, *new, *prev;
        struct drm_gem_object *obj;
        struct vxe_bo *bo;
        unsigned long i;

        if (args->flags)
                return -EINVAL;
        obj = drm_gem_object_lookup(file, args->handle);
        if (!obj)
                return -ENOENT;
        bo = to_vxe_bo(obj);
        old = vxe_bo_get_backing(bo);
        new = vxe_backing_alloc(old->npages);
        if (!new) {
                vxe_backing_put(old);
                drm_gem_object_put(obj);
                return -ENOMEM;
        }
        for (i = 0; i < old->npages; i++)
                copy_highpage(new->pages[i], old->pages[i]);
        spin_lock(&bo->lock);
        prev = bo->backing;
        bo->backing = new;
        spin_unlock(&bo->lock);
        /* CPU mappings refault onto the new pages. */
        drm_vma_node_unmap(&obj->vma_node, dev->anon_inode->i_mapping);
        /* Drop our lookup and the reference the BO held: jobs that recorded
         * the old pages keep them alive until they and their capture are done. */
        vxe_backing_put(old);
        vxe_backing_put(prev);
        drm_gem_object_put(obj);
        return 0;
}
