"""Designation: regimes, dossiers with evidence, packages, member states' positions,
adoption and publication."""
