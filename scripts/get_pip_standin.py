# -*- coding: utf-8 -*-
# Copyright: (c) 2026, ecs_ops maintainers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Offline stand-in for the get-pip.py that ansible-test downloads to bootstrap pip into its venvs.

ansible-test runs this file (copied to ~/.ansible/test/cache/get_pip_<version>.py by
scripts/sanity.sh) as ``__main__`` with get-pip's arguments, e.g.
``--disable-pip-version-check pip==24.2 --no-setuptools --no-wheel``.
The download host is unreachable here; the package index is not, so: bundled pip via
ensurepip, then ``pip install`` of the requested packages.
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import subprocess
import sys

# get-pip.py options that are not pip options.
GET_PIP_ONLY = ('--no-setuptools', '--no-wheel')


def main():
    args = [a for a in sys.argv[1:] if a not in GET_PIP_ONLY]
    subprocess.check_call([sys.executable, '-m', 'ensurepip', '--default-pip'], stdout=subprocess.DEVNULL)
    packages = [a for a in args if not a.startswith('-')]
    if packages:
        subprocess.check_call([sys.executable, '-m', 'pip', 'install', '--quiet'] + args)


if __name__ == '__main__':
    main()
