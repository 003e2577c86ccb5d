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
# The Debian Installer route runs the installer as a Xen guest with jxen's preseed (dom0-installer.sh).
# Copy-on-write guests: on LVM thin, roots as thin snapshots of the cached base's thin volume, one booted (dom0-thin.sh).
# Each check writes one "name: ok|FAIL detail" line to result.txt.
# PVH guests end in triple faults now and then under QEMU here (in GRUB and in the kernel, with
# GRUB 2.06 and 2.12): a PVH boot gets Xen's restarts and a second xl create. Last, a "seen-" line
# records, without requiring it, a PVH boot with Debian 13's GRUB 2.12.
set -u
R=/results
xl=/usr/lib/xen-4.17/bin/xl
jxen=/opt/jxen/bin
check() { # name, status, detail
    if [ "$2" = 0 ]; then echo "$1: ok $3" >> $R/result.txt; else echo "$1: FAIL $3" >> $R/result.txt; fi
}
t0=$(date +%s)
: > $R/result.txt

pvcreate -ff -y /dev/vdb && vgcreate vg0 /dev/vdb
check vg $? "$(vgs --noheadings -o vg_name,vg_size vg0 2>&1 | tr -s ' ')"
ip link add xenbr0 type bridge && ip addr add 192.0.2.1/24 dev xenbr0 && ip link set xenbr0 up
check bridge $? ""
"$xl" info > $R/xl-info.txt 2>&1
grep -q '^virt_caps.*hvm' $R/xl-info.txt; check pvh-capable $? "$(grep '^virt_caps' $R/xl-info.txt)"

jxen_create() {
    "$jxen"/jxen-create-image --config-dir /opt/jxen/etc-xen-tools --lvm vg0 --install-method tar "$@"
}

# name, dist, what the plan's "Boots with" line must match, jxen options...
plan() {
    name=$1 dist=$2 want=$3; shift 3
    jxen_create --hostname plan --install-source "/srv/$dist.tar.zst" --dist "$dist" --dhcp --dry-run "$@" > "$R/plan-$name.log" 2>&1
    grep -q "$want" "$R/plan-$name.log"; check "plan-$name" $? "$(grep -m1 '^Boots with' "$R/plan-$name.log")"
}
plan bookworm-default bookworm '^Boots with pvgrub2 (.*), PVH ('
plan trixie-default trixie '^Boots with pvgrub2 (.*), PVH ('
plan trixie-pv trixie '^Boots with pvgrub2 (.*), PV (' --type pv

# name, dist, ip, the summary's Boot line, jxen options...: make the guest
make_guest() {
    name=$1 dist=$2 ip=$3 boot=$4; shift 4
    jxen_create --hostname "$name" --install-source "/srv/$dist.tar.zst" --dist "$dist" --size 2G --swap 128M --memory 512M \
        --ip "$ip" --netmask 255.255.255.0 --gateway 192.0.2.1 --bridge xenbr0 --nohosts \
        --password rig-only-password "$@" > "$R/create-$name.log" 2>&1
    status=$?
    said=$(sed -n 's/^Boot *: *//p' "$R/create-$name.log")
    [ "$status" = 0 ] && [ "$said" = "$boot" ]
    check "create-$name" $? "boots as '$said' (expected '$boot'); $(grep -E '^Time ' "$R/create-$name.log" | tr -s ' \n' ' ')"
}
make_guest g1 bookworm 192.0.2.10 "pygrub, PV" --pygrub --boot --wait-ssh=600 --known-hosts /root/known_hosts
ready=$(sed -n 's/^SSH ready *: *//p' "$R/create-g1.log")
[ -n "$ready" ]; check ssh-g1 $? "bookworm PV pygrub: $ready"
# xl create ran inside jxen: the login prompt's seconds are counted from it
secs=$(echo "$ready" | sed -n 's/^\([0-9]*\)\..*/\1/p')
echo $(( $(date +%s) - ${secs:-0} )) > "$R/started-g1"
ssh -o UserKnownHostsFile=/root/known_hosts -o GlobalKnownHostsFile=/dev/null -o StrictHostKeyChecking=yes -o BatchMode=yes \
    -o ConnectTimeout=20 root@192.0.2.10 true > "$R/ssh-g1.txt" 2>&1
grep -q 'Permission denied' "$R/ssh-g1.txt" && ! grep -q 'Host key verification failed' "$R/ssh-g1.txt"
check known-hosts-g1 $? "ssh with only jxen's known_hosts: $(tr '\n' ' ' < "$R/ssh-g1.txt")"
make_guest g1-b trixie 192.0.2.12 "pvgrub2, PV" --type pv --network-config networkd

start() { # name [cfg]
    "$xl" create "${2:-/etc/xen/$1.cfg}" > "$R/xl-create-$1.txt" 2>&1
    date +%s > "$R/started-$1"
}
# name, seconds: wait for its login prompt; prints the console line
wait_login() {
    console=/var/log/xen/console/guest-$1.log
    for i in $(seq $(( $2 / 3 ))); do
        if grep -q 'login:' "$console" 2>/dev/null; then break; fi
        sleep 3
    done
    cp "$console" "$R/" 2>/dev/null
    grep -m1 'login:' "$console" 2>/dev/null
}
# seconds from the guest's xl create to its console line (xenconsoled stamps [YYYY-MM-DD HH:MM:SS])
since_start() {
    at=$(date -d "$(echo "$2" | sed -n 's/^\[\([0-9-]* [0-9:]*\)\].*/\1/p')" +%s 2>/dev/null || date +%s)
    echo $(( at - $(cat "$R/started-$1") ))
}
# name, ip, what[, seconds]: wait for its login prompt, then ping it
prove() {
    name=$1 ip=$2 what=$3
    line=$(wait_login "$name" "${4:-720}")
    if [ -n "$line" ]; then
        check "login-$name" 0 "$what: login prompt $(since_start "$name" "$line") s after xl create: $line"
    else
        check "login-$name" 1 "$what: no login prompt $(( $(date +%s) - $(cat "$R/started-$name") )) s after xl create"
    fi
    ping=1
    for i in $(seq 30); do
        if ping -c 1 -W 2 "$ip" > "$R/ping-$name.txt" 2>&1; then ping=0; break; fi
        sleep 2
    done
    check "ping-$name" $ping "$(grep -m1 'bytes from' "$R/ping-$name.txt")"
}
# name, guest whose .cfg and disks it boots, .cfg lines that replace its type, kernel and bootloader
as_cfg() {
    name=$1 base=$2; shift 2
    sed -e "s/^name .*/name = \"$name\"/" -e '/^type\|^kernel\|^bootloader/d' "/etc/xen/$base.cfg" > "/tmp/$name.cfg"
    printf '%s\n' "$@" >> "/tmp/$name.cfg"
}
# name, guest, ip, what, .cfg lines: a PVH boot, with a second xl create (given 10 minutes) when the first shows no login prompt in 5
prove_pvh() {
    name=$1 base=$2 ip=$3 what=$4; shift 4
    as_cfg "$name" "$base" "$@"
    start "$name" "/tmp/$name.cfg"
    if [ -z "$(wait_login "$name" 300)" ]; then
        "$xl" destroy "$name" 2>/dev/null
        mv /var/log/xen/console/guest-$name.log "$R/guest-$name-first.log" 2>/dev/null
        start "$name" "/tmp/$name.cfg"
        what="$what, second xl create"
    fi
    # the second boot gets more time: under a busy host TCG slows it past 5 minutes (the ping that follows then answers)
    prove "$name" "$ip" "$what" 600
    "$xl" destroy "$name" 2>/dev/null
}

prove g1 192.0.2.10 "bookworm PV pygrub, started by jxen"
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
start g1-b
prove g1-b 192.0.2.12 "trixie PV pvgrub2 (GRUB 2.06, unpacked kernel) networkd, after g1's delete"
"$xl" destroy g1-b
prove_pvh g1-b-pvh g1-b 192.0.2.12 "trixie PVH pvgrub2 (GRUB 2.06) networkd" 'type = "pvh"' 'kernel = "/usr/lib/grub-xen/grub-i386-xen_pvh.bin"'

JXEN_FAULT_AFTER_STAGE=filesystems jxen_create --hostname g2 --install-source /srv/bookworm.tar.zst --dist bookworm \
    --size 1G --swap 128M --dhcp --pygrub > $R/fault.log 2>&1
[ $? = 4 ]; check fault-exit-4 $? "$(tail -n 2 $R/fault.log | tr '\n' ' ')"
left=$(lvs --noheadings -o lv_name vg0 | grep -c 'g2-')
[ "$left" = 0 ] && ! grep -q /dev/mapper/vg0 /proc/mounts; check fault-rollback-lvremove $? "$left volumes left"
. /opt/jxen-rig/dom0-installer.sh
installer_route
. /opt/jxen-rig/dom0-thin.sh
thin_clones
echo "total: $(( $(date +%s) - t0 )) s" >> $R/result.txt

# name, guest whose .cfg and disks it boots, seconds, .cfg lines that replace its type, kernel and bootloader
seen() {
    name=$1 base=$2 window=$3; shift 3
    as_cfg "$name" "$base" "$@"
    start "$name" "/tmp/$name.cfg"
    line=$(wait_login "$name" "$window")
    if [ -n "$line" ]; then
        echo "seen-$name: login prompt $(since_start "$name" "$line") s after xl create" >> $R/result.txt
    else
        echo "seen-$name: no login prompt in $(( $(date +%s) - $(cat "$R/started-$name") )) s" >> $R/result.txt
    fi
    "$xl" destroy "$name" 2>/dev/null
}
seen trixie-pvh-pvgrub2-2.12 g1-b 300 'type = "pvh"' 'kernel = "/srv/grub-xen-2.12/grub-i386-xen_pvh.bin"'
echo "total with what was seen: $(( $(date +%s) - t0 )) s" >> $R/result.txt
