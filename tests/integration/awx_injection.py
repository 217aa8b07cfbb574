# -*- coding: utf-8 -*-
# Copyright: (c) 2026, ecs_ops maintainers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""What AWX hands a job for a credential, reproduced so that the tests see the same files and variables.

- The built-in OpenStack credential: ``_openstack_data`` and the ``openstack`` injector of
  ansible/awx-plugins (src/awx_plugins/credentials/injectors.py; the inputs are in plugins.py):
  one cloud named ``devstack``; ``auth`` with auth_url (input ``host``), username, password,
  project_name (input ``project``), plus ``project_domain_name`` and ``domain_name`` (input
  ``domain``) only when given; then ``verify`` (input ``verify_ssl``, default true) and
  ``region_name`` only when given; written with ``yaml.safe_dump(default_flow_style=False,
  allow_unicode=True)`` (keys sorted) to a ``mkstemp`` file in ``<private_data_dir>/env`` (mode 0600),
  whose path goes into ``OS_CLIENT_CONFIG_FILE``.
- A custom credential type: ``CredentialType.inject_credential`` of ansible/awx
  (awx/main/models/credential.py): the inputs given (empty strings left out, booleans always, missing
  boolean fields as false) are the Jinja namespace, rendered with an ImmutableSandboxedEnvironment;
  each ``file`` template goes to a ``mkstemp`` file in ``<private_data_dir>/env`` (0600) and its path
  is ``{{ tower.filename }}`` (``template``) or ``{{ tower.filename.<name> }}`` (``template.<name>``);
  ``env`` templates become variables (``ANSIBLE_*`` and AWX's own names are refused); ``extra_vars``
  are rendered (keys and values, recursively) into a YAML file (strings tagged ``!unsafe``, as AWX's
  ``safe_dump`` does) passed as ``-e @file``.

AWX runs the job in an execution environment where the private data directory is ``/runner``;
these tests run ansible-runner without a container, so the paths are the real ones.
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import os
import stat
import tempfile

import yaml
from jinja2 import sandbox

# awx/main/constants.py ENV_BLOCKLIST
ENV_BLOCKLIST = frozenset((
    'VIRTUAL_ENV', 'PATH', 'PYTHONPATH', 'JOB_ID', 'INVENTORY_ID', 'INVENTORY_SOURCE_ID', 'INVENTORY_UPDATE_ID',
    'AD_HOC_COMMAND_ID', 'REST_API_URL', 'REST_API_TOKEN', 'MAX_EVENT_RES', 'CALLBACK_QUEUE', 'CALLBACK_CONNECTION',
    'CACHE', 'JOB_CALLBACK_DEBUG', 'INVENTORY_HOSTVARS', 'AWX_HOST', 'PROJECT_REVISION', 'SUPERVISOR_CONFIG_PATH',
))


class Credential(object):
    """The inputs of one AWX credential, with AWX's get_input/has_input semantics."""

    def __init__(self, inputs, fields=()):
        self.inputs = dict(inputs)
        self.defaults = dict((f['id'], f['default']) for f in fields if 'default' in f)

    def has_input(self, name):
        return name in self.inputs and self.inputs[name] not in ('', None)

    def get_input(self, name, default=None):
        if name in self.inputs:
            return self.inputs[name]
        if name in self.defaults:
            return self.defaults[name]
        return default


def openstack_data(cred):
    """awx_plugins.credentials.injectors._openstack_data."""
    openstack_auth = dict(
        auth_url=cred.get_input('host', default=''),
        username=cred.get_input('username', default=''),
        password=cred.get_input('password', default=''),
        project_name=cred.get_input('project', default=''),
    )
    if cred.has_input('project_domain_name'):
        openstack_auth['project_domain_name'] = cred.get_input('project_domain_name', default='')
    if cred.has_input('domain'):
        openstack_auth['domain_name'] = cred.get_input('domain', default='')
    verify_state = cred.get_input('verify_ssl', default=True)
    openstack_data = {'clouds': {'devstack': {'auth': openstack_auth, 'verify': verify_state}}}
    if cred.has_input('region'):
        openstack_data['clouds']['devstack']['region_name'] = cred.get_input('region', default='')
    return openstack_data


# The built-in credential's verify_ssl field has default true (awx_plugins.credentials.plugins).
OPENSTACK_FIELDS = ({'id': 'verify_ssl', 'type': 'boolean', 'default': True},)


def inject_openstack(inputs, private_data_dir):
    """awx_plugins.credentials.injectors.openstack: write the clouds.yaml, return the env AWX adds (and the file's path)."""
    cred = Credential(inputs, OPENSTACK_FIELDS)
    env_dir = os.path.join(private_data_dir, 'env')
    os.makedirs(env_dir, exist_ok=True)
    handle, path = tempfile.mkstemp(dir=env_dir)
    with os.fdopen(handle, 'w') as stream:
        yaml.safe_dump(openstack_data(cred), stream, default_flow_style=False, allow_unicode=True)
    os.chmod(path, stat.S_IRUSR | stat.S_IWUSR)
    return {'OS_CLIENT_CONFIG_FILE': path}, path


class _Tower(object):
    pass


class _UnsafeStringDumper(yaml.SafeDumper):
    """awx.main.utils.safe_yaml.SafeStringDumper: every string of the extra vars file is !unsafe (never templated)."""

    def represent_data(self, data):
        if isinstance(data, str):
            return self.represent_scalar('!unsafe', data)
        return super(_UnsafeStringDumper, self).represent_data(data)


def awx_safe_dump(data):
    """awx.main.utils.safe_yaml.safe_dump without a trusted dict: one document part per top-level key."""
    return ''.join(yaml.dump_all([{key: value}], None, Dumper=_UnsafeStringDumper, default_flow_style=False)
                   for key, value in data.items())


def inject_custom(credential_type, inputs, private_data_dir):
    """CredentialType.inject_credential for a custom type (its `inputs` and `injectors` as AWX stores them).

    Returns (env, extra arguments for ansible-playbook), as AWX adds them to the job.
    """
    fields = credential_type.get('inputs', {}).get('fields', [])
    injectors = credential_type.get('injectors', {}) or {}
    secret_fields = [f['id'] for f in fields if f.get('secret')]
    del secret_fields  # AWX uses them only for the copy of the environment it stores (safe_env)
    tower = _Tower()
    namespace = {'tower': tower}
    for name, value in inputs.items():
        if isinstance(value, bool):  # AWX: type(value) is bool
            namespace[name] = value
            continue
        if len(value):
            namespace[name] = value
    for field in fields:
        if field.get('type') == 'boolean' and field['id'] not in inputs:
            namespace[field['id']] = False
        if field.get('format') == 'ssh_private_key' and field['id'] in namespace and not namespace[field['id']].endswith('\n'):
            namespace[field['id']] += '\n'

    env_dir = os.path.join(private_data_dir, 'env')
    os.makedirs(env_dir, exist_ok=True)
    sandbox_env = sandbox.ImmutableSandboxedEnvironment()
    for label, template in (injectors.get('file') or {}).items():
        data = sandbox_env.from_string(template).render(**namespace)
        dummy, path = tempfile.mkstemp(dir=env_dir)
        with open(path, 'w') as stream:
            stream.write(data)
        os.chmod(path, stat.S_IRUSR | stat.S_IWUSR)
        if label.find('.') == -1:
            tower.filename = path
        else:
            if not hasattr(tower, 'filename'):
                tower.filename = _Tower()
            setattr(tower.filename, label.split('.')[1], path)

    env = {}
    for name, template in (injectors.get('env') or {}).items():
        if name.startswith('ANSIBLE_') or name in ENV_BLOCKLIST:
            raise ValueError('AWX refuses the environment variable %s in a credential type' % name)
        env[name] = sandbox_env.from_string(template).render(**namespace)

    def build_extra_vars(node):
        if isinstance(node, dict):
            return dict((build_extra_vars(k), build_extra_vars(v)) for k, v in node.items())
        if isinstance(node, list):
            return [build_extra_vars(x) for x in node]
        return sandbox_env.from_string(node).render(**namespace)

    args = []
    extra_vars = build_extra_vars(injectors.get('extra_vars') or {})
    if extra_vars:
        handle, path = tempfile.mkstemp(dir=env_dir)
        with os.fdopen(handle, 'w') as stream:
            stream.write(awx_safe_dump(extra_vars))
        os.chmod(path, stat.S_IRUSR)
        args.extend(['-e', '@%s' % path])
    return env, args
