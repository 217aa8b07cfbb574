# -*- coding: utf-8 -*-
# Copyright: (c) 2026, ecs_ops maintainers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The connection options shared by every module (documented in doc_fragments/connection.py)."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

from ansible_collections.ecs_ops.compute.plugins.module_utils.credentials import AUTH_TYPE_CHOICES


def connection_argument_spec():
    """Argument spec of the shared connection options, merged into every module's spec."""
    return dict(
        cloud=dict(type='str'),
        auth=dict(
            type='dict',
            options=dict(
                auth_url=dict(type='str'),
                username=dict(type='str'),
                user_id=dict(type='str'),
                password=dict(type='str', no_log=True),
                user_domain_name=dict(type='str'),
                user_domain_id=dict(type='str'),
                project_id=dict(type='str'),
                project_name=dict(type='str'),
                project_domain_name=dict(type='str'),
                project_domain_id=dict(type='str'),
                domain_name=dict(type='str'),
                domain_id=dict(type='str'),
                default_domain_name=dict(type='str'),
                default_domain_id=dict(type='str'),
                token=dict(type='str', no_log=True),
                endpoint=dict(type='str'),
                application_credential_id=dict(type='str', no_log=False),
                application_credential_name=dict(type='str', no_log=False),
                application_credential_secret=dict(type='str', no_log=True),
                access_key=dict(type='str', no_log=False),
                secret_key=dict(type='str', no_log=True),
                security_token=dict(type='str', no_log=True),
                domain=dict(type='str'),
            ),
        ),
        auth_type=dict(type='str', choices=list(AUTH_TYPE_CHOICES)),
        compute_endpoint=dict(type='str'),
        region_name=dict(type='str'),
        interface=dict(type='str', choices=['public', 'internal', 'admin']),
        validate_certs=dict(type='bool', default=True),
        ca_cert=dict(type='path', aliases=['cacert']),
        client_cert=dict(type='path', aliases=['cert']),
        client_key=dict(type='path', aliases=['key'], no_log=False),
        api_timeout=dict(type='int'),
        microversion=dict(type='str'),
    )
