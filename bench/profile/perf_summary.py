#!/usr/bin/env python3
"""Where a .NET process's CPU goes, from `perf script` output of `perf record -g` with DOTNET_PerfMapEnabled=1.

Two tables, each in % of the samples:
  - by owner: each sample goes to the innermost frame that belongs to a library or to our code (VideoAkka, Akka,
    StackExchange.Redis, ...), so time in the BCL, the runtime or the kernel is charged to whoever called it; samples
    with no such frame are the runtime's own (thread pool, GC, timers) or the kernel's.
  - our code's share by namespace (Pipeline.Queue, Pipeline.Graph, ...).
  - by leaf: what was executing (kernel, runtime, BCL assemblies, libraries).
Usage: perf script -i perf.data | bench/profile/perf_summary.py [--top N]
"""
import re
import sys
from collections import Counter

OWNERS = [
    ("VideoAkka.", "VideoAkka (our code)"),
    ("Akka.Streams", "Akka.Streams"),
    ("Akka.Persistence", "Akka.Persistence"),
    ("Akka", "Akka (actors, dispatch, scheduler)"),
    ("StackExchange.Redis", "StackExchange.Redis"),
    ("Pipelines.Sockets.Unofficial", "StackExchange.Redis"),
    ("Google.Protobuf", "Google.Protobuf (journal encoding)"),
    ("Microsoft.Extensions.Logging", "logging"),
    ("Polly", "Polly"),
    ("OpenTelemetry", "OpenTelemetry"),
]


def owner_of(symbol, dso=""):
    """The library (or our code) a frame belongs to, by its assembly: the [Assembly] tag perf map names carry, or the
    image a ReadyToRun frame sits in; never by the types in its parameters."""
    tag = ASSEMBLY.search(symbol)
    assembly = tag.group(1) if tag else (dso.split("/")[-1][:-4] if dso.endswith(".dll") else "")
    for prefix, name in OWNERS:
        if assembly.startswith(prefix):
            return name
    return None


def leaf_of(symbol, dso):
    if "kernel" in dso:
        return "kernel"
    if "libcoreclr" in dso:
        return "runtime (libcoreclr: GC, type system, stubs)"
    if "libclrjit" in dso:
        return "JIT"
    if dso.split("/")[-1].startswith("libc."):
        return "libc"
    owner = owner_of(symbol, dso)
    if owner:
        return owner
    assembly = ASSEMBLY.search(symbol)
    if assembly and assembly.group(1).startswith(("System", "Microsoft")):
        return "BCL: " + assembly.group(1)
    if dso.endswith(".dll") and dso.split("/")[-1].startswith(("System", "Microsoft")):
        return "BCL: " + dso.split("/")[-1][:-4]
    return "other: " + dso.split("/")[-1]


ASSEMBLY = re.compile(r"\[([A-Za-z][\w.]*)\] ")
OURS = re.compile(r"VideoAkka\.(\w+(?:\.\w+)?)")


def our_part(symbol):
    """VideoAkka.Pipeline.Queue.RedisJobStore+<...> -> Pipeline.Queue"""
    match = OURS.search(ASSEMBLY.sub("", symbol))
    return match.group(1) if match else None


def samples(lines):
    frames = []
    for line in lines:
        if not line.strip():
            if frames:
                yield frames
            frames = []
            continue
        if line[0] in " \t":
            parts = line.strip().split(" ", 1)
            rest = parts[1] if len(parts) > 1 else ""
            dso = rest[rest.rfind("(") + 1:-1] if rest.endswith(")") else ""
            symbol = rest[:rest.rfind("(")].strip() if "(" in rest else rest
            frames.append((symbol, dso))
    if frames:
        yield frames


def main():
    top = int(sys.argv[sys.argv.index("--top") + 1]) if "--top" in sys.argv else 15
    by_owner, by_leaf, by_part, total = Counter(), Counter(), Counter(), 0
    for frames in samples(sys.stdin):
        total += 1
        by_leaf[leaf_of(*frames[0])] += 1
        owner = next((o for o in (owner_of(s, d) for s, d in frames) if o), None)
        if owner == "VideoAkka (our code)":
            by_part[next((p for p in (our_part(s) for s, _ in frames) if p), "(generated)")] += 1
        by_owner[owner or ("kernel only" if "kernel" in frames[0][1] and all("kernel" in d for _, d in frames) else "runtime and BCL only (thread pool, GC, timers)")] += 1
    if total == 0:
        print("no samples")
        return
    print(f"{total} samples")
    for title, table in (("by owner (innermost library or our code on the stack)", by_owner),
                         ("our code's share by namespace", by_part),
                         ("by leaf (what was executing)", by_leaf)):
        print(title)
        for name, count in table.most_common(top):
            print(f"  {100 * count / total:5.1f} %  {name}")


if __name__ == "__main__":
    main()
