# Sourced by jxen's hooks: changes to the guest are made inside it, through chroot, so that every
# path is the guest's own and a link in an untrusted guest cannot lead a write into the dom0.
# Local hooks can use it too: . "$JXEN_HOOK_LIB"

# in_guest ROOT SCRIPT [ARG]...: runs the shell SCRIPT inside the guest, with ARGs as $1...
in_guest() {
    _root=$1; _script=$2; shift 2
    chroot "$_root" /bin/sh -c "$_script" in_guest "$@"
}

# guest_write ROOT PATH MODE < CONTENT: writes standard input to PATH in the guest, replacing it
guest_write() {
    in_guest "$1" 'set -e; mkdir -p "$(dirname "$1")"; t=$(mktemp "$1.XXXXXX"); cat > "$t"; chmod "$2" "$t"; mv -f "$t" "$1"' "$2" "$3"
}

# guest_has_shell ROOT: true if the guest can run the functions above (not with --install=0 on an empty disk)
guest_has_shell() {
    chroot "$1" /bin/sh -c true 2>/dev/null
}
