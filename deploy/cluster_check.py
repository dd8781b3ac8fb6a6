"""Checks of the two-node cluster that `sh deploy/cluster.sh test` starts (run by it).

Each check is a function that prints PASS or FAIL with its reason; the exit status is 1 when
any failed. They talk HTTP to nginx (the balancer) or to a node directly, and read
PostgreSQL, S3 and the SMTP sink's files to see what really happened:

1. journey      the clerk's journey through nginx, served by both nodes
2. reference    a change made on node1 (department, announcement, role) shows on node2
3. limits       the ticket and failed sign-in limits hold exactly across both nodes
4. node-kill    node2 SIGKILLed during a create-and-reply load: acknowledged writes survive
   orphan-sweep `hamrah attachments sweep --grace-minutes 0` on both nodes at once, after the
                load: no object without a row (a planted one included), no row without one
5. mail-once    every outbox row's e-mail reached the SMTP server exactly once

(Run in this order: the mail check counts everything the others sent.)
Every request has a timeout and every loop a bound. Only .venv packages are used.
This file is the entry point and runs them; the checks live beside it: 1-3 in
cluster_checks_nodes.py, 4-5 in cluster_checks_durability.py; what they talk with (node
environment, PostgreSQL, S3, the HTML browser) in cluster_client.py; their users in
cluster_users.py.

    CLUSTER_RUN=deploy/.run .venv/bin/python deploy/cluster_check.py [check names...]
    .venv/bin/python deploy/cluster_check.py users   # (cluster.sh) the checks' extra users
"""
import sys
import time

from cluster_users import create_users  # deploy/, the script's directory, is on sys.path

if __name__ == "__main__" and sys.argv[1:] == ["users"]:
    create_users()
    sys.exit(0)

# --- the checks' world (cluster_client.py connects when imported) ----------------------------
from cluster_checks_durability import check_mail_once, check_node_kill, check_orphan_sweep  # noqa: E402
from cluster_checks_nodes import (  # noqa: E402
    check_journey,
    check_login_limit,
    check_reference,
    check_ticket_limit,
)
from cluster_client import CheckFailed  # noqa: E402

CHECKS = [("journey", check_journey), ("reference", check_reference),
          ("ticket-limit", check_ticket_limit), ("login-limit", check_login_limit),
          ("node-kill", check_node_kill), ("orphan-sweep", check_orphan_sweep),
          ("mail-once", check_mail_once)]


def main(names: list[str]) -> int:
    failed = 0
    for name, check in CHECKS:
        if names and name not in names:
            continue
        started = time.monotonic()
        try:
            detail = check()
            print(f"PASS  {name} ({time.monotonic() - started:.1f} s): {detail}", flush=True)
        except CheckFailed as error:
            failed += 1
            print(f"FAIL  {name} ({time.monotonic() - started:.1f} s): {error}", flush=True)
        except Exception as error:  # noqa: BLE001 - a crash of a check is its failure
            failed += 1
            print(f"FAIL  {name} ({time.monotonic() - started:.1f} s): {type(error).__name__}: "
                  f"{error}", flush=True)
    print(f"{'FAILED' if failed else 'PASSED'}: {failed} of "
          f"{len([c for c in CHECKS if not names or c[0] in names])} checks failed", flush=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
