r"""``python -m sim.inference.infer``: build the posterior by neural posterior estimation, check it.

    python -m sim.inference.infer build --runs 10000 --workers 2 --out outputs/inference \\
        --posterior sim/data/posterior.csv

runs the prior simulations (one progress bar; resumable), trains NPE on all but the ``--sbc``
held-out ones, checks it by simulation-based calibration on those, fits the time split (record
to 9 July) on the same prior simulations, runs ``--predictive`` posterior-predictive runs of each
(fresh seeds), and writes the posterior with its header and every check's table and figure
in ``--out``. With ``--rounds R`` the fit is sequential (TSNPE, :mod:`sim.inference.npe`): each
round after the first runs ``--round-runs`` simulations from the prior truncated to the region of
the posterior given the record, the last round's final ``--sbc`` are held out for a local
simulation-based calibration on that truncated prior, and the time split stays on the prior
simulations (a region chosen with the whole record would tell it what came after 9 July).
``sbc`` and ``check`` redo one step from what ``--out`` holds. Everything fits
on the tiny config with ``--set debug=tiny`` (tests, classrooms).
"""

from __future__ import annotations

import argparse
import shlex
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

SBC_DATASETS = 200
SBC_DRAWS = 1000


def positive(text: str) -> int:
    """An argparse type: an integer of at least 1."""
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"{text}: must be at least 1")
    return value


def parser() -> argparse.ArgumentParser:
    """The command line."""
    p = argparse.ArgumentParser(prog="python -m sim.inference.infer", description=__doc__.split("\n")[0])
    sub = p.add_subparsers(dest="command", required=True)
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--out", default="outputs/inference", help="folder for every output")
    common.add_argument("--set", dest="overrides", action="append", default=[],
                        metavar="OVERRIDE", help="a config override, e.g. debug=tiny (repeat)")
    common.add_argument("--workers", type=positive, default=1, help="worker processes")
    common.add_argument("--seed", type=int, default=0, help="the build's seed (runs, draws, nets)")
    build = sub.add_parser("build", parents=[common], help="simulate, fit, check, write")
    build.add_argument("--runs", type=positive, default=10_000, help="prior simulations")
    build.add_argument("--rounds", type=positive, default=1,
                       help="rounds of truncated sequential NPE (1: amortised NPE)")
    build.add_argument("--round-runs", type=positive, default=2500,
                       help="simulations in each round after the first")
    build.add_argument("--draws", type=positive, default=1000, help="posterior draws written")
    build.add_argument("--sbc", type=positive, default=SBC_DATASETS,
                       help="prior simulations held out for simulation-based calibration")
    build.add_argument("--predictive", type=positive, default=100,
                       help="posterior-predictive runs (fresh seeds), for the fit and the split")
    build.add_argument("--params", default=None,
                       help="comma-separated parameters to infer (default: every prior)")
    build.add_argument("--max-epochs", type=positive, default=None, help="cap training (tests)")
    build.add_argument("--posterior", default=None, help="also copy the posterior CSV here")
    sub.add_parser("sbc", parents=[common],
                   help="simulation-based calibration from --out's estimator and simulations")
    chk = sub.add_parser("check", parents=[common],
                         help="posterior-predictive runs: coverage of the record, 2021-like runs")
    chk.add_argument("--posterior", default="sim/data/posterior.csv", help="the draws to run")
    chk.add_argument("--runs", type=positive, default=100,
                     help="predictive runs (run i: the draw uncertainty=posterior gives seed i)")
    chk.add_argument("--name", default="", help="suffix of the tables written in --out")
    return p


def _problem(args: argparse.Namespace):
    import sim
    from sim.inference.simulate import Problem

    base = sim.load_config(args.overrides)
    names = None if not getattr(args, "params", None) else args.params.split(",")
    return Problem.of(base, names)


def sbc_step(fitted, sims, held: slice, out: Path, seed: int) -> pd.DataFrame:
    """Simulation-based calibration on the held-out simulations: ranks, table and figure."""
    from sim.inference import checks

    ranks = checks.sbc(fitted, sims.theta[held], sims.summaries()[held], SBC_DRAWS, seed=seed)
    ranks.to_csv(out / "sbc_ranks.csv", index=False)
    table = checks.sbc_table(ranks, SBC_DRAWS)
    table.to_csv(out / "sbc.csv", index=False)
    checks.sbc_figure(ranks, SBC_DRAWS).savefig(out / "sbc.png", dpi=120)
    return table


def check_step(problem, draws: np.ndarray, n: int, run_seeds: np.ndarray, out: Path,
               workers: int, name: str = "") -> tuple[pd.DataFrame, pd.Series]:
    """``n`` posterior-predictive runs (draw i, fresh seed i): coverage and 2021-like shares."""
    from sim.inference import checks
    from sim.inference.simulate import run

    runs = run(problem, draws[:n], run_seeds[:n], workers,
               f"{name or 'posterior'}-predictive runs")
    cover = checks.coverage(runs)
    cover.to_csv(out / f"coverage{name and '_' + name}.csv", index=False)
    patterns = checks.pattern_table(runs)
    patterns.to_csv(out / f"patterns{name and '_' + name}.csv", header=["share"])
    return checks.coverage_summary(cover).set_index("sample"), patterns


def rounds_text(args: argparse.Namespace) -> str:
    """The sequential rounds, as the header's budget says them."""
    if args.rounds == 1:
        return ""
    return (f", then {args.rounds - 1} round(s) of {args.round_runs} from the prior truncated "
            "to the posterior's region given the record")


def next_round(problem, sims, r: int, args: argparse.Namespace, out: Path):
    """Round ``r`` of a sequential build: fit on ``sims``, truncate the prior, simulate there.

    The round's box is saved in ``--out`` and read back on a rerun, so an interrupted round
    resumes with the parameters it started with.
    """
    from sim.inference import npe, summaries
    from sim.inference.simulate import simulate

    path = out / f"box_round{r}.npy"
    if path.exists():
        box = tuple(np.load(path))
    else:
        print(f"round {r}: training NPE on {len(sims)} runs to truncate the prior...")
        fitted = npe.fit(sims.theta, sims.summaries(), problem.names, problem.low, problem.high,
                         seed=args.seed, max_epochs=args.max_epochs, threads=args.workers)
        box = npe.truncation_box(fitted, summaries.record_summary(), seed=args.seed)
        np.save(path, np.stack(box))
    share = np.prod((box[1] - box[0]) / (problem.high - problem.low))
    print(f"round {r}: the truncated prior keeps {share:.2g} of the prior box's volume")
    return simulate(problem, args.round_runs, out / f"simulations_round{r}.npz", args.seed,
                    args.workers, box=box, round_=r, taken=sims.seeds)


def build(args: argparse.Namespace) -> Path:
    """The whole build (see the module docstring); returns the posterior's path."""
    from sim.inference import checks, npe, posterior_file, summaries
    from sim.inference.simulate import generator, seeds, simulate
    from sim.outputs.result import git_commit

    commit = git_commit()
    start = time.time()
    out = Path(args.out)
    problem = _problem(args)
    last = args.runs if args.rounds == 1 else args.round_runs
    if args.sbc >= last:
        raise SystemExit(f"error: --sbc={args.sbc}: must be below --runs={args.runs}"
                         if args.rounds == 1 else
                         f"error: --sbc={args.sbc}: must be below --round-runs={args.round_runs}")
    prior_sims = simulate(problem, args.runs, out / "simulations.npz", args.seed, args.workers)
    sims = prior_sims
    for r in range(2, args.rounds + 1):
        sims = sims + next_round(problem, sims, r, args, out)
    sim_minutes = (time.time() - start) / 60
    n = len(sims)
    train, held = slice(0, n - args.sbc), slice(n - args.sbc, n)
    print(f"training NPE on {n - args.sbc} runs ({len(summaries.names())} summaries, "
          f"{len(problem.names)} parameters)...")
    fitted = npe.fit(sims.theta[train], sims.summaries()[train], problem.names, problem.low,
                     problem.high, seed=args.seed, max_epochs=args.max_epochs,
                     threads=args.workers)
    fitted.save(out / "estimator.pt")
    print(f"trained: {fitted.epochs} epochs, {fitted.seconds / 60:.1f} min; "
          f"simulation-based calibration on {args.sbc} held-out runs...")
    sbc = sbc_step(fitted, sims, held, out, args.seed)
    draws = fitted.sample(summaries.record_summary(), args.draws, seed=args.seed)
    typical = checks.record_typicality(sims.summaries()[train], summaries.record_summary())
    checks.marginals_figure(draws, problem.names, problem.low, problem.high).savefig(
        out / "marginals.png", dpi=120)
    print("training the time split's NPE (record to 9 July)...")
    split_train = train if args.rounds == 1 else slice(0, len(prior_sims))
    split = npe.fit(prior_sims.theta[split_train],
                    prior_sims.summaries(summaries.SPLIT_DAY)[split_train], problem.names,
                    problem.low, problem.high, seed=args.seed, max_epochs=args.max_epochs,
                    threads=args.workers)
    split.save(out / "estimator_split.pt")
    split_draws = split.sample(summaries.record_summary(summaries.SPLIT_DAY), args.draws,
                               seed=args.seed)
    fresh = seeds(2 * args.predictive, generator(args.seed, "predictive"), taken=sims.seeds)
    c, patterns = check_step(problem, draws, args.predictive, fresh, out, args.workers)
    s, _ = check_step(problem, split_draws, args.predictive, fresh[args.predictive:], out,
                      args.workers, "split")
    minutes = (time.time() - start) / 60
    header = {
        "method": ("neural posterior estimation (NPE, amortised: a neural spline flow of the "
                   f"parameters given {len(summaries.names())} summaries of one run, the "
                   "record's count series and run-level features, sim.inference.summaries); "
                   "independent, unweighted draws given the 2021 record"),
        "library": npe.library(),
        "budget": (f"{args.runs} prior simulations{rounds_text(args)}, each its own parameters "
                   f"and seed ({n - args.sbc} to train, {args.sbc} held out for SBC; "
                   f"{sim_minutes:.1f} min), {fitted.epochs} epochs "
                   f"({fitted.seconds / 60:.1f} min), {2 * args.predictive} predictive runs; "
                   f"{minutes:.1f} min in all on {args.workers} worker(s)"),
        "effective sample size": f"{args.draws} (independent draws)",
        "coverage": (f"90% bands of {args.predictive} predictive runs (fresh seeds) hold "
                     f"{c.loc['all', 'inside']}/{c.loc['all', 'points']} record points "
                     f"({c.loc['in', 'inside']}/{c.loc['in', 'points']} to 9 July); fitted to "
                     f"9 July only, {s.loc['out', 'inside']}/{s.loc['out', 'points']} after it"),
        "sbc": (f"{args.sbc} held-out {'prior' if args.rounds == 1 else 'last-round'} "
                "simulations, 1000 draws each; KS p-value of the "
                f"ranks: min {sbc['ks_p'].min():.3g}, {int((sbc['ks_p'] > 0.01).sum())} of "
                f"{len(sbc)} parameters above 0.01"),
        "2021-like": (f"{patterns['all']:.0%} of the {args.predictive} predictive runs have "
                      "every 2021 pattern (sim.targets.run_patterns)"),
        "record": (f"{typical:.0%} of simulations lie at least as far from their nearest "
                   "other simulation as the record's summaries from theirs (near 0: the record "
                   "is unlike any run, sim.inference.checks.record_typicality)"),
        "config": " ".join(args.overrides) or "defaults (the real map)",
        "command": args.line,
    }
    path = posterior_file.write(draws, problem.names, out / "posterior.csv", header, commit)
    posterior_file.write(split_draws, problem.names, out / "posterior_split.csv",
                    {**header, "method": header["method"] + ", the record to 9 July only"},
                    commit)
    if args.posterior:
        posterior_file.write(draws, problem.names, args.posterior, header, commit)
    print(pd.Series(header).to_string())
    return path


def sbc(args: argparse.Namespace) -> pd.DataFrame:
    """Simulation-based calibration again, from the estimator and simulations in ``--out``."""
    from sim.inference import npe
    from sim.inference.simulate import Simulations

    out = Path(args.out)
    fitted = npe.load(out / "estimator.pt")
    sims = Simulations.load(out / "simulations.npz")
    for r in range(2, 1 + len(list(out.glob("simulations_round*.npz")))):  # a sequential build
        sims = sims + Simulations.load(out / f"simulations_round{r}.npz")
    if len(sims) <= fitted.n_train:
        raise SystemExit(f"error: {out}: no held-out simulations (all {len(sims)} trained on)")
    table = sbc_step(fitted, sims, slice(fitted.n_train, len(sims)), out, args.seed)
    print(table.to_string(index=False, float_format="%.3f"))
    return table


def check(args: argparse.Namespace) -> tuple[pd.DataFrame, pd.Series]:
    """Posterior-predictive runs of ``--posterior`` (fresh seeds): coverage and 2021-like runs."""
    from sim.inference import posterior_file
    from sim.inference.simulate import generator, seeds
    from sim.uncertainty import draw_of

    table = posterior_file.read(args.posterior)
    problem = _problem(args)
    names = [n for n in problem.names if n in table.columns]
    problem = type(problem).of(problem.base, names)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    # run i takes the draw uncertainty=posterior gives seed i (a weighted file is resampled)
    rows = [draw_of(i, str(args.posterior)) for i in range(args.runs)]
    draws = table[names].to_numpy(float)[rows]
    fresh = seeds(args.runs, generator(args.seed, "check"))
    cover, patterns = check_step(problem, draws, args.runs, fresh, out, args.workers, args.name)
    print(cover.to_string(float_format="%.3f"))
    print(patterns.to_string(float_format="%.2f"))
    return cover, patterns


def main(argv: list[str] | None = None) -> int:
    """Entry point of ``python -m sim.inference.infer``."""
    from sim.inference import MissingExtraError

    args = parser().parse_args(argv)
    args.line = "python -m sim.inference.infer " + shlex.join(sys.argv[1:] if argv is None else argv)
    try:
        {"build": build, "sbc": sbc, "check": check}[args.command](args)
    except MissingExtraError as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
