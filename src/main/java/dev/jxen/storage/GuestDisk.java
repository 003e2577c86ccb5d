package dev.jxen.storage;

import dev.jxen.config.PartitionSpec;

/**
 * One partition's backing store on the dom0.
 *
 * @param path      the image file or block device
 * @param file      true for an image file (mounted through a loop device, given to Xen as a file)
 * @param xenDevice the name the guest sees ({@code xvda1})
 */
public record GuestDisk(PartitionSpec partition, String path, boolean file, String xenDevice) {
}
