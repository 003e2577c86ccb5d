#!/usr/bin/env bash
# Benchmark: the same guest made by jxen (cold with debootstrap and with mmdebstrap, warm, warm on an
# XFS filesystem where the root is a reflink clone, and 8 warm creates at once) and by Debian's
# xen-create-image, in one run on one machine, with medians and ratios. Prints figures; asserts
# nothing. Run as root:
#
#   tests/bench/create-bench.sh [WARM_RUNS] [XEN_TOOLS_RUNS] [PARALLEL]      (defaults: 5, 1 and 8)
#
# The guest: --dir, bookworm, 2G root, 256M swap, 256M memory, DHCP, booted with a dom0 kernel
# (a stand-in file: this machine has no Xen kernel), so neither tool installs a guest kernel.
# The mirror is the one this machine's apt uses. Both run with --cache no: xen-tools 4.9.2 otherwise copies
# the whole host apt cache into the guest (and runs out of space on a host with a large one).
set -euo pipefail
warm_runs=${1:-5}
xt_runs=${2:-1}
parallel=${3:-8}
home=$(cd "$(dirname "$0")/../.." && pwd)
work=$(mktemp -d /var/tmp/jxen-bench.XXXXXX)
cleanup() { mountpoint -q "$work/xfs" && umount "$work/xfs"; rm -rf "$work"; }
trap cleanup EXIT
mkdir -p "$work/out" "$work/xt-out" "$work/cache"
echo standin > "$work/vmlinuz"; echo standin > "$work/initrd.img"

jxen="$home/bin/jxen-create-image"
"$home/bin/jxen" --version >/dev/null   # builds the jar if needed, outside the timings
mirror=$("$jxen" --config-dir "$home/etc-xen-tools" --hostname probe --dir "$work/d" --dist bookworm --dry-run --json \
    | sed -n 's/.*"mirror":"\([^"]*\)".*/\1/p')
[ -n "$mirror" ] || { echo "could not find the mirror from the apt sources" >&2; exit 1; }
common=(--dist bookworm --size 2G --swap 256M --memory 256M --dhcp --cache no)

seconds() { local t0 t1; t0=$(date +%s.%N); "$@" >"$work/last.log" 2>&1 || { cat "$work/last.log" >&2; return 1; }; t1=$(date +%s.%N); awk -v a="$t0" -v b="$t1" 'BEGIN{printf "%.2f\n", b-a}'; }
median() { sort -n | awk '{a[NR]=$1} END {if (NR%2) print a[(NR+1)/2]; else printf "%.2f\n", (a[NR/2]+a[NR/2+1])/2}'; }

jx() { # host, extra args...
    local host=$1; shift
    "$jxen" --config-dir "$home/etc-xen-tools" --hostname "$host" --dir "$work/jx" --output "$work/out" \
        --log "$work/$host.log" --base-cache-dir "$work/cache" --nopygrub --kernel "$work/vmlinuz" "${common[@]}" "$@"
}
forget() { rm -rf "$work/jx/domains/$1" "$work/out/$1.cfg"; }

echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GiB, $(. /etc/os-release; echo "$PRETTY_NAME"), mirror $mirror"
echo "date:    $(date -u +%Y-%m-%dT%H:%MZ)"

cold=$(seconds jx cold1 --no-base-cache --install-method debootstrap); forget cold1
coldmm=$(seconds jx cold2 --no-base-cache --install-method mmdebstrap); forget cold2
# the default method from here on: mmdebstrap where it is installed
fill=$(seconds jx fill1); forget fill1
: > "$work/warm.txt"
for i in $(seq "$warm_runs"); do seconds jx "warm$i" >> "$work/warm.txt"; forget "warm$i"; done
warm=$(median < "$work/warm.txt")

# warm on XFS (made in a file), with the cache on it: the root is a reflink clone of the ready image
reflink=
if command -v mkfs.xfs >/dev/null; then
    truncate -s 12G "$work/xfs.img" && mkfs.xfs -q -f "$work/xfs.img" && mkdir -p "$work/xfs" && mount -o loop "$work/xfs.img" "$work/xfs"
    cp -a "$work/cache" "$work/xfs/cache"
    : > "$work/xfs.txt"
    for i in $(seq "$warm_runs"); do
        seconds "$jxen" --config-dir "$home/etc-xen-tools" --hostname "xfs$i" --dir "$work/xfs/jx" --output "$work/out" \
            --log "$work/xfs$i.log" --base-cache-dir "$work/xfs/cache" --nopygrub --kernel "$work/vmlinuz" "${common[@]}" >> "$work/xfs.txt"
        grep -q "as a reflink clone" "$work/xfs$i.log" || { echo "xfs$i: the root was not a reflink clone" >&2; exit 1; }
        rm -rf "$work/xfs/jx/domains/xfs$i" "$work/out/xfs$i.cfg"
    done
    reflink=$(median < "$work/xfs.txt")
fi
grep -q "as a sparse copy" "$work/warm1.log" && warm_how="root a sparse copy of the ready image" || warm_how="base-tree cache"

# PARALLEL warm creates of different guests at once, timed from the first start to the last end
many() {
    local pids=() i rc=0
    for i in $(seq "$parallel"); do jx "par$i" >"$work/par$i.out" 2>&1 & pids+=($!); done
    for i in "${pids[@]}"; do wait "$i" || rc=1; done
    [ "$rc" = 0 ] || { cat "$work"/par*.out >&2; return 1; }
}
par=$(seconds many)
for i in $(seq "$parallel"); do forget "par$i"; done

: > "$work/xt.txt"
if command -v xen-create-image >/dev/null; then
    for i in $(seq "$xt_runs"); do
        seconds xen-create-image --hostname "xtb$i" --dir "$work/xt" --output "$work/xt-out" --mirror "$mirror" \
            --kernel "$work/vmlinuz" --initrd "$work/initrd.img" --genpass 0 --password bench-only --noboot "${common[@]}" >> "$work/xt.txt"
        rm -rf "$work/xt/domains/xtb$i" "$work/xt-out/xtb$i.cfg" "/var/log/xen-tools/xtb$i.log"
    done
fi
xt=$(median < "$work/xt.txt" || true)

printf '\n%-58s %6s %10s\n' "run" "runs" "median s"
printf '%-58s %6s %10.1f\n' "jxen cold (debootstrap, --no-base-cache)" 1 "$cold"
printf '%-58s %6s %10.1f\n' "jxen cold (mmdebstrap, --no-base-cache)" 1 "$coldmm"
printf '%-58s %6s %10.1f\n' "jxen first create (default method + store)" 1 "$fill"
printf '%-58s %6s %10.1f\n' "jxen warm ($warm_how)" "$warm_runs" "$warm"
[ -z "$reflink" ] || printf '%-58s %6s %10.1f\n' "jxen warm on XFS (root a reflink clone)" "$warm_runs" "$reflink"
printf '%-58s %6s %10.1f\n' "jxen $parallel warm creates at once (wall)" 1 "$par"
[ -z "$xt" ] || printf '%-58s %6s %10.1f\n' "xen-create-image 4.9.2 (debootstrap)" "$xt_runs" "$xt"
echo
awk -v p="$par" -v w="$warm" -v n="$parallel" 'BEGIN{printf "%d warm creates at once / one warm create: %.1fx\n", n, p/w}'
if [ -n "$xt" ]; then
    awk -v x="$xt" -v c="$cold" -v m="$coldmm" -v w="$warm" 'BEGIN{printf "jxen cold debootstrap / xen-tools: %.2fx\njxen cold mmdebstrap / xen-tools: %.2fx\njxen warm / xen-tools: %.3fx\n", c/x, m/x, w/x}'
    [ -z "$reflink" ] || awk -v x="$xt" -v r="$reflink" 'BEGIN{printf "jxen warm on XFS (reflink) / xen-tools: %.3fx\n", r/x}'
else
    echo "(xen-tools is not installed: apt-get install xen-tools for the comparison)"
fi
