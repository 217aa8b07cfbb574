# -*- coding: utf-8 -*-
# Copyright: (c) 2026, ecs_ops maintainers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function
__metaclass__ = type

DOCUMENTATION = r'''
name: ecs
short_description: The servers of Open Telekom Cloud / Huawei Cloud ECS or OpenStack, straight from the cloud
version_added: 1.0.0
description:
  - One inventory host per server of the project, named after the server, with its id, status, flavor, availability zone,
    metadata, tags and addresses as host variables (prefix O(vars_prefix)) and C(ansible_host) from its addresses
    (O(address_preference)).
  - "Grouped out of the box by flavor (C(flavor_s6_medium_2)), status (C(status_active), C(status_shutoff)), availability
    zone (C(az_eu_de_01)), region (C(region_eu_de)) and cloud (C(cloud_otc)); more groups and variables with O(keyed_groups),
    O(groups) and O(compose)."
  - Reads Nova's C(GET /servers/detail) (O(api=nova)) or ECS's C(GET /v1/{project_id}/cloudservers/detail) (O(api=ecs)),
    O(page_size) servers per request; O(filters) narrow the listing at the cloud where it can filter, and are checked again
    on every server.
  - Connects exactly as the modules of the collection do (the same options, C(clouds.yaml), C(OS_*) variables, AK/SK;
    see O(cloud)); O(sources) lists several clouds or regions in one inventory source.
  - "With the role P(ecs_ops.compute.resize#role) in per-host mode (C(hosts: flavor_s6_medium_2)) every host is the server to
    resize; in AWX / Ansible Automation Platform this inventory is an inventory source, and a sliced job template
    (C(job_slice_count)) spreads the hosts over execution nodes (C(docs/awx.md))."
  - The inventory file's name must end in C(.ecs.yml) or C(.ecs.yaml).
author:
  - ecs_ops maintainers (@ecs-ops)
extends_documentation_fragment:
  - ansible.builtin.constructed
  - ansible.builtin.inventory_cache
  - ecs_ops.compute.connection
options:
  plugin:
    description:
      - The name of this plugin; marks the file as a source of this plugin.
    type: str
    required: true
    choices: [ecs_ops.compute.ecs]
  api:
    description:
      - Which listing to read. V(nova) is C(GET /v2.1/{project_id}/servers/detail), on every OpenStack cloud; it asks
        for microversion 2.47 (flavor names and sizes, tags, locked in every server) unless O(microversion) is set, and
        falls back to the cloud's default when the cloud refuses 2.47 (not with a tag filter, as tags need 2.26).
      - V(ecs) is C(GET /v1/{project_id}/cloudservers/detail) of Open Telekom Cloud / Huawei Cloud, pages counted by
        the cloud (no request for an empty last page), flavors complete in every server.
    type: str
    choices: [nova, ecs]
    default: nova
  sources:
    description:
      - Several clouds, regions or projects in one inventory source. Each entry takes the connection options (O(cloud),
        O(auth), O(region_name), O(compute_endpoint), ...) and O(api); they lie over the options of the plugin (O(auth)
        key by key). Without O(sources), one source made of the plugin's options.
      - Every host gets the C(region) and C(cloud) of its source as variables and is in C(region_<region>) and
        C(cloud_<cloud>). A server listed by two sources is one host (a warning says so).
    type: list
    elements: dict
    default: []
  filters:
    description:
      - Which servers become hosts; every filter given must match.
      - C(status) (a status or a list, any of them; for example V(ACTIVE)), C(name) (a regular expression searched in
        the name, as Python's C(re.search)), C(tags) (a tag or a list, all of them; OTC's tags read C(key=value), or
        C(key) when the value is empty), C(metadata) (a mapping, each key present with this value),
        C(availability_zone) (a zone or a list, any of them).
      - The cloud filters by one status, by the name (Nova as a regular expression, ECS only a name made of letters,
        digits, C(-), C(_), C(.) and the like, which its fuzzy match reads the same way) and by the first tag; every
        filter is then checked again on each server, so a cloud that lists more (ECS lists servers in RESIZE under
        V(ACTIVE) and under V(SHUTOFF)) never adds a host.
      - A tag filter needs O(microversion) 2.26 or later with O(api=nova) (the default, 2.47, is).
    type: dict
    default: {}
  hostname_preference:
    description:
      - How hosts are named. V(name) is the server's name, except where several servers share a name (in one project
        or over O(sources)); those hosts are named by the server's id, and a warning names them.
      - V(id) names every host by its server's id, V(name_id) by C(<name>_<id>).
      - "The role P(ecs_ops.compute.resize#role) looks a host's server up by C(inventory_hostname); with V(name_id), or to be
        safe from repeated names, give it the id with O(compose) (C(ecs_resize_server: ecs_id))."
    type: str
    choices: [name, id, name_id]
    default: name
  address_preference:
    description:
      - Where C(ansible_host) comes from, the first kind the server has, in this order; C(fixed) is the private address
        of a port, C(floating) the public one (C(OS-EXT-IPS:type)).
      - An empty list sets no C(ansible_host), nor does a server without such an address (Ansible then connects to the
        host name).
    type: list
    elements: str
    choices: [floating_ipv4, fixed_ipv4, floating_ipv6, fixed_ipv6]
    default: [floating_ipv4, fixed_ipv4, floating_ipv6, fixed_ipv6]
  vars_prefix:
    description:
      - Prefix of every host variable, C(<prefix>id), C(<prefix>name), C(<prefix>status), C(<prefix>vm_state),
        C(<prefix>task_state), C(<prefix>power_state), C(<prefix>locked), C(<prefix>flavor) (C(id), C(name), C(vcpus),
        C(ram) in MiB, C(disk) in GiB), C(<prefix>availability_zone), C(<prefix>metadata), C(<prefix>tags) (a list),
        C(<prefix>tags_dict) (a mapping), C(<prefix>addresses) (C(network), C(addr), C(version), C(type), C(mac)),
        C(<prefix>created), C(<prefix>updated), C(<prefix>project_id), C(<prefix>region), C(<prefix>cloud), C(<prefix>api).
    type: str
    default: ecs_
  default_groups:
    description:
      - Put hosts in the groups by flavor, status, availability zone, region and cloud. V(false) leaves only the groups
        of O(groups) and O(keyed_groups).
    type: bool
    default: true
  page_size:
    description:
      - Servers per request of the listing (C(limit)); the cloud returns at most 1000. 1000 servers take one request
        with O(api=ecs), two with O(api=nova) when the cloud links a full page to the next one.
    type: int
    default: 1000
notes:
  - "The inventory cache (O(cache)) keeps the servers the cloud listed; a second run with the cache sends no request at
    all (also no login). The cache holds no credentials. Changing the connection, O(api), O(page_size) or the filters
    the cloud applies makes the cached listing unused; C(--flush-cache) or C(meta: refresh_inventory) list again."
  - String options, O(auth) values and the entries of O(sources) may be templates, for example
    C("{{ lookup('ansible.builtin.env', 'OTC_PASSWORD') }}").
  - Errors (a connection that cannot work, an option out of range, the cloud refusing the listing) are one sentence in
    Ansible's "Failed to parse" warning; C(ANSIBLE_INVENTORY_UNPARSED_FAILED=true) makes them stop the run.
seealso:
  - module: ecs_ops.compute.ecs_server_info
  - module: ecs_ops.compute.ecs_resize
'''

EXAMPLES = r'''
# fleet.ecs.yml: every server of the project (clouds.yaml, cloud "otc"), grouped by flavor, status and zone.
# ansible-inventory -i fleet.ecs.yml --graph
plugin: ecs_ops.compute.ecs
cloud: otc

---
# web.ecs.yml: the running web servers (name and status filtered by the cloud, the tag checked on each server),
# the role's server given by id, a group per value of the metadata key "tier".
plugin: ecs_ops.compute.ecs
cloud: otc
filters:
  status: ACTIVE
  name: '^web-'
  tags: env=prod
compose:
  ecs_resize_server: ecs_id
keyed_groups:
  - key: ecs_metadata.tier | default('none')
    prefix: tier

---
# Then resize every s6.medium.2 server to s6.large.2, two at a time:
#   ansible-playbook ecs_ops.compute.resize -i fleet.ecs.yml \
#     -e ecs_resize_group=flavor_s6_medium_2 -e ecs_resize_flavor=s6.large.2 -e ecs_resize_serial=2

---
# Two regions in one source (the native ECS listing), each host knowing its region for the role; cached for an hour.
plugin: ecs_ops.compute.ecs
api: ecs
cloud: otc
sources:
  - region_name: eu-de
  - region_name: eu-nl
compose:
  ecs_resize_region_name: ecs_region
cache: true
cache_plugin: ansible.builtin.jsonfile
cache_connection: ~/.cache/ansible-inventory
cache_timeout: 3600

---
# AK/SK from the environment (HW_ACCESS_KEY, HW_SECRET_KEY, HW_PROJECT_ID, HW_REGION_NAME, HW_CLOUD_DOMAIN),
# hosts named by id, the private address for ansible_host.
plugin: ecs_ops.compute.ecs
auth_type: aksk
hostname_preference: id
address_preference: [fixed_ipv4]

---
# Password authentication given here, the password from the environment.
plugin: ecs_ops.compute.ecs
auth:
  auth_url: https://iam.eu-de.otc.t-systems.com/v3
  username: ansible
  password: "{{ lookup('ansible.builtin.env', 'OTC_PASSWORD') }}"
  user_domain_name: OTC00000000001000000xxx
  project_name: eu-de
region_name: eu-de
'''

from ansible.errors import AnsibleParserError
from ansible.plugins.inventory import BaseInventoryPlugin, Cacheable, Constructable

from ansible_collections.ecs_ops.compute.plugins.module_utils.compute import ComputeApi
from ansible_collections.ecs_ops.compute.plugins.module_utils.credentials import resolve_credentials
from ansible_collections.ecs_ops.compute.plugins.module_utils.errors import ApiError, EcsError, InputError
from ansible_collections.ecs_ops.compute.plugins.module_utils.inventory import (
    CONNECTION_KEYS, api_query, build_hosts, cache_entry, cache_fingerprint, cached_records, check_connection,
    check_settings, listing_microversion, parse_filters, server_record, source_params,
)
from ansible_collections.ecs_ops.compute.plugins.module_utils.resolve import server_flavors
from ansible_collections.ecs_ops.compute.plugins.module_utils.transport import HAS_REQUESTS


class InventoryModule(BaseInventoryPlugin, Constructable, Cacheable):

    NAME = 'ecs_ops.compute.ecs'

    def verify_file(self, path):
        return super(InventoryModule, self).verify_file(path) and path.endswith(('.ecs.yml', '.ecs.yaml'))

    def parse(self, inventory, loader, path, cache=True):
        super(InventoryModule, self).parse(inventory, loader, path, cache)
        self._read_config_data(path)
        try:
            filters, sources = self._plan()
            record_lists = self._records(path, filters, sources, cache)
            hosts, warnings = build_hosts(
                record_lists, filters, self.get_option('hostname_preference'), self.get_option('address_preference'),
                self.get_option('vars_prefix'), self.get_option('default_groups'))
        except EcsError as exc:
            raise AnsibleParserError(exc.message)
        for warning in warnings:
            self.display.warning(warning)
        self._populate(hosts)

    # -- options -----------------------------------------------------------------------------------

    def _plan(self):
        """The filters and the sources: [(connection params, api)], every option checked."""
        if not HAS_REQUESTS:
            raise EcsError('the inventory plugin ecs_ops.compute.ecs needs the Python library requests on the controller')
        check_settings(self.get_option('page_size'), self.get_option('hostname_preference'),
                       self.get_option('address_preference'), self.get_option('vars_prefix'))
        filters = parse_filters(self.get_option('filters'))
        base = dict((key, self.get_option(key)) for key in CONNECTION_KEYS)
        base = check_connection(self.templar.template(base), 'the inventory source')
        entries = self.get_option('sources') or [{}]
        sources = []
        for index, entry in enumerate(entries):
            params, api = source_params(base, self.templar.template(entry) if entry else {}, index)
            sources.append((params, api or self.get_option('api')))
        return filters, sources

    # -- the listing, or the cache ------------------------------------------------------------------

    def _records(self, path, filters, sources, cache):
        page_size = self.get_option('page_size')
        fingerprint = cache_fingerprint(sources, filters, page_size)
        use_cache = cache and self.get_option('cache')
        key = self.get_cache_key(path) if self.get_option('cache') else None
        if use_cache:
            try:
                found = cached_records(self._cache[key], fingerprint)
            except KeyError:
                found = None
            if found is not None:
                self.display.vvv('ecs_ops.compute.ecs: %d servers from the inventory cache' % sum(len(r) for r in found))
                return found
        record_lists = [self._list_source(params, api, filters, page_size) for params, api in sources]
        if self.get_option('cache'):
            self._cache[key] = cache_entry(fingerprint, record_lists)
        return record_lists

    def _list_source(self, params, api, filters, page_size):
        credentials = resolve_credentials(params)
        if credentials.verify is False:
            self.display.warning('TLS certificate verification is off (validate_certs=false): the connection to the cloud '
                                 'can be intercepted')
        compute = ComputeApi(credentials)
        try:
            query = api_query(filters, api)
            if api == 'ecs':
                docs = compute.ecs_list_servers(query, page_size)
                flavors = [None] * len(docs)  # ECS's documents carry the whole flavor
            else:
                microversion = listing_microversion(credentials.microversion, filters)
                try:
                    docs = compute.list_servers_paged(query, page_size, microversion)
                except ApiError as exc:
                    if credentials.microversion or exc.status not in (400, 406):
                        raise
                    if filters.tags:
                        raise InputError('the cloud refused microversion %s (HTTP %s), and before 2.26 it neither shows nor '
                                         'filters tags: set the microversion option to the newest one the cloud supports '
                                         '(2.26 or later), or remove filters.tags' % (microversion, exc.status))
                    self.display.vvv('ecs_ops.compute.ecs: the cloud refused microversion %s (HTTP %s): listing without one'
                                     % (microversion, exc.status))
                    docs = compute.list_servers_paged(query, page_size)
                flavors = server_flavors(compute, docs)
            records = [server_record(doc, api, credentials.region_name, credentials.cloud, flavor)
                       for doc, flavor in zip(docs, flavors)]
            self.display.vvv('ecs_ops.compute.ecs: %d servers listed by %s (%s API) in %d requests'
                             % (len(records), credentials.region_name or compute.compute_url, api, compute.calls))
            return records
        finally:
            compute.close()

    # -- hosts into the inventory --------------------------------------------------------------------

    def _populate(self, hosts):
        strict = self.get_option('strict')
        compose, groups, keyed_groups = self.get_option('compose'), self.get_option('groups'), self.get_option('keyed_groups')
        for host in hosts:
            self.inventory.add_host(host.name)
            for group in host.groups:
                self.inventory.add_group(group)
                self.inventory.add_child(group, host.name)
            for name, value in host.variables.items():
                self.inventory.set_variable(host.name, name, value)
            self._set_composite_vars(compose, host.variables, host.name, strict=strict)
            self._add_host_to_composed_groups(groups, host.variables, host.name, strict=strict)
            self._add_host_to_keyed_groups(keyed_groups, host.variables, host.name, strict=strict)
