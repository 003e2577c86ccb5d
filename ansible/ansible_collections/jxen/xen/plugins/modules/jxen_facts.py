#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: jxen developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import (absolute_import, division, print_function)
__metaclass__ = type

DOCUMENTATION = r'''
---
module: jxen_facts
short_description: The Xen guests of a dom0, from jxen-list-images
description:
  - Sets the fact C(jxen_guests) to the guests whose C(.cfg) files C(jxen-list-images --json) finds on
    the dom0 the task runs on, with their memory, vcpus, disks, addresses, MAC and state
    (C(running), C(stopped), or C(unknown) where xl cannot tell).
version_added: 0.1.0
author: jxen developers (@jxen)
requirements:
  - jxen on the dom0
attributes:
  check_mode:
    support: full
    description: Reads only.
  diff_mode:
    support: none
    description: Reads only.
  facts:
    support: full
    description: Sets C(jxen_guests).
extends_documentation_fragment:
  - jxen.xen.dom0
seealso:
  - module: jxen.xen.jxen_guest
'''

EXAMPLES = r'''
- name: What runs where
  jxen.xen.jxen_facts:

- name: Say so
  ansible.builtin.debug:
    msg: "{{ jxen_guests | selectattr('state', 'equalto', 'running') | map(attribute='name') | list }}"
'''

RETURN = r'''
ansible_facts:
  description: The facts this module sets.
  returned: always
  type: dict
  contains:
    jxen_guests:
      description: One item per guest, as C(jxen-list-images --json) prints it.
      returned: always
      type: list
      elements: dict
      sample:
        - name: web1
          memory: "1024"
          vcpus: "1"
          disks: [/dev/vg0/web1-disk, /dev/vg0/web1-swap]
          ip: 192.0.2.10
          dhcp: false
          mac: 00:16:3E:12:34:56
          state: running
          cfg: /etc/xen/web1.cfg
'''

from ansible.module_utils.basic import AnsibleModule
from ansible_collections.jxen.xen.plugins.module_utils.jxen import command, error_text, json_document


def main():
    module = AnsibleModule(argument_spec=dict(
        output=dict(type='path'),
        extension=dict(type='str'),
        config_dir=dict(type='path'),
        bindir=dict(type='path'),
    ), supports_check_mode=True)
    argv = [command(module, 'jxen-list-images'), '--json']
    for name, option in (('output', '--output'), ('extension', '--extension'), ('config_dir', '--config-dir')):
        if module.params.get(name) is not None:
            argv.extend([option, module.params[name]])
    rc, out, err = module.run_command(argv, environ_update={'LC_ALL': 'C.UTF-8'})
    if rc != 0:
        module.fail_json(msg='jxen-list-images failed (exit %d): %s' % (rc, error_text(err)), rc=rc)
    guests = json_document(module, out, 'jxen-list-images --json')
    module.exit_json(changed=False, ansible_facts=dict(jxen_guests=guests))


if __name__ == '__main__':
    main()
