# Sourced by the dom0 test (rig-lib.sh's check, start, prove, serve, guest_line, $R, $xl, $jxen): copy-on-write guests on LVM thin.
# run-rig.sh put into /srv/base-cache the host's base-tree cache entry of bookworm by mmdebstrap,
# with its ready image, and into /srv/base-cache/mirror the mirror it was installed from; the dom0
# answers for that mirror on its bridge (its name in /etc/hosts) with the release's InRelease the
# entry was made against, so jxen's key for the guest is that entry's. jxen then fills the thin
# volume VG/jxen-base-KEY once from the image, makes each guest's root a thin snapshot of it, grown
# and with its own UUID; thin1 boots from it to a login prompt; thin2 shares the same base without a
# second fill; deleting thin1 leaves the base volume, which no guest owns; jxen cache clear keeps it
# while thin2 is a snapshot of it, and jxen cache prune removes it once thin2 is deleted.
# THIN_CACHE, THIN_WWW and THIN_MIRROR name another cache, what it serves and the mirror's URL (the
# Debian 13 dom0's own cache, made by its own release's mmdebstrap).
thin_clones() {
    cache=${THIN_CACHE:-/srv/base-cache} www=${THIN_WWW:-/srv/base-cache/www}
    mirror=$(cat "${THIN_MIRROR:-/srv/base-cache/mirror}")
    serve_mirror "$www" "$mirror" "$R/thin-http.log" bookworm
    http=$served
    lvcreate --yes --type thin-pool --size 3G --name pool vg0 > "$R/thin-pool.txt" 2>&1
    check thin-pool $? "$(tr '\n' ' ' < "$R/thin-pool.txt")"
    thin_guest() { # name, ip, options...
        name=$1 ip=$2; shift 2
        "$jxen"/jxen-create-image --config-dir /opt/jxen/etc-xen-tools --lvm vg0 --lvm_thin pool --install-method mmdebstrap \
            --mirror "$mirror" --base-cache-dir "$cache" --hostname "$name" --dist bookworm --size 3G --swap 128M \
            --memory 512M --ip "$ip" --netmask 255.255.255.0 --gateway 192.0.2.1 --bridge xenbr0 --nohosts --pygrub --type pv \
            --password rig-only-password "$@" > "$R/create-$name.log" 2>&1
    }
    "$jxen"/jxen-create-image --config-dir /opt/jxen/etc-xen-tools --lvm vg0 --lvm_thin pool --install-method mmdebstrap \
        --mirror "$mirror" --base-cache-dir "$cache" --hostname thin1 --dist bookworm --size 3G --pygrub --dhcp \
        --dry-run > "$R/plan-thin1.log" 2>&1
    grep -q 'is a thin snapshot of the thin volume of that image in vg0/pool' "$R/plan-thin1.log"
    check plan-thin-snapshot $? "$(grep -m1 'thin snapshot' "$R/plan-thin1.log")"
    thin_guest thin1 192.0.2.14
    status=$?
    grep -q 'as a thin snapshot of the base volume jxen-base-' "$R/create-thin1.log"
    snap=$?
    [ "$status" = 0 ] && [ "$snap" = 0 ]
    check create-thin1 $? "exit $status; $(grep -m1 -e 'is now the thin volume' -e 'thin snapshot of the base' -e 'error' "$R/create-thin1.log"); $(grep -E '^Time ' "$R/create-thin1.log" | tr -s ' \n' ' ')"
    lvs --noheadings -o lv_name,origin,pool_lv,lv_size,lv_attr vg0 > "$R/thin-lvs.txt" 2>&1
    base=$(awk '$1 == "thin1-disk" { print $2 }' "$R/thin-lvs.txt")
    case "$base" in jxen-base-*) true ;; *) false ;; esac
    check thin1-root-is-snapshot $? "$(tr -s ' \n' ' ' < "$R/thin-lvs.txt")"
    root_uuid=$(blkid -o value -s UUID /dev/vg0/thin1-disk) base_uuid=$(blkid -o value -s UUID "/dev/vg0/$base" 2>/dev/null)
    size=$(blockdev --getsize64 /dev/vg0/thin1-disk)
    [ -n "$root_uuid" ] && [ "$root_uuid" != "$base_uuid" ] && [ "$size" = $((3 << 30)) ]
    check thin1-own-uuid-and-size $? "root $root_uuid ($size bytes), base $base_uuid"
    thin_guest thin2 192.0.2.15
    status=$?
    other=$(lvs --noheadings -o origin vg0/thin2-disk 2>/dev/null | tr -d ' ')
    [ "$status" = 0 ] && [ "$other" = "$base" ] && ! grep -q 'is now the thin volume' "$R/create-thin2.log" \
        && [ "$(lvs --noheadings -o lv_name vg0 | grep -c 'jxen-base-')" = 1 ]
    check thin2-shares-base $? "exit $status; thin2-disk's origin $other; $(grep -E '^Time ' "$R/create-thin2.log" | tr -s ' \n' ' ')"
    kill "$http" 2>/dev/null
    start thin1
    prove thin1 192.0.2.14 "bookworm PV pygrub, its root a thin snapshot of $base"
    guest_line thin1 bookworm PV pygrub "LVM thin snapshot of the cached base (mmdebstrap)" ext4 "bridge (ifupdown)" yes
    "$xl" destroy thin1
    "$jxen"/jxen-delete-image --lvm vg0 thin1 > "$R/delete-thin.log" 2>&1
    status=$?
    lvs --noheadings -o lv_name vg0 > "$R/thin-lvs-after.txt" 2>&1
    [ "$status" = 0 ] && ! grep -qE '^ *thin1-' "$R/thin-lvs-after.txt" && grep -q "^ *$base *\$" "$R/thin-lvs-after.txt" \
        && grep -q '^ *thin2-disk *$' "$R/thin-lvs-after.txt"
    check thin-delete-keeps-base $? "exit $status; volumes now: $(tr -s ' \n' ' ' < "$R/thin-lvs-after.txt")"
    # the cache's own command: clear removes the entry, but not a base that thin2 is a snapshot of; once
    # thin2 is deleted, prune removes the base, whose entry is gone
    "$jxen"/jxen cache clear --base-cache-dir "$cache" > "$R/thin-cache-clear.txt" 2>&1
    status=$?
    [ "$status" = 0 ] && lvs "vg0/$base" > /dev/null 2>&1 && grep -q "kept the thin base volume vg0/$base: 1 volume is a thin snapshot of it" "$R/thin-cache-clear.txt"
    check thin-cache-keeps-used-base $? "exit $status; $(tr '\n' ' ' < "$R/thin-cache-clear.txt")"
    "$jxen"/jxen-delete-image --lvm vg0 thin2 >> "$R/delete-thin.log" 2>&1
    "$jxen"/jxen cache prune --base-cache-dir "$cache" > "$R/thin-cache-prune.txt" 2>&1
    status=$?
    lvs --noheadings -o lv_name vg0 > "$R/thin-lvs-end.txt" 2>&1
    [ "$status" = 0 ] && ! grep -qE "^ *($base|thin2-.*) *\$" "$R/thin-lvs-end.txt" && grep -q "removed the thin base volume vg0/$base" "$R/thin-cache-prune.txt"
    check thin-cache-prunes-unused-base $? "exit $status; $(tr '\n' ' ' < "$R/thin-cache-prune.txt"); volumes now: $(tr -s ' \n' ' ' < "$R/thin-lvs-end.txt")"
}
