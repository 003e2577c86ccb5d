# -*- coding: utf-8 -*-
# Copyright: jxen developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import (absolute_import, division, print_function)
__metaclass__ = type


class ModuleDocFragment(object):
    """Where jxen and the guests' .cfg files are on the dom0: options every module of the collection takes."""

    DOCUMENTATION = r'''
options:
  output:
    description: The directory of the C(.cfg) files (C(--output)); by default as in xen-tools.conf, else C(/etc/xen).
    type: path
  extension:
    description: The suffix of the C(.cfg) files (C(--extension)).
    type: str
  config_dir:
    description: The configuration directory instead of C(/etc/xen-tools) (C(--config-dir)).
    type: path
  bindir:
    description: The directory of jxen's commands; by default they are looked up on the PATH.
    type: path
'''
