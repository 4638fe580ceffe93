"""Runs on other machines over the system OpenSSH client, and detached runs on this one.

ssh.py talks to a host (quoting, one multiplexed connection per host, clear failures);
scripts.py holds the small programs sent there; machine.py checks, starts, polls and stops one
machine's run folder; remote_run.py follows a run over all its machines as a `TrainingRun`;
plan.py builds each machine's command (accelerate ranks); registry.py serves `runs/attach/stop`;
files.py and remote_files.py list and copy files there.
"""
