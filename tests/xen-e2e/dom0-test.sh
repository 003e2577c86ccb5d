#!/bin/sh
# Runs inside the rig's dom0. jxen makes three LVM-backed guests on one volume group and boots each
# (the next is made while the last boots):
#   g1  bookworm, PV,  pygrub,  ifupdown, static address   (xen-tools' guest)
#   t1  trixie,   PV,  pvgrub2, ifupdown, static address
#   t2  trixie,   PVH, pvgrub2, systemd-networkd, static address
# Each must reach a login prompt on its console and answer ping on the bridge; the seconds from its
# xl create to its login prompt are recorded. Then delete refuses the running g1, deletes it once
# stopped, removes exactly g1's volumes, and t1 still answers; a failure after lvcreate leaves no
# volume. Each check writes one "name: ok|FAIL detail" line to result.txt.
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

# name, dist, ip, jxen options...: make the guest, start it, and note when it was started
make_guest() {
    name=$1 dist=$2 ip=$3; shift 3
    "$jxen"/jxen-create-image --config-dir /opt/jxen/etc-xen-tools --hostname "$name" --lvm vg0 \
        --install-method tar --install-source "/srv/$dist.tar.zst" --dist "$dist" --size 2G --swap 128M --memory 320M \
        --ip "$ip" --netmask 255.255.255.0 --gateway 192.0.2.1 --bridge xenbr0 --nohosts \
        --password rig-only-password --boot "$@" > "$R/create-$name.log" 2>&1
    check "create-$name" $? "$(grep -E '^(Boot|Time) ' "$R/create-$name.log" | tr -s ' \n' ' ')"
    date +%s > "$R/started-$name"
}
make_guest g1 bookworm 192.0.2.10 --pygrub --type pv
make_guest t1 trixie 192.0.2.11 --boot-path pvgrub2 --type pv
make_guest t2 trixie 192.0.2.12 --boot-path pvgrub2 --type pvh --network-config networkd

# name, ip, what: wait for its login prompt, then ping it
prove() {
    name=$1 ip=$2 what=$3
    login=1
    for i in $(seq 200); do
        if grep -q 'login:' "/var/log/xen/console/guest-$name.log" 2>/dev/null; then login=0; break; fi
        sleep 3
    done
    # xenconsoled stamps each console line ([YYYY-MM-DD HH:MM:SS]): the prompt's stamp is when it came
    line=$(grep -m1 'login:' "/var/log/xen/console/guest-$name.log" 2>/dev/null)
    at=$(date -d "$(echo "$line" | sed -n 's/^\[\([0-9-]* [0-9:]*\)\].*/\1/p')" +%s 2>/dev/null || date +%s)
    check "login-$name" $login "$what: login prompt $(( at - $(cat "$R/started-$name") )) s after xl create: $line"
    ping=1
    for i in $(seq 30); do
        if ping -c 1 -W 2 "$ip" > "$R/ping-$name.txt" 2>&1; then ping=0; break; fi
        sleep 2
    done
    check "ping-$name" $ping "$(grep -m1 'bytes from' "$R/ping-$name.txt")"
}
prove g1 192.0.2.10 "bookworm PV pygrub"
prove t1 192.0.2.11 "trixie PV pvgrub2"
prove t2 192.0.2.12 "trixie PVH pvgrub2 networkd"
"$xl" list > $R/xl-list.txt 2>&1
grep -E '^(g1|t1|t2) ' $R/xl-list.txt > /dev/null; check xl-list $? "$(grep -E '^(g1|t1|t2) ' $R/xl-list.txt | tr -s ' \n' ' ')"

"$jxen"/jxen-list-images --json > $R/list.json 2>&1
grep -q '"name":"g1"' $R/list.json && grep -q '"name":"t2"' $R/list.json && grep -q '"state":"running"' $R/list.json
check list-images $? "$(cat $R/list.json)"

"$jxen"/jxen-delete-image --lvm vg0 g1 > $R/delete-running.log 2>&1
[ $? = 3 ]; check delete-refuses-running $? "$(cat $R/delete-running.log | tr '\n' ' ')"
"$xl" destroy g1
"$jxen"/jxen-delete-image --lvm vg0 g1 > $R/delete.log 2>&1
check delete $? "$(cat $R/delete.log | tr '\n' ' ')"
lvs_now=$(lvs --noheadings -o lv_name vg0 | tr -s ' \n' ' ')
left=$(lvs --noheadings -o lv_name vg0 | grep -cE '^ *g1-(disk|swap) *$')
[ "$left" = 0 ] && [ ! -e /etc/xen/g1.cfg ]; check deleted-volumes-and-cfg $? "$left of g1's left; volumes now: $lvs_now"
kept=$(lvs --noheadings -o lv_name vg0 | grep -cE '^ *t[12]-(disk|swap) *$')
[ "$kept" = 4 ] && [ -e /etc/xen/t1.cfg ] && [ -e /etc/xen/t2.cfg ]
check others-kept-after-delete $? "$kept of t1's and t2's volumes kept, and their .cfg files"
ping -c 1 -W 2 192.0.2.11 > $R/ping-t1-after.txt 2>&1
check t1-still-answers $? "$(grep -m1 'bytes from' $R/ping-t1-after.txt)"
"$xl" destroy t1
"$xl" destroy t2

JXEN_FAULT_AFTER_STAGE=filesystems "$jxen"/jxen-create-image --config-dir /opt/jxen/etc-xen-tools --hostname g2 --lvm vg0 \
    --install-method tar --install-source /srv/bookworm.tar.zst --dist bookworm --size 1G --swap 128M --dhcp --pygrub > $R/fault.log 2>&1
[ $? = 4 ]; check fault-exit-4 $? "$(tail -n 2 $R/fault.log | tr '\n' ' ')"
left=$(lvs --noheadings -o lv_name vg0 | grep -c 'g2-')
[ "$left" = 0 ] && ! grep -q /dev/mapper/vg0 /proc/mounts; check fault-rollback-lvremove $? "$left volumes left"
echo "total: $(( $(date +%s) - t0 )) s" >> $R/result.txt
