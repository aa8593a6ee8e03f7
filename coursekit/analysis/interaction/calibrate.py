"""Learning the coach's word weights from replies people wrote and graded, and checking them on
writers the weights never saw.

The rules of the rubric find what a reply does (thanks, apologises, takes ownership, blames).  Real
writers say those things in more ways than any phrase list holds, so the rubric also carries learned
word weights (``words_file``): single words and two-word phrases with points, fitted so that

    score = rubric points (the rules) + sum of the weights of the words the reply uses

ranks the replies the way their writers did.  The data is blind sets (``tests/blind/coach``): per
customer message a plain, a rich and a blaming reply with the same facts, and single replies graded
1-5.  The fit minimises (``scipy.optimize``, L-BFGS)

    sum over pairs  w_p * log(1 + exp(-(score_better - score_worse - margin) / 4))
  + sum over items  w_t * log(1 + exp(-side * (score - pass_mark - side) / 4))
  + lam * sum(weight ** 2)

where the pairs are rich > plain, plain > blame and rich > blame within a set (the two with the
blaming reply weighted ``blame_weight`` times), a higher grade over a
lower one within a writer's graded replies, a natural good reply over a stuffed one to the same
customer (``pairs.json``: courtesy phrases and scripted empathy piled up without substance), and,
when crowd-rated requests are given (``--politeness``, the Stanford Politeness Corpus as in
``../shared/real/politeness_dev.csv``), ``politeness_pairs`` random pairs per source of a top-quartile
request over a bottom-quartile one, each of weight ``politeness_weight`` and margin 0 (only the
development split: :func:`politeness_held_out` items are never fitted); the
items put rich, natural and grade 4-5 replies at or above the pass mark (side +1) and blaming,
plain, stuffed and grade 1-2 replies below it (side -1).  Points
are rounded to whole points and only words used by at least ``min_writers`` writers and ``min_count``
replies are kept, so a weight stands for how people write, not for one writer's habits.  The
requests inform how much a word is worth but never add one: the words are those of the replies.  Words a
stock courtesy rule already counts are left out (stuffing them still earns nothing more).

    python -m coursekit.analysis.interaction.calibrate tests/blind/coach/set_a ... --out words.json
"""

from __future__ import annotations

import argparse
import json
import zlib
from collections import defaultdict
from pathlib import Path

import numpy as np
import pandas as pd

from coursekit.errors import DataError
from coursekit.analysis.interaction.language import _NOT_CONTENT, _normalise
from coursekit.analysis.interaction.rubric import RUBRIC_FILE, _parse_rubric
from coursekit.analysis.interaction.scoring import _terms, score_many

STYLES = ("plain", "rich", "blame")
#: the kinds of a crowd-rated request (top and bottom quartile of its source)
RATED = ("polite", "impolite")


def politeness_held_out(item_id) -> bool:
    """True for the requests kept out of every fit (crc32 of the item id is 0-2 of 10): the tests
    report the coach's politeness figures on these only."""
    return zlib.crc32(str(item_id).encode()) % 10 < 3


def rated_quartile(ratings: pd.Series) -> np.ndarray:
    """Per rating: "polite" in the top quartile (at or above the 75th percentile), "impolite" in the
    bottom one (at or below the 25th), "" in the middle half (the top- vs bottom-quartile split of
    Danescu-Niculescu-Mizil et al. 2013)."""
    low, high = ratings.quantile([0.25, 0.75])
    return np.select([ratings >= high, ratings <= low], list(RATED), default="")


def read_politeness(path) -> pd.DataFrame:
    """The development split of crowd-rated requests (columns item_id, text, politeness, source) as
    rows of the fit: writer = source, kind ``polite`` (top quartile of its source) or ``impolite``
    (bottom quartile); the middle half and the held-out items are left out."""
    try:
        rated = pd.read_csv(path)
    except (OSError, pd.errors.ParserError, UnicodeDecodeError) as exc:
        raise DataError(f"{path}: not a readable CSV ({exc})") from None
    missing = [c for c in ("item_id", "text", "politeness", "source") if c not in rated.columns]
    if missing:
        raise DataError(f"{path}: needs the column {missing[0]}")
    rated["politeness"] = pd.to_numeric(rated["politeness"], errors="coerce")
    if rated["politeness"].isna().any():
        raise DataError(f"{path}: politeness must be a number (item {rated.loc[rated['politeness'].isna(), 'item_id'].iloc[0]})")
    dev = rated[[not politeness_held_out(i) for i in rated["item_id"]]]
    parts = [pd.DataFrame({"writer": source, "item": group["item_id"].to_numpy(),
                           "kind": rated_quartile(group["politeness"]), "reply": group["text"].astype(str).to_numpy(),
                           "customer_message": None, "facts": None})
             for source, group in dev.groupby("source")]
    rows = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(
        columns=["writer", "item", "kind", "reply", "customer_message", "facts"])
    return rows[rows["kind"] != ""].reset_index(drop=True)

#: words that say nothing alone ("the", "you", "for"): a learned word or phrase needs one other word
COMMON = _NOT_CONTENT | set("""a an the to of in on at for from with by as and or but if so than that this these
those it its is are was were be been being am do does did have has had will would can could shall should may
might must i me my we us our you your he she they them their his her there here what which who when where how
all any some no not very just also then now up out about into over get got""".split())


def read_blind(folders) -> pd.DataFrame:
    """One row per reply of blind sets: writer (the folder's name), item, kind (plain / rich / blame,
    g1-g5 for a graded reply, or natural / stuffed from a folder of stuffing pairs, ``pairs.json``),
    reply, customer_message, facts."""
    rows = []
    for folder in map(Path, folders):
        if (folder / "pairs.json").exists():  # stuffed and natural replies to the same customer
            try:
                pairs = json.loads((folder / "pairs.json").read_text(encoding="utf-8"))
                rows += [(folder.name, p["id"], kind, p[kind], p["customer"], ";".join(p["facts"]))
                         for p in pairs for kind in ("natural", "stuffed")]
            except (OSError, json.JSONDecodeError, KeyError, TypeError) as exc:
                raise DataError(f"{folder}/pairs.json: needs a list of id, customer, facts, natural and "
                                f"stuffed ({exc})") from None
            continue
        try:
            sets = json.loads((folder / "sets.json").read_text(encoding="utf-8"))
            graded = json.loads((folder / "graded.json").read_text(encoding="utf-8"))
        except (OSError, json.JSONDecodeError) as exc:
            raise DataError(f"{folder}: needs readable sets.json and graded.json ({exc})") from None
        rows += [(folder.name, s["id"], style, s[style], s["customer"], ";".join(s["facts"]))
                 for s in sets for style in STYLES]
        rows += [(folder.name, g["id"], f"g{int(g['grade'])}", g["reply"], g["customer"], None) for g in graded]
    return pd.DataFrame(rows, columns=["writer", "item", "kind", "reply", "customer_message", "facts"])


def rules_only(rubric_file=RUBRIC_FILE):
    """The rubric without its learned words (what the words are fitted on top of)."""
    data = json.loads(Path(rubric_file).read_text(encoding="utf-8"))
    data.pop("words_file", None)
    return _parse_rubric(data, Path(rubric_file).name, Path(rubric_file).parent)


def _pairs(frame: pd.DataFrame, politeness_weight: float = 0.1, politeness_pairs: int = 3000,
           blame_weight: float = 1.0) -> np.ndarray:
    """(better row, worse row, weight, margin in points)."""
    out = []
    styled = frame[frame["kind"].isin(STYLES)]
    for _, g in styled.groupby(["writer", "item"]):
        at = dict(zip(g["kind"], g.index))
        if set(at) == set(STYLES):
            out += [(at["rich"], at["plain"], 1.0, 4), (at["plain"], at["blame"], blame_weight, 4),
                    (at["rich"], at["blame"], 0.5 * blame_weight, 8)]
    for _, g in frame[frame["kind"].isin(("natural", "stuffed"))].groupby(["writer", "item"]):
        at = dict(zip(g["kind"], g.index))
        if len(at) == 2:
            out.append((at["natural"], at["stuffed"], 1.0, 8))
    graded = frame[frame["kind"].str.match(r"g\d")]
    for _, g in graded.groupby("writer"):
        grades = g["kind"].str[1].astype(int).to_numpy()
        for a, ga in zip(g.index, grades):
            for b, gb in zip(g.index, grades):
                if ga > gb:
                    out.append((a, b, 3.0 * (ga - gb) / len(g), 3 * (ga - gb)))
    rng = np.random.default_rng(0)  # the same pairs every fit, so the committed weights can be checked
    for _, g in frame[frame["kind"].isin(RATED)].groupby("writer"):
        top, bottom = g.index[g["kind"] == "polite"].to_numpy(), g.index[g["kind"] == "impolite"].to_numpy()
        if len(top) and len(bottom):
            out += [(a, b, politeness_weight, 0) for a, b in
                    zip(rng.choice(top, politeness_pairs), rng.choice(bottom, politeness_pairs))]
    return np.array(out, dtype=float).reshape(-1, 4)


def _sides(frame: pd.DataFrame) -> np.ndarray:
    """(row, side, weight): side +1 should pass, -1 should not."""
    want = {"rich": (1, 1.0), "g5": (1, 1.0), "g4": (1, 1.0), "blame": (-1, 0.5), "g1": (-1, 0.5),
            "g2": (-1, 0.5), "plain": (-1, 0.3), "natural": (1, 1.0), "stuffed": (-1, 1.0)}
    return np.array([(i, *want[k]) for i, k in zip(frame.index, frame["kind"]) if k in want],
                    dtype=float).reshape(-1, 3)


def vocabulary(frame: pd.DataFrame, rubric, min_writers: int = 2, min_count: int = 4) -> list[str]:
    """Words and two-word phrases used by ``min_writers`` writers in ``min_count`` replies, less those
    a stock courtesy rule already counts."""
    writers, count = defaultdict(set), defaultdict(int)
    for writer, reply in zip(frame["writer"], frame["reply"]):
        for t in set(_terms(_normalise(reply))):
            writers[t].add(writer)
            count[t] += 1
    stock = [rx for r in rubric.rules if r.stock for rx in r.compiled]
    return sorted(t for t in count if len(writers[t]) >= min_writers and count[t] >= min_count
                  and not all(w in COMMON for w in t.split())
                  and not any((m := rx.match(t)) and m.end() == len(t) for rx in stock))


def _features(frame: pd.DataFrame, vocab: list[str]) -> np.ndarray:
    at = {t: i for i, t in enumerate(vocab)}
    x = np.zeros((len(frame), len(vocab)))
    for r, reply in enumerate(frame["reply"]):
        for t in set(_terms(_normalise(reply))):
            if t in at:
                x[r, at[t]] = 1
    return x


def fit_word_weights(frame: pd.DataFrame, rubric=None, lam: float = 0.25, min_writers: int = 2,
                     min_count: int = 4, politeness_weight: float = 0.1,
                     politeness_pairs: int = 3000, blame_weight: float = 1.0) -> dict[str, float]:
    """{word or phrase: points} fitted on ``frame`` (from :func:`read_blind`, with rows of
    :func:`read_politeness` added or not); see the module docstring."""
    from scipy.optimize import minimize

    rub = rubric or rules_only()
    frame = frame.reset_index(drop=True)
    base = score_many(frame["reply"], customer_messages=frame["customer_message"], rubric=rub)["total"].to_numpy()
    vocab = vocabulary(frame[~frame["kind"].isin(RATED)], rub, min_writers, min_count)
    x = _features(frame, vocab)
    pairs, sides = _pairs(frame, politeness_weight, politeness_pairs, blame_weight), _sides(frame)
    a, b, wp, mp = pairs[:, 0].astype(int), pairs[:, 1].astype(int), pairs[:, 2], pairs[:, 3]
    ti, ts, tw = sides[:, 0].astype(int), sides[:, 1], sides[:, 2]
    s = 4.0

    def loss(w):
        score = base + x @ w
        z = (score[a] - score[b] - mp) / s
        zt = ts * (score[ti] - rub.pass_mark - ts) / s
        value = (wp * np.logaddexp(0, -z)).sum() + (tw * np.logaddexp(0, -zt)).sum() + lam * (w ** 2).sum()
        grad = np.zeros(len(score))
        gp, gt = -wp / (1 + np.exp(z)) / s, -tw * ts / (1 + np.exp(zt)) / s
        np.add.at(grad, a, gp)
        np.add.at(grad, b, -gp)
        np.add.at(grad, ti, gt)
        return value, x.T @ grad + 2 * lam * w

    w = minimize(loss, np.zeros(len(vocab)), jac=True, method="L-BFGS-B").x
    w = np.round(w)
    return {t: float(v) for t, v in zip(vocab, w) if v != 0}


def write_words(weights: dict[str, float], path, fitted_on: list[str], lam: float,
                politeness: dict | None = None, blame_weight: float = 1.0) -> None:
    """The word weights as the rubric's ``words_file`` (sorted by points, then word); ``politeness``:
    the rated requests fitted on (file name, weight, pairs), if any; ``blame_weight``: the weight of
    the pairs with a blaming reply."""
    order = sorted(weights.items(), key=lambda kv: (-kv[1], kv[0]))
    data = {"about": "Learned word weights of the interaction rubric: points per word or two-word phrase, "
                     "once per reply, positive into warm_words and negative into cold_words. Fitted by "
                     "coursekit.analysis.interaction.calibrate (its docstring gives the formula) on the blind "
                     "sets named in fitted_on; edit a weight or delete a word freely.",
            "fitted_on": fitted_on, "lambda": lam, "blame_weight": blame_weight,
            **({"politeness": politeness} if politeness else {}),
            "words": dict(order)}
    Path(path).write_text(json.dumps(data, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description="fit the coach's word weights on blind sets")
    ap.add_argument("folders", nargs="+", help="blind set folders (sets.json and graded.json, or pairs.json)")
    ap.add_argument("--out", required=True)
    ap.add_argument("--lam", type=float, default=0.25)
    ap.add_argument("--politeness", help="crowd-rated requests (item_id, text, politeness, source), "
                                         "e.g. ../shared/real/politeness_dev.csv: its development split is fitted too")
    ap.add_argument("--politeness-weight", type=float, default=0.1)
    ap.add_argument("--politeness-pairs", type=int, default=3000)
    ap.add_argument("--blame-weight", type=float, default=1.0,
                    help="weight of the pairs with a blaming reply (plain > blame, rich > blame)")
    args = ap.parse_args(argv)
    try:
        frame = read_blind(args.folders)
        rated = None
        if args.politeness:
            rated = {"file": Path(args.politeness).name, "weight": args.politeness_weight, "pairs": args.politeness_pairs}
            frame = pd.concat([frame, read_politeness(args.politeness)], ignore_index=True)
        weights = fit_word_weights(frame, lam=args.lam, politeness_weight=args.politeness_weight,
                                   politeness_pairs=args.politeness_pairs, blame_weight=args.blame_weight)
    except DataError as exc:
        print(f"error: {exc}")
        return 1
    write_words(weights, args.out, [Path(f).name for f in args.folders], args.lam, rated, args.blame_weight)
    replies = frame[~frame["kind"].isin(RATED)]
    print(f"{len(weights)} words from {len(replies)} replies by {replies['writer'].nunique()} writers"
          + (f" and {len(frame) - len(replies)} rated requests" if rated else "") + f" -> {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
