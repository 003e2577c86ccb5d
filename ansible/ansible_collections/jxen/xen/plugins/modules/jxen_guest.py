#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: jxen developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import (absolute_import, division, print_function)
__metaclass__ = type

DOCUMENTATION = r'''
---
module: jxen_guest
short_description: A Xen guest on a dom0, made with jxen-create-image
description:
  - Makes, replaces, starts, stops or deletes one Xen guest (domU) on the dom0 the task runs on, with
    C(jxen-create-image) and C(jxen-delete-image).
  - Each setting is named as the long option of C(jxen-create-image), with C(-) written C(_); settings
    not given come from the dom0's C(/etc/xen-tools) as they would on the command line. C(extra_args)
    passes any other option.
  - A guest is the same when the C(.cfg) jxen would write for the task's settings equals the one in
    place, byte for byte (the C(.cfg) names the release, memory, vcpus, disks, network and boot).
    Settings that only shape what is installed on the guest's disks (roles, hooks, passwords) are
    not compared, since once a guest has run its disks are its own.
  - A guest whose C(.cfg) differs is reported with the difference and the task fails; it is
    replaced only with C(force=true), which makes its disks anew.
  - Check mode runs C(jxen-create-image --dry-run --json) and changes nothing; with C(--diff) the
    C(.cfg) that would be written is shown against the one in place.
  - A generated root password goes to C(password_file) on the dom0 (mode 0600) and never into
    the task's result or Ansible's output.
version_added: 0.1.0
author: jxen developers (@jxen)
requirements:
  - jxen on the dom0 (the C(jxen) Debian package, see role C(jxen.xen.dom0))
attributes:
  check_mode:
    support: full
    description: Runs the create as C(--dry-run --json); nothing is made, started, stopped or removed.
  diff_mode:
    support: full
    description: The C(.cfg) in place against the one the task's settings give.
options:
  hostname:
    description: The guest's host name; its C(.cfg) is C(OUTPUT/HOSTNAME.cfg).
    type: str
    required: true
  state:
    description:
      - C(present) makes the guest when there is none; C(started) also starts it (C(--boot) for a new
        guest, C(xl create) for a stopped one); C(stopped) shuts it down (C(xl shutdown -w)) when it
        runs; C(absent) deletes its storage and C(.cfg) with C(jxen-delete-image).
      - A guest whose state xl cannot tell is neither started, stopped nor deleted.
    type: str
    choices: [present, absent, started, stopped]
    default: present
  force:
    description: Replace a guest whose C(.cfg) differs from the task's (C(jxen-create-image --force)).
    type: bool
    default: false
  xl:
    description: The xl to start and stop guests with; by default the one jxen uses (C(JXEN_XL), Debian's under C(/usr/lib/xen-*), else the PATH).
    type: path
  stop_timeout:
    description: Seconds to wait for a guest to shut down with C(state=stopped); past them the task fails and the guest runs on.
    type: int
    default: 300
  password:
    description: The root password, passed to jxen on its standard input (never on a command line).
    type: str
  password_file:
    description:
      - Where a generated root password is written on the dom0, mode 0600, once the guest is made.
      - Defaults to C(/var/lib/jxen/passwords/HOSTNAME). C(state=absent) removes it with the guest.
    type: path
  extra_args:
    description:
      - Further options of C(jxen-create-image), each its own item (C([--vlan, '20'])).
      - Options the module sets itself (C(--json), C(--dry-run), C(--force), C(--boot), C(--hostname) and the password options) are refused here.
    type: list
    elements: str
    default: []
  dir:
    description: Images under DIR/domains/HOSTNAME (C(--dir)).
    type: path
  lvm:
    description: Logical volumes in this volume group (C(--lvm)).
    type: str
  lvm_thin:
    description: Thin volumes in this thin pool of C(lvm) (C(--lvm_thin)).
    type: str
  zpool:
    description: ZFS volumes in this pool (C(--zpool)).
    type: str
  dist:
    description: The release to install, for example C(bookworm) or C(trixie) (C(--dist)).
    type: str
  arch:
    description: The Debian architecture (C(--arch)).
    type: str
  mirror:
    description: The Debian mirror (C(--mirror)); by default guessed from the dom0's apt sources.
    type: str
  install_method:
    description: C(debootstrap), C(mmdebstrap), C(tar), C(copy) or C(installer) (the Debian Installer, preseeded) (C(--install-method)).
    type: str
  install_source:
    description: The tarball or tree of C(install_method=tar) or C(copy) (C(--install-source)).
    type: str
  apt_proxy:
    description: The apt proxy of the install and of the guest (C(--apt_proxy)).
    type: str
  kernel:
    description: The dom0 kernel a guest booted by the dom0 starts (C(--kernel)).
    type: str
  initrd:
    description: Its initrd (C(--initrd)).
    type: str
  pygrub:
    description: Boot with pygrub (C(--pygrub)); C(false) passes C(--nopygrub).
    type: bool
  boot_path:
    description: How the guest boots, as C(--boot-path) (C(pvgrub2), C(pygrub), C(dom0-kernel)).
    type: str
  type:
    description: C(pv) or C(pvh) (C(--type)).
    type: str
  size:
    description: The root disk's size (C(--size)), for example C(4G).
    type: str
  swap:
    description: The swap disk's size (C(--swap)).
    type: str
  noswap:
    description: No swap disk (C(--noswap)).
    type: bool
  memory:
    description: The guest's memory (C(--memory)), for example C(512M).
    type: str
  maxmem:
    description: Its maximum memory (C(--maxmem)).
    type: str
  vcpus:
    description: Its virtual CPUs (C(--vcpus)).
    type: int
  fs:
    description: The root filesystem (C(--fs)).
    type: str
  image:
    description: C(sparse) or C(full) image files (C(--image)).
    type: str
  partitions:
    description: A partitions layout by name or file (C(--partitions)).
    type: str
  ip:
    description: Static addresses, the first one the guest's main address (C(--ip), once each).
    type: list
    elements: str
  dhcp:
    description: Configure the network with DHCP (C(--dhcp)); C(false) passes C(--nodhcp).
    type: bool
  gateway:
    description: The gateway (C(--gateway)).
    type: str
  netmask:
    description: The netmask (C(--netmask)).
    type: str
  broadcast:
    description: The broadcast address (C(--broadcast)).
    type: str
  p2p:
    description: The point-to-point peer of the first static IPv4 address, for routed hosting (C(--p2p)).
    type: str
  nameserver:
    description: Name servers, separated by spaces (C(--nameserver)).
    type: str
  mac:
    description: The MAC address (C(--mac)); by default derived from the guest as xen-tools does.
    type: str
  bridge:
    description: The dom0 bridge of the guest's interface (C(--bridge)).
    type: str
  vifname:
    description: The name of the guest's interface on the dom0 (C(--vifname)).
    type: str
  vlan:
    description: The VLAN of the guest's interface (C(--vlan)).
    type: str
  profile:
    description: A profile of C(/etc/xen-tools/profiles) (C(--profile)).
    type: str
  template:
    description: The template of the C(.cfg) (C(--template)).
    type: str
  role:
    description: Roles to run on the new guest (C(--role)).
    type: list
    elements: str
  role_args:
    description: Arguments of the roles (C(--role-args)).
    type: str
  finalrole:
    description: Roles to run last (C(--finalrole)).
    type: list
    elements: str
  roledir:
    description: The directory of the roles (C(--roledir)).
    type: path
  base_cache_dir:
    description: The base-tree cache (C(--base-cache-dir)).
    type: path
  log:
    description: The log file of the create (C(--log)).
    type: path
  wait_ssh:
    description: With C(state=started), wait this many seconds for the new guest to answer SSH with a host key jxen made (C(--wait-ssh)).
    type: int
  known_hosts:
    description: Add the new guest's host keys to this known_hosts file on the dom0 (C(--known-hosts)).
    type: path
  genpass_len:
    description: The length of a generated password (C(--genpass_len)).
    type: int
  hash_method:
    description: How the root password is hashed (C(--hash_method)).
    type: str
  authorized_keys:
    description: SSH keys for root on the guest, from this file on the dom0 (C(--authorized-keys)).
    type: path
  accounts:
    description: Copy the dom0's user accounts into the guest (C(--accounts)); C(false) passes C(--noaccounts).
    type: bool
  admins:
    description: Users to make administrators on the guest (C(--admins)).
    type: str
notes:
  - The guest's storage location (C(dir), C(lvm) or C(zpool)) is needed to delete a guest that has no C(.cfg) left.
extends_documentation_fragment:
  - jxen.xen.dom0
seealso:
  - module: jxen.xen.jxen_facts
'''

EXAMPLES = r'''
- name: A web server on this dom0
  jxen.xen.jxen_guest:
    hostname: web1
    lvm: vg0
    dist: bookworm
    ip: [192.0.2.10]
    gateway: 192.0.2.1
    netmask: 255.255.255.0
    memory: 1G
    state: started
    wait_ssh: 300
  register: web1

- name: Replace a guest whose settings changed
  jxen.xen.jxen_guest:
    hostname: web1
    lvm: vg0
    dist: trixie
    force: true

- name: Gone, disks and all
  jxen.xen.jxen_guest:
    hostname: old1
    lvm: vg0
    state: absent
'''

RETURN = r'''
cfg:
  description: The guest's C(.cfg).
  returned: always
  type: str
  sample: /etc/xen/web1.cfg
mac:
  description: The MAC address of its first interface.
  returned: when state is not absent
  type: str
  sample: 00:16:3E:12:34:56
ips:
  description: Its addresses (C(dhcp) for DHCP), from the create.
  returned: when the guest was made
  type: list
  elements: str
ssh_fingerprints:
  description: The fingerprints of the SSH host keys jxen made for it.
  returned: when the guest was made
  type: list
  elements: str
summary:
  description: The summary event of C(jxen-create-image --json), without any password.
  returned: when the guest was made
  type: dict
password_file:
  description: Where the generated root password is, on the dom0.
  returned: when a password was generated
  type: str
running:
  description: Whether the guest runs after the task, as xl says.
  returned: when state is started or stopped
  type: bool
removed:
  description: The images or volumes C(jxen-delete-image) removed, and the password file.
  returned: when state is absent
  type: list
  elements: str
differences:
  description: The lines of the C(.cfg) in place and of the one the task's settings give that differ.
  returned: when the guest differs
  type: list
  elements: str
'''

import difflib
import os
import stat
import re

from ansible.module_utils.basic import AnsibleModule
from ansible_collections.jxen.xen.plugins.module_utils.jxen import (
    command, error_text, json_document, json_events, summary, warnings, xl)

# module option -> (option of jxen-create-image, kind); the names agree as the option with - written _
SETTINGS = [
    ('dir', '--dir', 'value'), ('lvm', '--lvm', 'value'), ('lvm_thin', '--lvm_thin', 'value'), ('zpool', '--zpool', 'value'),
    ('dist', '--dist', 'value'), ('arch', '--arch', 'value'), ('mirror', '--mirror', 'value'),
    ('install_method', '--install-method', 'value'), ('install_source', '--install-source', 'value'),
    ('apt_proxy', '--apt_proxy', 'value'), ('kernel', '--kernel', 'value'), ('initrd', '--initrd', 'value'),
    ('pygrub', '--pygrub', 'flag'), ('boot_path', '--boot-path', 'value'), ('type', '--type', 'value'),
    ('size', '--size', 'value'), ('swap', '--swap', 'value'), ('noswap', '--noswap', 'flag'),
    ('memory', '--memory', 'value'), ('maxmem', '--maxmem', 'value'), ('vcpus', '--vcpus', 'value'),
    ('fs', '--fs', 'value'), ('image', '--image', 'value'), ('partitions', '--partitions', 'value'),
    ('ip', '--ip', 'each'), ('dhcp', '--dhcp', 'flag'), ('gateway', '--gateway', 'value'), ('netmask', '--netmask', 'value'),
    ('broadcast', '--broadcast', 'value'), ('p2p', '--p2p', 'value'), ('nameserver', '--nameserver', 'value'), ('mac', '--mac', 'value'),
    ('bridge', '--bridge', 'value'), ('vifname', '--vifname', 'value'), ('vlan', '--vlan', 'value'),
    ('output', '--output', 'value'), ('extension', '--extension', 'value'), ('config_dir', '--config-dir', 'value'),
    ('profile', '--profile', 'value'), ('template', '--template', 'value'), ('role', '--role', 'joined'),
    ('role_args', '--role-args', 'value'), ('finalrole', '--finalrole', 'joined'), ('roledir', '--roledir', 'value'),
    ('base_cache_dir', '--base-cache-dir', 'value'), ('log', '--log', 'value'),
    ('known_hosts', '--known-hosts', 'value'), ('genpass_len', '--genpass_len', 'value'), ('hash_method', '--hash_method', 'value'),
    ('authorized_keys', '--authorized-keys', 'value'), ('accounts', '--accounts', 'flag'), ('admins', '--admins', 'value'),
]
# what a flag set to false passes, where jxen has a negative form
NEGATIVE = {'pygrub': '--nopygrub', 'dhcp': '--nodhcp', 'accounts': '--noaccounts'}
# the options the module sets itself
CONTROLLED = ('--json', '--dry-run', '--force', '--boot', '--noboot', '--no-boot', '--hostname', '--password', '--password-from',
              '--password-file', '--passwd', '--wait-ssh', '--help', '-h', '--version', '-V', '--dumpconfig', '--manual', '--')
LOCATION = ('dir', 'lvm', 'zpool', 'output', 'extension', 'config_dir')
HOSTNAME = re.compile(r'^[A-Za-z0-9]([A-Za-z0-9-]{0,62})(\.[A-Za-z0-9]([A-Za-z0-9-]{0,62}))*$')


def setting_args(params, names=None):
    """The command line of the task's settings, in the table's order."""
    args = []
    for name, option, kind in SETTINGS:
        if names is not None and name not in names:
            continue
        value = params.get(name)
        if value is None:
            continue
        if kind == 'flag':
            if value:
                args.append(option)
            elif name in NEGATIVE:
                args.append(NEGATIVE[name])
        elif kind == 'each':
            for item in value:
                args.extend([option, str(item)])
        elif kind == 'joined':
            args.append('%s=%s' % (option, ','.join(str(v) for v in value) if isinstance(value, list) else value))
        else:
            args.extend([option, str(value)])
    return args


def refused_extra(extra):
    """The first argument of extra_args the module must refuse: an option it sets itself, or a word jxen would read as @FILE."""
    for arg in extra:
        name = arg.split('=', 1)[0]
        if name in CONTROLLED:
            return name
        if arg.startswith('@') or any(c in arg for c in '\r\n\0'):
            return repr(arg)
    return None


def changed_lines(before, after):
    """The lines that differ between two .cfg texts, as - and + lines."""
    return [line for line in difflib.unified_diff(before.splitlines(), after.splitlines(), lineterm='', n=0)
            if line[:1] in '+-' and not line.startswith(('+++', '---'))]


class Guest(object):
    def __init__(self, module):
        self.module = module
        self.params = module.params
        self.name = self.params['hostname']
        self.result = dict(changed=False, hostname=self.name)
        self.warnings = []

    def run(self, argv, data=None):
        rc, out, err = self.module.run_command(argv, data=data, binary_data=True, environ_update={'LC_ALL': 'C.UTF-8'})
        for w in warnings(err):
            if w not in self.warnings:
                self.warnings.append(w)
        return rc, out, err

    def fail(self, msg, **extra):
        self.result.update(extra)
        self.module.fail_json(msg=msg, warnings=self.warnings, **self.result)

    def create_argv(self):
        argv = [command(self.module, 'jxen-create-image'), '--hostname', self.name] + setting_args(self.params)
        return argv + list(self.params['extra_args'])

    def password_input(self, argv):
        if self.params.get('password') is not None:
            return argv + ['--password-from', '-'], self.params['password'] + '\n'
        return argv, None

    def plan(self):
        argv, data = self.password_input(self.create_argv() + ['--dry-run', '--json'])
        rc, out, err = self.run(argv, data)
        if rc != 0:
            self.fail('jxen-create-image refused the settings of %s (exit %d): %s' % (self.name, rc, error_text(err)), rc=rc)
        return json_document(self.module, out, 'jxen-create-image --dry-run --json')

    def present(self, boot):
        plan = self.plan()
        cfg = plan['cfg']
        self.result.update(cfg=cfg, mac=plan.get('mac'))
        before = ''
        if os.path.lexists(cfg):
            with open(cfg, 'r') as f:
                before = f.read()
        after = plan.get('cfg_text') or ''
        exists = os.path.lexists(cfg)
        if exists and before == after:
            return False
        if self.module._diff:
            self.result['diff'] = dict(before=before, after=after, before_header=cfg if exists else '(none)', after_header=cfg)
        if exists:
            differences = changed_lines(before, after)
            self.result['differences'] = differences
            if not self.params['force']:
                self.fail('%s exists and its %s differs from the task\'s settings (%s); set force: true to replace it, which makes its disks anew'
                          % (self.name, cfg, '; '.join(differences)))
        self.result['changed'] = True
        if not self.module.check_mode:
            self.create(replace=exists, boot=boot)
        return True

    def password_file(self):
        path = self.password_path()
        parent = os.path.dirname(path)
        if not os.path.isdir(parent):
            os.makedirs(parent, 0o700)
        return path

    def create(self, replace, boot):
        argv = self.create_argv() + ['--json']
        if replace:
            argv.append('--force')
        if boot:
            argv.append('--boot')
            if self.params.get('wait_ssh') is not None:
                argv.append('--wait-ssh=%d' % self.params['wait_ssh'])
        staged = None
        if self.params.get('password') is None:
            final = self.password_file()
            # jxen writes a new file only; the old one is replaced once the new guest is complete
            staged = final + '.jxen-new'
            if os.path.lexists(staged):
                os.unlink(staged)
            argv += ['--password-file', staged]
        argv, data = self.password_input(argv)
        rc, out, err = self.run(argv, data)
        done = summary(json_events(out))
        if rc != 0 or done is None or not done.get('success'):
            if staged and os.path.lexists(staged):
                os.unlink(staged)
            self.fail('jxen-create-image failed to make %s (exit %d): %s' % (self.name, rc, error_text(err)), rc=rc)
        done.pop('generated-password', None)
        done.pop('event', None)
        self.result.update(summary=done, ips=done.get('ips'), ssh_fingerprints=done.get('ssh_fingerprints'), cfg=done.get('cfg'))
        if staged and os.path.exists(staged):
            os.chmod(staged, 0o600)
            os.rename(staged, final)
            self.result['password_file'] = final

    def running(self):
        argv = [command(self.module, 'jxen-list-images'), '--json'] + setting_args(self.params, ('output', 'extension', 'config_dir'))
        rc, out, err = self.run(argv)
        if rc != 0:
            self.fail('jxen-list-images failed (exit %d): %s' % (rc, error_text(err)), rc=rc)
        for guest in json_document(self.module, out, 'jxen-list-images --json'):
            if guest.get('name') == self.name:
                state = guest.get('state')
                if state == 'running':
                    return True
                if state == 'stopped':
                    return False
                self.fail('whether %s runs cannot be told (jxen-list-images says %s); nothing was done' % (self.name, state))
        self.fail('%s has no .cfg that jxen-list-images finds' % self.name)

    def start(self):
        if self.running():
            return
        self.result['changed'] = True
        if not self.module.check_mode:
            rc, out, err = self.run([xl(self.module), 'create', self.result['cfg']])
            if rc != 0:
                self.fail('xl create %s failed (exit %d): %s' % (self.result['cfg'], rc, err.strip()[-2000:]), rc=rc)

    def stop(self):
        if not self.running():
            return
        self.result['changed'] = True
        if not self.module.check_mode:
            timeout = self.module.get_bin_path('timeout', required=True)
            rc, out, err = self.run([timeout, str(self.params['stop_timeout']), xl(self.module), 'shutdown', '-w', self.name])
            if rc != 0:
                self.fail('%s did not shut down within %d s (xl shutdown -w, exit %d): %s; it was left as it is'
                          % (self.name, self.params['stop_timeout'], rc, err.strip()[-2000:]), rc=rc)

    def password_path(self):
        return self.params.get('password_file') or os.path.join('/var/lib/jxen/passwords', self.name)

    def absent(self):
        base = [command(self.module, 'jxen-delete-image'), '--json'] + setting_args(self.params, LOCATION)
        rc, out, err = self.run(base + ['--dry-run', self.name])
        if rc != 0:
            self.fail('jxen-delete-image refused %s (exit %d): %s' % (self.name, rc, error_text(err)), rc=rc)
        plan = json_document(self.module, out, 'jxen-delete-image --dry-run --json')
        self.result['cfg'] = plan.get('cfg')
        self.result['removed'] = plan.get('owned', []) if plan.get('exists') else []
        password = self.password_path()
        if not plan.get('exists'):
            # no guest: nothing of its to remove, and a file password_file names is not known to be the module's
            return
        self.result['changed'] = True
        if self.module._diff:
            before = ''
            if os.path.isfile(plan['cfg']):
                with open(plan['cfg'], 'r') as f:
                    before = f.read()
            self.result['diff'] = dict(before=before, after='', before_header=plan['cfg'], after_header='(none)')
        if self.module.check_mode:
            return
        if plan.get('exists'):
            rc, out, err = self.run(base + [self.name])
            done = summary(json_events(out))
            if rc != 0 or done is None:
                self.fail('jxen-delete-image failed to delete %s (exit %d): %s' % (self.name, rc, error_text(err)), rc=rc)
            self.result['removed'] = done.get('removed', [])
        if self.own_password_file(password):
            os.unlink(password)
            self.result['removed'].append(password)

    @staticmethod
    def own_password_file(path):
        """Whether path is a password file as this module leaves one: a plain file of root's, mode 0600, no other links."""
        try:
            st = os.lstat(path)
        except OSError:
            return False
        return stat.S_ISREG(st.st_mode) and st.st_uid == 0 and stat.S_IMODE(st.st_mode) == 0o600 and st.st_nlink == 1

    def apply(self):
        state = self.params['state']
        if state == 'absent':
            self.absent()
        else:
            made = self.present(boot=state == 'started')
            if state == 'started' and not made:
                self.start()
                self.result['running'] = True
            elif state == 'started':
                self.result['running'] = not self.module.check_mode
            elif state == 'stopped':
                if not made:
                    self.stop()
                self.result['running'] = False
        self.module.exit_json(warnings=self.warnings, **self.result)


def main():
    options = dict(
        hostname=dict(type='str', required=True),
        state=dict(type='str', default='present', choices=['present', 'absent', 'started', 'stopped']),
        force=dict(type='bool', default=False),
        bindir=dict(type='path'),
        xl=dict(type='path'),
        stop_timeout=dict(type='int', default=300),
        password=dict(type='str', no_log=True),
        password_file=dict(type='path', no_log=False),
        extra_args=dict(type='list', elements='str', default=[]),
        wait_ssh=dict(type='int'),
    )
    kinds = {'dir': 'path', 'output': 'path', 'config_dir': 'path', 'roledir': 'path', 'base_cache_dir': 'path', 'log': 'path',
             'known_hosts': 'path', 'authorized_keys': 'path', 'vcpus': 'int', 'genpass_len': 'int'}
    for name, option, kind in SETTINGS:
        if kind == 'flag':
            options[name] = dict(type='bool')
        elif kind == 'each' or name in ('role', 'finalrole'):
            options[name] = dict(type='list', elements='str')
        else:
            options[name] = dict(type=kinds.get(name, 'str'))
    # a length, not a secret
    options['genpass_len']['no_log'] = False
    module = AnsibleModule(argument_spec=options, supports_check_mode=True,
                           mutually_exclusive=[('dir', 'lvm', 'zpool'), ('password', 'password_file')])
    if not HOSTNAME.match(module.params['hostname']):
        module.fail_json(msg='hostname %r is not a host name (letters, digits and hyphens, in labels separated by dots)' % module.params['hostname'])
    refused = refused_extra(module.params['extra_args'])
    if refused:
        module.fail_json(msg='extra_args: %s is refused: the module sets that option itself (see the options state, force, password, '
                             'password_file, wait_ssh), or it is an @FILE word or holds a line break' % refused)
    if module.params.get('wait_ssh') is not None and module.params['state'] != 'started':
        module.fail_json(msg='wait_ssh needs state: started (the guest is started by the create)')
    Guest(module).apply()


if __name__ == '__main__':
    main()
