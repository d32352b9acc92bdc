// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * vxe: module entry, platform device, DRM driver and ioctl table.
 *
 * The module registers its own platform device so it loads anywhere (qemu,
 * no hardware) and exposes a render node.
 */
#include <linux/module.h>
#include <linux/platform_device.h>
#include <linux/xarray.h>
#include <drm/drm_drv.h>
#include <drm/drm_file.h>
#include <drm/drm_gem.h>
#include <drm/drm_ioctl.h>

#include "vxe_drv.h"

unsigned int vxe_hang_timeout_ms = 1000;
module_param_named(hang_timeout_ms, vxe_hang_timeout_ms, uint, 0644);
MODULE_PARM_DESC(hang_timeout_ms, "A job running longer than this is a hang; applies to running jobs too (default 1000)");

bool vxe_compress_dump = true;
module_param_named(compress_dump, vxe_compress_dump, bool, 0644);
MODULE_PARM_DESC(compress_dump, "VM blobs as [va].zstd (Y) or xe-style [va].data (N)");

int vxe_fail_capture_range;
module_param_named(fail_capture_range, vxe_fail_capture_range, int, 0644);
MODULE_PARM_DESC(fail_capture_range,
                 "Fault injection: the Nth (1-based) dumpable range of a capture fails its allocation; 0 = off");

int vxe_zstd_level = 1;
module_param_named(zstd_level, vxe_zstd_level, int, 0644);
MODULE_PARM_DESC(zstd_level, "zstd level of VM blobs (default 1)");

static struct platform_device *vxe_pdev;

static int vxe_open(struct drm_device *dev, struct drm_file *file)
{
        struct vxe_file *vf = kzalloc(sizeof(*vf), GFP_KERNEL);

        if (!vf)
                return -ENOMEM;
        xa_init_flags(&vf->vms, XA_FLAGS_ALLOC1);
        xa_init_flags(&vf->queues, XA_FLAGS_ALLOC1);
        file->driver_priv = vf;
        return 0;
}

static void vxe_postclose(struct drm_device *dev, struct drm_file *file)
{
        struct vxe_file *vf = file->driver_priv;
        struct vxe_exec_queue *q;
        struct vxe_vm *vm;
        unsigned long idx;

        /* Jobs hold their own references: pending work keeps running. */
        xa_for_each(&vf->queues, idx, q)
                vxe_exec_queue_put(q);
        xa_destroy(&vf->queues);
        xa_for_each(&vf->vms, idx, vm)
                vxe_vm_put(vm);
        xa_destroy(&vf->vms);
        kfree(vf);
}

static const struct drm_ioctl_desc vxe_ioctls[] = {
        DRM_IOCTL_DEF_DRV(VXE_GEM_CREATE, vxe_gem_create_ioctl, DRM_RENDER_ALLOW),
        DRM_IOCTL_DEF_DRV(VXE_GEM_MMAP_OFFSET, vxe_gem_mmap_offset_ioctl, DRM_RENDER_ALLOW),
        DRM_IOCTL_DEF_DRV(VXE_VM_CREATE, vxe_vm_create_ioctl, DRM_RENDER_ALLOW),
        DRM_IOCTL_DEF_DRV(VXE_VM_DESTROY, vxe_vm_destroy_ioctl, DRM_RENDER_ALLOW),
        DRM_IOCTL_DEF_DRV(VXE_VM_BIND, vxe_vm_bind_ioctl, DRM_RENDER_ALLOW),
        DRM_IOCTL_DEF_DRV(VXE_EXEC_QUEUE_CREATE, vxe_exec_queue_create_ioctl, DRM_RENDER_ALLOW),
        DRM_IOCTL_DEF_DRV(VXE_EXEC_QUEUE_DESTROY, vxe_exec_queue_destroy_ioctl, DRM_RENDER_ALLOW),
        DRM_IOCTL_DEF_DRV(VXE_EXEC, vxe_exec_ioctl, DRM_RENDER_ALLOW),
        DRM_IOCTL_DEF_DRV(VXE_GEM_MIGRATE, vxe_gem_migrate_ioctl, DRM_RENDER_ALLOW),
};

DEFINE_DRM_GEM_FOPS(vxe_fops);

static const struct drm_driver vxe_driver = {
        .driver_features = DRIVER_GEM | DRIVER_RENDER | DRIVER_SYNCOBJ,
        .open = vxe_open,
        .postclose = vxe_postclose,
        .ioctls = vxe_ioctls,
        .num_ioctls = ARRAY_SIZE(vxe_ioctls),
        .fops = &vxe_fops,
        .name = "vxe",
        .desc = "virtual Xe-like render device for hang capture",
        .date = "20261121",
        .major = 1,
        .minor = 0,
};

static int vxe_probe(struct platform_device *pdev)
{
        struct vxe_device *vdev;
        int ret;

        vdev = devm_drm_dev_alloc(&pdev->dev, &vxe_driver, struct vxe_device, drm);
        if (IS_ERR(vdev))
                return PTR_ERR(vdev);
        ida_init(&vdev->guc_ida);
        vdev->unbind_fence_ctx = dma_fence_context_alloc(1);
        ret = vxe_capture_init(vdev);
        if (ret)
                return ret;
        ret = vxe_engines_init(vdev);
        if (ret) {
                vxe_capture_fini(vdev);
                return ret;
        }
        platform_set_drvdata(pdev, vdev);
        ret = drm_dev_register(&vdev->drm, 0);
        if (ret) {
                vxe_engines_fini(vdev);
                vxe_capture_fini(vdev);
                return ret;
        }
        return 0;
}

static int vxe_remove(struct platform_device *pdev)
{
        struct vxe_device *vdev = platform_get_drvdata(pdev);

        drm_dev_unregister(&vdev->drm);
        vxe_engines_fini(vdev);
        vxe_capture_fini(vdev);
        ida_destroy(&vdev->guc_ida);
        return 0;
}

static struct platform_driver vxe_platform_driver = {
        .probe = vxe_probe,
        .remove = vxe_remove,
        .driver = {
                .name = "vxe",
        },
};

static int __init vxe_init(void)
{
        int ret;

        ret = platform_driver_register(&vxe_platform_driver);
        if (ret)
                return ret;
        vxe_pdev = platform_device_register_simple("vxe", -1, NULL, 0);
        if (IS_ERR(vxe_pdev)) {
                platform_driver_unregister(&vxe_platform_driver);
                return PTR_ERR(vxe_pdev);
        }
        return 0;
}

static void __exit vxe_exit(void)
{
        platform_device_unregister(vxe_pdev);
        platform_driver_unregister(&vxe_platform_driver);
}

module_init(vxe_init);
module_exit(vxe_exit);
MODULE_DESCRIPTION("vxe virtual render device with devcoredump hang capture");
MODULE_LICENSE("Dual MIT/GPL");
