"""The public site: home page, claim pages, speaker pages, feeds."""
