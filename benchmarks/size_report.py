#!/usr/bin/env python3
"""Report the stripped code size of libedgert and check the runtime core against a budget.

Usage:
  size_report.py BUILD_DIR [--check benchmarks/size_budget.json] [--objects] [--tool-prefix P]

What is measured, and why:
  * The object files of the `edgert` CMake target (BUILD_DIR/CMakeFiles/edgert.dir/src/...):
      core    = src/runtime/*.o (loader, verifier, planner, interpreter, C API),
      ops     = src/ops/*.o (the kernels are header-only, so their code lands here),
      library = core + ops together (what libedgert.a brings; XNNPACK is not counted).
  * Each component's objects are first combined with `ld -r`, which keeps one copy of every
    COMDAT group (inline functions and templates that several objects instantiate), so shared
    code is counted once, as the final link would. Without `ld`, objects are summed one by one
    and the report says that such duplicates are counted.
  * The combined object is stripped (`strip --strip-unneeded`) and its bytes are the sum of the
    .text*, .rodata* and .data* sections (`size -A`): the code, constants and initialised data a
    program carries. Not counted: .bss (takes no file space), symbols and debug info (gone after
    strip), and the unwind tables (.eh_frame, .gcc_except_table), shown apart as "eh".
  * A shared libedgert.so found in BUILD_DIR (a -DBUILD_SHARED_LIBS=ON build) is measured the
    same way, with the size of the stripped file; it is reported, never checked.
  The core and the ops share some inline code, so library <= core + ops.
  Sizes depend on the build type: measure a Release, RelWithDebInfo or MinSizeRel build.

Exit status: 0 when fine, 1 when --check finds the core over its budget, 2 on errors (no
objects found, a tool missing or failing, a bad budget file).
"""

import argparse
import glob
import json
import os
import shutil
import subprocess
import sys
import tempfile

COUNTED = ('.text', '.rodata', '.data')
UNWIND = ('.eh_frame', '.gcc_except_table')


class ReportError(Exception):
    pass


def run_tool(argv):
    try:
        result = subprocess.run(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                universal_newlines=True)
    except OSError as e:
        raise ReportError('cannot run %s: %s' % (argv[0], e))
    if result.returncode != 0:
        raise ReportError('%s failed: %s' % (' '.join(argv[:2]), result.stderr.strip()))
    return result.stdout


def section_sizes(tools, path):
    """Returns {section name: bytes} from `size -A` (System V format) of one file."""
    sizes = {}
    for line in run_tool([tools['size'], '-A', '-d', path]).splitlines():
        parts = line.split()
        if len(parts) >= 2 and parts[0].startswith('.') and parts[1].isdigit():
            sizes[parts[0]] = sizes.get(parts[0], 0) + int(parts[1])
    return sizes


def categorise(sizes):
    """Sums sections into text / rodata / data / eh by name, and bytes = text + rodata + data."""
    out = {'text': 0, 'rodata': 0, 'data': 0, 'eh': 0}
    for name, n in sizes.items():
        # The prefix must be the whole name or be followed by a dot: ".data.rel.ro" is data.
        for prefix in COUNTED:
            if name == prefix or name.startswith(prefix + '.'):
                out[prefix[1:]] += n
                break
        else:
            if name in UNWIND:
                out['eh'] += n
    out['bytes'] = out['text'] + out['rodata'] + out['data']
    return out


def measure_objects(tools, objects, workdir, label):
    """Combines objects with ld -r (one copy of each COMDAT group), strips them, measures."""
    if tools['ld']:
        combined = os.path.join(workdir, label + '.o')
        run_tool([tools['ld'], '-r', '-o', combined] + objects)
        run_tool([tools['strip'], '--strip-unneeded', combined])
        result = categorise(section_sizes(tools, combined))
        result['deduplicated'] = True
        return result
    # No linker: sum stripped copies one by one; inline code is counted once per object.
    total = {'text': 0, 'rodata': 0, 'data': 0, 'eh': 0, 'bytes': 0}
    for i, obj in enumerate(objects):
        copy = os.path.join(workdir, '%s_%d.o' % (label, i))
        shutil.copyfile(obj, copy)
        run_tool([tools['strip'], '--strip-unneeded', copy])
        for key, n in categorise(section_sizes(tools, copy)).items():
            total[key] += n
    total['deduplicated'] = False
    return total


def measure_shared(tools, path, workdir):
    copy = os.path.join(workdir, os.path.basename(path))
    shutil.copyfile(path, copy)
    run_tool([tools['strip'], '--strip-unneeded', copy])
    result = categorise(section_sizes(tools, copy))
    result['file_bytes'] = os.path.getsize(copy)
    return result


def find_tools(prefix):
    tools = {name: shutil.which(prefix + name) for name in ('size', 'strip', 'ld')}
    for name in ('size', 'strip'):
        if not tools[name]:
            raise ReportError('%s%s not found (install binutils)' % (prefix, name))
    return tools


def load_budget(path):
    try:
        with open(path) as f:
            budget = json.load(f)
    except (OSError, ValueError) as e:
        raise ReportError('cannot read budget %s: %s' % (path, e))
    core = budget.get('core_bytes') if isinstance(budget, dict) else None
    if not isinstance(core, int) or isinstance(core, bool) or core <= 0:
        raise ReportError('%s: "core_bytes" must be a positive integer' % path)
    return core


def measure(args, tools):
    """Returns the table rows [(component, sizes)] and the rows of single objects."""
    objdir = os.path.join(args.build_dir, 'CMakeFiles', 'edgert.dir', 'src')
    core = sorted(glob.glob(os.path.join(objdir, 'runtime', '*.o')))
    ops = sorted(glob.glob(os.path.join(objdir, 'ops', '*.o')))
    if not core or not ops:
        raise ReportError('no edgert objects under %s (build the edgert target first)' % objdir)
    with tempfile.TemporaryDirectory(prefix='ert_size_') as workdir:
        rows = [
            ('core (src/runtime, %d objects)' % len(core),
             measure_objects(tools, core, workdir, 'core')),
            ('ops+kernels (src/ops, %d objects)' % len(ops),
             measure_objects(tools, ops, workdir, 'ops')),
            ('libedgert (core+ops, static)',
             measure_objects(tools, core + ops, workdir, 'lib')),
        ]
        shared = sorted(p for p in glob.glob(os.path.join(args.build_dir, 'libedgert.so*'))
                        if not os.path.islink(p))
        if shared:
            rows.append(('libedgert.so (shared, stripped)',
                         measure_shared(tools, shared[0], workdir)))
        singles = []
        if args.objects:
            for obj in core + ops:
                singles.append((os.path.relpath(obj, objdir),
                                measure_objects(tools, [obj], workdir, 'one')))
    return rows, singles


def print_table(rows, singles):
    width = max(len(name) for name, _ in rows + singles)
    header = '%-*s %10s %10s %10s %8s %8s' % (width, 'component', 'bytes', 'text', 'rodata',
                                              'data', 'eh')
    print(header)
    print('-' * len(header))
    for i, (name, m) in enumerate(rows + singles):
        if i == len(rows):
            print('-' * len(header))
        print('%-*s %10d %10d %10d %8d %8d' % (width, name, m['bytes'], m['text'], m['rodata'],
                                               m['data'], m['eh']))
    print('bytes = .text* + .rodata* + .data* of stripped objects; .bss, symbols, debug info '
          'and eh (unwind tables) not counted; XNNPACK not counted.')
    for name, m in rows:
        if 'file_bytes' in m:
            print('%s: stripped file is %d bytes.' % (name, m['file_bytes']))


def main(argv):
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('build_dir', help='a CMake build directory where edgert was built')
    parser.add_argument('--check', metavar='BUDGET_JSON',
                        help='exit 1 when the core exceeds "core_bytes" of this file')
    parser.add_argument('--objects', action='store_true',
                        help='also list every object file, measured on its own')
    parser.add_argument('--tool-prefix', default='',
                        help='binutils prefix for cross builds, e.g. aarch64-linux-gnu-')
    args = parser.parse_args(argv)

    try:
        tools = find_tools(args.tool_prefix)
        budget = load_budget(args.check) if args.check else None
        rows, singles = measure(args, tools)
    except ReportError as e:
        print('size_report: %s' % e, file=sys.stderr)
        return 2

    print_table(rows, singles)
    if not rows[0][1]['deduplicated']:
        print('note: no %sld found, so inline code shared by objects is counted once per '
              'object.' % args.tool_prefix)
    if budget is not None:
        core_bytes = rows[0][1]['bytes']
        if core_bytes > budget:
            print('FAIL: the core is %d bytes, %d over its budget of %d bytes (%s).' %
                  (core_bytes, core_bytes - budget, budget, args.check), file=sys.stderr)
            return 1
        print('OK: the core is %d bytes, within its budget of %d bytes (%.0f%% used).' %
              (core_bytes, budget, 100.0 * core_bytes / budget))
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
