# -*- coding: utf-8 -*-
# Copyright: (c) 2026, ecs_ops maintainers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function
__metaclass__ = type


class ModuleDocFragment(object):

    DOCUMENTATION = r'''
options:
  cloud:
    description:
      - Name of a cloud entry in C(clouds.yaml), looked up in C(./clouds.yaml),
        C(~/.config/openstack/clouds.yaml) and C(/etc/openstack/clouds.yaml) (only in the file named by
        E(OS_CLIENT_CONFIG_FILE) when that is set); the first file that has the cloud is used.
        The same cloud's entry of C(secure.yaml), searched the same way (or E(OS_CLIENT_SECURE_FILE)), is merged over it.
      - Defaults to E(OS_CLOUD) when that is set.
      - "Credentials are resolved per setting in this order: module options, then the
        O(cloud) entry, then environment variables: E(OS_AUTH_URL), E(OS_USERNAME), E(OS_USER_ID),
        E(OS_PASSWORD), E(OS_PROJECT_ID)/E(OS_TENANT_ID), E(OS_PROJECT_NAME)/E(OS_TENANT_NAME),
        E(OS_USER_DOMAIN_NAME), E(OS_USER_DOMAIN_ID), E(OS_PROJECT_DOMAIN_NAME), E(OS_PROJECT_DOMAIN_ID),
        E(OS_AUTH_TYPE), E(OS_REGION_NAME), E(OS_INTERFACE), E(OS_CACERT), E(OS_TOKEN),
        E(OS_COMPUTE_ENDPOINT), E(OS_ACCESS_KEY)/E(HW_ACCESS_KEY), E(OS_SECRET_KEY)/E(HW_SECRET_KEY),
        E(HW_REGION_NAME), E(HW_PROJECT_ID), and E(OS_CLOUD_DOMAIN)/E(HW_CLOUD_DOMAIN)."
      - E(OS_COMPUTE_ENDPOINT), E(OS_CLOUD_DOMAIN) and E(HW_CLOUD_DOMAIN) are this collection's own names,
        not OpenStack's.
    type: str
  auth:
    description:
      - Authentication settings. Which keys are needed depends on O(auth_type).
    type: dict
    suboptions:
      auth_url:
        description:
          - Keystone v3 endpoint, for example V(https://iam.eu-de.otc.t-systems.com/v3).
        type: str
      username:
        description:
          - User name, for O(auth_type=password).
        type: str
      user_id:
        description:
          - User id, instead of O(auth.username).
        type: str
      password:
        description:
          - Password, for O(auth_type=password).
        type: str
      user_domain_name:
        description:
          - Domain of the user given by name (on OTC the account/domain name).
          - For O(auth_type=password), defaults to V(Default) when neither this nor O(auth.user_domain_id) is set.
        type: str
      user_domain_id:
        description:
          - Domain id of the user, instead of O(auth.user_domain_name).
        type: str
      project_id:
        description:
          - Project to work in, by id. Required for O(auth_type=aksk).
        type: str
      project_name:
        description:
          - Project to work in, by name (on OTC for example V(eu-de) or V(eu-de_myproject)).
        type: str
      project_domain_name:
        description:
          - Domain of the project given by name. Defaults to the user's domain.
        type: str
      project_domain_id:
        description:
          - Domain id of the project given by name.
        type: str
      token:
        description:
          - A pre-obtained token, for O(auth_type=token). Needs O(compute_endpoint).
        type: str
      access_key:
        description:
          - Access key (AK) for request signing, for O(auth_type=aksk).
        type: str
      secret_key:
        description:
          - Secret key (SK) for request signing, for O(auth_type=aksk).
        type: str
      domain:
        description:
          - Cloud domain used to build endpoints from O(region_name) when no endpoint is given,
            for example V(otc.t-systems.com) or V(myhuaweicloud.com).
          - The compute endpoint is then V(https://ecs.<region_name>.<domain>).
          - Also read from the O(cloud) entry's C(auth.domain), or from E(OS_CLOUD_DOMAIN) or E(HW_CLOUD_DOMAIN).
        type: str
  auth_type:
    description:
      - How to authenticate.
      - V(password) asks Keystone for a token with O(auth.username)/O(auth.password).
      - V(token) sends O(auth.token) as it is, to O(compute_endpoint).
      - V(aksk) signs every request with O(auth.access_key)/O(auth.secret_key); no token call is made.
      - In C(clouds.yaml) (and E(OS_AUTH_TYPE)) the keystoneauth names V(v3password) and V(v3token) are accepted too.
      - "When not set, it is inferred: the first source (module options, then the O(cloud) entry, then the environment)
        that names a type, or implies one by giving an access key (V(aksk)), a token without a password (V(token))
        or a password (V(password)), decides; when none does, V(password)."
    type: str
    choices: [password, token, aksk]
  compute_endpoint:
    description:
      - Compute API base URL, with or without the project id, for example
        V(https://ecs.eu-de.otc.t-systems.com/v2.1/0123456789abcdef0123456789abcdef);
        a bare host URL such as V(https://ecs.eu-de.otc.t-systems.com) is fine too.
      - Overrides the endpoint from the Keystone catalog.
      - Also read from the O(cloud) entry's C(compute_endpoint) or C(compute_endpoint_override), or from E(OS_COMPUTE_ENDPOINT).
    type: str
  region_name:
    description:
      - Region whose compute endpoint is picked from the catalog, for example V(eu-de).
    type: str
  interface:
    description:
      - Endpoint interface picked from the catalog. When not set anywhere, V(public).
    type: str
    choices: [public, internal, admin]
  validate_certs:
    description:
      - Verify TLS certificates. Turning this off is insecure and produces a warning.
      - "C(verify: false) in the O(cloud) entry turns verification off too, unless a CA bundle is given
        explicitly (O(ca_cert)), which wins."
    type: bool
    default: true
  ca_cert:
    description:
      - Path to a CA bundle used to verify TLS certificates.
    type: path
    aliases: [cacert]
  api_timeout:
    description:
      - Timeout in seconds of one HTTP request to the cloud.
      - When not set, the C(api_timeout) of the O(cloud) entry, else V(30).
    type: int
  microversion:
    description:
      - Compute API microversion to request, for example V(2.47) or V(2.60).
      - By default no microversion is requested (the cloud answers as V(2.1)).
      - Both flavor shapes (by id before 2.47, embedded after) are handled.
    type: str
requirements:
  - python >= 3.8
  - requests
notes:
  - All modules of this collection are in the action group C(ecs_ops.compute.ecs), so
    connection options can be set once with C(module_defaults) and C(group/ecs_ops.compute.ecs).
  - Through the local connection (a play on C(localhost), a task delegated to C(localhost)) the module runs inside the
    controller, in the task's worker process, with the same results; a remote host, C(become), C(async) or the variable
    C(ecs_ops_run_in_controller=false) run it as a module process on the target (there it needs C(requests)).
'''
