"""Election forensics: precinct results loaded from files, statistical tests of
falsification, reconciliation with independent counts, and findings as evidence."""
