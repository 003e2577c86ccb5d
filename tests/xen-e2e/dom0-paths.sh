# Sourced by the Debian 12 dom0's test (rig-lib.sh's check, start, prove, guest_line, make_guest, $R, $xl, $jxen):
# more of the ways jxen makes a guest, made one after the other on LVM from the bookworm base and
# booted together, each to a login prompt and a ping on the bridge, then deleted:
#   p-xfs    an xfs root, pvgrub2 (GRUB 2.06), PV
#   p-btrfs  a btrfs root, pvgrub2, PV
# (A guest with separate /usr, /var and /home disks is not here yet: started beside these two, the
# block scripts of its five disks timed out in xl create on the busy emulated dom0.)
more_paths() {
    make_guest p-xfs bookworm 192.0.2.30 "pvgrub2, PV" --type pv --fs xfs --size 1280M --swap 64M --memory 256M
    make_guest p-btrfs bookworm 192.0.2.31 "pvgrub2, PV" --type pv --fs btrfs --size 1280M --swap 64M --memory 256M
    for g in p-xfs p-btrfs; do
        [ -f "/etc/xen/$g.cfg" ] && start "$g"
    done
    prove p-xfs 192.0.2.30 "bookworm PV pvgrub2, xfs root"
    prove p-btrfs 192.0.2.31 "bookworm PV pvgrub2, btrfs root"
    guest_line p-xfs bookworm PV "pvgrub2 (GRUB 2.06)" "LVM (tar base), xfs root" yes
    guest_line p-btrfs bookworm PV "pvgrub2 (GRUB 2.06)" "LVM (tar base), btrfs root" yes
    for g in p-xfs p-btrfs; do
        "$xl" destroy "$g" 2>/dev/null
    done
    ok=0 said=""
    for g in p-xfs p-btrfs; do
        "$jxen"/jxen-delete-image --lvm vg0 "$g" > "$R/delete-$g.log" 2>&1 || ok=1
        said="$said $g: $(tail -n 1 "$R/delete-$g.log")"
    done
    left=$(lvs --noheadings -o lv_name vg0 | grep -c ' p-')
    [ "$ok" = 0 ] && [ "$left" = 0 ]; check delete-paths $? "$left volumes left;$said"
}
