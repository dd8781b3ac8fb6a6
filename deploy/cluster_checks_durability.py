"""Cluster checks 4-5 (deploy/cluster_check.py): nothing acknowledged is lost, nothing doubled.

4. node-kill    node2 SIGKILLed during a create-and-reply load: acknowledged writes survive
   orphan-sweep `hamrah attachments sweep` on both nodes at once after it: no object without
                a row (a planted one included), no row without its object
5. mail-once    every outbox row's e-mail reached the SMTP server exactly once
"""
import email
import glob
import os
import re
import secrets
import subprocess
import threading
import time

import requests
from cluster_client import (
    BALANCER,
    CLUSTER_SH,
    ENV,
    ROOT,
    RUN,
    S3,
    VENV,
    Browser,
    CheckFailed,
    csrf,
    department_id,
    expect,
    read_env,
    sql,
    ticket_number,
    unique_pdf,
)
from cluster_users import LOAD_CLERKS

# --- 4. one node SIGKILLed under load -------------------------------------------------------

def recorded_pid(name: str) -> int:
    """The last PID cluster.sh recorded under `name` (node1-web, node2-notify, ...)."""
    found = None
    with open(os.path.join(RUN, "pids"), encoding="utf-8") as file:
        for line in file:
            recorded, pid = line.split()
            if recorded == name:
                found = int(pid)
    expect(found is not None, f"no PID recorded for {name}")
    return found


def process_alive(pid: int) -> bool:
    """Running, not a zombie (the same test as cluster.sh's `alive`)."""
    try:
        with open(f"/proc/{pid}/stat", encoding="utf-8") as file:
            return file.read().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


def node_pids(node: str) -> list[int]:
    """The node's gunicorn master (from cluster.sh's PID file) and its workers."""
    master = recorded_pid(f"{node}-web")
    workers = subprocess.run(["pgrep", "-P", str(master)], capture_output=True, text=True)
    return [master] + [int(p) for p in workers.stdout.split()]


def check_node_kill():
    total, threads_n, kill_after = 60, 4, 16
    lock = threading.Lock()
    state = {"started": 0, "done": 0, "in_flight": 0, "killed": None, "in_flight_at_kill": None}
    acked_tickets, acked_replies, failures, nodes_after_kill = [], [], [], []

    clerks = []
    for name in LOAD_CLERKS:
        browser = Browser(BALANCER, name).sign_in(name)
        browser.token = csrf(browser.get("/support/new").text)  # the session's token serves all
        clerks.append(browser)

    def kill_node2():
        pids = node_pids("node2")
        for pid in pids:
            try:
                os.kill(pid, 9)
            except ProcessLookupError:
                pass
        state["killed"] = pids
        state["killed_at"] = time.monotonic()
        state["in_flight_at_kill"] = state["in_flight"]

    def worker(index):
        mine = clerks[index * 2:index * 2 + 2]
        last_ticket = {}
        for n in range(total // threads_n):
            browser = mine[(n // 2) % 2]  # create, reply to it; the other clerk; ...
            with lock:
                if state["started"] >= total:
                    return
                state["started"] += 1
                state["in_flight"] += 1
            kind = "reply" if n % 2 == 1 and browser.who in last_ticket else "create"
            begun = time.monotonic()
            try:
                if kind == "create":
                    pdf = unique_pdf(browser.who)
                    data = {"csrf_token": browser.token, "subject": "بار خوشه",
                            "department": str(department_id()), "body": "آزمون بار",
                            "submission_id": "load-" + secrets.token_hex(8)}
                    response = browser.post("/support/new", data=data, files=[
                        ("attachments", ("load.pdf", pdf, "application/pdf"))])
                    if response.status_code == 302:
                        number = ticket_number(response)
                        last_ticket[browser.who] = number
                        with lock:
                            acked_tickets.append((browser.who, data["submission_id"], number, pdf))
                else:
                    number = last_ticket[browser.who]
                    body = f"پاسخ بار {secrets.token_hex(8)}"
                    response = browser.post(f"/support/tickets/{number}/reply",
                                            data={"csrf_token": browser.token, "body": body})
                    if response.status_code == 302:
                        with lock:
                            acked_replies.append((number, body))
                outcome = response.status_code
                node = response.headers.get("X-Hamrah-Node")
            except requests.RequestException as error:
                outcome, node = type(error).__name__, None
            with lock:
                state["in_flight"] -= 1
                state["done"] += 1
                if outcome != 302:
                    failures.append((kind, outcome))
                if state["killed"] is not None and node and begun > state["killed_at"]:
                    nodes_after_kill.append(node)
                if state["done"] == kill_after and state["killed"] is None:
                    kill_node2()

    started = time.monotonic()
    workers = [threading.Thread(target=worker, args=(i,), daemon=True) for i in range(threads_n)]
    for thread in workers:
        thread.start()
    for thread in workers:
        thread.join(timeout=150)
    expect(not any(t.is_alive() for t in workers), "the load did not finish within 150 s")
    expect(state["killed"], "node2 was never killed")
    elapsed = time.monotonic() - started

    problems = []
    for who, key, number, pdf in acked_tickets:
        rows = sql("select t.number, a.stored_name from ticket t join ab_user u on u.id = t.creator_id "
                   "join message m on m.ticket_id = t.id join attachment a on a.message_id = m.id "
                   "where u.username = %s and t.idempotency_key = %s", who, key)
        if len(rows) != 1 or rows[0][0] != number:
            problems.append(f"ticket {number} ({key}): {len(rows)} rows")
            continue
        body = S3.get_object(Bucket=ENV["S3_BUCKET"],
                             Key=ENV.get("S3_PREFIX", "attachments/") + rows[0][1])["Body"].read()
        if body != pdf:
            problems.append(f"ticket {number}: S3 object differs")
    for number, body in acked_replies:
        count = sql("select count(*) from message m join ticket t on t.id = m.ticket_id "
                    "where t.number = %s and m.body = %s", number, body)[0][0]
        if count != 1:
            problems.append(f"reply on {number}: {count} rows")
    expect(not problems, "acknowledged writes missing or doubled: " + "; ".join(problems[:5]))
    allowed = state["in_flight_at_kill"]
    expect(len(failures) <= allowed,
           f"{len(failures)} failed requests ({failures}) but only {allowed} were in flight at the kill")
    expect(nodes_after_kill and set(nodes_after_kill) == {"node1"},
           f"after the kill answers came from {set(nodes_after_kill)}")
    summary = (f"{state['done']} requests in {elapsed:.1f} s, node2 (pids {state['killed']}) killed "
               f"after {kill_after}; {len(acked_tickets)} tickets and {len(acked_replies)} replies "
               f"acknowledged, each once in PostgreSQL with its S3 object; {len(failures)} failed "
               f"{failures} (in flight at the kill: {allowed})")
    # node2 back: nginx sends it requests again once its fail_timeout has passed
    restart = subprocess.run(["sh", CLUSTER_SH, "start-node", "node2"], capture_output=True,
                             text=True, timeout=90)
    expect(restart.returncode == 0, f"node2 did not restart: {restart.stderr[-500:]}")
    seen = set()
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and seen != {"node1", "node2"}:
        seen.add(requests.get(BALANCER + "/healthz", timeout=5).headers.get("X-Hamrah-Node"))
        time.sleep(0.2)
    expect(seen == {"node1", "node2"}, f"after restarting node2 nginx only reached {seen}")
    return summary + "; node2 restarted and back in rotation"


# --- 4b. the orphan sweep on both nodes at once -----------------------------------------

def s3_names(prefix: str) -> set[str]:
    """The stored names of the current objects under the prefix (delete markers hide the rest)."""
    names = set()
    for page in S3.get_paginator("list_objects_v2").paginate(Bucket=ENV["S3_BUCKET"], Prefix=prefix):
        names.update(item["Key"][len(prefix):] for item in page.get("Contents", []))
    return names


def check_orphan_sweep():
    """After the node-kill load (no request in flight): `hamrah attachments sweep --grace-minutes
    0` on both nodes' environments at once, as two nodes' timers would; an object planted
    with no row, and any the killed node left, are gone, and every row keeps its object."""
    prefix = ENV.get("S3_PREFIX", "attachments/")
    planted = secrets.token_urlsafe(24)  # 32 url-safe characters, like the app's stored names
    S3.put_object(Bucket=ENV["S3_BUCKET"], Key=prefix + planted, Body=unique_pdf("orphan"),
                  ContentType="application/octet-stream")
    rows = {name for (name,) in sql("select stored_name from attachment")}
    orphans_before = s3_names(prefix) - rows
    expect(planted in orphans_before, f"the planted object {prefix}{planted} is not listed")
    command = [os.path.join(VENV, "flask"), "--app", "run", "hamrah", "attachments", "sweep",
               "--grace-minutes", "0"]
    sweeps = {node: subprocess.Popen(command, cwd=ROOT, text=True, stdout=subprocess.PIPE,
                                     stderr=subprocess.PIPE,
                                     env={**os.environ, **read_env(os.path.join(RUN, f"{node}.env"))})
              for node in ("node1", "node2")}
    outputs = {}
    for node, process in sweeps.items():
        try:
            outputs[node] = process.communicate(timeout=120)
        except subprocess.TimeoutExpired:
            for other in sweeps.values():
                other.kill()
            raise CheckFailed(f"{node}'s sweep ran for over 120 s") from None
    exits = {node: process.returncode for node, process in sweeps.items()}
    expect(all(code == 0 for code in exits.values()),
           f"sweep exits {exits}: " + "; ".join(f"{n}: {(o + e).strip()[-300:]}"
                                                 for n, (o, e) in outputs.items()))
    no_file = [line for _out, err in outputs.values() for line in err.splitlines()
               if "has no file" in line]
    expect(not no_file, f"the sweeps report rows without a file: {no_file[:5]}")
    rows = {name for (name,) in sql("select stored_name from attachment")}
    listed = s3_names(prefix)
    expect(planted not in listed, f"the planted orphan {prefix}{planted} is still in the bucket")
    expect(not listed - rows, f"objects no row names are left: {sorted(listed - rows)[:5]}")
    expect(not rows - listed, f"rows whose object is gone: {sorted(rows - listed)[:5]}")
    summaries = {node: (out.strip().splitlines() or ["(no output)"])[-1]
                 for node, (out, _err) in outputs.items()}
    return (f"{len(orphans_before)} objects without a row before (the planted one and "
            f"{len(orphans_before) - 1} left by the kill), both sweeps at once exited 0: "
            f"{summaries}; now {len(listed)} objects, each named by one of {len(rows)} rows")


# --- 5. every e-mail exactly once ----------------------------------------------------------

def check_mail_once():
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        waiting = sql("select count(*) from outbox_message where sent_at is null")[0][0]
        if waiting == 0:
            break
        time.sleep(1)
    rows = sql("select id, recipient, kind, sent_at is not null from outbox_message order by id")
    unsent = [r[0] for r in rows if not r[3]]
    expect(not unsent, f"{len(unsent)} outbox rows still unsent after 60 s: {unsent[:10]}")
    time.sleep(1)  # a message the server accepted is on disk before the worker marks it sent
    seen: dict[int, int] = {}
    strangers = 0
    for path in sorted(glob.glob(os.path.join(RUN, "mail", "*.eml"))):
        with open(path, "rb") as file:
            message = email.message_from_bytes(file.read())
        match = re.match(r"<hamrah-outbox-(\d+)@", message.get("Message-ID", ""))
        if match:
            seen[int(match[1])] = seen.get(int(match[1]), 0) + 1
        else:
            strangers += 1
    ids = {r[0] for r in rows}
    doubled = {i: n for i, n in seen.items() if n > 1}
    missing = sorted(ids - set(seen))
    expect(not doubled and not missing and not strangers and set(seen) == ids,
           f"{len(rows)} outbox rows, {sum(seen.values())} messages: doubled {doubled}, "
           f"missing {missing[:10]}, unknown {strangers}")
    kinds = {}
    for _id, _recipient, kind, _sent in rows:
        kinds[kind] = kinds.get(kind, 0) + 1
    expect(kinds.get("ticket_created"), "no new-ticket e-mail to the department's agents")
    # Both workers polled the same rows the whole time. Which one drains a burst is timing (a
    # round sends batch after batch), so the split is reported, not required; the claim under
    # contention is pinned down by tests/test_notifications.py on PostgreSQL.
    workers = {}
    for node in ("node1", "node2"):
        expect(process_alive(recorded_pid(f"{node}-notify")), f"{node}'s outbox worker is gone")
        with open(os.path.join(RUN, node, "notify.log"), encoding="utf-8") as file:
            log = file.read()
        expect("Outbox round failed" not in log, f"{node}'s outbox worker logged a failed round")
        workers[node] = sum(int(m) for m in re.findall(r"E-mails sent: (\d+)", log))
    return (f"{len(rows)} outbox rows {kinds}, {sum(seen.values())} messages received, each once; "
            f"sent by worker: {workers}")
