"""Government-information submission (政务信息报送): items, review and adoption, scoring, the bulletin."""
