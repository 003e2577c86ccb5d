#!/usr/bin/env bash
# The Xen rig: boots Xen under QEMU (TCG; KVM does not work on these machines; the CPU offers SVM and
# NPT, so Xen can run PVH guests) with a dom0 that jxen itself built, and runs the dom0's test inside
# it. Two dom0s (JXEN_RIG_DOM0): bookworm (Debian 12, Xen 4.17, dom0-test.sh: jxen's default boot
# choices from its plans and a refused one; g1 bookworm PV pygrub, started by jxen and reached over SSH
# with the host key it made; g1-b trixie PV pvgrub2 networkd, updated, also as PVH; list, delete beside a
# prefix-named guest, a failure after lvcreate; dom0-paths.sh: xfs, btrfs, the dom0-kernel path, a
# reflink clone under --dir on XFS, routed and NATed guests reaching beyond the dom0, separate /usr,
# /var, /home) and trixie (Debian 13, Xen 4.20, dom0-test-13.sh: first, on this machine, a Debian 13
# tree where the README's commands and the .deb are tried as a new user would; in the dom0 the README's
# first command's guest as jxen wrote it, PVH with GRUB 2.12, SSH verified; bookworm PV pygrub on LVM;
# list and delete while running and after; forky; this machine as the Ansible controller of the dom0
# (ansible-controller.sh); the installer route). Both: guests whose roots are thin snapshots of the
# cached base. Each hypervisor is the dom0 release's own, fetched
# from the mirror and checked as apt would. Results come back on a third virtual disk. Run as root:
#
#   tests/xen-e2e/run-rig.sh            exit 0 when every check passed; prints the checks
#
# JXEN_RIG_TEST runs another script in the dom0 instead of dom0-test.sh (to look into one case, or
# dom0-installer-full.sh: a whole install by the Debian Installer); every check it names in
# /results/expected.txt (one per line, written first) and every check it writes must pass.
# JXEN_RIG_NET=1 gives the dom0 QEMU's user network (10.0.2.15), through which it reaches this
# machine's Debian mirror (for dom0-installer-full.sh); JXEN_RIG_TIMEOUT (3600) bounds QEMU's run.
# JXEN_RIG_DIR (default /var/tmp/jxen-xen-rig, for trixie /var/tmp/jxen-xen-rig-13) keeps the dom0
# image, the hypervisor and the Debian 13 tree between runs; the image is rebuilt when the dom0 package
# list changes (jxen, rig-init and the dom0's scripts are copied in at every run).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
home=$(cd "$here/../.." && pwd)
# JXEN_RIG_DOM0 chooses the dom0: bookworm (Debian 12, Xen 4.17, the default) or trixie (Debian 13,
# Xen 4.20, its hypervisor fetched from the mirror and checked along Debian's chain).
dom0=${JXEN_RIG_DOM0:-bookworm}
case "$dom0" in
    # net-tools and iptables: for the routed and NATed guests (vif-route runs ifconfig; NAT by masquerading)
    bookworm) extra="net-tools iptables" xenver=4.17 java=openjdk-17-jre-headless default_rig=/var/tmp/jxen-xen-rig default_test=dom0-test.sh dom0_size=5G ;;
    # room for the dom0's own base-tree cache and a guest cloned from it in an image file
    trixie)   extra="" xenver=4.20 java=openjdk-21-jre-headless default_rig=/var/tmp/jxen-xen-rig-13 default_test=dom0-test-13.sh dom0_size=12G ;;
    *) echo "rig: JXEN_RIG_DOM0 is bookworm or trixie, not '$dom0'" >&2; exit 3 ;;
esac
rig=${JXEN_RIG_DIR:-$default_rig}
cache=${JXEN_RIG_BASE_CACHE:-/var/tmp/jxen-test-base-cache}
# what jxen's .deb depends on and recommends (gpgv by name: Debian 13's apt verifies with sqv, so it is no longer there anyway)
dom0_packages="xen-utils-$xenver xenstore-utils bridge-utils lvm2 thin-provisioning-tools mmdebstrap $java zstd iproute2 iputils-ping e2fsprogs grub-xen-host bubblewrap socat gpgv debian-archive-keyring xfsprogs btrfs-progs${extra:+ $extra}"
mkdir -p "$rig"
log() { echo "rig: $(date -u +%T) $*" >&2; }

tools="qemu-system-x86_64 zcat curl gpgv xz"
[ "$dom0" = trixie ] && tools="$tools ansible-playbook"
for tool in $tools; do
    command -v "$tool" >/dev/null || { echo "rig: $tool is missing (tests/install-deps test installs it)" >&2; exit 3; }
done

# 2. The guests' base trees, with their kernels, from the base-tree cache: bookworm's, and a trixie
#    one with zstd (a PV guest with pvgrub2 gets it to unpack its kernel), each made once with jxen
#    (a throwaway guest) when the cache has none.
tree() { # dist [package]: the newest cached tree of that release with a kernel (and the package)
    grep -l "\"dist\":\"$1\"" "$cache"/*.json 2>/dev/null | xargs -r grep -l 'linux-image' \
        | xargs -r grep -l "\"${2:-linux-image-amd64}\"" | sed 's/\.json$/.tar.zst/' | xargs -r ls -t 2>/dev/null | head -n 1
}
seed() { # dist, what jxen's boot choice for it needs
    log "making a $1 base tree with jxen"
    rm -rf "$rig/seed"
    "$home/bin/jxen-create-image" --config-dir "$home/etc-xen-tools" --hostname "rigseed-$dom0" --dir "$rig/seed" --output "$rig/seed/cfg" \
        --log "$rig/seed-$1.log" --base-cache-dir "$cache" --dist "$1" --size 3G --noswap --dhcp "${@:2}" --nohosts \
        --quiet --password rig-only-seed
    rm -rf "$rig/seed"
}
[ -n "$(tree trixie zstd)" ] || seed trixie --boot-path pvgrub2 --type pv
[ -n "$(tree bookworm)" ] || seed bookworm --pygrub --type pv
bookworm=$(tree bookworm || true)
trixie=$(tree trixie zstd || true)
[ -n "$bookworm" ] && [ -f "$bookworm" ] && [ -n "$trixie" ] && [ -f "$trixie" ] \
    || { echo "rig: no cached bookworm and trixie (with zstd) base trees with a kernel in $cache" >&2; exit 3; }

# The mirror the cached trees were installed from (the rig fetches from it what it needs)
mirror=$(tar -I zstd -xOf "$bookworm" ./etc/apt/sources.list | awk '$1 == "deb" { print $2; exit }')
[ -n "$mirror" ] || { echo "rig: no mirror in $bookworm's sources.list" >&2; exit 3; }
path=$(echo "$mirror" | sed -E 's|^https?://[^/]+||')
# forky (testing), for the Debian 13 dom0's forky guest, made by mmdebstrap with what jxen's base has (its
# kernel, locales, openssh-server, ifupdown; zstd for pvgrub2 in a PV guest) and installed by the dom0's
# jxen with --install-method tar: this machine's mirror froze testing on 2026-10-30, its Release expired
# on 2026-11-06 (Valid-Until), and jxen refuses an expired Release, so apt's check is off for this tree
# only. Made again when a week old.
forky="$rig/forky-test.tar.zst"
if [ "$dom0" = trixie ] && { [ ! -s "$forky" ] || [ -n "$(find "$forky" -mtime +7)" ]; }; then
    log "making a forky tree with mmdebstrap"
    rm -f "$forky"
    mmdebstrap --quiet --variant=important --aptopt='Acquire::Check-Valid-Until "false"' \
        --include=linux-image-amd64,locales,openssh-server,zstd,ifupdown forky "$forky" "$mirror" > "$rig/forky-mm.log" 2>&1 \
        || { echo "rig: mmdebstrap of forky failed (see $rig/forky-mm.log)" >&2; rm -f "$forky"; exit 3; }
fi
# A package from the mirror, checked as apt checks it (tests/debian-deb), unpacked into DIR
debian_deb() { # dist, package, dir
    "$home/tests/debian-deb" "$mirror" "$1" "$2" "$rig/p.deb" || { echo "rig: no checked $2 from $1" >&2; exit 3; }
    mkdir -p "$3" && dpkg-deb -x "$rig/p.deb" "$3" && rm -f "$rig/p.deb"
}

# 2b. The hypervisor, the dom0's release's own, from the mirror (not this machine's /boot: a test machine
# with Xen installed would boot it).
hypervisor="$rig/xen-$xenver-amd64.gz"
if [ ! -f "$hypervisor" ]; then
    log "fetching $dom0's Xen $xenver hypervisor"
    rm -rf "$rig/xen-deb"
    debian_deb "$dom0" "xen-hypervisor-$xenver-amd64" "$rig/xen-deb"
    cp "$rig/xen-deb/boot/xen-$xenver-amd64.gz" "$hypervisor" && rm -rf "$rig/xen-deb"
fi

# 2c. The Debian Installer for the installer route's check: the two files of the chain the dom0's jxen
#     checks it against (the release's InRelease, the installer's SHA256SUMS), and its kernel and
#     initrd fetched and verified by jxen here (its installer route, stopped after the "installer
#     images" stage, or refused there when this mirror serves no installer components: the images
#     are cached by then). Where this mirror serves netboot/xen/, the dom0's mirror serves them too.
inst="$rig/installer"
images="$inst/mirror/debian/dists/bookworm/main/installer-amd64/current/images"
rm -rf "$inst/x" "$inst/mirror" && mkdir -p "$inst/x" "$images"
curl -fsS -o "$inst/mirror/debian/dists/bookworm/InRelease" "$mirror/dists/bookworm/InRelease"
curl -fsS -o "$images/SHA256SUMS" "$mirror/dists/bookworm/main/installer-amd64/current/images/SHA256SUMS"
JXEN_FAULT_AFTER_STAGE="installer images" JXEN_INSTALLER_CACHE="$inst/cache" "$home/bin/jxen-create-image" --config-dir "$home/etc-xen-tools" \
    --hostname "riginst-$dom0" --dir "$inst/x" --output "$inst/x" --log "$inst/fetch.log" --dist bookworm --memory 1G \
    --mirror "$mirror" --install-method installer --dhcp --pygrub --type pv --nohosts --quiet --password rig-only-fetch || true
sum() { awk -v f="./netboot/$1" '$2 == f { print $1 }' "$images/SHA256SUMS"; }
if [ -f "$inst/cache/$(sum xen/vmlinuz)" ] && [ -f "$inst/cache/$(sum xen/initrd.gz)" ]; then
    mkdir -p "$images/netboot/xen"
    cp "$inst/cache/$(sum xen/vmlinuz)" "$images/netboot/xen/vmlinuz" && cp "$inst/cache/$(sum xen/initrd.gz)" "$images/netboot/xen/initrd.gz"
elif [ ! -f "$inst/cache/$(sum debian-installer/amd64/linux)" ] || [ ! -f "$inst/cache/$(sum debian-installer/amd64/initrd.gz)" ]; then
    echo "rig: jxen fetched no installer (see $inst/fetch.log)" >&2; exit 3
fi

# 2d. For the Debian 12 dom0's thin-snapshot guests (dom0-thin.sh): bookworm by mmdebstrap from the base-tree cache, with
#     its ready image (a throwaway guest made with jxen here makes both, or only the image, when the
#     cache has no such entry against the release the dom0 is given), and that release's InRelease.
if [ "$dom0" = bookworm ]; then
    thin="$rig/thin"
    rm -rf "$thin/www" && mkdir -p "$thin/www"
    mkdir -p "$thin/www$path/dists/bookworm" && cp "$inst/mirror/debian/dists/bookworm/InRelease" "$thin/www$path/dists/bookworm/InRelease"
    release=$(sha256sum "$thin/www$path/dists/bookworm/InRelease" | cut -c1-64)
    thin_entry() {
        for j in $(grep -l '"dist":"bookworm"' "$cache"/*.json 2>/dev/null); do
            grep -q '"installer":"mmdebstrap ' "$j" && grep -q '"packages":\["linux-image-amd64","locales","openssh-server"\]' "$j" \
                && grep -q "\"release-sha256\":\"$release\"" "$j" && grep -q "\"mirror\":\"$mirror\"" "$j" \
                && [ -f "${j%.json}.ext4" ] && [ -f "${j%.json}.tar.zst" ] && { echo "${j%.json}"; return; }
        done
    }
    if [ -z "$(thin_entry)" ]; then
        log "making the bookworm base by mmdebstrap with its ready image"
        rm -rf "$thin/seed"
        "$home/bin/jxen-create-image" --config-dir "$home/etc-xen-tools" --hostname "rigthin-$dom0" --dir "$thin/seed" --output "$thin/seed" \
            --log "$thin/seed.log" --base-cache-dir "$cache" --mirror "$mirror" --dist bookworm --install-method mmdebstrap --size 3G \
            --noswap --dhcp --pygrub --type pv --nohosts --quiet --password rig-only-seed
        rm -rf "$thin/seed"
    fi
    entry=$(thin_entry)
    [ -n "$entry" ] || { echo "rig: no bookworm mmdebstrap base with a ready image against InRelease $release in $cache (see $thin/seed.log)" >&2; exit 3; }
fi

# 2e. For a Debian 13 dom0, on this machine first: Debian 13 as a new user finds it (mmdebstrap's
#     "important" variant, apt sources in deb822 only), in a tree with /dev, /proc and /sys bound in and
#     its root a mount point. There, as the README says: tests/install-deps runtime, then its first
#     command, with the jar built there by Debian 13's Maven and OpenJDK 21 (new-user-13); then the .deb
#     built there installs with apt-get install ./jxen_*.deb, and its /usr/bin/jxen-create-image makes
#     the bookworm base of the thin guests (deb-13). Both bases land in the tree's base-tree cache, made
#     by Debian 13's mmdebstrap (whose version is part of the cache key); the dom0 gets that cache, and
#     serves the InRelease files they were made against for the mirror of its apt sources. The tree
#     (and its Maven and base caches) is kept between runs; the checks run at every run.
host_checks="$rig/host-checks.txt"
: > "$host_checks"
hcheck() { # name, status, detail
    if [ "$2" = 0 ]; then echo "$1: ok $3" >> "$host_checks"; else echo "$1: FAIL $3" >> "$host_checks"; fi
}
if [ "$dom0" = trixie ]; then
    t13="$rig/t13"
    if [ "$(cat "$t13.key" 2>/dev/null)" != "important v2" ]; then
        log "making a Debian 13 tree, as a new machine has it"
        rm -rf "$t13" "$t13.key"
        mmdebstrap --quiet --variant=important trixie "$t13" "$mirror" > "$rig/t13.log" 2>&1 \
            || { echo "rig: mmdebstrap of the Debian 13 tree failed (see $rig/t13.log)" >&2; exit 3; }
        rm -f "$t13/etc/apt/sources.list"
        printf 'Types: deb\nURIs: %s\nSuites: trixie trixie-updates\nComponents: main\nSigned-By: /usr/share/keyrings/debian-archive-keyring.gpg\n' \
            "$mirror" > "$t13/etc/apt/sources.list.d/debian.sources"
        echo "important v2" > "$t13.key"
    fi
    cp -L /etc/resolv.conf "$t13/etc/resolv.conf"
    rm -rf "$t13/root/jxen" && mkdir -p "$t13/root/jxen"
    tar -C "$home" --exclude=./target --exclude=./.git -cf - . | tar -C "$t13/root/jxen" -xf -
    # a script run as root in the tree, in a mount namespace of its own (its mounts end with it), with a
    # new login's environment, not this one's (a JAVA_HOME of this machine's is no path there)
    in13() { # log name, script
        unshare --mount --propagation private -- sh -c 't=$1; shift
            mount --bind "$t" "$t" && mount -t proc proc "$t/proc" && mount --rbind /dev "$t/dev" && mount --rbind /sys "$t/sys" \
                && mount -t tmpfs tmpfs "$t/run" && exec env -i PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin HOME=/root LANG=C.UTF-8 \
                    chroot "$t" sh -c "$1"' sh "$t13" "$2" > "$rig/$1" 2>&1
    }
    # this machine's own certificate authorities (a site's, for its proxy), as a new machine at the same site has them
    if ls /usr/local/share/ca-certificates/*.crt > /dev/null 2>&1; then
        mkdir -p "$t13/usr/local/share/ca-certificates" && cp /usr/local/share/ca-certificates/*.crt "$t13/usr/local/share/ca-certificates/"
        # (an important-variant tree has no ca-certificates yet: a machine installed from media has, so it is added first)
        in13 t13-ca.log 'command -v update-ca-certificates > /dev/null || { apt-get update -q \
                && DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends ca-certificates; } && update-ca-certificates' \
            || { echo "rig: update-ca-certificates failed in the Debian 13 tree (see $rig/t13-ca.log)" >&2; exit 3; }
    fi
    for d in trixie bookworm; do
        mkdir -p "$t13/srv/www$path/dists/$d" && curl -fsS -o "$t13/srv/www$path/dists/$d/InRelease" "$mirror/dists/$d/InRelease"
    done
    log "Debian 13 as a new user: tests/install-deps runtime and the README's first command"
    rm -rf "$t13/srv/jxen" "$t13/etc/xen/demo1.cfg"
    status=0
    in13 t13-readme.log 'cd /root/jxen && tests/install-deps runtime \
        && bin/jxen-create-image --config-dir etc-xen-tools --hostname demo1 --dir /srv/jxen --password rig-only-demo1' || status=$?
    in13 t13-versions.log 'java -version 2>&1 | head -n 1; mvn -v 2>&1 | head -n 1' || true
    said=$(sed -n 's/^Boot *: *//p' "$rig/t13-readme.log")
    ok=0
    { [ "$status" = 0 ] && [ "$said" = "pvgrub2, PVH" ] && [ -f "$t13/srv/jxen/domains/demo1/disk.img" ] && [ -f "$t13/etc/xen/demo1.cfg" ]; } || ok=1
    hcheck new-user-13 $ok "in a Debian $(cat "$t13/etc/debian_version") tree: install-deps and the README's first command, exit $status, boots as '$said'; $(grep -m1 'Distribution' "$rig/t13-readme.log" | tr -s ' '); $(grep -E '^Time ' "$rig/t13-readme.log" | tr -s ' \n' ' '); $(cat "$rig/t13-versions.log" | tr '\n' ' ')"
    in13 t13-delete.log '/root/jxen/bin/jxen-delete-image --dir /srv/jxen demo1' || true
    log "Debian 13: the .deb, installed with apt-get, makes the thin guests' bookworm base"
    status=0
    in13 t13-deb.log 'cd /root/jxen && tests/install-deps deb && packaging/build-deb.sh && cd target && apt-get install -y -q ./jxen_*_all.deb \
        && /usr/bin/jxen-create-image --hostname seed-bookworm --dir /srv/seed --output /srv/seed --dist bookworm --install-method mmdebstrap \
            --size 3G --noswap --dhcp --pygrub --type pv --nohosts --quiet --password rig-only-seed \
        && /usr/bin/jxen-delete-image --dir /srv/seed --output /srv/seed seed-bookworm && apt-get purge -y -q jxen' || status=$?
    ok=0
    { [ "$status" = 0 ] && grep -q 'Setting up jxen' "$rig/t13-deb.log" && [ ! -e "$t13/usr/bin/jxen-create-image" ]; } || ok=1
    hcheck deb-13 $ok "exit $status; $(grep -m1 -o 'Setting up jxen.*' "$rig/t13-deb.log"); $(grep -m1 -o 'Purging configuration files for jxen.*\|Removing jxen.*' "$rig/t13-deb.log")"
    rm -rf "$t13/srv/seed"
    # the InRelease each base was made against; bases made against earlier ones are dropped
    shas=""
    for d in trixie bookworm; do
        sha=$(sha256sum "$t13/srv/www$path/dists/$d/InRelease" | cut -c1-64)
        grep -l "\"dist\":\"$d\"" "$t13"/var/cache/jxen/base/*.json 2>/dev/null | xargs -r grep -q "\"release-sha256\":\"$sha\"" \
            || { echo "rig: the Debian 13 tree's base-tree cache has no $d base against the mirror's current InRelease $sha (see $rig/t13-*.log)" >&2; exit 3; }
        shas="$shas $sha"
    done
    for j in "$t13"/var/cache/jxen/base/*.json; do
        current=no
        for sha in $shas; do grep -q "\"release-sha256\":\"$sha\"" "$j" && current=yes; done
        [ "$current" = yes ] || rm -rf "${j%.json}".*
    done
fi

# 2f. The dom0 image, made by jxen (a guest with its own kernel, plus Xen's toolstack and a JRE), from the
#     mirror the rest comes from. The Debian 13 dom0's key holds the mmdebstrap version of the Debian 13
#     tree, whose cache it gets: jxen's cache key names the mmdebstrap that made an entry, and the
#     dom0's must be the same to find it.
same=""
[ "$dom0" = trixie ] && same="mmdebstrap $(dpkg-query --admindir="$t13/var/lib/dpkg" -W -f '${Version}' mmdebstrap) "
key=$(echo "dom0 v1: $([ "$dom0" = bookworm ] || echo "$dom0 $dom0_size $same")$dom0_packages" | sha256sum | cut -c1-16)
# host names of the rig's own runs of jxen here carry the dom0's release, so that the two rigs can run at
# once (by hand; XenRigIT runs them one after the other): jxen allows one run per host name
img="$rig/images/domains/rigdom0-$dom0/disk.img"
if [ "$(cat "$rig/dom0.key" 2>/dev/null)" != "$key" ] || [ ! -f "$img" ]; then
    log "building the dom0 image with jxen (key $key)"
    rm -rf "$rig/images" "$rig/cfg" "$rig/dom0.key"
    "$home/bin/jxen-create-image" --config-dir "$home/etc-xen-tools" --hostname "rigdom0-$dom0" --dir "$rig/images" \
        --output "$rig/cfg" --log "$rig/dom0-create.log" --base-cache-dir "$cache" --mirror "$mirror" --dist "$dom0" --size "$dom0_size" --noswap \
        --memory 768M --dhcp --pygrub --password rig-only-dom0 --nohosts --role packages --role-args "$dom0_packages" --quiet
    echo "$key" > "$rig/dom0.key"
fi

# 3. Put this build of jxen, the rig's init and test, and the base trees into the dom0.
mnt=$(mktemp -d /run/jxen-rig.XXXXXX)
cleanup() { mountpoint -q "$mnt" && umount "$mnt"; rmdir "$mnt" 2>/dev/null || true; }
trap cleanup EXIT
mount -o loop "$img" "$mnt"
rm -rf "$mnt/opt/jxen" && mkdir -p "$mnt/opt/jxen/target" "$mnt/opt/jxen-rig" "$mnt/srv"
cp -r "$home/bin" "$home/templates" "$home/hooks" "$home/roles" "$home/libexec" "$home/etc-xen-tools" "$mnt/opt/jxen/"
cp "$home/target/jxen.jar" "$mnt/opt/jxen/target/"
install -m 0755 "$here/rig-init" "$mnt/sbin/rig-init"
install -m 0755 "${JXEN_RIG_TEST:-$here/$default_test}" "$mnt/opt/jxen-rig/dom0-test.sh"
install -m 0644 "$here/rig-lib.sh" "$here/dom0-installer.sh" "$here/dom0-thin.sh" "$here/dom0-paths.sh" "$here/dom0-ansible.sh" "$here/mirror-relay.py" "$mnt/opt/jxen-rig/"
# the mirror by address (the dom0 has no resolver) and the name it answers to, for mirror-relay.py
mirror_host=$(echo "$mirror" | sed -E 's|^https?://([^/:]+).*|\1|')
echo "$(echo "$mirror" | sed -E "s|^(https?://)[^/:]+|\1$(getent ahostsv4 "$mirror_host" | awk 'NR == 1 { print $1 }')|") $mirror_host" > "$mnt/srv/upstream"
rm -rf "$mnt/srv/mirror" "$mnt/var/cache/jxen/installer" && cp -r "$inst/mirror" "$mnt/srv/mirror"
mkdir -p "$mnt/var/cache/jxen" && cp -r "$inst/cache" "$mnt/var/cache/jxen/installer"
rm -rf "$mnt/srv/base.tar.zst" "$mnt/srv/g212" "$mnt/srv/grub-xen-2.12"
if [ "$dom0" = trixie ]; then
    # the dom0's own base-tree cache (the README's command names none; entries are named by their key, so
    # one of the same name is the same), and what it serves as the mirror
    mkdir -p "$mnt/var/cache/jxen/base"
    for f in "$mnt"/var/cache/jxen/base/*; do
        [ -e "$f" ] && { [ -e "$t13/var/cache/jxen/base/${f##*/}" ] || rm -rf "$f"; }
    done
    for f in "$t13"/var/cache/jxen/base/*; do
        [ -e "$mnt/var/cache/jxen/base/${f##*/}" ] || cp -r --sparse=always "$f" "$mnt/var/cache/jxen/base/"
    done
    rm -rf "$mnt/srv/www13" && cp -r "$t13/srv/www" "$mnt/srv/www13" && echo "$mirror" > "$mnt/srv/www13/mirror"
    rm -rf "$mnt/srv/base-cache"
else
    k=$(basename "$entry")
    if [ ! -f "$mnt/srv/base-cache/$k.ext4" ]; then
        rm -rf "$mnt/srv/base-cache" && mkdir -p "$mnt/srv/base-cache"
        cp "$entry.json" "$entry.tar.zst" "$mnt/srv/base-cache/" && cp --sparse=always "$entry.ext4" "$mnt/srv/base-cache/"
    fi
    rm -rf "$mnt/srv/base-cache/www" && cp -r "$thin/www" "$mnt/srv/base-cache/www" && echo "$mirror" > "$mnt/srv/base-cache/mirror"
fi
cmp -s "$bookworm" "$mnt/srv/bookworm.tar.zst" || cp "$bookworm" "$mnt/srv/bookworm.tar.zst"
cmp -s "$trixie" "$mnt/srv/trixie.tar.zst" || cp "$trixie" "$mnt/srv/trixie.tar.zst"
if [ "$dom0" = trixie ]; then
    cmp -s "$forky" "$mnt/srv/forky.tar.zst" || cp "$forky" "$mnt/srv/forky.tar.zst"
    # this machine as the Ansible controller (ansible-controller.sh): its key may log in as root, and
    # the dom0's host key is pinned for the port QEMU forwards to the dom0's sshd
    ctl="$rig/ansible" && rm -rf "$ctl" && mkdir -p "$ctl/tmp" && ssh-keygen -q -t ed25519 -N '' -C rig-controller -f "$ctl/id"
    mkdir -p -m 0700 "$mnt/root/.ssh" && install -m 0600 "$ctl/id.pub" "$mnt/root/.ssh/authorized_keys"
    ansible_port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
    echo "[127.0.0.1]:$ansible_port $(cut -d' ' -f1,2 "$mnt/etc/ssh/ssh_host_ed25519_key.pub")" > "$ctl/known_hosts"
else
    rm -f "$mnt/srv/forky.tar.zst"
fi
# no udev in the rig's dom0: LVM makes its device nodes itself
sed -i -e 's/^\(\s*\)#\?\s*udev_sync = .*/\1udev_sync = 0/' -e 's/^\(\s*\)#\?\s*udev_rules = .*/\1udev_rules = 0/' "$mnt/etc/lvm/lvm.conf"
cp "$(ls "$mnt"/boot/vmlinuz-* | sort -V | tail -n 1)" "$rig/vmlinuz"
cp "$(ls "$mnt"/boot/initrd.img-* | sort -V | tail -n 1)" "$rig/initrd.img"
umount "$mnt"

# 4. Fresh data (LVM) and results disks, the hypervisor, and the boot.
rm -f "$rig/data.img" "$rig/results.img" "$rig/xen-serial.log"
truncate -s 9G "$rig/data.img"
truncate -s 64M "$rig/results.img" && mkfs.ext4 -q -F "$rig/results.img"
zcat "$hypervisor" > "$rig/xen.elf"
log "booting Xen $xenver and the Debian $dom0 dom0 under QEMU"
cd "$rig"
set +e
net="-nic none"
[ "${JXEN_RIG_NET:-}" = 1 ] && net="-nic user,model=virtio-net-pci"
# the Debian 13 dom0's sshd, for the Ansible controller: a port on this machine's loopback forwarded to it,
# and nothing else (restrict=on: the dom0 reaches neither this machine nor beyond)
if [ "$dom0" = trixie ]; then
    net="-nic user,model=virtio-net-pci,hostfwd=tcp:127.0.0.1:$ansible_port-:22"
    [ "${JXEN_RIG_NET:-}" = 1 ] || net="$net,restrict=on"
fi
timeout "${JXEN_RIG_TIMEOUT:-3600}" qemu-system-x86_64 -accel tcg,thread=multi -cpu qemu64,+svm,+npt -smp 2 -m 2048 -kernel xen.elf \
    -append 'console=com1 com1=115200 dom0_mem=768M,max:768M noreboot guest_loglvl=all conring_size=1m' \
    -initrd "vmlinuz console=hvc0 root=/dev/vda rw init=/sbin/rig-init,initrd.img" \
    -drive file="$img",format=raw,if=virtio,snapshot=on -drive file=data.img,format=raw,if=virtio \
    -drive file=results.img,format=raw,if=virtio -display none $net -serial file:xen-serial.log -no-reboot &
qemu_pid=$!
if [ "$dom0" = trixie ]; then
    # in a session of its own, so that its ansible-playbook and ssh end with it
    setsid "$here/ansible-controller.sh" "$ansible_port" "$ctl/id" "$ctl/known_hosts" "$ctl" "$host_checks" "$qemu_pid" > "$ctl/controller.log" 2>&1 &
    controller=$!
fi
wait "$qemu_pid"
qemu=$?
[ -n "${controller:-}" ] && { kill -- "-$controller" 2>/dev/null; wait "$controller"; }
set -e
log "QEMU ended with status $qemu"

# 5. The results.
rm -rf "$rig/results" && mkdir -p "$rig/results"
mount -o loop,ro,noload results.img "$mnt"
cp -r "$mnt"/. "$rig/results/" 2>/dev/null || true
umount "$mnt"
# the checks made on this machine before the boot
[ -f "$rig/results/result.txt" ] && cat "$host_checks" >> "$rig/results/result.txt"
cat "$rig/results/result.txt" 2>/dev/null || echo "rig: no results (see $rig/xen-serial.log)"
# the checks the dom0's script names ("# check:" lines), and on Debian 13 those made on this machine
expected="$(sed -n 's/^# check: //p' "$here/$default_test")"
[ "$dom0" = trixie ] && expected="new-user-13 deb-13 $(sed -n 's/^# check: //p' "$here/ansible-controller.sh") $expected"
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
        results/create-thin1.log results/create-thin2.log results/guest-thin1.log results/thin-http.log \
        results/create-d13.log results/guest-d13.log results/create-g13.log results/guest-g13.log results/www13-http.log \
        results/create-f13.log results/guest-f13.log t13-readme.log t13-deb.log t13-ca.log ansible/controller.log; do
        [ -f "$rig/$f" ] && { echo "===== $f (last 60 lines)"; tail -n 60 "$rig/$f"; }
    done
    exit 1
fi
echo "rig: all checks passed"
