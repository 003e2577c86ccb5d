#!/bin/sh
# Runs inside the rig's dom0 (Debian 12: Xen 4.17, grub-xen-host 2.06). jxen makes LVM-backed guests
# on one volume group:
#   g1  bookworm, the defaults here: pvgrub2 (GRUB 2.06), PVH, ifupdown, static address
#   t1  trixie, the defaults here: pygrub, PVH (jxen leaves pvgrub2: GRUB 2.06 cannot start trixie)
#   g1-b  trixie, with Debian 13's pvgrub2 images (JXEN_GRUB_XEN_DIR): pvgrub2 (GRUB 2.12), PVH,
#       systemd-networkd; named so that a prefix match for g1 would take its volumes
#   p1  bookworm, --pygrub: pygrub, PV (xen-tools' guest), started by jxen's --boot
#   p2  bookworm, --type pv: pvgrub2 (GRUB 2.06), PV, started by jxen's --boot
# Each boots alone (PVH guests booting beside other work end in triple faults under QEMU's emulation
# here), must boot as its summary says, reach a login prompt on its console and answer ping on the
# bridge; the seconds from its xl create to its login prompt are recorded. With g1 running, delete
# refuses it, deletes it once stopped and removes exactly g1's volumes; t1's and g1-b's stay, their
# bytes unchanged, and g1-b boots afterwards. A failure after lvcreate leaves no volume. Each check writes one
# "name: ok|FAIL detail" line to result.txt; "seen-" lines record what is looked at, not required.
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

# name, dist, ip, the summary's Boot line, jxen options...: make the guest (jxen's environment adds
# $with_env), and note when it was made (started, with --boot)
with_env=
make_guest() {
    name=$1 dist=$2 ip=$3 boot=$4; shift 4
    env $with_env "$jxen"/jxen-create-image --config-dir /opt/jxen/etc-xen-tools --hostname "$name" --lvm vg0 \
        --install-method tar --install-source "/srv/$dist.tar.zst" --dist "$dist" --size 2G --swap 128M --memory 320M \
        --ip "$ip" --netmask 255.255.255.0 --gateway 192.0.2.1 --bridge xenbr0 --nohosts \
        --password rig-only-password "$@" > "$R/create-$name.log" 2>&1
    status=$?
    said=$(sed -n 's/^Boot *: *//p' "$R/create-$name.log")
    [ "$status" = 0 ] && [ "$said" = "$boot" ]
    check "create-$name" $? "boots as '$said' (expected '$boot'); $(grep -E '^Time ' "$R/create-$name.log" | tr -s ' \n' ' ')"
    date +%s > "$R/started-$name"
}
make_guest g1 bookworm 192.0.2.10 "pvgrub2, PVH"
make_guest t1 trixie 192.0.2.11 "pygrub, PVH"
with_env=JXEN_GRUB_XEN_DIR=/srv/grub-xen-2.12
make_guest g1-b trixie 192.0.2.12 "pvgrub2, PVH" --network-config networkd
with_env=

start() { # name
    "$xl" create "/etc/xen/$1.cfg" > "$R/xl-create-$1.txt" 2>&1
    date +%s > "$R/started-$1"
}

# name, ip, what: wait for its login prompt, then ping it
prove() {
    name=$1 ip=$2 what=$3 console=/var/log/xen/console/guest-$1.log
    login=1
    for i in $(seq 240); do
        if grep -q 'login:' "$console" 2>/dev/null; then login=0; break; fi
        sleep 3
    done
    cp "$console" "$R/" 2>/dev/null
    if [ "$login" = 0 ]; then
        # xenconsoled stamps each console line ([YYYY-MM-DD HH:MM:SS]): the prompt's stamp is when it came
        line=$(grep -m1 'login:' "$console")
        at=$(date -d "$(echo "$line" | sed -n 's/^\[\([0-9-]* [0-9:]*\)\].*/\1/p')" +%s 2>/dev/null || date +%s)
        check "login-$name" 0 "$what: login prompt $(( at - $(cat "$R/started-$name") )) s after xl create: $line"
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
start t1
prove t1 192.0.2.11 "trixie PVH pygrub"
"$xl" destroy t1
start g1
prove g1 192.0.2.10 "bookworm PVH pvgrub2 (GRUB 2.06)"
"$xl" list > $R/xl-list.txt 2>&1
grep -qE '^g1 ' $R/xl-list.txt; check xl-list $? "$(grep -E '^g1 ' $R/xl-list.txt | tr -s ' \n' ' ')"

"$jxen"/jxen-list-images --json > $R/list.json 2>&1
grep -q '"name":"g1","state":"running"' $R/list.json || grep -q '"name":"g1".*"state":"running"' $R/list.json
[ $? = 0 ] && grep -q '"name":"g1-b"' $R/list.json
check list-images $? "$(cat $R/list.json)"

before=$(for v in t1-disk g1-b-disk; do dd if=/dev/vg0/$v bs=1M count=64 2>/dev/null | sha256sum; done | tr -s ' \n-' ' ')
"$jxen"/jxen-delete-image --lvm vg0 g1 > $R/delete-running.log 2>&1
[ $? = 3 ]; check delete-refuses-running $? "$(cat $R/delete-running.log | tr '\n' ' ')"
"$xl" destroy g1
"$jxen"/jxen-delete-image --lvm vg0 g1 > $R/delete.log 2>&1
check delete $? "$(cat $R/delete.log | tr '\n' ' ')"
lvs_now=$(lvs --noheadings -o lv_name vg0 | tr -s ' \n' ' ')
left=$(lvs --noheadings -o lv_name vg0 | grep -cE '^ *g1-(disk|swap) *$')
[ "$left" = 0 ] && [ ! -e /etc/xen/g1.cfg ]; check deleted-volumes-and-cfg $? "$left of g1's left; volumes now: $lvs_now"
kept=$(lvs --noheadings -o lv_name vg0 | grep -cE '^ *(t1|g1-b)-(disk|swap) *$')
[ "$kept" = 4 ] && [ -e /etc/xen/t1.cfg ] && [ -e /etc/xen/g1-b.cfg ]
check others-kept-after-delete $? "$kept of t1's and g1-b's volumes kept, and their .cfg files"
after=$(for v in t1-disk g1-b-disk; do dd if=/dev/vg0/$v bs=1M count=64 2>/dev/null | sha256sum; done | tr -s ' \n-' ' ')
[ -n "$before" ] && [ "$before" = "$after" ]; check others-intact-after-delete $? "first 64 MiB of t1-disk and g1-b-disk before and after: $before / $after"
start g1-b
prove g1-b 192.0.2.12 "trixie PVH pvgrub2 (GRUB 2.12) networkd, after g1's delete"
"$xl" destroy g1-b

make_guest p1 bookworm 192.0.2.13 "pygrub, PV" --pygrub --boot
prove p1 192.0.2.13 "bookworm PV pygrub"
"$xl" destroy p1
make_guest p2 bookworm 192.0.2.14 "pvgrub2, PV" --type pv --boot
prove p2 192.0.2.14 "bookworm PV pvgrub2 (GRUB 2.06)"
"$xl" destroy p2

JXEN_FAULT_AFTER_STAGE=filesystems "$jxen"/jxen-create-image --config-dir /opt/jxen/etc-xen-tools --hostname g2 --lvm vg0 \
    --install-method tar --install-source /srv/bookworm.tar.zst --dist bookworm --size 1G --swap 128M --dhcp --pygrub > $R/fault.log 2>&1
[ $? = 4 ]; check fault-exit-4 $? "$(tail -n 2 $R/fault.log | tr '\n' ' ')"
left=$(lvs --noheadings -o lv_name vg0 | grep -c 'g2-')
[ "$left" = 0 ] && ! grep -q /dev/mapper/vg0 /proc/mounts; check fault-rollback-lvremove $? "$left volumes left"
echo "total: $(( $(date +%s) - t0 )) s" >> $R/result.txt

# Looked at, not required: trixie under Debian 12's pvgrub2 (GRUB 2.06) as PVH, booted alone, which
# jxen does not choose (distributions.conf: pvh-grub-2.12).
sed -e 's/^name .*/name = "seen1"/' -e '/^kernel\|^bootloader\|^on_crash\|^on_reboot/d' /etc/xen/t1.cfg > /etc/xen/seen1.cfg
printf '%s\n' 'kernel = "/usr/lib/grub-xen/grub-i386-xen_pvh.bin"' 'on_crash = "destroy"' 'on_reboot = "destroy"' >> /etc/xen/seen1.cfg
s0=$(date +%s); "$xl" create /etc/xen/seen1.cfg > $R/xl-create-seen1.txt 2>&1
for i in $(seq 80); do grep -q 'login:' /var/log/xen/console/guest-seen1.log 2>/dev/null && break; "$xl" list seen1 > /dev/null 2>&1 || break; sleep 3; done
if grep -q 'login:' /var/log/xen/console/guest-seen1.log 2>/dev/null; then
    echo "seen-trixie-pvh-grub-2.06: login prompt $(( $(date +%s) - s0 )) s after xl create" >> $R/result.txt
else
    echo "seen-trixie-pvh-grub-2.06: no login prompt ($(( $(date +%s) - s0 )) s; $("$xl" list seen1 > /dev/null 2>&1 && echo still running || echo the domain ended))" >> $R/result.txt
fi
"$xl" destroy seen1 2>/dev/null
cp /var/log/xen/console/guest-seen1.log $R/ 2>/dev/null
