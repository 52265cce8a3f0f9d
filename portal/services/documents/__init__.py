"""Documents context: the document library, benefit statements and the mails about new documents."""
