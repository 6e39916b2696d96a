"""Local democracy: residences, participation spaces, proposals, debate, amendments and votes."""
