# -*- coding: utf-8 -*-
# Copyright: jxen developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""What the jxen modules share: finding jxen's commands and reading what they print."""

from __future__ import (absolute_import, division, print_function)
__metaclass__ = type

import glob
import json
import os


def command(module, name):
    """The path of one of jxen's commands: in the bindir option when it is set, else on the PATH."""
    bindir = module.params.get('bindir')
    if bindir:
        path = os.path.join(bindir, name)
        if not os.access(path, os.X_OK):
            module.fail_json(msg='%s is not an executable jxen command (from bindir)' % path)
        return path
    return module.get_bin_path(name, required=True)


def xl(module):
    """The xl that jxen itself uses: JXEN_XL, else Debian's real xl under /usr/lib/xen-*, else xl on the PATH.

    Debian's /usr/sbin/xl is a wrapper that wants /sys/hypervisor, hence the search.
    """
    if module.params.get('xl'):
        return module.params['xl']
    if os.environ.get('JXEN_XL'):
        return os.environ['JXEN_XL']
    found = sorted(glob.glob('/usr/lib/xen-*/bin/xl'))
    if found:
        return found[-1]
    return module.get_bin_path('xl', required=True)


def error_text(stderr):
    """jxen's error and hint lines, which say what was wrong and what to do; else the end of its output."""
    lines = [line.strip() for line in stderr.splitlines() if ': error: ' in line or ': hint: ' in line or line.startswith('warning: ')]
    return ' '.join(lines) if lines else stderr.strip()[-2000:]


def warnings(stderr):
    """The warnings jxen printed (an option it accepts but warns about, by name)."""
    return [line[len('warning: '):].strip() for line in stderr.splitlines() if line.startswith('warning: ')]


def json_document(module, stdout, what):
    """The one JSON document a --dry-run --json or a listing prints."""
    try:
        return json.loads(stdout)
    except ValueError:
        module.fail_json(msg='%s did not print one JSON document' % what, stdout=stdout[-2000:])


def json_events(stdout):
    """The NDJSON events of a run, in order; lines that are not JSON objects are skipped."""
    events = []
    for line in stdout.splitlines():
        line = line.strip()
        if line.startswith('{'):
            try:
                events.append(json.loads(line))
            except ValueError:
                continue
    return events


def summary(events):
    """The last summary event of a run, or None."""
    found = [e for e in events if e.get('event') == 'summary']
    return found[-1] if found else None
