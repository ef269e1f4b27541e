"""Digit tests of vote counts: secondary evidence only.

- Second-digit Benford (2BL) mean test (Mebane): the mean of the second digits of the
  counts against the Benford expectation 4.187.
- Last-digit tests of Beber & Scacco ("What the Numbers Say: A Digit-Based Test for
  Election Fraud", Political Analysis 20(2), 2012): people who invent numbers favour
  some numerals, avoid repeating a numeral and favour adjacent numerals, while the last
  digits of genuine counts are uniform.

Both families have well-known false positives and false negatives (see ``NOTES``), so
their output is labelled ``secondary``: a digit anomaly is a reason to look at the
protocols, never a finding on its own.
"""

from __future__ import annotations

import importlib
import math
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import numpy.typing as npt

from sanctio.forensics.fingerprint import candidate_column, load_pyplot
from sanctio.forensics.precincts import Precincts

Floats = npt.NDArray[np.float64]
Ints = npt.NDArray[np.int64]


def _benford_second() -> Floats:
    """P(second digit = d) = sum over first digits k of log10(1 + 1 / (10 k + d))."""
    k = np.arange(1, 10)[:, None]
    d = np.arange(10)[None, :]
    return np.asarray(np.log10(1.0 + 1.0 / (10 * k + d)).sum(axis=0), dtype=np.float64)


BENFORD_SECOND = _benford_second()
BENFORD_SECOND_MEAN = float(np.dot(np.arange(10), BENFORD_SECOND))  # 4.1874
BENFORD_SECOND_VAR = float(np.dot(np.arange(10) ** 2, BENFORD_SECOND) - BENFORD_SECOND_MEAN**2)

LAST_DIGIT_MINIMUM = 10
"""Counts below 10 are their own last digit and far from uniform: left out."""

PAIR_MINIMUM = 100
"""The pair tests read the last two digits; below 100 the penultimate digit is the
leading digit, which follows Benford's law rather than the uniform: left out."""

REPEATED_EXPECTED = 0.10  # 00, 11, ..., 99: 10 of 100 pairs
ADJACENT_EXPECTED = 0.18  # |a - b| = 1, no wrap-around between 9 and 0: 18 of 100 pairs
NON_ADJACENT_EXPECTED = 0.72  # neither repeated nor adjacent: 72 of 100 pairs

NOTES = (
    "Secondary tests: a digit anomaly is a reason to examine the precinct protocols, not "
    "evidence of falsification on its own.",
    "2BL: clean elections often depart from 4.187 and falsified ones can match it; the "
    "expectation depends on the distribution of precinct sizes, the candidate's support "
    "and the number of candidates (Deckert, Myagkov & Ordeshook, Political Analysis "
    "19(3), 2011). Mebane reads departures as signs of strategic behaviour or fraud alike.",
    "Last digits are uniform only when counts spread over many tens; small counts, "
    "rounding at the count, or falsification done by adding batches or by computer "
    "leave no trace in them.",
    "Several tests on the same counts: expect about one p < 0.05 in twenty clean tests.",
)


def _number(x: float, digits: int | None = None) -> float | None:
    """JSON has no NaN: an undefined statistic (no counts) becomes null."""
    if math.isnan(x):
        return None
    return x if digits is None else round(x, digits)


def _two_sided_normal(z: float) -> float:
    return math.erfc(abs(z) / math.sqrt(2.0))


def _upper_gamma_regularized(a: float, x: float) -> float:
    """Q(a, x) = Gamma(a, x) / Gamma(a): series below a + 1, continued fraction above
    (Numerical Recipes, 6.2); used when scipy is not installed."""
    if x <= 0.0:
        return 1.0
    log_prefix = a * math.log(x) - x - math.lgamma(a)
    if x < a + 1.0:
        term = total = 1.0 / a
        ap = a
        for _ in range(1000):
            ap += 1.0
            term *= x / ap
            total += term
            if abs(term) < abs(total) * 1e-15:
                break
        return max(0.0, 1.0 - total * math.exp(log_prefix))
    tiny = 1e-300
    b = x + 1.0 - a
    c = 1.0 / tiny
    d = 1.0 / b
    h = d
    for i in range(1, 1000):
        an = -i * (i - a)
        b += 2.0
        d = an * d + b
        d = tiny if abs(d) < tiny else d
        c = b + an / c
        c = tiny if abs(c) < tiny else c
        d = 1.0 / d
        delta = d * c
        h *= delta
        if abs(delta - 1.0) < 1e-15:
            break
    return min(1.0, math.exp(log_prefix) * h)


def chi2_sf(statistic: float, df: int) -> float:
    """P(chi2_df >= statistic): scipy's when installed, else the regularized gamma."""
    try:
        stats = importlib.import_module("scipy.stats")
    except ImportError:
        return _upper_gamma_regularized(df / 2.0, statistic / 2.0)
    return float(stats.chi2.sf(statistic, df))


def _chi_square(observed: Ints, expected_p: Floats) -> tuple[float, float]:
    n = int(observed.sum())
    if n == 0:
        return 0.0, 1.0
    expected = n * expected_p
    statistic = float(np.sum((observed - expected) ** 2 / expected))
    return statistic, chi2_sf(statistic, len(observed) - 1)


def second_digits(counts: Ints) -> Ints:
    """Second digits of the counts >= 10 (others are dropped)."""
    x = np.asarray(counts, dtype=np.int64)
    x = x[x >= 10]
    while x.size and (x >= 100).any():
        x = np.where(x >= 100, x // 10, x)
    return x % 10


@dataclass(frozen=True)
class SecondDigitTest:
    """Mebane's 2BL test: mean second digit against Benford's 4.187."""

    n: int
    mean: float
    expected_mean: float
    z: float
    p_value: float
    chi2: float
    chi2_p_value: float
    frequencies: tuple[int, ...]

    def to_dict(self) -> dict[str, object]:
        return {
            "test": "second-digit Benford mean (2BL, Mebane)",
            "n": self.n,
            "mean": _number(self.mean, 4),
            "expected_mean": round(self.expected_mean, 4),
            "z": _number(self.z, 3),
            "p_value": _number(self.p_value),
            "chi2": round(self.chi2, 3),
            "chi2_df": 9,
            "chi2_p_value": self.chi2_p_value,
            "frequencies": list(self.frequencies),
        }


def second_digit_test(counts: Ints) -> SecondDigitTest:
    """2BL: z = (mean - 4.187) / sqrt(var_Benford / n), with a chi-square on the ten
    second-digit frequencies against Benford's as a companion."""
    digits = second_digits(counts)
    n = int(digits.size)
    freq = np.bincount(digits, minlength=10).astype(np.int64)
    if n == 0:
        return SecondDigitTest(
            0, math.nan, BENFORD_SECOND_MEAN, math.nan, math.nan, 0.0, 1.0, (0,) * 10
        )
    mean = float(digits.mean())
    z = (mean - BENFORD_SECOND_MEAN) / math.sqrt(BENFORD_SECOND_VAR / n)
    chi2, chi2_p = _chi_square(freq, BENFORD_SECOND)
    return SecondDigitTest(
        n=n,
        mean=mean,
        expected_mean=BENFORD_SECOND_MEAN,
        z=z,
        p_value=_two_sided_normal(z),
        chi2=chi2,
        chi2_p_value=chi2_p,
        frequencies=tuple(int(f) for f in freq),
    )


@dataclass(frozen=True)
class LastDigitTest:
    """Beber & Scacco's first test: last digits uniform over 0-9."""

    n: int
    minimum: int
    frequencies: tuple[int, ...]
    chi2: float
    p_value: float

    def to_dict(self) -> dict[str, object]:
        return {
            "test": "last digit uniform (Beber & Scacco)",
            "n": self.n,
            "minimum_count": self.minimum,
            "frequencies": list(self.frequencies),
            "chi2": round(self.chi2, 3),
            "chi2_df": 9,
            "p_value": self.p_value,
        }


def last_digit_test(counts: Ints, minimum: int = LAST_DIGIT_MINIMUM) -> LastDigitTest:
    """Pearson chi-square (9 df) of the last digits of counts >= ``minimum``."""
    x = np.asarray(counts, dtype=np.int64)
    x = x[x >= minimum]
    freq = np.bincount(x % 10, minlength=10).astype(np.int64)
    chi2, p = _chi_square(freq, np.full(10, 0.1))
    return LastDigitTest(int(x.size), minimum, tuple(int(f) for f in freq), chi2, p)


@dataclass(frozen=True)
class ShareTest:
    """One share of digit pairs against its expectation (normal approximation)."""

    name: str
    count: int
    share: float
    expected: float
    z: float
    p_value: float

    def to_dict(self) -> dict[str, object]:
        return {
            "name": self.name,
            "count": self.count,
            "share": _number(self.share, 4),
            "expected": self.expected,
            "z": _number(self.z, 3),
            "p_value": _number(self.p_value),
        }


def _share_test(name: str, hits: int, n: int, expected: float) -> ShareTest:
    if n == 0:
        return ShareTest(name, 0, math.nan, expected, math.nan, math.nan)
    share = hits / n
    z = (share - expected) / math.sqrt(expected * (1.0 - expected) / n)
    return ShareTest(name, hits, share, expected, z, _two_sided_normal(z))


@dataclass(frozen=True)
class PairTest:
    """Beber & Scacco's pair tests on the last two digits (tens, units) of each count:
    invented numbers repeat a numeral too rarely and use adjacent numerals too often."""

    n: int
    minimum: int
    repeated: ShareTest
    adjacent: ShareTest
    non_adjacent: ShareTest

    def to_dict(self) -> dict[str, object]:
        return {
            "test": "last-two-digit pairs (Beber & Scacco)",
            "n": self.n,
            "minimum_count": self.minimum,
            "repeated": self.repeated.to_dict(),
            "adjacent": self.adjacent.to_dict(),
            "non_adjacent": self.non_adjacent.to_dict(),
        }


def pair_test(counts: Ints, minimum: int = PAIR_MINIMUM) -> PairTest:
    """Shares of counts >= ``minimum`` whose last two digits are repeated (expected
    0.10), adjacent, |tens - units| = 1 with no wrap-around (0.18), or neither (0.72)."""
    x = np.asarray(counts, dtype=np.int64)
    x = x[x >= minimum]
    n = int(x.size)
    gap = np.abs((x // 10) % 10 - x % 10)
    repeated = int(np.count_nonzero(gap == 0))
    adjacent = int(np.count_nonzero(gap == 1))
    return PairTest(
        n=n,
        minimum=minimum,
        repeated=_share_test("repeated", repeated, n, REPEATED_EXPECTED),
        adjacent=_share_test("adjacent", adjacent, n, ADJACENT_EXPECTED),
        non_adjacent=_share_test("non_adjacent", n - repeated - adjacent, n, NON_ADJACENT_EXPECTED),
    )


@dataclass(frozen=True)
class DigitsResult:
    """All digit tests on one candidate's precinct counts."""

    candidate: str
    second_digit: SecondDigitTest
    last_digit: LastDigitTest
    pairs: PairTest
    label: str = "secondary"
    notes: tuple[str, ...] = NOTES

    def to_dict(self) -> dict[str, object]:
        return {
            "method": "digit-tests",
            "label": self.label,
            "candidate": self.candidate,
            "second_digit": self.second_digit.to_dict(),
            "last_digit": self.last_digit.to_dict(),
            "pairs": self.pairs.to_dict(),
            "notes": list(self.notes),
        }


def digit_tests(p: Precincts, candidate: str | int | None = None) -> DigitsResult:
    """The 2BL, last-digit and pair tests on one candidate's votes (default the
    leader), one count per precinct."""
    col = candidate_column(p, candidate)
    counts = p.votes[:, col].astype(np.int64)
    return DigitsResult(
        candidate=p.candidates[col],
        second_digit=second_digit_test(counts),
        last_digit=last_digit_test(counts),
        pairs=pair_test(counts),
    )


def plot_digits(p: Precincts, candidate: str | int | None, path: str | Path) -> Path:
    """Save the second-digit and last-digit frequencies against their expectations."""
    result = digit_tests(p, candidate)
    plt = load_pyplot()
    digits = np.arange(10)
    fig, (left, right) = plt.subplots(1, 2, figsize=(10, 4), dpi=120)
    second = np.array(result.second_digit.frequencies, dtype=np.float64)
    left.bar(digits, second / max(second.sum(), 1.0), color="tab:blue", label="observed")
    left.plot(digits, BENFORD_SECOND, "ko--", label="Benford")
    left.set_title(
        f"Second digit: mean {result.second_digit.mean:.3f} (Benford 4.187), "
        f"z = {result.second_digit.z:.2f}",
        fontsize=9,
    )
    last = np.array(result.last_digit.frequencies, dtype=np.float64)
    right.bar(digits, last / max(last.sum(), 1.0), color="tab:orange", label="observed")
    right.axhline(0.1, color="black", linestyle="--", label="uniform")
    right.set_title(
        f"Last digit (counts >= {result.last_digit.minimum}): "
        f"chi2 = {result.last_digit.chi2:.1f}, p = {result.last_digit.p_value:.3g}",
        fontsize=9,
    )
    for ax in (left, right):
        ax.set_xticks(digits)
        ax.set_xlabel("Digit")
        ax.set_ylabel("Share of counts")
        ax.legend(fontsize=8)
    fig.suptitle(f"Digit tests of {result.candidate}'s votes (secondary evidence)")
    out = Path(path)
    fig.savefig(out, format="png", bbox_inches="tight")
    plt.close(fig)
    return out
