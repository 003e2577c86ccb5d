#!/bin/sh
# Opt-in: a whole install by the Debian Installer in the rig, then the installed guest's boot.
#   JXEN_RIG_NET=1 JXEN_RIG_TEST=tests/xen-e2e/dom0-installer-full.sh JXEN_RIG_TIMEOUT=10800 tests/xen-e2e/run-rig.sh
# QEMU's user network reaches the host's Debian mirror; the dom0 relays it to its bridge
# (mirror-relay.py), where the installer, a Xen PV guest, installs from it. The preseed is jxen's,
# changed the way a user changes it (a copy in the configuration's templates/): the standard task
# left out and no security or updates service (the rig reaches only the mirror). jxen must finish
# (exit 0), and the guest then boots with pygrub from the disk the installer partitioned, to a login
# prompt, answering ping at its address.
# It needs a mirror that serves the installer's components (.udeb). This machine's does not (it
# answers 404 for every .udeb its own Packages lists): run on 2026-11-30, the installer booted,
# took the preseed, read its component indexes through the relay and stopped at "Download
# installer components"; jxen now refuses such a mirror at its "installer images" stage.
set -u
. /opt/jxen-rig/rig-lib.sh
: > $R/result.txt
printf '%s\n' vg bridge user-network installer-whole-install installed-guest-login installed-guest-ping > $R/expected.txt
t0=$(date +%s)
pvcreate -ff -y /dev/vdb && vgcreate vg0 /dev/vdb
check vg $? ""
ip link add xenbr0 type bridge && ip addr add 192.0.2.1/24 dev xenbr0 && ip link set xenbr0 up
check bridge $? ""
modprobe virtio_net 2>/dev/null
nic=$(ls /sys/class/net | grep -vE '^(lo|xenbr0)$' | head -n 1)
ip link set "$nic" up && ip addr add 10.0.2.15/24 dev "$nic" && ip route add default via 10.0.2.2
check user-network $? "$nic: $(ip -br addr show "$nic" 2>&1)"
read -r upstream host < /srv/upstream
python3 /opt/jxen-rig/mirror-relay.py 192.0.2.1 8080 "$upstream" "$host" > "$R/relay.log" 2>&1 &
sleep 5
config=/opt/jxen/etc-xen-tools
mkdir -p "$config/templates"
sed -e 's/^tasksel tasksel\/first multiselect .*/tasksel tasksel\/first multiselect ssh-server/' \
    -e 's/^d-i apt-setup\/services-select multiselect .*/d-i apt-setup\/services-select multiselect none/' \
    /opt/jxen/templates/preseed.cfg.ftl > "$config/templates/preseed.cfg.ftl"
"$jxen"/jxen-create-image --config-dir "$config" --lvm vg0 --install-method installer --hostname inst2 \
    --dist bookworm --mirror http://192.0.2.1:8080/debian --size 3G --swap 256M --memory 512M --ip 192.0.2.21 \
    --netmask 255.255.255.0 --gateway 192.0.2.1 --nameserver 192.0.2.1 --bridge xenbr0 --nohosts --pygrub --type pv \
    --password rig-only-password > "$R/create-inst2.log" 2>&1
status=$?
cp /var/log/xen-tools/inst2.installer-console.log "$R/" 2>/dev/null
check installer-whole-install $status "$(grep -m1 'installed inst2 in' "$R/create-inst2.log")$(grep -m1 'error' "$R/create-inst2.log")"
[ "$status" = 0 ] || exit 0
"$xl" create /etc/xen/inst2.cfg > "$R/xl-create-inst2.txt" 2>&1
started=$(date +%s)
console=/var/log/xen/console/guest-inst2.log
for i in $(seq 200); do grep -q 'login:' "$console" 2>/dev/null && break; sleep 3; done
line=$(grep -m1 'login:' "$console" 2>/dev/null)
[ -n "$line" ]; check installed-guest-login $? "pygrub, PV: $line ($(( $(date +%s) - started )) s after xl create)"
ping=1
for i in $(seq 30); do ping -c 1 -W 2 192.0.2.21 > "$R/ping-inst2.txt" 2>&1 && { ping=0; break; }; sleep 2; done
check installed-guest-ping $ping "$(grep -m1 'bytes from' "$R/ping-inst2.txt")"
"$xl" destroy inst2
echo "total: $(( $(date +%s) - t0 )) s" >> $R/result.txt
