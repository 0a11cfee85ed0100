"""Calibration as inference: history matching, likelihood-weighted posterior draws, coverage.

Three commands over :mod:`sim.inference.inference` and :mod:`sim.inference.predictive`:

    # the posterior: waves of history matching, then --draws weighted draws (resumable: a
    # rerun with the same --out runs only what its database lacks)
    python -m sim.inference.infer run --waves 3 --runs-per-wave 150 --seeds 4 \
        --draws 400 --draw-seeds 2 --workers 2 --out outputs/inference \
        --posterior sim/data/posterior.csv
    # the same draws reweighted by their likelihood over more seeds (a check of the seed noise)
    python -m sim.inference.infer reweigh --source sim/data/posterior.csv \
        --seeds 6 --workers 2 --out outputs/inference_reweighed
    # the same, then the draws replaced by draws of the posterior sampled on GP emulators of
    # the draws' seed means, on the same region (sim.inference.emulated_posterior)
    python -m sim.inference.infer run ... --draw-seeds 4 --emulate
    # predictive coverage of every record point (in-sample, and out-of-sample after --split-day)
    python -m sim.inference.infer coverage --posterior sim/data/posterior.csv \
        --runs 100 --workers 2 --out outputs/inference
    # time split: fit up to 9 July (day 69), then check coverage of what came after
    python -m sim.inference.infer run --until-day 69 --out outputs/inference_split ...
    python -m sim.inference.infer coverage \
        --posterior outputs/inference_split/posterior.csv --out outputs/inference_split

``run`` writes ``posterior.csv`` (draws, weights, a header naming code version, data, method and
cost), ``waves.csv``, ``marginals.png`` and ``pairs.png`` into ``--out`` (and the CSV also to
``--posterior`` if given); ``coverage`` writes ``coverage.csv`` (one row per record point) and
``coverage_summary.csv``; ``reweigh`` writes ``posterior.csv`` (the same draws, new weights,
a header naming the posterior it reweighed) and the figures.
Trailing arguments are Hydra overrides of the base config.
"""

from __future__ import annotations

import argparse
import shlex
import shutil
import sys
import time
from pathlib import Path

import pandas as pd

import sim
from sim.config import ConfigError
from sim.inference.inference import (
    Inference,
    emulated_draws,
    history_match,
    posterior_draws,
    refine,
    reweigh,
)
from sim.inference.likelihood import ACCEPTANCE, KINDS
from sim.inference.posterior_file import method_line, read_posterior, write_posterior
from sim.inference.predictive import (
    coverage,
    coverage_summary,
    marginals_figure,
    pairs_figure,
    predictive_runs,
)
from sim.inference.run_store import RunStore
from sim.outputs.result import git_commit


def positive(text: str) -> int:
    """An integer of at least 1 (argparse type)."""
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, got {value}")
    return value


def parser() -> argparse.ArgumentParser:
    """The command line of both subcommands."""
    p = argparse.ArgumentParser(prog="python -m sim.inference.infer",
                                description=__doc__.splitlines()[0])
    sub = p.add_subparsers(dest="command", required=True)
    run = sub.add_parser("run", help="history matching, then weighted posterior draws")
    run.add_argument("--waves", type=positive, default=3)
    run.add_argument("--runs-per-wave", type=positive, default=150, help="parameter sets a wave")
    run.add_argument("--seeds", type=positive, default=4, help="seeds per set in the waves")
    run.add_argument("--draws", type=positive, default=400, help="posterior draws (sets)")
    run.add_argument("--draw-seeds", type=positive, default=None,
                     help="seeds per posterior draw (default: --seeds)")
    run.add_argument("--rounds", type=int, default=0,
                     help="rounds of adaptive importance sampling after the draws")
    run.add_argument("--round-sets", type=positive, default=100,
                     help="parameter sets a round (run over --draw-seeds seeds)")
    run.add_argument("--settle-seeds", type=positive, default=None,
                     help="rerun the sets holding 90%% of the weight over up to this many seeds")
    run.add_argument("--emulate", action="store_true",
                     help="replace the draws by draws from the emulated posterior on the region")
    run.add_argument("--candidates", type=positive, default=20_000,
                     help="with --emulate: candidates in the region to weigh")
    again = sub.add_parser("reweigh", help="the same draws, likelihood over more seeds")
    again.add_argument("--source", type=Path, default=Path("sim/data/posterior.csv"),
                       help="a posterior written by run")
    again.add_argument("--seeds", type=positive, default=6, help="seeds per draw")
    for s in (run, again):
        s.add_argument("--until-day", type=int, default=None,
                       help="fit only the record up to this day (69 = 9 July: time split)")
        s.add_argument("--posterior", type=Path, default=None,
                       help="also write the draws here (e.g. sim/data/posterior.csv)")
        s.add_argument("--note", default="", help="a line added to the CSV header")
        s.add_argument("--likelihood", choices=KINDS, default=KINDS[0],
                       help="how a set's likelihood is estimated from its seeds")
        s.add_argument("--acceptance", type=float, default=ACCEPTANCE,
                       help="with --likelihood abc: the share of runs that match the record")
    cov = sub.add_parser("coverage", help="predictive coverage of every record point")
    cov.add_argument("--posterior", type=Path, default=Path("sim/data/posterior.csv"))
    cov.add_argument("--runs", type=positive, default=100)
    cov.add_argument("--split-day", type=int, default=69)
    for s in (run, again, cov):
        s.add_argument("--workers", type=positive, default=2)
        s.add_argument("--out", type=Path, default=Path("outputs/inference"))
        s.add_argument("overrides", nargs="*", default=[], help="Hydra overrides of the base")
    return p


def run_inference(args: argparse.Namespace, base: sim.SimConfig) -> None:
    """History matching and posterior draws; writes the posterior, waves table and figures."""
    store = RunStore(args.out / "runs.sqlite")
    start, commit = time.perf_counter(), git_commit()
    result = history_match(base, args.waves, args.runs_per_wave, args.seeds, store,
                           args.workers, args.until_day)
    seeds = args.draw_seeds or args.seeds
    result = posterior_draws(base, result, args.draws, seeds, store, args.workers,
                             args.until_day, kind=args.likelihood, acceptance=args.acceptance)
    if args.rounds or args.settle_seeds:
        result = refine(base, result, args.rounds, args.round_sets, seeds, store, args.workers,
                        args.until_day, kind=args.likelihood, settle_seeds=args.settle_seeds or 0)
    method = method_line(args.likelihood, result)
    if args.rounds or args.settle_seeds:
        method = method.removesuffix("; weights sum to 1")
        if args.rounds:
            method += (f"; then {args.rounds} rounds of {args.round_sets} sets from normals "
                       "fitted to the weighted sample, on the same region, all weighted over the "
                       "rounds' mixture density (adaptive multiple importance sampling, "
                       "sim.inference.adaptive_importance)")
        if args.settle_seeds:
            method += (f"; the sets holding 90% of the weight rerun over up to "
                       f"{args.settle_seeds} seeds until they settle (sim.inference.inference.settle; "
                       "column seeds)")
        method += "; weights sum to 1"
    if args.emulate:
        result = emulated_draws(base, result, seeds, store, args.workers, args.candidates)
        method = (f"{method.removesuffix('; weights sum to 1')}; then the synthetic likelihood "
                  f"on GP emulators of those draws' seed means, sampled on the same region "
                  f"(sim.inference.emulated_posterior): {result.sampling}; equal weights")
    pd.DataFrame(result.waves).to_csv(args.out / "waves.csv", index=False)
    print(pd.DataFrame(result.waves).to_string(index=False))
    save(args, result, store, start, commit, method)


PROVENANCE = ("posterior draws of", "waves:", "command:")  # header lines a reweighing carries


def run_reweigh(args: argparse.Namespace, base: sim.SimConfig) -> None:
    """The draws of ``--source`` reweighted over ``--seeds`` seeds; writes the posterior."""
    store = RunStore(args.out / "runs.sqlite")
    start, commit = time.perf_counter(), git_commit()
    source = [line[2:] for line in args.source.read_text().splitlines() if line.startswith("# ")]
    result = reweigh(base, read_posterior(args.source), range(args.seeds), store,
                     args.workers, args.until_day, args.likelihood, args.acceptance)
    weighed = method_line(args.likelihood, result)
    method = (f"{weighed.removesuffix('; weights sum to 1')}, re-estimated "
              f"over {args.seeds} seeds per draw (sim.inference.inference.reweigh); weights sum to "
              "1; the "
              f"draws of "
              f"{args.source}: {' | '.join(line for line in source if line.startswith(PROVENANCE))}")
    save(args, result, store, start, commit, method)


def save(args: argparse.Namespace, result: Inference, store: RunStore, start: float,
         commit: str | None, method: str) -> None:
    """Write the posterior (header with its command and cost) and its figures."""
    seconds = time.perf_counter() - start
    command = "python -m sim.inference.infer " + shlex.join(sys.argv[1:])
    note = args.note + (f" fitted to the record up to day {args.until_day}"
                        if args.until_day is not None else "")
    path = write_posterior(result, args.out / "posterior.csv", command, note.strip(), seconds,
                           commit, store.ran, method=method)
    if args.posterior:
        args.posterior.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, args.posterior)
    marginals_figure(result.posterior).savefig(args.out / "marginals.png", dpi=110)
    pairs_figure(result.posterior).savefig(args.out / "pairs.png", dpi=110)
    print(f"{result.n_runs} runs ({store.ran} new, {len(store)} in the database) in "
          f"{seconds / 60:.1f} min; posterior: {path}")


def run_coverage(args: argparse.Namespace, base: sim.SimConfig) -> None:
    """Posterior-predictive runs and the coverage tables."""
    store = RunStore(args.out / "runs.sqlite")
    observed = predictive_runs(base, str(args.posterior.resolve()), args.runs, store,
                               args.workers)
    table = coverage(observed, args.split_day)
    summary = coverage_summary(table)
    args.out.mkdir(parents=True, exist_ok=True)
    table.to_csv(args.out / "coverage.csv", index=False)
    summary.to_csv(args.out / "coverage_summary.csv", index=False)
    print(table.round(3).to_string(index=False))
    print(summary.round(3).to_string(index=False))


def main(argv: list[str] | None = None) -> int:
    """Parse the command line and run the chosen command; bad input is one line and exit 2."""
    args = parser().parse_args(argv)
    try:
        if args.command == "coverage" and not args.posterior.is_file():
            raise ConfigError(f"--posterior={args.posterior}: no such file")
        if args.command == "reweigh" and not args.source.is_file():
            raise ConfigError(f"--source={args.source}: no such file")
        if args.command in ("run", "reweigh") and not 0 < args.acceptance <= 1:
            raise ConfigError(f"--acceptance={args.acceptance}: must be in (0, 1]")
        if args.command == "run" and args.rounds < 0:
            raise ConfigError(f"--rounds={args.rounds}: must be at least 0")
        if args.command == "run" and args.settle_seeds and (
                args.settle_seeds <= (args.draw_seeds or args.seeds)):
            raise ConfigError(f"--settle-seeds={args.settle_seeds}: must exceed the draws' "
                              f"seeds ({args.draw_seeds or args.seeds}), or settling does nothing")
        if args.command == "reweigh" and args.source.is_file() and (
                "round" in read_posterior(args.source).columns):
            raise ConfigError(f"--source={args.source}: has rounds of importance sampling, whose "
                              "weights need their proposals' densities; reweigh only reweighs "
                              "draws uniform on the region (a posterior made without --rounds)")
        if args.command == "run" and args.emulate and (args.rounds or args.settle_seeds):
            raise ConfigError(f"--rounds={args.rounds} --settle-seeds={args.settle_seeds}: "
                              "--emulate replaces the draws, so it cannot follow rounds of "
                              "importance sampling or settling; use one or the other")
        if args.command == "run" and args.emulate and args.until_day is not None:
            raise ConfigError(f"--until-day={args.until_day}: --emulate fits the whole record, "
                              "so it cannot be combined with a time split")
        if args.command == "run" and args.emulate and args.likelihood != "synthetic":
            raise ConfigError(f"--likelihood={args.likelihood}: --emulate samples the synthetic "
                              "likelihood on emulators, at the scale fitted to the draws; use "
                              "--likelihood synthetic")
        if args.command in ("run", "reweigh") and args.likelihood == "synthetic":
            flag, seeds = (("--draw-seeds", args.draw_seeds or args.seeds)
                           if args.command == "run" else ("--seeds", args.seeds))
            if seeds < 2:
                raise ConfigError(f"{flag}={seeds}: the synthetic likelihood needs at least 2 "
                                  "seeds per draw (or --likelihood abc or seed-mean, without "
                                  "--emulate)")
        base = sim.load_config(args.overrides)
        commands = {"run": run_inference, "reweigh": run_reweigh, "coverage": run_coverage}
        commands[args.command](args, base)
    except ConfigError as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
