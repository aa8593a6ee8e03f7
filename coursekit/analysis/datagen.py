"""The generator behind the bundled datasets: an imaginary contact center, reproducible from a seed.

Everything is vectorised with numpy (no Python loop per contact): 1,000,000 contacts take a few
seconds.  The model, in short (units: seconds, shares 0–1 unless a column says percent):

- **Agents** have hidden traits: ``speed`` (handle-time multiplier), ``quality`` (first-contact
  resolution and transaction QA) and ``warmth`` (interaction QA, CSAT).  A few are *fast but
  careless* (speed 0.7, low quality) and a few *slow but excellent* (speed 1.3, high quality).
- **Arrivals**: daily volume by weekday (Monday busiest) × an intraday curve with a late-morning
  peak and a smaller early-afternoon one, 08:00–20:00.
- **Waits** come from an Erlang C queue per 30-minute interval: traffic = calls × AHT ÷ 1800 s,
  agents = those on shift less 25 % shrinkage; a caller waits with probability C, for an
  exponential time of mean AHT ÷ (N − A).  Callers have exponential patience (mean 150 s on the
  phone, 300 s in chat) and abandon when the wait exceeds it, so busy intervals have longer waits
  and more abandons.
- **Handle times** are lognormal (right-skewed): talk median ~290 s × speed, hold on ~30 % of
  calls, after-call work median ~40 s.
- **FCR** ~70 %: a logistic function of agent quality, lower after a transfer.  Unresolved contacts
  come back (``repeat_of``) within days with probability 0.6.
- **CSAT** (1–5, ~12 % answer the survey): higher when resolved, lower after long waits, higher
  with agent warmth.
- **Frontline poll**: each agent names the three contact reasons they hear most.  Frontline
  feedback is "not scientific, but usually pretty accurate" (the course's voice-of-the-customer
  source), so agents name what they hear: each reason is picked with weight = its share of
  contacts × a small memory factor (:data:`MEMORABLE`: complaints and cancellations 1.2, the rest
  1), without replacement (Gumbel top-k).  On the bundled data every reason's share of mentions is
  within :data:`POLL_TOLERANCE` (5 percentage points) of its share of contacts, and the poll's
  three most named reasons are the data's three most frequent.  It has its own random stream
  (``default_rng([seed, 7])``) so changing it changes no other file.
- **Surveys**: customers rate nine attributes' importance and satisfaction (1–7), employees what
  they think customers value.  A short wait matters to customers (the quality-and-access source:
  long waits bring criticism, apologies and longer calls), a quick call much less.
- **Self-assessments** relate to measured skill only weakly (r ≈ 0.25) with a better-than-average
  shift (+13 percentile points) before training, less so after.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from coursekit.analysis.queueing import erlang_c
from coursekit.analysis.selfassess import COMPETENCIES

SEED = 2026
START = "2026-03-02"
OPEN_HOUR, CLOSE_HOUR = 8, 20
INTERVAL_S = 1800
WEEKDAY_FACTOR = np.array([1.18, 1.04, 1.0, 0.96, 0.88])  # Mon..Fri
CALLS_PER_AGENT_DAY = 25.0

FIRST = ["Aisha", "Ben", "Carla", "Dmitri", "Elena", "Farid", "Grace", "Hiro", "Ines", "Jamal", "Kofi", "Lena",
         "Marco", "Nadia", "Oscar", "Priya", "Quentin", "Rosa", "Sven", "Tamara", "Umar", "Valeria", "Wen",
         "Ximena", "Yusuf", "Zoe", "Amir", "Bianca", "Chidi", "Daria", "Emeka", "Fatima", "Gabriel", "Hana",
         "Ivan", "Julia", "Kenji", "Leila", "Mateo", "Noor"]
LAST = ["Okafor", "Brennan", "Silva", "Volkov", "Rossi", "Haddad", "Kim", "Tanaka", "Moreau", "Jackson",
        "Mensah", "Schmidt", "Bianchi", "Rahman", "Lindqvist", "Sharma", "Dubois", "Alvarez", "Nilsson", "Petrova",
        "Qureshi", "Castro", "Zhang", "Lopez", "Demir", "Walsh", "Karimi", "Ferreira", "Eze", "Kowalski", "Obi",
        "Hussein", "Martin", "Sato", "Novak", "Becker", "Mori", "Nasser", "Garcia", "Aziz"]
TEAMS = [("Billing", "Monica Reyes"), ("Technical", "Daniel Osei"), ("Retention", "Sara Lindgren"),
         ("General", "Tom Nakamura")]
SHIFTS = {"early": (8, 16), "day": (9, 17), "mid": (11, 19), "late": (12, 20)}
REASONS = ["billing question", "payment arrangement", "technical fault", "order status", "account change",
           "complaint", "cancellation"]
REASON_P = [0.24, 0.10, 0.22, 0.16, 0.14, 0.08, 0.06]
REASON_TALK = {"billing question": 0.9, "payment arrangement": 1.1, "technical fault": 1.35, "order status": 0.7,
               "account change": 0.9, "complaint": 1.4, "cancellation": 1.2}
QUEUE_OF = {"billing question": "billing", "payment arrangement": "billing", "technical fault": "technical",
            "order status": "general", "account change": "general", "complaint": "general",
            "cancellation": "billing"}
#: how much more (> 1) a reason sticks in an agent's memory than its volume says: a little, so the poll
#: stays "not scientific, but usually pretty accurate"
MEMORABLE = {"billing question": 1.0, "payment arrangement": 1.0, "technical fault": 1.0, "order status": 1.0,
             "account change": 1.0, "complaint": 1.2, "cancellation": 1.2}
#: how far (share points) a reason's share of poll mentions may be from its share of contacts
POLL_TOLERANCE = 0.05
POLL_STREAM = 7
TRANSACTION_ITEMS = ["verification", "accuracy", "resolution", "compliance", "documentation"]
INTERACTION_ITEMS = ["greeting", "acknowledgement", "empathy", "ownership", "personalization",
                     "expectation_setting", "closing"]
ATTRIBUTES = ["first-contact resolution", "short wait", "friendly agent", "knowledgeable agent",
              "follow-up kept", "clear explanation", "easy self-service", "one agent start to finish",
              "quick call"]
CUSTOMER_IMPORTANCE = np.array([6.5, 5.9, 5.6, 6.2, 6.1, 5.9, 4.6, 5.4, 4.3])  # short wait matters; a quick call less
EMPLOYEE_IMPORTANCE = np.array([5.6, 6.4, 5.3, 5.8, 4.7, 5.2, 5.0, 4.6, 5.9])
CUSTOMER_SATISFACTION = np.array([4.6, 4.4, 5.8, 5.5, 4.1, 4.9, 4.0, 4.5, 5.6])


def _agents(rng: np.random.Generator, n: int) -> pd.DataFrame:
    order = rng.permutation(len(FIRST))
    ids = [f"A{i + 1:02d}" for i in range(n)]
    names = [f"{FIRST[order[i % len(FIRST)]]} {LAST[(order[i % len(FIRST)] * 7 + i) % len(LAST)]}" for i in range(n)]
    teams = [TEAMS[i % len(TEAMS)] for i in range(n)]
    shift_names = np.array(list(SHIFTS))[rng.choice(4, n, p=[0.30, 0.35, 0.20, 0.15])]
    tenure = np.round(rng.gamma(2.0, 9.0, n)).astype(int) + 1
    speed = np.clip(rng.normal(1.0, 0.12, n), 0.75, 1.3)
    quality = rng.normal(0.0, 0.5, n) + 0.015 * np.minimum(tenure, 36)
    warmth = rng.normal(0.0, 0.6, n)
    careless = np.arange(n) % 13 == 3  # fast but careless
    excellent = np.arange(n) % 13 == 8  # slow but excellent
    speed[careless], quality[careless] = 0.72, quality[careless] - 0.9
    speed[excellent], quality[excellent], warmth[excellent] = 1.28, quality[excellent] + 0.8, warmth[excellent] + 0.5
    return pd.DataFrame({
        "agent_id": ids, "name": names, "team": [t[0] for t in teams], "supervisor": [t[1] for t in teams],
        "tenure_months": tenure, "shift": shift_names,
        "_speed": speed, "_quality": quality, "_warmth": warmth,
    })


def _calls(rng: np.random.Generator, agents: pd.DataFrame, days: int, start: str) -> pd.DataFrame:
    dates = pd.bdate_range(start, periods=days)
    n_agents = len(agents)
    base = CALLS_PER_AGENT_DAY * n_agents
    per_day = rng.poisson(base * WEEKDAY_FACTOR[dates.day_of_week])
    day_index = np.repeat(np.arange(days), per_day)
    n = int(per_day.sum())
    # intraday curve: late-morning peak and an early-afternoon one, 08:00-20:00
    grid = np.linspace(OPEN_HOUR, CLOSE_HOUR, 1441)
    density = 0.62 * np.exp(-0.5 * ((grid - 11.0) / 1.6) ** 2) + 0.38 * np.exp(-0.5 * ((grid - 14.8) / 2.0) ** 2) + 0.05
    cdf = np.cumsum(density)
    cdf /= cdf[-1]
    hours = np.interp(rng.random(n), cdf, grid)
    order = np.lexsort((hours, day_index))
    day_index, hours = day_index[order], hours[order]
    arrival = dates.values[day_index] + (hours * 3600 * 1e9).astype("timedelta64[ns]")

    reason = np.array(REASONS)[rng.choice(len(REASONS), n, p=REASON_P)]
    channel = np.where(rng.random(n) < 0.16, "chat", "phone")

    # staffing per 30-minute interval from shifts, less shrinkage
    slot = ((hours - OPEN_HOUR) * 3600 // INTERVAL_S).astype(int)
    n_slots = (CLOSE_HOUR - OPEN_HOUR) * 3600 // INTERVAL_S
    slot_hour = OPEN_HOUR + np.arange(n_slots) * INTERVAL_S / 3600
    on_shift = np.array([[SHIFTS[s][0] <= h < SHIFTS[s][1] for h in slot_hour] for s in agents["shift"]])  # agent x slot
    key = day_index * n_slots + slot
    volume = np.bincount(key, minlength=days * n_slots)
    aht_guess = 420.0
    traffic = volume * aht_guess / INTERVAL_S
    # the schedule follows the forecast (expected traffic at 66 % occupancy); absence on the day
    # (0-15 %) and a little noise leave some intervals short-staffed
    slot_share = np.array([density[(grid >= OPEN_HOUR + i / 2) & (grid < OPEN_HOUR + (i + 1) / 2)].sum()
                           for i in range(n_slots)]) / density.sum()
    forecast = np.outer(base * WEEKDAY_FACTOR[dates.day_of_week], slot_share).ravel() * aht_guess / INTERVAL_S
    absence = np.repeat(rng.uniform(0.0, 0.15, days), n_slots)
    staff = np.maximum(np.round(np.ceil(forecast / 0.66) * (1 - absence) + rng.normal(0, 0.7, days * n_slots)), 3)
    c = erlang_c(traffic, staff)
    mean_wait = np.where(staff > traffic, aht_guess / np.maximum(staff - traffic, 1e-9), 600.0)
    waits_if_queued = rng.exponential(1.0, n) * np.minimum(mean_wait[key], 900)
    wait = np.where(rng.random(n) < c[key], waits_if_queued, rng.uniform(0, 4, n))
    patience = rng.exponential(np.where(channel == "chat", 420.0, 240.0))
    abandoned = patience < wait
    wait = np.round(np.where(abandoned, patience, wait), 1)

    # agent: anyone on shift in that slot
    slot_agents = [np.flatnonzero(on_shift[:, s]) for s in range(n_slots)]
    pick = rng.random(n)
    agent_idx = np.empty(n, dtype=int)
    for s in range(n_slots):
        mask = slot == s
        pool = slot_agents[s] if len(slot_agents[s]) else np.arange(n_agents)
        agent_idx[mask] = pool[(pick[mask] * len(pool)).astype(int)]
    speed = agents["_speed"].to_numpy()[agent_idx]
    quality = agents["_quality"].to_numpy()[agent_idx]
    warmth = agents["_warmth"].to_numpy()[agent_idx]
    reason_factor = pd.Series(reason).map(REASON_TALK).to_numpy()

    talk = np.round(rng.lognormal(np.log(290), 0.55, n) * speed * reason_factor)
    has_hold = rng.random(n) < 0.3
    hold = np.round(np.where(has_hold, rng.lognormal(np.log(45), 0.7, n), 0.0))
    acw = np.round(rng.lognormal(np.log(40), 0.5, n) * speed)
    transferred = rng.random(n) < (0.07 + 0.06 * (quality < -0.4))
    p_fcr = 1 / (1 + np.exp(-(0.95 + 1.4 * quality - 1.0 * transferred - 0.4 * (reason == "technical fault"))))
    fcr = rng.random(n) < p_fcr
    answered = ~abandoned

    ids = np.array([f"C{i + 1:06d}" for i in range(n)], dtype=object)
    # unresolved contacts come back within ~3 days (the next 2 % of the contact log) with prob 0.6
    repeat_of = np.full(n, None, dtype=object)
    unresolved = np.flatnonzero(answered & ~fcr & (rng.random(n) < 0.6))
    horizon = max(int(n * 0.02), 2)
    targets = unresolved + rng.integers(1, horizon, len(unresolved))
    keep = targets < n
    targets, sources = targets[keep], unresolved[keep]
    targets, first = np.unique(targets, return_index=True)
    repeat_of[targets] = ids[sources[first]]

    surveyed = answered & (rng.random(n) < 0.12)
    score = 3.3 + 1.0 * fcr - 0.006 * np.maximum(wait - 60, 0) + 0.45 * warmth - 0.4 * transferred + rng.normal(0, 0.75, n)
    csat = np.where(surveyed, np.clip(np.round(score), 1, 5), np.nan)

    frame = pd.DataFrame({
        "contact_id": ids,
        "arrival_time": pd.to_datetime(arrival).floor("s"),
        "channel": channel,
        "queue": pd.Series(reason).map(QUEUE_OF).to_numpy(),
        "agent_id": np.where(answered, agents["agent_id"].to_numpy()[agent_idx], None),
        "wait_s": wait,
        "abandoned": abandoned,
        "time_to_abandon_s": np.where(abandoned, wait, np.nan),
        "talk_s": np.where(answered, talk, np.nan),
        "hold_s": np.where(answered, hold, np.nan),
        "acw_s": np.where(answered, acw, np.nan),
        "transferred": transferred & answered,
        "resolved_first_contact": pd.array(np.where(answered, fcr, None), dtype="boolean"),
        "repeat_of": repeat_of,
        "csat": csat,
        "reason": reason,
    })
    frame["csat"] = pd.array(np.where(np.isnan(csat), pd.NA, csat), dtype="Int64")
    return frame


def _qa(rng, agents: pd.DataFrame, calls: pd.DataFrame, per_week: int = 5) -> pd.DataFrame:
    answered = calls[~calls["abandoned"]]
    rows = []
    evaluators = ["QA: Helen Brooks", "QA: Luis Ortega", "QA: Anna Weber"]
    weeks = max(1, int(np.ceil((calls["arrival_time"].max() - calls["arrival_time"].min()).days / 7)))
    per_agent = answered.groupby("agent_id")
    for agent in agents.to_dict("records"):
        if agent["agent_id"] not in per_agent.groups:
            continue
        mine = per_agent.get_group(agent["agent_id"])
        k = min(len(mine), per_week * weeks)
        sample = mine.iloc[np.sort(rng.choice(len(mine), k, replace=False))]
        t = np.clip(np.round(2.7 + 0.9 * agent["_quality"] + rng.normal(0, 0.7, (k, 5))), 0, 4)
        i = np.clip(np.round(2.5 + 0.9 * agent["_warmth"] + rng.normal(0, 0.75, (k, 7))), 0, 4)
        part = pd.DataFrame(np.hstack([t, i]).astype(int), columns=TRANSACTION_ITEMS + INTERACTION_ITEMS)
        part.insert(0, "date", sample["arrival_time"].dt.normalize().to_numpy())
        part.insert(0, "evaluator", rng.choice(evaluators, k))
        part.insert(0, "contact_id", sample["contact_id"].to_numpy())
        part.insert(0, "agent_id", agent["agent_id"])
        rows.append(part)
    qa = pd.concat(rows, ignore_index=True).sort_values(["date", "agent_id"], ignore_index=True)
    qa.insert(0, "eval_id", [f"Q{i + 1:05d}" for i in range(len(qa))])
    qa["transaction_score"] = (100 * qa[TRANSACTION_ITEMS].sum(axis=1) / 20).round(1)
    qa["interaction_score"] = (100 * qa[INTERACTION_ITEMS].sum(axis=1) / 28).round(1)
    qa["qa_score"] = ((qa["transaction_score"] + qa["interaction_score"]) / 2).round(1)
    return qa


def _self_assessments(rng, agents: pd.DataFrame) -> pd.DataFrame:
    n, k = len(agents), len(COMPETENCIES)
    skill = (agents["_quality"].to_numpy()[:, None] * 0.6 + agents["_warmth"].to_numpy()[:, None] * 0.4
             + rng.normal(0, 0.7, (n, k)))
    z = (skill - skill.mean()) / skill.std()
    measured = np.clip(np.round(62 + 14 * z), 5, 100)
    rows = []
    for phase, r, shift, noise in (("pre", 0.25, 13.0, 1.0), ("post", 0.55, 5.0, 0.8)):
        perceived_z = r * z + np.sqrt(1 - r ** 2) * rng.normal(0, noise, (n, k))
        from scipy.stats import norm

        percentile = np.clip(np.round(100 * norm.cdf(perceived_z) + shift), 1, 99)
        rating = np.clip(np.round(3.3 + (shift / 13) * 0.4 + 0.8 * perceived_z), 1, 5)
        for a in range(n):
            for c in range(k):
                rows.append((agents["agent_id"].iat[a], phase, COMPETENCIES[c], int(rating[a, c]),
                             int(percentile[a, c]), int(measured[a, c])))
    return pd.DataFrame(rows, columns=["agent_id", "phase", "competency", "self_rating", "self_percentile",
                                       "measured_score"])


def _surveys(rng, n_customers: int = 320, n_employees: int = 40) -> pd.DataFrame:
    m = len(ATTRIBUTES)
    cust_imp = np.clip(np.round(CUSTOMER_IMPORTANCE + rng.normal(0, 1.0, (n_customers, m))), 1, 7)
    cust_sat = np.clip(np.round(CUSTOMER_SATISFACTION + rng.normal(0, 1.1, (n_customers, m))), 1, 7)
    emp_imp = np.clip(np.round(EMPLOYEE_IMPORTANCE + rng.normal(0, 0.9, (n_employees, m))), 1, 7)
    parts = []
    for kind, imp, sat, prefix in (("customer", cust_imp, cust_sat, "R"), ("employee", emp_imp, None, "E")):
        who = np.repeat([f"{prefix}{i + 1:04d}" for i in range(len(imp))], m)
        parts.append(pd.DataFrame({
            "respondent_id": who, "respondent_type": kind, "attribute": np.tile(ATTRIBUTES, len(imp)),
            "importance": imp.ravel().astype(int),
            "satisfaction": pd.array(sat.ravel().astype(int) if sat is not None else [pd.NA] * imp.size, dtype="Int64"),
        }))
    return pd.concat(parts, ignore_index=True)


def _frontline_poll(rng, agent_ids, top: int = 3) -> pd.DataFrame:
    """Each agent's answer to "which contact reasons do you hear most?": ``top`` reasons, rank 1 first."""
    ids = np.asarray(agent_ids)
    weights = np.array(REASON_P) * np.array([MEMORABLE[r] for r in REASONS])
    keys = np.log(weights) + rng.gumbel(size=(len(ids), len(REASONS)))
    picks = np.argsort(-keys, axis=1)[:, :top]
    return pd.DataFrame({"agent_id": np.repeat(ids, top), "rank": np.tile(np.arange(1, top + 1), len(ids)),
                         "reason": np.array(REASONS)[picks.ravel()]})


def _benchmarks() -> pd.DataFrame:
    return pd.DataFrame([
        ("service_level", 0.80, "higher", "share of calls answered within 20 s",
         "queue target, the schedule's (80/20 rule of thumb), never an agent's"),
        ("abandonment_rate", 0.05, "lower", "share of offered calls", "queue target, the schedule's"),
        ("fcr", 0.75, "higher", "share of answered contacts", "industry benchmark studies (70-75 %)"),
        ("csat", 4.2, "higher", "mean survey score 1-5", "center target"),
        ("asa_s", 30.0, "lower", "seconds", "queue target, the schedule's"),
        ("qa_score", 85.0, "higher", "percent 0-100", "QA team standard"),
    ], columns=["metric", "target", "direction", "unit", "source"])


def generate(seed: int = SEED, agents: int = 40, days: int = 20, start: str = START) -> dict[str, pd.DataFrame]:
    """All datasets, reproducibly: the same arguments give the same data."""
    from coursekit.analysis.responses import responses

    rng = np.random.default_rng(seed)
    staff = _agents(rng, agents)
    calls = _calls(rng, staff, days, start)
    qa = _qa(rng, staff, calls)
    selfs = _self_assessments(rng, staff)
    surveys = _surveys(rng)
    public = staff[[c for c in staff.columns if not c.startswith("_")]]
    return {"agents": public, "calls": calls, "qa_evaluations": qa, "self_assessments": selfs,
            "surveys": surveys, "benchmarks": _benchmarks(), "responses": responses(seed),
            "frontline_poll": _frontline_poll(np.random.default_rng([seed, POLL_STREAM]), public["agent_id"])}
