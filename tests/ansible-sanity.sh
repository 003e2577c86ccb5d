#!/usr/bin/env bash
# Runs every test of 'ansible-test sanity' on the collection jxen.xen, with Debian's Python.
#
# ansible-test makes a virtual environment for each test that needs Python packages, bootstraps
# pip into it from the internet and installs its pinned requirements from PyPI; neither can be
# reached from these machines. A test's environment is used as it is once it holds a marker.txt,
# so for each such test this script makes the environment ansible-test asks for from Debian's
# packages (python3 -m venv --system-site-packages: pylint, pycodestyle, yamllint, voluptuous,
# PyYAML, Jinja2 from tests/install-deps) and marks it. The versions are Debian 12's, not
# ansible-test's pins; the checks are ansible-test's own.
set -euo pipefail
collection=$(cd "$(dirname "$0")/../ansible/ansible_collections/jxen/xen" && pwd)
cd "$collection"
python=/usr/bin/python3
sanity() { ansible-test sanity --python-interpreter "$python" --python "$($python -c 'import sys; print("%d.%d" % sys.version_info[:2])')" "$@"; }
# ansible-core 2.19's validate-modules (Debian 13's) imports antsibull_docs_parser, which Debian does
# not package and PyPI is out of reach: there, that one test is left out, and said so.
skip=()
vm=$("$python" -c 'import ansible_test, os; print(os.path.dirname(ansible_test.__file__))')/_util/controller/sanity/validate-modules/validate_modules/main.py
if grep -qs antsibull_docs_parser "$vm" && ! "$python" -c 'import antsibull_docs_parser' 2> /dev/null; then
    echo "ansible-sanity: skipping validate-modules: this ansible-test ($(ansible-test --version)) needs the Python module antsibull_docs_parser, which Debian $(cat /etc/debian_version) does not package"
    skip=(--skip-test validate-modules)
fi
# A test may ask for more than one environment, one after the other (import: one for the modules,
# then one for the plugins), so each test runs again until it needs none that is missing.
for test in $(ansible-test sanity --list-tests 2>/dev/null); do
    [ "${#skip[@]}" -gt 0 ] && [ "$test" = validate-modules ] && continue
    for attempt in 1 2 3 4 5; do
        out=$(sanity --test "$test" 2>&1) && continue 2
        venv=$(printf '%s\n' "$out" | sed -n 's/^FATAL: Python [0-9.]* at "\(.*\)\/bin\/python" does not have pip available.*/\1/p')
        if [ -z "$venv" ] || [ -e "$venv/marker.txt" ]; then
            printf '%s\n' "$out" >&2
            echo "ansible-sanity: test $test failed" >&2
            exit 1
        fi
        rm -rf "$venv"
        "$python" -m venv --system-site-packages --without-pip "$venv"
        echo '[]' > "$venv/meta.install.json"
        echo '{"yaml_version": [6, 0], "cloader": true}' > "$venv/meta.yaml.json"
        echo "made from Debian's packages by $0" > "$venv/marker.txt"
    done
    echo "ansible-sanity: test $test still asks for an environment after 5 were made" >&2
    exit 1
done
sanity "${skip[@]}"
rm -rf "$collection/tests/output"
