package dev.jxen.config;

/**
 * One partition of a guest. In the xen-tools layout each partition is its own Xen disk without a
 * partition table: an image file {@code NAME.img} or a logical volume {@code HOST-NAME}.
 *
 * @param name       the section name in partitions.d ({@code disk} and {@code swap} by default)
 * @param type       a filesystem (ext2, ext3, ext4, xfs, btrfs) or {@code swap}
 * @param mountpoint absolute path in the guest; null for swap
 * @param options    mount options for the guest's fstab
 */
public record PartitionSpec(String name, Size size, String type, String mountpoint, String options) {
    public boolean isSwap() {
        return type.equals("swap");
    }

    public boolean isRoot() {
        return "/".equals(mountpoint);
    }
}
