#!/usr/bin/env python3
"""test_check_vcxproj.py - the Visual Studio project checker must catch what it claims to catch.

Copies viewer.sln, Directory.Build.props and msvc/ into a temporary folder, brings the copy's source
lists in line with CMake (--sync-sources, so the test does not depend on the projects being in sync
today: tools.check_vcxproj says that), checks that the copy passes, then breaks one thing at a time
and checks that the checker fails, naming the fault.

Usage: test_check_vcxproj.py --targets BUILD_WIN/targets --root REPO_ROOT
Exit: 0 all cases behave, 1 otherwise, 77 no targets folder (the cross build was not made).
"""
import argparse
import os
import shutil
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
CHECKER = os.path.join(HERE, 'check_vcxproj.py')

# (name, file to edit, text to find, replacement, what the checker must say)
MUTATIONS = [
    ('missing source', 'msvc/wskview.vcxproj', '    <ClCompile Include="..\\src\\gui\\main.c" />\r\n', '',
     'missing source src/gui/main.c'),
    ('extra source', 'msvc/wskview.vcxproj', '<ClCompile Include="..\\src\\gui\\main.c" />',
     '<ClCompile Include="..\\src\\gui\\main.c" /><ClCompile Include="..\\src\\gui\\extra.c" />',
     'extra source src/gui/extra.c'),
    ('missing library', 'msvc/wskview.vcxproj', 'comctl32.lib;', '',
     'library comctl32 missing'),
    ('extra library', 'msvc/wskdump.vcxproj', '<SubSystem>Console</SubSystem>',
     '<SubSystem>Console</SubSystem><AdditionalDependencies>ws2_32.lib</AdditionalDependencies>',
     'library ws2_32 is not linked by CMake'),
    ('wrong subsystem', 'msvc/wskview.vcxproj', '<SubSystem>Windows</SubSystem>', '<SubSystem>Console</SubSystem>',
     "SubSystem 'Console', expected Windows"),
    ('linker manifest on', 'msvc/wskview.vcxproj', '<GenerateManifest>false</GenerateManifest>', '',
     'GenerateManifest must be false'),
    ('missing define', 'msvc/common.props', 'WIN32_LEAN_AND_MEAN;', '',
     'lacks the define WIN32_LEAN_AND_MEAN'),
    ('missing include folder', 'msvc/wskview.vcxproj', '<AdditionalIncludeDirectories>$(WskRoot)res;',
     '<AdditionalIncludeDirectories>', 'ClCompile lacks the include folder res'),
    ('version drift', 'Directory.Build.props', '<WskVersionMinor>1</WskVersionMinor>',
     '<WskVersionMinor>7</WskVersionMinor>', 'lacks the define WSK_VERSION_MINOR=1'),
    ('missing project reference', 'msvc/wskdump.vcxproj', 'Include="wskcore.vcxproj"', 'Include="nothing.vcxproj"',
     'no ProjectReference to wskcore.vcxproj'),
    ('warnings not errors', 'msvc/common.props', '<TreatWarningAsError>true</TreatWarningAsError>', '',
     'TreatWarningAsError'),
    ('project missing from the solution', 'viewer.sln', '"wskgen", ', '"wskgen-old", ',
     'CMake target wskgen has no project in viewer.sln'),
]


def run_checker(targets, root, *extra):
    r = subprocess.run([sys.executable, CHECKER, '--targets', targets, '--root', root] + list(extra),
                       stdout=subprocess.PIPE, stderr=subprocess.STDOUT, universal_newlines=True)
    return r.returncode, r.stdout


def copy_projects(src, dst):
    shutil.copy2(os.path.join(src, 'viewer.sln'), dst)
    shutil.copy2(os.path.join(src, 'Directory.Build.props'), dst)
    shutil.copytree(os.path.join(src, 'msvc'), os.path.join(dst, 'msvc'))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--targets', required=True)
    ap.add_argument('--root', required=True)
    args = ap.parse_args()
    if not os.path.isdir(args.targets):
        print('test_check_vcxproj: %s does not exist: the cross build was not made (skipped)' % args.targets)
        return 77
    targets = os.path.abspath(args.targets)
    passed = failed = 0
    with tempfile.TemporaryDirectory(prefix='wsk-vcxproj-') as tmp:
        base = os.path.join(tmp, 'base')
        os.mkdir(base)
        copy_projects(os.path.abspath(args.root), base)
        rc, out = run_checker(targets, base, '--sync-sources')
        if rc == 0:
            passed += 1
            print('ok   synced copy passes')
        else:
            failed += 1
            print('FAIL synced copy passes (exit %d)\n%s' % (rc, out))
        for name, rel, old, new, expect in MUTATIONS:
            case = os.path.join(tmp, 'case')
            shutil.rmtree(case, ignore_errors=True)
            shutil.copytree(base, case)
            path = os.path.join(case, rel)
            with open(path, encoding='utf-8-sig' if rel.endswith('.sln') else 'utf-8', newline='') as f:
                text = f.read()
            if old not in text:
                failed += 1
                print('FAIL %s: %r not found in %s (the test is out of date)' % (name, old, rel))
                continue
            with open(path, 'w', encoding='utf-8', newline='') as f:
                f.write(text.replace(old, new, 1))
            rc, out = run_checker(targets, case)
            if rc == 1 and expect in out:
                passed += 1
                print('ok   %s: caught' % name)
            else:
                failed += 1
                print('FAIL %s: exit %d, expected 1 and "%s" in:\n%s' % (name, rc, expect, out))
    print('%d passed, %d failed' % (passed, failed))
    return 1 if failed else 0


if __name__ == '__main__':
    sys.exit(main())
