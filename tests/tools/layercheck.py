#!/usr/bin/env python3
"""tests/tools/layercheck.py — the layer check (src/README).

layercheck.py ROOT CC FLAGS... -- [OBJDIR]

1. Every folder with a README (src/, src/*/, drivers/) says which project
   headers its files may include ("May include:", folders end in /) and
   which libraries ("Libraries:").  Each of its .c and .h files is run
   through the preprocessor with -M, so transitive includes count too, and
   every header it reads must be allowed.
2. With OBJDIR (the build directory): the objects of src/signal and
   src/judge, with those of the shared files they may include, link into a
   program with libc, libm and pthread alone, and `nm -u` finds none of
   the I/O family in them.

Exit 0 when everything holds, 1 with one line per violation."""
import glob, os, re, subprocess, sys, tempfile

LIBS = {
    "ncursesw": r"/(n?curses[^/]*\.h|ncursesw/|term\.h$|unctrl\.h$|panel\.h$)",
    "liblo": r"/lo/",
    "edflib": r"/edflib\.h$",
    "libserialport": r"/libserialport\.h$",
    "inih": r"/ini\.h$",
    "cairo": r"/cairo/",
    "check": r"/check\.h$",
}
# The I/O family the pure core must not call (tests read it as a list).
IO_SYMBOLS = set("""open open64 openat creat read write pread pwrite readv writev
fopen fopen64 fdopen freopen fclose fread fwrite fgets fputs fputc fgetc puts
putchar getchar printf fprintf vprintf vfprintf dprintf perror fflush fsync
fdatasync socket send sendto recv recvfrom ioctl poll select __printf_chk
__fprintf_chk __vfprintf_chk __vprintf_chk __fread_chk __read_chk""".split())
PURE = ["src/signal", "src/judge"]


def readme_rules(root, folder):
    text = open(os.path.join(root, folder, "README")).read()
    inc = re.search(r"^May include:(.*)$", text, re.M)
    lib = re.search(r"^Libraries:(.*)$", text, re.M)
    if not inc or not lib:
        return None
    allowed = inc.group(1).split() + [folder + "/"]
    libs = [w for w in lib.group(1).split() if w != "none"]
    return allowed, libs


def permitted(path, allowed):
    for a in allowed:
        if a.endswith("/") and path.startswith(a) and "/" not in path[len(a):]:
            return True
        if path == a:
            return True
    return False


def deps(root, cc, flags, src):
    lang = ["-x", "c"] if src.endswith(".h") else []
    out = subprocess.run([cc, "-M", "-MG"] + flags + lang + [src], cwd=root,
                         capture_output=True, text=True)
    if out.returncode != 0:
        return None, out.stderr.strip()
    words = out.stdout.replace("\\\n", " ").split()
    return [w for w in words[1:] if w != src], None


def check_folders(root, cc, flags):
    bad = []
    folders = sorted({os.path.dirname(os.path.relpath(p, root))
                      for p in glob.glob(os.path.join(root, "src/**/README"), recursive=True)}
                     | {"drivers"})
    for folder in folders:
        rules = readme_rules(root, folder)
        if rules is None:
            bad.append(f"{folder}/README: no 'May include:' and 'Libraries:' lines")
            continue
        allowed, libs = rules
        for src in sorted(glob.glob(os.path.join(root, folder, "*.[ch]"))):
            rel = os.path.relpath(src, root)
            got, err = deps(root, cc, flags, rel)
            if got is None:
                bad.append(f"{rel}: the preprocessor failed: {err}")
                continue
            for h in got:
                h = os.path.normpath(h)
                if h.startswith("/"):
                    for name, pat in LIBS.items():
                        if re.search(pat, h) and name not in libs:
                            bad.append(f"{rel}: reads {h} ({name}), which {folder}/README does not allow")
                    continue
                if not permitted(h, allowed):
                    bad.append(f"{rel}: reads {h}, which {folder}/README does not allow")
    return bad


def check_objects(root, objdir, extra_objs, san):
    bad = []
    objs = []
    for folder in PURE:
        objs += sorted(glob.glob(os.path.join(objdir, folder, "*.o")))
        allowed, _ = readme_rules(root, folder)
        for a in allowed:
            if a.endswith(".h") and os.path.exists(os.path.join(root, a[:-2] + ".c")):
                o = os.path.join(objdir, a[:-2] + ".o")
                if o not in objs and not a.startswith(PURE[0]) and not a.startswith(PURE[1]):
                    objs.append(o)
    objs += extra_objs
    pure_objs = [o for o in objs if any(f"/{p}/" in o for p in PURE) or o in extra_objs]
    if not pure_objs:
        return [f"{objdir}: no objects of {', '.join(PURE)}"]
    with tempfile.TemporaryDirectory() as tmp:
        stub = os.path.join(tmp, "stub.c")
        open(stub, "w").write("int main(void) { return 0; }\n")
        r = subprocess.run(["cc"] + san + ["-o", os.path.join(tmp, "pure"), stub] + objs +
                           ["-lm", "-lpthread"], capture_output=True, text=True)
        if r.returncode != 0:
            missing = sorted(set(re.findall(r"undefined reference to `([^']+)'", r.stderr)))
            bad.append("the signal and judge objects do not link with libc, libm and pthread alone"
                       + (": undefined " + ", ".join(missing) if missing else ": " + r.stderr.strip()[-300:]))
    for o in objs:
        r = subprocess.run(["nm", "-u", o], capture_output=True, text=True)
        for line in r.stdout.split("\n"):
            sym = line.split()[-1] if line.split() else ""
            if sym.split("@")[0] in IO_SYMBOLS:
                bad.append(f"{os.path.relpath(o, objdir)}: calls {sym.split('@')[0]} (I/O in the pure core)")
    return bad


def main():
    argv = sys.argv[1:]
    if len(argv) < 2 or "--" not in argv:
        sys.exit("usage: layercheck.py ROOT CC FLAGS... -- [OBJDIR [EXTRA.o...]]")
    sep = argv.index("--")
    root, cc, flags = argv[0], argv[1], argv[2:sep]
    rest = argv[sep + 1:]
    bad = check_folders(root, cc, flags)
    if rest:
        san = [f for f in flags if f.startswith("-fsanitize") or f == "-fno-omit-frame-pointer"]
        bad += check_objects(root, rest[0], rest[1:], san)
    for b in bad:
        print(b)
    sys.exit(1 if bad else 0)


if __name__ == "__main__":
    main()
