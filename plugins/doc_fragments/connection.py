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
      - Name of a cloud in C(clouds.yaml). Settings are resolved exactly as openstacksdk resolves them
        (C(openstack.config), as the OpenStack CLI and C(openstack.cloud) do), without needing openstacksdk.
      - "Files: the first file that exists of E(OS_CLIENT_CONFIG_FILE), C(./clouds.yaml) (C(.yml), C(.json)),
        C($XDG_CONFIG_HOME/openstack/) (or C(~/.config/openstack/)), C(~/.config/openstack/), C($XDG_CONFIG_DIRS/openstack/)
        (C(/etc/xdg/openstack/)) and C(/etc/openstack/) is read, only that one (a file that cannot be parsed is skipped).
        The first C(secure.yaml) found the same way (E(OS_CLIENT_SECURE_FILE) first) is merged over it."
      - "Which cloud: this option, else E(OS_CLOUD), else the cloud made of the C(OS_*) environment variables
        (when any other than E(OS_CLOUD), E(OS_REGION_NAME), E(OS_CLIENT_CONFIG_FILE), E(OS_CLIENT_SECURE_FILE) and
        E(OS_CLOUD_NAME) is set, or one of this collection's C(HW_*) variables), else the only cloud of the file, else none
        (the module options alone). The C(OS_*) variables are B(not) mixed into a cloud chosen by name, as in openstacksdk."
      - "Within the chosen cloud: its C(profile) (openstacksdk's vendor profiles such as V(otc), or C(clouds-public.yaml))
        lies under it, the values of its region (C(regions)) over it, and the module options over everything (O(auth) key by key).
        C(domain_name)/C(domain_id) fill the user's and the project's domain where they are not set; hyphenated keys
        (C(auth-url)), C(tenant_*) names, C(auth_token), C(endpoint_type), C(*_timeout) and C({region_name}) in C(auth_url)
        are understood as openstacksdk understands them."
      - "Environment variables are openstacksdk's: C(OS_<SETTING>) for every setting (E(OS_AUTH_URL), E(OS_USERNAME),
        E(OS_USER_ID), E(OS_PASSWORD), E(OS_USER_DOMAIN_NAME), E(OS_USER_DOMAIN_ID), E(OS_PROJECT_NAME), E(OS_PROJECT_ID),
        E(OS_TENANT_NAME), E(OS_TENANT_ID), E(OS_PROJECT_DOMAIN_NAME), E(OS_PROJECT_DOMAIN_ID), E(OS_DOMAIN_NAME), E(OS_DOMAIN_ID),
        E(OS_DEFAULT_DOMAIN_NAME), E(OS_DEFAULT_DOMAIN_ID), E(OS_AUTH_TYPE), E(OS_TOKEN), E(OS_ENDPOINT),
        E(OS_APPLICATION_CREDENTIAL_ID), E(OS_APPLICATION_CREDENTIAL_NAME), E(OS_APPLICATION_CREDENTIAL_SECRET),
        E(OS_REGION_NAME), E(OS_INTERFACE), E(OS_CACERT), E(OS_CERT), E(OS_KEY), E(OS_INSECURE), E(OS_API_TIMEOUT),
        E(OS_COMPUTE_API_VERSION), E(OS_COMPUTE_ENDPOINT), E(OS_PROFILE), ...); an empty variable counts as unset."
      - "This collection's own variables, for AK/SK: E(OS_ACCESS_KEY)/E(HW_ACCESS_KEY), E(OS_SECRET_KEY)/E(HW_SECRET_KEY),
        E(OS_SECURITY_TOKEN)/E(HW_SECURITY_TOKEN), E(HW_PROJECT_ID), E(HW_REGION_NAME), E(OS_CLOUD_DOMAIN)/E(HW_CLOUD_DOMAIN)
        (the C(OS_) name wins when both are set)."
      - An error names each setting that is missing or cannot work and where it was set (option, file, profile, variable).
    type: str
  auth:
    description:
      - Authentication settings, the C(auth) mapping of a C(clouds.yaml) cloud. Which keys apply depends on O(auth_type);
        a key the auth type does not take is refused (as openstacksdk refuses it).
      - Each key can also come from the chosen cloud or from its C(OS_*) variable (see O(cloud)).
    type: dict
    suboptions:
      auth_url:
        description:
          - Keystone v3 endpoint, for example V(https://iam.eu-de.otc.t-systems.com/v3). E(OS_AUTH_URL).
        type: str
      username:
        description:
          - User name, for O(auth_type=password) (and an application credential given by name). E(OS_USERNAME).
          - Needs the user's domain (O(auth.user_domain_name), O(auth.domain_name) or O(auth.default_domain_name));
            there is no silent default. On OTC the domain is the account name, never V(Default).
        type: str
      user_id:
        description:
          - User id, instead of O(auth.username) (needs no domain). E(OS_USER_ID).
        type: str
      password:
        description:
          - Password, for O(auth_type=password). E(OS_PASSWORD).
        type: str
      user_domain_name:
        description:
          - Domain of the user given by name (on OTC the account name, for example V(OTC00000000001000000xxx)).
            E(OS_USER_DOMAIN_NAME).
        type: str
      user_domain_id:
        description:
          - Domain id of the user, instead of O(auth.user_domain_name). E(OS_USER_DOMAIN_ID).
        type: str
      project_id:
        description:
          - Project to work in, by id. Required for O(auth_type=aksk). E(OS_PROJECT_ID), E(OS_TENANT_ID) (also E(HW_PROJECT_ID)).
        type: str
      project_name:
        description:
          - Project to work in, by name (on OTC for example V(eu-de) or V(eu-de_myproject)). E(OS_PROJECT_NAME), E(OS_TENANT_NAME).
        type: str
      project_domain_name:
        description:
          - Domain of the project given by name. E(OS_PROJECT_DOMAIN_NAME).
          - When no project domain is set anywhere (this key, O(auth.project_domain_id), O(auth.domain_name),
            O(auth.default_domain_name)), the user's domain is used (openstacksdk would leave it unset, which Keystone refuses).
        type: str
      project_domain_id:
        description:
          - Domain id of the project given by name. E(OS_PROJECT_DOMAIN_ID).
        type: str
      domain_name:
        description:
          - Domain of both the user and the project, for whichever of them has none set (what AWX's OpenStack credential
            writes). E(OS_DOMAIN_NAME).
          - Without a project it would be a domain scope, which the compute API cannot use.
        type: str
      domain_id:
        description:
          - Domain id of both the user and the project, for whichever of them has none set. E(OS_DOMAIN_ID).
        type: str
      default_domain_name:
        description:
          - Domain for the user and the project when neither names one, with O(auth_type=password) or O(auth_type=token)
            (keystoneauth's generic plugins; V(v3password) and V(v3token) do not take it). E(OS_DEFAULT_DOMAIN_NAME).
        type: str
      default_domain_id:
        description:
          - Domain id for the user and the project when neither names one (see O(auth.default_domain_name)).
            E(OS_DEFAULT_DOMAIN_ID).
        type: str
      token:
        description:
          - A token, for O(auth_type=token) or O(auth_type=admin_token). E(OS_TOKEN).
        type: str
      endpoint:
        description:
          - The URL every request goes to with O(auth_type=admin_token) (used as the compute endpoint). E(OS_ENDPOINT).
        type: str
      application_credential_id:
        description:
          - Id of a Keystone application credential, for O(auth_type=application_credential). E(OS_APPLICATION_CREDENTIAL_ID).
          - The token is scoped to the credential's project; a project (O(auth.project_name), O(auth.project_id)) cannot be
            given with it (Keystone refuses a scope).
        type: str
      application_credential_name:
        description:
          - Name of an application credential, instead of its id; needs the user (O(auth.username) with its domain, or
            O(auth.user_id)). E(OS_APPLICATION_CREDENTIAL_NAME).
        type: str
      application_credential_secret:
        description:
          - Secret of the application credential. E(OS_APPLICATION_CREDENTIAL_SECRET).
        type: str
      access_key:
        description:
          - Access key (AK) for request signing, for O(auth_type=aksk). Also C(ak) in C(clouds.yaml).
            E(OS_ACCESS_KEY), E(HW_ACCESS_KEY).
        type: str
      secret_key:
        description:
          - Secret key (SK) for request signing, for O(auth_type=aksk). Also C(sk) in C(clouds.yaml).
            E(OS_SECRET_KEY), E(HW_SECRET_KEY).
        type: str
      security_token:
        description:
          - Security token of a temporary access key (IAM's temporary AK/SK), for O(auth_type=aksk); sent as the
            C(X-Security-Token) header, which is signed with the other headers. E(OS_SECURITY_TOKEN), E(HW_SECURITY_TOKEN).
          - A temporary access key expires (15 minutes to 24 hours); then the cloud refuses the signature (HTTP 401).
        type: str
      domain:
        description:
          - Cloud domain used to build the compute endpoint from O(region_name) for O(auth_type=aksk) when no endpoint is
            given, for example V(otc.t-systems.com) or V(myhuaweicloud.com); it is then V(https://ecs.<region_name>.<domain>).
          - Also C(auth.domain) of the cloud, E(OS_CLOUD_DOMAIN) or E(HW_CLOUD_DOMAIN).
        type: str
  auth_type:
    description:
      - How to authenticate. openstacksdk's (keystoneauth's) plugin names are accepted.
      - V(password), V(v3password) ask Keystone for a token with O(auth.username)/O(auth.password).
      - V(token), V(v3token) with O(auth.auth_url) and a project exchange O(auth.token) at Keystone for a token scoped to
        the project (it expires with the given one), as openstacksdk does, also when O(compute_endpoint) is given; without
        O(auth.auth_url), or with O(compute_endpoint) and no project, the token is sent as it is to O(compute_endpoint)
        (this collection's addition).
      - V(admin_token) (also V(token_endpoint)) sends O(auth.token) as it is to O(auth.endpoint).
      - V(application_credential) (also V(v3applicationcredential)) authenticates with a Keystone application credential,
        O(auth.application_credential_id) (or O(auth.application_credential_name) with the user) and
        O(auth.application_credential_secret).
      - V(aksk) signs every request with O(auth.access_key)/O(auth.secret_key) (and sends O(auth.security_token) of a
        temporary access key); no token call is made (this collection's own).
      - "When no auth type is set anywhere: a password means V(password) (openstacksdk's default); else an access key
        V(aksk), an application credential V(application_credential), a token V(token); else V(password)."
      - Also C(auth_type) of the cloud and E(OS_AUTH_TYPE).
    type: str
    choices: [password, v3password, token, v3token, admin_token, token_endpoint, application_credential, v3applicationcredential, aksk]
  compute_endpoint:
    description:
      - Compute API base URL, with or without the project id, for example
        V(https://ecs.eu-de.otc.t-systems.com/v2.1/0123456789abcdef0123456789abcdef);
        a bare host URL such as V(https://ecs.eu-de.otc.t-systems.com) is fine too.
      - Overrides the endpoint from the Keystone catalog (openstacksdk's C(compute_endpoint_override)).
      - Also C(compute_endpoint_override) or C(compute_endpoint) of the cloud (or of its region), E(OS_COMPUTE_ENDPOINT).
    type: str
  region_name:
    description:
      - Region whose compute endpoint is picked from the catalog, for example V(eu-de).
      - Must be one of the chosen cloud's regions when it has any (C(regions), C(region_name), or its profile's);
        without it, the cloud's first region. Also C(compute_region_name) of the cloud, E(OS_REGION_NAME), E(HW_REGION_NAME).
    type: str
  interface:
    description:
      - Endpoint interface picked from the catalog. When not set anywhere, V(public).
      - Also C(interface), C(compute_interface) or C(endpoint_type) of the cloud (V(publicURL) and the like are understood),
        E(OS_INTERFACE).
    type: str
    choices: [public, internal, admin]
  validate_certs:
    description:
      - Verify TLS certificates. Turning this off is insecure and produces a warning.
      - "C(verify: false) in the cloud turns verification off too, unless a CA bundle is given explicitly (O(ca_cert)),
        which wins; C(insecure: true) in the cloud (or E(OS_INSECURE=true)) turns it off whatever else is set, as in openstacksdk."
    type: bool
    default: true
  ca_cert:
    description:
      - Path to a CA bundle used to verify TLS certificates.
      - Also C(cacert) of the cloud, E(OS_CACERT).
    type: path
    aliases: [cacert]
  client_cert:
    description:
      - Path to a client certificate (PEM) presented on every TLS connection (Keystone's and the compute API's), with its
        key in it or in O(client_key); the key must not be encrypted.
      - Also C(cert) of the cloud, E(OS_CERT).
    type: path
    aliases: [cert]
  client_key:
    description:
      - Path to the key of O(client_cert) (ignored without O(client_cert), as in openstacksdk). Also C(key) of the cloud,
        E(OS_KEY).
    type: path
    aliases: [key]
  api_timeout:
    description:
      - Timeout in seconds of one HTTP request to the cloud.
      - When not set, the C(api_timeout) of the O(cloud) entry or E(OS_API_TIMEOUT), else V(30).
    type: int
  microversion:
    description:
      - Compute API microversion to request, for example V(2.47) or V(2.60).
      - Also C(compute_api_version) (when a microversion such as V(2.60)) or C(compute_default_microversion) of the cloud,
        E(OS_COMPUTE_API_VERSION).
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
  - From AWX or Ansible Automation Platform, the built-in OpenStack credential works with O(cloud=devstack) (or no O(cloud)
    at all); custom credential types for OTC are shipped in C(extensions/awx/) (see C(docs/awx.md)).
  - The inventory plugin P(ecs_ops.compute.ecs#inventory) connects with these same options (the notes on modules above
    do not apply to it).
'''
