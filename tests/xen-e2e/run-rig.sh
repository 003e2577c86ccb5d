#!/usr/bin/env bash
# The Xen rig: boots Xen 4.17 under QEMU (TCG; KVM does not work on these machines; the CPU offers
# SVM and NPT, so Xen can run PVH guests) with a dom0 that jxen itself built, and runs dom0-test.sh
# inside it: jxen's default boot choices checked from its plans; two LVM-backed guests made by jxen
# (g1 bookworm PV with pygrub, which jxen starts and reaches over SSH with the host key it made,
# g1-b trixie PV with pvgrub2 and systemd-networkd) boot on Xen, one at
# a time, to a login prompt and answer on a bridge, are listed; deleting g1 leaves g1-b, which boots
# afterwards, as PV and as PVH with pvgrub2; a failure after lvcreate leaves no volume; a PVH boot
# with Debian 13's GRUB is recorded as a "seen-" line without being required; the installer route
# runs the Debian Installer as a guest; on LVM thin, two guests' roots are thin snapshots of the
# cached base's thin volume, and one of them boots. Results come back on a
# third virtual disk. Run as root:
#
#   tests/xen-e2e/run-rig.sh            exit 0 when every check passed; prints the checks
#
# JXEN_RIG_TEST runs another script in the dom0 instead of dom0-test.sh (to look into one case, or
# dom0-installer-full.sh: a whole install by the Debian Installer); every check it names in
# /results/expected.txt (one per line, written first) and every check it writes must pass.
# JXEN_RIG_NET=1 gives the dom0 QEMU's user network (10.0.2.15), through which it reaches this
# machine's Debian mirror (for dom0-installer-full.sh); JXEN_RIG_TIMEOUT (3600) bounds QEMU's run.
# JXEN_RIG_DIR (default /var/tmp/jxen-xen-rig) keeps the dom0 image between runs; it is rebuilt
# when the dom0 package list changes (jxen, rig-init and dom0-test.sh are copied in at every run).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
home=$(cd "$here/../.." && pwd)
rig=${JXEN_RIG_DIR:-/var/tmp/jxen-xen-rig}
cache=${JXEN_RIG_BASE_CACHE:-/var/tmp/jxen-test-base-cache}
dom0_packages="xen-utils-4.17 xenstore-utils bridge-utils lvm2 thin-provisioning-tools mmdebstrap openjdk-17-jre-headless zstd iproute2 iputils-ping e2fsprogs grub-xen-host bubblewrap socat"
mkdir -p "$rig"
log() { echo "rig: $(date -u +%T) $*" >&2; }

for tool in qemu-system-x86_64 zcat; do
    command -v "$tool" >/dev/null || { echo "rig: $tool is missing (tests/install-deps test installs it)" >&2; exit 3; }
done
[ -f /boot/xen-4.17-amd64.gz ] || { echo "rig: /boot/xen-4.17-amd64.gz is missing (apt-get install xen-hypervisor-4.17-amd64)" >&2; exit 3; }

# 1. The dom0 image, made by jxen (a guest with its own kernel, plus Xen's toolstack and a JRE).
key=$(echo "dom0 v1: $dom0_packages" | sha256sum | cut -c1-16)
img="$rig/images/domains/rigdom0/disk.img"
if [ "$(cat "$rig/dom0.key" 2>/dev/null)" != "$key" ] || [ ! -f "$img" ]; then
    log "building the dom0 image with jxen (key $key)"
    rm -rf "$rig/images" "$rig/cfg" "$rig/dom0.key"
    "$home/bin/jxen-create-image" --config-dir "$home/etc-xen-tools" --hostname rigdom0 --dir "$rig/images" \
        --output "$rig/cfg" --log "$rig/dom0-create.log" --base-cache-dir "$cache" --dist bookworm --size 5G --noswap \
        --memory 768M --dhcp --pygrub --password rig-only-dom0 --nohosts --role packages --role-args "$dom0_packages" --quiet
    echo "$key" > "$rig/dom0.key"
fi

# 2. The guests' base trees, with their kernels, from the base-tree cache: bookworm's for g1, and a
#    trixie one with zstd (a PV guest with pvgrub2 gets it to unpack its kernel), made once with jxen
#    (a throwaway guest) when the cache has none.
tree() { # dist [package]: the newest cached tree of that release with a kernel (and the package)
    ls -t $(grep -l "\"dist\":\"$1\"" "$cache"/*.json 2>/dev/null | xargs -r grep -l 'linux-image' \
        | xargs -r grep -l "\"${2:-linux-image-amd64}\"" | sed 's/\.json$/.tar.zst/') 2>/dev/null | head -n 1
}
if [ -z "$(tree trixie zstd)" ]; then
    log "making a trixie base tree with jxen"
    rm -rf "$rig/seed"
    "$home/bin/jxen-create-image" --config-dir "$home/etc-xen-tools" --hostname rigseed --dir "$rig/seed" --output "$rig/seed/cfg" \
        --log "$rig/seed.log" --base-cache-dir "$cache" --dist trixie --size 3G --noswap --dhcp --boot-path pvgrub2 --type pv --nohosts \
        --quiet --password rig-only-seed
    rm -rf "$rig/seed"
fi
bookworm=$(tree bookworm)
trixie=$(tree trixie zstd)
[ -n "$bookworm" ] && [ -f "$bookworm" ] && [ -n "$trixie" ] && [ -f "$trixie" ] \
    || { echo "rig: no cached bookworm and trixie (with zstd) base trees with a kernel in $cache" >&2; exit 3; }

# 2b. Debian 13's pvgrub2 images (GRUB 2.12), to boot a trixie PVH guest with them beside the dom0's
#     GRUB 2.06 (a seen- line), from the mirror the trixie tree was installed from, checked as apt
#     checks them: InRelease signed by the archive keyring, Packages by its hash there, the .deb by
#     its hash there.
grub212="$rig/grub-xen-2.12"
if [ ! -f "$grub212/grub-i386-xen_pvh.bin" ]; then
    log "fetching trixie's grub-xen-host"
    work=$(mktemp -d)
    mirror=$(tar -I zstd -xOf "$trixie" ./etc/apt/sources.list | awk '$1 == "deb" { print $2; exit }')
    [ -n "$mirror" ] || { echo "rig: no mirror in $trixie's sources.list" >&2; exit 3; }
    curl -fsS -o "$work/InRelease" "$mirror/dists/trixie/InRelease"
    gpgv --keyring /usr/share/keyrings/debian-archive-keyring.gpg --output "$work/Release" "$work/InRelease" 2>/dev/null \
        || { echo "rig: $mirror/dists/trixie/InRelease is not signed by the Debian archive keyring" >&2; exit 3; }
    curl -fsS -o "$work/Packages.xz" "$mirror/dists/trixie/main/binary-amd64/Packages.xz"
    want=$(awk '/^SHA256:/ { s = 1; next } /^[^ ]/ { s = 0 } s && $3 == "main/binary-amd64/Packages.xz" { print $1 }' "$work/Release")
    echo "$want  $work/Packages.xz" | sha256sum -c --quiet - || { echo "rig: Packages.xz does not match InRelease" >&2; exit 3; }
    entry=$(xz -dc "$work/Packages.xz" | awk -v RS= '/^Package: grub-xen-host\n/')
    file=$(echo "$entry" | sed -n 's/^Filename: //p') sum=$(echo "$entry" | sed -n 's/^SHA256: //p')
    curl -fsS -o "$work/grub-xen-host.deb" "$mirror/$file"
    echo "$sum  $work/grub-xen-host.deb" | sha256sum -c --quiet - || { echo "rig: $file does not match Packages" >&2; exit 3; }
    dpkg-deb -x "$work/grub-xen-host.deb" "$work/x"
    mkdir -p "$grub212" && cp "$work"/x/usr/lib/grub-xen/*.bin "$grub212/"
    rm -rf "$work"
fi

# 2c. The Debian Installer for the installer route's check: the two files of the chain the dom0's jxen
#     checks it against (the release's InRelease, the installer's SHA256SUMS), and its kernel and
#     initrd fetched and verified by jxen here (its installer route, stopped after the "installer
#     images" stage, or refused there when this mirror serves no installer components: the images
#     are cached by then). Where this mirror serves netboot/xen/, the dom0's mirror serves them too.
inst="$rig/installer"
mirror=$(tar -I zstd -xOf "$bookworm" ./etc/apt/sources.list | awk '$1 == "deb" { print $2; exit }')
[ -n "$mirror" ] || { echo "rig: no mirror in $bookworm's sources.list" >&2; exit 3; }
images="$inst/mirror/debian/dists/bookworm/main/installer-amd64/current/images"
rm -rf "$inst/x" "$inst/mirror" && mkdir -p "$inst/x" "$images"
curl -fsS -o "$inst/mirror/debian/dists/bookworm/InRelease" "$mirror/dists/bookworm/InRelease"
curl -fsS -o "$images/SHA256SUMS" "$mirror/dists/bookworm/main/installer-amd64/current/images/SHA256SUMS"
JXEN_FAULT_AFTER_STAGE="installer images" JXEN_INSTALLER_CACHE="$inst/cache" "$home/bin/jxen-create-image" --config-dir "$home/etc-xen-tools" \
    --hostname riginst --dir "$inst/x" --output "$inst/x" --log "$inst/fetch.log" --dist bookworm --memory 1G \
    --mirror "$mirror" --install-method installer --dhcp --pygrub --type pv --nohosts --quiet --password rig-only-fetch || true
sum() { awk -v f="./netboot/$1" '$2 == f { print $1 }' "$images/SHA256SUMS"; }
if [ -f "$inst/cache/$(sum xen/vmlinuz)" ] && [ -f "$inst/cache/$(sum xen/initrd.gz)" ]; then
    mkdir -p "$images/netboot/xen"
    cp "$inst/cache/$(sum xen/vmlinuz)" "$images/netboot/xen/vmlinuz" && cp "$inst/cache/$(sum xen/initrd.gz)" "$images/netboot/xen/initrd.gz"
elif [ ! -f "$inst/cache/$(sum debian-installer/amd64/linux)" ] || [ ! -f "$inst/cache/$(sum debian-installer/amd64/initrd.gz)" ]; then
    echo "rig: jxen fetched no installer (see $inst/fetch.log)" >&2; exit 3
fi

# 2d. For the thin-snapshot guests (dom0-thin.sh): bookworm by mmdebstrap from the base-tree cache, with
#     its ready image (a throwaway guest made with jxen here makes both, or only the image, when the
#     cache has no such entry against the release the dom0 is given), and that release's InRelease.
thin="$rig/thin"
rm -rf "$thin/www" && mkdir -p "$thin/www"
path=$(echo "$mirror" | sed -E 's|^https?://[^/]+||')
mkdir -p "$thin/www$path/dists/bookworm" && cp "$inst/mirror/debian/dists/bookworm/InRelease" "$thin/www$path/dists/bookworm/InRelease"
release=$(sha256sum "$thin/www$path/dists/bookworm/InRelease" | cut -c1-64)
thin_entry() {
    for j in $(grep -l '"dist":"bookworm"' "$cache"/*.json 2>/dev/null); do
        grep -q '"installer":"mmdebstrap ' "$j" && grep -q '"packages":\["linux-image-amd64","openssh-server"\]' "$j" \
            && grep -q "\"release-sha256\":\"$release\"" "$j" && grep -q "\"mirror\":\"$mirror\"" "$j" \
            && [ -f "${j%.json}.ext4" ] && [ -f "${j%.json}.tar.zst" ] && { echo "${j%.json}"; return; }
    done
}
if [ -z "$(thin_entry)" ]; then
    log "making the bookworm base by mmdebstrap with its ready image"
    rm -rf "$thin/seed"
    "$home/bin/jxen-create-image" --config-dir "$home/etc-xen-tools" --hostname rigthin --dir "$thin/seed" --output "$thin/seed" \
        --log "$thin/seed.log" --base-cache-dir "$cache" --mirror "$mirror" --dist bookworm --install-method mmdebstrap --size 3G \
        --noswap --dhcp --pygrub --type pv --nohosts --quiet --password rig-only-seed
    rm -rf "$thin/seed"
fi
entry=$(thin_entry)
[ -n "$entry" ] || { echo "rig: no bookworm mmdebstrap base with a ready image against InRelease $release in $cache (see $thin/seed.log)" >&2; exit 3; }

# 3. Put this build of jxen, the rig's init and test, and the base trees into the dom0.
mnt=$(mktemp -d /run/jxen-rig.XXXXXX)
cleanup() { mountpoint -q "$mnt" && umount "$mnt"; rmdir "$mnt" 2>/dev/null || true; }
trap cleanup EXIT
mount -o loop "$img" "$mnt"
rm -rf "$mnt/opt/jxen" && mkdir -p "$mnt/opt/jxen/target" "$mnt/opt/jxen-rig" "$mnt/srv"
cp -r "$home/bin" "$home/templates" "$home/hooks" "$home/roles" "$home/libexec" "$home/etc-xen-tools" "$mnt/opt/jxen/"
cp "$home/target/jxen.jar" "$mnt/opt/jxen/target/"
install -m 0755 "$here/rig-init" "$mnt/sbin/rig-init"
install -m 0755 "${JXEN_RIG_TEST:-$here/dom0-test.sh}" "$mnt/opt/jxen-rig/dom0-test.sh"
install -m 0644 "$here/dom0-installer.sh" "$here/dom0-thin.sh" "$here/mirror-relay.py" "$mnt/opt/jxen-rig/"
# the mirror by address (the dom0 has no resolver) and the name it answers to, for mirror-relay.py
mirror_host=$(echo "$mirror" | sed -E 's|^https?://([^/:]+).*|\1|')
echo "$(echo "$mirror" | sed -E "s|^(https?://)[^/:]+|\1$(getent ahostsv4 "$mirror_host" | awk 'NR == 1 { print $1 }')|") $mirror_host" > "$mnt/srv/upstream"
rm -rf "$mnt/srv/mirror" "$mnt/var/cache/jxen/installer" && cp -r "$inst/mirror" "$mnt/srv/mirror"
mkdir -p "$mnt/var/cache/jxen" && cp -r "$inst/cache" "$mnt/var/cache/jxen/installer"
rm -rf "$mnt/srv/base.tar.zst" "$mnt/srv/g212" "$mnt/srv/grub-xen-2.12" && cp -r "$grub212" "$mnt/srv/grub-xen-2.12"
k=$(basename "$entry")
if [ ! -f "$mnt/srv/base-cache/$k.ext4" ]; then
    rm -rf "$mnt/srv/base-cache" && mkdir -p "$mnt/srv/base-cache"
    cp "$entry.json" "$entry.tar.zst" "$mnt/srv/base-cache/" && cp --sparse=always "$entry.ext4" "$mnt/srv/base-cache/"
fi
rm -rf "$mnt/srv/base-cache/www" && cp -r "$thin/www" "$mnt/srv/base-cache/www" && echo "$mirror" > "$mnt/srv/base-cache/mirror"
cmp -s "$bookworm" "$mnt/srv/bookworm.tar.zst" || cp "$bookworm" "$mnt/srv/bookworm.tar.zst"
cmp -s "$trixie" "$mnt/srv/trixie.tar.zst" || cp "$trixie" "$mnt/srv/trixie.tar.zst"
# no udev in the rig's dom0: LVM makes its device nodes itself
sed -i -e 's/^\(\s*\)#\?\s*udev_sync = .*/\1udev_sync = 0/' -e 's/^\(\s*\)#\?\s*udev_rules = .*/\1udev_rules = 0/' "$mnt/etc/lvm/lvm.conf"
cp "$(ls "$mnt"/boot/vmlinuz-* | sort -V | tail -n 1)" "$rig/vmlinuz"
cp "$(ls "$mnt"/boot/initrd.img-* | sort -V | tail -n 1)" "$rig/initrd.img"
umount "$mnt"

# 4. Fresh data (LVM) and results disks, the hypervisor, and the boot.
rm -f "$rig/data.img" "$rig/results.img" "$rig/xen-serial.log"
truncate -s 9G "$rig/data.img"
truncate -s 64M "$rig/results.img" && mkfs.ext4 -q -F "$rig/results.img"
zcat /boot/xen-4.17-amd64.gz > "$rig/xen.elf"
log "booting Xen and the dom0 under QEMU"
cd "$rig"
set +e
net="-nic none"
[ "${JXEN_RIG_NET:-}" = 1 ] && net="-nic user,model=virtio-net-pci"
timeout "${JXEN_RIG_TIMEOUT:-3600}" qemu-system-x86_64 -accel tcg,thread=multi -cpu qemu64,+svm,+npt -smp 2 -m 2048 -kernel xen.elf \
    -append 'console=com1 com1=115200 dom0_mem=768M,max:768M noreboot' \
    -initrd "vmlinuz console=hvc0 root=/dev/vda rw init=/sbin/rig-init,initrd.img" \
    -drive file="$img",format=raw,if=virtio,snapshot=on -drive file=data.img,format=raw,if=virtio \
    -drive file=results.img,format=raw,if=virtio -display none $net -serial file:xen-serial.log -no-reboot
qemu=$?
set -e
log "QEMU ended with status $qemu"

# 5. The results.
rm -rf "$rig/results" && mkdir -p "$rig/results"
mount -o loop,ro,noload results.img "$mnt"
cp -r "$mnt"/. "$rig/results/" 2>/dev/null || true
umount "$mnt"
cat "$rig/results/result.txt" 2>/dev/null || echo "rig: no results (see $rig/xen-serial.log)"
expected="vg bridge pvh-capable plan-bookworm-default plan-trixie-default plan-trixie-pv create-g1 create-g1-b
    ssh-g1 known-hosts-g1 login-g1 ping-g1 xl-list list-images delete-refuses-running delete deleted-volumes-and-cfg others-kept-after-delete
    others-intact-after-delete login-g1-b ping-g1-b login-g1-b-pvh ping-g1-b-pvh fault-exit-4 fault-rollback-lvremove
    installer-xen-guest installer-read-preseed installer-network-from-preseed installer-stops-at-dialog installer-rollback
    thin-pool plan-thin-snapshot create-thin1 thin1-root-is-snapshot thin1-own-uuid-and-size thin2-shares-base login-thin1 ping-thin1
    thin-delete-keeps-base thin-cache-keeps-used-base thin-cache-prunes-unused-base"
if [ -n "${JXEN_RIG_TEST:-}" ]; then
    # the checks the script named up front in expected.txt (so that a run stopped early fails), and those it wrote
    expected=$( (cat "$rig/results/expected.txt" 2>/dev/null; sed -n 's/^\([a-z0-9-]*\): \(ok\|FAIL\).*/\1/p' "$rig/results/result.txt" 2>/dev/null) | sort -u)
    [ -n "$expected" ] || expected=no-result
fi
failed=0
for c in $expected; do
    grep -q "^$c: ok" "$rig/results/result.txt" 2>/dev/null || { echo "rig: check '$c' did not pass" >&2; failed=1; }
done
if [ "$failed" != 0 ]; then
    for f in xen-serial.log results/dom0-init.log results/test.log results/create-g1.log results/create-g1-b.log \
        results/guest-g1.log results/guest-g1-b.log results/guest-g1-b-pvh-first.log results/guest-g1-b-pvh.log \
        results/create-inst1.log results/inst1.installer-console.log results/installer-http.log \
        results/create-thin1.log results/create-thin2.log results/guest-thin1.log results/thin-http.log; do
        [ -f "$rig/$f" ] && { echo "===== $f (last 60 lines)"; tail -n 60 "$rig/$f"; }
    done
    exit 1
fi
echo "rig: all checks passed"
