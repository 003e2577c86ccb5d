#!/bin/sh
# Runs inside the rig's dom0: jxen makes an LVM-backed guest, boots it with xl, checks that it
# reaches a login prompt and answers on the bridge, lists it; makes a second guest g1-b on the same
# volume group, deletes g1 and checks that exactly g1's volumes went and that g1-b still boots; then
# a failure after lvcreate must leave no volume. Each check writes one "name: ok|FAIL detail" line
# to result.txt.
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

"$jxen"/jxen-create-image --config-dir /opt/jxen/etc-xen-tools --hostname g1 --lvm vg0 \
    --install-method tar --install-source /srv/base.tar.zst --dist bookworm --size 2G --swap 128M --memory 512M \
    --ip 192.0.2.10 --netmask 255.255.255.0 --gateway 192.0.2.1 --bridge xenbr0 --nohosts \
    --password rig-only-password --boot > $R/create.log 2>&1
check create $? "$(tail -n 3 $R/create.log | tr '\n' ' ')"
check lvs-after-create 0 "$(lvs --noheadings -o lv_name vg0 | tr -s ' \n' ' ')"
"$xl" list > $R/xl-list.txt 2>&1
grep -q '^g1 ' $R/xl-list.txt; check xl-list $? "$(grep '^g1 ' $R/xl-list.txt)"

login=1
for i in $(seq 120); do
    if grep -q 'login:' /var/log/xen/console/guest-g1.log 2>/dev/null; then login=0; break; fi
    sleep 3
done
check console-login $login "after $(( $(date +%s) - t0 )) s: $(grep -m1 'login:' /var/log/xen/console/guest-g1.log 2>/dev/null)"

ping=1
for i in $(seq 30); do
    if ping -c 1 -W 2 192.0.2.10 > $R/ping.txt 2>&1; then ping=0; break; fi
    sleep 2
done
check ping $ping "$(grep -m1 'bytes from' $R/ping.txt)"

"$jxen"/jxen-list-images --json > $R/list.json 2>&1
grep -q '"name":"g1"' $R/list.json && grep -q '"state":"running"' $R/list.json
check list-images $? "$(cat $R/list.json)"

"$jxen"/jxen-create-image --config-dir /opt/jxen/etc-xen-tools --hostname g1-b --lvm vg0 \
    --install-method tar --install-source /srv/base.tar.zst --dist bookworm --size 2G --swap 128M --memory 384M \
    --ip 192.0.2.11 --netmask 255.255.255.0 --gateway 192.0.2.1 --bridge xenbr0 --nohosts \
    --password rig-only-password > $R/create-g1-b.log 2>&1
check create-g1-b $? "$(tail -n 3 $R/create-g1-b.log | tr '\n' ' ')"

"$jxen"/jxen-delete-image --lvm vg0 g1 > $R/delete-running.log 2>&1
[ $? = 3 ]; check delete-refuses-running $? "$(cat $R/delete-running.log | tr '\n' ' ')"
"$xl" destroy g1
"$jxen"/jxen-delete-image --lvm vg0 g1 > $R/delete.log 2>&1
check delete $? "$(cat $R/delete.log | tr '\n' ' ')"
lvs_now=$(lvs --noheadings -o lv_name vg0 | tr -s ' \n' ' ')
left=$(lvs --noheadings -o lv_name vg0 | grep -cE '^ *g1-(disk|swap) *$')
[ "$left" = 0 ] && [ ! -e /etc/xen/g1.cfg ]; check deleted-volumes-and-cfg $? "$left of g1's left; volumes now: $lvs_now"
kept=$(lvs --noheadings -o lv_name vg0 | grep -cE '^ *g1-b-(disk|swap) *$')
[ "$kept" = 2 ] && [ -e /etc/xen/g1-b.cfg ]
check g1b-kept-after-delete $? "$kept of g1-b's volumes kept, and its .cfg"

"$xl" create /etc/xen/g1-b.cfg > $R/boot-g1-b.log 2>&1
login=1
for i in $(seq 120); do
    if grep -q 'login:' /var/log/xen/console/guest-g1-b.log 2>/dev/null; then login=0; break; fi
    sleep 3
done
check g1b-console-login $login "after $(( $(date +%s) - t0 )) s: $(grep -m1 'login:' /var/log/xen/console/guest-g1-b.log 2>/dev/null) $(cat $R/boot-g1-b.log | tr '\n' ' ')"
"$xl" destroy g1-b
"$jxen"/jxen-delete-image --lvm vg0 g1-b > $R/delete-g1-b.log 2>&1
check delete-g1-b $? "$(cat $R/delete-g1-b.log | tr '\n' ' ')"

JXEN_FAULT_AFTER_STAGE=filesystems "$jxen"/jxen-create-image --config-dir /opt/jxen/etc-xen-tools --hostname g2 --lvm vg0 \
    --install-method tar --install-source /srv/base.tar.zst --dist bookworm --size 1G --swap 128M --dhcp > $R/fault.log 2>&1
[ $? = 4 ]; check fault-exit-4 $? "$(tail -n 2 $R/fault.log | tr '\n' ' ')"
left=$(lvs --noheadings -o lv_name vg0 | grep -c 'g2-')
[ "$left" = 0 ] && ! grep -q /dev/mapper/vg0 /proc/mounts; check fault-rollback-lvremove $? "$left volumes left"
echo "total: $(( $(date +%s) - t0 )) s" >> $R/result.txt
