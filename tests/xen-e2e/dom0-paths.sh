# Sourced by the Debian 12 dom0's test (rig-lib.sh's check, start, prove, guest_line, make_guest,
# ssh_checks, $R, $xl, $jxen): more of the ways jxen makes a guest, on LVM from the bookworm base, each
# started by jxen (--boot --wait-ssh: it answers SSH with the host key jxen made, which OpenSSH's client
# then accepts from the known_hosts jxen wrote), to a login prompt and a ping; the guests of a batch are
# made at once and boot together:
#   p-xfs, p-btrfs   xfs and btrfs roots, pvgrub2 (GRUB 2.06), PV
#   p-kernel         the dom0-kernel path: the dom0's own kernel and initrd (--kernel, --initrd), its
#                    modules copied into the guest (--modules)
#   p-route          routed (--network-mode route: vif-route), its address on a point-to-point link to the
#                    dom0 (--p2p), as xen-tools sets up routed hosting
#   p-nat            NATed (--network-mode nat: vif-nat), a private address behind the dom0
#   p-reflink        an image file under a --dir on XFS, its root a reflink clone of the cached base's
#                    ready image (the host's bookworm entry by mmdebstrap, copied to the XFS), pygrub
#   p-parts          separate /usr, /var and /home disks and swap (a partitions layout), booted alone:
#                    beside other booting guests the block scripts of its five disks timed out in xl create
# The routed and the NATed guest each reach an address beyond the dom0: a network namespace ("outside",
# 198.51.100.2) on the far side of the dom0's eth0, the dom0 set up as the README tells a user.
paths_key=/root/.ssh/rig
more_paths() {
    mkdir -p -m 0700 /root/.ssh && ssh-keygen -q -t ed25519 -N '' -C rig -f "$paths_key"
    check rig-key $? "$(cut -d' ' -f1,3 "$paths_key.pub" 2>&1)"
    booted() { # name, dist, ip, Boot line, options...: make_guest with --boot --wait-ssh
        make_guest "$@" --boot --wait-ssh=900 --known-hosts "/root/known_hosts-$1" --authorized-keys "$paths_key.pub"
    }
    k=$(uname -r)
    # a file only --modules can bring into the guest (its base has a kernel, and maybe these modules, of its own)
    echo "copied from the dom0 by jxen" > "/lib/modules/$k/jxen-rig-marker"
    booted p-xfs bookworm 192.0.2.30 "pvgrub2, PV" --type pv --fs xfs --size 1280M --swap 64M --memory 256M &
    booted p-btrfs bookworm 192.0.2.31 "pvgrub2, PV" --type pv --fs btrfs --size 1280M --swap 64M --memory 256M &
    booted p-kernel bookworm 192.0.2.32 "dom0-kernel, PV" --kernel "/boot/vmlinuz-$k" --initrd "/boot/initrd.img-$k" \
        --modules "/lib/modules/$k" --size 1280M --swap 64M --memory 320M &
    wait
    for g in p-xfs:192.0.2.30:"xfs root" p-btrfs:192.0.2.31:"btrfs root" p-kernel:192.0.2.32:"the dom0's kernel $k"; do
        n=${g%%:*} rest=${g#*:}
        ssh_checks "$n" "${rest%%:*}" "bookworm PV, ${rest#*:}"
        prove "$n" "${rest%%:*}" "bookworm PV, ${rest#*:}"
    done
    guest_line p-xfs bookworm PV "pvgrub2 (GRUB 2.06)" "LVM (tar base)" xfs "bridge (ifupdown)" yes
    guest_line p-btrfs bookworm PV "pvgrub2 (GRUB 2.06)" "LVM (tar base)" btrfs "bridge (ifupdown)" yes
    # the guest runs the dom0's kernel and loads a module from the tree jxen copied in
    in_guest p-kernel 192.0.2.32 'uname -r; cat /lib/modules/$(uname -r)/jxen-rig-marker; modprobe dummy && lsmod | grep "^dummy"' \
        > "$R/modules-p-kernel.txt" 2>&1
    [ "$(head -n 1 "$R/modules-p-kernel.txt")" = "$k" ] && grep -q '^copied from the dom0 by jxen$' "$R/modules-p-kernel.txt" \
        && grep -q '^dummy' "$R/modules-p-kernel.txt"
    check modules-p-kernel $? "$(tr '\n' ' ' < "$R/modules-p-kernel.txt")"
    guest_line p-kernel bookworm PV "dom0-kernel (the dom0's own)" "LVM (tar base)" ext4 "bridge (ifupdown)" yes
    stop_paths p-xfs p-btrfs p-kernel

    outside
    reflink_dir &
    booted p-route bookworm - "pvgrub2, PV" --ip 203.0.113.10 --p2p 198.51.100.1 --gateway 198.51.100.1 --network-mode route \
        --type pv --size 1280M --swap 64M --memory 256M &
    booted p-nat bookworm - "pvgrub2, PV" --ip 10.0.0.10 --netmask 255.255.255.0 --gateway 10.0.0.137 --network-mode nat \
        --type pv --size 1280M --swap 64M --memory 256M &
    wait
    kill "$(cat /run/rig-www.pid)" 2>/dev/null
    ssh_checks p-reflink 192.0.2.34 "bookworm PV pygrub, image file on XFS"
    prove p-reflink 192.0.2.34 "bookworm PV pygrub, image file on XFS, a reflink clone of the cached base"
    ssh_checks p-route 203.0.113.10 "bookworm PV routed"
    prove p-route 203.0.113.10 "bookworm PV routed (vif-route, --p2p)"
    ssh_checks p-nat 10.0.0.10 "bookworm PV NATed"
    prove p-nat 10.0.0.10 "bookworm PV NATed (vif-nat)"
    beyond p-route 203.0.113.10
    # and the outside reaches the routed guest: the route to it goes through the dom0
    ip netns exec outside ping -c 1 -W 5 203.0.113.10 > "$R/outside-p-route.txt" 2>&1
    check outside-reaches-p-route $? "$(grep -m1 'bytes from' "$R/outside-p-route.txt")"
    beyond p-nat 10.0.0.10
    # the outside has no route to the NATed guest's network: its answers came back through the dom0's NAT
    ! ip netns exec outside ping -c 1 -W 3 10.0.0.10 > "$R/outside-p-nat.txt" 2>&1
    check outside-not-p-nat $? "the outside to 10.0.0.10: $(tail -n 2 "$R/outside-p-nat.txt" | tr '\n' ' ')"
    guest_line p-route bookworm PV "pvgrub2 (GRUB 2.06)" "LVM (tar base)" ext4 "route (vif-route, --p2p)" yes
    guest_line p-nat bookworm PV "pvgrub2 (GRUB 2.06)" "LVM (tar base)" ext4 "nat (vif-nat)" yes
    guest_line p-reflink bookworm PV pygrub "image file under --dir on XFS, root a reflink clone of the cached base (mmdebstrap)" ext4 "bridge (ifupdown)" yes
    stop_paths p-route p-nat
    "$xl" destroy p-reflink 2>/dev/null
    "$jxen"/jxen-delete-image --dir /srv/xfs p-reflink > "$R/delete-p-reflink.log" 2>&1
    status=$?
    [ "$status" = 0 ] && [ ! -e /srv/xfs/domains/p-reflink ]; check delete-p-reflink $? "exit $status; $(tail -n 1 "$R/delete-p-reflink.log")"
    umount /srv/xfs && lvremove -y vg0/xfsdir > /dev/null

    mkdir -p /opt/jxen/etc-xen-tools/partitions.d
    printf '%s\n' '[root]' size=1G type=ext4 mountpoint=/ options=errors=remount-ro '' '[swap]' size=64M type=swap '' \
        '[usr]' size=1536M type=ext4 mountpoint=/usr options=defaults '' '[var]' size=512M type=ext4 mountpoint=/var options=nodev '' \
        '[home]' size=320M type=xfs mountpoint=/home options=nodev,nosuid > /opt/jxen/etc-xen-tools/partitions.d/rig-parts
    booted p-parts bookworm 192.0.2.33 "pvgrub2, PV" --type pv --partitions rig-parts --memory 256M
    ssh_checks p-parts 192.0.2.33 "bookworm PV, separate /usr, /var, /home"
    prove p-parts 192.0.2.33 "bookworm PV, separate /usr, /var, /home"
    disks=$(sed -n 's/.*vdev=\(xvda[0-9]*\).*/\1/p' /etc/xen/p-parts.cfg 2>/dev/null | tr '\n' ' ')
    [ "$(echo $disks | wc -w)" = 5 ]; check disks-p-parts $? "the .cfg's disks: $disks"
    guest_line p-parts bookworm PV "pvgrub2 (GRUB 2.06)" "LVM (tar base), five volumes" "ext4, xfs /home" "bridge (ifupdown)" yes
    stop_paths p-parts
}

# p-reflink: an XFS filesystem (mkfs.xfs's defaults: reflink on) on a volume, the cache entry copied there,
# and a guest under --dir on it from that cache (the dom0 answers for the entry's mirror with its
# InRelease, as in dom0-thin.sh); its root must be a reflink clone: the log says so, and the image's
# extents are shared with the cached ready image
reflink_dir() {
    mirror=$(cat /srv/base-cache/mirror)
    serve_mirror /srv/base-cache/www "$mirror" "$R/reflink-http.log" bookworm
    echo "$served" > /run/rig-www.pid
    lvcreate --yes -L 3G -n xfsdir vg0 > /dev/null && mkfs.xfs -q /dev/vg0/xfsdir && mkdir -p /srv/xfs && mount /dev/vg0/xfsdir /srv/xfs \
        && mkdir -p /srv/xfs/cache && cp --sparse=always /srv/base-cache/*.json /srv/base-cache/*.tar.zst /srv/base-cache/*.ext4 /srv/xfs/cache/
    check xfs-dir $? "$(xfs_info /srv/xfs 2>&1 | grep -o 'reflink=[01]' | head -n 1)"
    "$jxen"/jxen-create-image --config-dir /opt/jxen/etc-xen-tools --dir /srv/xfs --install-method mmdebstrap --mirror "$mirror" \
        --base-cache-dir /srv/xfs/cache --hostname p-reflink --dist bookworm --size 2G --swap 64M --memory 512M --pygrub --type pv \
        --ip 192.0.2.34 --netmask 255.255.255.0 --gateway 192.0.2.1 --bridge xenbr0 --nohosts --password rig-only-password \
        --boot --wait-ssh=900 --known-hosts /root/known_hosts-p-reflink > "$R/create-p-reflink.log" 2>&1
    status=$?
    started_by_jxen p-reflink
    said=$(sed -n 's/^Boot *: *//p' "$R/create-p-reflink.log")
    [ "$status" = 0 ] && [ "$said" = "pygrub, PV" ] && grep -q 'as a reflink clone' /var/log/xen-tools/p-reflink.log
    check create-p-reflink $? "exit $status, boots as '$said'; $(grep -m1 -o 'created /srv/xfs/domains/p-reflink/disk.img.*' /var/log/xen-tools/p-reflink.log); $(tail -n 1 "$R/create-p-reflink.log")"
    shared=$(xfs_io -r -c 'fiemap -v' /srv/xfs/domains/p-reflink/disk.img 2>/dev/null | grep -c '0x[0-9a-f]*2[0-9a-f]\{3\}$')
    [ "${shared:-0}" -gt 0 ]; check reflink-p-reflink $? "$shared extents of disk.img shared (FIEMAP_EXTENT_SHARED)"
}

# names...: destroy and delete the guests; delete-NAME checks that each is deleted with its volumes
stop_paths() {
    for g in "$@"; do
        "$xl" destroy "$g" 2>/dev/null
        "$jxen"/jxen-delete-image --lvm vg0 "$g" > "$R/delete-$g.log" 2>&1
        status=$?
        lvs=$(lvs --noheadings -o lv_name vg0) || lvs="lvs failed"
        left=$(echo "$lvs" | grep -c " $g-")
        [ "$status" = 0 ] && [ "$left" = 0 ] && [ "$lvs" != "lvs failed" ]; check "delete-$g" $? "exit $status, $left volumes left; $(tail -n 1 "$R/delete-$g.log")"
    done
}

# The dom0 side of routed and NATed guests, as the README tells a user: an uplink (eth0, the netdev that
# vif-route and vif-nat read the dom0's address from) with an address, forwarding on, and NATed guests'
# network masqueraded out of the uplink. Beyond it, "outside": a network namespace with 198.51.100.2,
# which routes the routed guests' network (203.0.113.0/24) to the dom0 as an upstream router would.
outside() {
    ip netns add outside && ip link add eth0 type veth peer name up0 && ip link set up0 netns outside \
        && ip addr add 198.51.100.1/24 dev eth0 && ip link set eth0 up \
        && ip netns exec outside sh -c 'ip link set lo up && ip addr add 198.51.100.2/24 dev up0 && ip link set up0 up \
            && ip route add 203.0.113.0/24 via 198.51.100.1' \
        && echo 1 > /proc/sys/net/ipv4/ip_forward \
        && iptables -t nat -A POSTROUTING -s 10.0.0.0/24 -o eth0 -j MASQUERADE
    check outside $? "eth0 198.51.100.1/24, the outside 198.51.100.2; $(iptables -t nat -S POSTROUTING 2>&1 | tail -n 1)"
}

# name, address: the guest, reached over SSH with the rig's key (its host key checked against jxen's
# known_hosts), pings the outside
beyond() {
    in_guest "$1" "$2" 'ip route show default; ping -c 2 -W 5 198.51.100.2' > "$R/beyond-$1.txt" 2>&1
    check "beyond-$1" $? "from $1: $(grep -m1 '^default' "$R/beyond-$1.txt"); $(grep -m1 'bytes from\|unreachable\|denied\|failed' "$R/beyond-$1.txt")"
}

# name, address, command: runs it in the guest over SSH with the rig's key, the host key checked against jxen's known_hosts
in_guest() {
    ssh -i "$paths_key" -o UserKnownHostsFile="/root/known_hosts-$1" -o GlobalKnownHostsFile=/dev/null -o StrictHostKeyChecking=yes \
        -o BatchMode=yes -o ConnectTimeout=20 "root@$2" "$3"
}
