"""Plots for the forensic tests (matplotlib, drawn off-screen to PNG files)."""

from __future__ import annotations

from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np

from sanctio.forensics.precincts import Precincts


def plot_integer_percents(p: Precincts, leader: int, path: Path) -> None:
    """Turnout and the leader's share in 0.1-point bins: spikes on whole percents are
    what the integer test counts (as in Kobak et al. 2016, Fig. 1)."""
    usable = (p.registered >= 100) & (p.ballots_found > 0)
    turnout = 100 * p.ballots_issued[usable] / p.registered[usable]
    share = 100 * p.votes[usable, leader] / p.ballots_found[usable]
    bins = np.arange(0, 100.1, 0.1)
    figure, axes = plt.subplots(2, 1, figsize=(10, 6), sharex=True)
    for axis, values, label in (
        (axes[0], turnout, "turnout, %"),
        (axes[1], share, f"{p.candidates[leader]}: share, %"),
    ):
        axis.hist(values, bins=bins, color="#1f4e79", linewidth=0)
        axis.set_ylabel("precincts")
        axis.set_title(label, loc="left", fontsize=10)
    axes[1].set_xlabel("percent (0.1-point bins)")
    figure.suptitle(f"{Path(p.source).name}: precincts by turnout and leader's share")
    figure.tight_layout()
    figure.savefig(path, dpi=120)
    plt.close(figure)


def plot_reconcile(official: list[int], proved: list[int], candidate: str, path: Path) -> None:
    """Each precinct's official figure against the votes voters proved (photos): a
    point above the diagonal is a protocol the independent count contradicts."""
    figure, axis = plt.subplots(figsize=(6.5, 6))
    axis.scatter(official, proved, s=6, alpha=0.5, color="#1f4e79", linewidths=0)
    top = max([*official, *proved, 1])
    axis.plot([0, top], [0, top], color="#b22222", linewidth=1, label="protocol = proved")
    axis.set_xlabel(f"{candidate}: official votes (protocol)")
    axis.set_ylabel(f"{candidate}: ballots shown on photos")
    axis.legend(loc="upper left")
    axis.set_title("Above the line: the protocol credits fewer votes than voters proved")
    figure.tight_layout()
    figure.savefig(path, dpi=120)
    plt.close(figure)
