"""Government-information submission (政务信息报送) as a process family: see :mod:`app.families`."""
from app.families import Family

FAMILY = Family(name="information", title="政务信息报送", processes=("information_report",))
