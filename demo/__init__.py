"""Demo data, one module per job (seed_demo runs them in order, see its JOBS):

- staff.py: the reference rows and one demo user per role and township;
- employers.py: fictional Xiangfen employers and their projects;
- cases.py: a few hundred cases in every state, filed through the complaint service and
  moved only through the real transition service (courses of events: scenarios.py, built
  from the steps in steps.py; names and identifiers: people.py), then scored once each;
- summary.py: what seed_demo prints at the end (users, password, addresses, a case);
- subsidies.py: subsidy applications at every approval step (seed_demo_subsidies).

Everything created is marked is_demo; every job is safe to run again.
"""
