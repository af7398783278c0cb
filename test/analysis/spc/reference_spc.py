#!/usr/bin/env python3
"""Independent reference for Planwatch's SPC, written from shared/specs/spc.md alone.

It is deliberately naive: plain lists, one window at a time, the rules checked literally as the
spec words them, no shared code or structure with src/analysis/spc. The real-data test feeds it
the same series as the TypeScript and compares every field.

Input (stdin, JSON):  {"cases": [{"id", "periods": [...], "values": [number|null],
                        "options": {"direction", "target"?, "rebase"?, "fixAfter"?, "screen"?}}]}
Output (stdout, JSON): {"results": [{"id", "points": [{"period", "value", "mean", "lpl", "upl",
                        "rules": {...}, "pointType"}], "variation", "assurance", "trial": [bool]}]}
Undefined numbers are null. Standard library only.
"""
import json
import math
import sys

LIMIT = 2.66
NEAR = 2 * 2.66 / 3
SCREEN = 3.267
SHORT = 13
RUN = 7


def missing(y):
    return y is None


def mean_or_nan(xs):
    xs = [x for x in xs if x is not None]
    if not xs:
        return math.nan
    return math.fsum(xs) / len(xs)


def sign(x):
    if x is None or math.isnan(x):
        return None
    return (x > 0) - (x < 0)


def date_key(period):
    # YYYY-MM is the first of the month (the reference holds dates).
    return period if len(period) == 10 else period + "-01"


def segment_stats(ys, k, screen):
    n = len(ys)
    base = ys[:k] if k is not None else ys[:]
    base = base + [None] * (n - len(base))
    m = mean_or_nan(base)
    mrs = [None]
    for i in range(1, n):
        a, b = base[i - 1], base[i]
        mrs.append(None if a is None or b is None else abs(b - a))
    amr0 = mean_or_nan(mrs)
    if screen:
        kept = [r for r in mrs if r is not None and r < SCREEN * amr0]
        amr = mean_or_nan(kept)
    else:
        amr = amr0
    return m, amr


def analyse_segment(ys, k, screen):
    """Per-point dicts for one segment (spec sections 3-6)."""
    n = len(ys)
    m, amr = segment_stats(ys, k, screen)
    upl, lpl = m + LIMIT * amr, m - LIMIT * amr
    nupl, nlpl = m + NEAR * amr, m - NEAR * amr
    limits_defined = not math.isnan(upl)
    pts = []
    for y in ys:
        p = {"y": y, "mean": m, "lpl": lpl, "upl": upl}
        if y is None:
            p["outside"] = None
            p["rel"] = None
            p["close"] = None
        else:
            p["rel"] = sign(y - m)
            if limits_defined:
                p["outside"] = y > upl or y < lpl
                p["close"] = (not p["outside"]) and (y > nupl or y < nlpl)
            else:
                p["outside"] = None
                p["close"] = None
        pts.append(p)

    # R2 trend: every 7-point window of strictly rising or strictly falling values.
    in_trend = [False] * n
    for end in range(RUN - 1, n):
        window = ys[end - RUN + 1:end + 1]
        if any(v is None for v in window):
            continue  # spec section 9, recommended: a window with a missing value never fires
        diffs = [window[j + 1] - window[j] for j in range(RUN - 1)]
        if all(d > 0 for d in diffs) or all(d < 0 for d in diffs):
            for j in range(end - RUN + 1, end + 1):
                in_trend[j] = True
    trend_dir = [0] * n
    for i in range(n):
        if not in_trend[i]:
            continue
        if i + 1 < n and in_trend[i + 1]:
            s = sign(ys[i + 1] - ys[i])
        else:
            s = sign(ys[i] - ys[i - 1])
        trend_dir[i] = 1 if s == 1 else -1

    # R3 two of three beyond 2 sigma.
    def window_fires(start):
        if start < 0 or start + 3 > n:
            return False
        w = pts[start:start + 3]
        rels = [q["rel"] for q in w]
        if rels[0] not in (1, -1) or any(r != rels[0] for r in rels):
            return False
        return sum(1 for q in w if q["close"] is True) >= 2

    two = [0] * n
    for i in range(n):
        if pts[i]["close"] is True and (window_fires(i - 2) or window_fires(i - 1) or window_fires(i)):
            two[i] = 1 if pts[i]["rel"] > 0 else -1

    # R4 shift.
    shift = [0] * n
    for end in range(RUN - 1, n):
        rels = [pts[j]["rel"] for j in range(end - RUN + 1, end + 1)]
        if rels[0] in (1, -1) and all(r == rels[0] for r in rels):
            for j in range(end - RUN + 1, end + 1):
                shift[j] = rels[0]

    for i, p in enumerate(pts):
        beyond = 0
        if p["outside"] is True:
            beyond = 1 if p["rel"] == 1 else -1
        p["beyond"] = beyond
        p["trend"] = trend_dir[i]
        p["two"] = two[i]
        p["shift"] = shift[i]
        for d in (beyond, trend_dir[i], two[i], shift[i]):
            if d != 0:
                p["dir"] = d
                break
        else:
            p["dir"] = 0
        p["trial"] = n < SHORT
    return pts


def point_type(d, direction):
    if d == 0:
        return "common_cause"
    if direction == "neutral":
        return "special_cause_neutral_high" if d > 0 else "special_cause_neutral_low"
    good = (d > 0) == (direction == "increase")
    return "special_cause_improvement" if good else "special_cause_concern"


VARIATION = {
    ("increase", "special_cause_improvement"): "improvement_high",
    ("increase", "special_cause_concern"): "concern_low",
    ("decrease", "special_cause_improvement"): "improvement_low",
    ("decrease", "special_cause_concern"): "concern_high",
    ("neutral", "special_cause_neutral_high"): "neutral_high",
    ("neutral", "special_cause_neutral_low"): "neutral_low",
}


def num(x):
    return None if x is None or math.isnan(x) else x


def run_case(case):
    opts = case["options"]
    direction = opts["direction"]
    target = opts.get("target")
    screen = opts.get("screen", True)
    k = opts.get("fixAfter")
    k = None if k is None else int(math.floor(k))
    rebase = {date_key(p) for p in opts.get("rebase", [])}

    rows = sorted(zip(case["periods"], case["values"]), key=lambda r: date_key(r[0]))
    segments = []
    for period, y in rows:
        if not segments or date_key(period) in rebase:
            segments.append([])
        segments[-1].append((period, y))

    out, trial = [], []
    for seg in segments:
        pts = analyse_segment([y for _, y in seg], k, screen)
        for (period, y), p in zip(seg, pts):
            out.append({
                "period": period,
                "value": y,
                "mean": num(p["mean"]),
                "lpl": num(p["lpl"]),
                "upl": num(p["upl"]),
                "rules": {
                    "beyond": p["beyond"] != 0,
                    "trend": p["trend"] != 0,
                    "twoOfThree": p["two"] != 0,
                    "shift": p["shift"] != 0,
                },
                "pointType": point_type(p["dir"], direction),
            })
            trial.append(p["trial"])

    variation = "common_cause"
    assurance = None
    if out:
        variation = VARIATION.get((direction, out[-1]["pointType"]), "common_cause")
        if target is not None and direction != "neutral":
            lpl, upl = out[-1]["lpl"], out[-1]["upl"]
            if lpl is None or upl is None:
                assurance = "hit_and_miss"
            elif target > upl:
                assurance = "consistent_fail" if direction == "increase" else "consistent_pass"
            elif target < lpl:
                assurance = "consistent_pass" if direction == "increase" else "consistent_fail"
            else:
                assurance = "hit_and_miss"
    return {"id": case["id"], "points": out, "variation": variation, "assurance": assurance, "trial": trial}


def main():
    data = json.load(sys.stdin)
    # One write of the whole document: json.dump() writes each token separately, which made the
    # output, not the reference, most of the run time.
    sys.stdout.write(json.dumps({"results": [run_case(c) for c in data["cases"]]}))


if __name__ == "__main__":
    main()
