#!/usr/bin/env bash
# Builds target/jxen-xen-VERSION.tar.gz, the Ansible collection jxen.xen (ansible/), with
# ansible-galaxy, and prints its path: 'ansible-galaxy collection install PATH' installs it.
set -euo pipefail
home=$(cd "$(dirname "$0")/.." && pwd)
mkdir -p "$home/target"
ansible-galaxy collection build --force --output-path "$home/target" "$home/ansible/ansible_collections/jxen/xen" >&2
version=$(sed -n 's/^version: *//p' "$home/ansible/ansible_collections/jxen/xen/galaxy.yml")
echo "$home/target/jxen-xen-$version.tar.gz"
