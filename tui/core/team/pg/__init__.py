"""The team's claims and answers in a PostgreSQL server (issue 13).

Optional: psycopg 3 comes with `pip install 'labeldesk[postgres]'`, and nothing here imports
it before a batch asks for a database. The local results file stays the journal: answers are
fsynced there first and sent to the server in the background (journal.py).
"""
