"""The public side (公众服务): online filing, the receipt, and the status lookup — no login, no JavaScript.

``blueprint.py`` holds the URL rules of the pages (``/public``) and of the public JSON API
(``/api/public/v1``); ``filing.py``, ``status.py`` and ``tokens.py`` are its services; nothing here reads a
case except through :mod:`app.public.status`, which never returns officers' names, internal notes or other
people's data.
"""
