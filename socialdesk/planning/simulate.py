"""A discrete-event simulation of one planning interval's desk (SimPy), to check the Erlang formulas
against something that does not share their algebra: Poisson arrivals, exponential handling, N agents
taking the longest waiting first, and optionally customers who give up after an exponential patience.

The desk is run far longer than one interval (the formulas describe the steady state an interval is
assumed to reach), after a warm-up that is not counted."""

from __future__ import annotations

import random
from collections.abc import Generator
from dataclasses import dataclass
from typing import Any

import simpy


@dataclass(frozen=True)
class Simulated:
    arrivals: int
    answered_within_target: int
    abandoned: int
    mean_wait_seconds: float

    @property
    def service_level(self) -> float:
        return self.answered_within_target / self.arrivals if self.arrivals else 1.0

    @property
    def abandon_share(self) -> float:
        return self.abandoned / self.arrivals if self.arrivals else 0.0


def simulate(
    per_hour: float,
    handle_seconds: float,
    agents: int,
    target_seconds: float,
    patience_seconds: float | None = None,
    hours: float = 200.0,
    warmup_hours: float = 10.0,
    seed: int = 1,
) -> Simulated:
    """Share of arrivals answered within the target over `hours` of simulated time."""
    rng = random.Random(seed)  # noqa: S311 - a reproducible simulation, not a secret
    env = simpy.Environment()
    desk = simpy.Resource(env, capacity=max(agents, 1)) if agents else None
    warmup = warmup_hours * 3600
    counts = {"arrivals": 0, "answered": 0, "abandoned": 0}
    waited = [0.0]

    def customer() -> Generator[Any, Any, None]:
        arrived = env.now
        counted = arrived >= warmup
        if counted:
            counts["arrivals"] += 1
        if desk is None:  # nobody on: everyone waits past any target
            return
        with desk.request() as turn:
            if patience_seconds:
                outcome = yield turn | env.timeout(rng.expovariate(1 / patience_seconds))
                served = turn in outcome
            else:
                yield turn
                served = True
            wait = env.now - arrived
            if counted:
                waited[0] += wait
                if served and wait <= target_seconds:
                    counts["answered"] += 1
                if not served:
                    counts["abandoned"] += 1
            if served:
                yield env.timeout(rng.expovariate(1 / handle_seconds))

    def arrivals() -> Generator[Any, Any, None]:
        while True:
            yield env.timeout(rng.expovariate(per_hour / 3600))
            env.process(customer())

    if per_hour > 0:
        env.process(arrivals())
    env.run(until=warmup + hours * 3600)
    n = counts["arrivals"]
    return Simulated(n, counts["answered"], counts["abandoned"], waited[0] / n if n else 0.0)
