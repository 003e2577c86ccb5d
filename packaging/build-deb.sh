#!/usr/bin/env bash
# Builds target/jxen_VERSION_all.deb from target/jxen.jar: the jar, templates, hooks, roles and
# built-in defaults under /usr/share/jxen, launchers in /usr/bin, man pages generated from the
# picocli model (picocli-codegen, then asciidoctor), and bash completion (picocli.AutoComplete).
# Run after 'mvn package'; needs dpkg-deb, asciidoctor and Maven (for picocli-codegen).
set -euo pipefail
home=$(cd "$(dirname "$0")/.." && pwd)
cd "$home"
[ -f target/jxen.jar ] || { echo "build-deb: run 'mvn package' first" >&2; exit 1; }
version=$(sed -n 's/^version=//p' target/classes/jxen-version.properties)
debversion=${version/-SNAPSHOT/~snapshot}
tools=target/tools
[ -f "$tools/picocli-codegen-4.7.7.jar" ] || mvn -B -q -Dstyle.color=never dependency:copy -Dartifact=info.picocli:picocli-codegen:4.7.7 -DoutputDirectory="$tools" >&2
root=target/deb/root
rm -f target/jxen_*_all.deb
rm -rf target/deb && mkdir -p "$root/DEBIAN" "$root/usr/bin" "$root/usr/share/jxen" "$root/usr/share/man/man1" \
    "$root/usr/share/bash-completion/completions" "$root/usr/share/doc/jxen" "$root/etc/xen-tools/profiles"

cp target/jxen.jar "$root/usr/share/jxen/"
cp -r templates hooks roles libexec etc-xen-tools "$root/usr/share/jxen/"
install -m 0755 packaging/jxen.launcher "$root/usr/bin/jxen"
for c in create-image list-images delete-image update-image resize-image create-nfs; do
    printf '#!/bin/sh\nexec /usr/bin/jxen %s "$@"\n' "$c" > "$root/usr/bin/jxen-$c"
    chmod 0755 "$root/usr/bin/jxen-$c"
done
# jxen's profiles are its own; xen-tools' files in /etc/xen-tools are never shipped or replaced
cp etc-xen-tools/profiles/*.conf "$root/etc/xen-tools/profiles/"

# man pages: AsciiDoc from the picocli model, then roff
cp="target/jxen.jar:$tools/picocli-codegen-4.7.7.jar"
java -cp "$cp" picocli.codegen.docgen.manpage.ManPageGenerator -d target/deb/adoc dev.jxen.cli.JxenCommandTree
for adoc in target/deb/adoc/*.adoc; do
    asciidoctor -b manpage -a "mansource=jxen $version" -a manmanual="jxen manual" -D target/deb/man "$adoc"
done
for page in target/deb/man/*.1; do
    gzip -9n < "$page" > "$root/usr/share/man/man1/$(basename "$page").gz"
done

# bash completion, for jxen and for the xen-tools style names
export JXEN_CONFIG_DIR="$home/etc-xen-tools"   # complete the dists and profiles jxen ships
java -cp target/jxen.jar picocli.AutoComplete --force -n jxen -o "$root/usr/share/bash-completion/completions/jxen" dev.jxen.cli.JxenCommandTree
for c in create-image list-images delete-image update-image resize-image create-nfs; do
    cls=$(echo "$c" | sed -E 's/(^|-)([a-z])/\U\2/g')Command
    java -cp target/jxen.jar picocli.AutoComplete --force -n "jxen-$c" -o "$root/usr/share/bash-completion/completions/jxen-$c" "dev.jxen.cli.$cls"
done

cp README.md "$root/usr/share/doc/jxen/"
size=$(du -sk "$root" | cut -f1)
cat > "$root/DEBIAN/control" <<CONTROL
Package: jxen
Version: $debversion
Architecture: all
Maintainer: jxen developers <jxen@localhost>
Installed-Size: $size
Depends: default-jre-headless (>= 2:1.17) | java17-runtime-headless, debootstrap, gpgv, debian-archive-keyring, e2fsprogs, openssh-client, tar, mount, util-linux (>= 2.32), bubblewrap, socat, iproute2
Recommends: mmdebstrap, lvm2, xen-utils, zstd, xfsprogs, btrfs-progs, grub-xen-host, libtext-template-perl
Suggests: xen-tools, apt-cacher-ng
Section: admin
Priority: optional
Description: provision Xen guests, a drop-in rewrite of xen-tools
 jxen-create-image makes Xen domUs the way xen-tools' xen-create-image does, with the same
 options, /etc/xen-tools configuration, hooks and roles, and a base-tree cache that makes a
 create take seconds. It rolls back everything on failure and never logs a password.
CONTROL
(cd "$root" && find etc -type f | sed 's|^|/|') > "$root/DEBIAN/conffiles"
out="target/jxen_${debversion}_all.deb"
dpkg-deb --root-owner-group -Zxz --build "$root" "$out" >/dev/null
echo "$home/$out"
