"""The site's pages of local democracy: where I live, spaces, proposals, debate and votes.

Thin views over ``geo_civic.participation``, whose services hold every rule and write; these
pages only turn forms into calls and refusals into messages next to the fields.
"""
