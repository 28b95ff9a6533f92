#!/usr/bin/env python3
"""check_vcxproj.py - do viewer.sln's Visual Studio projects build what CMake builds?

Visual Studio cannot run here, so this compares each project with the description the mingw cross
build writes of every target (BUILD_WIN/targets/NAME.json, see tests/tools/CMakeLists.txt):

  - the solution lists one project per CMake target of src/ and nothing else, each x64 Debug/Release;
  - the same source files (.c, .rc) and no others;
  - the same libraries: CMake targets as ProjectReference, the rest as AdditionalDependencies;
  - the subsystem (Windows for WIN32_EXECUTABLE, Console for other programs), the project type;
  - the same preprocessor definitions and include folders for the compiler (and the resource compiler
    where there is a .rc); NDEBUG/_DEBUG are left out on both sides, since CMake puts them in
    per-configuration flags;
  - GenerateManifest=false where an .rc embeds a manifest (RT_MANIFEST), or the linker adds a second one;
  - the warning policy: C17, /W4, /WX, /utf-8, Unicode.

The projects are read with a small MSBuild evaluator: properties, item definitions and items in
MSBuild's order (all properties first), Directory.Build.props where Microsoft.Cpp.Default.props is
imported, ForceImportAfterCppProps after Microsoft.Cpp.props, $(property) and %(metadata) expansion,
and conditions of the form 'a'=='b' or 'a'!='b'. Anything else it cannot evaluate is reported.

Usage: check_vcxproj.py --targets BUILD_WIN/targets --root REPO_ROOT [--sync-sources]
Exit: 0 all match, 1 a difference (each printed), 77 no targets folder (the cross build was not made).

--sync-sources rewrites the <ItemGroup Label="Sources"> of each project to CMake's source list (in
CMake's order) before checking; everything else stays a deliberate, hand-made and checked choice.
"""
import argparse
import json
import os
import re
import sys
import xml.etree.ElementTree as ET

CONFIGS = ('Debug', 'Release')
PLATFORM = 'x64'
SOURCE_EXTS = ('.c', '.cpp', '.rc')
CONFIG_DEFINES = {'NDEBUG', '_DEBUG'}
MANIFEST_RE = re.compile(r'^\s*(1|CREATEPROCESS_MANIFEST_RESOURCE_ID)\s+(RT_MANIFEST|24)\b', re.M)
COND_RE = re.compile(r"^\s*'([^']*)'\s*(==|!=)\s*'([^']*)'\s*$")
PROP_RE = re.compile(r'\$\(([A-Za-z_][A-Za-z0-9_]*)\)')
SLN_PROJECT_RE = re.compile(r'^Project\("\{[^}]+\}"\)\s*=\s*"([^"]+)",\s*"([^"]+)",\s*"\{([^}]+)\}"', re.M)


def tag(el):
    return el.tag.split('}', 1)[-1]


class Project:
    """One .vcxproj evaluated for one configuration."""

    def __init__(self, path, config, root):
        self.path = os.path.abspath(path)
        self.dir = os.path.dirname(self.path)
        self.root = root
        self.problems = []
        self.props = {'Configuration': config, 'Platform': PLATFORM,
                      'MSBuildProjectName': os.path.splitext(os.path.basename(path))[0],
                      'MSBuildProjectDirectory': self.dir}
        self.meta = {}        # item type -> metadata name -> value (item definitions)
        self.items = []       # (item type, Include, metadata)
        elements = []         # (file dir, element) in import order
        self._collect(self.path, elements, set())
        for kind in ('PropertyGroup', 'ItemDefinitionGroup', 'ItemGroup'):
            for fdir, el in elements:
                if tag(el) == kind:
                    getattr(self, '_' + kind)(fdir, el)

    # -- evaluation ------------------------------------------------------------------------------
    def expand(self, s, fdir):
        def prop(m):
            name = m.group(1)
            if name == 'MSBuildThisFileDirectory':
                return fdir + os.sep
            return self.props.get(name, '')
        for _ in range(10):
            t = PROP_RE.sub(prop, s)
            if t == s:
                break
            s = t
        return s

    def cond(self, el, fdir):
        c = el.get('Condition')
        if c is None:
            return True
        m = COND_RE.match(self.expand(c, fdir))
        if not m:
            self.problems.append('%s: cannot evaluate the condition %r' % (self.rel(self.path), c))
            return False
        equal = m.group(1).lower() == m.group(3).lower()
        return equal if m.group(2) == '==' else not equal

    def _collect(self, path, elements, seen):
        if path in seen:
            return
        seen.add(path)
        try:
            project = ET.parse(path).getroot()
        except (OSError, ET.ParseError) as e:
            self.problems.append('cannot read %s: %s' % (path, e))
            return
        fdir = os.path.dirname(os.path.abspath(path))
        for el in project:
            if tag(el) != 'Import':
                elements.append((fdir, el))
                continue
            target = el.get('Project', '')
            if target.startswith('$(VCTargetsPath)'):
                # MSBuild's own files: only the two hooks into our files matter.
                if target.endswith('Microsoft.Cpp.Default.props'):
                    found = self._directory_build_props(fdir)
                    if found:
                        self._collect(found, elements, seen)
                elif target.endswith('Microsoft.Cpp.props'):
                    elements.append((fdir, ET.Element('WskForceImportAfterCppProps')))
                continue
            self._collect(os.path.join(fdir, self._winpath(self.expand(target, fdir))), elements, seen)
        # ForceImportAfterCppProps can only be resolved once properties are known: do it now, in place.
        for i, (edir, el) in enumerate(elements):
            if tag(el) == 'WskForceImportAfterCppProps':
                self._props_pass(elements[:i])
                extra = self.props.get('ForceImportAfterCppProps')
                sub = []
                if extra:
                    self._collect(os.path.join(edir, self._winpath(extra)), sub, seen)
                elements[i:i + 1] = sub
                break

    def _props_pass(self, elements):
        for fdir, el in elements:
            if tag(el) == 'PropertyGroup':
                self._PropertyGroup(fdir, el)

    def _directory_build_props(self, start):
        d = start
        while True:
            p = os.path.join(d, 'Directory.Build.props')
            if os.path.isfile(p):
                return p
            parent = os.path.dirname(d)
            if parent == d:
                return None
            d = parent

    @staticmethod
    def _winpath(p):
        return p.replace('\\', '/')

    def _PropertyGroup(self, fdir, group):
        if not self.cond(group, fdir):
            return
        for p in group:
            if self.cond(p, fdir):
                self.props[tag(p)] = self.expand(p.text or '', fdir)

    def _ItemDefinitionGroup(self, fdir, group):
        if not self.cond(group, fdir):
            return
        for item in group:
            if not self.cond(item, fdir):
                continue
            defs = self.meta.setdefault(tag(item), {})
            for m in item:
                if self.cond(m, fdir):
                    name = tag(m)
                    value = self.expand(m.text or '', fdir)
                    defs[name] = value.replace('%%(%s)' % name, defs.get(name, ''))

    def _ItemGroup(self, fdir, group):
        if not self.cond(group, fdir):
            return
        for item in group:
            if not self.cond(item, fdir):
                continue
            meta = {tag(m): self.expand(m.text or '', fdir) for m in item if self.cond(m, fdir)}
            self.items.append((tag(item), self.expand(item.get('Include', ''), fdir), meta))

    # -- views -----------------------------------------------------------------------------------
    def rel(self, path):
        return os.path.relpath(path, self.root).replace(os.sep, '/')

    def item_path(self, include):
        return self.rel(os.path.normpath(os.path.join(self.dir, self._winpath(include))))

    def tree_path(self, folder):
        """A folder named in the project (absolute, or relative to it) as a path in the source tree."""
        return self.item_path(folder).rstrip('/') or '.'

    def sources(self):
        out = set()
        for kind, inc, meta in self.items:
            if kind in ('ClCompile', 'ResourceCompile') and meta.get('ExcludedFromBuild', '').lower() != 'true':
                out.add(self.item_path(inc))
        return out

    def references(self):
        return [(inc, meta.get('Project', '')) for kind, inc, meta in self.items if kind == 'ProjectReference']

    def metadata(self, kind, name):
        return self.meta.get(kind, {}).get(name, '')


def split_list(value):
    return [v.strip() for v in value.split(';') if v.strip() and not v.strip().startswith('%(')]


def defines(values):
    return {v.replace('\\"', '"') for v in values if v.split('=', 1)[0] not in CONFIG_DEFINES}


def lib_name(name):
    base = os.path.basename(name.replace('\\', '/')).lower()
    if base.startswith('-l'):
        base = base[2:]
    return base[:-4] if base.endswith('.lib') else base


def cmake_sources(target):
    top = target['top_source_dir']
    out = set()
    for s in target['sources']:
        path = s if os.path.isabs(s) else os.path.join(target['source_dir'], s)
        if os.path.splitext(path)[1].lower() in SOURCE_EXTS:
            out.add(os.path.relpath(os.path.normpath(path), top).replace(os.sep, '/'))
    return out


def cmake_includes(target):
    top = target['top_source_dir']
    return {os.path.relpath(os.path.normpath(d), top).replace(os.sep, '/')
            for d in target.get('include_directories', [])}


def embeds_manifest(target):
    for s in cmake_sources(target):
        if s.endswith('.rc'):
            try:
                with open(os.path.join(target['top_source_dir'], s), encoding='utf-8', errors='replace') as f:
                    if MANIFEST_RE.search(f.read()):
                        return True
            except OSError:
                pass
    return False


def sync_sources(path, target, root):
    """Rewrite the project's Sources item group from CMake's list. Returns True if the file changed."""
    with open(path, encoding='utf-8', newline='') as f:
        text = f.read()
    nl = '\r\n' if '\r\n' in text else '\n'
    m = re.search(r'( *)<ItemGroup Label="Sources">.*?</ItemGroup>', text, re.S)
    if not m:
        return False
    indent = m.group(1)
    lines = [indent + '<ItemGroup Label="Sources">']
    proj_dir = os.path.dirname(os.path.abspath(path))
    for s in target['sources']:
        full = s if os.path.isabs(s) else os.path.join(target['source_dir'], s)
        ext = os.path.splitext(full)[1].lower()
        if ext not in SOURCE_EXTS:
            continue
        # Via the path inside the source tree, so a copy of the projects elsewhere (the self-test) works too.
        in_tree = os.path.relpath(os.path.normpath(full), target['top_source_dir'])
        rel = os.path.relpath(os.path.join(root, in_tree), proj_dir).replace('/', '\\')
        kind = 'ResourceCompile' if ext == '.rc' else 'ClCompile'
        lines.append('%s  <%s Include="%s" />' % (indent, kind, rel))
    lines.append(indent + '</ItemGroup>')
    new = text[:m.start()] + nl.join(lines) + text[m.end():]
    if new == text:
        return False
    with open(path, 'w', encoding='utf-8', newline='') as f:
        f.write(new)
    return True


def check_project(name, path, guid, target, targets, guids, root):
    """Problems of one project, for every configuration (each reported once)."""
    problems = []

    def report(msg):
        if msg not in problems:
            problems.append(msg)

    for config in CONFIGS:
        p = Project(path, config, root)
        for msg in p.problems:
            report(msg)
        where = '%s [%s|%s]' % (name, config, PLATFORM)
        configs = {inc for kind, inc, _ in p.items if kind == 'ProjectConfiguration'}
        if '%s|%s' % (config, PLATFORM) not in configs:
            report('%s: no ProjectConfiguration %s|%s' % (where, config, PLATFORM))
        if p.props.get('ProjectGuid', '').strip('{}').upper() != guid.upper():
            report('%s: ProjectGuid %s differs from the solution\'s {%s}' % (name, p.props.get('ProjectGuid'), guid))

        want, got = cmake_sources(target), p.sources()
        for s in sorted(want - got):
            report('%s: missing source %s (CMake builds it)' % (where, s))
        for s in sorted(got - want):
            report('%s: extra source %s (CMake does not build it)' % (where, s))

        want_type = {'STATIC_LIBRARY': 'StaticLibrary', 'EXECUTABLE': 'Application'}.get(target['type'])
        if want_type is None:
            report('%s: CMake type %s has no Visual Studio counterpart here' % (where, target['type']))
        elif p.props.get('ConfigurationType') != want_type:
            report('%s: ConfigurationType %s, expected %s' % (where, p.props.get('ConfigurationType'), want_type))
        if target['type'] == 'EXECUTABLE':
            want_sub = 'Windows' if target['win32_executable'] else 'Console'
            if p.metadata('Link', 'SubSystem') != want_sub:
                report('%s: SubSystem %r, expected %s' % (where, p.metadata('Link', 'SubSystem'), want_sub))

        want_refs, want_libs = set(), set()
        for lib in target['link_libraries']:
            (want_refs if lib in targets else want_libs).add(lib if lib in targets else lib_name(lib))
        got_libs = {lib_name(l) for l in split_list(p.metadata('Link', 'AdditionalDependencies'))}
        if target['type'] == 'STATIC_LIBRARY':
            got_libs |= {lib_name(l) for l in split_list(p.metadata('Lib', 'AdditionalDependencies'))}
        for l in sorted(want_libs - got_libs):
            report('%s: library %s missing from AdditionalDependencies' % (where, l))
        for l in sorted(got_libs - want_libs):
            report('%s: library %s is not linked by CMake' % (where, l))
        got_refs = {}
        for inc, ref_guid in p.references():
            got_refs[os.path.splitext(os.path.basename(inc.replace('\\', '/')))[0]] = ref_guid
        for r in sorted(want_refs - set(got_refs)):
            report('%s: no ProjectReference to %s.vcxproj (CMake links %s)' % (where, r, r))
        for r in sorted(set(got_refs) - want_refs):
            report('%s: ProjectReference to %s, which CMake does not link' % (where, r))
        for r, ref_guid in got_refs.items():
            if r in guids and ref_guid.strip('{}').upper() != guids[r].upper():
                report('%s: ProjectReference to %s names GUID %s, the solution has {%s}' % (where, r, ref_guid, guids[r]))

        want_defs = defines(target['compile_definitions'])
        kinds = ['ClCompile'] + (['ResourceCompile'] if any(s.endswith('.rc') for s in want) else [])
        for kind in kinds:
            got_defs = defines(split_list(p.metadata(kind, 'PreprocessorDefinitions')))
            for d in sorted(want_defs - got_defs):
                report('%s: %s lacks the define %s' % (where, kind, d))
            for d in sorted(got_defs - want_defs):
                report('%s: %s defines %s, CMake does not' % (where, kind, d))

        want_incs = cmake_includes(target)
        for kind in kinds:
            got_incs = {p.tree_path(d) for d in split_list(p.metadata(kind, 'AdditionalIncludeDirectories'))}
            for d in sorted(want_incs - got_incs):
                report('%s: %s lacks the include folder %s' % (where, kind, d))
            for d in sorted(got_incs - want_incs):
                report('%s: %s searches %s, CMake does not' % (where, kind, d))

        if embeds_manifest(target):
            gen = p.props.get('GenerateManifest', p.metadata('Link', 'GenerateManifest')).lower()
            if gen != 'false':
                report('%s: the .rc embeds a manifest, so GenerateManifest must be false (is %r)' % (where, gen))

        policy = [('LanguageStandard_C', 'stdc17'), ('WarningLevel', 'Level4'), ('TreatWarningAsError', 'true')]
        for key, value in policy:
            if p.metadata('ClCompile', key).lower() != value.lower():
                report('%s: ClCompile %s is %r, expected %s' % (where, key, p.metadata('ClCompile', key), value))
        if '/utf-8' not in p.metadata('ClCompile', 'AdditionalOptions').split():
            report('%s: /utf-8 is not in ClCompile AdditionalOptions' % where)
        if p.props.get('CharacterSet') != 'Unicode':
            report('%s: CharacterSet is %r, expected Unicode' % (where, p.props.get('CharacterSet')))
    return problems


def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('--targets', required=True, help='the cross build\'s targets folder')
    ap.add_argument('--root', required=True, help='the folder holding viewer.sln')
    ap.add_argument('--sync-sources', action='store_true', help='first rewrite each project\'s source list')
    args = ap.parse_args()
    root = os.path.abspath(args.root)

    if not os.path.isdir(args.targets):
        print('check_vcxproj: %s does not exist: the cross build was not made (skipped)' % args.targets)
        return 77
    targets = {}
    for f in sorted(os.listdir(args.targets)):
        if f.endswith('.json'):
            with open(os.path.join(args.targets, f), encoding='utf-8') as fh:
                t = json.load(fh)
            targets[t['name']] = t
    if not targets:
        print('check_vcxproj: no target descriptions in %s' % args.targets)
        return 1

    sln = os.path.join(root, 'viewer.sln')
    try:
        with open(sln, encoding='utf-8-sig') as fh:
            sln_text = fh.read()
    except OSError as e:
        print('check_vcxproj: cannot read %s: %s' % (sln, e))
        return 1
    projects = {name: (os.path.join(root, path.replace('\\', '/')), guid)
                for name, path, guid in SLN_PROJECT_RE.findall(sln_text)}
    guids = {name: guid for name, (_, guid) in projects.items()}

    passed = failed = 0

    def verdict(what, problems):
        nonlocal passed, failed
        if problems:
            failed += 1
            print('FAIL %s' % what)
            for msg in problems:
                print('     %s' % msg)
        else:
            passed += 1
            print('ok   %s' % what)

    sln_problems = []
    for name in sorted(set(targets) - set(projects)):
        sln_problems.append('CMake target %s has no project in viewer.sln' % name)
    for name in sorted(set(projects) - set(targets)):
        sln_problems.append('viewer.sln project %s is not a CMake target' % name)
    listed = {os.path.normpath(path) for path, _ in projects.values()}
    for dirpath, dirnames, files in os.walk(root):
        dirnames[:] = [d for d in dirnames if not d.startswith(('build', '.'))]   # build trees, .git
        for f in files:
            if f.endswith('.vcxproj') and os.path.normpath(os.path.join(dirpath, f)) not in listed:
                sln_problems.append('%s is not in viewer.sln' % os.path.relpath(os.path.join(dirpath, f), root))
    for name, (_, guid) in sorted(projects.items()):
        for config in CONFIGS:
            for what in ('ActiveCfg', 'Build.0'):
                line = '{%s}.%s|%s.%s = %s|%s' % (guid, config, PLATFORM, what, config, PLATFORM)
                if line.lower() not in sln_text.lower():
                    sln_problems.append('viewer.sln lacks "%s" (%s)' % (line, name))
    verdict('viewer.sln', sln_problems)

    for name in sorted(set(projects) & set(targets)):
        path, guid = projects[name]
        if args.sync_sources and sync_sources(path, targets[name], root):
            print('     %s: source list rewritten from CMake' % os.path.relpath(path, root))
        verdict(name, check_project(name, path, guid, targets[name], targets, guids, root))

    print('%d passed, %d failed' % (passed, failed))
    return 1 if failed else 0


if __name__ == '__main__':
    sys.exit(main())
