"""Sources: one module per input format, each turning its whole input into a Batch of
Drafts (base.py) that the writer (digest.intake.writer) alone turns into files."""
