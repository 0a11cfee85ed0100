"""NPE (sbi) against ABC-SMC (pyabc) on the tiny config, one simulation budget (issue 22).

The measurement behind docs/inference.md's choice of library. Needs the inference extra and
pyabc (``pip install -e ".[inference]" pyabc==0.13.0``); one core throughout:

    python experiments/sbi_vs_abc.py simulate 2000      # prior runs, 20 test and 200 SBC datasets
    python experiments/sbi_vs_abc.py npe 2000 nsf       # NPE: fit, 20 test datasets, SBC
    python experiments/sbi_vs_abc.py npe 2000 maf
    python experiments/sbi_vs_abc.py abc 2000 0,1,2     # ABC-SMC on test datasets 0, 1 and 2

Results (JSON) in ``outputs/sbi_vs_abc``. Five parameters are inferred (:data:`PARAMS`), the
others keep the tiny config's values; every run has its own seed.
"""

from __future__ import annotations

import json
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

import sim
from sim.batch import run_many
from sim.inference import summaries
from sim.inference.simulate import Problem

PARAMS = ["bargains.threshold_mean", "surrender.logit_base", "campaign.p_commit",
          "bargains.w_belief", "surrender.w_low_morale"]
OUT = Path("outputs/sbi_vs_abc")
PROBLEM = Problem.of(sim.load_config(["debug=tiny"]), PARAMS)
LO, HI = PROBLEM.low, PROBLEM.high


def simulate(theta: np.ndarray, seeds: np.ndarray, progress: bool = False) -> np.ndarray:
    configs = [PROBLEM.config(t, s) for t, s in zip(theta, seeds, strict=True)]
    traces = run_many(configs, n_jobs=1, keep=summaries.trace, progress=progress)
    return np.array([summaries.summarise(r) for r in traces])


def draw(n: int, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    return PROBLEM.draw(n, rng), rng.choice(2**32, n, replace=False)


def metrics(samples: np.ndarray, weights: np.ndarray | None, truth: np.ndarray) -> dict:
    """Error of the posterior mean and posterior sd (shares of the prior's), 90% interval hit."""
    w = np.full(len(samples), 1 / len(samples)) if weights is None else weights / weights.sum()
    mean = w @ samples
    sd = np.sqrt(w @ (samples - mean) ** 2)
    inside = []
    for j, t in enumerate(truth):
        order = np.argsort(samples[:, j])
        cum = np.cumsum(w[order])
        lo = samples[order, j][np.searchsorted(cum, 0.05)]
        hi = samples[order, j][min(np.searchsorted(cum, 0.95), len(order) - 1)]
        inside.append(float(lo <= t <= hi))
    return {"abs_err": (np.abs(mean - truth) / (HI - LO)).tolist(),
            "sd": (sd / ((HI - LO) / np.sqrt(12))).tolist(), "in90": inside}


def main(argv: list[str]) -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    what = argv[0]
    if what == "simulate":
        n = int(argv[1])
        test_theta, test_seeds = draw(20, np.random.default_rng(777))
        theta, seeds = draw(n, np.random.default_rng(2021))
        sbc_theta, sbc_seeds = draw(200, np.random.default_rng(99))
        start = time.time()
        x = simulate(theta, seeds, progress=True)
        seconds = time.time() - start
        np.savez(OUT / "sims.npz", theta=theta, x=x, test_theta=test_theta,
                 test_x=simulate(test_theta, test_seeds), sbc_theta=sbc_theta,
                 sbc_x=simulate(sbc_theta, sbc_seeds))
        print(f"{n} runs in {seconds:.0f} s")
    elif what == "npe":
        import torch
        from sbi.diagnostics import check_sbc, run_sbc
        from sbi.inference import NPE
        from sbi.utils import BoxUniform

        torch.set_num_threads(1)
        torch.manual_seed(0)
        n, estimator = int(argv[1]), argv[2]
        d = np.load(OUT / "sims.npz")
        f32 = {"dtype": torch.float32}
        trainer = NPE(prior=BoxUniform(torch.tensor(LO, **f32), torch.tensor(HI, **f32)),
                      density_estimator=estimator, show_progress_bars=False)
        start = time.time()
        trainer.append_simulations(torch.tensor(d["theta"][:n], **f32),
                                   torch.tensor(d["x"][:n], **f32)).train()
        post = trainer.build_posterior()
        result = {"n": n, "estimator": estimator, "train_sec": time.time() - start,
                  "epochs": trainer.summary["epochs_trained"][-1]}
        result["tests"] = [metrics(post.sample((2000,), x=torch.tensor(x, **f32),
                                               show_progress_bars=False).numpy(), None, t)
                           for t, x in zip(d["test_theta"], d["test_x"], strict=True)]
        start = time.time()
        thetas = torch.tensor(d["sbc_theta"], **f32)
        ranks, dap = run_sbc(thetas, torch.tensor(d["sbc_x"], **f32), post,
                             num_posterior_samples=1000, show_progress_bar=False)
        result["sbc_sec"] = time.time() - start
        result["sbc_ks_p"] = check_sbc(ranks, thetas, dap, 1000)["ks_pvals"].numpy().tolist()
        np.save(OUT / f"sbc_ranks_{estimator}_{n}.npy", ranks.numpy())
        (OUT / f"npe_{estimator}_{n}.json").write_text(json.dumps(result, indent=1))
        print({k: v for k, v in result.items() if k != "tests"})
    elif what == "abc":
        import pyabc
        from pyabc.sampler import SingleCoreSampler

        budget, which = int(argv[1]), [int(i) for i in argv[2].split(",")]
        d = np.load(OUT / "sims.npz")
        names = summaries.names()
        for i in which:
            rng = np.random.default_rng(5000 + i)  # each particle's run its own seed

            def model(par, rng=rng):
                theta = np.array([[par[f"p{j}"] for j in range(len(PARAMS))]])
                x = simulate(theta, rng.choice(2**32, 1))[0]
                return {n: float(v) for n, v in zip(names, x, strict=True)}

            prior = pyabc.Distribution(**{f"p{j}": pyabc.RV("uniform", LO[j], HI[j] - LO[j])
                                          for j in range(len(PARAMS))})
            abc = pyabc.ABCSMC(model, prior, pyabc.AdaptivePNormDistance(p=2),
                               population_size=200, sampler=SingleCoreSampler())
            db = Path(tempfile.mkdtemp()) / "abc.db"
            abc.new(f"sqlite:///{db}", {n: float(v) for n, v in zip(names, d["test_x"][i],
                                                                     strict=True)})
            start = time.time()
            history = abc.run(max_total_nr_simulations=budget, max_nr_populations=30)
            frame, w = history.get_distribution()
            w = np.asarray(w)
            result = {"dataset": i, "budget": budget, "sec": time.time() - start,
                      "sims": int(history.total_nr_simulations),
                      "generations": int(history.max_t + 1),
                      "ess": float(w.sum() ** 2 / (w ** 2).sum()),
                      "metrics": metrics(frame[[f"p{j}" for j in range(len(PARAMS))]].to_numpy(),
                                         w, d["test_theta"][i])}
            (OUT / f"abc_{budget}_{i}.json").write_text(json.dumps(result, indent=1))
            print(result)


if __name__ == "__main__":
    main(sys.argv[1:])
