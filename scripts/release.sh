#!/usr/bin/env bash
# `make release VERSION=x.y.z`: cut a release in this work tree (docs/releasing.md), or fail saying why.
#   before: VERSION is a semantic version newer than the last release in changelogs/changelog.yaml;
#           galaxy.yml, changelogs/ and CHANGELOG.rst have no uncommitted changes; the fragments lint,
#           describe at least one change, and one of them has the release_summary;
#   then:   galaxy.yml version := VERSION; antsibull-changelog release --version VERSION;
#   after:  changelog.yaml records VERSION, CHANGELOG.rst has its section, no fragment is left,
#           lint-changelog-yaml passes, and `antsibull-changelog generate` reproduces CHANGELOG.rst.
# Nothing is committed, tagged or published: review `git diff`, then follow docs/releasing.md.
set -euo pipefail
# shellcheck source=scripts/common.sh
. "$(dirname "$0")/common.sh"
cd "$ROOT"
export PATH=$VENV_BIN:$PATH
VERSION=${1:-}

die() { printf 'release: ERROR: %s\n' "$*" >&2; exit 1; }

[ -n "$VERSION" ] || die "no version: make release VERSION=x.y.z"
python - "$VERSION" <<'PY' || exit 1
import re, sys
import yaml
semver = re.compile(r'^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(-[0-9A-Za-z.-]+)?$')
version = sys.argv[1]
if not semver.match(version):
    sys.exit('release: ERROR: %r is not a semantic version (x.y.z or x.y.z-pre)' % version)
def key(v):
    m = semver.match(v)
    return tuple(int(m.group(i)) for i in (1, 2, 3)) + (m.group(4) is None, m.group(4) or '')
releases = (yaml.safe_load(open('changelogs/changelog.yaml')) or {}).get('releases') or {}
newer = [str(v) for v in releases if key(str(v)) >= key(version)]
if newer:
    sys.exit('release: ERROR: %s is not newer than the release(s) %s in changelogs/changelog.yaml' % (version, ', '.join(sorted(newer))))
print('release %s (after %s)' % (version, max(map(str, releases), key=key) if releases else 'no release yet'))
PY

if ! git diff --quiet HEAD -- galaxy.yml changelogs CHANGELOG.rst 2>/dev/null \
    || [ -n "$(git ls-files --others --exclude-standard -- galaxy.yml CHANGELOG.rst changelogs/changelog.yaml)" ]; then
  die "galaxy.yml, changelogs/ or CHANGELOG.rst have changes that are not committed: commit them (fragments too) first"
fi

python - <<'PY' || exit 1
import os, sys
import yaml
names = sorted(n for n in os.listdir('changelogs/fragments') if n.endswith(('.yml', '.yaml')))
fragments = {n: yaml.safe_load(open(os.path.join('changelogs/fragments', n))) or {} for n in names}
changes = [n for n, f in fragments.items() if isinstance(f, dict) and set(f) - {'release_summary'}]
summaries = [n for n, f in fragments.items() if isinstance(f, dict) and f.get('release_summary')]
if not changes:
    sys.exit('release: ERROR: changelogs/fragments/ describes no change: nothing to release')
if len(summaries) != 1:
    sys.exit('release: ERROR: exactly one fragment must hold the release_summary (found %d: %s); add e.g. '
             'changelogs/fragments/<version>.yml with "release_summary: What this release brings, in a few lines."'
             % (len(summaries), ', '.join(summaries) or 'none'))
# antsibull-changelog writes fragments into CHANGELOG.rst as they are (RST): Ansible's semantic markup
# (O(), V(), M(), ...) is not rendered there and would reach the reader raw.
import re
markup = re.compile(r'(?<![A-Za-z0-9_])(?:M|O|V|RV|E|C|P|I|U|L|B)\([^)\s][^)]*\)')
raw = ['%s: %s' % (n, ', '.join(sorted(set(markup.findall(yaml.safe_dump(f)))))[:200]) for n, f in fragments.items()
       if markup.search(yaml.safe_dump(f))]
if raw:
    sys.exit('release: ERROR: fragments use Ansible markup that CHANGELOG.rst would show raw; write RST instead '
             '(``option=value``, ``ecs_ops.compute.ecs_resize``):\n  ' + '\n  '.join(raw))
print('%d fragments, release summary in %s' % (len(names), summaries[0]))
PY

# Every plugin's version_added names a release: an earlier one, or this one (antsibull-changelog lists the
# plugins whose version_added is this version as new in it; the docs site says "New in ... <version_added>").
python - "$VERSION" <<'PY' || exit 1
import ast, glob, sys
import yaml
version = sys.argv[1]
releases = set(map(str, ((yaml.safe_load(open('changelogs/changelog.yaml')) or {}).get('releases') or {})))
problems = []
for path in sorted(glob.glob('plugins/*/*.py')):
    for node in ast.parse(open(path).read()).body:
        if isinstance(node, ast.Assign) and any(getattr(t, 'id', None) == 'DOCUMENTATION' for t in node.targets):
            added = str((yaml.safe_load(node.value.value) or {}).get('version_added', ''))
            if added not in releases | {version}:
                problems.append('%s: version_added %r' % (path, added))
if problems:
    sys.exit('release: ERROR: version_added names no release (released: %s; this one: %s); a plugin new in this '
             'release says version_added: %s:\n  %s' % (', '.join(sorted(releases)) or 'none', version, version,
                                                       '\n  '.join(problems)))
PY
antsibull-changelog lint || die "antsibull-changelog lint found problems in the fragments"

# galaxy.yml: only the version line changes (comments and layout stay)
sed -i -E "s/^version:[[:space:]].*$/version: $VERSION/" galaxy.yml
[ "$(python -c 'import yaml; print(yaml.safe_load(open("galaxy.yml"))["version"])')" = "$VERSION" ] \
  || die "could not set version: $VERSION in galaxy.yml"

antsibull-changelog release --version "$VERSION"

python - "$VERSION" <<'PY' || exit 1
import os, re, sys
import yaml
version = sys.argv[1]
releases = (yaml.safe_load(open('changelogs/changelog.yaml')) or {}).get('releases') or {}
problems = []
if version not in map(str, releases):
    problems.append('changelogs/changelog.yaml does not record %s' % version)
text = open('CHANGELOG.rst').read() if os.path.isfile('CHANGELOG.rst') else ''
if not re.search(r'^v%s\n=+$' % re.escape(version), text, re.M):
    problems.append('CHANGELOG.rst has no section v%s' % version)
left = [n for n in os.listdir('changelogs/fragments') if n.endswith(('.yml', '.yaml'))]
if left:
    problems.append('fragments left in changelogs/fragments/: %s' % ', '.join(left))
if problems:
    sys.exit('release: ERROR: ' + '; '.join(problems))
PY
antsibull-changelog lint-changelog-yaml changelogs/changelog.yaml || die "changelogs/changelog.yaml does not lint"
mkdir -p "$CACHE"
cp CHANGELOG.rst "$CACHE/CHANGELOG.rst.released"
antsibull-changelog generate
cmp -s CHANGELOG.rst "$CACHE/CHANGELOG.rst.released" || die "antsibull-changelog generate writes a different CHANGELOG.rst"
# git does not keep an empty directory: keep changelogs/fragments/ for the next release's fragments
touch changelogs/fragments/.keep

echo "release: $VERSION is cut in the work tree. Next (docs/releasing.md):"
echo "  git diff                      # review galaxy.yml, changelogs/changelog.yaml, CHANGELOG.rst"
echo "  git add -A galaxy.yml changelogs CHANGELOG.rst && git commit -m 'Release $VERSION'"
echo "  make test && git tag $VERSION && git push origin main $VERSION"
echo "  make package && ansible-galaxy collection publish .cache/build/ecs_ops-compute-$VERSION.tar.gz"
