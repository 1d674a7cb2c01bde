"""How many agents a queue needs: Erlang C (customers wait as long as it takes) and Erlang A (they give
up after an exponentially distributed patience), for conversations arriving at random (Poisson) and
handled in exponentially distributed times.

Erlang C is computed through the Erlang B recursion (no factorials or powers, so a thousand agents and
a load of a few hundred erlangs stay finite). Erlang A is computed exactly from its birth-death chain
(M/M/n+M): the stationary distribution, then, for a customer arriving behind `q` others, the chance to
reach an agent within the target before their own patience runs out (a pure-death chain, solved by
uniformization)."""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
from scipy.special import gammaln

# The tail of the Erlang A chain is cut where its probability no longer shows in a share to 1e-12.
TAIL = 1e-13


@dataclass(frozen=True)
class Prediction:
    """What `agents` agents give: `service_level` is the share of arrivals answered within the target
    (for Erlang A, those who gave up count as not answered); `asa_seconds` the mean wait in the queue
    over all arrivals; `occupancy` the share of an agent's time spent handling."""

    agents: int
    service_level: float
    wait_probability: float
    asa_seconds: float
    occupancy: float
    abandon_share: float = 0.0


def erlang_b(traffic: float, agents: int) -> float:
    """Blocking probability of `agents` servers offered `traffic` erlangs (the stable recursion)."""
    blocked = 1.0
    for k in range(1, agents + 1):
        blocked = traffic * blocked / (k + traffic * blocked)
    return blocked


def erlang_c(traffic: float, agents: int) -> float:
    """Probability that an arrival waits; 1 when the agents cannot keep up (agents <= traffic)."""
    if agents <= traffic:
        return 1.0
    blocked = erlang_b(traffic, agents)
    return agents * blocked / (agents - traffic * (1 - blocked))


def _erlang_c(per_hour: float, handle: float, agents: int, target: float) -> Prediction:
    traffic = per_hour * handle / 3600
    if per_hour <= 0:
        return Prediction(agents, 1.0, 0.0, 0.0, 0.0)
    if agents <= traffic:
        return Prediction(agents, 0.0, 1.0, math.inf, 1.0 if agents else 0.0)
    waits = erlang_c(traffic, agents)
    level = 1 - waits * math.exp(-(agents - traffic) * target / handle)
    asa = waits * handle / (agents - traffic)
    return Prediction(agents, level, waits, asa, traffic / agents)


def _chain(rate: float, service: float, abandon: float, agents: int) -> np.ndarray:
    """Stationary probabilities of 0, 1, 2, … conversations in an M/M/n+M desk, cut at TAIL."""
    weights = [1.0]
    total = 1.0
    k = 0
    while True:
        k += 1
        out = min(k, agents) * service + max(k - agents, 0) * abandon
        weights.append(weights[-1] * rate / out)
        total += weights[-1]
        if total > 1e250:  # rescale before floats overflow (large desks)
            weights = [w / total for w in weights]
            total = 1.0
        if k > agents and weights[-1] < TAIL * total:
            break
    return np.array(weights) / total


def _served_within(queued: np.ndarray, agents: int, service: float, abandon: float, target: float) -> float:
    """Of customers who arrive behind q = 0, 1, … others in the queue (weights `queued`), the share who
    reach an agent within `target` seconds. With q ahead, the line moves at n·μ + q·θ and the customer
    leaves at θ; state 0 moving on is 'served'. Solved by uniformization: the chain observed at the
    jumps of a Poisson clock of rate Λ (the fastest state's), so the answer is a Poisson-weighted sum of
    what k steps of a plain (substochastic) matrix absorb; the matrix is bidiagonal, a step is a few
    vector operations."""
    moves = agents * service + abandon * np.arange(len(queued))
    clock = float((moves + abandon).max())
    stay = 1 - (moves + abandon) / clock
    down = moves / clock
    mean = clock * target
    steps = int(mean + 10 * math.sqrt(mean) + 20)
    k = np.arange(steps + 1)
    weights = np.exp(-mean + k * math.log(mean) - gammaln(k + 1)) if mean else (k == 0).astype(float)
    tail = 1.0  # Poisson mass beyond the steps taken so far
    state = queued.astype(float)
    absorbed = served = 0.0
    for step in range(steps + 1):
        served += weights[step] * absorbed
        tail -= weights[step]
        if state.sum() < TAIL:  # nothing left to move: every later step absorbs the same
            break
        moved = state * down
        absorbed += moved[0]
        state = state * stay
        state[:-1] += moved[1:]
    return float(served + max(tail, 0.0) * absorbed)


@lru_cache(maxsize=4096)
def _erlang_a(per_hour: float, handle: float, agents: int, target: float, patience: float) -> Prediction:
    rate, service, abandon = per_hour / 3600, 1 / handle, 1 / patience
    if rate <= 0:
        return Prediction(agents, 1.0, 0.0, 0.0, 0.0)
    states = _chain(rate, service, abandon, agents)
    queue = states[agents:]  # an arrival seeing n + q in the desk waits behind q (PASTA)
    waits = float(queue.sum())
    mean_queue = float(np.dot(np.arange(len(queue)), queue))
    gave_up = abandon * mean_queue / rate
    answered = 1 - waits
    if agents and len(queue):
        answered += _served_within(queue, agents, service, abandon, target)
    busy = float(np.dot(np.minimum(np.arange(len(states)), agents), states))
    occupancy = busy / agents if agents else 0.0
    return Prediction(agents, min(1.0, answered), waits, mean_queue / rate, occupancy, gave_up)


def predict(
    per_hour: float,
    handle_seconds: float,
    agents: int,
    target_seconds: float,
    patience_seconds: float | None = None,
) -> Prediction:
    """What `agents` agents achieve for `per_hour` arrivals (Erlang A when patience is given)."""
    if patience_seconds:
        return _erlang_a(
            round(per_hour, 6), float(handle_seconds), agents, float(target_seconds), float(patience_seconds)
        )
    return _erlang_c(per_hour, handle_seconds, agents, target_seconds)


def agents_needed(
    per_hour: float,
    handle_seconds: float,
    target_seconds: float,
    service_level: float,
    patience_seconds: float | None = None,
    occupancy_cap: float = 1.0,
) -> Prediction:
    """The fewest agents answering `service_level` of arrivals within the target, none busier than
    `occupancy_cap`. No arrivals need nobody."""
    if per_hour <= 0:
        return predict(0, handle_seconds, 0, target_seconds, patience_seconds)
    traffic = per_hour * handle_seconds / 3600

    def meets(found: Prediction) -> bool:
        return found.service_level >= service_level and found.occupancy <= occupancy_cap + 1e-12

    if not patience_seconds:
        # Erlang C: below the load (over the cap) the queue grows without end; the answer is a few
        # steps above it.
        agents = max(1, math.ceil(traffic / occupancy_cap - 1e-9))
        while not meets(found := predict(per_hour, handle_seconds, agents, target_seconds)):
            agents += 1
        return found
    # Erlang A: customers who give up usually need Erlang C's answer or a few fewer agents (many
    # fewer when most give up); each evaluation solves a chain, so check C's answer and the one below,
    # and only then halve (both conditions are monotone in the agents).
    agents = agents_needed(
        per_hour, handle_seconds, target_seconds, service_level, None, occupancy_cap
    ).agents

    def a(n: int) -> Prediction:
        return predict(per_hour, handle_seconds, n, target_seconds, patience_seconds)

    found = a(agents)
    while not meets(found):
        agents += 1
        found = a(agents)
    if agents == 1 or not meets(a(agents - 1)):
        return found
    low, high = 0, agents - 1  # low fails (or is nobody), high meets
    while high - low > 1:
        middle = (low + high) // 2
        low, high = (low, middle) if meets(a(middle)) else (middle, high)
    return a(high)


def with_shrinkage(agents: int, shrinkage: float) -> int:
    """People to schedule so that `agents` are answering while `shrinkage` of paid time goes to breaks,
    meetings and training."""
    return math.ceil(agents / (1 - shrinkage) - 1e-9)
