#!/bin/sh
# Runs inside the rig's dom0 (Debian 12: Xen 4.17, grub-xen-host 2.06).
# What jxen chooses by default is checked from its plan (--dry-run): bookworm and trixie get
# pvgrub2 PVH, trixie --type pv pvgrub2 PV. Then jxen makes two LVM-backed guests on one volume group:
#   g1    bookworm, --pygrub: pygrub, PV, ifupdown, static address (xen-tools' guest); made with
#         --boot --wait-ssh --known-hosts: jxen starts it, waits until it answers SSH with the host
#         key jxen made, and writes its keys to a known_hosts file, which OpenSSH's client accepts
#   g1-b  trixie, --type pv: pvgrub2 (GRUB 2.06) starting the zstd kernel that the guest's boot-menu
#         hook unpacked, PV, systemd-networkd, static address; named so that a prefix match for g1
#         would take its volumes
# Each boots alone, must boot as its summary says, reach a login prompt on its console and answer
# ping on the bridge; the seconds from its xl create to its login prompt are recorded. With g1
# running, delete refuses it, deletes it once stopped and removes exactly g1's volumes; g1-b's stay,
# their bytes unchanged, and g1-b boots afterwards; then g1-b's disks boot as a PVH guest with
# pvgrub2 (the same menu starts the packed kernel there). A failure after lvcreate leaves no volume.
# The Debian Installer route runs on the Debian 13 dom0 only (dom0-test-13.sh): Xen 4.20's domain
# builder, which no longer unpacks a guest's modules, is the harder case for its initrd.
# More ways to make a guest, in batches booted together (dom0-paths.sh): xfs and btrfs roots, the
# dom0-kernel path, routed and NATed guests reaching beyond the dom0, separate /usr, /var and /home.
# g1-b is updated (hooks and a role, in bubblewrap) while stopped, and then boots.
# Copy-on-write guests: on LVM thin, roots as thin snapshots of the cached base's thin volume, one booted (dom0-thin.sh).
# Each check writes one "name: ok|FAIL detail" line to result.txt.
# PVH guests end in triple faults now and then under QEMU here (in GRUB and in the kernel, with
# GRUB 2.06 and 2.12): a PVH boot gets Xen's restarts and a second xl create. A PVH boot with Debian
# 13's GRUB 2.12 is proved on the Debian 13 dom0 (dom0-test-13.sh), not again here.
# The checks that must pass, one per line, for run-rig.sh and XenRigIT:
# check: vg
# check: bridge
# check: pvh-capable
# check: plan-bookworm-default
# check: plan-trixie-default
# check: plan-trixie-pv
# check: plan-pygrub-btrfs-refused
# check: create-g1
# check: create-g1-b
# check: ssh-g1
# check: known-hosts-g1
# check: login-g1
# check: ping-g1
# check: xl-list
# check: list-images
# check: delete-refuses-running
# check: delete
# check: deleted-volumes-and-cfg
# check: others-kept-after-delete
# check: others-intact-after-delete
# check: update-g1-b
# check: tmpfs-role-g1-b
# check: login-g1-b
# check: ping-g1-b
# check: login-g1-b-pvh
# check: ping-g1-b-pvh
# check: create-p-xfs
# check: ssh-p-xfs
# check: known-hosts-p-xfs
# check: login-p-xfs
# check: ping-p-xfs
# check: create-p-btrfs
# check: ssh-p-btrfs
# check: known-hosts-p-btrfs
# check: login-p-btrfs
# check: ping-p-btrfs
# check: create-p-kernel
# check: ssh-p-kernel
# check: known-hosts-p-kernel
# check: login-p-kernel
# check: ping-p-kernel
# check: modules-p-kernel
# check: delete-p-xfs
# check: delete-p-btrfs
# check: delete-p-kernel
# check: rig-key
# check: outside
# check: xfs-dir
# check: create-p-reflink
# check: reflink-p-reflink
# check: ssh-p-reflink
# check: known-hosts-p-reflink
# check: login-p-reflink
# check: ping-p-reflink
# check: delete-p-reflink
# check: create-p-route
# check: ssh-p-route
# check: known-hosts-p-route
# check: login-p-route
# check: ping-p-route
# check: create-p-nat
# check: ssh-p-nat
# check: known-hosts-p-nat
# check: login-p-nat
# check: ping-p-nat
# check: beyond-p-route
# check: outside-reaches-p-route
# check: beyond-p-nat
# check: outside-not-p-nat
# check: delete-p-route
# check: delete-p-nat
# check: create-p-parts
# check: ssh-p-parts
# check: known-hosts-p-parts
# check: login-p-parts
# check: ping-p-parts
# check: disks-p-parts
# check: delete-p-parts
# check: fault-exit-4
# check: fault-rollback-lvremove
# check: thin-pool
# check: plan-thin-snapshot
# check: create-thin1
# check: thin1-root-is-snapshot
# check: thin1-own-uuid-and-size
# check: thin2-shares-base
# check: login-thin1
# check: ping-thin1
# check: thin-delete-keeps-base
# check: thin-cache-keeps-used-base
# check: thin-cache-prunes-unused-base
set -u
. /opt/jxen-rig/rig-lib.sh
t0=$(date +%s)
: > $R/result.txt
sed -n 's/^# check: //p' /opt/jxen-rig/dom0-test.sh > $R/expected.txt

pvcreate -ff -y /dev/vdb && vgcreate vg0 /dev/vdb
check vg $? "$(vgs --noheadings -o vg_name,vg_size vg0 2>&1 | tr -s ' ')"
ip link add xenbr0 type bridge && ip addr add 192.0.2.1/24 dev xenbr0 && ip link set xenbr0 up
check bridge $? ""
"$xl" info > $R/xl-info.txt 2>&1
grep -q '^virt_caps.*hvm' $R/xl-info.txt; check pvh-capable $? "$(grep '^virt_caps' $R/xl-info.txt)"

# name, dist, what the plan's "Boots with" line must match, jxen options...
plan() {
    name=$1 dist=$2 want=$3; shift 3
    jxen_create --hostname plan --install-source "/srv/$dist.tar.zst" --dist "$dist" --dhcp --dry-run "$@" > "$R/plan-$name.log" 2>&1
    grep -q "$want" "$R/plan-$name.log"; check "plan-$name" $? "$(grep -m1 '^Boots with' "$R/plan-$name.log")"
}
plan bookworm-default bookworm '^Boots with pvgrub2 (.*), PVH ('
plan trixie-default trixie '^Boots with pvgrub2 (.*), PVH ('
plan trixie-pv trixie '^Boots with pvgrub2 (.*), PV (' --type pv
# a path Xen cannot boot is refused before anything is made: pygrub does not read btrfs
jxen_create --hostname plan --install-source /srv/bookworm.tar.zst --dist bookworm --dhcp --pygrub --fs btrfs --dry-run \
    > "$R/plan-pygrub-btrfs.log" 2>&1
[ $? = 2 ] && grep -q 'pygrub cannot boot a guest whose / is btrfs' "$R/plan-pygrub-btrfs.log"
check plan-pygrub-btrfs-refused $? "$(grep -m1 'error' "$R/plan-pygrub-btrfs.log")"

make_guest g1 bookworm 192.0.2.10 "pygrub, PV" --pygrub --boot --wait-ssh=600 --known-hosts /root/known_hosts
ssh_checks g1 192.0.2.10 "bookworm PV pygrub"
make_guest g1-b trixie 192.0.2.12 "pvgrub2, PV" --type pv --network-config networkd

prove g1 192.0.2.10 "bookworm PV pygrub, started by jxen"
guest_line g1 bookworm PV pygrub "LVM (tar base)" ext4 "bridge (ifupdown)" yes
"$xl" list > $R/xl-list.txt 2>&1
grep -qE '^g1 ' $R/xl-list.txt; check xl-list $? "$(grep -E '^g1 ' $R/xl-list.txt | tr -s ' \n' ' ')"
"$jxen"/jxen-list-images --json > $R/list.json 2>&1
grep -q '"name":"g1".*"state":"running"' $R/list.json && grep -q '"name":"g1-b"' $R/list.json
check list-images $? "$(cat $R/list.json)"

before=$(dd if=/dev/vg0/g1-b-disk bs=1M count=64 2>/dev/null | sha256sum | cut -c1-64)
"$jxen"/jxen-delete-image --lvm vg0 g1 > $R/delete-running.log 2>&1
[ $? = 3 ]; check delete-refuses-running $? "$(cat $R/delete-running.log | tr '\n' ' ')"
"$xl" destroy g1
"$jxen"/jxen-delete-image --lvm vg0 g1 > $R/delete.log 2>&1
check delete $? "$(cat $R/delete.log | tr '\n' ' ')"
lvs_now=$(lvs --noheadings -o lv_name vg0 | tr -s ' \n' ' ')
left=$(lvs --noheadings -o lv_name vg0 | grep -cE '^ *g1-(disk|swap) *$')
[ "$left" = 0 ] && [ ! -e /etc/xen/g1.cfg ]; check deleted-volumes-and-cfg $? "$left of g1's left; volumes now: $lvs_now"
kept=$(lvs --noheadings -o lv_name vg0 | grep -cE '^ *g1-b-(disk|swap) *$')
[ "$kept" = 2 ] && [ -e /etc/xen/g1-b.cfg ]; check others-kept-after-delete $? "$kept of g1-b's volumes kept, and its .cfg"
after=$(dd if=/dev/vg0/g1-b-disk bs=1M count=64 2>/dev/null | sha256sum | cut -c1-64)
[ -n "$before" ] && [ "$before" = "$after" ]
check others-intact-after-delete $? "first 64 MiB of g1-b-disk before and after: $before / $after"
# g1-b, stopped, updated as its owner's guest: hooks again (in bubblewrap) and jxen's tmpfs role; then it boots
"$jxen"/jxen-update-image --lvm vg0 --no-upgrade --hooks --role tmpfs g1-b > "$R/update-g1-b.log" 2>&1
check update-g1-b $? "$(grep -E '^(Time|Hooks|Roles)' "$R/update-g1-b.log" | tr -s ' \n' ' ')$(tail -n 1 "$R/update-g1-b.log")"
mkdir -p /mnt/g1-b && mount -o ro /dev/vg0/g1-b-disk /mnt/g1-b
grep -qE '^tmpfs[[:space:]]+/tmp[[:space:]]+tmpfs' /mnt/g1-b/etc/fstab; check tmpfs-role-g1-b $? "$(grep -E '[[:space:]]/tmp[[:space:]]' /mnt/g1-b/etc/fstab)"
umount /mnt/g1-b
start g1-b
prove g1-b 192.0.2.12 "trixie PV pvgrub2 (GRUB 2.06, unpacked kernel) networkd, after g1's delete and an update with hooks and a role"
guest_line g1-b trixie PV "pvgrub2 (GRUB 2.06)" "LVM (tar base), then updated" ext4 "bridge (systemd-networkd)" yes
"$xl" destroy g1-b
prove_pvh g1-b-pvh g1-b 192.0.2.12 "trixie PVH pvgrub2 (GRUB 2.06) networkd" 'type = "pvh"' 'kernel = "/usr/lib/grub-xen/grub-i386-xen_pvh.bin"'
guest_line g1-b-pvh trixie PVH "pvgrub2 (GRUB 2.06)" "LVM, g1-b's volumes" ext4 "bridge (systemd-networkd)" "no: g1-b's .cfg with type pvh and the PVH pvgrub2 image"

. /opt/jxen-rig/dom0-paths.sh
more_paths

JXEN_FAULT_AFTER_STAGE=filesystems jxen_create --hostname g2 --install-source /srv/bookworm.tar.zst --dist bookworm \
    --size 1G --swap 128M --dhcp --pygrub > $R/fault.log 2>&1
[ $? = 4 ]; check fault-exit-4 $? "$(tail -n 2 $R/fault.log | tr '\n' ' ')"
left=$(lvs --noheadings -o lv_name vg0 | grep -c 'g2-')
[ "$left" = 0 ] && ! grep -q /dev/mapper/vg0 /proc/mounts; check fault-rollback-lvremove $? "$left volumes left"
. /opt/jxen-rig/dom0-thin.sh
thin_clones
echo "total: $(( $(date +%s) - t0 )) s" >> $R/result.txt

