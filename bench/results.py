"""What every benchmark reports through: its printed line and the one list of results
that bench.run writes out at the end (value, baseline measured in the same run, ratio,
goal, pass or fail)."""

RESULTS: list[dict] = []


def log(text: str) -> None:
    print(text, flush=True)


def pct(values, p):
    values = sorted(values)
    if not values:
        return float("nan")
    k = (len(values) - 1) * p / 100
    lo, hi = int(k), min(int(k) + 1, len(values) - 1)
    return values[lo] + (values[hi] - values[lo]) * (k - lo)


def verdict(ok) -> str:
    """PASS or FAIL; a figure with no goal (ok None) is only reported."""
    return "reported" if ok is None else "PASS" if ok else "FAIL"


def result(name, value, baseline, ratio, goal, ok, unit=""):
    row = dict(name=name, value=value, baseline=baseline, ratio=ratio, goal=goal, ok=ok, unit=unit)
    RESULTS.append(row)
    log(f"  {name}: {value} vs baseline {baseline} -> ratio {ratio} (goal {goal}) {verdict(ok)}")
