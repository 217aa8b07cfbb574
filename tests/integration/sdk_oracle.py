# -*- coding: utf-8 -*-
# Copyright: (c) 2026, ecs_ops maintainers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""openstacksdk as the oracle of credential resolution: what OpenStackConfig().get_one() resolves.

Run as a process of its own (`python sdk_oracle.py`): it reads one JSON request per line
({"env": {...}, "cwd": "...", "kwargs": {...}, "validate": true}) and answers one JSON line with the
fields the collection resolves too, or the error openstacksdk raised. Each request runs with exactly
the environment and working directory given (os.environ is replaced, openstack.config.loader is
reloaded so that its search path, computed at import from HOME/XDG_*/cwd, follows them): nothing of
the machine running the tests leaks in, and the tests' own process is never touched.
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import importlib
import json
import os
import sys
import warnings


def _plugin_fields(plugin):
    """User, project and their domains (as Keystone will get them), and the secrets, from the keystoneauth plugin."""
    fields = {}
    if plugin is None:
        return fields
    if hasattr(plugin, '_default_domain_id'):  # generic plugins (password, token): default_domain_* fill in
        fields.update(
            user_id=getattr(plugin, '_user_id', None), username=getattr(plugin, '_username', None),
            user_domain_id=getattr(plugin, '_user_domain_id', None) or plugin._default_domain_id,
            user_domain_name=getattr(plugin, '_user_domain_name', None) or plugin._default_domain_name,
            project_id=plugin._project_id, project_name=plugin._project_name,
            project_domain_id=plugin.project_domain_id, project_domain_name=plugin.project_domain_name,
            password=getattr(plugin, '_password', None), token=getattr(plugin, '_token', None))
    elif hasattr(plugin, 'auth_methods'):  # v3 plugins
        method = plugin.auth_methods[0]
        fields.update(
            user_id=getattr(method, 'user_id', None), username=getattr(method, 'username', None),
            user_domain_id=getattr(method, 'user_domain_id', None), user_domain_name=getattr(method, 'user_domain_name', None),
            project_id=plugin.project_id, project_name=plugin.project_name,
            project_domain_id=plugin.project_domain_id, project_domain_name=plugin.project_domain_name,
            password=getattr(method, 'password', None), token=getattr(method, 'token', None),
            application_credential_id=getattr(method, 'application_credential_id', None),
            application_credential_name=getattr(method, 'application_credential_name', None),
            application_credential_secret=getattr(method, 'application_credential_secret', None))
    else:  # admin_token
        fields.update(token=getattr(plugin, 'token', None), endpoint=getattr(plugin, 'endpoint', None))
    fields['auth_url'] = getattr(plugin, 'auth_url', None)
    return fields


def resolve(request):
    os.environ.clear()
    os.environ.update(request['env'])
    os.chdir(request['cwd'])
    from openstack.config import loader
    loader = importlib.reload(loader)
    config = loader.OpenStackConfig()
    validate = request.get('validate', True)
    region = config.get_one(validate=validate, **request['kwargs'])
    fields = _plugin_fields(region.get_auth()) if validate else {}
    verify, cert = region.get_requests_verify_args()
    endpoint = region.get_endpoint('compute')
    if not endpoint and fields.get('endpoint'):  # admin_token: its endpoint serves every service
        endpoint = fields['endpoint']
    fields.update(
        cloud=region.name,
        auth_type=region.config.get('auth_type'),
        region_name=region.get_region_name('compute'),
        interface=region.get_interface('compute'),
        verify=verify,
        cert=list(cert) if isinstance(cert, tuple) else cert,
        compute_endpoint=endpoint,
        microversion=region._get_version_request('compute', None).default_microversion,
        api_timeout=region.config.get('api_timeout'),
        config_file=config.config_filename,
        secure_file=config.secure_config_filename,
    )
    fields.pop('endpoint', None)
    return fields


def main():
    warnings.simplefilter('ignore')
    for line in sys.stdin:
        request = json.loads(line)
        try:
            answer = {'ok': resolve(request)}
        except Exception as exc:  # pylint: disable=broad-except
            answer = {'error': type(exc).__name__, 'message': str(exc)}
        sys.stdout.write(json.dumps(answer, default=str) + '\n')
        sys.stdout.flush()


if __name__ == '__main__':
    main()
