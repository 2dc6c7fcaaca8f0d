"""tessel from Python: the CLI's commands as functions that return the CLI's JSON as dicts.

    import tessel
    inputs = tessel.load()                    # the bundled default (as `tessel eval`)
    cost = tessel.evaluate(inputs)            # == the JSON of `tessel eval --json`
    inputs.arch.level("GlobalBuffer").size_words = 32768
    tessel.evaluate(inputs)["cycles"]

Functions: load, loads, evaluate, map_layer, map_network, schedule (`tessel tune` has no
Python function yet: docs/python.md).
Types: Inputs, Problem, Arch (StorageLevel, Arithmetic), Mapping (LevelMapping, Loop),
Constraints; conv_problem and outermost_mapping build new ones.
Errors: InputError (a ValueError: the CLI's message, with file, line and column) for bad
input; RuntimeError for internal errors. Long calls (map_layer, map_network, schedule)
release the GIL and stop on Ctrl-C (KeyboardInterrupt). See docs/python.md.
"""

import os as _os

from ._tessel import (Arch, Arithmetic, Constraints, InputError, Inputs, LevelMapping, Loop,
                      Mapping, Problem, StorageLevel, conv_problem, default_files,
                      outermost_mapping)
from . import _tessel

__all__ = [
    "Arch", "Arithmetic", "Constraints", "InputError", "Inputs", "LevelMapping", "Loop",
    "Mapping", "Problem", "StorageLevel", "conv_problem", "default_files", "outermost_mapping",
    "load", "loads", "evaluate", "map_layer", "map_network", "schedule", "tune",
]


def _paths(files, what):
    """A list of str paths from str / os.PathLike arguments; TypeError otherwise."""
    out = []
    for f in files:
        if isinstance(f, (list, tuple)):
            out.extend(_paths(f, what))
        elif isinstance(f, (str, _os.PathLike)):
            out.append(_os.fspath(f))
        else:
            raise TypeError(f"{what}: expected file paths (str or os.PathLike), "
                            f"not {type(f).__name__}")
    return out


def _inputs(args, what):
    """An Inputs from (), (Inputs,) or file paths."""
    if len(args) == 1 and isinstance(args[0], Inputs):
        return args[0]
    return load(*_paths(args, what))


def load(*files):
    """Reads Timeloop / Accelergy YAML files (or directories of them) into an Inputs.

    With no file: the bundled default (examples/default), as `tessel eval` with no file.
    A later file's top-level key replaces an earlier one's. Bad input raises InputError with
    the CLI's message (`file:line:col: what is wrong`).
    """
    return _tessel._load(_paths(files, "load"))


def loads(*texts, names=None):
    """Like load, from YAML text in memory; `names` label the texts in error messages."""
    for t in texts:
        if not isinstance(t, str):
            raise TypeError(f"loads: expected YAML text (str), not {type(t).__name__}")
    return _tessel._loads(list(texts), list(names or []))


def evaluate(*inputs):
    """The cost of one given mapping: the dict `tessel eval --json` writes.

    evaluate() evaluates the bundled default; evaluate(inputs) an Inputs (as changed in
    Python); evaluate("arch.yaml", "problem.yaml", "map.yaml") files. Keys: cycles, energy_pJ,
    utilization, computes, levels (innermost first), energy_is_estimate, and
    constraint_violations when the inputs carry constraints. An invalid mapping raises
    InputError("invalid mapping: ..."), as the CLI exits 2.
    """
    return _tessel._evaluate(_inputs(inputs, "evaluate"))


def map_layer(*inputs, mapper="cosa", objective="latency", time_limit=60.0, samples=5, seed=1,
              threads=1, solver="cbc", cosa_weights="", timings=True):
    """The best mapping of one layer: the dict `tessel map FILE... --json` writes.

    `inputs`: an Inputs or the files (arch, problem, constraints). mapper: cosa | random |
    exhaustive; objective: latency | energy | edp; time_limit in seconds; samples (random);
    timings=False leaves out mapper_seconds, as --no-timings. The mapping comes back under
    "mapping"; the found Mapping is not an object here: rebuild it with the dict if needed.
    Releases the GIL; Ctrl-C stops the search (KeyboardInterrupt).
    """
    if len(inputs) == 0:
        raise InputError("map_layer needs the layer's inputs (an Inputs or files)")
    return _tessel._map_layer(_inputs(inputs, "map_layer"), mapper, objective, float(time_limit),
                              samples, seed, threads, solver, cosa_weights, timings)


def map_network(workload=None, arch=None, *, mapper="cosa", objective="latency", threads=0,
                time_limit=60.0, samples=5, seed=1, solver="cbc", cosa_weights="", batch=1,
                input_shapes=None):
    """Maps every layer of a network: the dict `tessel map --workload W --json` writes.

    workload: a bundled network name (resnet50, ...), an .onnx or .yaml path, or cosa:NAME;
    None: resnet50. arch: architecture (+ constraints, ERT) files, or an Inputs (its arch and
    constraints); None: the bundled Simba-like arch (examples/simba). threads: layers mapped at
    once, 0 = all cores (the result does not depend on it). Releases the GIL; Ctrl-C stops.
    """
    arch_files, arch_inputs = [], None
    if isinstance(arch, Inputs):
        arch_inputs = arch
    elif arch is not None:
        arch_files = _paths([arch], "map_network arch")
    if workload is not None and not isinstance(workload, (str, _os.PathLike)):
        raise TypeError(f"map_network: workload must be a name or a path, not "
                        f"{type(workload).__name__}")
    shapes = list(input_shapes or [])
    return _tessel._map_network(_os.fspath(workload) if workload is not None else "", arch_files,
                                arch_inputs, mapper, objective, threads, float(time_limit),
                                samples, seed, solver, cosa_weights, batch, shapes)


def schedule(arch=None, workload=None, mapping=None, *, search="fixed", mode="fused",
             generations=4, population=16, seed=0, threads=0, mapper="cosa", objective="edp"):
    """A network on a multi-core accelerator: the dict `tessel schedule --json` writes.

    arch: Stream hardware YAML; workload: ONNX, tessel layer YAML or a bundled network;
    mapping: Stream mapping YAML. All None: the bundled example (ResNet-18 on a TPU-like quad
    core, search ga), as `tessel schedule` with no argument. search: fixed | ga | milp; mode:
    fused | layer-by-layer; threads 0 = all cores. Releases the GIL; Ctrl-C stops.
    """
    def path(p, what):
        if p is None:
            return ""
        return _paths([p], f"schedule {what}")[0]
    return _tessel._schedule(path(arch, "arch"), path(workload, "workload"),
                             path(mapping, "mapping"), search, mode, generations, population,
                             seed, threads, mapper, objective)


def tune(workload, arch=None, *, model="cim-refined", trials=64, seed=1, threads=1, log=None,
         objective="bottleneck", chips=None):
    """Auto-schedules a network against a timing model: the dict `tessel tune --json` writes.

    workload: a bundled network name, an .onnx or .yaml path, or cosa:NAME (required).
    arch: cim-*: one chip YAML (None: the bundled ISAAC-like chip); timeloop: arch (+ constraints,
    ERT) files (None: examples/simba). model: cim-refined | cim-formula | timeloop. log: a tuning
    log, replayed when it exists, each new record appended as it is made. objective (cim-*):
    bottleneck | total. chips (cim-*): None (the chip file's), "auto" or a positive int.
    Releases the GIL; Ctrl-C stops (records already logged stay).
    """
    if workload is None or not isinstance(workload, (str, _os.PathLike)):
        raise TypeError(f"tune: workload must be a name or a path, not {type(workload).__name__}")
    arch_files = [] if arch is None else _paths([arch] if isinstance(arch, (str, _os.PathLike))
                                                else arch, "tune arch")
    if chips is None:
        chips_text = ""
    elif isinstance(chips, bool) or not isinstance(chips, (int, str)):
        raise TypeError(f"tune: chips must be 'auto' or an int, not {type(chips).__name__}")
    else:
        chips_text = str(chips)
    return _tessel._tune(_os.fspath(workload), arch_files, model, trials, seed, threads,
                         "" if log is None else _os.fspath(log), objective, chips_text)
