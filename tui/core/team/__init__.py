"""Teams on one batch: who labels which task (issue 12), coordinated through a ledger file
under the batch folder or a PostgreSQL server (issue 13). Plain Python: no Textual."""
