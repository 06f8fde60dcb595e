"""One learner-kernel process of the class simulation (tests/test_collect_class.py).

    python class_sim.py submit URL ENDPOINT BASE ATTEMPT LEARNER...   # each learner finishes one attempt
    python class_sim.py flush  URL ENDPOINT BASE LEARNER...           # each learner starts a quiz (flush)

Prints one JSON line: {"written": n, "delivered": n, "queued": n, "statuses": {...}}.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE.parent), str(HERE)]

from class_data import results  # noqa: E402

from quiz_widgets.teaching.collect import Collector, attempt_name  # noqa: E402


def main(argv: list[str]) -> int:
    action, url, endpoint, base = argv[:4]
    attempt = int(argv[4]) if action == "submit" else 0
    learners = argv[5:] if action == "submit" else argv[4:]
    options = {"key": "testing", "secret": "testing", "endpoint_url": endpoint,
               "client_kwargs": {"region_name": "us-east-1"}}  # fmt: skip
    collectors = []
    for learner in learners:
        c = Collector(url, learner=learner, base_dir=Path(base) / learner, storage_options=options)
        if action == "submit":
            data = results(["ada", "bob", "cy", "dee"][hash(learner) % 4])
            data.pop("learner", None)
            data["attempt_id"] = f"{learner}#{attempt}"  # what "the same attempt" means when counting
            c.submit(data, attempt_name())
        else:
            c.flush()
        collectors.append(c)
    for c in collectors:
        c.wait(60)
    statuses = {c.learner: c.status for c in collectors}
    print(json.dumps({
        "written": len(learners) if action == "submit" else 0,
        "delivered": sum(s == "delivered" for s in statuses.values()),
        "queued": sum(s.startswith("queued") for s in statuses.values()),
        "statuses": statuses,
    }))  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
