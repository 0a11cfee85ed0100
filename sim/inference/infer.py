r"""``python -m sim.inference.infer``: build the posterior by neural posterior estimation, check it.

    python -m sim.inference.infer build --runs 10000 --workers 2 --out outputs/inference \\
        --posterior sim/data/posterior.csv

runs the simulations in ``--rounds`` rounds (the prior, then the prior truncated to the
posterior's high-probability region given the record: TSNPE; one progress bar each;
resumable), trains NPE on all but the ``--sbc`` held-out runs of the last round, checks it by
simulation-based calibration on those, fits the time split (record to 9 July) on the first
round's prior simulations, runs ``--predictive`` posterior-predictive runs of each (fresh
seeds), and writes the posterior with its header and every check's table and figure in
``--out``. ``sbc`` and ``check`` redo one step from what ``--out`` holds. Everything fits
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
# What the build infers by default: the parameters that move the record's summaries most around
# the calibrated defaults (experiments/inferred_parameters.py, docs/inference.md "What is
# inferred"); every other parameter keeps its default, a sourced figure or an assumption.
INFERRED = ("surrender.logit_base", "government.consolidation_belief", "bargains.threshold_mean",
            "belief.rate_siege", "government.rate_pull_back_besieged", "bargains.w_siege_days",
            "surrender.threshold_sd", "surrender.w_belief")


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
    build.add_argument("--draws", type=positive, default=1000, help="posterior draws written")
    build.add_argument("--sbc", type=positive, default=SBC_DATASETS,
                       help="prior simulations held out for simulation-based calibration")
    build.add_argument("--predictive", type=positive, default=100,
                       help="posterior-predictive runs (fresh seeds), for the fit and the split")
    build.add_argument("--params", default=",".join(INFERRED),
                       help="comma-separated parameters to infer, or 'all' (every prior); "
                            "default: INFERRED")
    build.add_argument("--rounds", type=positive, default=1,
                       help="rounds of simulations: the prior, then truncated proposals (TSNPE)")
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
    given = getattr(args, "params", None)
    names = None if given in (None, "", "all") else given.split(",")
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


def percent(share: float) -> str:
    """A share as a percentage with two significant figures: 0.44%, 0.003%."""
    return f"{100 * share:.2g}%"


def round_sizes(runs: int, rounds: int) -> list[int]:
    """The simulations of each round: ``runs`` split evenly, the remainder to the first."""
    if rounds > runs:
        raise SystemExit(f"error: --rounds={rounds}: must be at most --runs={runs}")
    return [runs // rounds + runs % rounds] + [runs // rounds] * (rounds - 1)


def round_file(out: Path, r: int) -> Path:
    """Where round ``r`` (from 1) of a build keeps its simulations."""
    return out / ("simulations.npz" if r == 1 else f"simulations_{r}.npz")


def load_rounds(out: Path):
    """Every round's simulations in ``out``, joined in round order."""
    from sim.inference.simulate import Simulations

    sims, r = Simulations.load(round_file(out, 1)), 2
    while round_file(out, r).exists():
        sims, r = sims + Simulations.load(round_file(out, r)), r + 1
    return sims


def fit_on(sims, args: argparse.Namespace, problem, until_day: int | None = None):
    """NPE trained on ``sims`` (the record's summaries to ``until_day``)."""
    from sim.inference import npe

    return npe.fit(sims.theta, sims.summaries(until_day), problem.names, problem.low,
                   problem.high, seed=args.seed, max_epochs=args.max_epochs,
                   threads=args.workers)


def simulate_rounds(problem, args: argparse.Namespace, out: Path,
                    sizes: list[int]) -> tuple[list, list[float]]:
    """The build's simulations, round by round, and the share of the prior each round covers.

    Round 1 draws from the prior. Each later round draws from the prior truncated to the
    high-probability region of the posterior given the record, as fitted on every run so far
    (TSNPE), with seeds none of the earlier runs took. A round's proposal is saved before its
    runs, so an interrupted build resumes with the same parameter sets.
    """
    from sim.inference import summaries
    from sim.inference.simulate import generator, seeds, simulate, simulate_at

    done = [simulate(problem, sizes[0], round_file(out, 1), args.seed, args.workers)]
    covers = [1.0]
    for r, size in enumerate(sizes[1:], start=2):
        pooled = sum(done[1:], done[0])
        proposal = out / f"proposal_{r}.npz"
        if proposal.exists():
            with np.load(proposal) as f:
                theta, cover = f["theta"], float(f["cover"])
        else:
            print(f"round {r}: fitting on {len(pooled)} runs for its proposal...")
            theta, cover = fit_on(pooled, args, problem).truncated_prior(
                summaries.record_summary(), size, seed=args.seed + r)
            np.savez(proposal, theta=theta, cover=cover)
        print(f"round {r}: the proposal keeps {percent(cover)} of the prior's volume")
        run_seeds = seeds(size, generator(args.seed, "round seeds", r), taken=pooled.seeds)
        done.append(simulate_at(problem, theta, run_seeds, round_file(out, r),
                                args.workers, f"round {r} simulations"))
        covers.append(cover)
    return done, covers


def build(args: argparse.Namespace) -> Path:
    """The whole build (see the module docstring); returns the posterior's path."""
    from sim.inference import checks, npe, posterior_file, summaries
    from sim.inference.simulate import generator, seeds
    from sim.outputs.result import git_commit

    commit = git_commit()
    start = time.time()
    out = Path(args.out)
    problem = _problem(args)
    sizes = round_sizes(args.runs, args.rounds)
    if args.sbc >= sizes[-1]:
        raise SystemExit(f"error: --sbc={args.sbc}: must be below the last round's runs "
                         f"({sizes[-1]} of --runs={args.runs})")
    rounds, covers = simulate_rounds(problem, args, out, sizes)
    sims = sum(rounds[1:], rounds[0])
    sim_minutes = (time.time() - start) / 60
    train, held = slice(0, args.runs - args.sbc), slice(args.runs - args.sbc, args.runs)
    print(f"training NPE on {args.runs - args.sbc} runs ({len(summaries.names())} summaries, "
          f"{len(problem.names)} parameters)...")
    fitted = fit_on(sims.part(train), args, problem)
    fitted.save(out / "estimator.pt")
    print(f"trained: {fitted.epochs} epochs, {fitted.seconds / 60:.1f} min; "
          f"simulation-based calibration on {args.sbc} held-out runs...")
    sbc = sbc_step(fitted, sims, held, out, args.seed)
    draws = fitted.sample(summaries.record_summary(), args.draws, seed=args.seed)
    typical = checks.record_typicality(sims.summaries()[train], summaries.record_summary())
    checks.marginals_figure(draws, problem.names, problem.low, problem.high).savefig(
        out / "marginals.png", dpi=120)
    print("training the time split's NPE (record to 9 July, the prior's runs only)...")
    prior_runs = sims.part(train) if args.rounds == 1 else rounds[0]  # none held out of round 1
    split = fit_on(prior_runs, args, problem, summaries.SPLIT_DAY)
    split.save(out / "estimator_split.pt")
    split_draws = split.sample(summaries.record_summary(summaries.SPLIT_DAY), args.draws,
                               seed=args.seed)
    fresh = seeds(2 * args.predictive, generator(args.seed, "predictive"), taken=sims.seeds)
    c, patterns = check_step(problem, draws, args.predictive, fresh, out, args.workers)
    s, _ = check_step(problem, split_draws, args.predictive, fresh[args.predictive:], out,
                      args.workers, "split")
    minutes = (time.time() - start) / 60
    if args.rounds == 1:
        method = "neural posterior estimation (NPE, amortised"
        design = f"{args.runs} prior simulations"
        held_from = "held-out prior simulations"
    else:
        method = ("truncated sequential neural posterior estimation (TSNPE, Deistler et al. "
                  f"2022, {args.rounds} rounds")
        kept = ", ".join(percent(c) for c in covers[1:])
        design = (f"{args.runs} simulations in {args.rounds} rounds ({sizes[0]} from the prior, "
                  f"then {', '.join(map(str, sizes[1:]))} from the prior truncated to the "
                  f"posterior's {1 - npe.TRUNCATION:.2%} region given the record, which kept {kept} of "
                  "its volume)")
        held_from = "held-out simulations of the last round's proposal"
    header = {
        "method": (f"{method}: a neural spline flow of the {len(problem.names)} inferred "
                   f"parameters given {len(summaries.names())} summaries of one run, the "
                   "record's count series and run-level features, sim.inference.summaries); "
                   "independent, unweighted draws given the 2021 record; every other "
                   "parameter at its default"),
        "library": npe.library(),
        "budget": (f"{design}, each its own parameters and seed "
                   f"({args.runs - args.sbc} to train, {args.sbc} held out for SBC; "
                   f"{sim_minutes:.1f} min), {fitted.epochs} epochs "
                   f"({fitted.seconds / 60:.1f} min), {2 * args.predictive} predictive runs; "
                   f"{minutes:.1f} min in all on {args.workers} worker(s)"),
        "effective sample size": f"{args.draws} (independent draws)",
        "coverage": (f"90% bands of {args.predictive} predictive runs (fresh seeds) hold "
                     f"{c.loc['all', 'inside']}/{c.loc['all', 'points']} record points "
                     f"({c.loc['in', 'inside']}/{c.loc['in', 'points']} to 9 July); fitted to "
                     f"9 July only (on the prior's runs), "
                     f"{s.loc['out', 'inside']}/{s.loc['out', 'points']} after it"),
        "sbc": (f"{args.sbc} {held_from}, 1000 draws each; KS p-value of the "
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

    out = Path(args.out)
    fitted = npe.load(out / "estimator.pt")
    sims = load_rounds(out)
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
