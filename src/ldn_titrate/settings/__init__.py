"""Every setting of a plan and of ``check``, declared once by key, never by option.

``values`` reads text or a TOML value into a typed value; ``plan`` declares the request's
values; ``check`` the checker's. The package itself imports none of them, so that ``check``
reads its settings without loading the planner's model.
"""
